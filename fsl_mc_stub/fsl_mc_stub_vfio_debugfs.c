// SPDX-License-Identifier: GPL-2.0
/*
 * The test hooks of vfio_fsl_mc_stub, built only with VFIO_SUITE_TEST_HOOKS=y.
 *
 * The hooks wrap the driver's ops: probe allocates each device with
 * fsl_mc_stub_vfio_hook_ops(), which with the hooks built is a copy of
 * fsl_mc_stub_vfio_ops whose .init, .release, .open_device, .close_device
 * and .request count, delay or fail the call around the real op.  The ops
 * themselves call no hook.  Everything lives under
 * /sys/kernel/debug/fsl_mc_stub/ (the bus module's directory):
 *
 *   DEVICE/open_count      successful open_device() calls
 *   DEVICE/close_count     close_device() calls
 *   DEVICE/open_failed     open_device() calls that failed
 *   DEVICE/request_count   request calls (the core asking for the device)
 *   DEVICE/fail_open       rw: errno the next open_device() calls fail with
 *                          (0 = succeed), to test the unwind
 *   DEVICE/fire_irq        wo: raise this interrupt index of the object
 *   DEVICE/irqs            "none" or "pool SERIAL hwirq N..."
 *   DEVICE/dev_set         the set's key (the container's name) and the
 *                          hashed address of the core's struct vfio_device_set
 *   DEVICE/set_members     the dev_name() of every device in the core's set,
 *                          one a line, read under the set lock
 *   DEVICE/set_device_count  the core's count of devices assigned to the set
 *   DEVICE/set_open_count  the core's count of open fds in the set
 *                          (vfio_device_set_open_count(), under the set lock)
 *   sets/CONTAINER/        one per container, i.e. per device set as the
 *                          driver means it: open_count, close_count,
 *                          first_open (the set went from no open device to
 *                          one), last_close (back to none), open_running and
 *                          max_open_running (open_device() calls in progress
 *                          now, and the most ever at once), running and
 *                          max_running (the same for open_device() plus
 *                          close_device() calls).  Keyed by the container
 *                          rather than by the core's set, so that a
 *                          container split over several sets shows up as
 *                          overlap here.
 *   open_running, max_open_running, running, max_running
 *                          the same over all sets; the max_ files are
 *                          writable, to reset them
 *   open_delay_ms          rw: open_device() and close_device() sleep this
 *                          long (0-5000), so tests can see them overlap
 *   init_gate              rw: write N to hold the next N .init calls until
 *                          all N are waiting, then let them into the real
 *                          .init (and vfio_assign_device_set()) together;
 *                          0 opens the gate.  Reads how many calls it still
 *                          waits for, or, if a waiter gave up after 30 s, how
 *                          many were missing then; 0 once all N came.  Arm
 *                          it only while no .init runs.
 *
 * The counters are atomics, not protected by the set lock: they must stay
 * right if the core ever failed to serialise, since that is what they test.
 */
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "fsl_mc_stub_vfio.h"

#define FSL_MC_STUB_VFIO_MAX_DELAY_MS	5000
#define FSL_MC_STUB_VFIO_MAX_GATE	1024
#define FSL_MC_STUB_VFIO_GATE_TIMEOUT	(30 * HZ)

/**
 * struct fsl_mc_stub_vfio_hook_set - counters of one container's device set
 * @set_id: the container's struct device, the key the driver passes
 * @users: devices of the set that hold this, under fsl_mc_stub_vfio_hook_lock
 * @node: in fsl_mc_stub_vfio_hook_sets, under fsl_mc_stub_vfio_hook_lock
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
struct fsl_mc_stub_vfio_hook_set {
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
 * struct fsl_mc_stub_vfio_hooks - counters and knobs of one device
 * @dir: the device's directory
 * @set: the counters of its set
 * @open_count: successful open_device() calls
 * @close_count: close_device() calls
 * @open_failed: failed open_device() calls
 * @request_count: request calls
 * @fail_open: errno to fail open_device() with, 0 for none
 */
