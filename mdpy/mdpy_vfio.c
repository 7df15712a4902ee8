// SPDX-License-Identifier: GPL-2.0
/*
 * mdpy VFIO glue: the vfio_device_ops of one virtual display.
 *
 * The device looks like vfio-pci to userspace: region i of
 * VFIO_PCI_NUM_REGIONS sits at file offset MDPY_INDEX_TO_OFFSET(i), config
 * space is region VFIO_PCI_CONFIG_REGION_INDEX (256 bytes) and the
 * framebuffer is BAR0 (mmappable). VFIO_DEVICE_QUERY_GFX_PLANE points the
 * display consumer (QEMU's display=on) at BAR0.
 */
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_plane.h>

#include "mdpy.h"
#include "mdpy_compat.h"
#include "mdpy_defs.h"

static_assert(MDPY_FORMAT_XRGB8888 == DRM_FORMAT_XRGB8888);

/* ---- reset ---- */

/*
 * @unmapped: no mapping of BAR0 exists, which holds at the first open:
 * every mapping holds a file of the device, so the device is open.
 */
static void mdpy_reset_locked(struct mdpy_dev *mdpy, bool unmapped)
{
	unsigned int restored;

	lockdep_assert_held(&mdpy->lock);
	restored = mdpy_model_reset(&mdpy->model, unmapped);
	mdpy_hook_reset(mdpy, restored);
}

/* ---- lifetime ---- */

/**
 * mdpy_init_dev() - allocate what lives as long as the device
 * @vdev: the VFIO device embedded in a new &struct mdpy_dev
 *
 * Called by vfio_alloc_device() from probe, before the device is visible
 * to userspace; no lock is held. Takes one display from the instance
 * pool. On failure the core does not call mdpy_release_dev(), so this
 * unwinds itself.
 *
 * Return: 0, -EUSERS when the pool is empty, or -ENOMEM.
 */
