// SPDX-License-Identifier: GPL-2.0
/*
 * mdpy test hooks: what the selftests read to watch the core drive a
 * display. Built only with VFIO_SUITE_TEST_HOOKS=y; without this file the
 * driver behaves the same (mdpy.h has the empty versions).
 *
 *   /sys/kernel/debug/mdpy/<mdev uuid>/open_count      open_device calls
 *   /sys/kernel/debug/mdpy/<mdev uuid>/close_count     close_device calls
 *   /sys/kernel/debug/mdpy/<mdev uuid>/reset_count     resets, opens included
 *   /sys/kernel/debug/mdpy/<mdev uuid>/restored_pages  framebuffer pages
 *                                                      the resets restored
 *   /sys/kernel/debug/mdpy/<mdev uuid>/removing        Y once remove() waits
 *   /sys/kernel/debug/mdpy/<mdev uuid>/set_members     the device set, one
 *                                                      device name a line
 *
 * The counters are read without locks: a reader sees some recent value,
 * which is all a test that first quiesces the device needs. The
 * directory exists while the device is registered, and through remove's
 * wait for its users; the device set it shows lives at least that long.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "mdpy.h"

/**
 * struct mdpy_hooks - what the test hooks keep for one display
 * @dir: the device's debugfs directory; NULL while it has none
 * @open_count: open_device calls; written under the device set lock
 * @close_count: close_device calls; written under the device set lock
 * @reset_count: resets, opens included; written under the device's lock
 * @restored_pages: framebuffer pages those resets restored; as @reset_count
 * @removing: remove() has started to wait for the device's users
 */
struct mdpy_hooks {
	struct dentry *dir;
	u32 open_count;
	u32 close_count;
	u32 reset_count;
	u32 restored_pages;
	bool removing;
};

static struct dentry *mdpy_debugfs_root;

/** mdpy_debugfs_init() - create /sys/kernel/debug/mdpy, at module init */
void mdpy_debugfs_init(void)
{
	mdpy_debugfs_root = debugfs_create_dir(MDPY_NAME, NULL);
}

/** mdpy_debugfs_exit() - remove /sys/kernel/debug/mdpy, at module exit */
void mdpy_debugfs_exit(void)
{
	debugfs_remove(mdpy_debugfs_root);
}

/**
 * mdpy_hooks_alloc() - give a new display its hooks' state
 * @mdpy: the display, from mdpy_init_dev()
 *
 * Return: 0, or -ENOMEM.
 */
int mdpy_hooks_alloc(struct mdpy_dev *mdpy)
{
	mdpy->hooks = kzalloc(sizeof(*mdpy->hooks), GFP_KERNEL);
	return mdpy->hooks ? 0 : -ENOMEM;
}

/**
 * mdpy_hooks_free() - free what mdpy_hooks_alloc() allocated
 * @mdpy: the display, from mdpy_release_dev()
 */
void mdpy_hooks_free(struct mdpy_dev *mdpy)
{
	kfree(mdpy->hooks);
	mdpy->hooks = NULL;
}

static int mdpy_set_members_show(struct seq_file *s, void *unused)
{
	struct mdpy_dev *mdpy = s->private;
	struct vfio_device_set *set = mdpy->vdev.dev_set;
	struct vfio_device *vdev;

	mutex_lock(&set->lock);
	list_for_each_entry(vdev, &set->device_list, dev_set_list)
		seq_printf(s, "%s\n", dev_name(vdev->dev));
	mutex_unlock(&set->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mdpy_set_members);

/**
 * mdpy_debugfs_add() - create a display's directory
 * @mdpy: the display, registered, so that its device set is assigned
 *
 * Called from probe. debugfs failures are not errors: the device works
 * without its hooks.
 */
void mdpy_debugfs_add(struct mdpy_dev *mdpy)
{
	struct mdpy_hooks *hooks = mdpy->hooks;
	struct dentry *dir;

	dir = debugfs_create_dir(dev_name(mdpy->vdev.dev), mdpy_debugfs_root);
	debugfs_create_u32("open_count", 0444, dir, &hooks->open_count);
	debugfs_create_u32("close_count", 0444, dir, &hooks->close_count);
	debugfs_create_u32("reset_count", 0444, dir, &hooks->reset_count);
	debugfs_create_u32("restored_pages", 0444, dir,
			   &hooks->restored_pages);
	debugfs_create_bool("removing", 0444, dir, &hooks->removing);
	debugfs_create_file("set_members", 0444, dir, mdpy,
			    &mdpy_set_members_fops);
	hooks->dir = dir;
}

/**
 * mdpy_debugfs_remove() - remove a display's directory
 * @mdpy: the display, unregistered but holding its device set
 *
 * Called from remove, before the last reference is put. Returns after
 * every reader of the files has finished.
 */
void mdpy_debugfs_remove(struct mdpy_dev *mdpy)
{
	debugfs_remove_recursive(mdpy->hooks->dir);
	mdpy->hooks->dir = NULL;
}

/** mdpy_hook_opened() - open_device ran; with the device set lock held */
void mdpy_hook_opened(struct mdpy_dev *mdpy)
{
	mdpy->hooks->open_count++;
}

/** mdpy_hook_closed() - close_device ran; with the device set lock held */
void mdpy_hook_closed(struct mdpy_dev *mdpy)
{
	mdpy->hooks->close_count++;
}

/**
 * mdpy_hook_reset() - a reset ran; with the device's lock held
 * @mdpy: the display
 * @pages_restored: framebuffer pages it restored
 */
void mdpy_hook_reset(struct mdpy_dev *mdpy, unsigned int pages_restored)
{
	mdpy->hooks->reset_count++;
	mdpy->hooks->restored_pages += pages_restored;
}

/** mdpy_hook_removing() - remove() starts to wait for the users */
void mdpy_hook_removing(struct mdpy_dev *mdpy)
{
	WRITE_ONCE(mdpy->hooks->removing, true);
}
