// SPDX-License-Identifier: GPL-2.0
/*
 * The VFIO device ops of vfio_fsl_mc_stub: the glue between the VFIO core
 * and the bus model.  It joins each device to its container's device set,
 * builds and tears down what exists while a device is open, decodes region
 * offsets and bounds every access before the model sees it.
 *
 * The one region is the object's 4 KiB MMIO portal, index 0, at file
 * offset 0 (FSL_MC_STUB_VFIO_INDEX_TO_OFFSET()).
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "fsl_mc_stub_compat.h"
#include "fsl_mc_stub_vfio.h"

/* ---- lifecycle ---------------------------------------------------------- */

/**
 * fsl_mc_stub_vfio_init_dev() - set up a device before it is registered
 * @vdev: the VFIO device embedded in a new &struct fsl_mc_stub_vfio_dev
 *
 * Joins the device set of the object's container, keyed by the container's
 * struct device: a container passes its own, any other object its
 * parent's.  So a container and its direct children share one set, and one
 * lock around their open_device() and close_device(), which is what their
 * shared interrupt pool needs.  The key stays valid while any member is
 * registered, because a container cannot be destroyed while it has
 * children.
 *
 * Called by vfio_alloc_device() from probe, before the device is visible;
 * no lock held.  The core skips .release after a failed .init, and
 * releases the set itself.
 *
 * Return: 0 or a negative errno from vfio_assign_device_set().
 */
static int fsl_mc_stub_vfio_init_dev(struct vfio_device *vdev)
{
	struct fsl_mc_stub_vfio_dev *fdev = fsl_mc_stub_vfio_from_vdev(vdev);
	struct fsl_mc_stub_obj *obj = to_fsl_mc_stub_obj(vdev->dev);
	int ret;

	ret = vfio_assign_device_set(vdev, &fsl_mc_stub_cont(obj)->dev);
	if (ret)
		return ret;
	fdev->obj = obj;
	mutex_init(&fdev->igate);
	return 0;
}

/**
 * fsl_mc_stub_vfio_release_dev() - free what fsl_mc_stub_vfio_init_dev() set up
 * @vdev: the VFIO device whose last reference is going away
 *
 * Called by the core when the last reference is put, after the last close
 * and after unregistering; no lock held.  On 6.1 the core leaves freeing
 * @vdev itself to this op.
 */
static void fsl_mc_stub_vfio_release_dev(struct vfio_device *vdev)
{
	struct fsl_mc_stub_vfio_dev *fdev = fsl_mc_stub_vfio_from_vdev(vdev);

	mutex_destroy(&fdev->igate);
	fsl_mc_stub_compat_free_device(vdev);
}

/**
 * fsl_mc_stub_vfio_reset() - reset the object, as a DPRC reset would
 * @fdev: the device
 *
 * Puts the portal in its power-on state.  Interrupts and their eventfds
 * belong to the user and stay.
 */
static void fsl_mc_stub_vfio_reset(struct fsl_mc_stub_vfio_dev *fdev)
{
	fsl_mc_stub_portal_reset(fdev->obj);
}

/**
 * fsl_mc_stub_vfio_open_device() - the first file descriptor is opening
 * @vdev: the VFIO device
 *
 * Called with the device set lock held, once per first open, so never
 * concurrently with the open_device() or close_device() of another object
 * of the container.  The user finds a freshly reset object with no
 * interrupt: the container's pool is populated, under the same lock, only
 * when SET_IRQS first asks for an eventfd (fsl_mc_stub_vfio_irq.c).
 *
 * Return: 0.
 */
static int fsl_mc_stub_vfio_open_device(struct vfio_device *vdev)
{
	struct fsl_mc_stub_vfio_dev *fdev = fsl_mc_stub_vfio_from_vdev(vdev);

	lockdep_assert_held(&vdev->dev_set->lock);
	fsl_mc_stub_vfio_reset(fdev);
	return 0;
}

/**
 * fsl_mc_stub_vfio_close_device() - the last file descriptor was released
 * @vdev: the VFIO device
 *
 * Called with the device set lock held, once per last close.  Resets the
 * object, drops the user's eventfds and gives the object's interrupts back
 * to the container's pool.  The pool itself belongs to the whole set: it
 * goes only when this is the set's last open device, which only the set
 * can tell, and only under its lock.  The device being closed still counts
 * as open, so 1 means no other member is open.
 */