struct fsl_mc_stub_vfio_hooks {
	struct dentry *dir;
	struct fsl_mc_stub_vfio_hook_set *set;
	atomic_t open_count;
	atomic_t close_count;
	atomic_t open_failed;
	atomic_t request_count;
	int fail_open;
};

/**
 * struct fsl_mc_stub_vfio_gate - the init_gate file's gate
 * @lock: protects the rest
 * @want: .init calls still to come before the gate opens; 0 while open
 * @missing: @want when a waiter gave up
 * @open: completed when the gate opens
 */
struct fsl_mc_stub_vfio_gate {
	struct mutex lock; /* see @lock above */
	unsigned int want;
	unsigned int missing;
	struct completion open;
};

/* Protects fsl_mc_stub_vfio_hook_sets and the users count of each entry. */
static DEFINE_MUTEX(fsl_mc_stub_vfio_hook_lock);
static LIST_HEAD(fsl_mc_stub_vfio_hook_sets);
static struct dentry *fsl_mc_stub_vfio_sets_dir;
static struct fsl_mc_stub_vfio_hook_set fsl_mc_stub_vfio_all;	/* all sets */
static unsigned int fsl_mc_stub_vfio_delay_ms;
static struct fsl_mc_stub_vfio_gate fsl_mc_stub_vfio_gate;
static struct vfio_device_ops fsl_mc_stub_vfio_hooked_ops __ro_after_init;

static const char * const fsl_mc_stub_vfio_global_files[] = {
	"open_delay_ms", "open_running", "max_open_running", "running",
	"max_running", "init_gate",
};

/* ---- counting ----------------------------------------------------------- */

static void fsl_mc_stub_vfio_raise_max(atomic_t *max, int val)
{
	int old = atomic_read(max);

	while (old < val && !atomic_try_cmpxchg(max, &old, val))
		;
}

static void fsl_mc_stub_vfio_count_enter(struct fsl_mc_stub_vfio_hook_set *set,
					 bool open)
{
	if (open)
		fsl_mc_stub_vfio_raise_max(&set->max_open_running,
					   atomic_inc_return(&set->open_running));
	fsl_mc_stub_vfio_raise_max(&set->max_running,
				   atomic_inc_return(&set->running));
}

static void fsl_mc_stub_vfio_count_exit(struct fsl_mc_stub_vfio_hook_set *set,
					bool open)
{
	if (open)
		atomic_dec(&set->open_running);
	atomic_dec(&set->running);
}

/* An open_device() (@open) or close_device() starts: count it, then wait. */
static void fsl_mc_stub_vfio_enter(struct fsl_mc_stub_vfio_hook_set *set,
				   bool open)
{
	unsigned int delay = READ_ONCE(fsl_mc_stub_vfio_delay_ms);

	fsl_mc_stub_vfio_count_enter(set, open);
	fsl_mc_stub_vfio_count_enter(&fsl_mc_stub_vfio_all, open);
	if (delay)
		msleep(delay);
}

static void fsl_mc_stub_vfio_exit(struct fsl_mc_stub_vfio_hook_set *set,
				  bool open)
{
	fsl_mc_stub_vfio_count_exit(&fsl_mc_stub_vfio_all, open);
	fsl_mc_stub_vfio_count_exit(set, open);
}

/* ---- the gate ----------------------------------------------------------- */

static void fsl_mc_stub_vfio_gate_pass(void)
{
	struct fsl_mc_stub_vfio_gate *gate = &fsl_mc_stub_vfio_gate;
	bool wait = false;

	mutex_lock(&gate->lock);
	if (gate->want) {
		wait = --gate->want;
		if (!wait)
			complete_all(&gate->open);
	}
	mutex_unlock(&gate->lock);
	if (!wait ||
	    wait_for_completion_timeout(&gate->open, FSL_MC_STUB_VFIO_GATE_TIMEOUT))
		return;

	mutex_lock(&gate->lock);
	if (gate->want) {
		gate->missing = gate->want;
		gate->want = 0;
		complete_all(&gate->open);
	}
	mutex_unlock(&gate->lock);
}

