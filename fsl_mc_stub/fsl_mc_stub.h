/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated fsl-mc bus: containers (DPRC) holding objects, containers
 * nesting inside containers, a portal per object and a container-wide
 * interrupt pool.  This is the "hardware" side; it knows nothing of VFIO.
 * The VFIO driver (vfio_fsl_mc_stub) binds to the objects through
 * struct fsl_mc_stub_driver.
 */
#ifndef FSL_MC_STUB_H
#define FSL_MC_STUB_H

#include <linux/device.h>
#include <linux/list.h>
#include <linux/spinlock.h>

#include "fsl_mc_stub_defs.h"

struct fsl_mc_stub_obj;

/**
 * struct fsl_mc_stub_type - what an object type looks like
 * @name: the TYPE part of an object name
 * @irq_count: device interrupts of an object of this type
 * @is_container: objects of this type hold other objects (DPRC)
 */
struct fsl_mc_stub_type {
	const char *name;
	unsigned int irq_count;
	bool is_container;
};

/**
 * typedef fsl_mc_stub_irq_handler_t - called when an interrupt is raised
 * @arg: what was passed to fsl_mc_stub_irq_request()
 *
 * Runs in the context of whoever raised the interrupt, with the object's
 * irq_lock (a spinlock) held: it must not sleep.
 */
typedef void (*fsl_mc_stub_irq_handler_t)(void *arg);

/**
 * struct fsl_mc_stub_irq - one interrupt of a container's pool
 * @hwirq: its number inside the pool
 * @owner: the object it is allocated to, NULL while free; written by the
 *	pool calls, which the pool user serialises (see fsl_mc_stub_irq_pool.c)
 * @handler: set by fsl_mc_stub_irq_request(), protected by @owner's irq_lock
 * @arg: argument of @handler, protected by @owner's irq_lock
 */
struct fsl_mc_stub_irq {
	unsigned int hwirq;
	struct fsl_mc_stub_obj *owner;
	fsl_mc_stub_irq_handler_t handler;
	void *arg;
};

/**
 * struct fsl_mc_stub_irq_pool - the interrupts of one container
 * @cont: the container that owns the pool
 * @size: number of interrupts in @irqs
 * @nr_free: interrupts without an owner (READ_ONCE() outside the pool calls)
 * @irqs: the interrupts
 *
 * Like every pool call, changes are serialised by the pool's user.
 */
struct fsl_mc_stub_irq_pool {
	struct fsl_mc_stub_obj *cont;
	unsigned int size;
	unsigned int nr_free;
	struct fsl_mc_stub_irq irqs[];
};

/**
 * enum fsl_mc_stub_obj_state - where an object is in its life
 * @FSL_MC_STUB_OBJ_ADDING: its name is taken, device_add() is running
 * @FSL_MC_STUB_OBJ_LIVE: on the bus; may be destroyed, may hold children
 * @FSL_MC_STUB_OBJ_DYING: destroy has started
 */
enum fsl_mc_stub_obj_state {
	FSL_MC_STUB_OBJ_ADDING,
	FSL_MC_STUB_OBJ_LIVE,
	FSL_MC_STUB_OBJ_DYING,
};

/**
 * struct fsl_mc_stub_obj - an object on the emulated bus
 * @dev: the device; a child's parent is its container
 * @type: the object type
 * @id: the ID in the name, also in the portal's ID register
 * @portal: the page behind the MMIO portal
 * @node: in the list of all objects, under the topology lock
 * @nr_children: objects inside this container, being added included,
 *	under the topology lock
 * @state: under the topology lock
 * @irq_lock: protects @irqs and the handlers of the interrupts in it, so
 *	that raising an interrupt never races with its allocation or release
 * @irqs: the interrupts drawn from the pool, NULL entries while none
 * @irq_pool: containers only: the pool that this container and its direct
 *	children draw from, NULL while not populated.  Serialised by the pool
 *	user (the VFIO driver holds the device set lock).
 */
struct fsl_mc_stub_obj {
	struct device dev;
	const struct fsl_mc_stub_type *type;
	unsigned int id;
	struct page *portal;
	struct list_head node;
	unsigned int nr_children;
	enum fsl_mc_stub_obj_state state;
	spinlock_t irq_lock; /* see @irq_lock above */
	struct fsl_mc_stub_irq *irqs[FSL_MC_STUB_MAX_IRQS];
	struct fsl_mc_stub_irq_pool *irq_pool;
};

