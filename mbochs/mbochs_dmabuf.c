// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs planes and dma-buf export: VFIO_DEVICE_QUERY_GFX_PLANE and
 * VFIO_DEVICE_GET_GFX_DMABUF.
 *
 * A plane is a framebuffer the guest has programmed: a mode at an offset
 * in video memory, named by an id that VFIO_DEVICE_QUERY_GFX_PLANE hands
 * out. VFIO_DEVICE_GET_GFX_DMABUF exports the plane's pages as a new
 * dma-buf each time.
 *
 * An exported dma-buf owns a reference on each of its pages and a copy of
 * its mode, and never looks at the device again. That is what keeps it
 * safe once the device is closed, reset or removed: there is nothing of
 * the device left for it to reach. The dma-buf core holds a reference on
 * this module for as long as the dma-buf lives.
 */
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "mbochs.h"
#include "mbochs_compat.h"

MBOCHS_COMPAT_IMPORT_NS_DMA_BUF;

/* DRM plane types (include/drm/drm_plane.h), as the uAPI passes them. */
#define MBOCHS_DRM_PLANE_OVERLAY	0
#define MBOCHS_DRM_PLANE_PRIMARY	1
#define MBOCHS_DRM_PLANE_CURSOR		2

/*
 * Each mode change or page flip makes a new plane. Keep the most recently
 * used few, so that a guest flipping through offsets cannot make the list
 * grow without bound; an evicted id fails with -ENOENT.
 */
#define MBOCHS_MAX_PLANES	16

/**
 * struct mbochs_plane - one framebuffer described to user space
 * @node: entry in &mbochs_planes.list
 * @id: the dmabuf_id user space passes to VFIO_DEVICE_GET_GFX_DMABUF
 * @mode: the framebuffer
 */
struct mbochs_plane {
	struct list_head node;
	u32 id;
	struct mbochs_mode mode;
};

/**
 * struct mbochs_dmabuf - what an exported dma-buf owns
 * @mode: copy of the plane's mode
 * @nr_pages: entries in @pages
 * @pages: the framebuffer's pages, one reference each
 */
struct mbochs_dmabuf {
	struct mbochs_mode mode;
	pgoff_t nr_pages;
	struct page *pages[] __counted_by(nr_pages);
};

/* ---- dma-buf ops: called by the dma-buf core, no mbochs lock held ---- */

/**
 * mbochs_dmabuf_map() - map the pages for an importing device's DMA
 * @at: the importer's attachment
 * @dir: DMA direction
 *
 * Called by dma_buf_map_attachment() with the dma-buf's reservation lock
 * held. Touches only what the dma-buf owns.
 *
 * Return: a DMA-mapped sg_table or ERR_PTR(-errno).
 */
static struct sg_table *mbochs_dmabuf_map(struct dma_buf_attachment *at,
					  enum dma_data_direction dir)
{
	struct mbochs_dmabuf *buf = at->dmabuf->priv;
	struct sg_table *sgt;
	int ret;

	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);
	ret = sg_alloc_table_from_pages(sgt, buf->pages, buf->nr_pages, 0,
					buf->mode.size, GFP_KERNEL);
	if (ret)
		goto out_free_sgt;
	ret = dma_map_sgtable(at->dev, sgt, dir, 0);
	if (ret)
		goto out_free_table;
	return sgt;

out_free_table:
	sg_free_table(sgt);
out_free_sgt:
	kfree(sgt);
	return ERR_PTR(ret);
}

/**
 * mbochs_dmabuf_unmap() - undo mbochs_dmabuf_map()
 * @at: the importer's attachment
 * @sgt: the table mbochs_dmabuf_map() returned
 * @dir: DMA direction
 *
 * Called with the dma-buf's reservation lock held.
 */
static void mbochs_dmabuf_unmap(struct dma_buf_attachment *at,
				struct sg_table *sgt,
				enum dma_data_direction dir)
{
	dma_unmap_sgtable(at->dev, sgt, dir, 0);
	sg_free_table(sgt);
	kfree(sgt);
}

/**
 * mbochs_dmabuf_mmap() - mmap() on a dma-buf fd
 * @dmabuf: the dma-buf
 * @vma: the new mapping; the core has checked it against the buffer size
 *
 * Called with the mmap lock held for write. Maps every page at once: they
 * all exist, and each mapping takes its own page references.
 *
 * Return: 0, or -EINVAL for a private mapping, or an insertion error.
 */
static int mbochs_dmabuf_mmap(struct dma_buf *dmabuf,
			      struct vm_area_struct *vma)
{
	struct mbochs_dmabuf *buf = dmabuf->priv;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	mbochs_compat_vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	/* All pages exist already: map them now rather than fault them. */
	return vm_map_pages(vma, buf->pages, buf->nr_pages);
}

