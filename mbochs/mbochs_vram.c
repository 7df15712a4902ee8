// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs video memory.
 *
 * Pages are allocated when first touched: by a BAR0 write, a BAR0 page
 * fault or a dma-buf export; a fault fills a whole block at once, where it
 * can with one higher-order allocation. The device keeps one reference on
 * each page until its last user closes it; a mapping or a dma-buf that
 * still needs a page holds its own reference, so dropping ours never frees
 * a page that is still in use. A block allocated whole goes back to the
 * allocator whole, when the last reference to any of its pages is gone.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "mbochs_compat.h"
#include "mbochs_vram.h"

/**
 * mbochs_vram_init() - allocate the page array for @size bytes
 * @vram: zeroed structure
 * @lock: the lock that will protect @vram
 * @size: bytes of video memory, a multiple of the page size
 *
 * Return: 0 or -ENOMEM.
 */
int mbochs_vram_init(struct mbochs_vram *vram, struct mutex *lock, u64 size)
{
	vram->lock = lock;
	vram->nr_pages = size >> PAGE_SHIFT;
	vram->pages = kvcalloc(vram->nr_pages, sizeof(*vram->pages),
			       GFP_KERNEL);
	return vram->pages ? 0 : -ENOMEM;
}

/**
 * mbochs_vram_fini() - free the page array and any pages still in it
 * @vram: initialised video memory nobody else can reach any more
 */
void mbochs_vram_fini(struct mbochs_vram *vram)
{
	pgoff_t i;

	for (i = 0; i < vram->nr_pages; i++)
		if (vram->pages[i])
			put_page(vram->pages[i]);
	kvfree(vram->pages);
	vram->pages = NULL;
}

/**
 * mbochs_vram_free_pages_locked() - drop the device's reference on all pages
 * @vram: video memory
 *
 * Called when the last user closes the device: video memory is not kept
 * for the next user. Pages still mapped or exported stay alive through
 * their other references.
 */
void mbochs_vram_free_pages_locked(struct mbochs_vram *vram)
{
	pgoff_t i;

	lockdep_assert_held(vram->lock);
	for (i = 0; vram->nr_allocated && i < vram->nr_pages; i++) {
		if (vram->pages[i]) {
			put_page(vram->pages[i]);
			vram->pages[i] = NULL;
			vram->nr_allocated--;
		}
	}
}

/* The page at @pgoff, allocated (zeroed) if it was never touched. */
static struct page *mbochs_vram_page_locked(struct mbochs_vram *vram,
					    pgoff_t pgoff)
{
	struct page *page = vram->pages[pgoff];

	lockdep_assert_held(vram->lock);
	if (!page) {
		page = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
		if (!page)
			return NULL;
		vram->pages[pgoff] = page;
		vram->nr_allocated++;
	}
	return page;
}

/**
 * mbochs_vram_get_page_locked() - take a reference on one page
 * @vram: video memory
 * @pgoff: the page; below nr_pages
 * @alloc: allocate it (zeroed) if it was never touched
 *
 * Return: the page with a reference the caller must put; NULL if it was
 * never touched and @alloc is false; ERR_PTR(-ENOMEM).
 */
struct page *mbochs_vram_get_page_locked(struct mbochs_vram *vram,
					 pgoff_t pgoff, bool alloc)
{
	struct page *page = vram->pages[pgoff];

	lockdep_assert_held(vram->lock);
	if (!page && alloc) {
		page = mbochs_vram_page_locked(vram, pgoff);
		if (!page)
			return ERR_PTR(-ENOMEM);
	}
	if (page)
		get_page(page);
	return page;
}

/**
 * mbochs_vram_get_pages_locked() - take a reference on a range of pages
 * @vram: video memory
 * @first: first page
 * @count: number of pages; @first + @count <= nr_pages
 * @pages: receives the pages, each with a reference the caller must put
 *
 * Return: 0 or -ENOMEM, in which case no reference is held.
 */
int mbochs_vram_get_pages_locked(struct mbochs_vram *vram, pgoff_t first,
				 pgoff_t count, struct page **pages)
{
	pgoff_t i;

	lockdep_assert_held(vram->lock);
	for (i = 0; i < count; i++) {
		pages[i] = mbochs_vram_page_locked(vram, first + i);
		if (!pages[i])
			goto out_put_pages;
		get_page(pages[i]);
	}
	return 0;

out_put_pages:
	while (i--)
		put_page(pages[i]);
	return -ENOMEM;
}

/* The most pages one fault maps: 2 MiB, one page table's worth. */
#define MBOCHS_VRAM_MAX_BATCH	512
/* The largest block taken in one allocation: order 9, 2 MiB. */
#define MBOCHS_VRAM_MAX_ORDER	9

/*
 * A block taken whole only when free memory has one at hand: no direct
 * reclaim or compaction in the fault path (kswapd is woken to make some
 * for later), as the page allocator treats transparent huge pages by
 * default. Short of one, the caller fills the block page by page.
 */
