// SPDX-License-Identifier: GPL-2.0
/*
 * mdpy device model: config space and framebuffer of one virtual display.
 *
 * Config space is a 256-byte array plus a write mask: a guest write changes
 * only the bits its mask allows, so read-only registers, the BAR's size
 * bits and the capability need no special cases. Sizing BAR0 works like on
 * hardware: write all ones, read back ~(size - 1) and the flag bits.
 *
 * The framebuffer holds the test pattern after every reset, but a reset
 * rewrites only the pages a user wrote since the last one: the cost of a
 * reset, and so of every first open, follows what the user changed, not
 * the size of the display. Writes through write() mark their pages as
 * they happen; a mapping marks a page at its first write fault.
 */
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/pci_regs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "mdpy_defs.h"
#include "mdpy_model.h"

/* Lines of the test pattern that differ: one per band. */
#define MDPY_BANDS	(MDPY_BAND_RAMP + 1)

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
 * @offset: first byte
 * @buf: where the bytes go
 * @count: bytes wanted; @offset + @count is at most %MDPY_CONFIG_SIZE
 *
 * The caller holds the lock that protects @model's config space.
 */
void mdpy_model_config_read(struct mdpy_model *model, u32 offset, void *buf,
			    size_t count)
{
	memcpy(buf, &model->config[offset], count);
}

/**
 * mdpy_model_config_write() - write config space
 * @model: the display
 * @offset: first byte
 * @buf: the bytes to write
 * @count: bytes to write; @offset + @count is at most %MDPY_CONFIG_SIZE
 *
 * Bits outside the write mask keep their value, as on hardware.
 * The caller holds the lock that protects @model's config space.
 */
void mdpy_model_config_write(struct mdpy_model *model, u32 offset,
			     const void *buf, size_t count)
{
	const u8 *val = buf;
	size_t i;

	for (i = 0; i < count; i++) {
		u8 mask = model->config_wmask[offset + i];
		u8 *reg = &model->config[offset + i];

		*reg = (*reg & ~mask) | (val[i] & mask);
	}
}

/* ---- framebuffer ---- */

static u32 mdpy_fb_pages(const struct mdpy_model *model)
{
	return model->fb_size >> PAGE_SHIFT;
}

/*
 * A pixel of the pattern depends on its line only through the line's
 * band, so one line per band holds every line there is.
 */
static void mdpy_pattern_build(struct mdpy_model *model)
{
	const struct mdpy_mode *mode = model->mode;
	u32 stride = mdpy_mode_stride(mode);
	unsigned long built = 0;
	enum mdpy_pattern_band band;
	__le32 *line;
	u32 x, y;

	for (y = 0; y < mode->height; y++) {
		band = mdpy_pattern_band(y, mode->height);
		if (__test_and_set_bit(band, &built))
			continue;
		line = (__le32 *)(model->pattern + band * stride);
		for (x = 0; x < mode->width; x++)
			line[x] = cpu_to_le32(mdpy_pattern_pixel(x, y, mode->width,
								 mode->height));
	}
}

/* Put one page of the framebuffer back to its power-on bytes. */
static void mdpy_fb_restore_page(struct mdpy_model *model, u32 page)
{
	const struct mdpy_mode *mode = model->mode;
	u32 stride = mdpy_mode_stride(mode);
	u32 frame = stride * mode->height;
	u32 pos = page << PAGE_SHIFT;
	u32 end = pos + PAGE_SIZE;
	u32 y, x, len;

	/* Visible lines come from the pattern, a piece of a line at a time. */
	while (pos < end && pos < frame) {
		y = pos / stride;
		x = pos % stride;
		len = min(stride - x, end - pos);
		memcpy(model->fb + pos,
		       model->pattern + mdpy_pattern_band(y, mode->height) * stride + x,
		       len);
		pos += len;
	}
	/* The BAR past the frame is zero. */
	if (pos < end)
		memset(model->fb + pos, 0, end - pos);
}

/**
 * mdpy_model_fb_written() - note that write() changed the framebuffer
 * @model: the display
 * @offset: first byte written
 * @count: bytes written, at least one, all inside the framebuffer
 *
 * Called after the bytes are copied, without a lock. A reset that runs
 * during the copy may miss the page this time, but finds it marked the
 * next time, as if the write had come after it; marking before the copy
 * could lose the mark instead.
 */