/**
 * mbochs_dmabuf_release() - the last reference to the dma-buf is gone
 * @dmabuf: the dma-buf
 *
 * Called by the dma-buf core when its file is released, with no lock
 * held, possibly long after the device was removed: it drops only the
 * page references and memory the export took.
 */
static void mbochs_dmabuf_release(struct dma_buf *dmabuf)
{
	struct mbochs_dmabuf *buf = dmabuf->priv;
	pgoff_t i;

	for (i = 0; i < buf->nr_pages; i++)
		put_page(buf->pages[i]);
	kvfree(buf);
}

static const struct dma_buf_ops mbochs_dmabuf_ops = {
	.map_dma_buf	= mbochs_dmabuf_map,
	.unmap_dma_buf	= mbochs_dmabuf_unmap,
	.mmap		= mbochs_dmabuf_mmap,
	.release	= mbochs_dmabuf_release,
};

/* ---- planes: called with state_lock held, but for init ---- */

/**
 * mbochs_planes_init() - start with no planes
 * @planes: structure to set up
 */
void mbochs_planes_init(struct mbochs_planes *planes)
{
	INIT_LIST_HEAD(&planes->list);
	planes->count = 0;
	planes->next_id = 1;	/* 0 means "no plane" to user space */
}

static void mbochs_plane_free_locked(struct mbochs_dev *mb,
				     struct mbochs_plane *plane)
{
	lockdep_assert_held(&mb->state_lock);
	list_del(&plane->node);
	mb->planes.count--;
	kfree(plane);
}

/**
 * mbochs_planes_clear_locked() - forget every plane
 * @mb: the device
 *
 * Called at the last close. Dma-bufs already exported are not affected.
 */
void mbochs_planes_clear_locked(struct mbochs_dev *mb)
{
	struct mbochs_plane *plane, *tmp;

	lockdep_assert_held(&mb->state_lock);
	list_for_each_entry_safe(plane, tmp, &mb->planes.list, node)
		mbochs_plane_free_locked(mb, plane);
}

/*
 * The id of the plane showing @mode. A mode seen before keeps its id; a
 * new mode gets a new plane at once, so the first query after a mode
 * change already succeeds. Return: 0 or -ENOMEM.
 */
static int mbochs_planes_lookup_locked(struct mbochs_dev *mb,
				       const struct mbochs_mode *mode, u32 *id)
{
	struct mbochs_planes *planes = &mb->planes;
	struct mbochs_plane *plane;

	lockdep_assert_held(&mb->state_lock);
	list_for_each_entry(plane, &planes->list, node) {
		if (!memcmp(&plane->mode, mode, sizeof(*mode))) {
			list_move(&plane->node, &planes->list);
			*id = plane->id;
			return 0;
		}
	}

	plane = kzalloc(sizeof(*plane), GFP_KERNEL);
	if (!plane)
		return -ENOMEM;
	if (planes->count == MBOCHS_MAX_PLANES)
		mbochs_plane_free_locked(mb, list_last_entry(&planes->list,
							     struct mbochs_plane,
							     node));
	plane->mode = *mode;
	plane->id = planes->next_id++;
	list_add(&plane->node, &planes->list);
	planes->count++;
	*id = plane->id;
	return 0;
}

/*
 * A new dma-buf of plane @id, holding its own page references; pages of
 * the plane never touched are allocated. Return: the dma-buf, or ERR_PTR:
 * -ENOENT for an unknown or evicted id, -ENOMEM.
 */
