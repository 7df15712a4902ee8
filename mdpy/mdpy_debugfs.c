// SPDX-License-Identifier: GPL-2.0
/*
 * mdpy debugfs: counters that let tests watch the core drive the device.
 *
 *   /sys/kernel/debug/mdpy/<mdev uuid>/open_count    open_device calls
 *   /sys/kernel/debug/mdpy/<mdev uuid>/close_count   close_device calls
 *   /sys/kernel/debug/mdpy/<mdev uuid>/reset_count   resets, open included
 *   /sys/kernel/debug/mdpy/<mdev uuid>/removing      Y once remove() waits
 *
 * Everything is read-only and off the data paths. The files read plain
 * integers without locks: a reader sees some recent value, which is all a
 * test that first quiesces the device needs.
 */
#include <linux/debugfs.h>

#include "mdpy.h"

static struct dentry *mdpy_debugfs_root;

/** mdpy_debugfs_init() - create /sys/kernel/debug/mdpy at module load */
void mdpy_debugfs_init(void)
{
	mdpy_debugfs_root = debugfs_create_dir(MDPY_NAME, NULL);
}

/** mdpy_debugfs_exit() - remove /sys/kernel/debug/mdpy at module unload */
void mdpy_debugfs_exit(void)
{
	debugfs_remove(mdpy_debugfs_root);
}

/**
 * mdpy_debugfs_add() - create a device's directory
 * @mdpy: the device, whose mdev already has its name
 *
 * debugfs failures are not errors: the device works without its counters.
 */
void mdpy_debugfs_add(struct mdpy_device *mdpy)
{
	struct dentry *dir;

	dir = debugfs_create_dir(dev_name(mdpy->vdev.dev), mdpy_debugfs_root);
	debugfs_create_u32("open_count", 0444, dir, &mdpy->open_count);
	debugfs_create_u32("close_count", 0444, dir, &mdpy->close_count);
	debugfs_create_u32("reset_count", 0444, dir, &mdpy->reset_count);
	debugfs_create_bool("removing", 0444, dir, &mdpy->removing);
	mdpy->debugfs = dir;
}

/**
 * mdpy_debugfs_remove() - remove a device's directory
 * @mdpy: the device
 *
 * Returns after any reader of the files has finished, so @mdpy may be
 * freed next.
 */
void mdpy_debugfs_remove(struct mdpy_device *mdpy)
{
	debugfs_remove(mdpy->debugfs);
}
