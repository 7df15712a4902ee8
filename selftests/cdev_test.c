// SPDX-License-Identifier: GPL-2.0
/*
 * The VFIO device cdev path (/dev/vfio/devices/vfioN + iommufd) on every
 * mdev type the loaded drivers offer:
 *  - opening the cdev does not open the device: open_device runs only at
 *    VFIO_DEVICE_BIND_IOMMUFD, and every ioctl before the bind fails;
 *  - a bind with bad input fails cleanly and opens nothing;
 *  - the group path and the cdev path exclude each other.
 * Kernels without CONFIG_VFIO_DEVICE_CDEV skip every test. Where the
 * driver counts its open_device and close_device calls (the suite's
 * drivers with their test hooks), the counts are checked too; elsewhere
 * the errnos and the group's exclusion are what shows the device open.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "vfio_lib.h"
#include "vfio_cdev.h"
#include "mdev_types.h"

FIXTURE(cdev) {
	struct mdev_type_id types[MDEV_TYPES_MAX];
	int ntypes;
	/* The driver has no counters: said once per test. */
	bool said_no_counters;
	/* The device of the type under test, removed by the teardown. */
	char uuid[UUID_STR_LEN];
	char sysfs[128];
};

FIXTURE_SETUP(cdev)
{
	self->uuid[0] = '\0';
	self->ntypes = mdev_list_types(self->types, MDEV_TYPES_MAX);
	if (!self->ntypes)
		SKIP(return, "no mdev parent is loaded");
	if (!path_exists("/sys/class/vfio-dev") || !path_exists("/dev/iommu"))
		SKIP(return, "this kernel has no VFIO device cdev");
}

FIXTURE_TEARDOWN(cdev)
{
	if (self->uuid[0])
		__mdev_remove(self->uuid);
}

/*
 * Expect the driver's counter @name of the device under test to be @want,
 * when the driver has one.
 */
#define EXPECT_COUNT(want, name)					\
	do {								\
		long __v;						\
									\
		if (__dev_counter(self->uuid, name, &__v)) {		\
			no_counters(self);				\
			break;						\
		}							\
		EXPECT_EQ(want, __v);					\
	} while (0)

static void no_counters(struct _test_data_cdev *self)
{
	if (self->said_no_counters)
		return;
	self->said_no_counters = true;
	printf("# the driver has no open_count/close_count: the errnos stand in for them\n");
}

/* Create a device of type @i, for the test body; the teardown removes it. */
static void cdev_create(struct _test_data_cdev *self, int i)
{
	if (self->uuid[0])
		mdev_remove(self->uuid);
	mdev_create(self->types[i].parent, self->types[i].type, self->uuid);
	snprintf(self->sysfs, sizeof(self->sysfs), "/sys/bus/mdev/devices/%s",
		 self->uuid);
	printf("# %s/%s: %s\n", self->types[i].parent, self->types[i].type,
	       self->uuid);
}

static void cdev_remove(struct _test_data_cdev *self)
{
	mdev_remove(self->uuid);
	self->uuid[0] = '\0';
}

TEST_F(cdev, open_device_at_bind)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	int i, fd, iommufd;
	char buf[4];

	for (i = 0; i < self->ntypes; i++) {
		cdev_create(self, i);
		fd = __vfio_cdev_open(self->sysfs);
		ASSERT_LE(0, fd);
		EXPECT_COUNT(0, "open_count");

		/* Not bound: the device is not open, nothing reaches it. */
		EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_GET_INFO, &info));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_RESET));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(-1, pread(fd, buf, sizeof(buf), 0));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_COUNT(0, "open_count");

		iommufd = __iommufd_open();
		ASSERT_LE(0, iommufd);
		ASSERT_EQ(0, __vfio_cdev_bind(fd, iommufd));
		EXPECT_COUNT(1, "open_count");
		EXPECT_EQ(0, ioctl(fd, VFIO_DEVICE_GET_INFO, &info));

		close(fd);
		EXPECT_COUNT(1, "close_count");
		close(iommufd);
		cdev_remove(self);
	}
}