static void fsl_mc_stub_vfio_close_device(struct vfio_device *vdev)
{
	struct fsl_mc_stub_vfio_dev *fdev = fsl_mc_stub_vfio_from_vdev(vdev);
	struct fsl_mc_stub_obj *obj = fdev->obj;

	lockdep_assert_held(&vdev->dev_set->lock);
	fsl_mc_stub_vfio_reset(fdev);
	fsl_mc_stub_vfio_irq_release(fdev);
	fsl_mc_stub_irqs_free(obj);
	if (vfio_device_set_open_count(vdev->dev_set) == 1)
		fsl_mc_stub_irq_pool_cleanup(fsl_mc_stub_cont(obj));
}

/**
 * fsl_mc_stub_vfio_request() - ask the user to give the device back
 * @vdev: the VFIO device
 * @count: how many times the core has asked so far
 *
 * Called by vfio_unregister_group_dev(), without the device set lock,
 * while the object is being destroyed or unbound and is still open; the
 * removal waits until the last fd is closed.  Signals the request eventfd,
 * or says once that there is none.
 */
static void fsl_mc_stub_vfio_request(struct vfio_device *vdev,
				     unsigned int count)
{
	struct fsl_mc_stub_vfio_dev *fdev = fsl_mc_stub_vfio_from_vdev(vdev);

	if (!fsl_mc_stub_vfio_irq_request(fdev) && !count)
		dev_notice(vdev->dev,
			   "no request eventfd, waiting for the user to close\n");
}

/* ---- the portal region -------------------------------------------------- */

/*
 * The model takes kernel pointers, so the access bounces through a kernel
 * buffer.  Return: @count, or a negative errno.
 */
