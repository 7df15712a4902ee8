/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the suite's selftests.
 *
 * Each operation comes in two forms: __op() returns 0 or a negative errno,
 * and op() asserts that it succeeded, printing where it failed and exiting
 * with KSFT_FAIL. Library code therefore needs no harness _metadata, and a
 * test calls op() when failure is not what it is testing.
 */
#ifndef VFIO_LIB_H
#define VFIO_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <sys/types.h>
#include <linux/vfio.h>

#include "kselftest.h"

#define UUID_STR_LEN	37

/* Print a message with the caller's location and fail the current test. */
#define vfio_lib_fail(fmt, ...)						\
	__vfio_lib_fail(__FILE__, __LINE__, fmt, ##__VA_ARGS__)

/* Fail the current test unless @ret (0 or -errno) is 0. */
#define VFIO_LIB_CHECK(ret, what)					\
	do {								\
		int __r = (ret);					\
		if (__r < 0)						\
			__vfio_lib_fail(__FILE__, __LINE__, "%s: %s",	\
					what, strerror(-__r));		\
	} while (0)

__noreturn __printf(3, 4)
void __vfio_lib_fail(const char *file, int line, const char *fmt, ...);

/**
 * struct vfio_dev - a VFIO device opened through its group and a container
 * @container: the /dev/vfio/vfio fd
 * @group: the /dev/vfio/<N> fd
 * @fd: the device fd
 * @name: the device's name in the group (its dev_name())
 */
struct vfio_dev {
	int container;
	int group;
	int fd;
	char name[64];
};

/* sysfs and debugfs */
int __sysfs_read(const char *path, char *buf, size_t len);
int __sysfs_write(const char *path, const char *val);
int __sysfs_read_long(const char *path, long *val);
long sysfs_read_long(const char *path);
void sysfs_write(const char *path, const char *val);
int path_exists(const char *path);

/* A module's reference count, from /sys/module/<name>/refcnt. */
long module_refcnt(const char *module);

/* Whether the kernel log, read in full, contains @needle. */
int dmesg_contains(const char *needle);

/*
 * How many rounds a loop whose count only buys statistics should run: @n,
 * or @slow when the runner marks the kernel slow (VFIO_SUITE_SLOW=1, the
 * sanitizer kernel). There KASAN and kmemleak catch a use-after-free or a
 * leak the first time it happens, while each round costs ten times more
 * under TCG. Each caller says why @slow rounds still cover the test.
 */
unsigned int suite_rounds(unsigned int n, unsigned int slow);
/* Whether the runner marks the kernel slow (VFIO_SUITE_SLOW=1). */
bool suite_slow(void);

/*
 * mdev lifecycle, by parent device name and type name (e.g. "mtty-1").
 * Every device created here is noted until it is removed, and removed for
 * the test if the test ends first; a removal never waits for a device fd
 * its own process holds (lib/leftovers.h).
 */
void uuid_generate_random_str(char uuid[UUID_STR_LEN]);
int __mdev_create(const char *parent, const char *type, const char *uuid);
void mdev_create(const char *parent, const char *type, char uuid[UUID_STR_LEN]);
int __mdev_remove(const char *uuid);
void mdev_remove(const char *uuid);
/*
 * Remove and wait for every user of the device, however long it takes: for
 * a thread whose process holds device fds that other threads will close.
 */
int __mdev_remove_wait(const char *uuid);
long mdev_available(const char *parent, const char *type);

/*
 * Open a device through the group path. @sysfs is the device's directory,
 * e.g. /sys/bus/mdev/devices/<uuid> or /sys/bus/pci/devices/0000:00:03.0.
 */
int __vfio_dev_open(const char *sysfs, struct vfio_dev *dev);
void vfio_dev_open(const char *sysfs, struct vfio_dev *dev);
int __vfio_mdev_open(const char *uuid, struct vfio_dev *dev);
void vfio_mdev_open(const char *uuid, struct vfio_dev *dev);
/* Another fd on an open device: returns the fd or -errno. */
int __vfio_dev_fd(struct vfio_dev *dev);
int vfio_dev_fd(struct vfio_dev *dev);
/* Close the device fd, the group and the container. */
void vfio_dev_close(struct vfio_dev *dev);

/* Device, region and irq info. */
int __vfio_device_info(int fd, struct vfio_device_info *info);
int __vfio_region_info(int fd, unsigned int index, struct vfio_region_info *info);
void vfio_region_info(int fd, unsigned int index, struct vfio_region_info *info);
int __vfio_irq_info(int fd, unsigned int index, struct vfio_irq_info *info);

/* Region access at an offset inside region @index: bytes or -errno. */
ssize_t __vfio_region_read(int fd, unsigned int index, __u64 off,
			   void *buf, size_t len);
ssize_t __vfio_region_write(int fd, unsigned int index, __u64 off,
			    const void *buf, size_t len);
void vfio_region_read(int fd, unsigned int index, __u64 off, void *buf,
		      size_t len);
void vfio_region_write(int fd, unsigned int index, __u64 off,
		       const void *buf, size_t len);

/*
 * mmap() of @len bytes of @fd at @off at an address equal to @phase modulo
 * 2 MiB. A VMM maps a VFIO region with @phase = @off, so that the driver
 * may map it with 2 MiB page table entries; another @phase gives a mapping
 * that cannot take them. MAP_FAILED and errno on failure.
 */
#define VFIO_PMD_SIZE	(2UL << 20)
void *vfio_mmap_phase(size_t len, int prot, int flags, int fd, off_t off,
		      unsigned long phase);

/* PCI config space through VFIO_PCI_CONFIG_REGION_INDEX. */
__u32 vfio_cfg_read(int fd, unsigned int off, size_t len);
void vfio_cfg_write(int fd, unsigned int off, __u32 val, size_t len);

/*
 * Wire an eventfd to an interrupt (VFIO_IRQ_SET_DATA_EVENTFD |
 * VFIO_IRQ_SET_ACTION_TRIGGER). @efd < 0 disables it. 0 or -errno.
 */
int __vfio_irq_set_eventfd(int fd, unsigned int index, unsigned int start,
			   int efd);
/* Mask or unmask (VFIO_IRQ_SET_DATA_NONE). 0 or -errno. */
int __vfio_irq_action(int fd, unsigned int index, unsigned int start,
		      __u32 action);

/*
 * Read an eventfd's counter without blocking for longer than @timeout_ms:
 * the count, 0 on timeout, or -errno.
 */
__s64 eventfd_wait(int efd, int timeout_ms);

#endif /* VFIO_LIB_H */