static void fsl_mc_stub_vfio_gate_arm(unsigned int want)
{
	struct fsl_mc_stub_vfio_gate *gate = &fsl_mc_stub_vfio_gate;

	mutex_lock(&gate->lock);
	gate->want = want;
	gate->missing = 0;
	if (want)
		reinit_completion(&gate->open);
	else
		complete_all(&gate->open);
	mutex_unlock(&gate->lock);
}

static int fsl_mc_stub_vfio_gate_get(void *data, u64 *val)
{
	struct fsl_mc_stub_vfio_gate *gate = &fsl_mc_stub_vfio_gate;

	mutex_lock(&gate->lock);
	*val = gate->want ? gate->want : gate->missing;
	mutex_unlock(&gate->lock);
	return 0;
}

static int fsl_mc_stub_vfio_gate_set(void *data, u64 val)
{
	if (val > FSL_MC_STUB_VFIO_MAX_GATE)
		return -EINVAL;
	fsl_mc_stub_vfio_gate_arm(val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(fsl_mc_stub_vfio_gate_fops, fsl_mc_stub_vfio_gate_get,
			 fsl_mc_stub_vfio_gate_set, "%llu\n");

/* ---- per-device files --------------------------------------------------- */

static int fsl_mc_stub_vfio_fail_open_get(void *data, u64 *val)
{
	struct fsl_mc_stub_vfio_dev *fdev = data;

	*val = READ_ONCE(fdev->hooks->fail_open);
	return 0;
}

static int fsl_mc_stub_vfio_fail_open_set(void *data, u64 val)
{
	struct fsl_mc_stub_vfio_dev *fdev = data;

	if (val > MAX_ERRNO)
		return -EINVAL;
	WRITE_ONCE(fdev->hooks->fail_open, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(fsl_mc_stub_vfio_fail_open_fops,
			 fsl_mc_stub_vfio_fail_open_get,
			 fsl_mc_stub_vfio_fail_open_set, "%llu\n");

static int fsl_mc_stub_vfio_fire_irq_set(void *data, u64 val)
{
	struct fsl_mc_stub_vfio_dev *fdev = data;

	if (val >= fsl_mc_stub_vfio_req_index(fdev))
		return -EINVAL;
	return fsl_mc_stub_irq_raise(fdev->obj, val);
}
DEFINE_DEBUGFS_ATTRIBUTE(fsl_mc_stub_vfio_fire_irq_fops, NULL,
			 fsl_mc_stub_vfio_fire_irq_set, "%llu\n");

static int fsl_mc_stub_vfio_irqs_show(struct seq_file *s, void *unused)
{
	struct fsl_mc_stub_vfio_dev *fdev = s->private;

	fsl_mc_stub_debugfs_show_irqs(s, fdev->obj);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fsl_mc_stub_vfio_irqs);

static int fsl_mc_stub_vfio_dev_set_show(struct seq_file *s, void *unused)
{
	struct fsl_mc_stub_vfio_dev *fdev = s->private;
	struct vfio_device_set *dev_set = fdev->vdev.dev_set;

	seq_printf(s, "%s %p\n", dev_name(dev_set->set_id), dev_set);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fsl_mc_stub_vfio_dev_set);

/* Ask the core, not the driver, which devices share the set. */
static int fsl_mc_stub_vfio_set_members_show(struct seq_file *s, void *unused)
{
	struct fsl_mc_stub_vfio_dev *fdev = s->private;
	struct vfio_device_set *dev_set = fdev->vdev.dev_set;
	struct vfio_device *cur;

	mutex_lock(&dev_set->lock);
	list_for_each_entry(cur, &dev_set->device_list, dev_set_list)
		seq_printf(s, "%s\n", dev_name(cur->dev));
	mutex_unlock(&dev_set->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fsl_mc_stub_vfio_set_members);

/*
 * The core changes device_count under its own lock, which no driver can
 * take; a test reads it when no device of the set comes or goes.
 */
static int fsl_mc_stub_vfio_set_device_count_show(struct seq_file *s,
						  void *unused)
{
	struct fsl_mc_stub_vfio_dev *fdev = s->private;

	seq_printf(s, "%u\n", READ_ONCE(fdev->vdev.dev_set->device_count));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fsl_mc_stub_vfio_set_device_count);

static int fsl_mc_stub_vfio_set_open_count_show(struct seq_file *s,
						void *unused)
{
	struct fsl_mc_stub_vfio_dev *fdev = s->private;
	struct vfio_device_set *dev_set = fdev->vdev.dev_set;
	unsigned int count;

	mutex_lock(&dev_set->lock);
	count = vfio_device_set_open_count(dev_set);
	mutex_unlock(&dev_set->lock);
	seq_printf(s, "%u\n", count);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fsl_mc_stub_vfio_set_open_count);

static void fsl_mc_stub_vfio_files_add(struct fsl_mc_stub_vfio_dev *fdev)
{
	struct fsl_mc_stub_vfio_hooks *hooks = fdev->hooks;
	struct dentry *dir;

	dir = debugfs_create_dir(dev_name(&fdev->obj->dev),
				 fsl_mc_stub_debugfs_root());
	hooks->dir = dir;
	debugfs_create_atomic_t("open_count", 0444, dir, &hooks->open_count);
	debugfs_create_atomic_t("close_count", 0444, dir, &hooks->close_count);
	debugfs_create_atomic_t("open_failed", 0444, dir, &hooks->open_failed);
	debugfs_create_atomic_t("request_count", 0444, dir,
				&hooks->request_count);
	debugfs_create_file_unsafe("fail_open", 0644, dir, fdev,
				   &fsl_mc_stub_vfio_fail_open_fops);
	debugfs_create_file_unsafe("fire_irq", 0200, dir, fdev,
				   &fsl_mc_stub_vfio_fire_irq_fops);
	debugfs_create_file("irqs", 0444, dir, fdev,
			    &fsl_mc_stub_vfio_irqs_fops);
	debugfs_create_file("dev_set", 0444, dir, fdev,
			    &fsl_mc_stub_vfio_dev_set_fops);
	debugfs_create_file("set_members", 0444, dir, fdev,
			    &fsl_mc_stub_vfio_set_members_fops);
	debugfs_create_file("set_device_count", 0444, dir, fdev,
			    &fsl_mc_stub_vfio_set_device_count_fops);
	debugfs_create_file("set_open_count", 0444, dir, fdev,
			    &fsl_mc_stub_vfio_set_open_count_fops);
}

/* ---- per-set counters --------------------------------------------------- */

static struct fsl_mc_stub_vfio_hook_set *fsl_mc_stub_vfio_hook_set_get(void *set_id)
{
	struct fsl_mc_stub_vfio_hook_set *set;
	struct dentry *dir;

	mutex_lock(&fsl_mc_stub_vfio_hook_lock);
	list_for_each_entry(set, &fsl_mc_stub_vfio_hook_sets, node) {
		if (set->set_id == set_id)
			goto out_get;
	}
	set = kzalloc(sizeof(*set), GFP_KERNEL);
	if (!set)
		goto out_unlock;
	set->set_id = set_id;
	dir = debugfs_create_dir(dev_name(set_id), fsl_mc_stub_vfio_sets_dir);
	set->dir = dir;
	debugfs_create_atomic_t("open_count", 0444, dir, &set->open_count);
	debugfs_create_atomic_t("close_count", 0444, dir, &set->close_count);
	debugfs_create_atomic_t("first_open", 0444, dir, &set->first_open);
	debugfs_create_atomic_t("last_close", 0444, dir, &set->last_close);
	debugfs_create_atomic_t("open_running", 0444, dir, &set->open_running);
	debugfs_create_atomic_t("max_open_running", 0444, dir,
				&set->max_open_running);
	debugfs_create_atomic_t("running", 0444, dir, &set->running);
	debugfs_create_atomic_t("max_running", 0444, dir, &set->max_running);
	list_add(&set->node, &fsl_mc_stub_vfio_hook_sets);
out_get:
	set->users++;
out_unlock:
	mutex_unlock(&fsl_mc_stub_vfio_hook_lock);
	return set;
}

static void fsl_mc_stub_vfio_hook_set_put(struct fsl_mc_stub_vfio_hook_set *set)
{
	mutex_lock(&fsl_mc_stub_vfio_hook_lock);
	if (!--set->users) {
		list_del(&set->node);
		debugfs_remove_recursive(set->dir);
		kfree(set);
	}
	mutex_unlock(&fsl_mc_stub_vfio_hook_lock);
}

/* ---- the wrapped ops ---------------------------------------------------- */

/* .init: the hooks' state, the gate, the real .init, then the files. */
static int fsl_mc_stub_vfio_hook_init_dev(struct vfio_device *vdev)
{
	struct fsl_mc_stub_vfio_dev *fdev = fsl_mc_stub_vfio_from_vdev(vdev);
	struct fsl_mc_stub_obj *obj = to_fsl_mc_stub_obj(vdev->dev);
	struct fsl_mc_stub_vfio_hooks *hooks;
	int ret;

	hooks = kzalloc(sizeof(*hooks), GFP_KERNEL);
	if (!hooks)
		return -ENOMEM;
	hooks->set = fsl_mc_stub_vfio_hook_set_get(&fsl_mc_stub_cont(obj)->dev);
	if (!hooks->set) {
		ret = -ENOMEM;
		goto out_free_hooks;
	}

	fsl_mc_stub_vfio_gate_pass();
	ret = fsl_mc_stub_vfio_ops.init(vdev);
	if (ret)
		goto out_put_set;

	fdev->hooks = hooks;
	fsl_mc_stub_vfio_files_add(fdev);
	return 0;

out_put_set:
	fsl_mc_stub_vfio_hook_set_put(hooks->set);
out_free_hooks:
	kfree(hooks);
	return ret;
}

/* .release: removing the files waits for anyone inside their handlers. */
static void fsl_mc_stub_vfio_hook_release_dev(struct vfio_device *vdev)
{
	struct fsl_mc_stub_vfio_dev *fdev = fsl_mc_stub_vfio_from_vdev(vdev);
	struct fsl_mc_stub_vfio_hooks *hooks = fdev->hooks;

	debugfs_remove_recursive(hooks->dir);
	fsl_mc_stub_vfio_hook_set_put(hooks->set);
	kfree(hooks);
	fdev->hooks = NULL;
	fsl_mc_stub_vfio_ops.release(vdev);
}

/* open_device(), with the set lock held: fail or delay it, and count it. */
static int fsl_mc_stub_vfio_hook_open_device(struct vfio_device *vdev)
{
	struct fsl_mc_stub_vfio_hooks *hooks = fsl_mc_stub_vfio_from_vdev(vdev)->hooks;
	struct fsl_mc_stub_vfio_hook_set *set = hooks->set;
	int ret;

	fsl_mc_stub_vfio_enter(set, true);
	ret = -READ_ONCE(hooks->fail_open);
	if (!ret)
		ret = fsl_mc_stub_vfio_ops.open_device(vdev);
	if (ret) {
		atomic_inc(&hooks->open_failed);
	} else {
		atomic_inc(&hooks->open_count);
		atomic_inc(&set->open_count);
		/* this device is counted already: 1 means no other is open */
		if (vfio_device_set_open_count(vdev->dev_set) == 1)
			atomic_inc(&set->first_open);
	}
	fsl_mc_stub_vfio_exit(set, true);
	return ret;
}

/* close_device(), with the set lock held: delay it and count it. */
static void fsl_mc_stub_vfio_hook_close_device(struct vfio_device *vdev)
{
	struct fsl_mc_stub_vfio_hooks *hooks = fsl_mc_stub_vfio_from_vdev(vdev)->hooks;
	struct fsl_mc_stub_vfio_hook_set *set = hooks->set;

	fsl_mc_stub_vfio_enter(set, false);
	fsl_mc_stub_vfio_ops.close_device(vdev);
	atomic_inc(&hooks->close_count);
	atomic_inc(&set->close_count);
	/* the device being closed still counts as open */
	if (vfio_device_set_open_count(vdev->dev_set) == 1)
		atomic_inc(&set->last_close);
	fsl_mc_stub_vfio_exit(set, false);
}

static void fsl_mc_stub_vfio_hook_request(struct vfio_device *vdev,
					  unsigned int count)
{
	atomic_inc(&fsl_mc_stub_vfio_from_vdev(vdev)->hooks->request_count);
	fsl_mc_stub_vfio_ops.request(vdev, count);
}

/**
 * fsl_mc_stub_vfio_hook_ops() - the ops to allocate devices with
 * @ops: the driver's ops
 *
 * Return: the hooks' copy of fsl_mc_stub_vfio_ops, whose lifecycle ops
 * call the real ones from inside the hooks; any other @ops unchanged.
 */
const struct vfio_device_ops *
fsl_mc_stub_vfio_hook_ops(const struct vfio_device_ops *ops)
{
	if (ops != &fsl_mc_stub_vfio_ops)
		return ops;
	return &fsl_mc_stub_vfio_hooked_ops;
}

/* ---- module ------------------------------------------------------------- */

static int fsl_mc_stub_vfio_delay_get(void *data, u64 *val)
{
	*val = READ_ONCE(fsl_mc_stub_vfio_delay_ms);
	return 0;
}

static int fsl_mc_stub_vfio_delay_set(void *data, u64 val)
{
	if (val > FSL_MC_STUB_VFIO_MAX_DELAY_MS)
		return -EINVAL;
	WRITE_ONCE(fsl_mc_stub_vfio_delay_ms, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(fsl_mc_stub_vfio_delay_fops, fsl_mc_stub_vfio_delay_get,
			 fsl_mc_stub_vfio_delay_set, "%llu\n");

/**
 * fsl_mc_stub_vfio_debugfs_init() - build the wrapped ops, create the files
 *
 * Called at module load, before the driver registers.
 */
void fsl_mc_stub_vfio_debugfs_init(void)
{
	struct dentry *root = fsl_mc_stub_debugfs_root();
	struct vfio_device_ops *ops = &fsl_mc_stub_vfio_hooked_ops;

	*ops = fsl_mc_stub_vfio_ops;
	ops->init = fsl_mc_stub_vfio_hook_init_dev;
	ops->release = fsl_mc_stub_vfio_hook_release_dev;
	ops->open_device = fsl_mc_stub_vfio_hook_open_device;
	ops->close_device = fsl_mc_stub_vfio_hook_close_device;
	ops->request = fsl_mc_stub_vfio_hook_request;

	mutex_init(&fsl_mc_stub_vfio_gate.lock);
	init_completion(&fsl_mc_stub_vfio_gate.open);
	complete_all(&fsl_mc_stub_vfio_gate.open);

	fsl_mc_stub_vfio_sets_dir = debugfs_create_dir("sets", root);
	debugfs_create_file_unsafe(fsl_mc_stub_vfio_global_files[0], 0644, root,
				   NULL, &fsl_mc_stub_vfio_delay_fops);
	debugfs_create_atomic_t(fsl_mc_stub_vfio_global_files[1], 0444, root,
				&fsl_mc_stub_vfio_all.open_running);
	debugfs_create_atomic_t(fsl_mc_stub_vfio_global_files[2], 0644, root,
				&fsl_mc_stub_vfio_all.max_open_running);
	debugfs_create_atomic_t(fsl_mc_stub_vfio_global_files[3], 0444, root,
				&fsl_mc_stub_vfio_all.running);
	debugfs_create_atomic_t(fsl_mc_stub_vfio_global_files[4], 0644, root,
				&fsl_mc_stub_vfio_all.max_running);
	debugfs_create_file_unsafe(fsl_mc_stub_vfio_global_files[5], 0644, root,
				   NULL, &fsl_mc_stub_vfio_gate_fops);
}

/**
 * fsl_mc_stub_vfio_debugfs_exit() - remove the driver-wide files
 *
 * Called at module unload, after the driver unregistered.
 */
void fsl_mc_stub_vfio_debugfs_exit(void)
{
	struct dentry *root = fsl_mc_stub_debugfs_root();
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fsl_mc_stub_vfio_global_files); i++)
		debugfs_lookup_and_remove(fsl_mc_stub_vfio_global_files[i], root);
	debugfs_remove_recursive(fsl_mc_stub_vfio_sets_dir);
	mutex_destroy(&fsl_mc_stub_vfio_gate.lock);
}
