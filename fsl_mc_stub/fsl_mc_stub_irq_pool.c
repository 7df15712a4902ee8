// SPDX-License-Identifier: GPL-2.0
/*
 * The container-wide interrupt pool of the emulated fsl-mc bus.
 *
 * On fsl-mc a container (DPRC) and every object in it share one GIC-ITS
 * device ID, so their MSIs come from one block that is allocated for the
 * container and then handed out to the objects.  This file emulates that
 * block: a pool of irq_pool_size interrupts per container, populated when
 * first needed and torn down when no longer used, and the calls an object's
 * driver uses to take interrupts from it, attach a handler and raise them.
 *
 * Locking.  The pool has no lock of its own.  Whoever uses a container's
 * pool must serialise every populate, cleanup, allocate and free call for
 * that container.  The VFIO driver uses the device set lock: the set holds
 * exactly the container and its children, which is who shares the pool, and
 * the VFIO core already holds that lock around open_device() and
 * close_device().  This is what the old vfio-fsl-mc "reflck" was for.
 *
 * Raising an interrupt is not serialised that way: it comes from a portal
 * doorbell or debugfs at any time.  So an object's irq_lock covers what the
 * raise path reads (its interrupts and their handlers), and is taken by the
 * calls that change them.
 */
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "fsl_mc_stub.h"

/* As on fsl-mc (FSL_MC_IRQ_POOL_MAX_TOTAL_IRQS). */
#define FSL_MC_STUB_IRQ_POOL_MAX	256

static unsigned int fsl_mc_stub_irq_pool_size = 16;

static int fsl_mc_stub_irq_pool_size_set(const char *val,
					 const struct kernel_param *kp)
{
	unsigned int size;
	int ret;

	ret = kstrtouint(val, 0, &size);
	if (ret)
		return ret;
	if (!size || size > FSL_MC_STUB_IRQ_POOL_MAX)
		return -EINVAL;
	return param_set_uint(val, kp);
}

static const struct kernel_param_ops fsl_mc_stub_irq_pool_size_ops = {
	.set = fsl_mc_stub_irq_pool_size_set,
	.get = param_get_uint,
};

module_param_cb(irq_pool_size, &fsl_mc_stub_irq_pool_size_ops,
		&fsl_mc_stub_irq_pool_size, 0644);
MODULE_PARM_DESC(irq_pool_size,
		 "interrupts in a container's pool, 1-256 (default 16); applies to pools populated later");

/* ---- the pool ---------------------------------------------------------- */

/**
 * fsl_mc_stub_irq_pool_populate() - give a container its pool
 * @cont: the container
 *
 * Does nothing if the pool exists.  The size is irq_pool_size at this time.
 * Context: the caller serialises pool calls for @cont (device set lock).
 * Return: 0 or -ENOMEM.
 */
int fsl_mc_stub_irq_pool_populate(struct fsl_mc_stub_obj *cont)
{
	unsigned int size = READ_ONCE(fsl_mc_stub_irq_pool_size);
	struct fsl_mc_stub_irq_pool *pool;
	unsigned int i;
	int ret;

	if (cont->irq_pool)
		return 0;

	pool = kzalloc(struct_size(pool, irqs, size), GFP_KERNEL);
	if (!pool)
		return -ENOMEM;
	pool->cont = cont;
	pool->size = size;
	pool->nr_free = size;
	for (i = 0; i < size; i++)
		pool->irqs[i].hwirq = i;

	ret = fsl_mc_stub_hook_pool_created(pool);
	if (ret) {
		kfree(pool);
		return ret;
	}
	cont->irq_pool = pool;
	return 0;
}
EXPORT_SYMBOL_GPL(fsl_mc_stub_irq_pool_populate);

/**
 * fsl_mc_stub_irq_pool_cleanup() - free a container's pool
 * @cont: the container
 *
 * Does nothing if there is no pool.  Every interrupt must have been freed:
 * freeing a pool that an object still draws from would be a driver bug, so
 * it warns and keeps the pool.
 * Context: the caller serialises pool calls for @cont (device set lock).
 */
void fsl_mc_stub_irq_pool_cleanup(struct fsl_mc_stub_obj *cont)
{
	struct fsl_mc_stub_irq_pool *pool = cont->irq_pool;

	if (!pool)
		return;
	if (WARN_ON_ONCE(pool->nr_free != pool->size))
		return;

	fsl_mc_stub_hook_pool_freed(pool);
	cont->irq_pool = NULL;
	kfree(pool);
}
EXPORT_SYMBOL_GPL(fsl_mc_stub_irq_pool_cleanup);

/* ---- an object's interrupts -------------------------------------------- */

/**
 * fsl_mc_stub_irqs_allocate() - draw an object's interrupts from the pool
 * @obj: the object; its container's pool must be populated
 *
 * Takes all of the object's interrupts at once, as fsl-mc does.  Does
 * nothing if it has them already or has none.
 * Context: the caller serialises pool calls for the container (set lock).
 * Return: 0, -ENXIO if the pool is not populated, -ENOSPC if it is short.
 */
