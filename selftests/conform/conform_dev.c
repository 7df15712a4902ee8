// SPDX-License-Identifier: GPL-2.0
/*
 * The device under test: instances, taking it away and back, its config
 * space and interrupts, and the suite's other programs. See conform.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "conform.h"
#include "leftovers.h"
#include "mdev_types.h"

bool cf_slow(void)
{
	return suite_slow();
}

unsigned int cf_rounds(unsigned int fast, unsigned int slow)
{
	return suite_rounds(fast, slow);
}

int cf_open(struct cf_dev *dev, struct vfio_dev *vd)
{
	return __vfio_dev_open(dev->sysfs, vd);
}

void cf_user_setup(int fd)
{
	struct vfio_device_gfx_plane_info plane;
	struct vfio_device_info info;
	struct vfio_region_info ri;
	struct vfio_irq_info ii;
	unsigned int i;

	if (__vfio_device_info(fd, &info))
		return;
	for (i = 0; i < info.num_regions && i < 64; i++)
		__vfio_region_info(fd, i, &ri);
	for (i = 0; i < info.num_irqs && i < 64; i++)
		__vfio_irq_info(fd, i, &ii);
	for (i = 0; i < 2; i++) {
		memset(&plane, 0, sizeof(plane));
		plane.argsz = sizeof(plane);
		plane.flags = VFIO_GFX_PLANE_TYPE_PROBE |
			      (i ? VFIO_GFX_PLANE_TYPE_REGION : VFIO_GFX_PLANE_TYPE_DMABUF);
		ioctl(fd, VFIO_DEVICE_QUERY_GFX_PLANE, &plane);
	}
}

int cf_create(struct cf_dev *dev)
{
	char path[PATH_MAX];
	int ret;

	uuid_generate_random_str(dev->uuid);
	ret = __mdev_create(dev->parent, dev->type, dev->uuid);
	if (ret) {
		dev->uuid[0] = '\0';
		return ret;
	}
	snprintf(dev->sysfs, sizeof(dev->sysfs), "/sys/bus/mdev/devices/%s", dev->uuid);
	if (!dev->module[0]) {
		char target[PATH_MAX];
		ssize_t n;

		snprintf(path, sizeof(path), "%s/driver/module", dev->sysfs);
		n = readlink(path, target, sizeof(target) - 1);
		if (n > 0) {
			target[n] = '\0';
			snprintf(dev->module, sizeof(dev->module), "%s",
				 strrchr(target, '/') + 1);
		}
	}
	return 0;
}

/* The sysfs file that takes the device away, and what to write there. */
static void cf_away_path(const struct cf_dev *dev, char *path, size_t len,
			 const char **val)
{
	if (dev->is_mdev) {
		snprintf(path, len, "%s/remove", dev->sysfs);
		*val = "1";
	} else {
		snprintf(path, len, "/sys/bus/%s/drivers/%s/unbind", dev->bus,
			 dev->driver);
		*val = strrchr(dev->sysfs, '/') + 1;
	}
}

int cf_take_away(struct cf_dev *dev, int ms)
{
	char path[PATH_MAX];
	const char *val;
	int ret;

	if (dev->is_mdev)
		return __mdev_remove_timeout(dev->uuid, ms);
	cf_away_path(dev, path, sizeof(path), &val);
	ret = sysfs_write_detached(path, val, ms);
	return ret;
}

int cf_bring_back(struct cf_dev *dev)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/%s/drivers/%s/bind", dev->bus,
		 dev->driver);
	return __sysfs_write(path, strrchr(dev->sysfs, '/') + 1);
}

bool cf_present(const struct cf_dev *dev)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	if (dev->is_mdev)
		return dev->uuid[0] && path_exists(dev->sysfs);
	snprintf(path, sizeof(path), "%s/driver", dev->sysfs);
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	return !strcmp(strrchr(target, '/') + 1, dev->driver);
}

