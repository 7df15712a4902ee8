// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs VFIO glue: the vfio_device_ops of an mbochs device. Lifecycle,
 * region access, the BAR0 mapping and its faults, and the ioctls; the
 * interrupt ioctls are in mbochs_irq.c, the plane ioctls in
 * mbochs_dmabuf.c, the EDID registers in mbochs_edid.c.
 *
 * Each device is a device set of its own (probe keys it by the device),
 * so the set lock the core holds around open_device and close_device is
 * this device's alone.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/uaccess.h>

#include "mbochs.h"
#include "mbochs_compat.h"

/* ---- lifecycle ---- */

/**
 * mbochs_init_dev() - allocate what lives as long as the device
 * @vdev: the VFIO device embedded in a new, zeroed &struct mbochs_dev
 *
 * Called by vfio_alloc_device() from probe, before the device is visible.
 * Takes the type's video memory out of the pool. If .init fails the core
 * does not call .release, so every step is undone here.
 *
 * Return: 0, -ENOSPC if the pool cannot hold the device, or -ENOMEM.
 */
static int mbochs_init_dev(struct vfio_device *vdev)
{
	struct mbochs_dev *mb = mbochs_from_vdev(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	const struct mbochs_type *type =
		container_of(mdev->type, struct mbochs_type, type);
	u64 size = (u64)type->mbytes * SZ_1M;
	int ret;

	if (!mbochs_pool_get(type->mbytes))
		return -ENOSPC;
	ret = -ENOMEM;
	if (mbochs_hook_fail(MBOCHS_FAIL_INIT_RESERVED))
		goto out_put_pool;

	mutex_init(&mb->state_lock);
	ret = mbochs_vram_init(&mb->vram, &mb->state_lock, size);
	if (ret)
		goto out_destroy_lock;
	ret = -ENOMEM;
	if (mbochs_hook_fail(MBOCHS_FAIL_INIT_VRAM))
		goto out_fini_vram;

	mb->type = type;
	mutex_init(&mb->irq_lock);
	mbochs_planes_init(&mb->planes);
	mbochs_model_init(&mb->model, size, type->max_xres, type->max_yres);
	return 0;

out_fini_vram:
	mbochs_vram_fini(&mb->vram);
out_destroy_lock:
	mutex_destroy(&mb->state_lock);
out_put_pool:
	mbochs_pool_put(type->mbytes);
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
	struct mbochs_dev *mb = mbochs_from_vdev(vdev);

	mbochs_vram_fini(&mb->vram);
	mutex_destroy(&mb->irq_lock);
	mutex_destroy(&mb->state_lock);
	mbochs_pool_put(mb->type->mbytes);
	mbochs_compat_free_device(vdev);
}

/**
 * mbochs_open_device() - first fd of the device opened
 * @vdev: the VFIO device
 *
 * Called with the device set lock held, once per first open: a second fd
 * on an open device does not come here. Puts the device in its power-on
 * state, EDID included, so every user starts from the same place.
 *
 * Return: 0.
 */
static int mbochs_open_device(struct vfio_device *vdev)
{
	struct mbochs_dev *mb = mbochs_from_vdev(vdev);

	lockdep_assert_held(&vdev->dev_set->lock);
	mutex_lock(&mb->state_lock);
	mbochs_model_init(&mb->model, mb->model.vram_size, mb->type->max_xres,
			  mb->type->max_yres);
	mutex_unlock(&mb->state_lock);
	mbochs_hook_opened(mb);
	return 0;
}

/**
 * mbochs_close_device() - last fd of the device closed
 * @vdev: the VFIO device
 *
 * Called with the device set lock held, once, when the last fd goes: with
 * several fds open, closing one does not come here, so the planes and the
 * mode the others see stay intact. Drops the request eventfd and the
 * device's hold on its planes and video memory; dma-bufs still held keep
 * their own pages. No BAR0 mapping can exist: a mapping holds the fd open.
 */
static void mbochs_close_device(struct vfio_device *vdev)
{
	struct mbochs_dev *mb = mbochs_from_vdev(vdev);

	lockdep_assert_held(&vdev->dev_set->lock);
	mbochs_irq_release(mb);
	mutex_lock(&mb->state_lock);
	mbochs_planes_clear_locked(mb);
	mbochs_vram_free_pages_locked(&mb->vram);
	mutex_unlock(&mb->state_lock);
	mbochs_hook_closed(mb);
}

/**
 * mbochs_request() - ask the user to give the device back
 * @vdev: the VFIO device
 * @count: how many times the core has asked so far
 *
 * Called by vfio_unregister_group_dev(), without the device set lock,
 * while the device is being removed and still open; the removal waits
 * until the last fd is closed. Signals the request eventfd, or says once
 * that there is none.
 */
static void mbochs_request(struct vfio_device *vdev, unsigned int count)
{
	struct mbochs_dev *mb = mbochs_from_vdev(vdev);

	if (!mbochs_irq_request(mb) && !count)
		dev_notice(vdev->dev,
			   "no request eventfd, waiting for the user to close\n");
}

/* ---- region access: read() and write() on the device fd ---- */

static int mbochs_regs_access_locked(struct mbochs_dev *mb,
				     unsigned int index, u32 off, u8 *val,
				     u32 len, bool write)
{
	lockdep_assert_held(&mb->state_lock);
	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		if (write)
			mbochs_model_cfg_write(&mb->model, off, val, len);
		else
			mbochs_model_cfg_read(&mb->model, off, val, len);
		return 0;
	case VFIO_PCI_BAR2_REGION_INDEX:
		if (write)
			mbochs_model_mmio_write(&mb->model, off, val, len);
		else
			mbochs_model_mmio_read(&mb->model, off, val, len);
		return 0;
	default:
		return mbochs_edid_access_locked(mb, off, val, len, write);
	}
}

