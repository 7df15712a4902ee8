// SPDX-License-Identifier: GPL-2.0
/*
 * The portal region of vfio_fsl_mc_stub: region info, read(), write() and
 * mmap().  A file offset is the region index shifted left by
 * FSL_MC_STUB_REGION_SHIFT plus the offset inside the region; everything
 * past the index is checked against the region's size before use, and the
 * model (fsl_mc_stub_portal.c) checks again.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vfio_suite_compat.h"
#include "vfio_fsl_mc_stub.h"

#define FSL_MC_STUB_OFFSET_MASK	((1ULL << FSL_MC_STUB_REGION_SHIFT) - 1)

static u64 fsl_mc_stub_index_to_offset(unsigned int index)
{
	return (u64)index << FSL_MC_STUB_REGION_SHIFT;
}

/**
 * fsl_mc_stub_vfio_region_info() - fill in VFIO_DEVICE_GET_REGION_INFO
 * @vdev: the VFIO device
 * @info: the header, argsz already checked; index in, the rest out
 * @caps: capability chain; the portal has none
 *
 * Context: the core (6.19+) or the driver's ioctl, through
 * vfio_suite_region_info_ioctl(), which copy @info in and out.
 * Return: 0, or -EINVAL for a bad index.
 */
int fsl_mc_stub_vfio_region_info(struct vfio_device *vdev,
				 struct vfio_region_info *info,
				 struct vfio_info_cap *caps)
{
	if (info->index != FSL_MC_STUB_PORTAL_INDEX)
		return -EINVAL;

	info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
		      VFIO_REGION_INFO_FLAG_MMAP;
	info->cap_offset = 0;
	info->size = FSL_MC_STUB_PORTAL_SIZE;
	info->offset = fsl_mc_stub_index_to_offset(info->index);
	return 0;
}

/* Check an access; return its offset inside the portal or -EINVAL. */
static loff_t fsl_mc_stub_vfio_portal_off(loff_t pos, size_t count)
{
	u64 off = pos & FSL_MC_STUB_OFFSET_MASK;

	if (pos < 0 || pos >> FSL_MC_STUB_REGION_SHIFT != FSL_MC_STUB_PORTAL_INDEX)
		return -EINVAL;
	if (off >= FSL_MC_STUB_PORTAL_SIZE || !count ||
	    count > FSL_MC_STUB_PORTAL_SIZE - off)
		return -EINVAL;
	return off;
}

/*
 * read() and write() in one: check the access, bounce it through a kernel
 * buffer (the model takes kernel pointers) and advance the position.
 */
static ssize_t fsl_mc_stub_vfio_rw(struct vfio_device *vdev, char __user *buf,
				   size_t count, loff_t *ppos, bool write)
{
	struct fsl_mc_stub_obj *obj = to_fsl_mc_stub_vdev(vdev)->obj;
	loff_t off = fsl_mc_stub_vfio_portal_off(*ppos, count);
	void *bounce;
	int ret;

	if (off < 0)
		return off;
	bounce = kmalloc(count, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;

	if (write) {
		ret = -EFAULT;
		if (!copy_from_user(bounce, buf, count))
			ret = fsl_mc_stub_portal_write(obj, bounce, count, off);
	} else {
		ret = fsl_mc_stub_portal_read(obj, bounce, count, off);
		if (!ret && copy_to_user(buf, bounce, count))
			ret = -EFAULT;
	}
	kfree(bounce);
	if (ret)
		return ret;
	*ppos += count;
	return count;
}

/**
 * fsl_mc_stub_vfio_read() - read() on the device fd
 * @vdev: the VFIO device
 * @buf: the user's buffer
 * @count: bytes to read
 * @ppos: file position, advanced on success
 *
 * Context: any time the device is open; no lock held.
 * Return: @count, or -EINVAL outside the portal, -ENOMEM or -EFAULT.
 */
ssize_t fsl_mc_stub_vfio_read(struct vfio_device *vdev, char __user *buf,
			      size_t count, loff_t *ppos)
{
	return fsl_mc_stub_vfio_rw(vdev, buf, count, ppos, false);
}

/**
 * fsl_mc_stub_vfio_write() - write() on the device fd
 * @vdev: the VFIO device
 * @buf: the user's data
 * @count: bytes to write
 * @ppos: file position, advanced on success
 *
 * Context: any time the device is open; no lock held.
 * Return: @count, or -EINVAL outside the portal or for an access the
 * portal refuses (read-only register, bad doorbell), -ENOMEM or -EFAULT.
 */
ssize_t fsl_mc_stub_vfio_write(struct vfio_device *vdev,
			       const char __user *buf, size_t count,
			       loff_t *ppos)
{
	return fsl_mc_stub_vfio_rw(vdev, (char __user *)buf, count, ppos, true);
}

/**
 * fsl_mc_stub_vfio_mmap() - mmap() of the portal
 * @vdev: the VFIO device
 * @vma: the mapping; must be shared and exactly cover the portal page
 *
 * Maps the portal's page itself.  The mapping holds a reference to the
 * device file, so the page outlives it.
 * Context: mmap_lock held for writing.
 * Return: 0, or -EINVAL for a bad index, offset, size or a private mapping.
 */
int fsl_mc_stub_vfio_mmap(struct vfio_device *vdev, struct vm_area_struct *vma)
{
	struct fsl_mc_stub_vdev *fvdev = to_fsl_mc_stub_vdev(vdev);
	unsigned int shift = FSL_MC_STUB_REGION_SHIFT - PAGE_SHIFT;
	unsigned long size = vma->vm_end - vma->vm_start;

	BUILD_BUG_ON(FSL_MC_STUB_PORTAL_SIZE != PAGE_SIZE);

	/* Split the page offset: shifting it to bytes could overflow. */
	if (vma->vm_pgoff >> shift != FSL_MC_STUB_PORTAL_INDEX)
		return -EINVAL;
	if ((vma->vm_pgoff & ((1UL << shift) - 1)) ||
	    size != FSL_MC_STUB_PORTAL_SIZE)
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;

	vfio_suite_vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	return vm_insert_page(vma, vma->vm_start, fvdev->obj->portal);
}
