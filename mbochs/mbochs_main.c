// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs: a Bochs-compatible display mdev with dma-buf export.
 *
 * The mdev parent: the types, probe and remove, and module setup. The
 * device model lives in mbochs_model.c and mbochs_cfg.c, video memory in
 * mbochs_vram.c, the instance pool in mbochs_pool.c, planes and dma-buf
 * export in mbochs_dmabuf.c, the VFIO ops in mbochs_vfio.c, the request
 * interrupt in mbochs_irq.c and the EDID region in mbochs_edid.c.
 */
#include <linux/device.h>
#include <linux/mdev.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "mbochs.h"

static struct mbochs_type mbochs_types[] = {
	{
		.type.sysfs_name = MBOCHS_TYPE_SMALL,
		.type.pretty_name = MBOCHS_NAME "-" MBOCHS_TYPE_SMALL,
		.mbytes = MBOCHS_TYPE_SMALL_MB,
		.max_xres = 800,
		.max_yres = 600,
	}, {
		.type.sysfs_name = MBOCHS_TYPE_MEDIUM,
		.type.pretty_name = MBOCHS_NAME "-" MBOCHS_TYPE_MEDIUM,
		.mbytes = MBOCHS_TYPE_MEDIUM_MB,
		.max_xres = 1920,
		.max_yres = 1440,
	}, {
		.type.sysfs_name = MBOCHS_TYPE_LARGE,
		.type.pretty_name = MBOCHS_NAME "-" MBOCHS_TYPE_LARGE,
		.mbytes = MBOCHS_TYPE_LARGE_MB,
	},
};

static struct mdev_type *mbochs_mdev_types[] = {
	&mbochs_types[0].type,
	&mbochs_types[1].type,
	&mbochs_types[2].type,
};

/*
 * The parent device the mdevs hang off. The mdev core names each type
 * "<parent's class>-<type>", so the parent is in a class of our own; that
 * gives the types their stable names (mbochs-small, ...).
 */
static struct class mbochs_class = {
	.name = MBOCHS_NAME,
};

static struct device *mbochs_parent_dev;
static struct mdev_parent mbochs_parent;

/* ---- sysfs ---- */

static ssize_t memory_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct mbochs_dev *mb = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u MiB\n", mb->type->mbytes);
}
static DEVICE_ATTR_RO(memory);

static struct attribute *mbochs_dev_attrs[] = {
	&dev_attr_memory.attr,
	NULL,
};

static const struct attribute_group mbochs_dev_group = {
	.name = "vendor",
	.attrs = mbochs_dev_attrs,
};

static const struct attribute_group *mbochs_dev_groups[] = {
	&mbochs_dev_group,
	NULL,
};

/* ---- mdev driver ---- */

/**
 * mbochs_probe() - create a device: allocate it, then register it
 * @mdev: the new mdev
 *
 * Called by the mdev core when user space writes a UUID to a type's
 * create file; the errno is what that write returns. vfio_alloc_device()
 * runs .init, which reserves the video memory.
 *
 * Return: 0, -ENOSPC if the pool is too small, or another -errno.
 */
static int mbochs_probe(struct mdev_device *mdev)
{
	struct mbochs_dev *mb;
	int ret;

	mb = vfio_alloc_device(mbochs_dev, vdev, &mdev->dev, &mbochs_vfio_ops);
	if (IS_ERR(mb))
		return PTR_ERR(mb);

	ret = -ENOMEM;
	if (mbochs_hook_fail(MBOCHS_FAIL_PROBE))
		goto out_put_vdev;
	/*
	 * The set of its own that the core would make anyway: the core
	 * ignores that allocation failing and registers a device with no
	 * set (a NULL dev_set at the first open), so ask for it here.
	 */
	ret = vfio_assign_device_set(&mb->vdev, &mb->vdev);
	if (ret)
		goto out_put_vdev;
	dev_set_drvdata(&mdev->dev, mb);
	mbochs_debugfs_add(mb);
	ret = vfio_register_emulated_iommu_dev(&mb->vdev);
	if (ret)
		goto out_remove_debugfs;
	return 0;

out_remove_debugfs:
	mbochs_debugfs_remove(mb);
out_put_vdev:
	vfio_put_device(&mb->vdev);
	return ret;
}

