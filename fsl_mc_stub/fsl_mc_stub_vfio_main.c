// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_fsl_mc_stub: a VFIO driver for the objects of the emulated fsl-mc
 * bus, and the template for drivers whose devices share a device set.
 *
 * On fsl-mc every object of a container draws its interrupts from one pool
 * that belongs to the container.  Opening and closing the objects of one
 * container therefore touch shared state, and the VFIO core serialises
 * that when all of them are in one device set: it holds the set's lock
 * around open_device() and close_device().  The set is keyed by the
 * container's struct device, so a container and its direct children form
 * one set, and a nested container starts a set of its own, as vfio-fsl-mc
 * does.
 *
 * Files: this one holds the module and the bus driver (probe and remove);
 * fsl_mc_stub_vfio.c the ops; fsl_mc_stub_vfio_irq.c the interrupts and
 * the pool; fsl_mc_stub_vfio_debugfs.c the test hooks, built only with
 * VFIO_SUITE_TEST_HOOKS=y.
 */
#include <linux/module.h>

#include "fsl_mc_stub_vfio.h"

/*
 * Probe only allocates (which runs .init, where the device joins its set)
 * and registers.  The portal does no DMA, so the device is registered with
 * an emulated IOMMU, in an IOMMU group of its own.
 */
static int fsl_mc_stub_vfio_probe(struct fsl_mc_stub_obj *obj)
{
	struct fsl_mc_stub_vfio_dev *fdev;
	int ret;

	fdev = vfio_alloc_device(fsl_mc_stub_vfio_dev, vdev, &obj->dev,
				 fsl_mc_stub_vfio_hook_ops(&fsl_mc_stub_vfio_ops));
	if (IS_ERR(fdev))
		return PTR_ERR(fdev);

	ret = vfio_register_emulated_iommu_dev(&fdev->vdev);
	if (ret)
		goto out_put_vdev;
	dev_set_drvdata(&obj->dev, fdev);
	return 0;

out_put_vdev:
	vfio_put_device(&fdev->vdev);
	return ret;
}

/*
 * The reverse of probe.  Unregistering waits until userspace has closed
 * the device, asking it to through the request op meanwhile.
 */
static void fsl_mc_stub_vfio_remove(struct fsl_mc_stub_obj *obj)
{
	struct fsl_mc_stub_vfio_dev *fdev = dev_get_drvdata(&obj->dev);

	vfio_unregister_group_dev(&fdev->vdev);
	vfio_put_device(&fdev->vdev);
}

static struct fsl_mc_stub_driver fsl_mc_stub_vfio_driver = {
	.driver.name	= FSL_MC_STUB_DRIVER_NAME,
	.probe		= fsl_mc_stub_vfio_probe,
	.remove		= fsl_mc_stub_vfio_remove,
};

static int __init fsl_mc_stub_vfio_init(void)
{
	int ret;

	fsl_mc_stub_vfio_debugfs_init();
	ret = fsl_mc_stub_driver_register(&fsl_mc_stub_vfio_driver, THIS_MODULE);
	if (ret)
		fsl_mc_stub_vfio_debugfs_exit();
	return ret;
}

static void __exit fsl_mc_stub_vfio_exit(void)
{
	fsl_mc_stub_driver_unregister(&fsl_mc_stub_vfio_driver);
	fsl_mc_stub_vfio_debugfs_exit();
}

module_init(fsl_mc_stub_vfio_init);
module_exit(fsl_mc_stub_vfio_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VFIO driver for the emulated fsl-mc bus (fsl_mc_stub)");
