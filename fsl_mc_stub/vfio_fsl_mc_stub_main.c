// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_fsl_mc_stub: a VFIO driver for the objects of the emulated fsl-mc
 * bus, and the template for drivers whose devices share a device set.
 *
 * On fsl-mc every object of a container draws its interrupts from one pool
 * that belongs to the container (fsl_mc_stub_irq_pool.c).  Opening and
 * closing objects of one container therefore touch shared state, and the
 * VFIO core serialises that for us when all of them are in one device set:
 * it holds the set's lock around open_device() and close_device().  The key
 * of the set is the container's struct device: a child object passes its
 * parent's, a container passes its own, so a container and its direct
 * children form one set.  A nested container starts a set of its own,
 * exactly as vfio-fsl-mc does.
 *
 * Files: this one holds the device lifecycle and the ops table;
 * vfio_fsl_mc_stub_region.c the portal region; vfio_fsl_mc_stub_intr.c the
 * interrupts and the pool; vfio_fsl_mc_stub_debugfs.c what the tests see.
 */
#include <linux/module.h>
#include <linux/uaccess.h>

#include "vfio_suite_compat.h"
#include "vfio_fsl_mc_stub.h"

/* ---- lifecycle ---------------------------------------------------------- */

/**
 * fsl_mc_stub_vfio_init() - set up a device before it is registered
 * @vdev: the VFIO device, allocated by vfio_alloc_device()
 *
 * Joins the device set of the container: the container's own device for a
 * container, the parent's device for anything else.  The device pointer is
 * a valid key while the device is registered, because a container cannot
 * be destroyed while it has children.
 * Context: called by vfio_alloc_device() from probe; no lock held.
 * Return: 0 or a negative errno; on error the core releases the set.
 */
static int fsl_mc_stub_vfio_init(struct vfio_device *vdev)
{
	struct fsl_mc_stub_vdev *fvdev = to_fsl_mc_stub_vdev(vdev);
	struct fsl_mc_stub_obj *obj = to_fsl_mc_stub_obj(vdev->dev);
	int ret;

	fvdev->obj = obj;
	ret = vfio_assign_device_set(vdev, &fsl_mc_stub_cont(obj)->dev);
	if (ret)
		return ret;

	mutex_init(&fvdev->igate);
	ret = fsl_mc_stub_dbg_init(fvdev);
	if (ret)
		goto err_destroy_igate;
	return 0;

err_destroy_igate:
	mutex_destroy(&fvdev->igate);
	return ret;
}

/**
 * fsl_mc_stub_vfio_release() - free what fsl_mc_stub_vfio_init() set up
 * @vdev: the VFIO device
 *
 * Context: called when the last reference to @vdev goes; no lock held.
 * On 6.1 the core leaves freeing @vdev itself to this op.
 */
static void fsl_mc_stub_vfio_release(struct vfio_device *vdev)
{
	struct fsl_mc_stub_vdev *fvdev = to_fsl_mc_stub_vdev(vdev);

	fsl_mc_stub_dbg_release(fvdev);
	mutex_destroy(&fvdev->igate);
	vfio_suite_free_device(vdev);
}

/**
 * fsl_mc_stub_vfio_open_device() - the first open of the device
 * @vdev: the VFIO device
 *
 * Puts the portal in its power-on state.  Interrupts and the container's
 * pool are set up later, when SET_IRQS first asks for an eventfd.
 * Context: called with the device set lock held, when the first file
 * descriptor of this device is opened; never concurrently with the
 * open_device() or close_device() of another device of the container.
 * Return: 0, or the error a test injected through debugfs.
 */
static int fsl_mc_stub_vfio_open_device(struct vfio_device *vdev)
{
	struct fsl_mc_stub_vdev *fvdev = to_fsl_mc_stub_vdev(vdev);
	int ret;

	ret = fsl_mc_stub_dbg_open_begin(fvdev);
	if (!ret)
		fsl_mc_stub_portal_reset(fvdev->obj);
	fsl_mc_stub_dbg_open_end(fvdev, ret);
	return ret;
}

/**
 * fsl_mc_stub_vfio_close_device() - the last close of the device
 * @vdev: the VFIO device
 *
 * Resets the device, then detaches its eventfds, returns its interrupts to
 * the container's pool, and frees the pool if no device of the set is
 * open any more.
 * Context: called with the device set lock held, when the last file
 * descriptor of this device is released.
 */
static void fsl_mc_stub_vfio_close_device(struct vfio_device *vdev)
{
	struct fsl_mc_stub_vdev *fvdev = to_fsl_mc_stub_vdev(vdev);

	fsl_mc_stub_dbg_close_begin(fvdev);
	fsl_mc_stub_portal_reset(fvdev->obj);
	fsl_mc_stub_vfio_irqs_cleanup_locked(fvdev);
	fsl_mc_stub_dbg_close_end(fvdev);
}

