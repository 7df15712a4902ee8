// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test hooks of mtty: /sys/kernel/debug/mtty/<uuid>/
 *
 * Built only with VFIO_SUITE_TEST_HOOKS=y, as the suite's own build does;
 * a copy of the directory built alone leaves this file out, and mtty.h
 * turns every hook into an empty inline. The files, all read-only:
 *
 * - open_count, close_count: open_device and close_device calls so far;
 * - eventfds: eventfds the device holds now (0 after the last close);
 * - mig_files: migration sessions the device holds now;
 * - set_members: dev_name() of each device in the device's set, one a
 *   line, read under the set lock (an mtty device is alone in its set).
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "mtty.h"

/**
 * struct mtty_hooks - what the test hooks keep for one device
 * @dir: the device's debugfs directory
 * @open_count: open_device calls; written under the device set lock
 * @close_count: close_device calls; written under the device set lock
 */
struct mtty_hooks {
	struct dentry *dir;
	u32 open_count;
	u32 close_count;
};

static struct dentry *mtty_debugfs_root;

static int mtty_debugfs_eventfds_get(void *data, u64 *val)
{
	struct mtty_irq *irq = &((struct mtty_dev *)data)->irq;

	mutex_lock(&irq->lock);
	*val = !!irq->intx + !!irq->msi + !!irq->req;
	mutex_unlock(&irq->lock);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(mtty_debugfs_eventfds, mtty_debugfs_eventfds_get,
			 NULL, "%llu\n");

static int mtty_debugfs_mig_files_get(void *data, u64 *val)
{
	struct mtty_mig *mig = &((struct mtty_dev *)data)->mig;

	mutex_lock(&mig->lock);
	*val = !!mig->saving + !!mig->resuming;
	mutex_unlock(&mig->lock);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(mtty_debugfs_mig_files, mtty_debugfs_mig_files_get,
			 NULL, "%llu\n");

static int mtty_set_members_show(struct seq_file *s, void *unused)
{
	struct mtty_dev *mtty = s->private;
	struct vfio_device_set *set;
	struct vfio_device *vdev;

	/* NULL only between .init and probe's vfio_assign_device_set(). */
	set = READ_ONCE(mtty->vdev.dev_set);
	if (!set)
		return 0;
	mutex_lock(&set->lock);
	list_for_each_entry(vdev, &set->device_list, dev_set_list)
		seq_printf(s, "%s\n", dev_name(vdev->dev));
	mutex_unlock(&set->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mtty_set_members);

/**
 * mtty_debugfs_add() - create the device's hooks and debugfs directory
 * @mtty: the device, from .init, before it is registered
 *
 * Failures are ignored, as debugfs wants: the device then works without
 * its hooks.
 */
void mtty_debugfs_add(struct mtty_dev *mtty)
{
	struct mtty_hooks *hooks;
	struct dentry *dir;

	hooks = kzalloc(sizeof(*hooks), GFP_KERNEL);
	if (!hooks)
		return;
	dir = debugfs_create_dir(dev_name(mtty->vdev.dev), mtty_debugfs_root);
	debugfs_create_u32("open_count", 0444, dir, &hooks->open_count);
	debugfs_create_u32("close_count", 0444, dir, &hooks->close_count);
	debugfs_create_file_unsafe("eventfds", 0444, dir, mtty,
				   &mtty_debugfs_eventfds);
	debugfs_create_file_unsafe("mig_files", 0444, dir, mtty,
				   &mtty_debugfs_mig_files);
	debugfs_create_file("set_members", 0444, dir, mtty,
			    &mtty_set_members_fops);
	hooks->dir = dir;
	mtty->hooks = hooks;
}

/**
 * mtty_debugfs_remove() - undo mtty_debugfs_add()
 * @mtty: the device, from .release
 *
 * Waits for readers of the files to finish.
 */
void mtty_debugfs_remove(struct mtty_dev *mtty)
{
	if (!mtty->hooks)
		return;
	debugfs_remove(mtty->hooks->dir);
	kfree(mtty->hooks);
	mtty->hooks = NULL;
}

/**
 * mtty_hook_opened() - count an open_device call
 * @mtty: the device, with the device set lock held
 */
void mtty_hook_opened(struct mtty_dev *mtty)
{
	if (mtty->hooks)
		mtty->hooks->open_count++;
}

/**
 * mtty_hook_closed() - count a close_device call
 * @mtty: the device, with the device set lock held
 */
void mtty_hook_closed(struct mtty_dev *mtty)
{
	if (mtty->hooks)
		mtty->hooks->close_count++;
}

/** mtty_debugfs_init() - create /sys/kernel/debug/mtty, at module init */
void mtty_debugfs_init(void)
{
	mtty_debugfs_root = debugfs_create_dir(MTTY_NAME, NULL);
}

/** mtty_debugfs_exit() - remove it, at module exit, after every device */
void mtty_debugfs_exit(void)
{
	debugfs_remove(mtty_debugfs_root);
	mtty_debugfs_root = NULL;
}
