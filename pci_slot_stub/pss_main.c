// SPDX-License-Identifier: GPL-2.0
/*
 * pci_slot_stub: the module and the PCI driver.
 *
 * Binds QEMU's edu device by ID, and any other function whose
 * driver_override names us. Probe only allocates, joins the set vfio-pci
 * would choose and registers; remove undoes that in reverse.
 */
#include <linux/device.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "pss.h"

/**
 * pss_probe() - bind a function and register it with VFIO
 * @pdev: the function
 * @id: the matching ID entry (edu), or the override entry
 *
 * A function that a real IOMMU has put in a group is registered as
 * vfio-pci registers it, with vfio_register_group_dev(): the core attaches
 * its group to the user's container or IOAS, and a hot reset needs the
 * group proven owned. A function without a group (no IOMMU in the
 * machine) is registered with an emulated IOMMU, which is safe only
 * because the stub never lets the function master the bus.
 *
 * Return: 0 or -errno: -EINVAL for a bridge, -EBUSY for a PF with VFs (as
 * vfio-pci: the VFs could be in use elsewhere).
 */
static int pss_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	bool isolated = device_iommu_mapped(&pdev->dev);
	struct pss_dev *pss;
	int ret;

	if (pdev->hdr_type != PCI_HEADER_TYPE_NORMAL)
		return -EINVAL;
	if (pci_num_vf(pdev))
		return -EBUSY;

	pss = vfio_alloc_device(pss_dev, vdev, &pdev->dev,
				isolated ? &pss_vfio_ops : &pss_vfio_emulated_ops);
	if (IS_ERR(pss))
		return PTR_ERR(pss);

	ret = pss_set_assign(pss);
	if (ret)
		goto out_put_vdev;

	pss_debugfs_add(pss);
	if (isolated)
		ret = vfio_register_group_dev(&pss->vdev);
	else
		ret = vfio_register_emulated_iommu_dev(&pss->vdev);
	if (ret)
		goto out_remove_debugfs;

	dev_set_drvdata(&pdev->dev, pss);
	pci_dbg(pdev, "registered (%s IOMMU), set keyed by %s\n",
		isolated ? "real" : "emulated", pss_set_kind(pss));
	return 0;

out_remove_debugfs:
	pss_debugfs_remove(pss);
out_put_vdev:
	vfio_put_device(&pss->vdev);
	return ret;
}

/**
 * pss_remove() - unbind a function; the reverse of pss_probe()
 * @pdev: the function
 *
 * vfio_unregister_group_dev() waits until no user holds the device, asking
 * an open user to let go through the request op.
 */
static void pss_remove(struct pci_dev *pdev)
{
	struct pss_dev *pss = dev_get_drvdata(&pdev->dev);

	vfio_unregister_group_dev(&pss->vdev);
	pss_debugfs_remove(pss);
	vfio_put_device(&pss->vdev);
}

static const struct pci_device_id pss_ids[] = {
	{ PCI_DEVICE(PSS_EDU_VENDOR, PSS_EDU_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, pss_ids);

static struct pci_driver pss_driver = {
	.name		= "pci_slot_stub",
	.id_table	= pss_ids,
	.probe		= pss_probe,
	.remove		= pss_remove,
	/*
	 * The function's DMA belongs to VFIO: the core claims the IOMMU
	 * group when a user opens it, so the driver core must not claim it
	 * at probe.
	 */
	.driver_managed_dma = true,
};

static int __init pss_init(void)
{
	int ret;

	ret = pss_mmap_init();
	if (ret)
		return ret;
	pss_debugfs_init();
	ret = pci_register_driver(&pss_driver);
	if (ret)
		goto out_exit_debugfs;
	return 0;

out_exit_debugfs:
	pss_debugfs_exit();
	pss_mmap_exit();
	return ret;
}

static void __exit pss_exit(void)
{
	pci_unregister_driver(&pss_driver);
	pss_debugfs_exit();
	pss_mmap_exit();
}

module_init(pss_init);
module_exit(pss_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VFIO driver for emulated PCI functions with vfio-pci's slot and bus device sets");