/* One register access: 4, 2 or 1 bytes, in memory order in @b. */
union mbochs_unit {
	u32 l;
	u16 w;
	u8 b[4];
};

/* The widest access at @off that is naturally aligned and fits in @left. */
static u32 mbochs_unit_len(u64 off, size_t left)
{
	if (left >= 4 && IS_ALIGNED(off, 4))
		return 4;
	if (left >= 2 && IS_ALIGNED(off, 2))
		return 2;
	return 1;
}

static int mbochs_unit_get(union mbochs_unit *v, const char __user *p,
			   u32 len)
{
	switch (len) {
	case 4:
		return get_user(v->l, (const u32 __user *)p);
	case 2:
		return get_user(v->w, (const u16 __user *)p);
	default:
		return get_user(v->b[0], (const u8 __user *)p);
	}
}

static int mbochs_unit_put(const union mbochs_unit *v, char __user *p,
			   u32 len)
{
	switch (len) {
	case 4:
		return put_user(v->l, (u32 __user *)p);
	case 2:
		return put_user(v->w, (u16 __user *)p);
	default:
		return put_user(v->b[0], (u8 __user *)p);
	}
}

/*
 * Registers of region @index, the access already bounded, split as a bus
 * splits it: naturally aligned units of 4, 2 or 1 bytes. Each unit is
 * copied with get_user()/put_user(), outside state_lock, which a fault on
 * a BAR0 mapping takes; a config read of a dword is one unit.
 */
static ssize_t mbochs_rw_regs(struct mbochs_dev *mb, unsigned int index,
			      char __user *buf, size_t count, u32 off,
			      bool write)
{
	union mbochs_unit v;
	size_t done;
	u32 len;
	int ret;

	for (done = 0; done < count; done += len) {
		len = mbochs_unit_len(off + done, count - done);
		v.l = 0;
		if (write) {
			ret = mbochs_unit_get(&v, buf + done, len);
			if (ret)
				return ret;
		}
		mutex_lock(&mb->state_lock);
		ret = mbochs_regs_access_locked(mb, index, off + done, v.b, len,
						write);
		mutex_unlock(&mb->state_lock);
		if (!ret && !write)
			ret = mbochs_unit_put(&v, buf + done, len);
		if (ret)
			return ret;
	}
	return count;
}

static ssize_t mbochs_rw_config(struct mbochs_dev *mb, char __user *buf,
				size_t count, u64 off, bool write)
{
	if (off >= MBOCHS_PCI_CFG_SIZE || count > MBOCHS_PCI_CFG_SIZE - off)
		return -EINVAL;
	return mbochs_rw_regs(mb, VFIO_PCI_CONFIG_REGION_INDEX, buf, count,
			      off, write);
}

