// SPDX-License-Identifier: GPL-2.0
/*
 * pci_slot_stub: the PCI driver.
 *
 * Binds QEMU's edu device by ID, and any other function whose
 * driver_override names us. Probe only allocates, joins the set vfio-pci
 * would choose, registers and adds debugfs; remove undoes that in reverse.
 */
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "pss_abi.h"
#include "pss.h"

/**
 * pss_probe() - bind a function and register it with VFIO
 * @pdev: the function
 * @id: the matching ID entry (edu), or the override entry
 *
 * Return: 0 or -errno: -EINVAL for a bridge, -EBUSY for a PF with VFs (as
 * vfio-pci: the VFs could be in use elsewhere) or a function a real IOMMU
 * already grouped.
 */
static int pss_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct iommu_group *group;
	struct pss_device *pss;
	int ret;

	if (pdev->hdr_type != PCI_HEADER_TYPE_NORMAL)
		return -EINVAL;
	if (pci_num_vf(pdev))
		return -EBUSY;
	group = iommu_group_get(&pdev->dev);
	iommu_group_put(group);

	pss = vfio_alloc_device(pss_device, vdev, &pdev->dev, &pss_vfio_ops);
	if (IS_ERR(pss))
		return PTR_ERR(pss);

	ret = pss_set_assign(pss);
	if (ret)
		goto out_put_device;

	if (group)
		ret = vfio_register_group_dev(&pss->vdev);
	else
		ret = vfio_register_emulated_iommu_dev(&pss->vdev);
	if (ret)
		goto out_put_device;

	dev_set_drvdata(&pdev->dev, pss);
	pss_debugfs_add(pss);
	pci_dbg(pdev, "registered, set keyed by %s\n",
		pss_set_kind_name(pss->set_kind));
	return 0;

out_put_device:
	vfio_put_device(&pss->vdev);
	return ret;
}

/**
 * pss_remove() - unbind a function; the reverse of pss_probe()
 * @pdev: the function
 *
 * vfio_unregister_group_dev() waits until no user holds the device, asking
 * an open user to let go through pss_request().
 */
static void pss_remove(struct pci_dev *pdev)
{
	struct pss_device *pss = dev_get_drvdata(&pdev->dev);

	pss_debugfs_remove(pss);
	vfio_unregister_group_dev(&pss->vdev);
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
	 * The function's IOMMU group is VFIO's (here an emulated one), so the
	 * driver core must not claim DMA ownership of it at probe and give it
	 * back at remove, after the group has changed under it.
	 */
	.driver_managed_dma = true,
};

static int __init pss_module_init(void)
{
	int ret;

	pss_debugfs_init();
	ret = pci_register_driver(&pss_driver);
	if (ret)
		pss_debugfs_exit();
	return ret;
}

static void __exit pss_module_exit(void)
{
	pci_unregister_driver(&pss_driver);
	pss_debugfs_exit();
}

module_init(pss_module_init);
module_exit(pss_module_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VFIO driver for emulated PCI functions with vfio-pci's slot and bus device sets");