/* ---- ioctls ------------------------------------------------------------- */

static long fsl_mc_stub_vfio_device_info(struct fsl_mc_stub_vdev *fvdev,
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
	/* the object's interrupts, then the request interrupt */
	info.num_irqs = fsl_mc_stub_vdev_irq_count(fvdev) + 1;

	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/**
 * fsl_mc_stub_vfio_ioctl() - the VFIO device ioctls
 * @vdev: the VFIO device
 * @cmd: the ioctl
 * @arg: its user pointer
 *
 * Context: any time the device is open; no lock held.
 * Return: 0 or a negative errno; -ENOTTY for an unknown ioctl.
 */
static long fsl_mc_stub_vfio_ioctl(struct vfio_device *vdev, unsigned int cmd,
				   unsigned long arg)
{
	struct fsl_mc_stub_vdev *fvdev = to_fsl_mc_stub_vdev(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return fsl_mc_stub_vfio_device_info(fvdev, uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return vfio_suite_region_info_ioctl(vdev, uarg,
						    fsl_mc_stub_vfio_region_info);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return fsl_mc_stub_vfio_irq_info(fvdev, uarg);
	case VFIO_DEVICE_SET_IRQS:
		return fsl_mc_stub_vfio_set_irqs(fvdev, uarg);
	case VFIO_DEVICE_RESET:
		fsl_mc_stub_portal_reset(fvdev->obj);
		return 0;
	default:
		return -ENOTTY;
	}
}

static const struct vfio_device_ops fsl_mc_stub_vfio_ops = {
	.name		= FSL_MC_STUB_DRIVER_NAME,
	.init		= fsl_mc_stub_vfio_init,
	.release	= fsl_mc_stub_vfio_release,
	.open_device	= fsl_mc_stub_vfio_open_device,
	.close_device	= fsl_mc_stub_vfio_close_device,
	.ioctl		= fsl_mc_stub_vfio_ioctl,
	VFIO_SUITE_REGION_INFO_OP(fsl_mc_stub_vfio_region_info)
	.read		= fsl_mc_stub_vfio_read,
	.write		= fsl_mc_stub_vfio_write,
	.mmap		= fsl_mc_stub_vfio_mmap,
	.request	= fsl_mc_stub_vfio_request,
	VFIO_SUITE_EMULATED_IOMMUFD_OPS
};

/* ---- driver ------------------------------------------------------------- */

/*
 * Probe only allocates (which runs .init) and registers.  The portal has no
 * DMA, so the device is registered with an emulated IOMMU.
 */
static int fsl_mc_stub_vfio_probe(struct fsl_mc_stub_obj *obj)
{
	struct fsl_mc_stub_vdev *fvdev;
	int ret;

	fvdev = vfio_alloc_device(fsl_mc_stub_vdev, vdev, &obj->dev,
				  &fsl_mc_stub_vfio_ops);
	if (IS_ERR(fvdev))
		return PTR_ERR(fvdev);

	ret = vfio_register_emulated_iommu_dev(&fvdev->vdev);
	if (ret)
		goto err_put_vdev;
	dev_set_drvdata(&obj->dev, fvdev);
	return 0;

err_put_vdev:
	vfio_put_device(&fvdev->vdev);
	return ret;
}

/*
 * The reverse of probe.  Unregistering waits until userspace has closed
 * the device, asking it to through the request callback meanwhile.
 */
static void fsl_mc_stub_vfio_remove(struct fsl_mc_stub_obj *obj)
{
	struct fsl_mc_stub_vdev *fvdev = dev_get_drvdata(&obj->dev);

	vfio_unregister_group_dev(&fvdev->vdev);
	vfio_put_device(&fvdev->vdev);
}

static struct fsl_mc_stub_driver fsl_mc_stub_vfio_driver = {
	.driver.name	= FSL_MC_STUB_DRIVER_NAME,
	.probe		= fsl_mc_stub_vfio_probe,
	.remove		= fsl_mc_stub_vfio_remove,
};

static int __init fsl_mc_stub_vfio_module_init(void)
{
	int ret;

	fsl_mc_stub_dbg_module_init();
	ret = fsl_mc_stub_driver_register(&fsl_mc_stub_vfio_driver, THIS_MODULE);
	if (ret)
		fsl_mc_stub_dbg_module_exit();
	return ret;
}

static void __exit fsl_mc_stub_vfio_module_exit(void)
{
	fsl_mc_stub_driver_unregister(&fsl_mc_stub_vfio_driver);
	fsl_mc_stub_dbg_module_exit();
}

module_init(fsl_mc_stub_vfio_module_init);
module_exit(fsl_mc_stub_vfio_module_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VFIO driver for the emulated fsl-mc bus (fsl_mc_stub)");
