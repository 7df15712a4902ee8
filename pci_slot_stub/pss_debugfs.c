// SPDX-License-Identifier: GPL-2.0
/*
 * pci_slot_stub: debugfs counters for the selftests (see pss_abi.h).
 *
 * One directory per bound function, created after registration and removed
 * before unregistration, so the device set every file looks at exists for
 * as long as the file does. Nothing here is on a hot path.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "pss_abi.h"
#include "pss.h"

/* The driver's debugfs root; NULL-safe if debugfs is absent. */
static struct dentry *pss_debugfs_root;

static int pss_set_members_show(struct seq_file *s, void *unused)
{
	struct pss_device *pss = s->private;
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
	struct pss_device *pss = s->private;

	seq_printf(s, "%s\n", pss_set_kind_name(pss->set_kind));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pss_set_kind);

/**
 * pss_debugfs_add() - create a function's debugfs directory
 * @pss: the device, registered
 *
 * Called from probe. Failures are ignored, as debugfs wants.
 */
void pss_debugfs_add(struct pss_device *pss)
{
	struct dentry *dir;

	dir = debugfs_create_dir(pci_name(pss->pdev), pss_debugfs_root);
	pss->debugfs = dir;

	debugfs_create_u32("open_count", 0400, dir, &pss->stats.open_count);
	debugfs_create_u32("close_count", 0400, dir, &pss->stats.close_count);
	debugfs_create_u32("set_reset_count", 0400, dir,
			   &pss->stats.set_reset_count);
	debugfs_create_u32("hot_reset_count", 0400, dir,
			   &pss->stats.hot_reset_count);
	debugfs_create_u32("func_reset_count", 0400, dir,
			   &pss->stats.func_reset_count);
	debugfs_create_u32("request_count", 0400, dir, &pss->request_count);
	debugfs_create_u32("bar_fault_count", 0400, dir,
			   &pss->bars.fault_count);
	debugfs_create_file("set_kind", 0400, dir, pss, &pss_set_kind_fops);
	debugfs_create_file("set_members", 0400, dir, pss,
			    &pss_set_members_fops);
}

/**
 * pss_debugfs_remove() - undo pss_debugfs_add()
 * @pss: the device, still registered
 *
 * Called from remove. Waits for readers of the files to finish.
 */
void pss_debugfs_remove(struct pss_device *pss)
{
	debugfs_remove_recursive(pss->debugfs);
	pss->debugfs = NULL;
}

/** pss_debugfs_init() - create the driver's debugfs root, at module init */
void pss_debugfs_init(void)
{
	pss_debugfs_root = debugfs_create_dir(PSS_DEBUGFS_DIR, NULL);
}

/** pss_debugfs_exit() - remove the root, at module exit */
void pss_debugfs_exit(void)
{
	debugfs_remove_recursive(pss_debugfs_root);
	pss_debugfs_root = NULL;
}
