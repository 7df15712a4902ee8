// SPDX-License-Identifier: GPL-2.0
/*
 * mtty: bad input to every ioctl the driver handles gets a clean errno,
 * and a rejected call changes nothing. (Region bounds are tested with
 * the registers in mtty_uart_test, sysfs input in mtty_test.)
 */
#include <fcntl.h>

#include "kselftest_harness.h"
#include "mtty_util.h"

FIXTURE(neg) {
	char uuid[UUID_STR_LEN];
	struct mtty m;
	int fd;
};

FIXTURE_VARIANT(neg) {
	const char *type;
};

FIXTURE_VARIANT_ADD(neg, one_port) {
	.type = "mtty-1",
};

FIXTURE_VARIANT_ADD(neg, two_ports) {
	.type = "mtty-2",
};

FIXTURE_SETUP(neg)
{
	if (!path_exists(MTTY_SYSFS))
		SKIP(return, "the mtty module is not loaded");
	mdev_create(MTTY_PARENT, variant->type, self->uuid);
	mtty_open(self->uuid, &self->m);
	self->fd = self->m.dev.fd;
}

/*
 * In the parent, after the test process has exited and so closed every
 * fd it had: removing a device that is still open would wait forever.
 */
FIXTURE_TEARDOWN_PARENT(neg)
{
	if (!self->uuid[0])
		return;
	__mdev_remove(self->uuid);
}

/* ioctl() result as 0 or -errno. */
static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

TEST_F(neg, get_info)
{
	struct vfio_device_info info;

	memset(&info, 0, sizeof(info));
	info.argsz = offsetof(struct vfio_device_info, num_irqs);
	EXPECT_EQ(-EINVAL, xioctl(self->fd, VFIO_DEVICE_GET_INFO, &info));
	info.argsz = 0;
	EXPECT_EQ(-EINVAL, xioctl(self->fd, VFIO_DEVICE_GET_INFO, &info));
	EXPECT_EQ(-EFAULT, xioctl(self->fd, VFIO_DEVICE_GET_INFO, NULL));
	EXPECT_EQ(-EFAULT, xioctl(self->fd, VFIO_DEVICE_GET_INFO,
				  (void *)8));
	/* A larger argsz is fine: the kernel fills what it knows. */
	info.argsz = sizeof(info) + 64;
	EXPECT_EQ(0, xioctl(self->fd, VFIO_DEVICE_GET_INFO, &info));
}

TEST_F(neg, get_region_info)
{
	struct vfio_region_info info;

	memset(&info, 0, sizeof(info));
	info.argsz = sizeof(info);
	info.index = VFIO_PCI_NUM_REGIONS;
	EXPECT_EQ(-EINVAL, xioctl(self->fd, VFIO_DEVICE_GET_REGION_INFO,
				  &info));
	info.index = 0xffffffff;
	EXPECT_EQ(-EINVAL, xioctl(self->fd, VFIO_DEVICE_GET_REGION_INFO,
				  &info));
	info.index = 0;
	info.argsz = offsetof(struct vfio_region_info, offset);
	EXPECT_EQ(-EINVAL, xioctl(self->fd, VFIO_DEVICE_GET_REGION_INFO,
				  &info));
	EXPECT_EQ(-EFAULT, xioctl(self->fd, VFIO_DEVICE_GET_REGION_INFO,
				  NULL));
}

TEST_F(neg, get_irq_info)
{
	struct vfio_irq_info info;

	memset(&info, 0, sizeof(info));
	info.argsz = sizeof(info);
	info.index = VFIO_PCI_NUM_IRQS;
	EXPECT_EQ(-EINVAL, xioctl(self->fd, VFIO_DEVICE_GET_IRQ_INFO, &info));
	info.index = 0x80000000;
	EXPECT_EQ(-EINVAL, xioctl(self->fd, VFIO_DEVICE_GET_IRQ_INFO, &info));
	info.index = 0;
	info.argsz = offsetof(struct vfio_irq_info, count);
	EXPECT_EQ(-EINVAL, xioctl(self->fd, VFIO_DEVICE_GET_IRQ_INFO, &info));
	EXPECT_EQ(-EFAULT, xioctl(self->fd, VFIO_DEVICE_GET_IRQ_INFO, NULL));
}

