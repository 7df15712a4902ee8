// SPDX-License-Identifier: GPL-2.0
/*
 * What the selftests see of vfio_fsl_mc_stub, and the knobs they turn.
 * Only open_device(), close_device() and the request callback call in here,
 * never the read/write/ioctl paths.  Everything lives under
 * /sys/kernel/debug/fsl_mc_stub/ (the directory of the bus module):
 *
 *   DEVICE/open_count      successful open_device() calls
 *   DEVICE/close_count     close_device() calls
 *   DEVICE/open_failed     open_device() calls that failed
 *   DEVICE/request_count   request callbacks (the core asking it back)
 *   DEVICE/fail_open       rw: errno the next open_device() calls fail with
 *                          (0 = succeed), to test the unwind
 *   DEVICE/fire_irq        wo: raise this interrupt index of the object
 *   DEVICE/irqs            pool interrupts the object holds
 *   DEVICE/dev_set         the set's key (container name) and the hashed
 *                          address of the core's struct vfio_device_set
 *   DEVICE/set_open_count  the core's count of open fds in the device's set
 *                          (vfio_device_set_open_count(), under the set lock)
 *   sets/CONTAINER/        one per container, i.e. per device set as the
 *                          driver means it: open_count, close_count,
 *                          first_open (the set went from no open device to
 *                          one), last_close (back to none), open_running and
 *                          max_open_running (open_device() calls in progress
 *                          now, and the most ever at once), running and
 *                          max_running (the same for open_device() plus
 *                          close_device() calls).
 *                          Keyed by the container rather than by the core's
 *                          set, so that a container split over several sets
 *                          shows up as overlap here.
 *   open_running, max_open_running, running, max_running
 *                          the same over all sets; the max_ files are
 *                          writable, to reset them
 *   open_delay_ms          rw: open_device() and close_device() sleep this
 *                          long (0-5000), so tests can see them overlap
 *
 * The counters are atomics, not protected by the set lock: they must stay
 * right if the core ever failed to serialise, since that is what they test.
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "vfio_fsl_mc_stub.h"

#define FSL_MC_STUB_DBG_MAX_DELAY_MS	5000

/**
 * struct fsl_mc_stub_dbg_set - counters of one container's device set
 * @set_id: the container's struct device, the key the driver passes
 * @users: devices of the set that hold this, under fsl_mc_stub_dbg_lock
 * @node: in fsl_mc_stub_dbg_sets, under fsl_mc_stub_dbg_lock
 * @dir: sets/CONTAINER
 * @open_count: successful open_device() calls in the set
 * @close_count: close_device() calls in the set
 * @first_open: open_device() calls that opened the first device of the set
 * @last_close: close_device() calls that closed the last device of the set
 * @open_running: open_device() calls in progress
 * @max_open_running: the highest @open_running ever seen
 * @running: open_device() and close_device() calls in progress
 * @max_running: the highest @running ever seen
 */
struct fsl_mc_stub_dbg_set {
	void *set_id;
	unsigned int users;
	struct list_head node;
	struct dentry *dir;
	atomic_t open_count;
	atomic_t close_count;
	atomic_t first_open;
	atomic_t last_close;
	atomic_t open_running;
	atomic_t max_open_running;
	atomic_t running;
	atomic_t max_running;
};

/**
 * struct fsl_mc_stub_dbg - counters and knobs of one device
 * @dir: the device's directory
 * @set: the counters of its set
 * @open_count: successful open_device() calls
 * @close_count: close_device() calls
 * @open_failed: failed open_device() calls
 * @request_count: request callbacks
 * @fail_open: errno to fail open_device() with, 0 for none
 */
struct fsl_mc_stub_dbg {
	struct dentry *dir;
	struct fsl_mc_stub_dbg_set *set;
	atomic_t open_count;
	atomic_t close_count;
	atomic_t open_failed;
	atomic_t request_count;
	int fail_open;
};

/* Protects fsl_mc_stub_dbg_sets and the users count of each entry. */
static DEFINE_MUTEX(fsl_mc_stub_dbg_lock);
static LIST_HEAD(fsl_mc_stub_dbg_sets);
static struct dentry *fsl_mc_stub_dbg_sets_dir;
static struct fsl_mc_stub_dbg_set fsl_mc_stub_dbg_all;	/* over all sets */
static unsigned int fsl_mc_stub_dbg_delay_ms;

static const char * const fsl_mc_stub_dbg_files[] = {
	"open_delay_ms", "open_running", "max_open_running", "running",
	"max_running",
};

/* ---- counting ----------------------------------------------------------- */

