/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbochs video memory: an array of pages allocated on first touch.
 */
#ifndef MBOCHS_VRAM_H
#define MBOCHS_VRAM_H

#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/types.h>

/**
 * struct mbochs_vram - video memory of one device
 * @lock: the owner's lock that protects @pages and @nr_allocated; every
 *        _locked function asserts it is held
 * @pages: one slot per page of video memory, NULL until first touched
 * @nr_pages: number of slots in @pages
 * @nr_allocated: slots that hold a page; close skips an empty array, and
 *                debugfs shows it
 */
struct mbochs_vram {
	struct mutex *lock;	/* the owner's; see @lock above */
	struct page **pages;
	pgoff_t nr_pages;
	u32 nr_allocated;
};

int mbochs_vram_init(struct mbochs_vram *vram, struct mutex *lock, u64 size);
void mbochs_vram_fini(struct mbochs_vram *vram);
void mbochs_vram_free_pages_locked(struct mbochs_vram *vram);
struct page *mbochs_vram_get_page_locked(struct mbochs_vram *vram,
					 pgoff_t pgoff, bool alloc);
int mbochs_vram_get_pages_locked(struct mbochs_vram *vram, pgoff_t first,
				 pgoff_t count, struct page **pages);
vm_fault_t mbochs_vram_fault_locked(struct mbochs_vram *vram,
				    struct vm_fault *vmf, unsigned int batch);
bool mbochs_vram_pmd_mappable(struct vm_area_struct *vma);
vm_fault_t mbochs_vram_huge_fault_locked(struct mbochs_vram *vram,
					 struct vm_fault *vmf, bool *mapped);

#endif /* MBOCHS_VRAM_H */