static ssize_t mbochs_rw_bar2(struct mbochs_dev *mb, char __user *buf,
			      size_t count, u64 off, bool write)
{
	if (off >= MBOCHS_MMIO_SIZE || count > MBOCHS_MMIO_SIZE - off)
		return -EINVAL;
	return mbochs_rw_regs(mb, VFIO_PCI_BAR2_REGION_INDEX, buf, count, off,
			      write);
}

static ssize_t mbochs_rw_edid(struct mbochs_dev *mb, char __user *buf,
			      size_t count, u64 off, bool write)
{
	if (off >= MBOCHS_EDID_REGION_SIZE ||
	    count > MBOCHS_EDID_REGION_SIZE - off)
		return -EINVAL;
	return mbochs_rw_regs(mb, MBOCHS_EDID_REGION_INDEX, buf, count, off,
			      write);
}

/*
 * Video memory, a page at a time: the page is looked up (or, for a
 * write, allocated) under state_lock and referenced, then copied with
 * the lock dropped. A page never touched reads as zeroes and stays
 * unallocated.
 */
static ssize_t mbochs_rw_bar0(struct mbochs_dev *mb, char __user *buf,
			      size_t count, u64 off, bool write)
{
	u64 size = mb->model.vram_size;
	size_t done, len, left;
	struct page *page;
	u8 *va;

	if (off >= size || count > size - off)
		return -EINVAL;
	for (done = 0; done < count; done += len) {
		u64 pos = off + done;

		len = min_t(size_t, count - done,
			    PAGE_SIZE - offset_in_page(pos));
		mutex_lock(&mb->state_lock);
		page = mbochs_vram_get_page_locked(&mb->vram, pos >> PAGE_SHIFT,
						   write);
		mutex_unlock(&mb->state_lock);
		if (IS_ERR(page))
			return PTR_ERR(page);
		if (!page) {
			left = clear_user(buf + done, len);
		} else {
			va = kmap_local_page(page) + offset_in_page(pos);
			if (write)
				left = copy_from_user(va, buf + done, len);
			else
				left = copy_to_user(buf + done, va, len);
			kunmap_local(va);
			put_page(page);
		}
		if (left)
			return -EFAULT;
	}
	return count;
}

static ssize_t mbochs_rw(struct vfio_device *vdev, char __user *buf,
			 size_t count, loff_t *ppos, bool write)
{
	struct mbochs_dev *mb = mbochs_from_vdev(vdev);
	u64 off = *ppos & MBOCHS_OFFSET_MASK;
	ssize_t ret;

	switch (MBOCHS_OFFSET_TO_INDEX(*ppos)) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		ret = mbochs_rw_config(mb, buf, count, off, write);
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
		ret = mbochs_rw_bar0(mb, buf, count, off, write);
		break;
	case VFIO_PCI_BAR2_REGION_INDEX:
		ret = mbochs_rw_bar2(mb, buf, count, off, write);
		break;
	case MBOCHS_EDID_REGION_INDEX:
		ret = mbochs_rw_edid(mb, buf, count, off, write);
		break;
	default:
		return -EINVAL;
	}
	if (ret > 0)
		*ppos += ret;
	return ret;
}

/**
 * mbochs_read() - read() on the device fd
 * @vdev: the VFIO device
 * @buf: user buffer
 * @count: bytes
 * @ppos: region index (bits 40 and up) and offset; advanced on success
 *
 * Called without locks held, with an fd of the device open. The access
 * must lie wholly inside its region.
 *
 * Return: @count, or -EINVAL, -EFAULT or -ENOMEM.
 */
static ssize_t mbochs_read(struct vfio_device *vdev, char __user *buf,
			   size_t count, loff_t *ppos)
{
	return mbochs_rw(vdev, buf, count, ppos, false);
}

