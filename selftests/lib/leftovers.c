// SPDX-License-Identifier: GPL-2.0
/*
 * What a test made and did not take away. See leftovers.h.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "vfio_lib.h"
#include "leftovers.h"

#define LEFTOVERS_MAX	512

/* How long a sweep waits for each removal. */
#define LEFTOVERS_REMOVE_MS	5000

enum { SLOT_FREE, SLOT_CLAIMED, SLOT_USED, SLOT_REMOVING };

/**
 * struct leftover - one device noted
 * @state: SLOT_*, changed only by compare-and-swap
 * @pgrp: the process group (the test) that created it
 * @uuid: the device
 */
struct leftover {
	int state;
	pid_t pgrp;
	char uuid[UUID_STR_LEN];
};

/*
 * Shared by every process the program forks (MAP_SHARED, set up before
 * main() and so before the harness forks its tests). @owner is the process
 * that set it up: only it sweeps at exit.
 */
struct leftovers {
	pid_t owner;
	struct leftover slot[LEFTOVERS_MAX];
};

static struct leftovers *lo;

static bool slot_cas(struct leftover *s, int from, int to)
{
	return __atomic_compare_exchange_n(&s->state, &from, to, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

void leftovers_add(const char *uuid)
{
	struct leftover *s;
	int i;

	if (!lo)
		return;
	for (i = 0; i < LEFTOVERS_MAX; i++) {
		s = &lo->slot[i];
		if (!slot_cas(s, SLOT_FREE, SLOT_CLAIMED))
			continue;
		snprintf(s->uuid, sizeof(s->uuid), "%s", uuid);
		s->pgrp = getpgrp();
		__atomic_store_n(&s->state, SLOT_USED, __ATOMIC_RELEASE);
		return;
	}
}

void leftovers_forget(const char *uuid)
{
	struct leftover *s;
	int i, st;

	if (!lo)
		return;
	for (i = 0; i < LEFTOVERS_MAX; i++) {
		s = &lo->slot[i];
		st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
		if ((st == SLOT_USED || st == SLOT_REMOVING) &&
		    !strcmp(s->uuid, uuid) && slot_cas(s, st, SLOT_FREE))
			return;
	}
}

/* Whether any process of group @pgrp is still alive. */
static bool group_alive(pid_t pgrp)
{
	return !kill(-pgrp, 0) || errno != ESRCH;
}

int leftovers_sweep(bool all)
{
	char path[PATH_MAX];
	pid_t me = getpgrp();
	struct leftover *s;
	int i, ret, found = 0;

	if (!lo)
		return 0;
	for (i = 0; i < LEFTOVERS_MAX; i++) {
		s = &lo->slot[i];
		if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != SLOT_USED)
			continue;
		if (!all && (s->pgrp == me || group_alive(s->pgrp)))
			continue;
		if (!slot_cas(s, SLOT_USED, SLOT_REMOVING))
			continue;
		found++;
		snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s", s->uuid);
		if (!path_exists(path)) {
			__atomic_store_n(&s->state, SLOT_FREE, __ATOMIC_RELEASE);
			continue;
		}
		ret = __mdev_remove_timeout(s->uuid, LEFTOVERS_REMOVE_MS);
		printf("# leftovers: mdev %s, left by a test that ended early: %s\n",
		       s->uuid, ret ? strerror(-ret) : "removed");
		fflush(stdout);
		if (!ret)
			__atomic_store_n(&s->state, SLOT_FREE, __ATOMIC_RELEASE);
	}
	return found;
}

__attribute__((constructor))
static void leftovers_init(void)
{
	lo = mmap(NULL, sizeof(*lo), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (lo == MAP_FAILED) {
		lo = NULL;
		return;
	}
	lo->owner = getpid();
}

__attribute__((destructor))
static void leftovers_exit(void)
{
	if (lo && lo->owner == getpid())
		leftovers_sweep(true);
}

bool holds_vfio_device_fd(void)
{
	char path[300], link[PATH_MAX];
	struct dirent *de;
	bool found = false;
	ssize_t n;
	DIR *d;

	d = opendir("/proc/self/fd");
	if (!d)
		return true;	/* cannot tell: assume the worst */
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		found = !strcmp(link, "anon_inode:[vfio-device]") ||
			!strncmp(link, "/dev/vfio/devices/", 18);
	}
	closedir(d);
	return found;
}

/* sysfs_write_detached(); a writer that succeeds crosses out @forget. */
static int detached_write(const char *path, const char *val, int ms,
			  const char *forget)
{
	struct pollfd pfd = { .events = POLLIN };
	int pipefd[2], ret, status;
	pid_t pid;

	if (pipe(pipefd))
		return -errno;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return ret;
	}
	if (!pid) {
		/*
		 * The writer is a grandchild that init adopts: the caller
		 * neither waits for it nor finds it in a later wait().
		 */
		if (fork())
			_exit(0);
		close(pipefd[0]);
		if (pipefd[1] != 3)
			dup2(pipefd[1], 3);
		close_range(4, ~0U, 0);
		close_range(0, 2, 0);
		ret = __sysfs_write(path, val);
		if (!ret && forget)
			leftovers_forget(forget);
		ret = -ret;
		if (write(3, &ret, sizeof(ret)) != sizeof(ret))
			_exit(1);
		_exit(0);
	}
	close(pipefd[1]);
	waitpid(pid, &status, 0);
	pfd.fd = pipefd[0];
	ret = poll(&pfd, 1, ms);
	if (ret > 0 && read(pipefd[0], &ret, sizeof(ret)) == sizeof(ret))
		ret = -ret;
	else
		ret = ret < 0 ? -errno : -ETIMEDOUT;
	close(pipefd[0]);
	return ret;
}

int sysfs_write_detached(const char *path, const char *val, int ms)
{
	return detached_write(path, val, ms, NULL);
}

int __mdev_remove_timeout(const char *uuid, int ms)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/remove", uuid);
	return detached_write(path, "1", ms, uuid);
}
