// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated fsl-mc bus: its bus_type, its objects, and the sysfs files
 * that create and destroy objects at runtime.
 *
 * On NXP's fsl-mc bus the Management Complex firmware exposes containers
 * (DPRC objects) that hold other objects (network interfaces, I/O portals,
 * buffer pools, ...) and other containers.  Here the root container
 * "dprc.1" exists from module load, and userspace shapes the rest:
 *
 *   echo "dprc.1 dprc.2" > /sys/devices/fsl_mc_stub/create
 *   echo "dprc.2 dpni.3" > /sys/devices/fsl_mc_stub/create
 *   echo dpni.3 > /sys/devices/fsl_mc_stub/destroy
 *
 * create takes "PARENT NAME".  It fails with EINVAL for a malformed line or
 * name, ENODEV if the parent does not exist, ENOTDIR if the parent is not a
 * container, and EEXIST if the name is taken.  destroy takes "NAME"; it
 * fails with ENODEV if there is no such object (or it is still being
 * created, or already being destroyed), EPERM for the root and EBUSY for a
 * container that still holds objects.  destroy unbinds the driver first, so
 * it returns only once the object's users have let it go.
 *
 * An object's device is a child of its container's device, so the sysfs
 * tree mirrors the containment, and every object on the bus binds to the
 * one driver that registers (there is no match callback).  Objects are
 * created, and their driver probed, concurrently: writers of create only
 * share the topology lock while they reserve a name.
 */
#include <linux/gfp.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "fsl_mc_stub_compat.h"
#include "fsl_mc_stub.h"

static const struct fsl_mc_stub_type fsl_mc_stub_types[] = {
	{ .name = "dprc",  .irq_count = 1, .is_container = true },
	{ .name = "dpni",  .irq_count = 2 },
	{ .name = "dpio",  .irq_count = 1 },
	{ .name = "dpmcp", .irq_count = 1 },
	{ .name = "dpbp",  .irq_count = 0 },
	{ .name = "dpcon", .irq_count = 1 },
};

/*
 * Protects the topology: fsl_mc_stub_objs, and each object's nr_children
 * and state.  Never held across device_add() or device_unregister(), which
 * probe and remove the driver: those may take long (removal waits for
 * userspace), and objects are created and bound concurrently.  An object
 * being added counts as a child of its container, so the container stays.
 */
static DEFINE_MUTEX(fsl_mc_stub_topology_lock);
/* Every object, parents before children; under the topology lock. */
static LIST_HEAD(fsl_mc_stub_objs);

/* /sys/devices/fsl_mc_stub: parent of the root container, holds the files */
static struct device *fsl_mc_stub_root_dev;
static struct fsl_mc_stub_obj *fsl_mc_stub_root_cont;

/* ---- the bus ------------------------------------------------------------ */

static struct fsl_mc_stub_driver *to_fsl_mc_stub_driver(struct device_driver *drv)
{
	return container_of(drv, struct fsl_mc_stub_driver, driver);
}

static int fsl_mc_stub_bus_probe(struct device *dev)
{
	return to_fsl_mc_stub_driver(dev->driver)->probe(to_fsl_mc_stub_obj(dev));
}

static void fsl_mc_stub_bus_remove(struct device *dev)
{
	to_fsl_mc_stub_driver(dev->driver)->remove(to_fsl_mc_stub_obj(dev));
}

static FSL_MC_STUB_COMPAT_BUS_TYPE fsl_mc_stub_bus_type = {
	.name	= FSL_MC_STUB_BUS_NAME,
	.probe	= fsl_mc_stub_bus_probe,
	.remove	= fsl_mc_stub_bus_remove,
};

/**
 * fsl_mc_stub_driver_register() - register a driver for objects on the bus
 * @drv: the driver, with probe and remove set
 * @owner: the module that holds @drv
 *
 * Return: 0 or a negative errno from driver_register().
 */