#define MBOCHS_VRAM_GFP_BLOCK	((GFP_HIGHUSER | __GFP_ZERO | __GFP_COMP | \
				  __GFP_NOWARN | __GFP_NOMEMALLOC) & \
				 ~__GFP_DIRECT_RECLAIM)

/*
 * Fill the empty run [@first, @first + @count) with one compound
 * allocation: one trip through the allocator, and one block back to it
 * when the last reference to any of its pages is gone, intact, so that
 * the next device gets the same block (and the same 2 MiB for a PMD
 * entry) instead of one taken apart page by page. Each slot holds its
 * own reference, like a single page's.
 * Return: true if the run is filled.
 */
static bool mbochs_vram_alloc_run_locked(struct mbochs_vram *vram,
					 pgoff_t first, pgoff_t count)
{
	unsigned int order = ilog2(count);
	struct page *page;
	pgoff_t i;

	lockdep_assert_held(vram->lock);
	if (count < 2 || !is_power_of_2(count) || order > MBOCHS_VRAM_MAX_ORDER)
		return false;
	page = alloc_pages(MBOCHS_VRAM_GFP_BLOCK, order);
	if (!page)
		return false;
	page_ref_add(page, count - 1);
	for (i = 0; i < count; i++)
		vram->pages[first + i] = page + i;
	vram->nr_allocated += count;
	return true;
}

/*
 * Make sure pages [@first, @end) exist: an empty block in one allocation
 * if it can, else the missing pages in one bulk call (it fills only the
 * empty slots) and, should that come up short, one at a time. Return: the
 * end of the run that exists from @first, which is @end unless memory ran
 * out.
 */
static pgoff_t mbochs_vram_populate_locked(struct mbochs_vram *vram,
					   pgoff_t first, pgoff_t end)
{
	unsigned long had = 0, have = 0;
	pgoff_t i;

	lockdep_assert_held(vram->lock);
	for (i = first; i < end; i++)
		had += !!vram->pages[i];
	if (had == end - first)
		return end;
	if (!had && mbochs_vram_alloc_run_locked(vram, first, end - first))
		return end;
	/* Its return value counts only a populated prefix: count again. */
	mbochs_compat_alloc_pages_bulk(GFP_HIGHUSER | __GFP_ZERO, end - first,
				       &vram->pages[first]);
	for (i = first; i < end; i++)
		have += !!vram->pages[i];
	vram->nr_allocated += have - had;
	for (i = first; i < end; i++)
		if (!mbochs_vram_page_locked(vram, i))
			return i;
	return end;
}

/*
 * Map pages [@first, @end) into the VM_PFNMAP vma of @vmf, one PTE each:
 * a mapping that may also hold PMD entries takes raw pfns, with no page
 * reference or rmap (see mbochs_vram_huge_fault_locked()). A PTE already
 * there is left as it is. Return: VM_FAULT_NOPAGE once the faulting page
 * is mapped, or the error that kept it from being mapped.
 */
static vm_fault_t mbochs_vram_insert_pfns(struct mbochs_vram *vram,
					  struct vm_fault *vmf,
					  pgoff_t first, pgoff_t end)
{
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret;
	pgoff_t i;

	for (i = first; i < end; i++) {
		ret = vmf_insert_pfn(vma, vma->vm_start +
				     ((i - vma->vm_pgoff) << PAGE_SHIFT),
				     page_to_pfn(vram->pages[i]));
		if (ret != VM_FAULT_NOPAGE)
			return i > vmf->pgoff ? VM_FAULT_NOPAGE : ret;
	}
	return VM_FAULT_NOPAGE;
}

/**
 * mbochs_vram_fault_locked() - map the pages around a faulting address
 * @vram: video memory, mapped at file offset 0 of the vma
 * @vmf: the fault; its vma has VM_MIXEDMAP set, or VM_PFNMAP where the
 *       block could not take a PMD entry
 * @batch: how many pages to map per fault; clamped to 1..512
 *
 * A fault costs far more than mapping a page, more so under TCG, and a
 * framebuffer is written from start to end. So each fault allocates and
 * maps the whole @batch-aligned block of pages around the faulting one:
 * one allocation, and vm_insert_pages() takes the page table lock once
 * per few pages. Pages in the block that are already mapped are skipped.
 *
 * Return: VM_FAULT_NOPAGE once the faulting page is mapped, or an error.
 */
vm_fault_t mbochs_vram_fault_locked(struct mbochs_vram *vram,
				    struct vm_fault *vmf, unsigned int batch)
{
	struct vm_area_struct *vma = vmf->vma;
	pgoff_t vma_end = vma->vm_pgoff + vma_pages(vma);
	pgoff_t first, end, i;
	unsigned long left;
	int ret;

	lockdep_assert_held(vram->lock);
	if (vmf->pgoff >= vram->nr_pages)
		return VM_FAULT_SIGBUS;

	batch = clamp_t(unsigned int, batch, 1, MBOCHS_VRAM_MAX_BATCH);
	first = max(rounddown(vmf->pgoff, batch), vma->vm_pgoff);
	end = min3(first + batch, vma_end, vram->nr_pages);

