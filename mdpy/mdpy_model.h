/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdpy device model: config space and framebuffer of one virtual display.
 *
 * The model knows nothing of VFIO. It holds the device's registers and
 * memory and applies accesses to them; the VFIO glue (mdpy_vfio.c) decides
 * who may access what and does the locking.
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
 * @fb: framebuffer, BAR0's backing memory, from vmalloc_user() so that it
 *	can be mapped into userspace page by page
 * @fb_size: size of @fb and of BAR0: a power of two, at least one page
 * @fb_dirty: a write() changed @fb since it was last painted
 * @fb_mapped: BAR0 has been mmapped at least once; writes through a
 *	mapping can't be seen, so from then on every reset repaints
 *
 * @config and @config_wmask are accessed under the owner's lock. @fb's
 * bytes are not locked at all: like a real BAR, concurrent writers race
 * and the last one wins, and mmap users bypass any lock anyway.
 */
struct mdpy_model {
	const struct mdpy_mode *mode;
	u8 config[MDPY_CONFIG_SIZE];
	u8 config_wmask[MDPY_CONFIG_SIZE];
	void *fb;
	u32 fb_size;
	bool fb_dirty;
	bool fb_mapped;
};

u32 mdpy_mode_stride(const struct mdpy_mode *mode);
u32 mdpy_mode_fb_size(const struct mdpy_mode *mode);

int mdpy_model_init(struct mdpy_model *model, const struct mdpy_mode *mode);
void mdpy_model_free(struct mdpy_model *model);
void mdpy_model_reset(struct mdpy_model *model);
void mdpy_model_fb_written(struct mdpy_model *model);
void mdpy_model_fb_mapped(struct mdpy_model *model);
size_t mdpy_model_config_read(struct mdpy_model *model, u32 offset,
			      void *buf, size_t count);
size_t mdpy_model_config_write(struct mdpy_model *model, u32 offset,
			       const void *buf, size_t count);

#endif /* MDPY_MODEL_H */