/**
 * mbochs_write() - write() on the device fd
 * @vdev: the VFIO device
 * @buf: user buffer
 * @count: bytes
 * @ppos: region index (bits 40 and up) and offset; advanced on success
 *
 * Called without locks held, with an fd of the device open. The access
 * must lie wholly inside its region.
 *
 * Return: @count, or -EINVAL, -EFAULT or -ENOMEM.
 */
static ssize_t mbochs_write(struct vfio_device *vdev, const char __user *buf,
			    size_t count, loff_t *ppos)
{
	return mbochs_rw(vdev, (char __user *)buf, count, ppos, true);
}

/* ---- mmap of BAR0 and its faults ---- */

/* Called with the mmap lock (or the vma lock) held; takes state_lock. */
static vm_fault_t mbochs_bar0_fault(struct vm_fault *vmf)
{
	struct mbochs_dev *mb = vmf->vma->vm_private_data;
	vm_fault_t ret;

	mutex_lock(&mb->state_lock);
	ret = mbochs_vram_fault_locked(&mb->vram, vmf,
				       mbochs_hook_fault_batch());
	mutex_unlock(&mb->state_lock);
	return ret;
}

static const struct vm_operations_struct mbochs_bar0_vm_ops = {
	.fault = mbochs_bar0_fault,
};

/*
 * Called with the mmap lock (or the vma lock) held, for a fault where no
 * page table exists yet; takes state_lock. A PUD-sized request falls
 * back: a block is at most one PMD.
 */
static vm_fault_t __maybe_unused mbochs_bar0_huge_fault(struct vm_fault *vmf,
							unsigned int order)
{
	struct mbochs_dev *mb = vmf->vma->vm_private_data;
	bool mapped = false;
	vm_fault_t ret;

	if (order != PMD_SHIFT - PAGE_SHIFT)
		return VM_FAULT_FALLBACK;
	mutex_lock(&mb->state_lock);
	ret = mbochs_vram_huge_fault_locked(&mb->vram, vmf, &mapped);
	mutex_unlock(&mb->state_lock);
	if (mapped)
		mbochs_hook_pmd_mapped(mb);
	return ret;
}

/* A mapping that can take PMD entries: see mbochs_mmap(). */
static const struct vm_operations_struct mbochs_bar0_huge_vm_ops = {
	.fault = mbochs_bar0_fault,
	MBOCHS_COMPAT_HUGE_FAULT_OP(mbochs_bar0_huge_fault)
};

/**
 * mbochs_mmap() - mmap() on the device fd
 * @vdev: the VFIO device
 * @vma: the new mapping
 *
 * Called with the mmap lock held for write. Only BAR0 (video memory) can
 * be mapped, shared, and only inside its bounds; BAR0 is region 0, so the
 * file offset is the offset in video memory. Pages are mapped on fault. A
 * mapping whose address agrees with its offset modulo 2 MiB, on a kernel
 * with huge PFN mappings, is VM_PFNMAP: its faults map each 2 MiB block
 * with one PMD entry where they can, with page entries otherwise. Any
 * other mapping is VM_MIXEDMAP, which lets the fault handler insert
 * several refcounted pages at once.
 *
 * Return: 0 or -EINVAL.
 */
static int mbochs_mmap(struct vfio_device *vdev, struct vm_area_struct *vma)
{
	struct mbochs_dev *mb = mbochs_from_vdev(vdev);
	u64 pos = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u64 len = vma->vm_end - vma->vm_start;
	u64 size = mb->model.vram_size;

	if (MBOCHS_OFFSET_TO_INDEX(pos) != VFIO_PCI_BAR0_REGION_INDEX)
		return -EINVAL;
	if (pos >= size || len > size - pos)
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;

	vma->vm_private_data = mb;
	if (mbochs_hook_fault_pmd() && mbochs_vram_pmd_mappable(vma)) {
		mbochs_compat_vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND |
					   VM_DONTDUMP);
		vma->vm_ops = &mbochs_bar0_huge_vm_ops;
		return 0;
	}
	mbochs_compat_vm_flags_set(vma, VM_MIXEDMAP | VM_DONTEXPAND |
				   VM_DONTDUMP);
	vma->vm_ops = &mbochs_bar0_vm_ops;
	return 0;
}

/* ---- ioctls ---- */