static void fsl_mc_stub_dbg_raise_max(atomic_t *max, int val)
{
	int old = atomic_read(max);

	while (old < val && !atomic_try_cmpxchg(max, &old, val))
		;
}

static void fsl_mc_stub_dbg_count_enter(struct fsl_mc_stub_dbg_set *set,
					bool open)
{
	if (open)
		fsl_mc_stub_dbg_raise_max(&set->max_open_running,
					  atomic_inc_return(&set->open_running));
	fsl_mc_stub_dbg_raise_max(&set->max_running,
				  atomic_inc_return(&set->running));
}

static void fsl_mc_stub_dbg_count_exit(struct fsl_mc_stub_dbg_set *set,
				       bool open)
{
	if (open)
		atomic_dec(&set->open_running);
	atomic_dec(&set->running);
}

/* An open_device() (@open) or close_device() starts: count it, then wait. */
static void fsl_mc_stub_dbg_enter(struct fsl_mc_stub_dbg_set *set, bool open)
{
	unsigned int delay = READ_ONCE(fsl_mc_stub_dbg_delay_ms);

	fsl_mc_stub_dbg_count_enter(set, open);
	fsl_mc_stub_dbg_count_enter(&fsl_mc_stub_dbg_all, open);
	if (delay)
		msleep(delay);
}

static void fsl_mc_stub_dbg_exit(struct fsl_mc_stub_dbg_set *set, bool open)
{
	fsl_mc_stub_dbg_count_exit(&fsl_mc_stub_dbg_all, open);
	fsl_mc_stub_dbg_count_exit(set, open);
}

/**
 * fsl_mc_stub_dbg_open_begin() - open_device() starts
 * @fvdev: the device
 *
 * Context: device set lock held.
 * Return: 0, or the negative errno a test asked open_device() to fail with.
 */
int fsl_mc_stub_dbg_open_begin(struct fsl_mc_stub_vdev *fvdev)
{
	fsl_mc_stub_dbg_enter(fvdev->dbg->set, true);
	return -READ_ONCE(fvdev->dbg->fail_open);
}

/**
 * fsl_mc_stub_dbg_open_end() - open_device() ends
 * @fvdev: the device
 * @ret: what open_device() returns
 *
 * Context: device set lock held.
 */
void fsl_mc_stub_dbg_open_end(struct fsl_mc_stub_vdev *fvdev, int ret)
{
	struct fsl_mc_stub_dbg *dbg = fvdev->dbg;

	if (ret) {
		atomic_inc(&dbg->open_failed);
	} else {
		atomic_inc(&dbg->open_count);
		atomic_inc(&dbg->set->open_count);
		/* this device is counted already: 1 means no other is open */
		if (vfio_device_set_open_count(fvdev->vdev.dev_set) == 1)
			atomic_inc(&dbg->set->first_open);
	}
	fsl_mc_stub_dbg_exit(dbg->set, true);
}

/**
 * fsl_mc_stub_dbg_close_begin() - close_device() starts
 * @fvdev: the device
 *
 * Context: device set lock held.
 */
void fsl_mc_stub_dbg_close_begin(struct fsl_mc_stub_vdev *fvdev)
{
	fsl_mc_stub_dbg_enter(fvdev->dbg->set, false);
}

/**
 * fsl_mc_stub_dbg_close_end() - close_device() ends
 * @fvdev: the device
 *
 * Context: device set lock held.
 */
void fsl_mc_stub_dbg_close_end(struct fsl_mc_stub_vdev *fvdev)
{
	struct fsl_mc_stub_dbg *dbg = fvdev->dbg;

	atomic_inc(&dbg->close_count);
	atomic_inc(&dbg->set->close_count);
	/* the device being closed still counts as open */
	if (vfio_device_set_open_count(fvdev->vdev.dev_set) == 1)
		atomic_inc(&dbg->set->last_close);
	fsl_mc_stub_dbg_exit(dbg->set, false);
}

/**
 * fsl_mc_stub_dbg_request() - the core asked for the device back
 * @fvdev: the device
 */
void fsl_mc_stub_dbg_request(struct fsl_mc_stub_vdev *fvdev)
{
	atomic_inc(&fvdev->dbg->request_count);
}

/* ---- files -------------------------------------------------------------- */

static int fsl_mc_stub_dbg_fail_open_get(void *data, u64 *val)
{
	struct fsl_mc_stub_vdev *fvdev = data;

	*val = READ_ONCE(fvdev->dbg->fail_open);
	return 0;
}

