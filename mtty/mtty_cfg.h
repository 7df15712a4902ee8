/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI configuration space of an mtty device
 */
#ifndef MTTY_CFG_H
#define MTTY_CFG_H

#include <linux/mutex.h>
#include <linux/types.h>

#include "mtty_defs.h"

/**
 * struct mtty_cfg - a type 0 configuration header with an MSI capability
 * @lock: protects @data and @changed
 * @changed: a write or a load may have changed @data since the last reset;
 *	     written under @lock, first read without it by mtty_cfg_reset()
 * @data: the 256 bytes a reader sees
 * @wmask: per bit, whether a write may change it; fixed at init
 * @reset: @data as it is after a reset; fixed at init
 *
 * Every register is emulated by @wmask alone: a write changes only the
 * bits its mask allows, so read-only bits stay read-only, unimplemented
 * BARs read as zero, and an implemented BAR answers the sizing handshake
 * (write all ones, read back the size mask) because its low address bits
 * are read-only zeros.
 */
struct mtty_cfg {
	struct mutex lock;	/* see @lock above */
	bool changed;
	u8 data[MTTY_CFG_SIZE];
	u8 wmask[MTTY_CFG_SIZE];
	u8 reset[MTTY_CFG_SIZE];
};

void mtty_cfg_init(struct mtty_cfg *cfg, unsigned int nr_ports);
void mtty_cfg_destroy(struct mtty_cfg *cfg);
void mtty_cfg_reset(struct mtty_cfg *cfg);
int mtty_cfg_read(struct mtty_cfg *cfg, unsigned int off, void *buf,
		  size_t count);
int mtty_cfg_write(struct mtty_cfg *cfg, unsigned int off, const void *buf,
		   size_t count);
void mtty_cfg_save(struct mtty_cfg *cfg, u8 *image);
bool mtty_cfg_image_valid(struct mtty_cfg *cfg, const u8 *image);
void mtty_cfg_load(struct mtty_cfg *cfg, const u8 *image);

#endif /* MTTY_CFG_H */