pid_t cf_take_away_start(struct cf_dev *dev)
{
	char path[PATH_MAX];
	const char *val;
	pid_t pid;
	int ret;

	cf_away_path(dev, path, sizeof(path), &val);
	fflush(stdout);
	pid = fork();
	if (pid)
		return pid;
	/* Hold no fd of the device: the removal must not wait for us. */
	close_range(3, ~0U, 0);
	ret = __sysfs_write(path, val);
	if (!ret && dev->is_mdev)
		leftovers_forget(dev->uuid);
	_exit(-ret);
}

int cf_take_away_wait(pid_t pid, int ms)
{
	int status, waited;

	for (waited = 0; waited <= ms; waited += 5) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? -WEXITSTATUS(status) : -EINTR;
		usleep(5000);
	}
	return -ETIMEDOUT;
}

long cf_counter(const struct cf_dev *dev, const char *name)
{
	long val;

	if (__dev_counter(strrchr(dev->sysfs, '/') + 1, name, &val))
		return -1;
	return val;
}

/* ---- PCI config space ---- */

/* The command register bits a reset clears: I/O, memory, bus master, INTx. */
#define CF_CMD_BITS	0x0407
#define PCI_CMD		0x04
#define PCI_BAR0	0x10

bool cf_is_pci(int fd)
{
	struct vfio_device_info info;

	return !__vfio_device_info(fd, &info) && (info.flags & VFIO_DEVICE_FLAGS_PCI);
}

int cf_cfg_read(int fd, unsigned int off, void *val, size_t len)
{
	ssize_t n = __vfio_region_read(fd, VFIO_PCI_CONFIG_REGION_INDEX, off, val, len);

	return n == (ssize_t)len ? 0 : n < 0 ? n : -EIO;
}

int cf_cfg_write(int fd, unsigned int off, const void *val, size_t len)
{
	ssize_t n = __vfio_region_write(fd, VFIO_PCI_CONFIG_REGION_INDEX, off, val, len);

	return n == (ssize_t)len ? 0 : n < 0 ? n : -EIO;
}

int cf_cfg_state(int fd, struct cf_cfg_state *s)
{
	int i, ret;

	memset(s, 0, sizeof(*s));
	ret = cf_cfg_read(fd, PCI_CMD, &s->cmd, 2);
	for (i = 0; !ret && i < CF_NR_BARS; i++)
		ret = cf_cfg_read(fd, PCI_BAR0 + 4 * i, &s->bar[i], 4);
	return ret;
}

bool cf_cfg_change(int fd, const struct cf_cfg_state *before,
		   struct cf_cfg_state *changed)
{
	__u32 ones = 0xffffffff, val;
	__u16 cmd = before->cmd ^ CF_CMD_BITS;
	bool kept = false;
	int i;

	cf_cfg_write(fd, PCI_CMD, &cmd, 2);
	/* One BAR in sizing mode: it reads its size mask instead of its address. */
	for (i = 0; i < CF_NR_BARS; i++) {
		if (cf_cfg_write(fd, PCI_BAR0 + 4 * i, &ones, 4) ||
		    cf_cfg_read(fd, PCI_BAR0 + 4 * i, &val, 4))
			continue;
		if (val != before->bar[i])
			break;
	}
	if (cf_cfg_state(fd, changed))
		return false;
	kept = (changed->cmd ^ before->cmd) & CF_CMD_BITS;
	for (i = 0; i < CF_NR_BARS; i++)
		kept |= changed->bar[i] != before->bar[i];
	return kept;
}

bool cf_cfg_same(const struct cf_cfg_state *now, const struct cf_cfg_state *want,
		 bool bars, char *why, size_t len)
{
	int i;

	if ((now->cmd ^ want->cmd) & CF_CMD_BITS) {
		snprintf(why, len, "command register %#06x, want %#06x",
			 now->cmd, want->cmd);
		return false;
	}
	for (i = 0; bars && i < CF_NR_BARS; i++) {
		if (now->bar[i] != want->bar[i]) {
			snprintf(why, len, "BAR%d register %#010x, want %#010x", i,
				 now->bar[i], want->bar[i]);
			return false;
		}
	}
	return true;
}

