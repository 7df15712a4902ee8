// SPDX-License-Identifier: GPL-2.0
/*
 * The test hooks of the emulated bus, built only with
 * VFIO_SUITE_TEST_HOOKS=y: the debugfs directory /sys/kernel/debug/fsl_mc_stub/
 * (which the VFIO driver's hooks fill too, so that tests find everything in
 * one place) and its file "irq_pools":
 *
 *   live N
 *   created N
 *   CONTAINER serial S size N free F	(one line per pool)
 *
 * The serial number tells a pool from the one populated after it.  The
 * pool code calls fsl_mc_stub_hook_pool_created() and _freed(); the VFIO
 * driver's hooks print an object's interrupts with
 * fsl_mc_stub_debugfs_show_irqs().
 */
#include <linux/debugfs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "fsl_mc_stub.h"

/**
 * struct fsl_mc_stub_pool_rec - what the hooks know of one live pool
 * @pool: the pool
 * @serial: its number, counting every pool ever populated
 * @node: in fsl_mc_stub_pool_recs
 */
struct fsl_mc_stub_pool_rec {
	struct fsl_mc_stub_irq_pool *pool;
	unsigned int serial;
	struct list_head node;
};

/* Protects the records and the counters. */
static DEFINE_MUTEX(fsl_mc_stub_pool_recs_lock);
static LIST_HEAD(fsl_mc_stub_pool_recs);
static unsigned int fsl_mc_stub_pools_live;
static unsigned int fsl_mc_stub_pools_created;

static struct dentry *fsl_mc_stub_debugfs;

static struct fsl_mc_stub_pool_rec *
fsl_mc_stub_pool_rec_find_locked(struct fsl_mc_stub_irq_pool *pool)
{
	struct fsl_mc_stub_pool_rec *rec;

	lockdep_assert_held(&fsl_mc_stub_pool_recs_lock);
	list_for_each_entry(rec, &fsl_mc_stub_pool_recs, node) {
		if (rec->pool == pool)
			return rec;
	}
	return NULL;
}

/**
 * fsl_mc_stub_hook_pool_created() - a container's pool was populated
 * @pool: the new pool, not yet visible to anyone else
 *
 * Context: the pool's user serialises the pool calls.
 * Return: 0 or -ENOMEM; the pool is then not populated.
 */
int fsl_mc_stub_hook_pool_created(struct fsl_mc_stub_irq_pool *pool)
{
	struct fsl_mc_stub_pool_rec *rec;

	rec = kzalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	rec->pool = pool;

	mutex_lock(&fsl_mc_stub_pool_recs_lock);
	rec->serial = ++fsl_mc_stub_pools_created;
	fsl_mc_stub_pools_live++;
	list_add_tail(&rec->node, &fsl_mc_stub_pool_recs);
	mutex_unlock(&fsl_mc_stub_pool_recs_lock);
	return 0;
}

/**
 * fsl_mc_stub_hook_pool_freed() - a container's pool is about to be freed
 * @pool: the pool
 *
 * Context: the pool's user serialises the pool calls.
 */
void fsl_mc_stub_hook_pool_freed(struct fsl_mc_stub_irq_pool *pool)
{
	struct fsl_mc_stub_pool_rec *rec;

	mutex_lock(&fsl_mc_stub_pool_recs_lock);
	rec = fsl_mc_stub_pool_rec_find_locked(pool);
	if (rec) {
		list_del(&rec->node);
		fsl_mc_stub_pools_live--;
	}
	mutex_unlock(&fsl_mc_stub_pool_recs_lock);
	kfree(rec);
}

/**
 * fsl_mc_stub_debugfs_show_irqs() - print which interrupts an object holds
 * @s: the debugfs file
 * @obj: the object
 *
 * Prints "none", or "pool SERIAL hwirq N..." and a newline.  While the
 * object holds interrupts (read under its irq_lock) its container's pool
 * cannot be freed, so the pool pointer read there is the live pool's.
 */
void fsl_mc_stub_debugfs_show_irqs(struct seq_file *s,
				   struct fsl_mc_stub_obj *obj)
{
	struct fsl_mc_stub_irq_pool *pool = NULL;
	struct fsl_mc_stub_irq *irqs[FSL_MC_STUB_MAX_IRQS];
	struct fsl_mc_stub_pool_rec *rec;
	unsigned int i;

	mutex_lock(&fsl_mc_stub_pool_recs_lock);
	spin_lock(&obj->irq_lock);
	memcpy(irqs, obj->irqs, sizeof(irqs));
	if (irqs[0])
		pool = READ_ONCE(fsl_mc_stub_cont(obj)->irq_pool);
	spin_unlock(&obj->irq_lock);

	rec = pool ? fsl_mc_stub_pool_rec_find_locked(pool) : NULL;
	if (!rec) {
		seq_puts(s, "none\n");
	} else {
		seq_printf(s, "pool %u hwirq", rec->serial);
		for (i = 0; i < FSL_MC_STUB_MAX_IRQS && irqs[i]; i++)
			seq_printf(s, " %u", irqs[i]->hwirq);
		seq_putc(s, '\n');
	}
	mutex_unlock(&fsl_mc_stub_pool_recs_lock);
}
EXPORT_SYMBOL_GPL(fsl_mc_stub_debugfs_show_irqs);

static int fsl_mc_stub_irq_pools_show(struct seq_file *s, void *unused)
{
	struct fsl_mc_stub_pool_rec *rec;

	mutex_lock(&fsl_mc_stub_pool_recs_lock);
	seq_printf(s, "live %u\ncreated %u\n", fsl_mc_stub_pools_live,
		   fsl_mc_stub_pools_created);
	list_for_each_entry(rec, &fsl_mc_stub_pool_recs, node)
		seq_printf(s, "%s serial %u size %u free %u\n",
			   dev_name(&rec->pool->cont->dev), rec->serial,
			   rec->pool->size, READ_ONCE(rec->pool->nr_free));
	mutex_unlock(&fsl_mc_stub_pool_recs_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fsl_mc_stub_irq_pools);

/**
 * fsl_mc_stub_debugfs_root() - the debugfs directory of fsl_mc_stub
 *
 * Return: the directory, for the VFIO driver's hooks; valid while this
 * module is loaded.
 */
struct dentry *fsl_mc_stub_debugfs_root(void)
{
	return fsl_mc_stub_debugfs;
}
EXPORT_SYMBOL_GPL(fsl_mc_stub_debugfs_root);

/**
 * fsl_mc_stub_debugfs_init() - create the directory and "irq_pools"
 *
 * Called at module load, before any object exists.
 */
void fsl_mc_stub_debugfs_init(void)
{
	fsl_mc_stub_debugfs = debugfs_create_dir(FSL_MC_STUB_BUS_NAME, NULL);
	debugfs_create_file("irq_pools", 0444, fsl_mc_stub_debugfs, NULL,
			    &fsl_mc_stub_irq_pools_fops);
}

/**
 * fsl_mc_stub_debugfs_exit() - remove the directory
 *
 * Called at module unload, once every object and so every pool is gone.
 */
void fsl_mc_stub_debugfs_exit(void)
{
	debugfs_remove_recursive(fsl_mc_stub_debugfs);
}