/* Every malformed SET_IRQS is refused, and leaves no trigger behind. */
TEST_F(neg, set_irqs)
{
	const __u32 trig = VFIO_IRQ_SET_ACTION_TRIGGER;
	const __u32 efdt = VFIO_IRQ_SET_DATA_EVENTFD | trig;
	int fd = self->fd, efd = mtty_eventfd(), notfd = open("/", O_RDONLY);
	__s32 fds[2] = { efd, efd }, bad = -2, nefd = notfd;
	struct vfio_irq_set set;

	/* index, start, count */
	EXPECT_EQ(-EINVAL, mtty_set_irqs(fd, efdt, VFIO_PCI_NUM_IRQS, 0, 1,
					 &efd, 4));
	EXPECT_EQ(-EINVAL, mtty_set_irqs(fd, efdt, VFIO_PCI_INTX_IRQ_INDEX,
					 1, 1, &efd, 4));
	EXPECT_EQ(-EINVAL, mtty_set_irqs(fd, efdt, VFIO_PCI_MSI_IRQ_INDEX,
					 0, 2, fds, 8));
	EXPECT_EQ(-EINVAL, mtty_set_irqs(fd, efdt, VFIO_PCI_INTX_IRQ_INDEX,
					 0xffffffff, 2, fds, 8));
	EXPECT_EQ(-EINVAL, mtty_set_irqs(fd, efdt, VFIO_PCI_MSIX_IRQ_INDEX,
					 0, 1, &efd, 4));
	EXPECT_EQ(-EINVAL, mtty_set_irqs(fd, efdt, VFIO_PCI_ERR_IRQ_INDEX,
					 0, 1, &efd, 4));

	/* flags: none, two actions, two data types, unknown bits */
	EXPECT_EQ(-EINVAL, mtty_set_irqs(fd, VFIO_IRQ_SET_DATA_NONE,
					 VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL,
					 0));
	EXPECT_EQ(-EINVAL, mtty_set_irqs(fd, VFIO_IRQ_SET_DATA_NONE |
					 VFIO_IRQ_SET_ACTION_MASK |
					 VFIO_IRQ_SET_ACTION_UNMASK,
					 VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL,
					 0));
	EXPECT_EQ(-EINVAL, mtty_set_irqs(fd, VFIO_IRQ_SET_DATA_NONE |
					 VFIO_IRQ_SET_DATA_BOOL | trig,
					 VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &efd,
					 4));
	EXPECT_EQ(-EINVAL, mtty_set_irqs(fd, efdt | 0x100,
					 VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &efd,
					 4));

	/* argsz too small for the header, or for the data */
	memset(&set, 0, sizeof(set));
	set.argsz = offsetof(struct vfio_irq_set, count);
	set.flags = VFIO_IRQ_SET_DATA_NONE | trig;
	EXPECT_EQ(-EINVAL, xioctl(fd, VFIO_DEVICE_SET_IRQS, &set));
	set.argsz = sizeof(set);
	set.flags = efdt;
	set.count = 1;
	EXPECT_EQ(-EINVAL, xioctl(fd, VFIO_DEVICE_SET_IRQS, &set));
	EXPECT_EQ(-EFAULT, xioctl(fd, VFIO_DEVICE_SET_IRQS, NULL));

	/* fds: below -1, not an eventfd, not open */
	EXPECT_EQ(-EINVAL, mtty_set_irqs(fd, efdt, VFIO_PCI_INTX_IRQ_INDEX,
					 0, 1, &bad, 4));
	EXPECT_EQ(-EINVAL, mtty_set_irqs(fd, efdt, VFIO_PCI_INTX_IRQ_INDEX,
					 0, 1, &nefd, 4));
	bad = 100000;
	EXPECT_EQ(-EBADF, mtty_set_irqs(fd, efdt, VFIO_PCI_REQ_IRQ_INDEX,
					0, 1, &bad, 4));

	/* count 0 tears down only with DATA_NONE */
	EXPECT_EQ(-EINVAL, mtty_set_irqs(fd, efdt, VFIO_PCI_INTX_IRQ_INDEX,
					 0, 0, NULL, 0));

	/* mask/unmask: INTx only, enabled only, no eventfd form */
	EXPECT_EQ(-EINVAL, __vfio_irq_action(fd, VFIO_PCI_INTX_IRQ_INDEX, 0,
					     VFIO_IRQ_SET_ACTION_MASK));
	EXPECT_EQ(-EINVAL, __vfio_irq_action(fd, VFIO_PCI_REQ_IRQ_INDEX, 0,
					     VFIO_IRQ_SET_ACTION_UNMASK));
	ASSERT_EQ(0, __vfio_irq_set_eventfd(fd, VFIO_PCI_INTX_IRQ_INDEX, 0,
					    efd));
	EXPECT_EQ(-EINVAL, mtty_set_irqs(fd, VFIO_IRQ_SET_DATA_EVENTFD |
					 VFIO_IRQ_SET_ACTION_UNMASK,
					 VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &efd,
					 4));
	EXPECT_EQ(-EINVAL, mtty_set_irqs(fd, VFIO_IRQ_SET_DATA_NONE |
					 VFIO_IRQ_SET_ACTION_MASK,
					 VFIO_PCI_INTX_IRQ_INDEX, 0, 0, NULL,
					 0));
	/* MSI while INTx is wired */
	EXPECT_EQ(-EINVAL, mtty_set_irqs(fd, efdt, VFIO_PCI_MSI_IRQ_INDEX,
					 0, 1, &efd, 4));
	ASSERT_EQ(0, __vfio_irq_set_eventfd(fd, VFIO_PCI_INTX_IRQ_INDEX, 0,
					    -1));

	/* Nothing of the above left a trigger. */
	EXPECT_EQ(0, mtty_debugfs(self->uuid, "eventfds"));
	close(notfd);
	close(efd);
}

