// SPDX-License-Identifier: GPL-2.0
/*
 * pci_slot_stub: BAR mmap(), its faults, and taking user access away from a
 * function while it is reset.
 *
 * mmap() maps nothing: the fault handler inserts each page, under
 * memory_lock held for read, and only while the function decodes memory.
 * A reset takes memory_lock for write, so no page can come in, and zaps
 * every page already in, so no user access can reach the function until
 * it is over; the next access faults its page back in. Inserting at fault
 * time also keeps x86 PAT right: a remap_pfn_range() of the whole VMA at
 * mmap() reserves a memory type for the range, which a partial munmap()
 * cannot give back; an inserted pfn reserves nothing.
 *
 * The zap needs every mapping of the function in one place. Each function
 * has an inode of its own, on a small pseudo filesystem of the driver, and
 * mmap() points the new VMA at a file of that inode (vma_set_file()), as
 * dma-buf does with its own file: the VMA, its splits, its mremap() moves
 * and its fork() copies all sit in that inode's address space, and one
 * unmap_mapping_range() reaches them, without mmap_lock and without
 * knowing which processes map the function. The file holds a reference to
 * the device fd the user mapped, so that, as with any mapping of a file,
 * the device stays open for as long as it is mapped.
 *
 * (6.10 and later give every vfio_device an inode for this, in the part of
 * struct vfio_device the core keeps to itself; 6.1 has none. One way on
 * every kernel is simpler to read and to test.)
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/pseudo_fs.h>

#include "pss_compat.h"
#include "pss.h"

#define PSS_MMAP_FS_MAGIC	0x70737362	/* "pssb" */

/* The pseudo filesystem of the functions' inodes; module init to exit. */
static struct vfsmount *pss_mmap_mnt;

/* Its superblock: no files of its own, only the inodes given out here. */
static int pss_mmap_init_fs_context(struct fs_context *fc)
{
	if (!init_pseudo(fc, PSS_MMAP_FS_MAGIC))
		return -ENOMEM;
	return 0;
}

static struct file_system_type pss_mmap_fs_type = {
	.name		= "pci_slot_stub_bars",
	.kill_sb	= kill_anon_super,
	.init_fs_context = pss_mmap_init_fs_context,
};

/**
 * pss_mmap_init() - mount the pseudo filesystem, at module init
 *
 * Return: 0 or -errno.
 */
int pss_mmap_init(void)
{
	pss_mmap_mnt = kern_mount(&pss_mmap_fs_type);
	return PTR_ERR_OR_ZERO(pss_mmap_mnt);
}

/**
 * pss_mmap_exit() - unmount it, at module exit, when no inode is left
 */
void pss_mmap_exit(void)
{
	kern_unmount(pss_mmap_mnt);
}

/**
 * pss_mmap_dev_init() - give a function the inode its mappings live in
 * @pss: the device, from the vfio_device .init op
 *
 * Return: 0 or -errno.
 */
int pss_mmap_dev_init(struct pss_dev *pss)
{
	struct inode *inode = alloc_anon_inode(pss_mmap_mnt->mnt_sb);

	if (IS_ERR(inode))
		return PTR_ERR(inode);
	pss->bars.inode = inode;
	return 0;
}

/**
 * pss_mmap_dev_release() - drop the inode, from the .release op
 * @pss: the device; no mapping of it is left, as each held it open
 */
void pss_mmap_dev_release(struct pss_dev *pss)
{
	iput(pss->bars.inode);
}

/* The mapping's file goes with its last VMA: let go of the device fd. */
static int pss_mmap_file_release(struct inode *inode, struct file *file)
{
	fput(file->private_data);
	return 0;
}

/*
 * No .owner: alloc_file_pseudo() takes no module reference for it, and the
 * device fd the file holds keeps the module loaded.
 */
static const struct file_operations pss_mmap_file_fops = {
	.release	= pss_mmap_file_release,
};

/*
 * Called with mmap_lock (or the VMA's lock) held for read. A function that
 * does not decode memory gets SIGBUS, as from vfio-pci; during a reset
 * memory_lock is held for write, so the fault waits for the reset to end.
 */