int fsl_mc_stub_driver_register(struct fsl_mc_stub_driver *drv,
				struct module *owner)
{
	drv->driver.bus = &fsl_mc_stub_bus_type;
	drv->driver.owner = owner;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL_GPL(fsl_mc_stub_driver_register);

/**
 * fsl_mc_stub_driver_unregister() - the reverse of registering
 * @drv: the driver
 */
void fsl_mc_stub_driver_unregister(struct fsl_mc_stub_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL_GPL(fsl_mc_stub_driver_unregister);

/* ---- objects ------------------------------------------------------------ */

static void fsl_mc_stub_obj_release(struct device *dev)
{
	struct fsl_mc_stub_obj *obj = to_fsl_mc_stub_obj(dev);

	/* The pool goes at the last close; one left over is a driver bug. */
	WARN_ON_ONCE(obj->irq_pool);
	__free_page(obj->portal);
	kfree(obj);
}

/*
 * Parse "TYPE.ID".  Printing the result back and comparing rejects
 * what kstrtouint() would accept but fsl-mc never names ("dpni.07").
 */
static int fsl_mc_stub_parse_name(const char *name,
				  const struct fsl_mc_stub_type **type,
				  unsigned int *id)
{
	char canon[FSL_MC_STUB_NAME_MAX];
	const char *dot = strchr(name, '.');
	unsigned int i;

	if (!dot)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(fsl_mc_stub_types); i++) {
		if (strlen(fsl_mc_stub_types[i].name) == dot - name &&
		    !strncmp(fsl_mc_stub_types[i].name, name, dot - name))
			break;
	}
	if (i == ARRAY_SIZE(fsl_mc_stub_types))
		return -EINVAL;
	if (kstrtouint(dot + 1, 10, id) || !*id || *id > FSL_MC_STUB_ID_MAX)
		return -EINVAL;
	snprintf(canon, sizeof(canon), "%s.%u", fsl_mc_stub_types[i].name, *id);
	if (strcmp(canon, name))
		return -EINVAL;
	*type = &fsl_mc_stub_types[i];
	return 0;
}

static struct fsl_mc_stub_obj *fsl_mc_stub_find_locked(const char *name)
{
	struct fsl_mc_stub_obj *obj;

