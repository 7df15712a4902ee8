/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbochs planes and dma-buf export.
 */
#ifndef MBOCHS_DMABUF_H
#define MBOCHS_DMABUF_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "mbochs_model.h"
#include "mbochs_vram.h"

struct dma_buf;

/**
 * struct mbochs_planes - the framebuffers a device has described so far
 * @lock: the owner's lock that protects the other fields
 * @list: &struct mbochs_plane, most recently used first
 * @count: entries in @list, at most MBOCHS_MAX_PLANES
 * @next_id: id of the next new plane; ids are never reused by a device,
 *           so a stale id fails instead of naming another framebuffer
 */
struct mbochs_planes {
	struct mutex *lock;	/* the owner's; see @lock above */
	struct list_head list;
	unsigned int count;
	u32 next_id;
};

void mbochs_planes_init(struct mbochs_planes *planes, struct mutex *lock);
void mbochs_planes_clear_locked(struct mbochs_planes *planes);
int mbochs_planes_lookup_locked(struct mbochs_planes *planes,
				const struct mbochs_mode *mode, u32 *id);
struct dma_buf *mbochs_planes_export_locked(struct mbochs_planes *planes,
					    struct mbochs_vram *vram, u32 id);

#endif /* MBOCHS_DMABUF_H */