static long mbochs_ioctl_get_info(struct mbochs_dev *mb, void __user *arg)
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
 * mbochs_region_info() - describe one region
 * @vdev: the VFIO device
 * @info: the request, argsz checked, to fill in
 * @caps: capability chain to add to
 *
 * Called without locks held, with an fd of the device open: by the VFIO
 * core for VFIO_DEVICE_GET_REGION_INFO (6.19 and later) or through
 * mbochs_compat_region_info_ioctl() from mbochs_ioctl(). The caller
 * copies @info back and appends @caps. Regions that do not exist have size 0.
 *
 * Return: 0, -EINVAL for an index past the last region, or -ENOMEM.
 */
static int mbochs_region_info(struct vfio_device *vdev,
			      struct vfio_region_info *info,
			      struct vfio_info_cap *caps)
{
	struct vfio_region_info_cap_type cap_type = {
		.header.id = VFIO_REGION_INFO_CAP_TYPE,
		.header.version = 1,
		.type = VFIO_REGION_TYPE_GFX,
		.subtype = VFIO_REGION_SUBTYPE_GFX_EDID,
	};
	struct mbochs_dev *mb = mbochs_from_vdev(vdev);
	const u32 rw = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;

	if (info->index >= MBOCHS_NUM_REGIONS)
		return -EINVAL;

	info->offset = MBOCHS_INDEX_TO_OFFSET(info->index);
	info->cap_offset = 0;
	info->size = 0;
	info->flags = 0;
	switch (info->index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info->size = MBOCHS_PCI_CFG_SIZE;
		info->flags = rw;
		return 0;
	case VFIO_PCI_BAR0_REGION_INDEX:
		info->size = mb->model.vram_size;
		info->flags = rw | VFIO_REGION_INFO_FLAG_MMAP;
		return 0;
	case VFIO_PCI_BAR2_REGION_INDEX:
		info->size = MBOCHS_MMIO_SIZE;
		info->flags = rw;
		return 0;
	case MBOCHS_EDID_REGION_INDEX:
		info->size = MBOCHS_EDID_REGION_SIZE;
		info->flags = rw;
		return vfio_info_add_capability(caps, &cap_type.header,
						sizeof(cap_type));
	default:
		return 0;
	}
}

/**
 * mbochs_reset() - VFIO_DEVICE_RESET: registers to their power-on state
 * @mb: the device
 *
 * Video memory, the planes, and the EDID and link state the host user set
 * survive, as on real hardware.
 *
 * Return: 0.
 */
static long mbochs_reset(struct mbochs_dev *mb)
{
	mutex_lock(&mb->state_lock);
	mbochs_model_reset(&mb->model);
	mutex_unlock(&mb->state_lock);
	return 0;
}

/**
 * mbochs_ioctl() - ioctl() on the device fd
 * @vdev: the VFIO device
 * @cmd: VFIO_DEVICE_* command
 * @arg: user pointer to the command's argument
 *
 * Called without locks held, with an fd of the device open. Argument
 * structures are checked by each handler (argsz, flags, index); handlers
 * that touch device state take state_lock, never while copying to or
 * from user memory.
 *
 * Return: 0, a new fd for VFIO_DEVICE_GET_GFX_DMABUF, or -errno;
 * -ENOTTY for commands the device does not implement.
 */
static long mbochs_ioctl(struct vfio_device *vdev, unsigned int cmd,
			 unsigned long arg)
{
	struct mbochs_dev *mb = mbochs_from_vdev(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return mbochs_ioctl_get_info(mb, uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return mbochs_compat_region_info_ioctl(vdev, uarg,
						       mbochs_region_info);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return mbochs_ioctl_get_irq_info(mb, uarg);
	case VFIO_DEVICE_SET_IRQS:
		return mbochs_ioctl_set_irqs(mb, uarg);
	case VFIO_DEVICE_RESET:
		return mbochs_reset(mb);
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
	.request	= mbochs_request,
	.read		= mbochs_read,
	.write		= mbochs_write,
	.mmap		= mbochs_mmap,
	.ioctl		= mbochs_ioctl,
	MBOCHS_COMPAT_REGION_INFO_OP(mbochs_region_info)
	MBOCHS_COMPAT_IOMMUFD_OPS
};
