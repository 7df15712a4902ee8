// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation failure sweeps with fail_nth, on every loaded mdev parent (its
 * first type: the types of one parent share their code paths, and a sweep
 * under TCG with KASAN takes a second per allocation). For the create path
 * (the sysfs create write, which probes the driver) and the open paths
 * (VFIO_GROUP_GET_DEVICE_FD, and on kernels with the VFIO cdev
 * VFIO_DEVICE_BIND_IOMMUFD) the sweep fails the 1st, 2nd, ... slab
 * allocation of the operation until it completes without an injected
 * failure. Each failure must give a clean errno and leave nothing behind
 * (no device, an open balanced by a close), and the device must work
 * afterwards. Leaks show at the runner's final kmemleak scan, kernel reports
 * in its log scan. Needs fault injection: other kernels skip.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "vfio_lib.h"
#include "vfio_cdev.h"
#include "mdev_types.h"
#include "fail_nth.h"

/* Far above any path's allocation count: a sweep that gets here is stuck. */
#define SWEEP_MAX	5000

/*
 * An upstream function whose error path is broken whatever the driver does;
 * the sweeps step over its allocations (failslab's stack filter).
 *
 * vfio_create_group() (7.2): when dev_set_name() or cdev_device_add() fails
 * it puts the group device with group->iommu_group still set, so
 * vfio_group_release() WARNs (group.c:510) and the iommu_group reference
 * taken in vfio_group_alloc() is never put.
 */
#define SWEEP_SKIP_FUNCTION	"vfio_create_group"

FIXTURE(fail_nth) {
	struct mdev_type_id types[MDEV_TYPES_MAX];
	int ntypes;
	char uuid[UUID_STR_LEN];
};

/*
 * One parent per variant, by its place in name order, so that each sweep
 * has its own timeout; variants past the loaded parents skip.
 */
FIXTURE_VARIANT(fail_nth) {
	int parent;
};

FIXTURE_VARIANT_ADD(fail_nth, parent0) { .parent = 0 };
FIXTURE_VARIANT_ADD(fail_nth, parent1) { .parent = 1 };
FIXTURE_VARIANT_ADD(fail_nth, parent2) { .parent = 2 };
FIXTURE_VARIANT_ADD(fail_nth, parent3) { .parent = 3 };

FIXTURE_SETUP(fail_nth)
{
	self->uuid[0] = '\0';
	if (!fail_nth_available())
		SKIP(return, "this kernel has no fail_nth fault injection");
	self->ntypes = mdev_list_parents(self->types, MDEV_TYPES_MAX);
	if (variant->parent >= self->ntypes)
		SKIP(return, "fewer mdev parents are loaded");
	/* The tests below sweep this one parent. */
	self->types[0] = self->types[variant->parent];
	self->ntypes = 1;
	fail_nth_begin();
	if (__fail_nth_skip_function(SWEEP_SKIP_FUNCTION))
		TH_LOG("cannot step over %s: a sweep may hit its bug",
		       SWEEP_SKIP_FUNCTION);
}

FIXTURE_TEARDOWN(fail_nth)
{
	fail_nth_end();
	if (self->uuid[0])
		__mdev_remove(self->uuid);
}

/* A failed operation's errno must be one a caller can act on. */
static int clean_errno(int err)
{
	return err == ENOMEM || err == ENOSPC || err == EAGAIN;
}

static void mdev_path(char *path, size_t len, const char *uuid)
{
	snprintf(path, len, "/sys/bus/mdev/devices/%s", uuid);
}

/*
 * Every device has an IOMMU group (emulated for mdevs): a create that
 * failed or was removed must give its group back, which also shows that the
 * vfio_device itself was released (kmemleak cannot see that leak: the
 * core's device set still points at it).
 */
static int iommu_group_count(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir("/sys/kernel/iommu_groups");
	if (!d)
		return -errno;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* The device works: it opens, answers an ioctl and closes. 0 or -errno. */
static int device_works(const char *uuid)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_dev dev;
	int ret;

	ret = __vfio_mdev_open(uuid, &dev);
	if (ret)
		return ret;
	ret = ioctl(dev.fd, VFIO_DEVICE_GET_INFO, &info) ? -errno : 0;
	vfio_dev_close(&dev);
	return ret;
}

