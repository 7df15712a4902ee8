// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs ioctls: device, region and interrupt info, reset, and the
 * graphics plane and dma-buf queries of a display device.
 *
 * Argument structures are checked here (argsz, flags, index). Handlers that
 * touch device state take state_lock, and never while copying to or from
 * user memory.
 */
#include <linux/dma-buf.h>
#include <linux/uaccess.h>

#include "vfio_suite_compat.h"
#include "mbochs.h"

/* DRM plane types (include/drm/drm_plane.h), as the uAPI passes them. */
#define MBOCHS_DRM_PLANE_OVERLAY	0
#define MBOCHS_DRM_PLANE_PRIMARY	1
#define MBOCHS_DRM_PLANE_CURSOR		2

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
 * vfio_suite_region_info_ioctl() from mbochs_ioctl(). The caller copies
 * @info back and appends @caps.
 *
 * Return: 0, -EINVAL for an index past the last region, or -ENOMEM.
 */
int mbochs_get_region_info(struct vfio_device *vdev,
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
long mbochs_ioctl(struct vfio_device *vdev, unsigned int cmd, unsigned long arg)
{
	struct mbochs_device *mb = vdev_to_mbochs(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return mbochs_ioctl_get_info(uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return vfio_suite_region_info_ioctl(vdev, uarg,
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