int fsl_mc_stub_irqs_allocate(struct fsl_mc_stub_obj *obj)
{
	struct fsl_mc_stub_irq_pool *pool = fsl_mc_stub_cont(obj)->irq_pool;
	struct fsl_mc_stub_irq *taken[FSL_MC_STUB_MAX_IRQS] = {};
	unsigned int n = obj->type->irq_count;
	unsigned int i, j = 0;

	if (!n || obj->irqs[0])
		return 0;
	if (!pool)
		return -ENXIO;
	if (pool->nr_free < n)
		return -ENOSPC;

	for (i = 0; i < pool->size && j < n; i++) {
		if (pool->irqs[i].owner)
			continue;
		pool->irqs[i].owner = obj;
		taken[j++] = &pool->irqs[i];
	}
	WRITE_ONCE(pool->nr_free, pool->nr_free - n);

	spin_lock(&obj->irq_lock);
	memcpy(obj->irqs, taken, sizeof(taken));
	spin_unlock(&obj->irq_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(fsl_mc_stub_irqs_allocate);

/**
 * fsl_mc_stub_irqs_free() - return an object's interrupts to the pool
 * @obj: the object
 *
 * Detaches any handler left attached.  Does nothing if it holds none.
 * Context: the caller serialises pool calls for the container (set lock).
 */
void fsl_mc_stub_irqs_free(struct fsl_mc_stub_obj *obj)
{
	struct fsl_mc_stub_irq_pool *pool = fsl_mc_stub_cont(obj)->irq_pool;
	struct fsl_mc_stub_irq *taken[FSL_MC_STUB_MAX_IRQS];
	unsigned int i, n = 0;

	/* Unpublish first: once irq_lock is dropped no raise can see them. */
	spin_lock(&obj->irq_lock);
	memcpy(taken, obj->irqs, sizeof(taken));
	memset(obj->irqs, 0, sizeof(obj->irqs));
	spin_unlock(&obj->irq_lock);

	for (i = 0; i < FSL_MC_STUB_MAX_IRQS; i++) {
		if (!taken[i])
			continue;
		taken[i]->handler = NULL;
		taken[i]->arg = NULL;
		taken[i]->owner = NULL;
		n++;
	}
	if (n)
		WRITE_ONCE(pool->nr_free, pool->nr_free + n);
}
EXPORT_SYMBOL_GPL(fsl_mc_stub_irqs_free);

/**
 * fsl_mc_stub_irq_request() - attach a handler to one of an object's IRQs
 * @obj: the object
 * @index: which of its interrupts
 * @handler: called when the interrupt is raised, under @obj's irq_lock
 * @arg: argument of @handler
 *
 * Return: 0, -EINVAL for a bad index, -ENXIO if the interrupts are not
 * allocated, -EBUSY if a handler is attached.
 */
int fsl_mc_stub_irq_request(struct fsl_mc_stub_obj *obj, unsigned int index,
			    fsl_mc_stub_irq_handler_t handler, void *arg)
{
	struct fsl_mc_stub_irq *irq;
	int ret = 0;

	if (index >= obj->type->irq_count)
		return -EINVAL;

	spin_lock(&obj->irq_lock);
	irq = obj->irqs[index];
	if (!irq) {
		ret = -ENXIO;
	} else if (irq->handler) {
		ret = -EBUSY;
	} else {
		irq->handler = handler;
		irq->arg = arg;
	}
	spin_unlock(&obj->irq_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(fsl_mc_stub_irq_request);

/**
 * fsl_mc_stub_irq_release() - detach the handler of one of an object's IRQs
 * @obj: the object
 * @index: which of its interrupts
 *
 * Once this returns the handler is not running and will not be called, so
 * the caller may free what its argument points to (like free_irq()).
 */
void fsl_mc_stub_irq_release(struct fsl_mc_stub_obj *obj, unsigned int index)
{
	struct fsl_mc_stub_irq *irq;

	if (index >= obj->type->irq_count)
		return;

	spin_lock(&obj->irq_lock);
	irq = obj->irqs[index];
	if (irq) {
		irq->handler = NULL;
		irq->arg = NULL;
	}
	spin_unlock(&obj->irq_lock);
}
EXPORT_SYMBOL_GPL(fsl_mc_stub_irq_release);

/**
 * fsl_mc_stub_irq_raise() - raise one of an object's interrupts
 * @obj: the object
 * @index: which of its interrupts
 *
 * Calls the handler if the interrupt is allocated and has one; otherwise
 * the interrupt is lost, as on hardware with the MSI unconfigured.
 * Context: process context; the handler runs under @obj's irq_lock.
 * Return: 0 or -EINVAL for a bad index.
 */
int fsl_mc_stub_irq_raise(struct fsl_mc_stub_obj *obj, unsigned int index)
{
	struct fsl_mc_stub_irq *irq;

	if (index >= obj->type->irq_count)
		return -EINVAL;

	spin_lock(&obj->irq_lock);
	irq = obj->irqs[index];
	if (irq && irq->handler)
		irq->handler(irq->arg);
	spin_unlock(&obj->irq_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(fsl_mc_stub_irq_raise);
