// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the suite's selftests. See vfio_lib.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/random.h>

#include "vfio_lib.h"
#include "leftovers.h"

void __vfio_lib_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stdout, "# %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fprintf(stdout, "\n");
	fflush(stdout);
	exit(KSFT_FAIL);
}

/* ---- sysfs, debugfs, the kernel log ---- */

int __sysfs_read(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

int __sysfs_write(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

int __sysfs_read_long(const char *path, long *val)
{
	char buf[64], *end;
	int ret;

	ret = __sysfs_read(path, buf, sizeof(buf));
	if (ret)
		return ret;
	errno = 0;
	*val = strtol(buf, &end, 0);
	if (errno || end == buf)
		return -EINVAL;
	return 0;
}

long sysfs_read_long(const char *path)
{
	long val;

	VFIO_LIB_CHECK(__sysfs_read_long(path, &val), path);
	return val;
}

void sysfs_write(const char *path, const char *val)
{
	VFIO_LIB_CHECK(__sysfs_write(path, val), path);
}

int path_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

long module_refcnt(const char *module)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", module);
	return sysfs_read_long(path);
}

int dmesg_contains(const char *needle)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf;
	int found;

	if (len <= 0)
		return 0;
	buf = calloc(1, len + 1);
	if (!buf)
		return 0;
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	found = len > 0 && strstr(buf, needle);
	free(buf);
	return found;
}

bool suite_slow(void)
{
	const char *env = getenv("VFIO_SUITE_SLOW");

	return env && !strcmp(env, "1");
}

unsigned int suite_rounds(unsigned int n, unsigned int slow)
{
	return suite_slow() ? slow : n;
}

/* ---- mdev lifecycle ---- */

