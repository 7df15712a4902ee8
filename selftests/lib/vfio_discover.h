/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Find every VFIO device the suite's drivers offer, for tests that exercise
 * all of them alike (the fuzzer, the stress test).
 *
 * Two sources:
 *  - mdev: every type of every parent under /sys/class/mdev_bus; the test
 *    creates the devices itself.
 *  - bound devices: every device bound to one of the suite's non-mdev VFIO
 *    drivers, listed in vfio_suite_drivers[] (bus, driver, debugfs dir, and
 *    optional sysfs writes that make more devices for a run).
 *
 * A new mdev driver needs nothing here; a new bus driver adds one row.
 */
#ifndef VFIO_DISCOVER_H
#define VFIO_DISCOVER_H

#include <limits.h>
#include <stdbool.h>

#include "vfio_lib.h"

/**
 * struct vfio_sysfs_op - one sysfs write
 * @path: the file
 * @val: what to write
 */
struct vfio_sysfs_op {
	const char *path;
	const char *val;
};

#define VFIO_SUITE_MAX_OPS	8

/**
 * struct vfio_no_write - registers a test must not write with junk
 * @index: the region
 * @start: the first offset in the region
 * @end: the first offset past the range
 */
struct vfio_no_write {
	unsigned int index;
	__u64 start;
	__u64 end;
};

/**
 * struct vfio_suite_driver - one non-mdev VFIO driver of the suite
 * @name: short name; tests filter on it
 * @bus: the bus under /sys/bus
 * @driver: the driver under /sys/bus/@bus/drivers
 * @debugfs: the driver's debugfs dir (per-device subdirs named dev_name())
 * @setup: sysfs writes that create more devices for a run, or NULL entries
 * @teardown: the writes that undo @setup, in order
 * @spawn: sysfs writes that make one more device, '#' = a number; for the
 *	   stress test's create/remove threads (none: not spawnable)
 * @unspawn: the writes that remove it again, '#' = the same number
 * @spawn_dev: the name on @bus of the spawned device a test opens, '#' = the
 *	       number
 * @rebind: whether the stress test may unbind and rebind its devices
 * @no_write: register ranges that random writes must avoid (end 0: none)
 */
struct vfio_suite_driver {
	const char *name;
	const char *bus;
	const char *driver;
	const char *debugfs;
	struct vfio_sysfs_op setup[VFIO_SUITE_MAX_OPS];
	struct vfio_sysfs_op teardown[VFIO_SUITE_MAX_OPS];
	struct vfio_sysfs_op spawn[VFIO_SUITE_MAX_OPS];
	struct vfio_sysfs_op unspawn[VFIO_SUITE_MAX_OPS];
	const char *spawn_dev;
	bool rebind;
	struct vfio_no_write no_write[2];
};

extern const struct vfio_suite_driver vfio_suite_drivers[];
extern const unsigned int vfio_suite_nr_drivers;

/**
 * struct vfio_found - one device (or, for mdev, one type) to test
 * @source: the driver row's name, or the mdev parent's name
 * @label: a stable name for logs and seeds, e.g. "mtty/mtty-2" or
 *	   "pci_slot_stub/0000:00:03.0"
 * @is_mdev: an mdev type: @parent and @type are set, @sysfs is empty until
 *	     the test creates a device
 * @parent: mdev parent device name
 * @type: mdev type name
 * @uuid: the created mdev's UUID
 * @sysfs: the device's sysfs directory
 * @debugfs: its debugfs directory, "" when there is none
 * @module: the module of its driver, "" when unknown
 * @drv: the driver row, NULL for mdev
 */
struct vfio_found {
	char source[64];
	char label[128];
	bool is_mdev;
	char parent[64];
	char type[64];
	char uuid[UUID_STR_LEN];
	char sysfs[256];
	char debugfs[256];
	char module[64];
	const struct vfio_suite_driver *drv;
};

/* @tmpl with every '#' replaced by @arg, into @out. */
void vfio_suite_expand(const char *tmpl, const char *arg, char *out, size_t len);

/*
 * Run a row's setup, teardown, spawn or unspawn writes ('#' = @arg).
 * Returns 0 or the first write's -errno; later writes run regardless.
 */
int vfio_suite_run_ops(const struct vfio_sysfs_op *ops, const char *arg);

/*
 * Fill @found with up to @max devices whose source contains @filter (NULL:
 * all). Returns how many.
 */
int vfio_discover(struct vfio_found *found, int max, const char *filter);

/*
 * For a created mdev (@f->uuid set) or a bound device: fill in @f->sysfs,
 * @f->debugfs and @f->module. 0 or -errno.
 */
int vfio_found_resolve(struct vfio_found *f);

/*
 * Create the mdev of an mdev entry, with UUID @f->uuid or a random one when
 * it is empty, and resolve it. 0 or -errno (and @f->uuid emptied).
 */
int vfio_found_create(struct vfio_found *f);

/*
 * A bound device given by its sysfs directory, whatever its driver: fill
 * @f as discovery would (its driver's row when the suite has one). 0 or
 * -errno.
 */
int vfio_found_sysfs(struct vfio_found *f, const char *sysfs);

/* debugfs counter @name of the device, or -1 when there is none. */
long vfio_found_counter(const struct vfio_found *f, const char *name);

#endif /* VFIO_DISCOVER_H */