static ssize_t fsl_mc_stub_vfio_rw_portal(struct fsl_mc_stub_vfio_dev *fdev,
					  char __user *ubuf, size_t count,
					  u64 off, bool write)
{
	void *buf;
	int ret;

	if (off >= FSL_MC_STUB_PORTAL_SIZE || !count ||
	    count > FSL_MC_STUB_PORTAL_SIZE - off)
		return -EINVAL;

	buf = kmalloc(count, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (write) {
		ret = -EFAULT;
		if (!copy_from_user(buf, ubuf, count))
			ret = fsl_mc_stub_portal_write(fdev->obj, buf, count, off);
	} else {
		ret = fsl_mc_stub_portal_read(fdev->obj, buf, count, off);
		if (!ret && copy_to_user(ubuf, buf, count))
			ret = -EFAULT;
	}
	kfree(buf);
	return ret ? ret : count;
}

static ssize_t fsl_mc_stub_vfio_rw(struct vfio_device *vdev, char __user *ubuf,
				   size_t count, loff_t *ppos, bool write)
{
	struct fsl_mc_stub_vfio_dev *fdev = fsl_mc_stub_vfio_from_vdev(vdev);
	u64 off = *ppos & FSL_MC_STUB_VFIO_OFFSET_MASK;
	ssize_t ret;

	if (*ppos < 0)
		return -EINVAL;

	switch (FSL_MC_STUB_VFIO_OFFSET_TO_INDEX(*ppos)) {
	case FSL_MC_STUB_PORTAL_INDEX:
		ret = fsl_mc_stub_vfio_rw_portal(fdev, ubuf, count, off, write);
		break;
	default:
		return -EINVAL;
	}
	if (ret > 0)
		*ppos += ret;
	return ret;
}

/**
 * fsl_mc_stub_vfio_read() - read() on the device fd
 * @vdev: the VFIO device
 * @buf: the user's buffer
 * @count: bytes to read
 * @ppos: file position, advanced on success
 *
 * Called any time the device is open; no lock held.
 *
 * Return: @count, or -EINVAL outside the portal, -ENOMEM or -EFAULT.
 */
static ssize_t fsl_mc_stub_vfio_read(struct vfio_device *vdev, char __user *buf,
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
 * Called any time the device is open; no lock held.  A write of an
 * interrupt index to the doorbell raises that interrupt.
 *
 * Return: @count, or -EINVAL outside the portal or for an access the
 * portal refuses (read-only register, bad doorbell), -ENOMEM or -EFAULT.
 */
static ssize_t fsl_mc_stub_vfio_write(struct vfio_device *vdev,
				      const char __user *buf, size_t count,
				      loff_t *ppos)
{
	return fsl_mc_stub_vfio_rw(vdev, (char __user *)buf, count, ppos, true);
}

/**
 * fsl_mc_stub_vfio_mmap() - mmap() of the portal
 * @vdev: the VFIO device
 * @vma: the mapping; must be shared and cover exactly the portal page
 *
 * Maps the portal's page itself.  Stores through the mapping are seen by
 * read() but don't ring the doorbell.  The mapping holds a reference to
 * the device file, so the page outlives it.
 * Called with mmap_lock held for writing.
 *
 * Return: 0, or -EINVAL for another region, offset or size, or a private
 * mapping.
 */
static int fsl_mc_stub_vfio_mmap(struct vfio_device *vdev,
				 struct vm_area_struct *vma)
{
	struct fsl_mc_stub_vfio_dev *fdev = fsl_mc_stub_vfio_from_vdev(vdev);
	unsigned int shift = FSL_MC_STUB_VFIO_OFFSET_SHIFT - PAGE_SHIFT;

	BUILD_BUG_ON(FSL_MC_STUB_PORTAL_SIZE != PAGE_SIZE);

	/* Split the page offset: shifting it to bytes could overflow. */
	if (vma->vm_pgoff >> shift != FSL_MC_STUB_PORTAL_INDEX ||
	    vma->vm_pgoff & ((1UL << shift) - 1))
		return -EINVAL;
	if (vma->vm_end - vma->vm_start != FSL_MC_STUB_PORTAL_SIZE)
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;

	fsl_mc_stub_compat_vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	return vm_insert_page(vma, vma->vm_start, fdev->obj->portal);
}

/* ---- ioctls ------------------------------------------------------------- */

static long fsl_mc_stub_vfio_ioctl_get_info(struct fsl_mc_stub_vfio_dev *fdev,
					    void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	info.flags = VFIO_DEVICE_FLAGS_FSL_MC | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = FSL_MC_STUB_NUM_REGIONS;
	info.num_irqs = fsl_mc_stub_vfio_num_irqs(fdev);
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/**
 * fsl_mc_stub_vfio_region_info() - describe one region
 * @vdev: the VFIO device
 * @info: index in; flags, size and offset out (argsz already checked)
 * @caps: the capability chain; the portal adds none
 *
 * Called by the core for VFIO_DEVICE_GET_REGION_INFO (6.19 and later), or
 * by fsl_mc_stub_vfio_ioctl() through
 * fsl_mc_stub_compat_region_info_ioctl(); no lock held.
 *
 * Return: 0, or -EINVAL for an index past the portal.
 */
static int fsl_mc_stub_vfio_region_info(struct vfio_device *vdev,
					struct vfio_region_info *info,
					struct vfio_info_cap *caps)
{
	if (info->index != FSL_MC_STUB_PORTAL_INDEX)
		return -EINVAL;

	info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
		      VFIO_REGION_INFO_FLAG_MMAP;
	info->cap_offset = 0;
	info->size = FSL_MC_STUB_PORTAL_SIZE;
	info->offset = FSL_MC_STUB_VFIO_INDEX_TO_OFFSET(info->index);
	return 0;
}

/**
 * fsl_mc_stub_vfio_ioctl() - the VFIO device ioctls
 * @vdev: the VFIO device
 * @cmd: the ioctl
 * @arg: its user pointer
 *
 * Called any time the device is open; no lock held.
 *
 * Return: 0 or a negative errno; -ENOTTY for an unknown ioctl.
 */
static long fsl_mc_stub_vfio_ioctl(struct vfio_device *vdev, unsigned int cmd,
				   unsigned long arg)
{
	struct fsl_mc_stub_vfio_dev *fdev = fsl_mc_stub_vfio_from_vdev(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return fsl_mc_stub_vfio_ioctl_get_info(fdev, uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return fsl_mc_stub_compat_region_info_ioctl(vdev, uarg,
						     fsl_mc_stub_vfio_region_info);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return fsl_mc_stub_vfio_ioctl_get_irq_info(fdev, uarg);
	case VFIO_DEVICE_SET_IRQS:
		return fsl_mc_stub_vfio_ioctl_set_irqs(fdev, uarg);
	case VFIO_DEVICE_RESET:
		fsl_mc_stub_vfio_reset(fdev);
		return 0;
	default:
		return -ENOTTY;
	}
}

const struct vfio_device_ops fsl_mc_stub_vfio_ops = {
	.name		= FSL_MC_STUB_DRIVER_NAME,
	.init		= fsl_mc_stub_vfio_init_dev,
	.release	= fsl_mc_stub_vfio_release_dev,
	.open_device	= fsl_mc_stub_vfio_open_device,
	.close_device	= fsl_mc_stub_vfio_close_device,
	.request	= fsl_mc_stub_vfio_request,
	.read		= fsl_mc_stub_vfio_read,
	.write		= fsl_mc_stub_vfio_write,
	.mmap		= fsl_mc_stub_vfio_mmap,
	.ioctl		= fsl_mc_stub_vfio_ioctl,
	FSL_MC_STUB_COMPAT_REGION_INFO_OP(fsl_mc_stub_vfio_region_info)
	FSL_MC_STUB_COMPAT_IOMMUFD_OPS
};
