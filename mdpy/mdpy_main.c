// SPDX-License-Identifier: GPL-2.0
/*
 * mdpy: a virtual PCI display, offered as mdev types of a parent device.
 *
 * This file holds the mdev side: the types, the instance pool, probe and
 * remove, and module init. The VFIO device is in mdpy_vfio.c, its
 * interrupts in mdpy_irq.c, the device model in mdpy_model.c and the ABI
 * shared with the guest driver and the selftests in mdpy_defs.h.
 *
 * Lifetime of one display:
 *   create (sysfs)  -> mdpy_probe(): vfio_alloc_device() runs mdpy_init_dev(),
 *                      which takes a display from the pool and allocates
 *                      everything; probe then assigns the set and registers
 *   first open      -> mdpy_open_device(): reset, written pages restored
 *   last close      -> mdpy_close_device(): the user's eventfds dropped
 *   remove (sysfs)  -> mdpy_remove(): unregister, which asks the user to
 *                      let go (the request eventfd) and waits
 *   last reference  -> mdpy_release_dev(): frees everything, pool refilled
 */
#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/mdev.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sysfs.h>
#include <linux/vfio.h>

#include "mdpy.h"
#include "mdpy_defs.h"

/* Upper bound of max_instances: 16 full-HD displays take 256 MiB. */
#define MDPY_MAX_INSTANCES	16

/* ---- types ---- */

static struct mdpy_type mdpy_types[] = {
	{
		.type.sysfs_name = "vga",
		.type.pretty_name = "mdpy 640x480",
		.mode = { .width = 640, .height = 480,
			  .format = MDPY_FORMAT_XRGB8888 },
	}, {
		.type.sysfs_name = "xga",
		.type.pretty_name = "mdpy 1024x768",
		.mode = { .width = 1024, .height = 768,
			  .format = MDPY_FORMAT_XRGB8888 },
	}, {
		.type.sysfs_name = "fhd",
		.type.pretty_name = "mdpy 1920x1080",
		.mode = { .width = 1920, .height = 1080,
			  .format = MDPY_FORMAT_XRGB8888 },
	},
};

static struct mdev_type *mdpy_mdev_types[] = {
	&mdpy_types[0].type,
	&mdpy_types[1].type,
	&mdpy_types[2].type,
};

/* ---- instance pool ---- */

static unsigned int mdpy_max_instances = 4;

/* Displays no device holds; starts at max_instances. */
static atomic_t mdpy_avail;

/**
 * mdpy_pool_get() - take displays out of the pool
 * @n: how many
 *
 * Return: true if there were @n left, which are now taken; false if not,
 * and then nothing is taken.
 */
bool mdpy_pool_get(unsigned int n)
{
	int avail = atomic_read(&mdpy_avail);

	do {
		if ((unsigned int)avail < n)
			return false;
	} while (!atomic_try_cmpxchg(&mdpy_avail, &avail, avail - n));
	return true;
}

/**
 * mdpy_pool_put() - give displays back
 * @n: how many, all taken by mdpy_pool_get()
 */
void mdpy_pool_put(unsigned int n)
{
	atomic_add(n, &mdpy_avail);
}

static int mdpy_max_instances_set(const char *val,
				  const struct kernel_param *kp)
{
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 0, &n);
	if (ret)
		return ret;
	if (n < 1 || n > MDPY_MAX_INSTANCES)
		return -ERANGE;
	*(unsigned int *)kp->arg = n;
	return 0;
}

static const struct kernel_param_ops mdpy_max_instances_ops = {
	.set = mdpy_max_instances_set,
	.get = param_get_uint,
};

/* Read-only once loaded: the pool is sized at module init. */
module_param_cb(max_instances, &mdpy_max_instances_ops,
		&mdpy_max_instances, 0444);
MODULE_PARM_DESC(max_instances,
		 "displays that may exist at once, of all types together (1-16, default 4)");

/* ---- mdev driver ---- */

/**
 * mdpy_probe() - an mdev of one of our types was created
 * @mdev: the new mdev
 *
 * Called by the driver core, with the mdev's device lock held, when the
 * mdev core adds an mdev after a write to a type's sysfs "create" file.
 * mdpy_init_dev() takes the display from the pool, and fails the create
 * with EUSERS when none is left.
 *
 * Return: 0, or a negative errno from allocation or registration.
 */
static int mdpy_probe(struct mdev_device *mdev)
{
	struct mdpy_dev *mdpy;
	int ret;

	mdpy = vfio_alloc_device(mdpy_dev, vdev, &mdev->dev, &mdpy_vfio_ops);
	if (IS_ERR(mdpy))
		return PTR_ERR(mdpy);

	/*
	 * A set of its own, which is what the core would make anyway; asked
	 * for here so that its allocation failing fails the probe. The
	 * core's fallback ignores that error and registers a device with
	 * no set (a NULL dev_set at the first open, found with fail_nth).
	 */
	ret = vfio_assign_device_set(&mdpy->vdev, &mdpy->vdev);
	if (ret)
		goto out_put_vdev;

	ret = vfio_register_emulated_iommu_dev(&mdpy->vdev);
	if (ret)
		goto out_put_vdev;

	dev_set_drvdata(&mdev->dev, mdpy);
	mdpy_debugfs_add(mdpy);
	return 0;

out_put_vdev:
	vfio_put_device(&mdpy->vdev);
	return ret;
}