	lockdep_assert_held(&fsl_mc_stub_topology_lock);
	list_for_each_entry(obj, &fsl_mc_stub_objs, node) {
		if (!strcmp(dev_name(&obj->dev), name))
			return obj;
	}
	return NULL;
}

/*
 * A new object under @parent (NULL: the root container), initialised but
 * not yet added.  From here on put_device() frees it.
 */
static struct fsl_mc_stub_obj *
fsl_mc_stub_obj_new(struct fsl_mc_stub_obj *parent,
		    const struct fsl_mc_stub_type *type, unsigned int id)
{
	struct fsl_mc_stub_obj *obj;
	int ret;

	obj = kzalloc(sizeof(*obj), GFP_KERNEL);
	if (!obj)
		return ERR_PTR(-ENOMEM);
	obj->portal = alloc_page(GFP_KERNEL);
	if (!obj->portal) {
		kfree(obj);
		return ERR_PTR(-ENOMEM);
	}
	obj->type = type;
	obj->id = id;
	obj->state = FSL_MC_STUB_OBJ_ADDING;
	spin_lock_init(&obj->irq_lock);
	fsl_mc_stub_portal_reset(obj);

	device_initialize(&obj->dev);
	obj->dev.bus = &fsl_mc_stub_bus_type;
	obj->dev.parent = parent ? &parent->dev : fsl_mc_stub_root_dev;
	obj->dev.release = fsl_mc_stub_obj_release;
	ret = dev_set_name(&obj->dev, "%s.%u", type->name, id);
	if (ret) {
		put_device(&obj->dev);
		return ERR_PTR(ret);
	}
	return obj;
}

/* Put a new object on the list, where its name is taken. */
static void fsl_mc_stub_obj_reserve_locked(struct fsl_mc_stub_obj *obj)
{
	lockdep_assert_held(&fsl_mc_stub_topology_lock);
	list_add_tail(&obj->node, &fsl_mc_stub_objs);
	if (obj->dev.parent != fsl_mc_stub_root_dev)
		to_fsl_mc_stub_obj(obj->dev.parent)->nr_children++;
}

static void fsl_mc_stub_obj_unreserve_locked(struct fsl_mc_stub_obj *obj)
{
	lockdep_assert_held(&fsl_mc_stub_topology_lock);
	list_del(&obj->node);
	if (obj->dev.parent != fsl_mc_stub_root_dev)
		to_fsl_mc_stub_obj(obj->dev.parent)->nr_children--;
}

/*
 * Add a reserved object to the bus, which binds the driver if one is
 * registered.  Called without the topology lock, so that objects are added
 * and probed concurrently.
 */
static int fsl_mc_stub_obj_add(struct fsl_mc_stub_obj *obj)
{
	int ret;

	ret = device_add(&obj->dev);

	mutex_lock(&fsl_mc_stub_topology_lock);
	if (ret)
		fsl_mc_stub_obj_unreserve_locked(obj);
	else
		obj->state = FSL_MC_STUB_OBJ_LIVE;
	mutex_unlock(&fsl_mc_stub_topology_lock);

	if (ret)
		put_device(&obj->dev);
	return ret;
}

static int fsl_mc_stub_create(const char *parent_name, const char *name)
{
	const struct fsl_mc_stub_type *type;
	struct fsl_mc_stub_obj *parent, *obj;
	unsigned int id;
	int ret;

	ret = fsl_mc_stub_parse_name(name, &type, &id);
	if (ret)
		return ret;

	mutex_lock(&fsl_mc_stub_topology_lock);
	parent = fsl_mc_stub_find_locked(parent_name);
	if (!parent || parent->state != FSL_MC_STUB_OBJ_LIVE) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (!fsl_mc_stub_is_container(parent)) {
		ret = -ENOTDIR;
		goto out_unlock;
	}
	if (fsl_mc_stub_find_locked(name)) {
		ret = -EEXIST;
		goto out_unlock;
	}
	obj = fsl_mc_stub_obj_new(parent, type, id);
	if (IS_ERR(obj)) {
		ret = PTR_ERR(obj);
		goto out_unlock;
	}
	fsl_mc_stub_obj_reserve_locked(obj);
	mutex_unlock(&fsl_mc_stub_topology_lock);

	return fsl_mc_stub_obj_add(obj);

out_unlock:
	mutex_unlock(&fsl_mc_stub_topology_lock);
	return ret;
}

static int fsl_mc_stub_destroy(const char *name)
{
	struct fsl_mc_stub_obj *obj;
	int ret = 0;

	mutex_lock(&fsl_mc_stub_topology_lock);
	obj = fsl_mc_stub_find_locked(name);
	if (!obj || obj->state != FSL_MC_STUB_OBJ_LIVE)
		ret = -ENODEV;
	else if (obj == fsl_mc_stub_root_cont)
		ret = -EPERM;
	else if (obj->nr_children)
		ret = -EBUSY;
	else
		obj->state = FSL_MC_STUB_OBJ_DYING;
	mutex_unlock(&fsl_mc_stub_topology_lock);
	if (ret)
		return ret;

	/*
	 * Unbinding waits until userspace closes the device, so do it
	 * without the topology lock.  Until the object is off the list its
	 * container keeps the count and cannot be destroyed.
	 */
	get_device(&obj->dev);
	device_unregister(&obj->dev);

	mutex_lock(&fsl_mc_stub_topology_lock);
	fsl_mc_stub_obj_unreserve_locked(obj);
	mutex_unlock(&fsl_mc_stub_topology_lock);
	put_device(&obj->dev);
	return 0;
}

/* ---- the create and destroy files --------------------------------------- */

/* Copy one sysfs line without its newline; EINVAL if it does not fit. */
static int fsl_mc_stub_copy_line(char *dst, size_t size, const char *buf,
				 size_t count)
{
	if (count && buf[count - 1] == '\n')
		count--;
	if (!count || count >= size || memchr(buf, '\0', count))
		return -EINVAL;
	memcpy(dst, buf, count);
	dst[count] = '\0';
	return 0;
}

static ssize_t create_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	char line[2 * FSL_MC_STUB_NAME_MAX];
	char *name;
	int ret;

