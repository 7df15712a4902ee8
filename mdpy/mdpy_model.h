/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdpy device model: config space and framebuffer of one virtual display.
 *
 * The model knows nothing of VFIO. It holds the device's registers and
 * memory, applies accesses to them and keeps track of which framebuffer
 * pages a user wrote, so that a reset restores those pages and no others.
 * The VFIO glue (mdpy_vfio.c) decides who may access what, does the
 * locking and tells the model about writes it cannot see itself.
 */
#ifndef MDPY_MODEL_H
#define MDPY_MODEL_H

#include <linux/types.h>

#define MDPY_CONFIG_SIZE	256	/* a conventional PCI config space */

/**
 * struct mdpy_mode - the fixed geometry of one mdev type
 * @width: visible pixels per line
 * @height: visible lines
 * @format: DRM fourcc of the pixels
 */
struct mdpy_mode {
	u32 width;
	u32 height;
	u32 format;
};

/**
 * struct mdpy_model - the state of one display
 * @mode: geometry, fixed for the life of the device
 * @config: config space as the guest sees it, little endian
 * @config_wmask: per byte of @config, the bits a guest write may change
 * @fb: framebuffer, BAR0's backing memory, from vmalloc()
 * @fb_size: size of @fb and of BAR0: a power of two, at least one page
 * @pattern: one line of the test pattern per &enum mdpy_pattern_band,
 *	stride bytes each; restoring a page copies from these
 * @written: per page of @fb, written through write() since the last reset
 * @map_written: per page of @fb, made writable in a mapping since the
 *	last reset that no mapping could outlive
 *
 * @config and @config_wmask are accessed under the owner's lock. @fb's
 * bytes are not locked at all: like a real BAR, concurrent writers race
 * and the last one wins, and mmap users bypass any lock anyway. The two
 * bitmaps are changed with atomic bit operations only.
 */
struct mdpy_model {
	const struct mdpy_mode *mode;
	u8 config[MDPY_CONFIG_SIZE];
	u8 config_wmask[MDPY_CONFIG_SIZE];
	void *fb;
	u32 fb_size;
	u8 *pattern;
	unsigned long *written;
	unsigned long *map_written;
};

u32 mdpy_mode_stride(const struct mdpy_mode *mode);
u32 mdpy_mode_fb_size(const struct mdpy_mode *mode);

int mdpy_model_init(struct mdpy_model *model, const struct mdpy_mode *mode);
void mdpy_model_free(struct mdpy_model *model);
unsigned int mdpy_model_reset(struct mdpy_model *model, bool unmapped);

void mdpy_model_config_read(struct mdpy_model *model, u32 offset, void *buf,
			    size_t count);
void mdpy_model_config_write(struct mdpy_model *model, u32 offset,
			     const void *buf, size_t count);

void mdpy_model_fb_written(struct mdpy_model *model, u32 offset, u32 count);
void mdpy_model_fb_map_written(struct mdpy_model *model, u32 page);
unsigned long mdpy_model_fb_pfn(struct mdpy_model *model, u32 page);

#endif /* MDPY_MODEL_H */
