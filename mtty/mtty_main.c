// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtty: a virtual serial port mdev parent
 *
 * The parent offers two types, mtty-1 and mtty-2, whose devices have one
 * or two 16550A ports. Every port comes from one pool whose size is the
 * nr_ports module parameter; a counter, not a walk over the devices,
 * keeps the books, so create and remove cost the same at any pool size.
 *
 * Each mdev device is a VFIO device in a device set of its own (probe
 * keys the set by the device itself), so the core serialises its
 * open_device and close_device ops with a mutex no other device shares.
 *
 * Files: mtty_main.c (this: module, parent, types, pool, mdev driver),
 * mtty_vfio.c (VFIO device ops), mtty_irq.c (interrupts), mtty_mig.c
 * (migration), the device models mtty_uart.c (16550A), mtty_cfg.c (PCI
 * config space) and mtty_stream.c (migration stream format), and
 * mtty_debugfs.c (test hooks, built only into the suite's own build).
 */
#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/mdev.h>
#include <linux/module.h>
#include <linux/vfio.h>

#include "mtty.h"

/* The most ports the pool may hold: enough for any test, bounded. */
#define MTTY_POOL_MAX	65536

static unsigned int nr_ports = 24;
module_param(nr_ports, uint, 0444);
MODULE_PARM_DESC(nr_ports, "ports in the pool shared by all mtty devices (1-65536, default 24)");

/* Ports no device holds; the pool's only book-keeping. */
static atomic_t mtty_avail;

/**
 * mtty_pool_get() - take ports from the pool
 * @n: how many
 *
 * Return: true if the ports were taken, false if fewer than @n are left.
 */
bool mtty_pool_get(unsigned int n)
{
	int avail = atomic_read(&mtty_avail);

	do {
		if ((unsigned int)avail < n)
			return false;
	} while (!atomic_try_cmpxchg(&mtty_avail, &avail, avail - n));
	return true;
}

/**
 * mtty_pool_put() - give ports back to the pool
 * @n: how many, as taken by mtty_pool_get()
 */
void mtty_pool_put(unsigned int n)
{
	atomic_add(n, &mtty_avail);
}

/* ------------------------------------------------------------------ */
/* Types                                                                */

/**
 * struct mtty_type - an mdev type: how many ports one device has
 * @type: the mdev core's view of the type
 * @nr_ports: serial ports per device of this type
 */
struct mtty_type {
	struct mdev_type type;
	unsigned int nr_ports;
};

static struct mtty_type mtty_types[] = {
	{ .type.sysfs_name = "1", .type.pretty_name = "Single port serial",
	  .nr_ports = 1 },
	{ .type.sysfs_name = "2", .type.pretty_name = "Dual port serial",
	  .nr_ports = 2 },
};

static struct mdev_type *mtty_mdev_types[] = {
	&mtty_types[0].type,
	&mtty_types[1].type,
};

/**
 * mtty_type_nr_ports() - ports per device of a type
 * @mtype: one of mtty's types
 *
 * Return: 1 or 2.
 */
unsigned int mtty_type_nr_ports(struct mdev_type *mtype)
{
	return container_of(mtype, struct mtty_type, type)->nr_ports;
}

/*
 * available_instances: how many more devices of this type fit in the
 * pool now. Both types draw on the same pool, so creating a device of
 * one type lowers the other's count too.
 */
static unsigned int mtty_get_available(struct mdev_type *mtype)
{
	return atomic_read(&mtty_avail) / mtty_type_nr_ports(mtype);
}

static ssize_t mtty_show_description(struct mdev_type *mtype, char *buf)
{
	return sysfs_emit(buf, "virtual 16550A serial card, %u port(s)\n",
			  mtty_type_nr_ports(mtype));
}

/* ------------------------------------------------------------------ */
/* mdev driver                                                          */

/**
 * mtty_probe() - create the VFIO device of a new mdev
 * @mdev: the mdev the core just created from a write to a type's create
 *
 * Called by the driver core, with the mdev's device lock held. Probe only
 * registers: vfio_alloc_device() runs mtty_init_dev(), which allocates
 * and takes the ports.
 *
 * Return: 0, -ENOSPC when the pool is short of ports, or another errno.
 */
static int mtty_probe(struct mdev_device *mdev)
{
	struct mtty_dev *mtty;
	int ret;

	mtty = vfio_alloc_device(mtty_dev, vdev, &mdev->dev, &mtty_vfio_ops);
	if (IS_ERR(mtty))
		return PTR_ERR(mtty);

	/*
	 * The set of its own that the core would make anyway, asked for
	 * here because the core ignores that allocation failing and then
	 * registers a device with no set: a NULL dev_set at the first open.
	 */
	ret = vfio_assign_device_set(&mtty->vdev, &mtty->vdev);
	if (ret)
		goto out_put_vdev;

	ret = vfio_register_emulated_iommu_dev(&mtty->vdev);
	if (ret)
		goto out_put_vdev;

	dev_set_drvdata(&mdev->dev, mtty);
	return 0;

out_put_vdev:
	vfio_put_device(&mtty->vdev);
	return ret;
}

/**
 * mtty_remove() - the reverse of mtty_probe()
 * @mdev: the mdev being removed through its remove file
 *
 * Called by the driver core, with the mdev's device lock held.
 * vfio_unregister_group_dev() waits for the user to close the device,
 * calling the request op until it does; the last reference then frees
 * the device through mtty_release_dev().
 */
static void mtty_remove(struct mdev_device *mdev)
{
	struct mtty_dev *mtty = dev_get_drvdata(&mdev->dev);

	vfio_unregister_group_dev(&mtty->vdev);
	vfio_put_device(&mtty->vdev);
}

static struct mdev_driver mtty_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = MTTY_NAME,
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
	},
	.probe = mtty_probe,
	.remove = mtty_remove,
	.get_available = mtty_get_available,
	.show_description = mtty_show_description,
};

/* ------------------------------------------------------------------ */
/* Module                                                               */

/*
 * The parent device belongs to a class because the mdev core names each
 * type "<driver string>-<sysfs_name>", and a device's driver string is
 * its class name when it has neither a driver nor a bus.
 */
static struct class mtty_class = {
	.name = MTTY_NAME,
};

static struct device mtty_parent_dev;
static struct mdev_parent mtty_parent;

static void mtty_parent_release(struct device *dev)
{
}

static int __init mtty_init(void)
{
	int ret;

	if (!nr_ports || nr_ports > MTTY_POOL_MAX)
		return -EINVAL;
	atomic_set(&mtty_avail, nr_ports);
	mtty_debugfs_init();

	ret = mdev_register_driver(&mtty_driver);
	if (ret)
		goto out_debugfs_exit;

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

	ret = mdev_register_parent(&mtty_parent, &mtty_parent_dev,
				   &mtty_driver, mtty_mdev_types,
				   ARRAY_SIZE(mtty_mdev_types));
	if (ret)
		goto out_del_parent;
	return 0;

out_del_parent:
	device_del(&mtty_parent_dev);
out_put_parent:
	put_device(&mtty_parent_dev);
	class_unregister(&mtty_class);
out_unregister_driver:
	mdev_unregister_driver(&mtty_driver);
out_debugfs_exit:
	mtty_debugfs_exit();
	return ret;
}

static void __exit mtty_exit(void)
{
	mdev_unregister_parent(&mtty_parent);
	device_unregister(&mtty_parent_dev);
	class_unregister(&mtty_class);
	mdev_unregister_driver(&mtty_driver);
	mtty_debugfs_exit();
}

module_init(mtty_init);
module_exit(mtty_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Virtual 16550A serial port mdev parent");
