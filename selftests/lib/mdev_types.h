/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tests that apply to every mdev driver walk the types the loaded parents
 * offer, so that a new driver is covered as soon as its module loads.
 */
#ifndef MDEV_TYPES_H
#define MDEV_TYPES_H

#define MDEV_TYPES_MAX	32

/**
 * struct mdev_type_id - one type of one parent
 * @parent: the parent's name under /sys/class/mdev_bus
 * @type: the type's name under its mdev_supported_types
 */
struct mdev_type_id {
	char parent[64];
	char type[64];
};

/*
 * Fill @ids with up to @max types, in name order; returns the count.
 * VFIO_SUITE_TYPES, when set, keeps only the types it names: a
 * comma-separated list of TYPE, PARENT or PARENT/TYPE (make conform TYPES=).
 */
int mdev_list_types(struct mdev_type_id *ids, int max);
/* The same, but only the first type of each parent. */
int mdev_list_parents(struct mdev_type_id *ids, int max);
/*
 * The types a test that starts a device of each type goes through: every
 * type, or on a slow kernel (suite_slow()) the first type of each parent.
 * A parent's types share its code paths and differ in sizes and counts:
 * the Debian kernels' runs still take every type, and one type per parent
 * takes the sanitizer kernel through every path.
 */
int mdev_list_types_to_start(struct mdev_type_id *ids, int max);

/*
 * A device's debugfs counter @name ("open_count", "close_count"), from
 * /sys/kernel/debug/DRIVER/@dev_name/, whichever driver owns the device.
 * The suite's drivers have them when built with their test hooks; any
 * other driver has none (-ENOENT), and a test that reads them must fall
 * back to what it can observe, or skip that check with the reason.
 */
int __dev_counter(const char *dev_name, const char *name, long *val);
long dev_counter(const char *dev_name, const char *name);

#endif /* MDEV_TYPES_H */
