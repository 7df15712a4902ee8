// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs test hooks, built only with VFIO_SUITE_TEST_HOOKS=y: failure
 * injection, the fault knobs, counters, and debugfs to reach them. A
 * driver built without this file behaves the same, with the defaults of
 * the inline stubs in mbochs.h.
 *
 * /sys/kernel/debug/mbochs/
 *   pool          "total used available" MiB of the instance pool
 *   fault_batch   pages a BAR0 fault maps with page entries (default 64,
 *                 clamped to 1..512; 1, the one page per fault baseline,
 *                 also turns PMD entries off)
 *   fault_pmd     whether new BAR0 mappings may take 2 MiB PMD entries;
 *                 only where the kernel can map them
 *   fail_create   one-shot failure of the next create, by
 *                 enum mbochs_fail_point: 1 in .init after the pool
 *                 reservation, 2 in .init after the page array, 3 in
 *                 probe after .init; reads 0 once used
 *   <uuid>/       one per device
 *     open_count, close_count   open_device/close_device calls so far
 *     vram_pages    video memory pages allocated now
 *     planes        framebuffers described to user space now
 *     pmd_maps      2 MiB PMD entries BAR0 faults inserted so far
 *     set_members   the devices of the device's set, one name a line
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "mbochs.h"
#include "mbochs_compat.h"

/**
 * struct mbochs_hooks - what the hooks keep per device
 * @dir: the device's debugfs directory
 * @open_count: open_device calls; written under the device set lock
 * @close_count: close_device calls; written under the device set lock
 * @pmd_maps: PMD entries inserted; written under state_lock
 *
 * debugfs reads the counters without locks: a torn value is acceptable.
 */
struct mbochs_hooks {
	struct dentry *dir;
	u32 open_count;
	u32 close_count;
	u32 pmd_maps;
};

static struct dentry *mbochs_debugfs_root;
static u32 mbochs_fault_batch_pages = MBOCHS_FAULT_BATCH;
static bool mbochs_fault_pmd_on = MBOCHS_COMPAT_PMD_PFNMAP;
static u32 mbochs_fail_create;

/* ---- the hooks the driver calls ---- */

/* Return: true once, at @point, if user space armed fail_create with it. */
bool mbochs_hook_fail(enum mbochs_fail_point point)
{
	return cmpxchg(&mbochs_fail_create, point, MBOCHS_FAIL_NONE) == point;
}

/* Return: pages a BAR0 fault maps; the fault handler clamps the value. */
unsigned int mbochs_hook_fault_batch(void)
{
	return READ_ONCE(mbochs_fault_batch_pages);
}

/* Return: whether a new BAR0 mapping may take PMD entries. */
bool mbochs_hook_fault_pmd(void)
{
	return READ_ONCE(mbochs_fault_pmd_on) &&
	       READ_ONCE(mbochs_fault_batch_pages) > 1;
}

void mbochs_hook_opened(struct mbochs_dev *mb)
{
	if (mb->hooks)
		mb->hooks->open_count++;
}

void mbochs_hook_closed(struct mbochs_dev *mb)
{
	if (mb->hooks)
		mb->hooks->close_count++;
}

void mbochs_hook_pmd_mapped(struct mbochs_dev *mb)
{
	if (mb->hooks)
		mb->hooks->pmd_maps++;
}

/* ---- debugfs ---- */

static int mbochs_pool_show(struct seq_file *s, void *unused)
{
	unsigned int total = mbochs_pool_total(), avail = mbochs_pool_avail();

	seq_printf(s, "%u %u %u\n", total, total - avail, avail);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mbochs_pool);

/* The devices of @mb's set, walked under the set lock. */
static int mbochs_set_members_show(struct seq_file *s, void *unused)
{
	struct mbochs_dev *mb = s->private;
	struct vfio_device_set *set = mb->vdev.dev_set;
	struct vfio_device *vdev;

	mutex_lock(&set->lock);
	list_for_each_entry(vdev, &set->device_list, dev_set_list)
		seq_printf(s, "%s\n", dev_name(vdev->dev));
	mutex_unlock(&set->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mbochs_set_members);

/**
 * mbochs_debugfs_add() - a new device's hooks and debugfs directory
 * @mb: the device, in its set, not registered yet
 *
 * Called from probe. Without memory the device has no hooks: its
 * counters stay absent, and the device works the same.
 */
void mbochs_debugfs_add(struct mbochs_dev *mb)
{
	struct mbochs_hooks *hooks;
	struct dentry *dir;

	hooks = kzalloc(sizeof(*hooks), GFP_KERNEL);
	if (!hooks)
		return;
	dir = debugfs_create_dir(dev_name(mb->vdev.dev), mbochs_debugfs_root);
	debugfs_create_u32("open_count", 0444, dir, &hooks->open_count);
	debugfs_create_u32("close_count", 0444, dir, &hooks->close_count);
	debugfs_create_u32("pmd_maps", 0444, dir, &hooks->pmd_maps);
	debugfs_create_u32("vram_pages", 0444, dir, &mb->vram.nr_allocated);
	debugfs_create_u32("planes", 0444, dir, &mb->planes.count);
	debugfs_create_file("set_members", 0444, dir, mb,
			    &mbochs_set_members_fops);
	hooks->dir = dir;
	mb->hooks = hooks;
}

/**
 * mbochs_debugfs_remove() - undo mbochs_debugfs_add()
 * @mb: the device, unregistered or never registered: no fd is open
 *
 * Waits for readers of the files to finish.
 */
void mbochs_debugfs_remove(struct mbochs_dev *mb)
{
	if (!mb->hooks)
		return;
	debugfs_remove_recursive(mb->hooks->dir);
	kfree(mb->hooks);
	mb->hooks = NULL;
}

/** mbochs_debugfs_init() - the driver's debugfs root, at module init */
void mbochs_debugfs_init(void)
{
	mbochs_debugfs_root = debugfs_create_dir(MBOCHS_NAME, NULL);
	debugfs_create_file("pool", 0444, mbochs_debugfs_root, NULL,
			    &mbochs_pool_fops);
	debugfs_create_u32("fault_batch", 0644, mbochs_debugfs_root,
			   &mbochs_fault_batch_pages);
	/* Absent where the kernel cannot map a PMD: tests skip then. */
	if (MBOCHS_COMPAT_PMD_PFNMAP)
		debugfs_create_bool("fault_pmd", 0644, mbochs_debugfs_root,
				    &mbochs_fault_pmd_on);
	debugfs_create_u32("fail_create", 0644, mbochs_debugfs_root,
			   &mbochs_fail_create);
}

/** mbochs_debugfs_exit() - remove the root, at module exit */
void mbochs_debugfs_exit(void)
{
	debugfs_remove_recursive(mbochs_debugfs_root);
}