/**
 * mbochs_remove() - the reverse of mbochs_probe()
 * @mdev: the mdev being removed
 *
 * Called by the mdev core on a write to the device's remove file or on
 * module unload. Unregistering asks a user that holds the device open to
 * let go (the request op) and waits until every fd is closed; dma-bufs
 * may outlive the device, they own what they use.
 */
static void mbochs_remove(struct mdev_device *mdev)
{
	struct mbochs_dev *mb = dev_get_drvdata(&mdev->dev);

	vfio_unregister_group_dev(&mb->vdev);
	mbochs_debugfs_remove(mb);
	vfio_put_device(&mb->vdev);
}

/**
 * mbochs_get_available() - how many more devices of a type fit
 * @mtype: the type
 *
 * Called by the mdev core, no lock held, when the type's
 * available_instances file is read. A snapshot: a concurrent create may
 * still fail with -ENOSPC.
 *
 * Return: the pool memory left divided by the type's size.
 */
static unsigned int mbochs_get_available(struct mdev_type *mtype)
{
	struct mbochs_type *type =
		container_of(mtype, struct mbochs_type, type);

	return mbochs_pool_avail() / type->mbytes;
}

/**
 * mbochs_show_description() - the type's description file
 * @mtype: the type
 * @buf: sysfs page buffer
 *
 * Called by the mdev core, no lock held.
 *
 * Return: bytes written to @buf.
 */
static ssize_t mbochs_show_description(struct mdev_type *mtype, char *buf)
{
	struct mbochs_type *type =
		container_of(mtype, struct mbochs_type, type);

	return sysfs_emit(buf, "virtual display, %u MiB video memory\n",
			  type->mbytes);
}

static struct mdev_driver mbochs_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = MBOCHS_NAME,
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = mbochs_dev_groups,
	},
	.probe = mbochs_probe,
	.remove = mbochs_remove,
	.get_available = mbochs_get_available,
	.show_description = mbochs_show_description,
};

/* ---- module ---- */

static void mbochs_parent_release(struct device *dev)
{
	kfree(dev);
}

static int __init mbochs_init(void)
{
	int ret;

	mbochs_pool_init();
	mbochs_debugfs_init();

	ret = mdev_register_driver(&mbochs_driver);
	if (ret)
		goto out_exit_debugfs;
	ret = class_register(&mbochs_class);
	if (ret)
		goto out_unregister_driver;

	ret = -ENOMEM;
	mbochs_parent_dev = kzalloc(sizeof(*mbochs_parent_dev), GFP_KERNEL);
	if (!mbochs_parent_dev)
		goto out_unregister_class;
	device_initialize(mbochs_parent_dev);
	mbochs_parent_dev->class = &mbochs_class;
	mbochs_parent_dev->release = mbochs_parent_release;
	ret = dev_set_name(mbochs_parent_dev, MBOCHS_NAME);
	if (ret)
		goto out_put_parent;
	ret = device_add(mbochs_parent_dev);
	if (ret)
		goto out_put_parent;

	ret = mdev_register_parent(&mbochs_parent, mbochs_parent_dev,
				   &mbochs_driver, mbochs_mdev_types,
				   ARRAY_SIZE(mbochs_mdev_types));
	if (ret)
		goto out_del_parent;
	return 0;

out_del_parent:
	device_del(mbochs_parent_dev);
out_put_parent:
	put_device(mbochs_parent_dev);
out_unregister_class:
	class_unregister(&mbochs_class);
out_unregister_driver:
	mdev_unregister_driver(&mbochs_driver);
out_exit_debugfs:
	mbochs_debugfs_exit();
	return ret;
}

static void __exit mbochs_exit(void)
{
	mdev_unregister_parent(&mbochs_parent);
	device_unregister(mbochs_parent_dev);
	class_unregister(&mbochs_class);
	mdev_unregister_driver(&mbochs_driver);
	mbochs_debugfs_exit();
}

module_init(mbochs_init);
module_exit(mbochs_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Bochs-compatible display mdev with dma-buf export");
