// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation failure sweeps with fail_nth, on every loaded mdev parent (its
 * first type: the types of one parent share their code paths, and each step
 * of a sweep under TCG with KASAN takes a tenth of a second or more). For the create path
 * (the sysfs create write, which probes the driver) and the open paths
 * (VFIO_GROUP_GET_DEVICE_FD, and on kernels with the VFIO cdev
 * VFIO_DEVICE_BIND_IOMMUFD) the sweep fails the 1st, 2nd, ... slab
 * allocation of the operation until it completes without an injected
 * failure. Each failure must give a clean errno and leave nothing behind
 * (no device, an open balanced by a close), and the device must work
 * afterwards. Leaks show at the runner's final kmemleak scan, kernel reports
 * in its log scan. Needs fault injection: other kernels skip.
 *
 * fail_nth counts the allocations of one task, so the parents' sweeps can
 * run side by side in child processes: FAIL_NTH_JOBS at a time (default 1:
 * the test VM runs its vCPUs on one TCG thread, where side by side gains
 * nothing). What only a quiet system can show (an IOMMU group or a
 * vfio_device left behind: see iommu_group_count()) is checked around all
 * the sweeps, and after each step as well when a sweep runs alone, which
 * names the step that leaked.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

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
};

FIXTURE_SETUP(fail_nth)
{
	if (!fail_nth_available())
		SKIP(return, "this kernel has no fail_nth fault injection");
	/* One type per parent. */
	self->ntypes = mdev_list_parents(self->types, MDEV_TYPES_MAX);
	if (!self->ntypes)
		SKIP(return, "no mdev parent is loaded");
	fail_nth_begin();
	if (__fail_nth_skip_function(SWEEP_SKIP_FUNCTION))
		TH_LOG("cannot step over %s: a sweep may hit its bug",
		       SWEEP_SKIP_FUNCTION);
}

