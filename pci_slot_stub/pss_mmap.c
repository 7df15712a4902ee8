// SPDX-License-Identifier: GPL-2.0
/*
 * pci_slot_stub: BAR mmap(), its faults, and taking mappings away from a
 * function before it is reset.
 *
 * As in vfio-pci, mmap() maps nothing: the fault handler inserts each page,
 * under memory_lock, with vmf_insert_pfn(). A reset first zaps the pages of
 * every user mapping and then holds memory_lock for write, so the user
 * never touches a BAR while a reset has it disabled; the next access simply
 * faults the page back in. Inserting at fault time also keeps x86 PAT
 * right: remap_pfn_range() at mmap time reserves a memory type for the
 * whole VMA, and a partial munmap() of it then leaked the reservation (a
 * bug the fuzzer found); an inserted pfn reserves nothing.
 *
 * vfio-pci on 6.10 and later zaps with unmap_mapping_range() on the
 * vfio_device's own inode. 6.1 has no such inode, so on every kernel the
 * stub tracks its mappings itself: each VMA has a struct pss_vma on
 * pss_bars.vmas, added by mmap() and by vm_ops->open() (a split, a mremap()
 * or a fork() copy) and removed by vm_ops->close(). Zapping a VMA needs its
 * mm's mmap_lock, which ranks above vma_lock, so the zap drops vma_lock to
 * take it and goes round until, with vma_lock held, no VMA has pages.
 *
 * The compat header is included for mm helpers only; nothing here is VFIO.
 */
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "vfio_suite_compat.h"
#include "pss_bar.h"

/**
 * struct pss_vma - one user mapping of a BAR
 * @node: on pss_bars.vmas; pss_bars.vma_lock
 * @vma: the mapping
 * @bars: the function's BAR state
 * @pfn_delta: added to a fault's file page offset gives the page's pfn;
 *	constant, and the same for every piece of a split mapping
 * @mapped: pages may be present: faulted in, or copied by a split or a
 *	fork; pss_bars.vma_lock
 */
struct pss_vma {
	struct list_head node;
	struct vm_area_struct *vma;
	struct pss_bars *bars;
	unsigned long pfn_delta;
	bool mapped;
};

static bool pss_mutex_lock(struct mutex *lock, bool wait)
{
	if (!wait)
		return mutex_trylock(lock);
	mutex_lock(lock);
	return true;
}

static void pss_vma_track(struct pss_bars *bars, struct pss_vma *pv)
{
	mutex_lock(&bars->vma_lock);
	list_add(&pv->node, &bars->vmas);
	mutex_unlock(&bars->vma_lock);
}

/* A split, mremap() or fork() made @vma from a tracked mapping. */
static void pss_bar_vma_open(struct vm_area_struct *vma)
{
	struct pss_vma *from = vma->vm_private_data;
	struct pss_vma *pv;

	/* open() cannot fail, and the struct is small: never let it fail. */
	pv = kzalloc(sizeof(*pv), GFP_KERNEL | __GFP_NOFAIL);
	pv->vma = vma;
	pv->bars = from->bars;
	pv->pfn_delta = from->pfn_delta;
	/* Splits and forks copy page table entries without a fault. */
	pv->mapped = true;
	vma->vm_private_data = pv;
	pss_vma_track(pv->bars, pv);
}

static void pss_bar_vma_close(struct vm_area_struct *vma)
{
	struct pss_vma *pv = vma->vm_private_data;
	struct pss_bars *bars = pv->bars;

	mutex_lock(&bars->vma_lock);
	list_del(&pv->node);
	mutex_unlock(&bars->vma_lock);
	kfree(pv);
}

/*
 * Called with mmap_lock (or the VMA's lock) held for read. A function that
 * does not decode memory gets SIGBUS, as from vfio-pci; a reset in progress
 * holds memory_lock, so the fault waits for it to finish.
 */
static vm_fault_t pss_bar_fault(struct vm_fault *vmf)
{
	struct pss_vma *pv = vmf->vma->vm_private_data;
	struct pss_bars *bars = pv->bars;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	mutex_lock(&bars->vma_lock);
	down_read(&bars->memory_lock);
	if (pss_bars_decoding(bars)) {
		ret = vmf_insert_pfn(vmf->vma, vmf->address,
				     vmf->pgoff + pv->pfn_delta);
		pv->mapped = true;
		bars->fault_count++;
	}
	up_read(&bars->memory_lock);
	mutex_unlock(&bars->vma_lock);
	return ret;
}

static const struct vm_operations_struct pss_bar_vm_ops = {
	.open = pss_bar_vma_open,
	.close = pss_bar_vma_close,
	.fault = pss_bar_fault,
};

/**
 * pss_bar_mmap() - set up a user mapping of part of a BAR
 * @bars: state of the open function
 * @bar: BAR index, already checked to be below PCI_STD_NUM_BARS
 * @vma: the user mapping; must be shared
 * @pgoff: page offset of the mapping in the BAR
 *
 * Maps nothing; pages come in through pss_bar_fault(). Pages holding
 * guarded registers (struct pss_bar_guard) may be mapped, but never
 * writably. Called from the vfio_device mmap op, with mmap_lock held for
 * write.
 *
 * Return: 0 or -errno: -EINVAL for a BAR that is not mmappable, a private
 * mapping or a range outside the BAR; -EPERM for a writable mapping of a
 * guarded page; -ENOMEM.
 */
