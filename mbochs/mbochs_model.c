// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs device model: the Bochs DISPI (VBE) registers and the EDID block
 * behind BAR2, and the scanout mode they describe.
 *
 * Every access is handled a byte at a time. Registers have no side effects
 * on write, so a 16-bit register written as two bytes ends up the same as
 * one written whole, and any access width the guest uses behaves the same.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <drm/drm_fourcc.h>

#include "mbochs_model.h"

/* ---- DISPI registers ---- */

static u16 mbochs_dispi_get(const struct mbochs_model *m, u32 index)
{
	/* GETCAPS makes the mode registers report the largest values. */
	if (m->dispi[MBOCHS_DISPI_ENABLE] & MBOCHS_DISPI_GETCAPS) {
		switch (index) {
		case MBOCHS_DISPI_XRES:
			return MBOCHS_DISPI_MAX_XRES;
		case MBOCHS_DISPI_YRES:
			return MBOCHS_DISPI_MAX_YRES;
		case MBOCHS_DISPI_BPP:
			return MBOCHS_DISPI_MAX_BPP;
		}
	}
	return m->dispi[index];
}

static void mbochs_dispi_writeb(struct mbochs_model *m, u32 off, u8 val)
{
	u32 index = off / 2;
	u32 shift = (off % 2) * 8;

	/* The ID and the memory size describe the hardware: read only. */
	if (index >= MBOCHS_DISPI_NR_REGS || index == MBOCHS_DISPI_ID ||
	    index == MBOCHS_DISPI_VIDEO_MEMORY_64K)
		return;
	m->dispi[index] &= ~(0xff << shift);
	m->dispi[index] |= val << shift;
}

static u8 mbochs_dispi_readb(const struct mbochs_model *m, u32 off)
{
	u32 index = off / 2;

	if (index >= MBOCHS_DISPI_NR_REGS)
		return 0;
	return mbochs_dispi_get(m, index) >> ((off % 2) * 8);
}

/* ---- BAR2 ---- */

static u8 mbochs_mmio_readb(const struct mbochs_model *m, u32 off)
{
	if (off < MBOCHS_MMIO_EDID + MBOCHS_MMIO_EDID_SIZE) {
		/* An unplugged monitor has no EDID: read zeroes. */
		if (!m->link_up || off >= m->edid_size)
			return 0;
		return m->edid[off];
	}
	if (off >= MBOCHS_MMIO_DISPI &&
	    off < MBOCHS_MMIO_DISPI + 2 * MBOCHS_DISPI_NR_REGS)
		return mbochs_dispi_readb(m, off - MBOCHS_MMIO_DISPI);
	if (off >= MBOCHS_MMIO_QEXT_SIZE_REG &&
	    off < MBOCHS_MMIO_QEXT_SIZE_REG + 4)
		return MBOCHS_MMIO_QEXT_SIZE >> ((off % 4) * 8);
	if (off >= MBOCHS_MMIO_QEXT_BYTEORDER &&
	    off < MBOCHS_MMIO_QEXT_BYTEORDER + 4)
		return MBOCHS_QEXT_LITTLE_ENDIAN >> ((off % 4) * 8);
	/* Legacy VGA registers and holes read as zero. */
	return 0;
}

void mbochs_model_mmio_read(struct mbochs_model *m, u32 off, u8 *buf, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		buf[i] = mbochs_mmio_readb(m, off + i);
}

void mbochs_model_mmio_write(struct mbochs_model *m, u32 off, const u8 *buf,
			     u32 len)
{
	u32 i;

	/*
	 * Only DISPI is writable. The EDID mirror is read only, VGA palette
	 * and attribute writes have nothing to act on without a VGA core,
	 * and the model is always little endian, so a byte order write is
	 * ignored and bochs DRM reads back that it stayed little endian.
	 */
	for (i = 0; i < len; i++) {
		u32 o = off + i;

		if (o >= MBOCHS_MMIO_DISPI &&
		    o < MBOCHS_MMIO_DISPI + 2 * MBOCHS_DISPI_NR_REGS)
			mbochs_dispi_writeb(m, o - MBOCHS_MMIO_DISPI, buf[i]);
	}
}

/* ---- EDID, as the host user sets it ---- */

