// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs VFIO glue: the vfio_device_ops of an mbochs device, with the
 * lifecycle, read/write and mmap ops. The ioctls are in mbochs_ioctl.c.
 *
 * Each device is a device set of its own (probe keys it by the device),
 * so the set lock the core holds around
 * open_device and close_device is this device's alone.
 */
#include <linux/mm.h>

#include "vfio_suite_compat.h"
#include "mbochs.h"
#include "mbochs_pool.h"

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
 * dma-bufs never could. Gives the video memory back to the pool. On 6.1
 * the core leaves freeing @vdev itself to this op.
 */
static void mbochs_release_dev(struct vfio_device *vdev)
{
	struct mbochs_device *mb = vdev_to_mbochs(vdev);

	mbochs_vram_fini(&mb->vram);
	mutex_destroy(&mb->state_lock);
	mbochs_pool_release(mb->type->mbytes);
	vfio_suite_free_device(vdev);
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

/*
 * Called with the mmap lock (or the vma lock) held, for a fault where no
 * page table exists yet; takes state_lock. A PUD-sized request falls
 * back: a block is at most one PMD.
 */
static vm_fault_t __maybe_unused mbochs_bar0_huge_fault(struct vm_fault *vmf,
							unsigned int order)
{
	struct mbochs_device *mb = vmf->vma->vm_private_data;
	vm_fault_t ret;

	if (order != PMD_SHIFT - PAGE_SHIFT)
		return VM_FAULT_FALLBACK;
	mutex_lock(&mb->state_lock);
	ret = mbochs_vram_huge_fault_locked(&mb->vram, vmf);
	mutex_unlock(&mb->state_lock);
	return ret;
}

/* A mapping that can take PMD entries: see mbochs_mmap(). */
static const struct vm_operations_struct mbochs_bar0_huge_vm_ops = {
	.fault = mbochs_bar0_fault,
	VFIO_SUITE_HUGE_FAULT_OP(mbochs_bar0_huge_fault)
};

/**
 * mbochs_mmap() - mmap() on the device fd
 * @vdev: the VFIO device
 * @vma: the new mapping
 *
 * Called with the mmap lock held for write. Only BAR0 (video memory) can
 * be mapped, shared, and only inside its bounds. Pages are mapped on
 * fault. A mapping whose address agrees with its offset modulo 2 MiB, on
 * a kernel with huge PFN mappings, is VM_PFNMAP: its faults map each
 * 2 MiB block with one PMD entry where they can, with page entries
 * otherwise (unless fault_pmd is off, or fault_batch is 1, the one page
 * per fault baseline). Any other mapping is VM_MIXEDMAP, which lets the
 * fault handler insert several refcounted pages at once.
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

	vma->vm_private_data = mb;
	if (mbochs_fault_pmd() && mbochs_fault_batch() > 1 &&
	    mbochs_vram_pmd_mappable(vma)) {
		vfio_suite_vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND |
				       VM_DONTDUMP);
		vma->vm_ops = &mbochs_bar0_huge_vm_ops;
		return 0;
	}
	vfio_suite_vm_flags_set(vma, VM_MIXEDMAP | VM_DONTEXPAND |
			       VM_DONTDUMP);
	vma->vm_ops = &mbochs_bar0_vm_ops;
	return 0;
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
	VFIO_SUITE_REGION_INFO_OP(mbochs_get_region_info)
	VFIO_SUITE_EMULATED_IOMMUFD_OPS
};