TEST_F(cdev, bind_bad_input)
{
	struct vfio_device_bind_iommufd bind;
	int i, fd, iommufd, null;

	null = open("/dev/null", O_RDWR);
	ASSERT_LE(0, null);
	for (i = 0; i < self->ntypes; i++) {
		cdev_create(self, i);
		fd = __vfio_cdev_open(self->sysfs);
		ASSERT_LE(0, fd);
		iommufd = __iommufd_open();
		ASSERT_LE(0, iommufd);

		EXPECT_EQ(-EINVAL, __vfio_cdev_bind(fd, -1));
		EXPECT_EQ(-EBADF, __vfio_cdev_bind(fd, INT_MAX));
		/* An fd, but not an iommufd. */
		EXPECT_EQ(-EBADFD, __vfio_cdev_bind(fd, null));

		bind = (struct vfio_device_bind_iommufd) {
			.argsz = sizeof(bind), .flags = 1u << 31,
			.iommufd = iommufd,
		};
		EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_BIND_IOMMUFD, &bind));
		EXPECT_EQ(EINVAL, errno);
		bind.flags = 0;
		bind.argsz = offsetof(struct vfio_device_bind_iommufd, out_devid);
		EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_BIND_IOMMUFD, &bind));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_COUNT(0, "open_count");

		/* After all that, a good bind works, once. */
		EXPECT_EQ(0, __vfio_cdev_bind(fd, iommufd));
		EXPECT_EQ(-EINVAL, __vfio_cdev_bind(fd, iommufd));
		EXPECT_COUNT(1, "open_count");

		close(fd);
		close(iommufd);
		EXPECT_COUNT(1, "close_count");
		cdev_remove(self);
	}
	close(null);
}

/*
 * Unlike the group path, the cdev path opens a device once: a second fd's
 * bind fails while the first is bound, and works after it is closed.
 */
TEST_F(cdev, one_bound_fd)
{
	struct vfio_cdev a, b;
	int i;

	for (i = 0; i < self->ntypes; i++) {
		cdev_create(self, i);
		vfio_cdev_open_bound(self->sysfs, &a);
		EXPECT_COUNT(1, "open_count");
		EXPECT_EQ(-EINVAL, __vfio_cdev_open_bound(self->sysfs, &b));
		EXPECT_COUNT(1, "open_count");
		EXPECT_COUNT(0, "close_count");

		/* Detach and attach again on the bound fd. */
		EXPECT_EQ(0, __vfio_cdev_detach(a.fd));
		EXPECT_EQ(0, __vfio_cdev_attach(a.fd, a.ioas));
		vfio_cdev_close(&a);
		EXPECT_COUNT(1, "close_count");

		vfio_cdev_open_bound(self->sysfs, &b);
		EXPECT_COUNT(2, "open_count");
		vfio_cdev_close(&b);
		EXPECT_COUNT(2, "close_count");
		cdev_remove(self);
	}
}

static int group_path(const char *sysfs, char *path, size_t len)
{
	char link[PATH_MAX], tmp[PATH_MAX];
	ssize_t n;

	snprintf(tmp, sizeof(tmp), "%s/iommu_group", sysfs);
	n = readlink(tmp, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = '\0';
	snprintf(path, len, "/dev/vfio/%s", strrchr(link, '/') + 1);
	return 0;
}

/* An open group blocks the bind; a bound cdev blocks opening the group. */
TEST_F(cdev, group_and_cdev_exclude)
{
	char gpath[PATH_MAX];
	struct vfio_cdev c;
	struct vfio_dev dev;
	int i, fd, iommufd, group;

	for (i = 0; i < self->ntypes; i++) {
		cdev_create(self, i);
		ASSERT_EQ(0, group_path(self->sysfs, gpath, sizeof(gpath)));

		group = open(gpath, O_RDWR);
		ASSERT_LE(0, group);
		fd = __vfio_cdev_open(self->sysfs);
		ASSERT_LE(0, fd);
		iommufd = __iommufd_open();
		ASSERT_LE(0, iommufd);
		EXPECT_EQ(-EBUSY, __vfio_cdev_bind(fd, iommufd));
		EXPECT_COUNT(0, "open_count");
		close(group);
		/* The group closed, the same fd binds. */
		EXPECT_EQ(0, __vfio_cdev_bind(fd, iommufd));
		EXPECT_COUNT(1, "open_count");

		EXPECT_EQ(-1, open(gpath, O_RDWR));
		EXPECT_EQ(EBUSY, errno);
		close(fd);
		close(iommufd);
		EXPECT_COUNT(1, "close_count");

		/* Unbound, the group path works again, and then excludes. */
		vfio_mdev_open(self->uuid, &dev);
		EXPECT_COUNT(2, "open_count");
		EXPECT_EQ(-EBUSY, __vfio_cdev_open_bound(self->sysfs, &c));
		vfio_dev_close(&dev);
		EXPECT_COUNT(2, "close_count");
		cdev_remove(self);
	}
}

TEST_HARNESS_MAIN