int pss_bar_mmap(struct pss_bars *bars, int bar, struct vm_area_struct *vma,
		 unsigned long pgoff)
{
	u64 len = pci_resource_len(bars->pdev, bar);
	u64 size = vma->vm_end - vma->vm_start;
	u64 off = (u64)pgoff << PAGE_SHIFT;
	u64 guard_start, guard_end;
	struct pss_vma *pv;

	if (!bars->map[bar] || !pss_bar_mmappable(bars->pdev, bar))
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (pgoff >= len >> PAGE_SHIFT || size > len - off)
		return -EINVAL;
	if (pss_bar_guard_pages(bars, bar, &guard_start, &guard_end) &&
	    off < guard_end && off + size > guard_start) {
		if (vma->vm_flags & VM_WRITE)
			return -EPERM;
		/* Nor may mprotect() make it writable later. */
		vfio_suite_vm_flags_clear(vma, VM_MAYWRITE);
	}

	pv = kzalloc(sizeof(*pv), GFP_KERNEL);
	if (!pv)
		return -ENOMEM;
	pv->vma = vma;
	pv->bars = bars;
	pv->pfn_delta = (pci_resource_start(bars->pdev, bar) >> PAGE_SHIFT) +
			pgoff - vma->vm_pgoff;

	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	vma->vm_page_prot = pgprot_decrypted(vma->vm_page_prot);
	/* What io_remap_pfn_range() would set; the fault handler can't. */
	vfio_suite_vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND |
				VM_DONTDUMP);
	/*
	 * Nothing below can fail, so the core calls ->close() exactly when
	 * the mapping goes, on every kernel.
	 */
	vma->vm_private_data = pv;
	vma->vm_ops = &pss_bar_vm_ops;
	pss_vma_track(bars, pv);
	return 0;
}

/*
 * Zap every mapping that has pages and return 0 with vma_lock held once,
 * under it, none has. Without @wait every lock is only tried (-EBUSY if
 * one is contended): the hot reset path already holds other functions'
 * memory_lock, which ranks below mmap_lock.
 */
static int pss_bars_zap_and_lock_vmas(struct pss_bars *bars, bool wait)
{
	struct mm_struct *mm;
	struct pss_vma *pv;

	for (;;) {
		if (!pss_mutex_lock(&bars->vma_lock, wait))
			return -EBUSY;
		mm = NULL;
		list_for_each_entry(pv, &bars->vmas, node) {
			if (pv->mapped) {
				mm = pv->vma->vm_mm;
				break;
			}
		}
		if (!mm)
			return 0;
		/* The VMA, and so its mm, lives while vma_lock is held. */
		mmgrab(mm);
		mutex_unlock(&bars->vma_lock);

		if (wait) {
			mmap_read_lock(mm);
		} else if (!mmap_read_trylock(mm)) {
			mmdrop(mm);
			return -EBUSY;
		}
		if (!pss_mutex_lock(&bars->vma_lock, wait)) {
			mmap_read_unlock(mm);
			mmdrop(mm);
			return -EBUSY;
		}
		list_for_each_entry(pv, &bars->vmas, node) {
			if (pv->vma->vm_mm != mm || !pv->mapped)
				continue;
			vfio_suite_zap_vma(pv->vma);
			pv->mapped = false;
		}
		mutex_unlock(&bars->vma_lock);
		mmap_read_unlock(mm);
		mmdrop(mm);
	}
}

/**
 * pss_bars_lock_for_reset() - take every user access away from a function
 * @bars: state of the function about to be reset
 * @wait: sleep for the locks; otherwise fail with -EBUSY, which the hot
 *	reset path needs because it locks several functions at once
 *
 * Zaps every user mapping of the function's BARs and takes memory_lock for
 * write, so that read(), write() and faults wait until
 * pss_bars_unlock_after_reset(). Called with the device set lock held and
 * no mmap_lock.
 *
 * Return: 0 with @bars->memory_lock held for write, or -EBUSY (only
 * without @wait) with nothing held.
 */
int pss_bars_lock_for_reset(struct pss_bars *bars, bool wait)
{
	int ret;

	ret = pss_bars_zap_and_lock_vmas(bars, wait);
	if (ret)
		return ret;
	if (wait)
		down_write(&bars->memory_lock);
	else if (!down_write_trylock(&bars->memory_lock))
		ret = -EBUSY;
	mutex_unlock(&bars->vma_lock);
	return ret;
}

/**
 * pss_bars_unlock_after_reset() - undo pss_bars_lock_for_reset()
 * @bars: state of the function
 *
 * User accesses resume; mappings fault their pages back in.
 */
void pss_bars_unlock_after_reset(struct pss_bars *bars)
{
	up_write(&bars->memory_lock);
}