static int mdpy_init_dev(struct vfio_device *vdev)
{
	struct mdpy_dev *mdpy = mdpy_from_vdev(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	struct mdpy_type *type = container_of(mdev->type, struct mdpy_type, type);
	int ret;

	mutex_init(&mdpy->lock);
	mutex_init(&mdpy->irq_lock);
	if (!mdpy_pool_get(1)) {
		ret = -EUSERS;
		goto out_destroy_locks;
	}
	ret = mdpy_model_init(&mdpy->model, &type->mode);
	if (ret)
		goto out_put_pool;
	ret = mdpy_hooks_alloc(mdpy);
	if (ret)
		goto out_free_model;
	return 0;

out_free_model:
	mdpy_model_free(&mdpy->model);
out_put_pool:
	mdpy_pool_put(1);
out_destroy_locks:
	mutex_destroy(&mdpy->irq_lock);
	mutex_destroy(&mdpy->lock);
	return ret;
}

/**
 * mdpy_release_dev() - free what mdpy_init_dev() allocated
 * @vdev: the VFIO device whose last reference is going away
 *
 * Called once, when the last reference to @vdev is put; no lock is held.
 * No file of the device is open by then and so no mapping of the
 * framebuffer exists: each mapping holds the device file open.
 */
static void mdpy_release_dev(struct vfio_device *vdev)
{
	struct mdpy_dev *mdpy = mdpy_from_vdev(vdev);

	mdpy_hooks_free(mdpy);
	mdpy_model_free(&mdpy->model);
	mdpy_pool_put(1);
	mutex_destroy(&mdpy->irq_lock);
	mutex_destroy(&mdpy->lock);
	mdpy_compat_free_device(vdev);
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
	struct mdpy_dev *mdpy = mdpy_from_vdev(vdev);

	lockdep_assert_held(&vdev->dev_set->lock);

	mutex_lock(&mdpy->lock);
	mdpy_reset_locked(mdpy, true);
	mutex_unlock(&mdpy->lock);
	mdpy_hook_opened(mdpy);
	return 0;
}

/**
 * mdpy_close_device() - the last file descriptor of the device was released
 * @vdev: the VFIO device
 *
 * Called with the device set lock held, once per last close. Drops the
 * user's eventfds; the framebuffer waits for the next open's reset.
 */
static void mdpy_close_device(struct vfio_device *vdev)
{
	struct mdpy_dev *mdpy = mdpy_from_vdev(vdev);

	lockdep_assert_held(&vdev->dev_set->lock);

	mdpy_irq_release(mdpy);
	mdpy_hook_closed(mdpy);
}

/**
 * mdpy_request() - ask the user to give the device back
 * @vdev: the VFIO device
 * @count: how many times the core asked before; 0 the first time
 *
 * Called by vfio_unregister_group_dev() in mdpy_remove(), without the
 * device set lock, and again every 10 seconds until the last file of the
 * device is closed.
 */
static void mdpy_request(struct vfio_device *vdev, unsigned int count)
{
	struct mdpy_dev *mdpy = mdpy_from_vdev(vdev);

	if (!mdpy_irq_request(mdpy) && !count)
		dev_notice(vdev->dev,
			   "no request eventfd, waiting for the user to close\n");
}

/* ---- region access ---- */

/* A config access of one naturally aligned unit: 1, 2 or 4 bytes. */
union mdpy_cfg_unit {
	u8 b[4];
	u16 w;
	u32 l;
};

static int mdpy_cfg_unit_rw(struct mdpy_dev *mdpy, char __user *p, u32 pos,
			    u32 len, bool write)
{
	union mdpy_cfg_unit u;
	int ret = 0;

	if (write) {
		if (len == 4)
			ret = get_user(u.l, (u32 __user *)p);
		else if (len == 2)
			ret = get_user(u.w, (u16 __user *)p);
		else
			ret = get_user(u.b[0], (u8 __user *)p);
		if (ret)
			return ret;
	}

	mutex_lock(&mdpy->lock);
	if (write)
		mdpy_model_config_write(&mdpy->model, pos, u.b, len);
	else
		mdpy_model_config_read(&mdpy->model, pos, u.b, len);
	mutex_unlock(&mdpy->lock);

	if (write)
		return 0;
	if (len == 4)
		return put_user(u.l, (u32 __user *)p);
	if (len == 2)
		return put_user(u.w, (u16 __user *)p);
	return put_user(u.b[0], (u8 __user *)p);
}

/*
 * Config space moves as a CPU moves it, in naturally aligned units, each
 * through get_user()/put_user() of its size: no buffer the size of config
 * space, which the kernel would clear on every access, and no copy of
 * variable size, which hardened usercopy would check.
 */
static ssize_t mdpy_rw_config(struct mdpy_dev *mdpy, char __user *ubuf,
			      size_t count, u64 off, bool write)
{
	size_t done, left;
	u32 pos, len;
	int ret;

	if (off >= MDPY_CONFIG_SIZE || count > MDPY_CONFIG_SIZE - off)
		return -EINVAL;

	for (done = 0; done < count; done += len) {
		pos = off + done;
		left = count - done;
		if (left >= 4 && !(pos & 3))
			len = 4;
		else if (left >= 2 && !(pos & 1))
			len = 2;
		else
			len = 1;
		ret = mdpy_cfg_unit_rw(mdpy, ubuf + done, pos, len, write);
		if (ret)
			return ret;
	}
	return count;
}

/*
 * The framebuffer is plain memory, so one copy serves any size and
 * alignment, and the bytes are the ones a mapping of BAR0 maps.
 */
static ssize_t mdpy_rw_bar0(struct mdpy_dev *mdpy, char __user *ubuf,
			    size_t count, u64 off, bool write)
{
	struct mdpy_model *model = &mdpy->model;
	unsigned long left;

	if (off >= model->fb_size || count > model->fb_size - off)
		return -EINVAL;
	if (!count)
		return 0;

	if (write) {
		left = copy_from_user(model->fb + off, ubuf, count);
		/* After the copy: see mdpy_model_fb_written(). */
		mdpy_model_fb_written(model, off, count);
	} else {
		left = copy_to_user(ubuf, model->fb + off, count);
	}
	return left ? -EFAULT : count;
}

static ssize_t mdpy_rw(struct vfio_device *vdev, char __user *ubuf,
		       size_t count, loff_t *ppos, bool write)
{
	struct mdpy_dev *mdpy = mdpy_from_vdev(vdev);
	u64 off = *ppos & MDPY_OFFSET_MASK;
	ssize_t ret;

	switch (MDPY_OFFSET_TO_INDEX(*ppos)) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		ret = mdpy_rw_config(mdpy, ubuf, count, off, write);
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
		ret = mdpy_rw_bar0(mdpy, ubuf, count, off, write);
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
 * An access acts at the offset asked for, and must lie inside its region.
 *
 * Return: bytes read, or -EINVAL (no such region, or outside it) or -EFAULT.
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
 * Return: bytes written, or -EINVAL (no such region, or outside it) or
 * -EFAULT.
 */
static ssize_t mdpy_write(struct vfio_device *vdev, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	return mdpy_rw(vdev, (char __user *)ubuf, count, ppos, true);
}

/* ---- BAR0 mappings ---- */

/* The framebuffer page a fault is about, or -1 past the framebuffer. */
static long mdpy_fault_page(struct vm_fault *vmf)
{
	struct mdpy_dev *mdpy = vmf->vma->vm_private_data;
	u64 page = vmf->pgoff & (MDPY_OFFSET_MASK >> PAGE_SHIFT);

	return page < mdpy->model.fb_size >> PAGE_SHIFT ? page : -1;
}

/*
 * A page is mapped at its first touch, read-only whatever the access:
 * the mapping has a pfn_mkwrite op, so the core write-protects it (write
 * notification), and the first write to the page then goes through
 * mdpy_pfn_mkwrite(). A page that is only read costs nothing at the next
 * reset.
 */
static vm_fault_t mdpy_fault(struct vm_fault *vmf)
{
	struct mdpy_dev *mdpy = vmf->vma->vm_private_data;
	long page = mdpy_fault_page(vmf);

	if (page < 0)
		return VM_FAULT_SIGBUS;
	return vmf_insert_pfn(vmf->vma, vmf->address,
			      mdpy_model_fb_pfn(&mdpy->model, page));
}

/* The first write to a mapped page: tell the model before it is writable. */
static vm_fault_t mdpy_pfn_mkwrite(struct vm_fault *vmf)
{
	struct mdpy_dev *mdpy = vmf->vma->vm_private_data;
	long page = mdpy_fault_page(vmf);

	if (page < 0)
		return VM_FAULT_SIGBUS;
	mdpy_model_fb_map_written(&mdpy->model, page);
	return 0;
}

static const struct vm_operations_struct mdpy_vm_ops = {
	.fault		= mdpy_fault,
	.pfn_mkwrite	= mdpy_pfn_mkwrite,
};

/**
 * mdpy_mmap() - mmap() on a device fd
 * @vdev: the VFIO device
 * @vma: the new mapping; its offset selects the region
 *
 * Called without the device set lock. Only BAR0 can be mapped, shared,
 * and only within its size. Pages are mapped as they are touched. The
 * mapping holds the device file, so the framebuffer it maps outlives it:
 * see mdpy_remove().
 *
 * Return: 0, or -EINVAL.
 */
static int mdpy_mmap(struct vfio_device *vdev, struct vm_area_struct *vma)
{
	struct mdpy_dev *mdpy = mdpy_from_vdev(vdev);
	u64 pos = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u64 off = pos & MDPY_OFFSET_MASK;
	u64 len = vma->vm_end - vma->vm_start;
	u32 size = mdpy->model.fb_size;

	if (MDPY_OFFSET_TO_INDEX(pos) != VFIO_PCI_BAR0_REGION_INDEX)
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (off >= size || len > size - off)
		return -EINVAL;

	mdpy_compat_vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &mdpy_vm_ops;
	vma->vm_private_data = mdpy;
	return 0;
}

/* ---- ioctls ---- */

static long mdpy_ioctl_get_info(struct mdpy_dev *mdpy, void __user *arg)
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
 * mdpy_region_info() - describe one region
 * @vdev: the VFIO device
 * @info: the header userspace passed in, index set; filled in here
 * @caps: capability chain to append to; mdpy's regions have none
 *
 * The VFIO core calls this for VFIO_DEVICE_GET_REGION_INFO on 6.19 and
 * later, after checking argsz; before 6.19 mdpy_ioctl() reaches it
 * through mdpy_compat_region_info_ioctl(), which does the same. No lock
 * is held.
 *
 * Return: 0, or -EINVAL for an index past VFIO_PCI_NUM_REGIONS.
 */
static int mdpy_region_info(struct vfio_device *vdev,
			    struct vfio_region_info *info,
			    struct vfio_info_cap *caps)
{
	struct mdpy_dev *mdpy = mdpy_from_vdev(vdev);

	if (info->index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;

	info->offset = MDPY_INDEX_TO_OFFSET(info->index);
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

static long mdpy_ioctl_reset(struct mdpy_dev *mdpy)
{
	mutex_lock(&mdpy->lock);
	mdpy_reset_locked(mdpy, false);
	mutex_unlock(&mdpy->lock);
	return 0;
}

static long mdpy_ioctl_query_gfx_plane(struct mdpy_dev *mdpy,
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
	struct mdpy_dev *mdpy = mdpy_from_vdev(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return mdpy_ioctl_get_info(mdpy, uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return mdpy_compat_region_info_ioctl(vdev, uarg,
						     mdpy_region_info);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return mdpy_ioctl_get_irq_info(mdpy, uarg);
	case VFIO_DEVICE_SET_IRQS:
		return mdpy_ioctl_set_irqs(mdpy, uarg);
	case VFIO_DEVICE_RESET:
		return mdpy_ioctl_reset(mdpy);
	case VFIO_DEVICE_QUERY_GFX_PLANE:
		return mdpy_ioctl_query_gfx_plane(mdpy, uarg);
	default:
		return -ENOTTY;
	}
}

const struct vfio_device_ops mdpy_vfio_ops = {
	.name		= "vfio-mdpy",
	.init		= mdpy_init_dev,
	.release	= mdpy_release_dev,
	.open_device	= mdpy_open_device,
	.close_device	= mdpy_close_device,
	.request	= mdpy_request,
	.read		= mdpy_read,
	.write		= mdpy_write,
	.mmap		= mdpy_mmap,
	.ioctl		= mdpy_ioctl,
	MDPY_COMPAT_REGION_INFO_OP(mdpy_region_info)
	MDPY_COMPAT_IOMMUFD_OPS
};
