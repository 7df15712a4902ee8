/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci_slot_stub: config space passthrough with a write filter.
 *
 * Knows PCI, not VFIO: the VFIO glue turns a region access into a call here.
 */
#ifndef PSS_CONFIG_H
#define PSS_CONFIG_H

#include <linux/pci.h>

/**
 * struct pss_config - which config bits userspace may change
 * @wmask: per byte of the standard space, the bits a write may set or clear
 * @rw1c: per byte, the write-1-to-clear bits a write may clear
 *
 * Filled once at device init and read-only afterwards, so it needs no lock.
 * Bytes beyond the standard 256 are all read-only.
 */
struct pss_config {
	u8 wmask[PCI_CFG_SPACE_SIZE];
	u8 rw1c[PCI_CFG_SPACE_SIZE];
};

void pss_config_init(struct pss_config *cfg, struct pci_dev *pdev);
ssize_t pss_config_rw(const struct pss_config *cfg, struct pci_dev *pdev,
		      char __user *buf, size_t count, loff_t pos, bool write);

#endif /* PSS_CONFIG_H */
