/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci_slot_stub: BAR access for userspace, and its exclusion from resets.
 *
 * Knows PCI, not VFIO: the VFIO glue decodes the region and calls here.
 * pss_bar.c does read()/write(), pss_mmap.c does mmap() and the faults,
 * and takes every user access away from a function before it is reset.
 *
 * Lock order: mmap_lock (or the VMA's lock) -> @vma_lock -> @memory_lock.
 * No user memory is touched with @vma_lock or @memory_lock held.
 */
#ifndef PSS_BAR_H
#define PSS_BAR_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/rwsem.h>

/**
 * struct pss_bar_guard - registers user writes must never reach
 * @bar: the BAR holding them
 * @start: first byte
 * @end: one past the last byte; 0 when the function has no such registers
 *
 * QEMU's edu starts a DMA when its DMA command register is written, bus
 * master or not, and aborts the whole machine if the addresses are out of
 * its range. The stub does no DMA, so writes to that block are refused.
 */
struct pss_bar_guard {
	int bar;
	u32 start;
	u32 end;
};

/**
 * struct pss_bars - the BARs of one function, and who may touch them
 * @pdev: the function; constant
 * @guard: writes refused (see struct pss_bar_guard); constant
 * @vma_lock: protects @vmas, each mapping's @mapped flag and
 *	@fault_count. Taken under mmap_lock by mmap(), the vm_ops and the
 *	fault handler, and held by a reset from its last zap until it holds
 *	@memory_lock for write, so that no page can be faulted in between
 * @vmas: every user mapping of a BAR, a struct pss_vma each
 * @fault_count: pages inserted by the fault handler, for debugfs (which
 *	reads it locklessly); @vma_lock
 * @memory_lock: held for read across each BAR access of read()/write()
 *	and each page the fault handler inserts, for write across a reset,
 *	so that no user access reaches a function while a reset has its
 *	BARs disabled
 * @map: kernel mappings, set by pss_bars_map() at open and cleared by
 *	pss_bars_unmap() at close; stable while the device fd is open
 */
struct pss_bars {
	struct pci_dev *pdev;
	struct pss_bar_guard guard;
	struct mutex vma_lock;		/* vmas, pss_vma.mapped */
	struct list_head vmas;
	u32 fault_count;
	struct rw_semaphore memory_lock;
	void __iomem *map[PCI_STD_NUM_BARS];
};

/* pss_bar.c */
void pss_bars_init(struct pss_bars *bars, struct pci_dev *pdev);
void pss_bars_destroy(struct pss_bars *bars);
int pss_bars_map(struct pss_bars *bars);
void pss_bars_unmap(struct pss_bars *bars);
bool pss_bars_decoding(struct pss_bars *bars);
ssize_t pss_bar_rw(struct pss_bars *bars, int bar, char __user *buf,
		   size_t count, loff_t pos, bool write);
bool pss_bar_mmappable(struct pci_dev *pdev, int bar);
bool pss_bar_guard_pages(struct pss_bars *bars, int bar, u64 *start,
			 u64 *end);

/* pss_mmap.c */
int pss_bar_mmap(struct pss_bars *bars, int bar, struct vm_area_struct *vma,
		 unsigned long pgoff);
int pss_bars_lock_for_reset(struct pss_bars *bars, bool wait);
void pss_bars_unlock_after_reset(struct pss_bars *bars);

#endif /* PSS_BAR_H */