FIXTURE_TEARDOWN(fail_nth)
{
	fail_nth_end();
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

/* A sweep's finding, as a KTAP diagnostic line; returns 1 to count it. */
static int __printf(2, 3)
finding(const struct mdev_type_id *t, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("# %s/%s: %s\n", t->parent, t->type, msg);
	fflush(stdout);
	return 1;
}

/*
 * Every device has an IOMMU group (emulated for mdevs): a create that
 * failed or was removed must give its group back, which also shows that the
 * vfio_device itself was released (kmemleak cannot see that leak: the
 * core's device set still points at it). The count means something only
 * while nothing else creates or removes devices.
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

/*
 * One parent's sweep, in a child process of its own. @alone: no other
 * sweep runs, so global counts may be checked after each step. Returns the
 * number of findings.
 */
typedef int (*sweep_fn_t)(const struct mdev_type_id *t, bool alone);

/* FAIL_NTH_JOBS (e.g. the CPU count on a host with sanitizers), or 1. */
static int sweep_jobs(void)
{
	const char *env = getenv("FAIL_NTH_JOBS");
	long n = env && *env ? atol(env) : 1;

	return n < 1 ? 1 : n;
}

/*
 * Run @fn on each of the @n types, each in a child process, at most
 * sweep_jobs() at a time. Returns how many sweeps had findings or died.
 */
static int run_sweeps(const struct mdev_type_id *types, int n, sweep_fn_t fn)
{
	int i, status, running = 0, bad = 0, jobs = sweep_jobs();
	bool alone = jobs == 1 || n == 1;
	pid_t pid;

	fflush(stdout);
	for (i = 0; i < n; i++) {
		if (running == jobs) {
			if (wait(&status) < 0)
				return bad + 1;
			bad += !WIFEXITED(status) || WEXITSTATUS(status);
			running--;
		}
		pid = fork();
		if (pid < 0)
			return bad + 1;
		if (!pid) {
			/* fail-nth is per task: the parent's file is not ours. */
			if (__fail_nth_reopen())
				_exit(2);
			_exit(fn(&types[i], alone) ? 1 : 0);
		}
		running++;
	}
	while (running--) {
		if (wait(&status) < 0)
			return bad + 1;
		bad += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	return bad;
}

/* A device whose create absorbed failed allocation @n opens and closes. */
static int open_absorbed(const struct mdev_type_id *t, const char *path, int n)
{
	struct vfio_dev vd;
	int ret = __vfio_dev_open(path, &vd);

	if (ret)
		return finding(t, "allocation %d: the create absorbed it; the first open: %s",
			       n, strerror(-ret));
	vfio_dev_close(&vd);
	return 0;
}

static int sweep_create(const struct mdev_type_id *t, bool alone)
{
	char uuid[UUID_STR_LEN], path[PATH_MAX], drv[PATH_MAX + 8];
	int n, ret, done, failures = 0, bad = 0;
	int groups = alone ? iommu_group_count() : 0;

	for (n = 1, done = 0; !done && n < SWEEP_MAX; n++) {
		uuid_generate_random_str(uuid);
		mdev_path(path, sizeof(path), uuid);
		fail_nth_arm(n);
		ret = __mdev_create(t->parent, t->type, uuid);
		done = !fail_nth_disarm();
		if (ret) {
			/* Only an injected failure may fail it. */
			if (done)
				return bad + finding(t, "create failed, nothing injected: %s",
						     strerror(-ret));
			if (!clean_errno(-ret))
				bad += finding(t, "allocation %d: %s", n, strerror(-ret));
			if (path_exists(path)) {
				bad += finding(t, "allocation %d: device left behind", n);
				__mdev_remove(uuid);
			}
			if (alone && groups != iommu_group_count())
				bad += finding(t, "allocation %d: IOMMU group left behind", n);
			failures++;
			continue;
		}
		/*
		 * Created: the failure, if any, was absorbed (most are
		 * kmemleak's own metadata). The driver must be bound; a full
		 * open per step would double the sweep, so the device is
		 * opened once after it, and at a step only when a failure was
		 * absorbed: a create that ignored one (the core ignores a
		 * failed allocation of the set it makes for a driver that
		 * asked for none) can leave a device that fails its first open.
		 */
		snprintf(drv, sizeof(drv), "%s/driver", path);
		if (!path_exists(drv))
			bad += finding(t, "allocation %d: created but unbound", n);
		else if (!done)
			bad += open_absorbed(t, path, n);
		ret = __mdev_remove(uuid);
		if (ret)
			return bad + finding(t, "allocation %d: remove: %s", n, strerror(-ret));
		if (alone && groups != iommu_group_count())
			bad += finding(t, "allocation %d: IOMMU group left behind", n);
	}
	if (!done)
		bad += finding(t, "create: the sweep did not end");
	printf("# %s/%s: create: %d allocations, %d failed the create\n",
	       t->parent, t->type, n - 1, failures);
	return bad;
}

/*
 * The create sweeps. Around them, with nothing else running: each type
 * still creates a working device, every IOMMU group came back, and each
 * new device gets the vfioN it got before. Each vfio_device holds a cdev
 * index (vfioN) from an IDA that hands out the lowest free one, so a failed
 * create that leaked its vfio_device shows as a higher N (kmemleak cannot
 * see that leak: the core's device set still points at the device).
 */
TEST_F_TIMEOUT(fail_nth, create, 900)
{
	char uuid[MDEV_TYPES_MAX][UUID_STR_LEN], path[PATH_MAX];
	char cdev[2][MDEV_TYPES_MAX][64];
	int i, round, ret, groups;

	groups = iommu_group_count();
	for (round = 0; round < 2; round++) {
		if (round)
			ASSERT_EQ(0, run_sweeps(self->types, self->ntypes, sweep_create));
		for (i = 0; i < self->ntypes; i++) {
			mdev_create(self->types[i].parent, self->types[i].type, uuid[i]);
			mdev_path(path, sizeof(path), uuid[i]);
			cdev[round][i][0] = '\0';
			__vfio_cdev_path(path, cdev[round][i], sizeof(cdev[round][i]));
		}
		for (i = 0; i < self->ntypes; i++) {
			ret = device_works(uuid[i]);
			EXPECT_EQ(0, ret) {
				TH_LOG("%s/%s: unusable: %s", self->types[i].parent,
				       self->types[i].type, strerror(-ret));
			}
			EXPECT_STREQ(cdev[0][i], cdev[round][i]) {
				TH_LOG("%s/%s: a failed create leaked its vfio_device",
				       self->types[i].parent, self->types[i].type);
			}
		}
		for (i = self->ntypes - 1; i >= 0; i--)
			mdev_remove(uuid[i]);
		EXPECT_EQ(groups, iommu_group_count()) {
			TH_LOG("a failed create left an IOMMU group behind");
			TH_LOG("FAIL_NTH_JOBS=1 checks after each step: it names which");
		}
	}
}

/*
 * An open path of one device. Opens the device with fault injection armed
 * around the step under test only; returns 0 or -errno, and in *injected
 * whether the armed failure happened.
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

/* The module of a device's driver, from sysfs; "" when unknown. */
static void driver_module(const char *uuid, char *mod, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	mod[0] = '\0';
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/driver/module", uuid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		snprintf(mod, len, "%s", strrchr(link, '/') + 1);
	}
}

/*
 * Whatever happened, every open_device was closed: the driver's counters
 * balance, where it has them. Without them, the driver module's reference
 * count stands in (the core holds one per open device), when sweeps run
 * one at a time. Returns 1 to count a finding.
 */
static int open_balance(const struct mdev_type_id *t, const char *uuid,
			const char *mod, long refcnt, const char *what, int n,
			bool alone)
{
	long opens, closes, now;
	char path[PATH_MAX];

	if (!__dev_counter(uuid, "open_count", &opens) &&
	    !__dev_counter(uuid, "close_count", &closes)) {
		if (opens == closes)
			return 0;
		return finding(t, "%s: allocation %d: %ld opens, %ld closes", what, n,
			       opens, closes);
	}
	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", mod);
	if (!alone || !mod[0] || __sysfs_read_long(path, &now) || now == refcnt)
		return 0;
	return finding(t, "%s: allocation %d: module %s refcnt %ld, was %ld", what, n,
		       mod, now, refcnt);
}

/* Per-device counters only: open sweeps may run side by side. */
static int sweep_open(const struct mdev_type_id *t, open_fn_t open_fn,
		      const char *what, bool alone)
{
	int n, ret, injected, done, failures = 0, bad = 0;
	char uuid[UUID_STR_LEN], mod[64], path[PATH_MAX];
	long refcnt = -1, opens;

	mdev_create(t->parent, t->type, uuid);
	driver_module(uuid, mod, sizeof(mod));
	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", mod);
	if (!mod[0] || __sysfs_read_long(path, &refcnt))
		refcnt = -1;
	if (__dev_counter(uuid, "open_count", &opens))
		printf("# %s/%s: %s: no open_count/close_count: %s\n", t->parent, t->type,
		       what, alone && refcnt >= 0 ? "the module refcount stands in" :
		       "SKIP the open/close balance (sweeps side by side)");
	for (n = 1, done = 0; !done && n < SWEEP_MAX; n++) {
		ret = open_fn(uuid, n, &injected);
		if (ret == -EIO) {
			bad += finding(t, "%s: allocation %d: cannot set up", what, n);
			break;
		}
		done = !injected;
		if (ret) {
			if (!injected) {
				bad += finding(t, "%s failed with no injected failure: %s",
					       what, strerror(-ret));
				break;
			}
			if (!clean_errno(-ret))
				bad += finding(t, "%s: allocation %d: %s", what, n,
					       strerror(-ret));
			failures++;
		}
		bad += open_balance(t, uuid, mod, refcnt, what, n, alone);
	}
	if (!done)
		bad += finding(t, "%s: the sweep did not end", what);
	ret = device_works(uuid);
	if (ret)
		bad += finding(t, "%s: unusable after the sweep: %s", what,
			       strerror(-ret));
	printf("# %s/%s: %s: %d allocations, %d failed the open\n",
	       t->parent, t->type, what, n - 1, failures);
	mdev_remove(uuid);
	return bad;
}

static int sweep_open_group(const struct mdev_type_id *t, bool alone)
{
	return sweep_open(t, open_group, "group open", alone);
}

static int sweep_open_cdev(const struct mdev_type_id *t, bool alone)
{
	return sweep_open(t, open_cdev, "cdev bind", alone);
}

TEST_F_TIMEOUT(fail_nth, open_group, 300)
{
	ASSERT_EQ(0, run_sweeps(self->types, self->ntypes, sweep_open_group));
}

TEST_F_TIMEOUT(fail_nth, open_cdev, 300)
{
	if (!path_exists("/sys/class/vfio-dev"))
		SKIP(return, "this kernel has no VFIO device cdev");
	ASSERT_EQ(0, run_sweeps(self->types, self->ntypes, sweep_open_cdev));
}

TEST_HARNESS_MAIN
