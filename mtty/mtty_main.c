// SPDX-License-Identifier: GPL-2.0
/*
 * mtty: a virtual serial port mdev parent.
 *
 * Each mdev device is a VFIO device in a device set of its own (mtty never
 * calls vfio_assign_device_set()), so the core serialises its open_device
 * and close_device ops with a mutex that no other device shares.
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/mdev.h>
#include <linux/module.h>
#include <linux/vfio.h>

#include "vfio_suite_compat.h"

#define MTTY_NAME	"mtty"

/**
 * struct mtty_type - an mdev type: how many ports one device has
 * @type: the mdev core's view of the type
 * @nr_ports: serial ports per device of this type
 */
struct mtty_type {
	struct mdev_type type;
	unsigned int nr_ports;
};

/**
 * struct mtty_dev - one mdev device
 * @vdev: the VFIO device; its refcount owns this structure
 * @nr_ports: serial ports of this device
 * @debugfs: per-device debugfs directory, named after the mdev UUID
 * @open_count: open_device calls so far; written under the device set lock
 * @close_count: close_device calls so far; written under the device set lock
 */
struct mtty_dev {
	struct vfio_device vdev;
	unsigned int nr_ports;
	struct dentry *debugfs;
	u32 open_count;
	u32 close_count;
};

static struct mtty_type mtty_types[] = {
	{ .type.sysfs_name = "1", .type.pretty_name = "Single port serial", .nr_ports = 1 },
	{ .type.sysfs_name = "2", .type.pretty_name = "Dual port serial", .nr_ports = 2 },
};

static struct mdev_type *mtty_mdev_types[] = {
	&mtty_types[0].type,
	&mtty_types[1].type,
};

/*
 * The parent device belongs to a class because the mdev core names each type
 * "<driver string>-<sysfs_name>", and a device's driver string is its class
 * name when it has neither a driver nor a bus.
 */
static struct class mtty_class = {
	.name = MTTY_NAME,
};

static struct device mtty_parent_dev;
static struct mdev_parent mtty_parent;
static struct dentry *mtty_debugfs_root;

static struct mtty_dev *vdev_to_mtty(struct vfio_device *vdev)
{
	return container_of(vdev, struct mtty_dev, vdev);
}

/* ---- VFIO device ops ---- */

/**
 * mtty_init_dev() - allocate what lives as long as the device
 * @vdev: the VFIO device embedded in a new &struct mtty_dev
 *
 * Called by vfio_alloc_device() before the device is visible anywhere.
 *
 * Return: 0 on success or a negative errno.
 */
