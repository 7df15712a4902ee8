// SPDX-License-Identifier: GPL-2.0
/*
 * mtty: create, open and remove serial port mdevs, and check that the core
 * calls open_device once per first open and close_device once per last
 * close.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "vfio_lib.h"

#define MTTY_PARENT	"mtty"

static long mtty_counter(const char *uuid, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/kernel/debug/mtty/%s/%s", uuid, name);
	return sysfs_read_long(path);
}

FIXTURE(mtty) {
	char uuid[UUID_STR_LEN];
};

FIXTURE_VARIANT(mtty) {
	const char *type;
};

FIXTURE_VARIANT_ADD(mtty, one_port) {
	.type = "mtty-1",
};

FIXTURE_VARIANT_ADD(mtty, two_ports) {
	.type = "mtty-2",
};

FIXTURE_SETUP(mtty)
{
	if (!path_exists("/sys/class/mdev_bus/" MTTY_PARENT))
		SKIP(return, "the mtty module is not loaded");
	mdev_create(MTTY_PARENT, variant->type, self->uuid);
}

FIXTURE_TEARDOWN(mtty)
{
	if (self->uuid[0])
		__mdev_remove(self->uuid);
}

TEST_F(mtty, device_info)
{
	struct vfio_device_info info;
	struct vfio_dev dev;

	vfio_mdev_open(self->uuid, &dev);
	ASSERT_EQ(0, __vfio_device_info(dev.fd, &info));
	EXPECT_TRUE(info.flags & VFIO_DEVICE_FLAGS_PCI);
	EXPECT_EQ(VFIO_PCI_NUM_REGIONS, info.num_regions);
	EXPECT_EQ(VFIO_PCI_NUM_IRQS, info.num_irqs);
	vfio_dev_close(&dev);
}

/* Two fds share one open: open_device and close_device run once each. */
TEST_F(mtty, open_close_once)
{
	long opens = mtty_counter(self->uuid, "open_count");
	long closes = mtty_counter(self->uuid, "close_count");
	struct vfio_dev dev;
	int fd2;

	ASSERT_EQ(0, opens);
	ASSERT_EQ(0, closes);

	vfio_mdev_open(self->uuid, &dev);
	fd2 = vfio_dev_fd(&dev);
	EXPECT_EQ(1, mtty_counter(self->uuid, "open_count"));

	close(dev.fd);
	dev.fd = -1;
	EXPECT_EQ(0, mtty_counter(self->uuid, "close_count"));

	close(fd2);
	EXPECT_EQ(1, mtty_counter(self->uuid, "close_count"));

	/* The device opens again after its last close. */
	dev.fd = vfio_dev_fd(&dev);
	EXPECT_EQ(2, mtty_counter(self->uuid, "open_count"));
	vfio_dev_close(&dev);
	EXPECT_EQ(2, mtty_counter(self->uuid, "close_count"));
}

TEST_F(mtty, bad_ioctl)
{
	struct vfio_device_info info = { .argsz = 4 };
	struct vfio_dev dev;

	vfio_mdev_open(self->uuid, &dev);
	EXPECT_EQ(-1, ioctl(dev.fd, VFIO_DEVICE_GET_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(dev.fd, _IO(';', 200)));
	EXPECT_EQ(ENOTTY, errno);
	vfio_dev_close(&dev);
}

TEST(mtty_sysfs_bad_input)
{
	char uuid[UUID_STR_LEN];

	if (!path_exists("/sys/class/mdev_bus/" MTTY_PARENT))
		SKIP(return, "the mtty module is not loaded");

	EXPECT_EQ(-EINVAL, __mdev_create(MTTY_PARENT, "mtty-1", "not-a-uuid"));

	mdev_create(MTTY_PARENT, "mtty-1", uuid);
	EXPECT_EQ(-EEXIST, __mdev_create(MTTY_PARENT, "mtty-1", uuid));
	mdev_remove(uuid);
	EXPECT_EQ(-ENOENT, __mdev_remove(uuid));
}

TEST_HARNESS_MAIN
