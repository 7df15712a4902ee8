// SPDX-License-Identifier: GPL-2.0
/*
 * mdpy device model: config space and framebuffer of one virtual display.
 *
 * Config space is a 256-byte array plus a write mask: a guest write changes
 * only the bits its mask allows, so read-only registers, the BAR's size
 * bits and the capability need no special cases. Sizing BAR0 works like on
 * hardware: write all ones, read back ~(size - 1) and the flag bits.
 */
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/pci_regs.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "mdpy_defs.h"
#include "mdpy_model.h"

/* BAR0's read-only low bits: 32-bit, prefetchable memory. */
#define MDPY_BAR0_FLAGS	(PCI_BASE_ADDRESS_SPACE_MEMORY |	\
			 PCI_BASE_ADDRESS_MEM_TYPE_32 |		\
			 PCI_BASE_ADDRESS_MEM_PREFETCH)

/* ---- geometry ---- */

/**
 * mdpy_mode_stride() - bytes per line
 * @mode: the geometry
 *
 * Return: the distance in bytes between the starts of two lines.
 */
u32 mdpy_mode_stride(const struct mdpy_mode *mode)
{
	return mode->width * MDPY_BYTES_PER_PIXEL;
}

/**
 * mdpy_mode_fb_size() - size of BAR0 for a geometry
 * @mode: the geometry
 *
 * Return: the frame size rounded up to a power of two (a PCI BAR's size
 * must be one) and to at least a page (so that it can be mmapped).
 */
u32 mdpy_mode_fb_size(const struct mdpy_mode *mode)
{
	u32 frame = mdpy_mode_stride(mode) * mode->height;

	return roundup_pow_of_two(max_t(u32, frame, PAGE_SIZE));
}

/* ---- config space ---- */

/* Config space is little endian whatever the CPU; store it byte by byte. */
static void mdpy_config_put16(u8 *reg, u16 val)
{
	reg[0] = val;
	reg[1] = val >> 8;
}

static void mdpy_config_put32(u8 *reg, u32 val)
{
	mdpy_config_put16(reg, val);
	mdpy_config_put16(reg + 2, val >> 16);
}