static int fsl_mc_stub_dbg_fail_open_set(void *data, u64 val)
{
	struct fsl_mc_stub_vdev *fvdev = data;

	if (val > MAX_ERRNO)
		return -EINVAL;
	WRITE_ONCE(fvdev->dbg->fail_open, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(fsl_mc_stub_dbg_fail_open_fops,
			 fsl_mc_stub_dbg_fail_open_get,
			 fsl_mc_stub_dbg_fail_open_set, "%llu\n");

static int fsl_mc_stub_dbg_fire_irq_set(void *data, u64 val)
{
	struct fsl_mc_stub_vdev *fvdev = data;

	if (val >= fsl_mc_stub_vdev_irq_count(fvdev))
		return -EINVAL;
	return fsl_mc_stub_irq_raise(fvdev->obj, val);
}
DEFINE_DEBUGFS_ATTRIBUTE(fsl_mc_stub_dbg_fire_irq_fops, NULL,
			 fsl_mc_stub_dbg_fire_irq_set, "%llu\n");

static int fsl_mc_stub_dbg_irqs_show(struct seq_file *s, void *unused)
{
	struct fsl_mc_stub_vdev *fvdev = s->private;
	char buf[64];

	fsl_mc_stub_irq_describe(fvdev->obj, buf, sizeof(buf));
	seq_puts(s, buf);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fsl_mc_stub_dbg_irqs);

static int fsl_mc_stub_dbg_dev_set_show(struct seq_file *s, void *unused)
{
	struct fsl_mc_stub_vdev *fvdev = s->private;
	struct vfio_device_set *dev_set = fvdev->vdev.dev_set;

	seq_printf(s, "%s %p\n", dev_name(dev_set->set_id), dev_set);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fsl_mc_stub_dbg_dev_set);

/* Ask the core, not our counters, which devices share the set. */
static int fsl_mc_stub_dbg_set_open_count_show(struct seq_file *s, void *unused)
{
	struct fsl_mc_stub_vdev *fvdev = s->private;
	struct vfio_device_set *dev_set = fvdev->vdev.dev_set;
	unsigned int count;

	mutex_lock(&dev_set->lock);
	count = vfio_device_set_open_count(dev_set);
	mutex_unlock(&dev_set->lock);
	seq_printf(s, "%u\n", count);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fsl_mc_stub_dbg_set_open_count);

static int fsl_mc_stub_dbg_delay_get(void *data, u64 *val)
{
	*val = READ_ONCE(fsl_mc_stub_dbg_delay_ms);
	return 0;
}

static int fsl_mc_stub_dbg_delay_set(void *data, u64 val)
{
	if (val > FSL_MC_STUB_DBG_MAX_DELAY_MS)
		return -EINVAL;
	WRITE_ONCE(fsl_mc_stub_dbg_delay_ms, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(fsl_mc_stub_dbg_delay_fops, fsl_mc_stub_dbg_delay_get,
			 fsl_mc_stub_dbg_delay_set, "%llu\n");

/* ---- per set ------------------------------------------------------------ */

static struct fsl_mc_stub_dbg_set *fsl_mc_stub_dbg_set_get(void *set_id)
{
	struct fsl_mc_stub_dbg_set *set;

	mutex_lock(&fsl_mc_stub_dbg_lock);
	list_for_each_entry(set, &fsl_mc_stub_dbg_sets, node) {
		if (set->set_id == set_id)
			goto found;
	}
	set = kzalloc(sizeof(*set), GFP_KERNEL);
	if (!set)
		goto out_unlock;
	set->set_id = set_id;
	set->dir = debugfs_create_dir(dev_name(set_id), fsl_mc_stub_dbg_sets_dir);
	debugfs_create_atomic_t("open_count", 0444, set->dir, &set->open_count);
	debugfs_create_atomic_t("close_count", 0444, set->dir, &set->close_count);
	debugfs_create_atomic_t("first_open", 0444, set->dir, &set->first_open);
	debugfs_create_atomic_t("last_close", 0444, set->dir, &set->last_close);
	debugfs_create_atomic_t("open_running", 0444, set->dir,
				&set->open_running);
	debugfs_create_atomic_t("max_open_running", 0444, set->dir,
				&set->max_open_running);
	debugfs_create_atomic_t("running", 0444, set->dir, &set->running);
	debugfs_create_atomic_t("max_running", 0444, set->dir, &set->max_running);
	list_add(&set->node, &fsl_mc_stub_dbg_sets);
found:
	set->users++;
out_unlock:
	mutex_unlock(&fsl_mc_stub_dbg_lock);
	return set;
}

static void fsl_mc_stub_dbg_set_put(struct fsl_mc_stub_dbg_set *set)
{
	mutex_lock(&fsl_mc_stub_dbg_lock);
	if (!--set->users) {
		list_del(&set->node);
		debugfs_remove_recursive(set->dir);
		kfree(set);
	}
	mutex_unlock(&fsl_mc_stub_dbg_lock);
}

/* ---- per device ------------------------------------------------------- */

/**
 * fsl_mc_stub_dbg_init() - create a device's counters and files
 * @fvdev: the device
 *
 * Context: from the .init op; no lock held.
 * Return: 0 or -ENOMEM.
 */
int fsl_mc_stub_dbg_init(struct fsl_mc_stub_vdev *fvdev)
{
	struct fsl_mc_stub_dbg *dbg;
	struct dentry *dir;

	dbg = kzalloc(sizeof(*dbg), GFP_KERNEL);
	if (!dbg)
		return -ENOMEM;
	dbg->set = fsl_mc_stub_dbg_set_get(&fsl_mc_stub_cont(fvdev->obj)->dev);
	if (!dbg->set) {
		kfree(dbg);
		return -ENOMEM;
	}

	dir = debugfs_create_dir(dev_name(&fvdev->obj->dev),
				 fsl_mc_stub_debugfs_root());
	debugfs_create_atomic_t("open_count", 0444, dir, &dbg->open_count);
	debugfs_create_atomic_t("close_count", 0444, dir, &dbg->close_count);
	debugfs_create_atomic_t("open_failed", 0444, dir, &dbg->open_failed);
	debugfs_create_atomic_t("request_count", 0444, dir, &dbg->request_count);
	debugfs_create_file_unsafe("fail_open", 0644, dir, fvdev,
				   &fsl_mc_stub_dbg_fail_open_fops);
	debugfs_create_file_unsafe("fire_irq", 0200, dir, fvdev,
				   &fsl_mc_stub_dbg_fire_irq_fops);
	debugfs_create_file("irqs", 0444, dir, fvdev,
			    &fsl_mc_stub_dbg_irqs_fops);
	debugfs_create_file("dev_set", 0444, dir, fvdev,
			    &fsl_mc_stub_dbg_dev_set_fops);
	debugfs_create_file("set_open_count", 0444, dir, fvdev,
			    &fsl_mc_stub_dbg_set_open_count_fops);
	dbg->dir = dir;
	fvdev->dbg = dbg;
	return 0;
}

/**
 * fsl_mc_stub_dbg_release() - the reverse of fsl_mc_stub_dbg_init()
 * @fvdev: the device
 *
 * Removing the files waits for anyone inside their handlers.
 * Context: from the .release op; no lock held.
 */
void fsl_mc_stub_dbg_release(struct fsl_mc_stub_vdev *fvdev)
{
	struct fsl_mc_stub_dbg *dbg = fvdev->dbg;

	debugfs_remove_recursive(dbg->dir);
	fsl_mc_stub_dbg_set_put(dbg->set);
	kfree(dbg);
	fvdev->dbg = NULL;
}

/* ---- module ------------------------------------------------------------- */

/**
 * fsl_mc_stub_dbg_module_init() - create the driver-wide files
 */
void fsl_mc_stub_dbg_module_init(void)
{
	struct dentry *root = fsl_mc_stub_debugfs_root();

	fsl_mc_stub_dbg_sets_dir = debugfs_create_dir("sets", root);
	debugfs_create_file_unsafe(fsl_mc_stub_dbg_files[0], 0644, root, NULL,
				   &fsl_mc_stub_dbg_delay_fops);
	debugfs_create_atomic_t(fsl_mc_stub_dbg_files[1], 0444, root,
				&fsl_mc_stub_dbg_all.open_running);
	debugfs_create_atomic_t(fsl_mc_stub_dbg_files[2], 0644, root,
				&fsl_mc_stub_dbg_all.max_open_running);
	debugfs_create_atomic_t(fsl_mc_stub_dbg_files[3], 0444, root,
				&fsl_mc_stub_dbg_all.running);
	debugfs_create_atomic_t(fsl_mc_stub_dbg_files[4], 0644, root,
				&fsl_mc_stub_dbg_all.max_running);
}

/**
 * fsl_mc_stub_dbg_module_exit() - remove the driver-wide files
 */
void fsl_mc_stub_dbg_module_exit(void)
{
	struct dentry *root = fsl_mc_stub_debugfs_root();
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fsl_mc_stub_dbg_files); i++)
		debugfs_lookup_and_remove(fsl_mc_stub_dbg_files[i], root);
	debugfs_remove_recursive(fsl_mc_stub_dbg_sets_dir);
}