TEST_F_TIMEOUT(fail_nth, create, 500)
{
	char path[PATH_MAX], drv[PATH_MAX + 8];
	char cdev_before[64], cdev_after[64];
	int i, n, ret, done, groups;

	for (i = 0; i < self->ntypes; i++) {
		const struct mdev_type_id *t = &self->types[i];
		int failures = 0;

		groups = iommu_group_count();
		/*
		 * Each vfio_device holds a cdev index (vfioN) from an IDA that
		 * hands out the lowest free one: if a failed create leaked its
		 * vfio_device, a device created after the sweep gets a higher
		 * N. (kmemleak cannot see that leak: the core's device set
		 * still points at the device.)
		 */
		mdev_create(t->parent, t->type, self->uuid);
		mdev_path(path, sizeof(path), self->uuid);
		cdev_before[0] = '\0';
		__vfio_cdev_path(path, cdev_before, sizeof(cdev_before));
		mdev_remove(self->uuid);

		for (n = 1, done = 0; !done && n < SWEEP_MAX; n++) {
			uuid_generate_random_str(self->uuid);
			mdev_path(path, sizeof(path), self->uuid);
			fail_nth_arm(n);
			ret = __mdev_create(t->parent, t->type, self->uuid);
			done = !fail_nth_disarm();
			if (ret) {
				/* Only an injected failure may fail it. */
				ASSERT_FALSE(done);
				EXPECT_TRUE(clean_errno(-ret)) {
					TH_LOG("%s/%s: allocation %d: %s", t->parent,
					       t->type, n, strerror(-ret));
				}
				EXPECT_FALSE(path_exists(path)) {
					TH_LOG("%s/%s: allocation %d: device left behind",
					       t->parent, t->type, n);
				}
				EXPECT_EQ(groups, iommu_group_count()) {
					TH_LOG("%s/%s: allocation %d: IOMMU group left behind",
					       t->parent, t->type, n);
				}
				failures++;
				self->uuid[0] = '\0';
				continue;
			}
			/*
			 * Created: the failure, if any, was absorbed (most are
			 * kmemleak's own metadata). The driver must be bound;
			 * a full open per step would double the sweep, so the
			 * device is opened once after it.
			 */
			snprintf(drv, sizeof(drv), "%s/driver", path);
			EXPECT_TRUE(path_exists(drv)) {
				TH_LOG("%s/%s: allocation %d: created but unbound",
				       t->parent, t->type, n);
			}
			mdev_remove(self->uuid);
			self->uuid[0] = '\0';
			EXPECT_EQ(groups, iommu_group_count());
		}
		ASSERT_TRUE(done);
		printf("# %s/%s: create: %d allocations, %d failed the create\n",
		       t->parent, t->type, n - 1, failures);

		/* After the sweep, the type still creates a working device. */
		mdev_create(t->parent, t->type, self->uuid);
		mdev_path(path, sizeof(path), self->uuid);
		cdev_after[0] = '\0';
		__vfio_cdev_path(path, cdev_after, sizeof(cdev_after));
		EXPECT_STREQ(cdev_before, cdev_after) {
			TH_LOG("%s/%s: a failed create leaked its vfio_device",
			       t->parent, t->type);
		}
		ret = device_works(self->uuid);
		EXPECT_EQ(0, ret) {
			TH_LOG("%s/%s: unusable after the sweep: %s", t->parent,
			       t->type, strerror(-ret));
		}
		mdev_remove(self->uuid);
		self->uuid[0] = '\0';
	}
}

/*
 * Sweep one open path of a device of every type. @open_fn opens the device
 * with fault injection armed around the step under test only; it returns
 * 0, or -errno, and in *injected whether the armed failure happened.
 */
typedef int (*open_fn_t)(const char *uuid, int n, int *injected);

static int open_group(const char *uuid, int n, int *injected)
{
	struct vfio_dev dev;
	int fd;

	/* Container and group unarmed: the step under test is the open. */
	if (__vfio_mdev_open(uuid, &dev))
		return -EIO;
	close(dev.fd);
	fail_nth_arm(n);
	fd = ioctl(dev.group, VFIO_GROUP_GET_DEVICE_FD, dev.name);
	fd = fd < 0 ? -errno : fd;
	*injected = fail_nth_disarm();
	dev.fd = fd < 0 ? -1 : fd;
	vfio_dev_close(&dev);
	return fd < 0 ? fd : 0;
}

static int open_cdev(const char *uuid, int n, int *injected)
{
	char path[PATH_MAX];
	int fd, iommufd, ret;

	mdev_path(path, sizeof(path), uuid);
	fd = __vfio_cdev_open(path);
	if (fd < 0)
		return -EIO;
	iommufd = __iommufd_open();
	if (iommufd < 0) {
		close(fd);
		return -EIO;
	}
	fail_nth_arm(n);
	ret = __vfio_cdev_bind(fd, iommufd);
	*injected = fail_nth_disarm();
	close(fd);
	close(iommufd);
	return ret;
}

static void sweep_open(struct __test_metadata *_metadata,
		       struct _test_data_fail_nth *self, open_fn_t open_fn,
		       const char *what)
{
	int i, n, ret, injected, done;
	long opens, closes;

	for (i = 0; i < self->ntypes; i++) {
		const struct mdev_type_id *t = &self->types[i];
		int failures = 0;

		mdev_create(t->parent, t->type, self->uuid);
		for (n = 1, done = 0; !done && n < SWEEP_MAX; n++) {
			ret = open_fn(self->uuid, n, &injected);
			ASSERT_NE(-EIO, ret);
			done = !injected;
			if (ret) {
				ASSERT_TRUE(injected);
				EXPECT_TRUE(clean_errno(-ret)) {
					TH_LOG("%s/%s: %s: allocation %d: %s",
					       t->parent, t->type, what, n,
					       strerror(-ret));
				}
				failures++;
			}
			/* Whatever happened, every open_device was closed. */
			opens = dev_counter(self->uuid, "open_count");
			closes = dev_counter(self->uuid, "close_count");
			EXPECT_EQ(opens, closes) {
				TH_LOG("%s/%s: %s: allocation %d: %ld opens, %ld closes",
				       t->parent, t->type, what, n, opens,
				       closes);
			}
		}
		ASSERT_TRUE(done);
		EXPECT_EQ(0, device_works(self->uuid));
		printf("# %s/%s: %s: %d allocations, %d failed the open\n",
		       t->parent, t->type, what, n - 1, failures);
		mdev_remove(self->uuid);
		self->uuid[0] = '\0';
	}
}

TEST_F_TIMEOUT(fail_nth, open_group, 300)
{
	sweep_open(_metadata, self, open_group, "group open");
}

TEST_F_TIMEOUT(fail_nth, open_cdev, 300)
{
	if (!path_exists("/sys/class/vfio-dev"))
		SKIP(return, "this kernel has no VFIO device cdev");
	sweep_open(_metadata, self, open_cdev, "cdev bind");
}

TEST_HARNESS_MAIN