static vm_fault_t pss_mmap_fault(struct vm_fault *vmf)
{
	struct pss_dev *pss = vmf->vma->vm_private_data;
	u64 pos = (u64)vmf->pgoff << PAGE_SHIFT;
	unsigned int bar = PSS_OFFSET_TO_INDEX(pos);
	unsigned long pfn;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	pfn = (pci_resource_start(pss->pdev, bar) + (pos & PSS_OFFSET_MASK)) >>
	      PAGE_SHIFT;

	down_read(&pss->bars.memory_lock);
	if (pss_bars_decoding(&pss->bars)) {
		ret = vmf_insert_pfn(vmf->vma, vmf->address, pfn);
		pss_hook_count(pss, PSS_COUNT_BAR_FAULT);
	}
	up_read(&pss->bars.memory_lock);
	return ret;
}

static const struct vm_operations_struct pss_mmap_vm_ops = {
	.fault = pss_mmap_fault,
};

/*
 * The file the VMA will point at: the function's inode, holding the device
 * fd the user mapped.
 */
static struct file *pss_mmap_file(struct pss_dev *pss, struct file *devfile)
{
	struct inode *inode = pss->bars.inode;
	struct file *file;

	/* The new file takes over this reference, unless it fails. */
	ihold(inode);
	file = alloc_file_pseudo(inode, pss_mmap_mnt, "[pci_slot_stub]",
				 O_RDWR, &pss_mmap_file_fops);
	if (IS_ERR(file)) {
		iput(inode);
		return file;
	}
	file->private_data = get_file(devfile);
	return file;
}

/**
 * pss_bar_mmap() - set up a user mapping of part of a BAR
 * @pss: the device, open
 * @bar: BAR index, already checked to be below PCI_STD_NUM_BARS
 * @vma: the user mapping; its vm_pgoff is the offset in the device fd
 *
 * Maps nothing; pages come in through pss_mmap_fault(). Pages holding
 * guarded registers (struct pss_bar_guard) may be mapped, but never
 * writably. Called from the vfio_device mmap op, with mmap_lock held for
 * write.
 *
 * Return: 0 or -errno: -EINVAL for a BAR that is not mmappable, a private
 * mapping or a range outside the BAR; -EPERM for a writable mapping of a
 * guarded page; -ENOMEM.
 */
int pss_bar_mmap(struct pss_dev *pss, unsigned int bar,
		 struct vm_area_struct *vma)
{
	u64 off = ((u64)vma->vm_pgoff << PAGE_SHIFT) & PSS_OFFSET_MASK;
	u64 len = pci_resource_len(pss->pdev, bar);
	u64 size = vma->vm_end - vma->vm_start;
	u64 guard_start, guard_end;
	struct file *file;

	if (!pss->bars.map[bar] || !pss_bar_mmappable(pss->pdev, bar))
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (off >= len || size > len - off)
		return -EINVAL;
	if (pss_bar_guard_pages(&pss->bars, bar, &guard_start, &guard_end) &&
	    off < guard_end && off + size > guard_start) {
		if (vma->vm_flags & VM_WRITE)
			return -EPERM;
		/* Nor may mprotect() make it writable later. */
		pss_compat_vm_flags_clear(vma, VM_MAYWRITE);
	}

	file = pss_mmap_file(pss, vma->vm_file);
	if (IS_ERR(file))
		return PTR_ERR(file);

	/* Nothing below fails, so the new file is the VMA's for good. */
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	vma->vm_page_prot = pgprot_decrypted(vma->vm_page_prot);
	/* What io_remap_pfn_range() would set; the fault handler can't. */
	pss_compat_vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND |
				VM_DONTDUMP);
	vma->vm_private_data = pss;
	vma->vm_ops = &pss_mmap_vm_ops;
	vma_set_file(vma, file);
	fput(file);
	return 0;
}

/**
 * pss_mmio_block_locked() - take every user access away from a function
 * @pss: the function about to be reset
 *
 * Takes memory_lock for write, which waits for read(), write() and faults
 * in flight and holds new ones off, then zaps every page of every user
 * mapping of the function. Several functions may be blocked at once, one
 * after the other: all under the device set lock, which orders them.
 * Called with the device set lock held and no mmap_lock.
 */
void pss_mmio_block_locked(struct pss_dev *pss)
{
	lockdep_assert_held(&pss->vdev.dev_set->lock);

	down_write_nest_lock(&pss->bars.memory_lock, &pss->vdev.dev_set->lock);
	unmap_mapping_range(pss->bars.inode->i_mapping, 0, 0, true);
}

/**
 * pss_mmio_unblock() - undo pss_mmio_block_locked()
 * @pss: the function
 *
 * User accesses resume; mappings fault their pages back in.
 */
void pss_mmio_unblock(struct pss_dev *pss)
{
	up_write(&pss->bars.memory_lock);
}