/**
 * mdpy_remove() - an mdev is being removed
 * @mdev: the mdev
 *
 * Called by the driver core, with the mdev's device lock held, from a
 * write to the device's sysfs "remove" file, or for every device when
 * the parent unregisters at module unload.
 *
 * Remove while in use: vfio_unregister_group_dev() stops new opens, asks
 * the user to let go through the request op, then waits until every file
 * of the device is closed. A mapping of BAR0 holds its file, so the wait
 * lasts until the user has also unmapped. Until then the mapping stays
 * valid and keeps working: the framebuffer is freed only in
 * mdpy_release_dev(), after the last file is gone. No mapping ever points
 * at freed memory and no user sees SIGBUS. The test hooks' directory goes
 * after the wait, which the selftests watch through it.
 */
static void mdpy_remove(struct mdev_device *mdev)
{
	struct mdpy_dev *mdpy = dev_get_drvdata(&mdev->dev);

	mdpy_hook_removing(mdpy);
	vfio_unregister_group_dev(&mdpy->vdev);
	mdpy_debugfs_remove(mdpy);
	vfio_put_device(&mdpy->vdev);
}

/**
 * mdpy_get_available() - how many more devices of a type fit
 * @mtype: the type
 *
 * Called by the mdev core when a type's available_instances is read. A
 * snapshot: a concurrent create may take the last display.
 *
 * Return: the displays left in the pool; every type takes one.
 */
static unsigned int mdpy_get_available(struct mdev_type *mtype)
{
	return atomic_read(&mdpy_avail);
}

static ssize_t mdpy_show_description(struct mdev_type *mtype, char *buf)
{
	struct mdpy_type *type = container_of(mtype, struct mdpy_type, type);

	return sysfs_emit(buf, "virtual display, %ux%u XRGB8888, %u KiB framebuffer\n",
			  type->mode.width, type->mode.height,
			  mdpy_mode_fb_size(&type->mode) / 1024);
}

static struct mdev_driver mdpy_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = MDPY_NAME,
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
	},
	.probe = mdpy_probe,
	.remove = mdpy_remove,
	.get_available = mdpy_get_available,
	.show_description = mdpy_show_description,
};

/* ---- module ---- */

/*
 * The parent of every mdpy mdev: /sys/class/mdpy/mdpy. The class is not
 * decoration: the mdev core names each type "<parent's driver, bus or
 * class name>-<sysfs_name>", so a parent with none of them would offer
 * types called "-vga".
 */
static struct class mdpy_class = {
	.name = MDPY_NAME,
};

static struct device mdpy_parent_dev;
static struct mdev_parent mdpy_parent;

static void mdpy_parent_release(struct device *dev)
{
	/* Static: nothing to free. */
}

static int mdpy_parent_dev_add(void)
{
	int ret;

	device_initialize(&mdpy_parent_dev);
	mdpy_parent_dev.class = &mdpy_class;
	mdpy_parent_dev.release = mdpy_parent_release;
	ret = dev_set_name(&mdpy_parent_dev, MDPY_NAME);
	if (!ret)
		ret = device_add(&mdpy_parent_dev);
	if (ret)
		put_device(&mdpy_parent_dev);
	return ret;
}

static int __init mdpy_init(void)
{
	int ret;

	atomic_set(&mdpy_avail, mdpy_max_instances);
	mdpy_debugfs_init();

	ret = mdev_register_driver(&mdpy_driver);
	if (ret)
		goto out_debugfs_exit;
	ret = class_register(&mdpy_class);
	if (ret)
		goto out_unregister_driver;
	ret = mdpy_parent_dev_add();
	if (ret)
		goto out_unregister_class;
	ret = mdev_register_parent(&mdpy_parent, &mdpy_parent_dev, &mdpy_driver,
				   mdpy_mdev_types, ARRAY_SIZE(mdpy_mdev_types));
	if (ret)
		goto out_unregister_parent_dev;
	return 0;

out_unregister_parent_dev:
	device_unregister(&mdpy_parent_dev);
out_unregister_class:
	class_unregister(&mdpy_class);
out_unregister_driver:
	mdev_unregister_driver(&mdpy_driver);
out_debugfs_exit:
	mdpy_debugfs_exit();
	return ret;
}

static void __exit mdpy_exit(void)
{
	mdev_unregister_parent(&mdpy_parent);
	device_unregister(&mdpy_parent_dev);
	class_unregister(&mdpy_class);
	mdev_unregister_driver(&mdpy_driver);
	mdpy_debugfs_exit();
}

module_init(mdpy_init);
module_exit(mdpy_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Virtual PCI display mdev parent");