static inline struct fsl_mc_stub_obj *to_fsl_mc_stub_obj(struct device *dev)
{
	return container_of(dev, struct fsl_mc_stub_obj, dev);
}

static inline bool fsl_mc_stub_is_container(struct fsl_mc_stub_obj *obj)
{
	return obj->type->is_container;
}

/**
 * fsl_mc_stub_cont() - the container an object's interrupts come from
 * @obj: any object
 *
 * A container is its own; anything else uses its parent's.  This is also
 * the key of the object's VFIO device set, as on vfio-fsl-mc.
 * Return: the container.
 */
static inline struct fsl_mc_stub_obj *fsl_mc_stub_cont(struct fsl_mc_stub_obj *obj)
{
	if (fsl_mc_stub_is_container(obj))
		return obj;
	return to_fsl_mc_stub_obj(obj->dev.parent);
}

/**
 * struct fsl_mc_stub_driver - a driver for objects on the bus
 * @driver: the driver core's part
 * @probe: bind to an object
 * @remove: unbind; the reverse of @probe
 */
struct fsl_mc_stub_driver {
	struct device_driver driver;
	int (*probe)(struct fsl_mc_stub_obj *obj);
	void (*remove)(struct fsl_mc_stub_obj *obj);
};

int fsl_mc_stub_driver_register(struct fsl_mc_stub_driver *drv,
				struct module *owner);
void fsl_mc_stub_driver_unregister(struct fsl_mc_stub_driver *drv);

/* fsl_mc_stub_portal.c: the portal register file */
void fsl_mc_stub_portal_reset(struct fsl_mc_stub_obj *obj);
int fsl_mc_stub_portal_read(struct fsl_mc_stub_obj *obj, void *buf,
			    size_t count, loff_t off);
int fsl_mc_stub_portal_write(struct fsl_mc_stub_obj *obj, const void *buf,
			     size_t count, loff_t off);

/* fsl_mc_stub_irq_pool.c: the container-wide interrupt pool */
int fsl_mc_stub_irq_pool_populate(struct fsl_mc_stub_obj *cont);
void fsl_mc_stub_irq_pool_cleanup(struct fsl_mc_stub_obj *cont);
int fsl_mc_stub_irqs_allocate(struct fsl_mc_stub_obj *obj);
void fsl_mc_stub_irqs_free(struct fsl_mc_stub_obj *obj);
int fsl_mc_stub_irq_request(struct fsl_mc_stub_obj *obj, unsigned int index,
			    fsl_mc_stub_irq_handler_t handler, void *arg);
void fsl_mc_stub_irq_release(struct fsl_mc_stub_obj *obj, unsigned int index);
int fsl_mc_stub_irq_raise(struct fsl_mc_stub_obj *obj, unsigned int index);

/* ---- Test hooks: fsl_mc_stub_debugfs.c, built only with VFIO_SUITE_TEST_HOOKS=y ---- */
#ifdef VFIO_SUITE_TEST_HOOKS
struct dentry;
struct seq_file;

void fsl_mc_stub_debugfs_init(void);
void fsl_mc_stub_debugfs_exit(void);
int fsl_mc_stub_hook_pool_created(struct fsl_mc_stub_irq_pool *pool);
void fsl_mc_stub_hook_pool_freed(struct fsl_mc_stub_irq_pool *pool);
/* for the VFIO driver's hooks */
struct dentry *fsl_mc_stub_debugfs_root(void);
void fsl_mc_stub_debugfs_show_irqs(struct seq_file *s,
				   struct fsl_mc_stub_obj *obj);
#else
static inline void fsl_mc_stub_debugfs_init(void) {}
static inline void fsl_mc_stub_debugfs_exit(void) {}
static inline int fsl_mc_stub_hook_pool_created(struct fsl_mc_stub_irq_pool *pool)
{
	return 0;
}

static inline void fsl_mc_stub_hook_pool_freed(struct fsl_mc_stub_irq_pool *pool) {}
#endif

#endif /* FSL_MC_STUB_H */
