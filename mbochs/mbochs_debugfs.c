// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs debugfs: observability and test hooks.
 *
 * /sys/kernel/debug/mbochs/
 *   pool          "total used available" MiB of the memory pool
 *   fault_batch   pages a BAR0 fault maps at once (1 = one page per fault)
 *   fault_pmd     whether new BAR0 mappings may take 2 MiB PMD entries;
 *                 only where the kernel can map them
 *   fail_create   one-shot failure injection for the next create, by
 *                 enum mbochs_fail_point: 1 in .init after the pool
 *                 reservation, 2 in .init after the page array, 3 in
 *                 probe after .init
 *   <uuid>/       one per device
 *     open_count, close_count   open_device/close_device calls so far
 *     vram_pages    video memory pages allocated now
 *     planes        framebuffers described to user space now
 *     pmd_maps      2 MiB PMD entries a BAR0 fault inserted so far
 *
 * Nothing here is read in a hot path except fault_batch, once per fault,
 * and fault_pmd, once per mmap().
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "vfio_suite_compat.h"
#include "mbochs.h"
#include "mbochs_pool.h"

/* Pages one fault maps; 64 KiB blocks cost little and save 15 faults. */
#define MBOCHS_FAULT_BATCH_DEFAULT	64

static struct dentry *mbochs_debugfs_root;
static u32 mbochs_fault_batch_pages = MBOCHS_FAULT_BATCH_DEFAULT;
static u32 mbochs_fail_create;
static bool mbochs_fault_pmd_on = VFIO_SUITE_PMD_PFNMAP;

/**
 * mbochs_should_fail() - consume an injected failure at @point
 * @point: where the caller is
 *
 * Return: true once if user space armed fail_create with @point.
 */
bool mbochs_should_fail(enum mbochs_fail_point point)
{
	return cmpxchg(&mbochs_fail_create, point, MBOCHS_FAIL_NONE) == point;
}

/* Return: pages a BAR0 fault maps; the fault handler clamps the value. */
unsigned int mbochs_fault_batch(void)
{
	return READ_ONCE(mbochs_fault_batch_pages);
}

/* Return: whether new BAR0 mappings may take 2 MiB PMD entries. */
bool mbochs_fault_pmd(void)
{
	return READ_ONCE(mbochs_fault_pmd_on);
}

static int mbochs_pool_show(struct seq_file *s, void *unused)
{
	u32 total = mbochs_pool_total(), avail = mbochs_pool_avail();

	seq_printf(s, "%u %u %u\n", total, total - avail, avail);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mbochs_pool);

/**
 * mbochs_debugfs_add() - the debugfs directory of a new device
 * @mb: the device, registered
 *
 * Called from probe. The files read plain counters without locks; a
 * torn value is acceptable for observability.
 */
void mbochs_debugfs_add(struct mbochs_device *mb)
{
	mb->debugfs = debugfs_create_dir(dev_name(mb->vdev.dev),
					 mbochs_debugfs_root);
	debugfs_create_u32("open_count", 0444, mb->debugfs, &mb->open_count);
	debugfs_create_u32("close_count", 0444, mb->debugfs, &mb->close_count);
	debugfs_create_u32("vram_pages", 0444, mb->debugfs,
			   &mb->vram.nr_allocated);
	debugfs_create_u32("planes", 0444, mb->debugfs, &mb->planes.count);
	debugfs_create_u32("pmd_maps", 0444, mb->debugfs,
			   &mb->vram.nr_pmd_maps);
}

/**
 * mbochs_debugfs_remove() - undo mbochs_debugfs_add()
 * @mb: the device being removed
 */
void mbochs_debugfs_remove(struct mbochs_device *mb)
{
	debugfs_remove(mb->debugfs);
}

void mbochs_debugfs_init(void)
{
	mbochs_debugfs_root = debugfs_create_dir(MBOCHS_NAME, NULL);
	debugfs_create_file("pool", 0444, mbochs_debugfs_root, NULL,
			    &mbochs_pool_fops);
	debugfs_create_u32("fault_batch", 0644, mbochs_debugfs_root,
			   &mbochs_fault_batch_pages);
	/* Absent where the kernel cannot map a PMD: tests skip then. */
	if (VFIO_SUITE_PMD_PFNMAP)
		debugfs_create_bool("fault_pmd", 0644, mbochs_debugfs_root,
				    &mbochs_fault_pmd_on);
	debugfs_create_u32("fail_create", 0644, mbochs_debugfs_root,
			   &mbochs_fail_create);
}

void mbochs_debugfs_exit(void)
{
	debugfs_remove(mbochs_debugfs_root);
}