void cf_cfg_enable(int fd)
{
	__u16 cmd;

	if (!cf_is_pci(fd) || cf_cfg_read(fd, PCI_CMD, &cmd, 2))
		return;
	cmd |= 0x3;
	cf_cfg_write(fd, PCI_CMD, &cmd, 2);
}

/* ---- interrupts ---- */

int cf_irq_eventfd(int fd, unsigned int index, unsigned int start, int efd)
{
	return __vfio_irq_set_eventfd(fd, index, start, efd);
}

int cf_irq_none(int fd, unsigned int index, unsigned int start,
		unsigned int count, __u32 flags)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_NONE | flags,
		.index = index,
		.start = start,
		.count = count,
	};

	return ioctl(fd, VFIO_DEVICE_SET_IRQS, &set) ? -errno : 0;
}

/* ---- the suite's other programs ---- */

/*
 * The next line of @out (non-blocking) into @line, waiting while process
 * @pid runs; false once it has exited (its status in @status) and nothing
 * is left to read.
 */
static bool cf_next_line(FILE *out, char *line, size_t len, pid_t pid, int *status)
{
	struct pollfd pfd = { .fd = fileno(out), .events = POLLIN };
	bool exited = false;

	for (;;) {
		clearerr(out);
		if (fgets(line, len, out))
			return true;
		if (exited)
			return false;
		if (waitpid(pid, status, WNOHANG) == pid) {
			exited = true;	/* one more read: what it wrote last */
			continue;
		}
		poll(&pfd, 1, 100);
	}
}

int cf_run_program(const char *prog, const char *const *argv,
		   const char *const *env, char *why, size_t len)
{
	int pass = -1, fail = 0, skip = 0;
	char *p;
	const char *args[32];
	char self[PATH_MAX], path[PATH_MAX + 64], line[1024];
	int pipefd[2], status, i;
	ssize_t n;
	pid_t pid;
	FILE *out;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -errno;
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	snprintf(path, sizeof(path), "%s/%s", self, prog);
	if (access(path, X_OK))
		return -ENOENT;
	args[0] = path;
	for (i = 0; argv && argv[i] && i < 30; i++)
		args[i + 1] = argv[i];
	args[i + 1] = NULL;
	if (pipe(pipefd))
		return -errno;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		for (i = 0; env && env[i]; i++)
			putenv((char *)env[i]);
		execv(path, (char *const *)args);
		_exit(127);
	}
	close(pipefd[1]);
	/*
	 * Indented: its KTAP must not count as ours. Read until it has exited
	 * and its output is drained, not until the pipe closes: a process it
	 * left stuck in the kernel may hold the pipe for ever.
	 */
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	out = fdopen(pipefd[0], "r");
	why[0] = '\0';
	while (out && cf_next_line(out, line, sizeof(line), pid, &status)) {
		printf("#   %s%s", line, strchr(line, '\n') ? "" : "\n");
		if (sscanf(line, "# Totals: pass:%d fail:%d xfail:%*d xpass:%*d skip:%d",
			   &pass, &fail, &skip) != 3 && !strncmp(line, "# Totals:", 9))
			pass = 1;	/* a format we do not know: no skip claimed */
		p = strstr(line, "SKIP      ");
		if (p && !why[0]) {
			snprintf(why, len, "%s", p + 10);
			why[strcspn(why, "\n")] = '\0';
		}
	}
	if (out)
		fclose(out);
	if (!WIFEXITED(status))
		return KSFT_FAIL;
	if (!WEXITSTATUS(status) && !pass && !fail && skip)
		return KSFT_SKIP;
	return WEXITSTATUS(status);
}