	end = mbochs_vram_populate_locked(vram, first, end);
	/* Out of memory: map what exists, if it reaches the faulting page. */
	if (end <= vmf->pgoff)
		return VM_FAULT_OOM;

	if (vma->vm_flags & VM_PFNMAP)
		return mbochs_vram_insert_pfns(vram, vmf, first, end);

	i = first;
	while (i < end) {
		left = end - i;
		ret = vm_insert_pages(vma, vma->vm_start +
				      ((i - vma->vm_pgoff) << PAGE_SHIFT),
				      &vram->pages[i], &left);
		if (!ret)
			break;
		/*
		 * The page at end - left failed. -EBUSY: it is mapped
		 * already, skip it. Anything else is fatal only if the
		 * faulting page has not been mapped yet.
		 */
		i = end - left;
		if (ret != -EBUSY)
			return i > vmf->pgoff ? VM_FAULT_NOPAGE : vmf_error(ret);
		i++;
	}
	return VM_FAULT_NOPAGE;
}

/* Pages in one PMD entry: 2 MiB. */
#define MBOCHS_VRAM_PMD_PAGES	(PMD_SIZE >> PAGE_SHIFT)

/**
 * mbochs_vram_pmd_mappable() - can faults in @vma map whole PMDs?
 * @vma: a new mapping of video memory at file offset 0
 *
 * A PMD entry maps 2 MiB of physically contiguous, 2 MiB aligned memory
 * at a 2 MiB aligned address, so the mapping's addresses and its file
 * offsets must agree modulo 2 MiB; a VMM that wants huge mappings aligns
 * its mmap() so. The kernel must support huge PFN mappings.
 *
 * Return: true if mbochs_vram_huge_fault_locked() may succeed in @vma.
 */
bool mbochs_vram_pmd_mappable(struct vm_area_struct *vma)
{
	unsigned long off = vma->vm_pgoff << PAGE_SHIFT;

	return MBOCHS_COMPAT_PMD_PFNMAP &&
	       !((vma->vm_start - off) & ~PMD_MASK);
}

/*
 * The first pfn of the PMD-sized block at @first, allocated as one order-9
 * block if it was empty: the buddy allocator hands such a block out
 * physically contiguous and 2 MiB aligned. Return: 0 if the block is not
 * one such block (memory was short when it was filled, or some of its
 * pages were touched before through write() or an export), and the
 * caller maps it with PTEs.
 */
static unsigned long mbochs_vram_pmd_pfn_locked(struct mbochs_vram *vram,
						pgoff_t first)
{
	pgoff_t end = first + MBOCHS_VRAM_PMD_PAGES;
	struct page *head;

	lockdep_assert_held(vram->lock);
	if (mbochs_vram_populate_locked(vram, first, end) != end)
		return 0;
	head = vram->pages[first];
	if (!PageHead(head) || compound_order(head) != PMD_SHIFT - PAGE_SHIFT)
		return 0;
	return page_to_pfn(head);
}

/**
 * mbochs_vram_huge_fault_locked() - map the 2 MiB around a fault by PMD
 * @vram: video memory, mapped at file offset 0 of the vma
 * @vmf: the fault; its vma is VM_PFNMAP and mbochs_vram_pmd_mappable()
 * @mapped: set to true if this call inserted the entry
 *
 * The PMD entry is a special one: it holds no page reference; the
 * device's own references keep the pages alive, and they are dropped only
 * at the last close, when no mapping can exist.
 *
 * Return: VM_FAULT_NOPAGE, or VM_FAULT_FALLBACK where the 2 MiB do not
 * fit in the vma or in video memory or are not one contiguous run.
 */
vm_fault_t mbochs_vram_huge_fault_locked(struct mbochs_vram *vram,
					 struct vm_fault *vmf, bool *mapped)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long addr = vmf->address & PMD_MASK;
	unsigned long pfn;
	pgoff_t first;
	vm_fault_t ret;

	lockdep_assert_held(vram->lock);
	*mapped = false;
	/*
	 * Another thread's fault got here first (the lock serialises every
	 * fault on video memory): retry, and find its entry.
	 */
	if (!pmd_none(READ_ONCE(*vmf->pmd)))
		return VM_FAULT_NOPAGE;
	if (addr < vma->vm_start || addr + PMD_SIZE > vma->vm_end)
		return VM_FAULT_FALLBACK;
	first = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	/* mremap() may have moved the vma off its 2 MiB alignment. */
	if (!IS_ALIGNED(first, MBOCHS_VRAM_PMD_PAGES) ||
	    first + MBOCHS_VRAM_PMD_PAGES > vram->nr_pages)
		return VM_FAULT_FALLBACK;
	pfn = mbochs_vram_pmd_pfn_locked(vram, first);
	if (!pfn)
		return VM_FAULT_FALLBACK;
	ret = mbochs_compat_insert_pmd(vmf, pfn, vmf->flags & FAULT_FLAG_WRITE);
	*mapped = ret == VM_FAULT_NOPAGE;
	return ret;
}