static int mtty_init_dev(struct vfio_device *vdev)
{
	struct mtty_dev *mdev_state = vdev_to_mtty(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	struct mtty_type *type = container_of(mdev->type, struct mtty_type, type);

	mdev_state->nr_ports = type->nr_ports;
	return 0;
}

/**
 * mtty_release_dev() - free what mtty_init_dev() allocated
 * @vdev: the VFIO device whose last reference is going away
 */
static void mtty_release_dev(struct vfio_device *vdev)
{
}

/**
 * mtty_open_device() - the first file descriptor of the device is opening
 * @vdev: the VFIO device
 *
 * Called with the device set lock held, once per first open.
 *
 * Return: 0.
 */
static int mtty_open_device(struct vfio_device *vdev)
{
	struct mtty_dev *mtty = vdev_to_mtty(vdev);

	lockdep_assert_held(&vdev->dev_set->lock);
	mtty->open_count++;
	return 0;
}

/**
 * mtty_close_device() - the last file descriptor of the device was released
 * @vdev: the VFIO device
 *
 * Called with the device set lock held, once per last close.
 */
static void mtty_close_device(struct vfio_device *vdev)
{
	struct mtty_dev *mtty = vdev_to_mtty(vdev);

	lockdep_assert_held(&vdev->dev_set->lock);
	mtty->close_count++;
}

static long mtty_ioctl_get_info(struct mtty_dev *mtty, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	info.flags = VFIO_DEVICE_FLAGS_PCI;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;

	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/**
 * mtty_ioctl() - a VFIO_DEVICE_* ioctl on any of the device's fds
 * @vdev: the VFIO device
 * @cmd: the ioctl number
 * @arg: its user argument
 *
 * Called without the device set lock, possibly from several fds at once.
 *
 * Return: 0 or a positive value on success, a negative errno on failure.
 */
static long mtty_ioctl(struct vfio_device *vdev, unsigned int cmd,
		       unsigned long arg)
{
	struct mtty_dev *mtty = vdev_to_mtty(vdev);

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return mtty_ioctl_get_info(mtty, (void __user *)arg);
	}
	return -ENOTTY;
}

static const struct vfio_device_ops mtty_dev_ops = {
	.name		= "vfio-mtty",
	.init		= mtty_init_dev,
	.release	= mtty_release_dev,
	.open_device	= mtty_open_device,
	.close_device	= mtty_close_device,
	.ioctl		= mtty_ioctl,
	VFIO_SUITE_EMULATED_IOMMUFD_OPS
};

/* ---- mdev driver ---- */

static int mtty_probe(struct mdev_device *mdev)
{
	struct mtty_dev *mtty;
	int ret;

	mtty = vfio_alloc_device(mtty_dev, vdev, &mdev->dev, &mtty_dev_ops);
	if (IS_ERR(mtty))
		return PTR_ERR(mtty);

	ret = vfio_register_emulated_iommu_dev(&mtty->vdev);
	if (ret)
		goto out_put_vdev;

	mtty->debugfs = debugfs_create_dir(dev_name(&mdev->dev), mtty_debugfs_root);
	debugfs_create_u32("open_count", 0444, mtty->debugfs, &mtty->open_count);
	debugfs_create_u32("close_count", 0444, mtty->debugfs, &mtty->close_count);

	dev_set_drvdata(&mdev->dev, mtty);
	return 0;

out_put_vdev:
	vfio_put_device(&mtty->vdev);
	return ret;
}

static void mtty_remove(struct mdev_device *mdev)
{
	struct mtty_dev *mtty = dev_get_drvdata(&mdev->dev);

	debugfs_remove(mtty->debugfs);
	vfio_unregister_group_dev(&mtty->vdev);
	vfio_put_device(&mtty->vdev);
}

static ssize_t mtty_show_description(struct mdev_type *mtype, char *buf)
{
	struct mtty_type *type = container_of(mtype, struct mtty_type, type);

	return sysfs_emit(buf, "virtual 16550 serial card, %u port(s)\n",
			  type->nr_ports);
}

static struct mdev_driver mtty_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.max_instances = 24,
	.driver = {
		.name = MTTY_NAME,
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
	},
	.probe = mtty_probe,
	.remove = mtty_remove,
	.show_description = mtty_show_description,
};

/* ---- module ---- */

static void mtty_parent_release(struct device *dev)
{
}

static int __init mtty_init(void)
{
	int ret;

	ret = mdev_register_driver(&mtty_driver);
	if (ret)
		return ret;

	ret = class_register(&mtty_class);
	if (ret)
		goto out_unregister_driver;

	device_initialize(&mtty_parent_dev);
	mtty_parent_dev.class = &mtty_class;
	mtty_parent_dev.release = mtty_parent_release;
	ret = dev_set_name(&mtty_parent_dev, MTTY_NAME);
	if (ret)
		goto out_put_parent;
	ret = device_add(&mtty_parent_dev);
	if (ret)
		goto out_put_parent;

	ret = mdev_register_parent(&mtty_parent, &mtty_parent_dev, &mtty_driver,
				   mtty_mdev_types, ARRAY_SIZE(mtty_mdev_types));
	if (ret)
		goto out_del_parent;

	mtty_debugfs_root = debugfs_create_dir(MTTY_NAME, NULL);
	return 0;

out_del_parent:
	device_del(&mtty_parent_dev);
out_put_parent:
	put_device(&mtty_parent_dev);
	class_unregister(&mtty_class);
out_unregister_driver:
	mdev_unregister_driver(&mtty_driver);
	return ret;
}

static void __exit mtty_exit(void)
{
	mdev_unregister_parent(&mtty_parent);
	debugfs_remove(mtty_debugfs_root);
	device_unregister(&mtty_parent_dev);
	class_unregister(&mtty_class);
	mdev_unregister_driver(&mtty_driver);
}

module_init(mtty_init);
module_exit(mtty_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Virtual 16550 serial port mdev parent");
