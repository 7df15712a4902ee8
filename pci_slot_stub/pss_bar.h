/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci_slot_stub: BAR access for userspace, and its exclusion from resets.
 *
 * Knows PCI, not VFIO: the VFIO glue decodes the region and calls here.
 */
#ifndef PSS_BAR_H
#define PSS_BAR_H

#include <linux/atomic.h>
#include <linux/pci.h>
#include <linux/rwsem.h>

/**
 * struct pss_bars - the BARs of one open function
 * @memory_lock: held for read across every user BAR access and mmap(), for
 *	write across a reset of the function, so that no access reaches a
 *	function while its BARs are disabled by the reset
 * @mmap_count: live user mappings of any BAR. Mappings are not zapped on
 *	reset, so resets refuse to run while this is nonzero; only mmap()
 *	raises it from zero, and it does so under @memory_lock
 * @map: kernel mappings, set by pss_bars_map() at open and cleared by
 *	pss_bars_unmap() at close; stable while the device fd is open
 */
struct pss_bars {
	struct rw_semaphore memory_lock;
	atomic_t mmap_count;
	void __iomem *map[PCI_STD_NUM_BARS];
};

void pss_bars_init(struct pss_bars *bars);
int pss_bars_map(struct pss_bars *bars, struct pci_dev *pdev);
void pss_bars_unmap(struct pss_bars *bars, struct pci_dev *pdev);

ssize_t pss_bar_rw(struct pss_bars *bars, struct pci_dev *pdev, int bar,
		   char __user *buf, size_t count, loff_t pos, bool write);
bool pss_bar_mmappable(struct pci_dev *pdev, int bar);
int pss_bar_mmap(struct pss_bars *bars, struct pci_dev *pdev, int bar,
		 struct vm_area_struct *vma, unsigned long pgoff);

int pss_bars_lock_for_reset(struct pss_bars *bars, bool wait);
void pss_bars_unlock_after_reset(struct pss_bars *bars);

#endif /* PSS_BAR_H */