	ret = fsl_mc_stub_copy_line(line, sizeof(line), buf, count);
	if (ret)
		return ret;
	name = strchr(line, ' ');
	if (!name)
		return -EINVAL;
	*name++ = '\0';
	ret = fsl_mc_stub_create(line, name);
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(create);

static ssize_t destroy_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	char name[FSL_MC_STUB_NAME_MAX];
	int ret;

	ret = fsl_mc_stub_copy_line(name, sizeof(name), buf, count);
	if (ret)
		return ret;
	ret = fsl_mc_stub_destroy(name);
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(destroy);

/* ---- module ------------------------------------------------------------- */

static void fsl_mc_stub_root_release(struct device *dev)
{
	kfree(dev);
}

static int fsl_mc_stub_root_add(void)
{
	struct device *dev;
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	device_initialize(dev);
	dev->release = fsl_mc_stub_root_release;
	ret = dev_set_name(dev, FSL_MC_STUB_BUS_NAME);
	if (ret)
		goto out_put_device;
	ret = device_add(dev);
	if (ret)
		goto out_put_device;
	fsl_mc_stub_root_dev = dev;
	return 0;

out_put_device:
	put_device(dev);
	return ret;
}

/* Destroy every object, children first; nothing else runs any more. */
static void fsl_mc_stub_objs_remove_all(void)
{
	struct fsl_mc_stub_obj *obj, *prev;

	list_for_each_entry_safe_reverse(obj, prev, &fsl_mc_stub_objs, node) {
		list_del(&obj->node);
		device_unregister(&obj->dev);
	}
}

/* The root container: dprc.1, which always exists. */
static int fsl_mc_stub_root_cont_add(void)
{
	struct fsl_mc_stub_obj *root;
	int ret;

	root = fsl_mc_stub_obj_new(NULL, &fsl_mc_stub_types[0], 1);
	if (IS_ERR(root))
		return PTR_ERR(root);
	mutex_lock(&fsl_mc_stub_topology_lock);
	fsl_mc_stub_obj_reserve_locked(root);
	mutex_unlock(&fsl_mc_stub_topology_lock);
	ret = fsl_mc_stub_obj_add(root);
	if (ret)
		return ret;
	fsl_mc_stub_root_cont = root;
	return 0;
}

static int __init fsl_mc_stub_init(void)
{
	int ret;

	ret = bus_register(&fsl_mc_stub_bus_type);
	if (ret)
		return ret;
	ret = fsl_mc_stub_root_add();
	if (ret)
		goto out_bus_unregister;
	fsl_mc_stub_debugfs_init();

	ret = fsl_mc_stub_root_cont_add();
	if (ret)
		goto out_root_unregister;
	ret = device_create_file(fsl_mc_stub_root_dev, &dev_attr_create);
	if (ret)
		goto out_objs_remove;
	ret = device_create_file(fsl_mc_stub_root_dev, &dev_attr_destroy);
	if (ret)
		goto out_remove_create;
	return 0;

out_remove_create:
	device_remove_file(fsl_mc_stub_root_dev, &dev_attr_create);
out_objs_remove:
	fsl_mc_stub_objs_remove_all();
out_root_unregister:
	fsl_mc_stub_debugfs_exit();
	device_unregister(fsl_mc_stub_root_dev);
out_bus_unregister:
	bus_unregister(&fsl_mc_stub_bus_type);
	return ret;
}

static void __exit fsl_mc_stub_exit(void)
{
	/* Removing the files waits for writers still in create or destroy. */
	device_remove_file(fsl_mc_stub_root_dev, &dev_attr_destroy);
	device_remove_file(fsl_mc_stub_root_dev, &dev_attr_create);
	fsl_mc_stub_objs_remove_all();
	fsl_mc_stub_debugfs_exit();
	device_unregister(fsl_mc_stub_root_dev);
	bus_unregister(&fsl_mc_stub_bus_type);
}

module_init(fsl_mc_stub_init);
module_exit(fsl_mc_stub_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Emulated fsl-mc bus: containers, objects and their interrupt pool");