void uuid_generate_random_str(char uuid[UUID_STR_LEN])
{
	unsigned char b[16];

	if (getrandom(b, sizeof(b), 0) != sizeof(b))
		vfio_lib_fail("getrandom: %s", strerror(errno));
	b[6] = (b[6] & 0x0f) | 0x40;	/* version 4 */
	b[8] = (b[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	snprintf(uuid, UUID_STR_LEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
}

static void mdev_type_path(char *path, size_t len, const char *parent,
			   const char *type, const char *file)
{
	snprintf(path, len, "/sys/class/mdev_bus/%s/mdev_supported_types/%s/%s",
		 parent, type, file);
}

int __mdev_create(const char *parent, const char *type, const char *uuid)
{
	char path[PATH_MAX];
	int ret;

	/* What tests that are over left behind would take from our pool. */
	leftovers_sweep(false);
	mdev_type_path(path, sizeof(path), parent, type, "create");
	ret = __sysfs_write(path, uuid);
	if (!ret)
		leftovers_add(uuid);
	return ret;
}

void mdev_create(const char *parent, const char *type, char uuid[UUID_STR_LEN])
{
	uuid_generate_random_str(uuid);
	VFIO_LIB_CHECK(__mdev_create(parent, type, uuid), "mdev create");
}

/*
 * How long a removal waits when this process holds some VFIO device fd,
 * perhaps of the device itself (a teardown after a failed assertion): long
 * enough for a device nobody holds to go, even on a slow kernel.
 */
#define MDEV_REMOVE_HELD_MS	2000
#define MDEV_REMOVE_HELD_SLOW_MS 8000

int __mdev_remove(const char *uuid)
{
	int ret;

	if (holds_vfio_device_fd()) {
		ret = __mdev_remove_timeout(uuid, suite_slow() ?
					    MDEV_REMOVE_HELD_SLOW_MS :
					    MDEV_REMOVE_HELD_MS);
		if (ret == -ETIMEDOUT)
			printf("# mdev %s: still open here; it goes when this process exits\n",
			       uuid);
		return ret;
	}
	return __mdev_remove_wait(uuid);
}

int __mdev_remove_wait(const char *uuid)
{
	char path[PATH_MAX];
	int ret;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/remove", uuid);
	ret = __sysfs_write(path, "1");
	if (!ret)
		leftovers_forget(uuid);
	return ret;
}

void mdev_remove(const char *uuid)
{
	VFIO_LIB_CHECK(__mdev_remove(uuid), "mdev remove");
}

long mdev_available(const char *parent, const char *type)
{
	char path[PATH_MAX];

	mdev_type_path(path, sizeof(path), parent, type, "available_instances");
	return sysfs_read_long(path);
}

/* ---- opening devices ---- */

int __vfio_dev_open(const char *sysfs, struct vfio_dev *dev)
{
	char link[PATH_MAX], path[PATH_MAX], tmp[PATH_MAX];
	struct vfio_group_status status = { .argsz = sizeof(status) };
	ssize_t n;
	int ret;

	memset(dev, 0, sizeof(*dev));
	dev->container = -1;
	dev->group = -1;
	dev->fd = -1;

	snprintf(tmp, sizeof(tmp), "%s", sysfs);
	snprintf(dev->name, sizeof(dev->name), "%s", basename(tmp));

	snprintf(path, sizeof(path), "%s/iommu_group", sysfs);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = '\0';
	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(link));

	dev->container = open("/dev/vfio/vfio", O_RDWR);
	if (dev->container < 0)
		goto out_errno;
	dev->group = open(path, O_RDWR);
	if (dev->group < 0)
		goto out_errno;
	if (ioctl(dev->group, VFIO_GROUP_GET_STATUS, &status))
		goto out_errno;
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		ret = -EBUSY;
		goto out_close;
	}
	if (ioctl(dev->group, VFIO_GROUP_SET_CONTAINER, &dev->container))
		goto out_errno;
	if (ioctl(dev->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		goto out_errno;
	dev->fd = ioctl(dev->group, VFIO_GROUP_GET_DEVICE_FD, dev->name);
	if (dev->fd < 0)
		goto out_errno;
	return 0;

out_errno:
	ret = -errno;
out_close:
	vfio_dev_close(dev);
	return ret;
}

void vfio_dev_open(const char *sysfs, struct vfio_dev *dev)
{
	VFIO_LIB_CHECK(__vfio_dev_open(sysfs, dev), sysfs);
}

int __vfio_mdev_open(const char *uuid, struct vfio_dev *dev)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s", uuid);
	return __vfio_dev_open(path, dev);
}

void vfio_mdev_open(const char *uuid, struct vfio_dev *dev)
{
	VFIO_LIB_CHECK(__vfio_mdev_open(uuid, dev), uuid);
}

int __vfio_dev_fd(struct vfio_dev *dev)
{
	int fd = ioctl(dev->group, VFIO_GROUP_GET_DEVICE_FD, dev->name);

	return fd < 0 ? -errno : fd;
}

int vfio_dev_fd(struct vfio_dev *dev)
{
	int fd = __vfio_dev_fd(dev);

	VFIO_LIB_CHECK(fd, "VFIO_GROUP_GET_DEVICE_FD");
	return fd;
}

void vfio_dev_close(struct vfio_dev *dev)
{
	if (dev->fd >= 0)
		close(dev->fd);
	if (dev->group >= 0)
		close(dev->group);
	if (dev->container >= 0)
		close(dev->container);
	dev->fd = -1;
	dev->group = -1;
	dev->container = -1;
}

/* ---- info and region access ---- */

int __vfio_device_info(int fd, struct vfio_device_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	return ioctl(fd, VFIO_DEVICE_GET_INFO, info) ? -errno : 0;
}

int __vfio_region_info(int fd, unsigned int index, struct vfio_region_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, info) ? -errno : 0;
}

void vfio_region_info(int fd, unsigned int index, struct vfio_region_info *info)
{
	VFIO_LIB_CHECK(__vfio_region_info(fd, index, info),
		       "VFIO_DEVICE_GET_REGION_INFO");
}

int __vfio_irq_info(int fd, unsigned int index, struct vfio_irq_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(fd, VFIO_DEVICE_GET_IRQ_INFO, info) ? -errno : 0;
}

/* pread() or pwrite() at @off inside region @index: bytes or -errno. */
static ssize_t vfio_region_rw(int fd, unsigned int index, __u64 off,
			      void *buf, size_t len, bool write)
{
	struct vfio_region_info info;
	ssize_t n;
	int ret;

	ret = __vfio_region_info(fd, index, &info);
	if (ret)
		return ret;
	if (write)
		n = pwrite(fd, buf, len, info.offset + off);
	else
		n = pread(fd, buf, len, info.offset + off);
	return n < 0 ? -errno : n;
}

ssize_t __vfio_region_read(int fd, unsigned int index, __u64 off,
			   void *buf, size_t len)
{
	return vfio_region_rw(fd, index, off, buf, len, false);
}

ssize_t __vfio_region_write(int fd, unsigned int index, __u64 off,
			    const void *buf, size_t len)
{
	return vfio_region_rw(fd, index, off, (void *)buf, len, true);
}

void vfio_region_read(int fd, unsigned int index, __u64 off, void *buf,
		      size_t len)
{
	ssize_t n = __vfio_region_read(fd, index, off, buf, len);

	if (n != (ssize_t)len)
		vfio_lib_fail("region %u read at 0x%llx: %zd", index,
			      (unsigned long long)off, n);
}

void vfio_region_write(int fd, unsigned int index, __u64 off,
		       const void *buf, size_t len)
{
	ssize_t n = __vfio_region_write(fd, index, off, buf, len);

	if (n != (ssize_t)len)
		vfio_lib_fail("region %u write at 0x%llx: %zd", index,
			      (unsigned long long)off, n);
}

__u32 vfio_cfg_read(int fd, unsigned int off, size_t len)
{
	__u32 val = 0;

	vfio_region_read(fd, VFIO_PCI_CONFIG_REGION_INDEX, off, &val, len);
	return val;
}

void vfio_cfg_write(int fd, unsigned int off, __u32 val, size_t len)
{
	vfio_region_write(fd, VFIO_PCI_CONFIG_REGION_INDEX, off, &val, len);
}

/* ---- interrupts ---- */

int __vfio_irq_set_eventfd(int fd, unsigned int index, unsigned int start,
			   int efd)
{
	struct {
		struct vfio_irq_set set;
		__s32 fd;
	} req = {
		.set.argsz = sizeof(req),
		.set.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		.set.index = index,
		.set.start = start,
		.set.count = 1,
		.fd = efd,
	};

	return ioctl(fd, VFIO_DEVICE_SET_IRQS, &req) ? -errno : 0;
}

int __vfio_irq_action(int fd, unsigned int index, unsigned int start,
		      __u32 action)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_NONE | action,
		.index = index,
		.start = start,
		.count = 1,
	};

	return ioctl(fd, VFIO_DEVICE_SET_IRQS, &set) ? -errno : 0;
}

__s64 eventfd_wait(int efd, int timeout_ms)
{
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	__u64 count;
	int ret;

	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return 0;
	if (read(efd, &count, sizeof(count)) != sizeof(count))
		return -errno;
	return count;
}

/*
 * Reserve 2 MiB more than @len, map over the reservation at the address
 * with the right phase, and give back the rest of the reservation.
 */
void *vfio_mmap_phase(size_t len, int prot, int flags, int fd, off_t off,
		      unsigned long phase)
{
	size_t span = len + VFIO_PMD_SIZE;
	char *area, *want;
	void *addr;
	int err;

	if (len > SIZE_MAX - VFIO_PMD_SIZE) {
		errno = ENOMEM;
		return MAP_FAILED;
	}
	area = mmap(NULL, span, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (area == MAP_FAILED)
		return area;
	want = area + ((phase - (unsigned long)area) & (VFIO_PMD_SIZE - 1));
	addr = mmap(want, len, prot, flags | MAP_FIXED, fd, off);
	if (addr == MAP_FAILED) {
		err = errno;
		munmap(area, span);
		errno = err;
		return addr;
	}
	if (want > area)
		munmap(area, want - area);
	munmap(want + len, area + span - (want + len));
	return addr;
}
