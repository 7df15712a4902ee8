// SPDX-License-Identifier: GPL-2.0
/*
 * fail_nth sweeps. See fail_nth.h and the kernel's
 * Documentation/fault-injection/fault-injection.rst.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vfio_lib.h"
#include "fail_nth.h"

#define FAILSLAB	"/sys/kernel/debug/failslab/"

/* The per-thread file; opened once, as opening it allocates. */
static int fail_nth_fd = -1;
/* failslab settings saved by fail_nth_begin(), put back by fail_nth_end(). */
static char saved_ignore_gfp_wait[16], saved_verbose[16];

/* Find @func's start in /proc/kallsyms and the next symbol's, its end. */
static int kallsyms_range(const char *func, unsigned long *start,
			  unsigned long *end)
{
	unsigned long addr, best = ~0UL;
	char line[512], name[256];
	FILE *f;

	*start = 0;
	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx %*c %255s", &addr, name) != 2)
			continue;
		if (!*start && !strcmp(name, func))
			*start = addr;
	}
	if (!*start) {
		fclose(f);
		return -ENOENT;
	}
	/* Symbols are not sorted across modules: take the nearest above. */
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		char *after;

		addr = strtoul(line, &after, 16);
		if (after != line && addr > *start && addr < best)
			best = addr;
	}
	fclose(f);
	*end = best;
	return best == ~0UL ? -ENOENT : 0;
}

int __fail_nth_skip_function(const char *func)
{
	unsigned long start, end;
	char buf[32];
	int ret;

	ret = kallsyms_range(func, &start, &end);
	if (ret)
		return ret;
	/* The filter looks this deep into the stack of each allocation. */
	ret = __sysfs_write(FAILSLAB "stacktrace-depth", "32");
	snprintf(buf, sizeof(buf), "%#lx", start);
	if (!ret)
		ret = __sysfs_write(FAILSLAB "reject-start", buf);
	snprintf(buf, sizeof(buf), "%#lx", end);
	if (!ret)
		ret = __sysfs_write(FAILSLAB "reject-end", buf);
	return ret;
}

/*
 * kmemleak allocates its own metadata for every object the kernel
 * allocates, from caches of its own, and carries on when that fails: half
 * of a sweep's steps failed only that metadata and changed nothing. Failing
 * only the other caches (failslab's cache-filter with each cache's failslab
 * flag) leaves the steps that reach kernel code: mbochs's create sweep went
 * from 180 steps to 89, with the same 65 failed creates. A cache shared
 * with others (slab merging) refuses the flag: then nothing is filtered
 * (the sanitizer kernel boots with slab_nomerge, scripts/vm.sh).
 */
static bool fail_nth_filtered;

static int set_cache_flags(bool on)
{
	char path[PATH_MAX];
	struct dirent *de;
	int ret = 0;
	DIR *d;

	d = opendir("/sys/kernel/slab");
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || de->d_type == DT_LNK)
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/failslab", de->d_name);
		if (!path_exists(path))
			continue;
		if (__sysfs_write(path, on && strncmp(de->d_name, "kmemleak_", 9) ?
				  "1" : "0") && on) {
			ret = -EINVAL;
			break;
		}
	}
	closedir(d);
	return ret;
}

static void fail_nth_filter_begin(void)
{
	if (!path_exists("/sys/kernel/slab/kmemleak_object/failslab"))
		return;
	if (set_cache_flags(true) || __sysfs_write(FAILSLAB "cache-filter", "Y")) {
		set_cache_flags(false);
		return;
	}
	fail_nth_filtered = true;
}

static void fail_nth_filter_end(void)
{
	if (!fail_nth_filtered)
		return;
	__sysfs_write(FAILSLAB "cache-filter", "N");
	set_cache_flags(false);
	fail_nth_filtered = false;
}

bool fail_nth_available(void)
{
	return path_exists("/proc/thread-self/fail-nth") &&
	       path_exists(FAILSLAB "ignore-gfp-wait");
}

int __fail_nth_begin(void)
{
	int ret;

	ret = __sysfs_read(FAILSLAB "ignore-gfp-wait", saved_ignore_gfp_wait,
			   sizeof(saved_ignore_gfp_wait));
	if (!ret)
		ret = __sysfs_read(FAILSLAB "verbose", saved_verbose,
				   sizeof(saved_verbose));
	/* GFP_KERNEL allocations are the ones drivers make: fail them too. */
	if (!ret)
		ret = __sysfs_write(FAILSLAB "ignore-gfp-wait", "N");
	/* No stack dump per injected failure: the log stays readable. */
	if (!ret)
		ret = __sysfs_write(FAILSLAB "verbose", "0");
	if (ret)
		return ret;
	fail_nth_filter_begin();
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	return fail_nth_fd < 0 ? -errno : 0;
}

int __fail_nth_reopen(void)
{
	if (fail_nth_fd >= 0)
		close(fail_nth_fd);
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	return fail_nth_fd < 0 ? -errno : 0;
}

void fail_nth_begin(void)
{
	VFIO_LIB_CHECK(__fail_nth_begin(), "fail_nth_begin");
}

void fail_nth_end(void)
{
	if (fail_nth_fd >= 0) {
		fail_nth_disarm();
		close(fail_nth_fd);
		fail_nth_fd = -1;
	}
	fail_nth_filter_end();
	if (saved_ignore_gfp_wait[0])
		__sysfs_write(FAILSLAB "ignore-gfp-wait", saved_ignore_gfp_wait);
	if (saved_verbose[0])
		__sysfs_write(FAILSLAB "verbose", saved_verbose);
	if (path_exists(FAILSLAB "reject-start")) {
		__sysfs_write(FAILSLAB "reject-start", "0");
		__sysfs_write(FAILSLAB "reject-end", "0");
	}
}

void fail_nth_arm(int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", n);

	if (pwrite(fail_nth_fd, buf, len, 0) != len)
		vfio_lib_fail("fail-nth: write %d: %s", n, strerror(errno));
}

bool fail_nth_disarm(void)
{
	char buf[16] = "";
	ssize_t n;

	/* 0 means the armed failure happened, N > 0 that N calls remained. */
	n = pread(fail_nth_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		vfio_lib_fail("fail-nth: read: %s", strerror(errno));
	/* Writing 0 disarms whatever is left. */
	if (pwrite(fail_nth_fd, "0", 1, 0) != 1)
		vfio_lib_fail("fail-nth: disarm: %s", strerror(errno));
	return atoi(buf) == 0;
}
