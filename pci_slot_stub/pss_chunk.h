/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci_slot_stub: how BAR and config accesses are split.
 *
 * Devices (edu among them) may answer only naturally aligned accesses of
 * their register width, so a user access is cut into the largest aligned
 * dwords, words and bytes.
 */
#ifndef PSS_CHUNK_H
#define PSS_CHUNK_H

#include <linux/types.h>

/* Largest naturally aligned access at @pos that fits in @count bytes. */
static inline unsigned int pss_chunk(loff_t pos, size_t count)
{
	if (!(pos & 3) && count >= 4)
		return 4;
	if (!(pos & 1) && count >= 2)
		return 2;
	return 1;
}

#endif /* PSS_CHUNK_H */
