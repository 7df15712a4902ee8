// SPDX-License-Identifier: GPL-2.0
/*
 * pci_slot_stub: the test hooks, built only with VFIO_SUITE_TEST_HOOKS=y.
 *
 * One debugfs directory per bound function (files: pss_defs.h), and the
 * counters behind it, which the ops bump through the pss_hook_*() calls
 * of pss.h. A copy of the driver built without this file behaves the same,
 * without the directory.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "pss.h"

/**
 * struct pss_hooks - one function's counters and its debugfs directory
 * @dir: the directory; probe to remove
 * @open_count: open_device() calls; device set lock
 * @close_count: close_device() calls; device set lock
 * @func_reset_count: function resets that worked; device set lock
 * @set_reset_count: slot or bus resets at last close that covered the
 *	function; device set lock
 * @hot_reset_count: VFIO_DEVICE_PCI_HOT_RESET resets that covered it;
 *	device set lock
 * @request_count: request() calls; atomic, the op runs without locks
 * @bar_fault_count: BAR pages the fault handler inserted; atomic, faults
 *	run side by side
 *
 * debugfs reads them without locks: a value true at some point is all a
 * test needs.
 */
struct pss_hooks {
	struct dentry *dir;
	u32 open_count;
	u32 close_count;
	u32 func_reset_count;
	u32 set_reset_count;
	u32 hot_reset_count;
	atomic_t request_count;
	atomic_t bar_fault_count;
};

/* The driver's debugfs root; NULL-safe if debugfs is absent. */
static struct dentry *pss_debugfs_root;

void pss_hook_opened(struct pss_dev *pss)
{
	if (pss->hooks)
		pss->hooks->open_count++;
}

void pss_hook_closed(struct pss_dev *pss)
{
	if (pss->hooks)
		pss->hooks->close_count++;
}

void pss_hook_function_reset(struct pss_dev *pss)
{
	if (pss->hooks)
		pss->hooks->func_reset_count++;
}

void pss_hook_close_reset(struct pss_dev *pss)
{
	if (pss->hooks)
		pss->hooks->set_reset_count++;
}

void pss_hook_hot_reset(struct pss_dev *pss)
{
	if (pss->hooks)
		pss->hooks->hot_reset_count++;
}

void pss_hook_requested(struct pss_dev *pss)
{
	if (pss->hooks)
		atomic_inc(&pss->hooks->request_count);
}

void pss_hook_bar_fault(struct pss_dev *pss)
{
	if (pss->hooks)
		atomic_inc(&pss->hooks->bar_fault_count);
}

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

static int pss_atomic_get(void *data, u64 *val)
{
	*val = atomic_read(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(pss_atomic_fops, pss_atomic_get, NULL, "%llu\n");

/**
 * pss_debugfs_add() - give a function its counters and directory
 * @pss: the device, in its set and not yet registered
 *
 * Called from probe. Without memory the function has no hooks; debugfs
 * failures are ignored, as debugfs wants.
 */
void pss_debugfs_add(struct pss_dev *pss)
{
	struct pss_hooks *h = kzalloc(sizeof(*h), GFP_KERNEL);
	struct dentry *dir;

	if (!h)
		return;
	dir = debugfs_create_dir(pci_name(pss->pdev), pss_debugfs_root);
	h->dir = dir;
	debugfs_create_u32("open_count", 0400, dir, &h->open_count);
	debugfs_create_u32("close_count", 0400, dir, &h->close_count);
	debugfs_create_u32("func_reset_count", 0400, dir,
			   &h->func_reset_count);
	debugfs_create_u32("set_reset_count", 0400, dir, &h->set_reset_count);
	debugfs_create_u32("hot_reset_count", 0400, dir, &h->hot_reset_count);
	debugfs_create_file_unsafe("request_count", 0400, dir,
				   &h->request_count, &pss_atomic_fops);
	debugfs_create_file_unsafe("bar_fault_count", 0400, dir,
				   &h->bar_fault_count, &pss_atomic_fops);
	debugfs_create_file("set_kind", 0400, dir, pss, &pss_set_kind_fops);
	debugfs_create_file("set_members", 0400, dir, pss,
			    &pss_set_members_fops);
	pss->hooks = h;
}

/**
 * pss_debugfs_remove() - undo pss_debugfs_add()
 * @pss: the device, unregistered: no op can count any more
 *
 * Called from remove. Waits for readers of the files to finish.
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