static void mdpy_config_build(struct mdpy_model *model)
{
	u8 *cfg = model->config;
	u8 *wmask = model->config_wmask;

	memset(cfg, 0, MDPY_CONFIG_SIZE);
	memset(wmask, 0, MDPY_CONFIG_SIZE);

	mdpy_config_put16(&cfg[PCI_VENDOR_ID], MDPY_PCI_VENDOR_ID);
	mdpy_config_put16(&cfg[PCI_DEVICE_ID], MDPY_PCI_DEVICE_ID);
	/* Memory decoding is off after reset, as on hardware. */
	mdpy_config_put16(&wmask[PCI_COMMAND], PCI_COMMAND_MEMORY);
	mdpy_config_put16(&cfg[PCI_STATUS], PCI_STATUS_CAP_LIST);
	mdpy_config_put32(&cfg[PCI_CLASS_REVISION],
			  MDPY_PCI_CLASS << 8 | MDPY_PCI_REVISION);
	cfg[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_NORMAL;

	mdpy_config_put32(&cfg[PCI_BASE_ADDRESS_0], MDPY_BAR0_FLAGS);
	mdpy_config_put32(&wmask[PCI_BASE_ADDRESS_0],
			  ~(model->fb_size - 1) & PCI_BASE_ADDRESS_MEM_MASK);

	mdpy_config_put16(&cfg[PCI_SUBSYSTEM_VENDOR_ID], MDPY_PCI_SUBVENDOR_ID);
	mdpy_config_put16(&cfg[PCI_SUBSYSTEM_ID], MDPY_PCI_SUBDEVICE_ID);
	cfg[PCI_CAPABILITY_LIST] = MDPY_VENDORCAP_OFFSET;

	/* The only capability: ID, next (none), length, then the mode. */
	cfg[MDPY_VENDORCAP_OFFSET + PCI_CAP_LIST_ID] = PCI_CAP_ID_VNDR;
	cfg[MDPY_VENDORCAP_OFFSET + PCI_CAP_LIST_NEXT] = 0;
	/* In a vendor-specific capability, byte 2 is its length. */
	cfg[MDPY_VENDORCAP_OFFSET + 2] = MDPY_VENDORCAP_SIZE;
	mdpy_config_put32(&cfg[MDPY_FORMAT_OFFSET], model->mode->format);
	mdpy_config_put32(&cfg[MDPY_WIDTH_OFFSET], model->mode->width);
	mdpy_config_put32(&cfg[MDPY_HEIGHT_OFFSET], model->mode->height);
}

/**
 * mdpy_model_config_read() - read config space
 * @model: the display
 * @offset: first byte, below %MDPY_CONFIG_SIZE
 * @buf: where the bytes go
 * @count: bytes wanted
 *
 * The caller holds the lock that protects @model's config space.
 *
 * Return: bytes read, fewer than @count if the end of config space is hit.
 */
size_t mdpy_model_config_read(struct mdpy_model *model, u32 offset,
			      void *buf, size_t count)
{
	count = min_t(size_t, count, MDPY_CONFIG_SIZE - offset);
	memcpy(buf, &model->config[offset], count);
	return count;
}

/**
 * mdpy_model_config_write() - write config space
 * @model: the display
 * @offset: first byte, below %MDPY_CONFIG_SIZE
 * @buf: the bytes to write
 * @count: bytes to write
 *
 * Bits outside the write mask keep their value, as on hardware.
 * The caller holds the lock that protects @model's config space.
 *
 * Return: bytes consumed, fewer than @count if the end of config space is hit.
 */
size_t mdpy_model_config_write(struct mdpy_model *model, u32 offset,
			       const void *buf, size_t count)
{
	const u8 *val = buf;
	size_t i;

	count = min_t(size_t, count, MDPY_CONFIG_SIZE - offset);
	for (i = 0; i < count; i++) {
		u8 mask = model->config_wmask[offset + i];
		u8 *reg = &model->config[offset + i];

		*reg = (*reg & ~mask) | (val[i] & mask);
	}
	return count;
}

/* ---- framebuffer ---- */

static void mdpy_fb_paint_line(__le32 *line, u32 y, const struct mdpy_mode *mode)
{
	u32 x;

	for (x = 0; x < mode->width; x++)
		line[x] = cpu_to_le32(mdpy_pattern_pixel(x, y, mode->width,
							 mode->height));
}

/*
 * Within a band every line is the same, so compute one line per band and
 * copy it down: per-pixel work for 1920x1080 would take a while under TCG.
 */
static void mdpy_fb_paint(struct mdpy_model *model)
{
	const struct mdpy_mode *mode = model->mode;
	u32 stride = mdpy_mode_stride(mode);
	u32 frame = stride * mode->height;
	u8 *line = model->fb;
	u32 y;

	for (y = 0; y < mode->height; y++, line += stride) {
		enum mdpy_pattern_band band = mdpy_pattern_band(y, mode->height);

		if (y && band != MDPY_BAND_FRAME &&
		    band == mdpy_pattern_band(y - 1, mode->height))
			memcpy(line, line - stride, stride);
		else
			mdpy_fb_paint_line((__le32 *)line, y, mode);
	}
	memset(model->fb + frame, 0, model->fb_size - frame);
}

/* ---- lifetime ---- */

/**
 * mdpy_model_fb_written() - note that a user wrote to the framebuffer
 * @model: the display
 *
 * Called after the bytes are copied, without a lock: a reset that clears
 * the flag between the copy and this call leaves it set for nothing, which
 * costs one repaint; the reverse order could lose a write's mark.
 */
void mdpy_model_fb_written(struct mdpy_model *model)
{
	WRITE_ONCE(model->fb_dirty, true);
}

/**
 * mdpy_model_fb_mapped() - note that the framebuffer was mmapped
 * @model: the display
 *
 * A mapping can write at any time, and may outlive the reset, so from now
 * on every reset repaints.
 */
void mdpy_model_fb_mapped(struct mdpy_model *model)
{
	WRITE_ONCE(model->fb_mapped, true);
}

/**
 * mdpy_model_reset() - put the display in its power-on state
 * @model: the display
 *
 * Rebuilds config space (BAR0 unassigned, decoding off) and paints the test
 * pattern of mdpy_defs.h, unless no user can have changed the framebuffer
 * since it was last painted: painting a 1920x1080 frame costs milliseconds
 * (far more under TCG), and every first open resets. The caller holds the
 * lock that protects @model's config space.
 */
void mdpy_model_reset(struct mdpy_model *model)
{
	mdpy_config_build(model);
	if (!READ_ONCE(model->fb_dirty) && !READ_ONCE(model->fb_mapped))
		return;
	/* Clear before painting: see mdpy_model_fb_written(). */
	WRITE_ONCE(model->fb_dirty, false);
	mdpy_fb_paint(model);
}

/**
 * mdpy_model_init() - allocate a display and reset it
 * @model: the display, zeroed
 * @mode: its geometry; must outlive @model
 *
 * Return: 0, or -ENOMEM.
 */
int mdpy_model_init(struct mdpy_model *model, const struct mdpy_mode *mode)
{
	model->mode = mode;
	model->fb_size = mdpy_mode_fb_size(mode);
	model->fb = vmalloc_user(model->fb_size);
	if (!model->fb)
		return -ENOMEM;

	model->fb_dirty = true;
	mdpy_model_reset(model);
	return 0;
}

/**
 * mdpy_model_free() - free what mdpy_model_init() allocated
 * @model: the display; no user may still map its framebuffer
 */
void mdpy_model_free(struct mdpy_model *model)
{
	vfree(model->fb);
	model->fb = NULL;
}
