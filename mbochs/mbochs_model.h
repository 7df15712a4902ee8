/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbochs device model: PCI config space, the Bochs DISPI registers and the
 * EDID block, as the guest sees them through config space and BAR2.
 *
 * The model knows nothing about VFIO. It keeps no lock of its own: the
 * owner serialises every call (mbochs holds its device's state_lock).
 */
#ifndef MBOCHS_MODEL_H
#define MBOCHS_MODEL_H

#include <linux/types.h>

#include "mbochs_defs.h"

/**
 * struct mbochs_mode - a scanout mode decoded from the DISPI registers
 * @drm_format: DRM fourcc of the pixels
 * @width: visible width in pixels
 * @height: visible height in lines
 * @stride: bytes from one line to the next
 * @offset: byte offset of the first visible pixel in video memory
 * @size: bytes the mode spans, rounded up to whole pages
 */
struct mbochs_mode {
	u32 drm_format;
	u32 width;
	u32 height;
	u32 stride;
	u64 offset;
	u64 size;
};

/**
 * struct mbochs_model - registers of one mbochs device
 * @dispi: the DISPI register file
 * @vram_size: bytes of video memory behind BAR0
 * @max_xres: largest width advertised to the EDID user, 0 for no limit
 * @max_yres: largest height advertised to the EDID user, 0 for no limit
 * @link_up: the virtual monitor is connected
 * @edid_size: valid bytes in @edid
 * @edid: EDID blob set by the host user, mirrored at BAR2 offset 0
 * @cfg: PCI config space
 * @cfg_wmask: bits of @cfg the guest may write
 */
struct mbochs_model {
	u16 dispi[MBOCHS_DISPI_NR_REGS];
	u64 vram_size;
	u32 max_xres;
	u32 max_yres;
	bool link_up;
	u32 edid_size;
	u8 edid[MBOCHS_EDID_BLOB_MAX];
	u8 cfg[MBOCHS_PCI_CFG_SIZE];
	u8 cfg_wmask[MBOCHS_PCI_CFG_SIZE];
};

void mbochs_model_init(struct mbochs_model *m, u64 vram_size, u32 max_xres,
		       u32 max_yres);
void mbochs_model_reset(struct mbochs_model *m);

/* BAR2: @off and @off + @len - 1 inside MBOCHS_MMIO_SIZE. */
void mbochs_model_mmio_read(struct mbochs_model *m, u32 off, u8 *buf,
			    u32 len);
void mbochs_model_mmio_write(struct mbochs_model *m, u32 off, const u8 *buf,
			     u32 len);

/* Config space: @off and @off + @len - 1 inside MBOCHS_PCI_CFG_SIZE. */
void mbochs_model_cfg_init(struct mbochs_model *m);
void mbochs_model_cfg_reset(struct mbochs_model *m);
void mbochs_model_cfg_read(struct mbochs_model *m, u32 off, u8 *buf, u32 len);
void mbochs_model_cfg_write(struct mbochs_model *m, u32 off, const u8 *buf,
			    u32 len);

/* EDID, as set by the host user; each returns 0 or -EINVAL. */
int mbochs_model_edid_set_size(struct mbochs_model *m, u32 size);
int mbochs_model_edid_write(struct mbochs_model *m, u32 off, const u8 *buf,
			    u32 len);
int mbochs_model_edid_read(struct mbochs_model *m, u32 off, u8 *buf, u32 len);

int mbochs_model_mode(const struct mbochs_model *m, struct mbochs_mode *mode);

#endif /* MBOCHS_MODEL_H */