void mdpy_model_fb_written(struct mdpy_model *model, u32 offset, u32 count)
{
	u32 page, last = (offset + count - 1) >> PAGE_SHIFT;

	for (page = offset >> PAGE_SHIFT; page <= last; page++)
		set_bit(page, model->written);
}

/**
 * mdpy_model_fb_map_written() - note that a mapping may now write a page
 * @model: the display
 * @page: the page, below the framebuffer's size in pages
 *
 * Called before the page becomes writable in the mapping, so that every
 * write through it comes after the mark.
 */
void mdpy_model_fb_map_written(struct mdpy_model *model, u32 page)
{
	set_bit(page, model->map_written);
}

/**
 * mdpy_model_fb_pfn() - the page frame behind a page of the framebuffer
 * @model: the display
 * @page: the page, below the framebuffer's size in pages
 *
 * Return: the pfn to map; it stays valid until mdpy_model_free().
 */
unsigned long mdpy_model_fb_pfn(struct mdpy_model *model, u32 page)
{
	return vmalloc_to_pfn(model->fb + ((unsigned long)page << PAGE_SHIFT));
}

/* ---- lifetime ---- */

/**
 * mdpy_model_reset() - put the display in its power-on state
 * @model: the display
 * @unmapped: no mapping of the framebuffer exists, and none can appear
 *	before this returns (true at the device's first open)
 *
 * Rebuilds config space (BAR0 unassigned, decoding off) and puts the test
 * pattern of mdpy_defs.h back in every page written since it was last
 * there; the other pages still hold it. The caller holds the lock that
 * protects @model's config space.
 *
 * A page stays writable in a mapping after its first write fault, and
 * later writes to it go unseen. So while a mapping may exist, its written
 * pages stay marked and every reset restores them again; only a reset
 * with @unmapped set forgets them.
 *
 * Return: the number of pages restored.
 */
unsigned int mdpy_model_reset(struct mdpy_model *model, bool unmapped)
{
	u32 pages = mdpy_fb_pages(model);
	unsigned int restored = 0;
	unsigned long page;

	mdpy_config_build(model);

	for_each_set_bit(page, model->map_written, pages) {
		if (unmapped)
			clear_bit(page, model->map_written);
		clear_bit(page, model->written);
		mdpy_fb_restore_page(model, page);
		restored++;
	}
	/* Clear before restoring: see mdpy_model_fb_written(). */
	for_each_set_bit(page, model->written, pages) {
		clear_bit(page, model->written);
		mdpy_fb_restore_page(model, page);
		restored++;
	}
	return restored;
}

/**
 * mdpy_model_free() - free what mdpy_model_init() allocated
 * @model: the display; no user may still map its framebuffer
 *
 * Safe on a partly initialised model: every pointer is freed if set.
 */
void mdpy_model_free(struct mdpy_model *model)
{
	bitmap_free(model->map_written);
	bitmap_free(model->written);
	kvfree(model->pattern);
	vfree(model->fb);
	model->fb = NULL;
}

/**
 * mdpy_model_init() - allocate a display and paint it
 * @model: the display, zeroed
 * @mode: its geometry; must outlive @model
 *
 * Return: 0, or -ENOMEM.
 */
int mdpy_model_init(struct mdpy_model *model, const struct mdpy_mode *mode)
{
	u32 pages;

	model->mode = mode;
	model->fb_size = mdpy_mode_fb_size(mode);
	pages = mdpy_fb_pages(model);

	model->fb = vmalloc(model->fb_size);
	model->pattern = kvmalloc_array(MDPY_BANDS, mdpy_mode_stride(mode),
					GFP_KERNEL);
	model->written = bitmap_zalloc(pages, GFP_KERNEL);
	model->map_written = bitmap_zalloc(pages, GFP_KERNEL);
	if (!model->fb || !model->pattern || !model->written ||
	    !model->map_written) {
		mdpy_model_free(model);
		return -ENOMEM;
	}

	mdpy_pattern_build(model);
	/* Every byte is unwritten memory: restore them all. */
	bitmap_fill(model->written, pages);
	mdpy_model_reset(model, true);
	return 0;
}
