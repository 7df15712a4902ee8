/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci_slot_stub: BAR access for userspace, and its exclusion from resets.
 *
 * Knows PCI, not VFIO: the VFIO glue decodes the region and calls here.
 * pss_bar.c does read()/write(); pss_mmap.c does mmap(), the faults, and
 * takes every user access away from a function before it is reset.
 *
 * Lock order: mmap_lock (or the VMA's lock) -> @memory_lock. No user
 * memory is touched with @memory_lock held.
 */
#ifndef PSS_BAR_H
#define PSS_BAR_H

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
 * @memory_lock: held for read across each BAR access of read()/write()
 *	and each page the fault handler inserts, for write across a reset,
 *	so that no user access reaches a function while a reset has its
 *	BARs disabled
 * @inode: whose address space holds every user mapping of the BARs, so
 *	that a reset can take them all away at once (pss_mmap.c); from
 *	device init to release
 * @map: kernel mappings, set by pss_bars_map() at open and cleared by
 *	pss_bars_unmap() at close; stable while the device fd is open
 */
struct pss_bars {
	struct pci_dev *pdev;
	struct pss_bar_guard guard;
	struct rw_semaphore memory_lock;
	struct inode *inode;
	void __iomem *map[PCI_STD_NUM_BARS];
};

void pss_bars_init(struct pss_bars *bars, struct pci_dev *pdev);
int pss_bars_map(struct pss_bars *bars);
void pss_bars_unmap(struct pss_bars *bars);
bool pss_bars_decoding(struct pss_bars *bars);
ssize_t pss_bar_rw(struct pss_bars *bars, int bar, char __user *buf,
		   size_t count, loff_t pos, bool write);
bool pss_bar_mmappable(struct pci_dev *pdev, int bar);
bool pss_bar_guard_pages(struct pss_bars *bars, int bar, u64 *start,
			 u64 *end);

#endif /* PSS_BAR_H */