static struct dma_buf *mbochs_planes_export_locked(struct mbochs_dev *mb,
						   u32 id)
{
	DEFINE_DMA_BUF_EXPORT_INFO(exp_info);
	struct mbochs_plane *plane;
	struct mbochs_dmabuf *buf;
	struct dma_buf *dmabuf;
	pgoff_t nr_pages;
	int ret;

	lockdep_assert_held(&mb->state_lock);
	list_for_each_entry(plane, &mb->planes.list, node)
		if (plane->id == id)
			goto found;
	return ERR_PTR(-ENOENT);

found:
	nr_pages = plane->mode.size >> PAGE_SHIFT;
	buf = kvzalloc(struct_size(buf, pages, nr_pages), GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	buf->nr_pages = nr_pages;
	buf->mode = plane->mode;
	ret = mbochs_vram_get_pages_locked(&mb->vram,
					   plane->mode.offset >> PAGE_SHIFT,
					   nr_pages, buf->pages);
	if (ret)
		goto out_free_buf;

	exp_info.ops = &mbochs_dmabuf_ops;
	exp_info.size = buf->mode.size;
	exp_info.flags = O_RDWR;
	exp_info.priv = buf;
	dmabuf = dma_buf_export(&exp_info);
	if (IS_ERR(dmabuf)) {
		ret = PTR_ERR(dmabuf);
		goto out_put_pages;
	}
	return dmabuf;

out_put_pages:
	while (nr_pages--)
		put_page(buf->pages[nr_pages]);
out_free_buf:
	kvfree(buf);
	return ERR_PTR(ret);
}

/* ---- the ioctls ---- */

static int mbochs_query_plane_locked(struct mbochs_dev *mb,
				     struct vfio_device_gfx_plane_info *plane)
{
	struct mbochs_mode mode;
	int ret;

	lockdep_assert_held(&mb->state_lock);
	/* No cursor or overlay plane; a disabled display has no primary. */
	if (plane->drm_plane_type != MBOCHS_DRM_PLANE_PRIMARY ||
	    mbochs_model_mode(&mb->model, &mode))
		return 0;

	ret = mbochs_planes_lookup_locked(mb, &mode, &plane->dmabuf_id);
	if (ret)
		return ret;
	plane->drm_format = mode.drm_format;
	plane->width = mode.width;
	plane->height = mode.height;
	plane->stride = mode.stride;
	plane->size = mode.size;
	return 0;
}

/**
 * mbochs_ioctl_query_gfx_plane() - VFIO_DEVICE_QUERY_GFX_PLANE
 * @mb: the device
 * @arg: user pointer to struct vfio_device_gfx_plane_info
 *
 * Called without locks held, with an fd of the device open; takes
 * state_lock. Supports PROBE with DMABUF, and DMABUF queries. A disabled
 * or unusable mode, the cursor and the overlay plane succeed with zeroes.
 *
 * Return: 0, -EFAULT, -ENOMEM, or -EINVAL for a short argsz, other flags
 * or an unknown plane type.
 */
long mbochs_ioctl_query_gfx_plane(struct mbochs_dev *mb, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_gfx_plane_info,
					  dmabuf_id);
	struct vfio_device_gfx_plane_info plane;
	int ret;

	if (copy_from_user(&plane, arg, minsz))
		return -EFAULT;
	if (plane.argsz < minsz)
		return -EINVAL;
	if (plane.flags & VFIO_GFX_PLANE_TYPE_PROBE)
		return plane.flags == (VFIO_GFX_PLANE_TYPE_PROBE |
				       VFIO_GFX_PLANE_TYPE_DMABUF) ? 0 : -EINVAL;
	if (plane.flags != VFIO_GFX_PLANE_TYPE_DMABUF)
		return -EINVAL;
	if (plane.drm_plane_type > MBOCHS_DRM_PLANE_CURSOR)
		return -EINVAL;

	/* Zeroes describe a disabled plane, as the uAPI asks. */
	plane.drm_format = 0;
	plane.drm_format_mod = 0;
	plane.width = 0;
	plane.height = 0;
	plane.stride = 0;
	plane.size = 0;
	plane.x_pos = 0;
	plane.y_pos = 0;
	plane.x_hot = 0xffffffff;	/* no hotspot */
	plane.y_hot = 0xffffffff;
	plane.dmabuf_id = 0;

	mutex_lock(&mb->state_lock);
	ret = mbochs_query_plane_locked(mb, &plane);
	mutex_unlock(&mb->state_lock);
	if (ret)
		return ret;
	return copy_to_user(arg, &plane, minsz) ? -EFAULT : 0;
}

/**
 * mbochs_ioctl_get_gfx_dmabuf() - VFIO_DEVICE_GET_GFX_DMABUF
 * @mb: the device
 * @arg: user pointer to the dmabuf_id of a plane
 *
 * Called without locks held, with an fd of the device open; takes
 * state_lock to export, and installs the fd without it.
 *
 * Return: a new dma-buf fd (O_CLOEXEC), or -ENOENT for an unknown id,
 * -EFAULT, -ENOMEM or -EMFILE.
 */
long mbochs_ioctl_get_gfx_dmabuf(struct mbochs_dev *mb, u32 __user *arg)
{
	struct dma_buf *dmabuf;
	u32 id;
	int fd;

	if (get_user(id, arg))
		return -EFAULT;

	mutex_lock(&mb->state_lock);
	dmabuf = mbochs_planes_export_locked(mb, id);
	mutex_unlock(&mb->state_lock);
	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);

	fd = dma_buf_fd(dmabuf, O_CLOEXEC);
	if (fd < 0)
		dma_buf_put(dmabuf);
	return fd;
}
