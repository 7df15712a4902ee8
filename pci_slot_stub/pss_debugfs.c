// SPDX-License-Identifier: GPL-2.0
/*
 * pci_slot_stub: the test hooks, built only with VFIO_SUITE_TEST_HOOKS=y.
 *
 * One debugfs directory per bound function (its files: pss_defs.h), and
 * the counters behind it, which the ops bump with pss_hook_count(). A copy
 * of the driver built without this file behaves the same, without the
 * directory.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "pss.h"

/**
 * struct pss_hooks - one function's counters and its debugfs directory
 * @dir: the directory; probe to remove
 * @count: one counter per enum pss_count. Atomic: faults and request()
 *	count without a common lock; debugfs reads them without one.
 */
struct pss_hooks {
	struct dentry *dir;
	atomic_t count[PSS_NR_COUNTS];
};

static const char * const pss_count_names[PSS_NR_COUNTS] = {
	[PSS_COUNT_OPEN]	= "open_count",
	[PSS_COUNT_CLOSE]	= "close_count",
	[PSS_COUNT_FUNC_RESET]	= "func_reset_count",
	[PSS_COUNT_CLOSE_RESET]	= "set_reset_count",
	[PSS_COUNT_HOT_RESET]	= "hot_reset_count",
	[PSS_COUNT_REQUEST]	= "request_count",
	[PSS_COUNT_BAR_FAULT]	= "bar_fault_count",
};

/* The driver's debugfs root; NULL-safe if debugfs is absent. */
static struct dentry *pss_debugfs_root;

/**
 * pss_hook_count() - count one event of a function
 * @pss: the function
 * @what: the event
 *
 * Any context the ops run in; takes no lock.
 */
void pss_hook_count(struct pss_dev *pss, enum pss_count what)
{
	if (pss->hooks)
		atomic_inc(&pss->hooks->count[what]);
}

static int pss_count_get(void *data, u64 *val)
{
	*val = atomic_read(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(pss_count_fops, pss_count_get, NULL, "%llu\n");

/* Every member of the set, read under the set lock. */
static int pss_set_members_show(struct seq_file *s, void *unused)
{
	struct pss_dev *pss = s->private;
	struct vfio_device_set *set = pss->vdev.dev_set;
	struct vfio_device *vdev;

	mutex_lock(&set->lock);
	list_for_each_entry(vdev, &set->device_list, dev_set_list)
		seq_printf(s, "%s\n", dev_name(vdev->dev));
	mutex_unlock(&set->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pss_set_members);

static int pss_set_kind_show(struct seq_file *s, void *unused)
{
	seq_printf(s, "%s\n", pss_set_kind(s->private));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pss_set_kind);

/**
 * pss_debugfs_add() - give a function its counters and directory
 * @pss: the device, in its set and not yet registered
 *
 * Called from probe. Without memory the function counts nothing; debugfs
 * failures are ignored, as debugfs wants.
 */
void pss_debugfs_add(struct pss_dev *pss)
{
	struct pss_hooks *hooks = kzalloc(sizeof(*hooks), GFP_KERNEL);
	unsigned int i;

	if (!hooks)
		return;
	hooks->dir = debugfs_create_dir(pci_name(pss->pdev), pss_debugfs_root);
	for (i = 0; i < PSS_NR_COUNTS; i++)
		debugfs_create_file_unsafe(pss_count_names[i], 0400, hooks->dir,
					   &hooks->count[i], &pss_count_fops);
	debugfs_create_file("set_kind", 0400, hooks->dir, pss,
			    &pss_set_kind_fops);
	debugfs_create_file("set_members", 0400, hooks->dir, pss,
			    &pss_set_members_fops);
	pss->hooks = hooks;
}

/**
 * pss_debugfs_remove() - undo pss_debugfs_add()
 * @pss: the device, unregistered: no op can count any more
 *
 * Called from remove, and from probe when registration fails. Waits for
 * readers of the files to finish.
 */
void pss_debugfs_remove(struct pss_dev *pss)
{
	if (!pss->hooks)
		return;
	debugfs_remove_recursive(pss->hooks->dir);
	kfree(pss->hooks);
	pss->hooks = NULL;
}

/**
 * pss_debugfs_init() - create the driver's debugfs root, at module init
 */
void pss_debugfs_init(void)
{
	pss_debugfs_root = debugfs_create_dir(PSS_DEBUGFS_DIR, NULL);
}

/**
 * pss_debugfs_exit() - remove the root, at module exit
 */
void pss_debugfs_exit(void)
{
	debugfs_remove_recursive(pss_debugfs_root);
	pss_debugfs_root = NULL;
}
