// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs VFIO glue: the vfio_device_ops of an mbochs device.
 *
 * Each device is a device set of its own (mbochs never calls
 * vfio_assign_device_set()), so the set lock the core holds around
 * open_device and close_device is this device's alone.
 */
#include <linux/dma-buf.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vfio_suite_compat.h"
#include "mbochs.h"
#include "mbochs_pool.h"

/* DRM plane types (include/drm/drm_plane.h), as the uAPI passes them. */
#define MBOCHS_DRM_PLANE_OVERLAY	0
#define MBOCHS_DRM_PLANE_PRIMARY	1
#define MBOCHS_DRM_PLANE_CURSOR		2

/* ---- lifecycle ---- */

/**
 * mbochs_init_dev() - allocate what lives as long as the device
 * @vdev: the VFIO device embedded in a new, zeroed &struct mbochs_device
 *
 * Called by vfio_alloc_device() from probe, before the device is visible.
 * Takes the type's video memory out of the pool; if .init fails the core
 * does not call .release, so every step is undone here.
 *
 * Return: 0, -ENOSPC if the pool cannot hold the device, or -ENOMEM.
 */
static int mbochs_init_dev(struct vfio_device *vdev)
{
	struct mbochs_device *mb = vdev_to_mbochs(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	const struct mbochs_type *type =
		container_of(mdev->type, struct mbochs_type, type);
	int ret;

	ret = mbochs_pool_reserve(type->mbytes);
	if (ret)
		return ret;
	ret = -ENOMEM;
	if (mbochs_should_fail(MBOCHS_FAIL_INIT_RESERVED))
		goto out_release_pool;

	mb->type = type;
	mutex_init(&mb->state_lock);
	ret = mbochs_vram_init(&mb->vram, &mb->state_lock,
			       (u64)type->mbytes * SZ_1M);
	if (ret)
		goto out_destroy_lock;
	ret = -ENOMEM;
	if (mbochs_should_fail(MBOCHS_FAIL_INIT_VRAM))
		goto out_fini_vram;

	mbochs_planes_init(&mb->planes, &mb->state_lock);
	mbochs_model_init(&mb->model, (u64)type->mbytes * SZ_1M,
			  type->max_xres, type->max_yres);
	return 0;

out_fini_vram:
	mbochs_vram_fini(&mb->vram);
out_destroy_lock:
	mutex_destroy(&mb->state_lock);
out_release_pool:
	mbochs_pool_release(type->mbytes);
	return ret;
}

/**
 * mbochs_release_dev() - free what mbochs_init_dev() allocated
 * @vdev: the VFIO device
 *
 * Called when the last reference to the device is put, after remove (or
 * a failed probe). No fd, mapping or fault can reach the device any more;
 * dma-bufs never could. Gives the video memory back to the pool.
 */
static void mbochs_release_dev(struct vfio_device *vdev)
{
	struct mbochs_device *mb = vdev_to_mbochs(vdev);

	mbochs_vram_fini(&mb->vram);
	mutex_destroy(&mb->state_lock);
	mbochs_pool_release(mb->type->mbytes);
}

/**
 * mbochs_open_device() - first fd of the device opened
 * @vdev: the VFIO device
 *
 * Called with the device set lock held, once per first open: a second fd
 * on an open device does not come here. Puts the device in its power-on
 * state, so every user starts from the same place.
 *
 * Return: 0.
 */
static int mbochs_open_device(struct vfio_device *vdev)
{
	struct mbochs_device *mb = vdev_to_mbochs(vdev);

	mutex_lock(&mb->state_lock);
	mbochs_model_init(&mb->model, mb->model.vram_size, mb->type->max_xres,
			  mb->type->max_yres);
	mutex_unlock(&mb->state_lock);
	mb->open_count++;
	return 0;
}

/**
 * mbochs_close_device() - last fd of the device closed
 * @vdev: the VFIO device
 *
 * Called with the device set lock held, once, when the last fd goes: with
 * several fds open, closing one does not come here, so the planes and the
 * mode the others see stay intact. Releases the device's hold on its
 * planes and video memory. Dma-bufs still held keep their own pages.
 * No BAR0 mapping can exist: a mapping holds the fd open.
 */
static void mbochs_close_device(struct vfio_device *vdev)
{
	struct mbochs_device *mb = vdev_to_mbochs(vdev);

	mutex_lock(&mb->state_lock);
	mbochs_planes_clear_locked(&mb->planes);
	mbochs_vram_free_pages_locked(&mb->vram);
	mutex_unlock(&mb->state_lock);
	mb->close_count++;
}

/* ---- read, write, mmap: called with an fd of the device open ---- */

/**
 * mbochs_read() - read() on the device fd
 * @vdev: the VFIO device
 * @buf: user buffer
 * @count: bytes
 * @ppos: region index and offset, see mbochs_region_rw()
 *
 * Called without locks held; takes state_lock per step.
 *
 * Return: bytes read or -errno.
 */
static ssize_t mbochs_read(struct vfio_device *vdev, char __user *buf,
			   size_t count, loff_t *ppos)
{
	return mbochs_region_rw(vdev_to_mbochs(vdev), buf, count, ppos, false);
}

/**
 * mbochs_write() - write() on the device fd
 * @vdev: the VFIO device
 * @buf: user buffer
 * @count: bytes
 * @ppos: region index and offset, see mbochs_region_rw()
 *
 * Called without locks held; takes state_lock per step.
 *
 * Return: bytes written or -errno.
 */
static ssize_t mbochs_write(struct vfio_device *vdev, const char __user *buf,
			    size_t count, loff_t *ppos)
{
	return mbochs_region_rw(vdev_to_mbochs(vdev), (char __user *)buf,
				count, ppos, true);
}

/* Called with the mmap lock (or the vma lock) held; takes state_lock. */
static vm_fault_t mbochs_bar0_fault(struct vm_fault *vmf)
{
	struct mbochs_device *mb = vmf->vma->vm_private_data;
	vm_fault_t ret;

	mutex_lock(&mb->state_lock);
	ret = mbochs_vram_fault_locked(&mb->vram, vmf, mbochs_fault_batch());
	mutex_unlock(&mb->state_lock);
	return ret;
}

static const struct vm_operations_struct mbochs_bar0_vm_ops = {
	.fault = mbochs_bar0_fault,
};

/**
 * mbochs_mmap() - mmap() on the device fd
 * @vdev: the VFIO device
 * @vma: the new mapping
 *
 * Called with the mmap lock held for write. Only BAR0 (video memory) can
 * be mapped, shared, and only inside its bounds. Pages are mapped on
 * fault; VM_MIXEDMAP lets the fault handler insert several at once.
 *
 * Return: 0 or -EINVAL.
 */
static int mbochs_mmap(struct vfio_device *vdev, struct vm_area_struct *vma)
{
	struct mbochs_device *mb = vdev_to_mbochs(vdev);
	u64 start = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u64 len = vma->vm_end - vma->vm_start;

	if (start >> MBOCHS_REGION_SHIFT != VFIO_PCI_BAR0_REGION_INDEX)
		return -EINVAL;
	if (start >= mb->model.vram_size || len > mb->model.vram_size - start)
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;

	vfio_suite_vm_flags_set(vma, VM_MIXEDMAP | VM_DONTEXPAND |
			       VM_DONTDUMP);
	vma->vm_ops = &mbochs_bar0_vm_ops;
	vma->vm_private_data = mb;
	return 0;
}

/* ---- ioctls ---- */

static long mbochs_ioctl_get_info(void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = MBOCHS_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/**
 * mbochs_get_region_info() - describe one region
 * @vdev: the VFIO device
 * @info: the request, argsz checked, to fill in
 * @caps: capability chain to add to
 *
 * Called without locks held, with an fd of the device open: by the VFIO
 * core for VFIO_DEVICE_GET_REGION_INFO (6.19 and later) or through
 * vfio_suite_get_region_info() from mbochs_ioctl(). The caller copies
 * @info back and appends @caps.
 *
 * Return: 0, -EINVAL for an index past the last region, or -ENOMEM.
 */
static int mbochs_get_region_info(struct vfio_device *vdev,
				  struct vfio_region_info *info,
				  struct vfio_info_cap *caps)
{
	struct vfio_region_info_cap_type cap_type = {
		.header.id = VFIO_REGION_INFO_CAP_TYPE,
		.header.version = 1,
		.type = VFIO_REGION_TYPE_GFX,
		.subtype = VFIO_REGION_SUBTYPE_GFX_EDID,
	};
	struct mbochs_device *mb = vdev_to_mbochs(vdev);

	if (info->index >= MBOCHS_NUM_REGIONS)
		return -EINVAL;

	info->offset = (u64)info->index << MBOCHS_REGION_SHIFT;
	info->size = mbochs_region_size(mb, info->index);
	info->flags = 0;
	info->cap_offset = 0;
	if (info->size)
		info->flags = VFIO_REGION_INFO_FLAG_READ |
			      VFIO_REGION_INFO_FLAG_WRITE;
	if (info->index == VFIO_PCI_BAR0_REGION_INDEX)
		info->flags |= VFIO_REGION_INFO_FLAG_MMAP;
	if (info->index == MBOCHS_EDID_REGION_INDEX)
		return vfio_info_add_capability(caps, &cap_type.header,
						sizeof(cap_type));
	return 0;
}

static long mbochs_ioctl_get_irq_info(void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	/* A display without interrupts: bochs DRM polls nothing either. */
	info.flags = 0;
	info.count = 0;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static long mbochs_ioctl_set_irqs(void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	/* Every index has zero interrupts, so no request can be valid. */
	return -EINVAL;
}

static long mbochs_ioctl_reset(struct mbochs_device *mb)
{
	mutex_lock(&mb->state_lock);
	mbochs_model_reset(&mb->model);
	mutex_unlock(&mb->state_lock);
	return 0;
}

static int mbochs_query_plane_locked(struct mbochs_device *mb,
				     struct vfio_device_gfx_plane_info *plane)
{
	struct mbochs_mode mode;
	int ret;

	lockdep_assert_held(&mb->state_lock);
	/* No cursor or overlay plane; a disabled display has no primary. */
	if (plane->drm_plane_type != MBOCHS_DRM_PLANE_PRIMARY ||
	    mbochs_model_mode(&mb->model, &mode))
		return 0;

	ret = mbochs_planes_lookup_locked(&mb->planes, &mode,
					  &plane->dmabuf_id);
	if (ret)
		return ret;
	plane->drm_format = mode.drm_format;
	plane->width = mode.width;
	plane->height = mode.height;
	plane->stride = mode.stride;
	plane->size = mode.size;
	return 0;
}

static long mbochs_ioctl_query_gfx_plane(struct mbochs_device *mb,
					 void __user *arg)
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

static long mbochs_ioctl_get_gfx_dmabuf(struct mbochs_device *mb,
					u32 __user *arg)
{
	struct dma_buf *dmabuf;
	u32 id;
	int fd;

	if (get_user(id, arg))
		return -EFAULT;

	mutex_lock(&mb->state_lock);
	dmabuf = mbochs_planes_export_locked(&mb->planes, &mb->vram, id);
	mutex_unlock(&mb->state_lock);
	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);

	fd = dma_buf_fd(dmabuf, O_CLOEXEC);
	if (fd < 0)
		dma_buf_put(dmabuf);
	return fd;
}

/**
 * mbochs_ioctl() - ioctl() on the device fd
 * @vdev: the VFIO device
 * @cmd: VFIO_DEVICE_* command
 * @arg: user pointer to the command's argument
 *
 * Called without locks held, with an fd of the device open. Argument
 * structures are checked here (argsz, flags, index); handlers that touch
 * device state take state_lock, and never while copying to or from user.
 *
 * Return: 0, a new fd for VFIO_DEVICE_GET_GFX_DMABUF, or -errno;
 * -ENOTTY for commands the device does not implement.
 */
static long mbochs_ioctl(struct vfio_device *vdev, unsigned int cmd,
			 unsigned long arg)
{
	struct mbochs_device *mb = vdev_to_mbochs(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return mbochs_ioctl_get_info(uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return vfio_suite_get_region_info(vdev, uarg,
						  mbochs_get_region_info);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return mbochs_ioctl_get_irq_info(uarg);
	case VFIO_DEVICE_SET_IRQS:
		return mbochs_ioctl_set_irqs(uarg);
	case VFIO_DEVICE_RESET:
		return mbochs_ioctl_reset(mb);
	case VFIO_DEVICE_QUERY_GFX_PLANE:
		return mbochs_ioctl_query_gfx_plane(mb, uarg);
	case VFIO_DEVICE_GET_GFX_DMABUF:
		return mbochs_ioctl_get_gfx_dmabuf(mb, uarg);
	default:
		return -ENOTTY;
	}
}

const struct vfio_device_ops mbochs_vfio_ops = {
	.name		= MBOCHS_NAME,
	.init		= mbochs_init_dev,
	.release	= mbochs_release_dev,
	.open_device	= mbochs_open_device,
	.close_device	= mbochs_close_device,
	.read		= mbochs_read,
	.write		= mbochs_write,
	.mmap		= mbochs_mmap,
	.ioctl		= mbochs_ioctl,
	VFIO_SUITE_GET_REGION_INFO_OP(mbochs_get_region_info)
	VFIO_SUITE_EMULATED_IOMMUFD_OPS
};
