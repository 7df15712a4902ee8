// SPDX-License-Identifier: GPL-2.0
/*
 * mdpy VFIO glue: the vfio_device_ops of one virtual display.
 *
 * The device looks like vfio-pci to userspace: region i of
 * VFIO_PCI_NUM_REGIONS sits at file offset i << MDPY_REGION_SHIFT, config
 * space is region VFIO_PCI_CONFIG_REGION_INDEX (256 bytes) and the
 * framebuffer is BAR0 (mmappable). VFIO_DEVICE_QUERY_GFX_PLANE points the
 * display consumer (QEMU's display=on) at BAR0.
 *
 * Each device is a device set of its own (probe keys it by the device),
 * so the set lock held around open_device and close_device is this
 * device's alone.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_plane.h>

#include "mdpy.h"
#include "mdpy_defs.h"
#include "vfio_suite_compat.h"

/* Region i starts at file offset i << 40, as in vfio-pci. */
#define MDPY_REGION_SHIFT	40
#define MDPY_REGION_OFFSET(i)	((u64)(i) << MDPY_REGION_SHIFT)
#define MDPY_REGION_MASK	(MDPY_REGION_OFFSET(1) - 1)
#define MDPY_REGION_PGSHIFT	(MDPY_REGION_SHIFT - PAGE_SHIFT)

static_assert(MDPY_FORMAT_XRGB8888 == DRM_FORMAT_XRGB8888);

/* ---- reset ---- */

static void mdpy_reset_locked(struct mdpy_device *mdpy)
{
	lockdep_assert_held(&mdpy->lock);
	mdpy_model_reset(&mdpy->model);
	mdpy->reset_count++;
}

/* ---- lifetime ---- */

/**
 * mdpy_init_dev() - allocate what lives as long as the device
 * @vdev: the VFIO device embedded in a new &struct mdpy_device
 *
 * Called by vfio_alloc_device() from probe, before the device is visible
 * to userspace; no lock is held. On failure the core does not call
 * mdpy_release_dev(), so this unwinds itself.
 *
 * Return: 0, or -ENOMEM.
 */
static int mdpy_init_dev(struct vfio_device *vdev)
{
	struct mdpy_device *mdpy = vdev_to_mdpy(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	struct mdpy_type *type = container_of(mdev->type, struct mdpy_type, type);
	int ret;

	mutex_init(&mdpy->lock);
	ret = mdpy_model_init(&mdpy->model, &type->mode);
	if (ret)
		goto out_destroy_lock;

	mdpy_debugfs_add(mdpy);
	return 0;

out_destroy_lock:
	mutex_destroy(&mdpy->lock);
	return ret;
}

/**
 * mdpy_release_dev() - free what mdpy_init_dev() allocated
 * @vdev: the VFIO device whose last reference is going away
 *
 * Called once, when the last reference to @vdev is put; no lock is held.
 * No file of the device is open by then and so no mapping of the
 * framebuffer exists: each mapping holds the device file open. On 6.1
 * the core leaves freeing @vdev itself to this op.
 */
static void mdpy_release_dev(struct vfio_device *vdev)
{
	struct mdpy_device *mdpy = vdev_to_mdpy(vdev);

	mdpy_debugfs_remove(mdpy);
	mdpy_model_free(&mdpy->model);
	mutex_destroy(&mdpy->lock);
	vfio_suite_free_device(vdev);
}

/**
 * mdpy_open_device() - the first file descriptor of the device is opening
 * @vdev: the VFIO device
 *
 * Called with the device set lock held, once per first open. Resets the
 * display so that no pixel or register of the previous user leaks to the
 * next one.
 *
 * Return: 0.
 */
static int mdpy_open_device(struct vfio_device *vdev)
{
	struct mdpy_device *mdpy = vdev_to_mdpy(vdev);

	lockdep_assert_held(&vdev->dev_set->lock);
	mdpy->open_count++;

	mutex_lock(&mdpy->lock);
	mdpy_reset_locked(mdpy);
	mutex_unlock(&mdpy->lock);
	return 0;
}

/**
 * mdpy_close_device() - the last file descriptor of the device was released
 * @vdev: the VFIO device
 *
 * Called with the device set lock held, once per last close. A display
 * holds nothing per open, so there is nothing to tear down; the next
 * open resets it.
 */
static void mdpy_close_device(struct vfio_device *vdev)
{
	struct mdpy_device *mdpy = vdev_to_mdpy(vdev);

	lockdep_assert_held(&vdev->dev_set->lock);
	mdpy->close_count++;
}

/* ---- region access ---- */

static ssize_t mdpy_config_rw(struct mdpy_device *mdpy, char __user *ubuf,
			      size_t count, u64 offset, bool write)
{
	u8 buf[MDPY_CONFIG_SIZE];

	if (offset >= MDPY_CONFIG_SIZE)
		return -EINVAL;
	count = min_t(size_t, count, MDPY_CONFIG_SIZE - offset);

	if (write) {
		if (copy_from_user(buf, ubuf, count))
			return -EFAULT;
		mutex_lock(&mdpy->lock);
		mdpy_model_config_write(&mdpy->model, offset, buf, count);
		mutex_unlock(&mdpy->lock);
		return count;
	}

	mutex_lock(&mdpy->lock);
	mdpy_model_config_read(&mdpy->model, offset, buf, count);
	mutex_unlock(&mdpy->lock);
	return copy_to_user(ubuf, buf, count) ? -EFAULT : count;
}

/*
 * The framebuffer is plain memory, so one copy serves any size and
 * alignment, and the bytes are the ones an mmap of BAR0 maps.
 */
static ssize_t mdpy_bar0_rw(struct mdpy_device *mdpy, char __user *ubuf,
			    size_t count, u64 offset, bool write)
{
	struct mdpy_model *model = &mdpy->model;
	unsigned long left;

	if (offset >= model->fb_size)
		return -EINVAL;
	count = min_t(size_t, count, model->fb_size - offset);

	if (write) {
		left = copy_from_user(model->fb + offset, ubuf, count);
		mdpy_model_fb_written(model);
	} else {
		left = copy_to_user(ubuf, model->fb + offset, count);
	}
	return left ? -EFAULT : count;
}

static ssize_t mdpy_rw(struct vfio_device *vdev, char __user *ubuf,
		       size_t count, loff_t *ppos, bool write)
{
	struct mdpy_device *mdpy = vdev_to_mdpy(vdev);
	u64 index = *ppos >> MDPY_REGION_SHIFT;
	u64 offset = *ppos & MDPY_REGION_MASK;
	ssize_t ret;

	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		ret = mdpy_config_rw(mdpy, ubuf, count, offset, write);
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
		ret = mdpy_bar0_rw(mdpy, ubuf, count, offset, write);
		break;
	default:
		return -EINVAL;
	}
	if (ret > 0)
		*ppos += ret;
	return ret;
}