TEST_F(neg, reset_and_unknown)
{
	/* RESET takes no argument; any value is ignored. */
	EXPECT_EQ(0, xioctl(self->fd, VFIO_DEVICE_RESET, (void *)1));
	EXPECT_EQ(-ENOTTY, xioctl(self->fd, VFIO_DEVICE_PCI_HOT_RESET, NULL));
	EXPECT_EQ(-ENOTTY, xioctl(self->fd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO,
				  NULL));
	EXPECT_EQ(-ENOTTY, xioctl(self->fd, VFIO_DEVICE_IOEVENTFD, NULL));
	EXPECT_EQ(-ENOTTY, xioctl(self->fd, _IO(VFIO_TYPE, VFIO_BASE + 63),
				  NULL));
	EXPECT_EQ(-ENOTTY, xioctl(self->fd, _IO(';', 200), NULL));
}

/* The feature ioctl: the core parses it, the driver answers for migration. */
TEST_F(neg, device_feature)
{
	char buf[sizeof(struct vfio_device_feature) + 16];
	struct vfio_device_feature *feat = (void *)buf;

	memset(buf, 0, sizeof(buf));
	feat->argsz = sizeof(*feat) + 4;	/* too small for mig state */
	feat->flags = VFIO_DEVICE_FEATURE_SET |
		      VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE;
	EXPECT_EQ(-EINVAL, xioctl(self->fd, VFIO_DEVICE_FEATURE, feat));
	feat->argsz = sizeof(buf);
	feat->flags = VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_MIGRATION;
	EXPECT_EQ(-EINVAL, xioctl(self->fd, VFIO_DEVICE_FEATURE, feat));
	feat->flags = VFIO_DEVICE_FEATURE_GET | 0xfff0;
	EXPECT_EQ(-ENOTTY, xioctl(self->fd, VFIO_DEVICE_FEATURE, feat));
	feat->flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET |
		      VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE;
	EXPECT_EQ(-EINVAL, xioctl(self->fd, VFIO_DEVICE_FEATURE, feat));
	feat->flags = 0x80000000 | VFIO_DEVICE_FEATURE_MIGRATION;
	EXPECT_EQ(-EINVAL, xioctl(self->fd, VFIO_DEVICE_FEATURE, feat));
}

/* The PRE_COPY info ioctl on a saving fd, outside PRE_COPY. */
TEST_F(neg, precopy_info)
{
	char buf[sizeof(struct vfio_device_feature) +
		 sizeof(struct vfio_device_feature_mig_state)];
	struct vfio_device_feature *feat = (void *)buf;
	struct vfio_device_feature_mig_state *mig = (void *)feat->data;
	struct vfio_precopy_info info = { .argsz = 4 };

	memset(buf, 0, sizeof(buf));
	feat->argsz = sizeof(buf);
	feat->flags = VFIO_DEVICE_FEATURE_SET |
		      VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE;
	mig->device_state = VFIO_DEVICE_STATE_STOP_COPY;
	ASSERT_EQ(0, xioctl(self->fd, VFIO_DEVICE_FEATURE, feat));

	EXPECT_EQ(-EINVAL, xioctl(mig->data_fd, VFIO_MIG_GET_PRECOPY_INFO,
				  &info));
	info.argsz = sizeof(info);
	EXPECT_EQ(-EINVAL, xioctl(mig->data_fd, VFIO_MIG_GET_PRECOPY_INFO,
				  &info));	/* not in PRE_COPY */
	EXPECT_EQ(-EFAULT, xioctl(mig->data_fd, VFIO_MIG_GET_PRECOPY_INFO,
				  NULL));
	close(mig->data_fd);
}

TEST_HARNESS_MAIN
