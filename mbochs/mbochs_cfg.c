// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs PCI config space: a full 256-byte type 0 header.
 *
 * Each byte has a write mask. A write keeps the read-only bits and takes
 * the writable ones, which is all a BAR needs for sizing: its mask clears
 * the bits below the BAR size, so writing all ones reads back the size.
 */
#include <linux/pci_regs.h>
#include <linux/string.h>

#include "mbochs_model.h"

static void mbochs_cfg_set16(u8 *cfg, u32 off, u16 val)
{
	cfg[off] = val;
	cfg[off + 1] = val >> 8;
}

static void mbochs_cfg_set32(u8 *cfg, u32 off, u32 val)
{
	mbochs_cfg_set16(cfg, off, val);
	mbochs_cfg_set16(cfg, off + 2, val >> 16);
}

/* BAR flags: 32-bit memory; video memory is prefetchable, MMIO is not. */
#define MBOCHS_BAR0_FLAGS	(PCI_BASE_ADDRESS_SPACE_MEMORY |	\
				 PCI_BASE_ADDRESS_MEM_TYPE_32 |		\
				 PCI_BASE_ADDRESS_MEM_PREFETCH)
#define MBOCHS_BAR2_FLAGS	(PCI_BASE_ADDRESS_SPACE_MEMORY |	\
				 PCI_BASE_ADDRESS_MEM_TYPE_32)

/**
 * mbochs_model_cfg_init() - build the read-only identity and write masks
 * @m: model whose vram_size is set
 */
void mbochs_model_cfg_init(struct mbochs_model *m)
{
	memset(m->cfg, 0, sizeof(m->cfg));
	memset(m->cfg_wmask, 0, sizeof(m->cfg_wmask));

	mbochs_cfg_set16(m->cfg, PCI_VENDOR_ID, MBOCHS_PCI_VENDOR_ID);
	mbochs_cfg_set16(m->cfg, PCI_DEVICE_ID, MBOCHS_PCI_DEVICE_ID);
	mbochs_cfg_set32(m->cfg, PCI_CLASS_REVISION,
			 MBOCHS_PCI_CLASS << 8 | MBOCHS_PCI_REVISION);
	mbochs_cfg_set16(m->cfg, PCI_SUBSYSTEM_VENDOR_ID,
			 MBOCHS_PCI_SUBVENDOR_ID);
	mbochs_cfg_set16(m->cfg, PCI_SUBSYSTEM_ID, MBOCHS_PCI_SUBDEVICE_ID);
	m->cfg[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_NORMAL;

	/* The guest may decode memory; nothing here does I/O or DMA. */
	mbochs_cfg_set16(m->cfg_wmask, PCI_COMMAND, PCI_COMMAND_MEMORY);
	/* Address bits above each BAR's size; BAR sizes are powers of two. */
	mbochs_cfg_set32(m->cfg_wmask, PCI_BASE_ADDRESS_0,
			 ~(u32)(m->vram_size - 1));
	mbochs_cfg_set32(m->cfg_wmask, PCI_BASE_ADDRESS_2,
			 ~(u32)(MBOCHS_MMIO_SIZE - 1));
	/* Scratch for the guest OS; no interrupt pin is wired. */
	m->cfg_wmask[PCI_INTERRUPT_LINE] = 0xff;
}

/**
 * mbochs_model_cfg_reset() - the power-on values of the writable fields
 * @m: the model
 */
void mbochs_model_cfg_reset(struct mbochs_model *m)
{
	mbochs_cfg_set16(m->cfg, PCI_COMMAND, 0);
	mbochs_cfg_set32(m->cfg, PCI_BASE_ADDRESS_0, MBOCHS_BAR0_FLAGS);
	mbochs_cfg_set32(m->cfg, PCI_BASE_ADDRESS_2, MBOCHS_BAR2_FLAGS);
	m->cfg[PCI_INTERRUPT_LINE] = 0;
}

void mbochs_model_cfg_read(struct mbochs_model *m, u32 off, u8 *buf, u32 len)
{
	memcpy(buf, m->cfg + off, len);
}

void mbochs_model_cfg_write(struct mbochs_model *m, u32 off, const u8 *buf,
			    u32 len)
{
	u32 i;

	for (i = 0; i < len; i++) {
		u8 mask = m->cfg_wmask[off + i];

		m->cfg[off + i] = (m->cfg[off + i] & ~mask) | (buf[i] & mask);
	}
}