/**
 * mdpy_read() - read() or pread() on a device fd
 * @vdev: the VFIO device
 * @ubuf: user buffer
 * @count: bytes asked for
 * @ppos: file offset: region index and offset in the region
 *
 * Called without the device set lock, possibly from several fds at once.
 * Accesses act at the offset asked for; one that runs past the end of
 * its region is cut short there, and one that starts past it fails.
 *
 * Return: bytes read, or -EINVAL (no such region or offset) or -EFAULT.
 */
static ssize_t mdpy_read(struct vfio_device *vdev, char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	return mdpy_rw(vdev, ubuf, count, ppos, false);
}

/**
 * mdpy_write() - write() or pwrite() on a device fd
 * @vdev: the VFIO device
 * @ubuf: user buffer
 * @count: bytes to write
 * @ppos: file offset: region index and offset in the region
 *
 * As mdpy_read(). Config space bits that are read-only keep their value.
 *
 * Return: bytes written, or -EINVAL (no such region or offset) or -EFAULT.
 */
static ssize_t mdpy_write(struct vfio_device *vdev, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	return mdpy_rw(vdev, (char __user *)ubuf, count, ppos, true);
}

/**
 * mdpy_mmap() - mmap() on a device fd
 * @vdev: the VFIO device
 * @vma: the new mapping; its offset selects the region
 *
 * Called without the device set lock. Only BAR0 can be mapped, shared,
 * and only within its size. The mapping holds the device file, so the
 * framebuffer it maps outlives it: see mdpy_remove().
 *
 * Return: 0, or -EINVAL.
 */
static int mdpy_mmap(struct vfio_device *vdev, struct vm_area_struct *vma)
{
	struct mdpy_model *model = &vdev_to_mdpy(vdev)->model;
	unsigned long index = vma->vm_pgoff >> MDPY_REGION_PGSHIFT;
	unsigned long pgoff = vma->vm_pgoff & (BIT(MDPY_REGION_PGSHIFT) - 1);
	unsigned long pages = model->fb_size >> PAGE_SHIFT;

	if (index != VFIO_PCI_BAR0_REGION_INDEX)
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (pgoff >= pages || vma_pages(vma) > pages - pgoff)
		return -EINVAL;

	mdpy_model_fb_mapped(model);
	return remap_vmalloc_range(vma, model->fb, pgoff);
}

/* ---- ioctls ---- */