int mbochs_model_edid_set_size(struct mbochs_model *m, u32 size)
{
	if (size > MBOCHS_EDID_BLOB_MAX)
		return -EINVAL;
	m->edid_size = size;
	return 0;
}

int mbochs_model_edid_write(struct mbochs_model *m, u32 off, const u8 *buf,
			    u32 len)
{
	if (off > MBOCHS_EDID_BLOB_MAX || len > MBOCHS_EDID_BLOB_MAX - off)
		return -EINVAL;
	memcpy(m->edid + off, buf, len);
	return 0;
}

int mbochs_model_edid_read(struct mbochs_model *m, u32 off, u8 *buf, u32 len)
{
	if (off > MBOCHS_EDID_BLOB_MAX || len > MBOCHS_EDID_BLOB_MAX - off)
		return -EINVAL;
	memcpy(buf, m->edid + off, len);
	return 0;
}

/* ---- scanout mode ---- */

/**
 * mbochs_model_mode() - decode the scanout mode the guest programmed
 * @m: the model
 * @mode: filled in on success, zeroed otherwise
 *
 * Return: 0 if the display is enabled with a mode that fits video memory,
 * -ENODEV if it is disabled, -EINVAL if the mode cannot be scanned out
 * (unsupported depth, too small, outside video memory, or a start that is
 * not page aligned and so cannot begin a dma-buf).
 */
int mbochs_model_mode(const struct mbochs_model *m, struct mbochs_mode *mode)
{
	const u16 *r = m->dispi;
	u32 virt_width;
	u64 end;

	memset(mode, 0, sizeof(*mode));
	if (!(r[MBOCHS_DISPI_ENABLE] & MBOCHS_DISPI_ENABLED))
		return -ENODEV;
	/* bochs DRM only ever uses 32 bpp, so that is all we export. */
	if (r[MBOCHS_DISPI_BPP] != 32)
		return -EINVAL;
	if (r[MBOCHS_DISPI_XRES] < MBOCHS_MIN_XRES ||
	    r[MBOCHS_DISPI_YRES] < MBOCHS_MIN_YRES)
		return -EINVAL;

	virt_width = max(r[MBOCHS_DISPI_VIRT_WIDTH], r[MBOCHS_DISPI_XRES]);
	/* 16-bit registers: none of this arithmetic can overflow a u64. */
	mode->offset = (u64)r[MBOCHS_DISPI_Y_OFFSET] * virt_width * 4 +
		       (u64)r[MBOCHS_DISPI_X_OFFSET] * 4;
	mode->stride = virt_width * 4;
	mode->size = PAGE_ALIGN((u64)mode->stride * r[MBOCHS_DISPI_YRES]);
	end = mode->offset + mode->size;
	if (end > m->vram_size || !PAGE_ALIGNED(mode->offset)) {
		memset(mode, 0, sizeof(*mode));
		return -EINVAL;
	}
	mode->drm_format = DRM_FORMAT_XRGB8888;
	mode->width = r[MBOCHS_DISPI_XRES];
	mode->height = r[MBOCHS_DISPI_YRES];
	return 0;
}

/* ---- lifecycle ---- */

/**
 * mbochs_model_reset() - put the registers in their power-on state
 * @m: the model
 *
 * The EDID and link state belong to the host user, not the guest, and
 * survive a reset. So does video memory, as on real hardware.
 */
void mbochs_model_reset(struct mbochs_model *m)
{
	memset(m->dispi, 0, sizeof(m->dispi));
	m->dispi[MBOCHS_DISPI_ID] = MBOCHS_DISPI_ID5;
	m->dispi[MBOCHS_DISPI_VIDEO_MEMORY_64K] = m->vram_size / SZ_64K;
	mbochs_model_cfg_reset(m);
}

/**
 * mbochs_model_init() - set up a model for a device being created
 * @m: zeroed model
 * @vram_size: bytes of video memory, a power of two of at least 64 KiB
 * @max_xres: largest width for the EDID user, 0 for no limit
 * @max_yres: largest height for the EDID user, 0 for no limit
 */
void mbochs_model_init(struct mbochs_model *m, u64 vram_size, u32 max_xres,
		       u32 max_yres)
{
	m->vram_size = vram_size;
	m->max_xres = max_xres;
	m->max_yres = max_yres;
	m->link_up = false;
	m->edid_size = 0;
	mbochs_model_cfg_init(m);
	mbochs_model_reset(m);
}