static long mdpy_ioctl_get_info(struct mdpy_device *mdpy, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;

	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/**
 * mdpy_get_region_info() - describe one region
 * @vdev: the VFIO device
 * @info: the header userspace passed in, index set; filled in here
 * @caps: capability chain to append to; mdpy regions have none
 *
 * The VFIO core calls this for VFIO_DEVICE_GET_REGION_INFO on 6.19 and
 * later, after checking argsz; before 6.19 mdpy_ioctl() reaches it through
 * vfio_suite_region_info_ioctl(), which does the same. No lock is held.
 *
 * Return: 0, or -EINVAL for an index past VFIO_PCI_NUM_REGIONS.
 */
static int mdpy_get_region_info(struct vfio_device *vdev,
				struct vfio_region_info *info,
				struct vfio_info_cap *caps)
{
	struct mdpy_device *mdpy = vdev_to_mdpy(vdev);

	if (info->index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;

	info->offset = MDPY_REGION_OFFSET(info->index);
	info->cap_offset = 0;
	switch (info->index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info->size = MDPY_CONFIG_SIZE;
		info->flags = VFIO_REGION_INFO_FLAG_READ |
			      VFIO_REGION_INFO_FLAG_WRITE;
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
		info->size = mdpy->model.fb_size;
		info->flags = VFIO_REGION_INFO_FLAG_READ |
			      VFIO_REGION_INFO_FLAG_WRITE |
			      VFIO_REGION_INFO_FLAG_MMAP;
		break;
	default:
		/* Regions the device does not have are empty. */
		info->size = 0;
		info->flags = 0;
		break;
	}
	return 0;
}

static long mdpy_ioctl_get_irq_info(void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;

	/* A display that is only ever polled raises no interrupt. */
	info.flags = 0;
	info.count = 0;

	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static long mdpy_ioctl_set_irqs(void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	/* Every index has zero interrupts, so no request can be valid. */
	return -EINVAL;
}

static long mdpy_ioctl_reset(struct mdpy_device *mdpy)
{
	mutex_lock(&mdpy->lock);
	mdpy_reset_locked(mdpy);
	mutex_unlock(&mdpy->lock);
	return 0;
}

static long mdpy_ioctl_query_gfx_plane(struct mdpy_device *mdpy,
				       void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_gfx_plane_info,
					  region_index);
	const struct mdpy_mode *mode = mdpy->model.mode;
	struct vfio_device_gfx_plane_info in, out;
	u32 stride = mdpy_mode_stride(mode);

	if (copy_from_user(&in, arg, minsz))
		return -EFAULT;
	if (in.argsz < minsz)
		return -EINVAL;

	switch (in.flags) {
	case VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_REGION:
		return 0;	/* yes, region planes are supported */
	case VFIO_GFX_PLANE_TYPE_REGION:
		break;
	default:
		/* dma-buf planes, a bare PROBE, unknown bits. */
		return -EINVAL;
	}

	/* The inputs go back as they came; every output starts at zero. */
	out = (struct vfio_device_gfx_plane_info){
		.argsz = in.argsz,
		.flags = in.flags,
		.drm_plane_type = in.drm_plane_type,
		/* No cursor, so no hotspot, which the uAPI spells as all ones. */
		.x_hot = U32_MAX,
		.y_hot = U32_MAX,
	};

	switch (in.drm_plane_type) {
	case DRM_PLANE_TYPE_PRIMARY:
		out.drm_format = mode->format;
		out.drm_format_mod = DRM_FORMAT_MOD_LINEAR;
		out.width = mode->width;
		out.height = mode->height;
		out.stride = stride;
		out.size = PAGE_ALIGN(stride * mode->height);
		out.region_index = VFIO_PCI_BAR0_REGION_INDEX;
		break;
	case DRM_PLANE_TYPE_OVERLAY:
	case DRM_PLANE_TYPE_CURSOR:
		/* Planes mdpy lacks read as disabled: zero format and size. */
		break;
	default:
		return -EINVAL;
	}

	return copy_to_user(arg, &out, minsz) ? -EFAULT : 0;
}

/**
 * mdpy_ioctl() - a VFIO_DEVICE_* ioctl on any of the device's fds
 * @vdev: the VFIO device
 * @cmd: the ioctl number
 * @arg: its user argument
 *
 * Called without the device set lock, possibly from several fds at once.
 * Each handler validates argsz, flags and indexes before acting.
 *
 * Return: 0 on success, a negative errno on failure; -ENOTTY for ioctls
 * the device does not implement.
 */
static long mdpy_ioctl(struct vfio_device *vdev, unsigned int cmd,
		       unsigned long arg)
{
	struct mdpy_device *mdpy = vdev_to_mdpy(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return mdpy_ioctl_get_info(mdpy, uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return vfio_suite_region_info_ioctl(vdev, uarg,
						    mdpy_get_region_info);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return mdpy_ioctl_get_irq_info(uarg);
	case VFIO_DEVICE_SET_IRQS:
		return mdpy_ioctl_set_irqs(uarg);
	case VFIO_DEVICE_RESET:
		return mdpy_ioctl_reset(mdpy);
	case VFIO_DEVICE_QUERY_GFX_PLANE:
		return mdpy_ioctl_query_gfx_plane(mdpy, uarg);
	}
	return -ENOTTY;
}

const struct vfio_device_ops mdpy_vfio_ops = {
	.name		= "vfio-mdpy",
	.init		= mdpy_init_dev,
	.release	= mdpy_release_dev,
	.open_device	= mdpy_open_device,
	.close_device	= mdpy_close_device,
	.read		= mdpy_read,
	.write		= mdpy_write,
	.mmap		= mdpy_mmap,
	.ioctl		= mdpy_ioctl,
	VFIO_SUITE_REGION_INFO_OP(mdpy_get_region_info)
	VFIO_SUITE_EMULATED_IOMMUFD_OPS
};
