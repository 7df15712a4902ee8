// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs memory pool accounting, in MiB.
 *
 * The pool size is a load-time module parameter. Creating a device takes
 * its video memory out of the pool (mbochs_pool_reserve() from the VFIO
 * .init op) and releasing the device puts it back (.release op, or the
 * unwind of a failed .init). available_instances of each type is what is
 * left divided by the type's size.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/spinlock.h>

#include "mbochs_defs.h"
#include "mbochs_pool.h"

/* Larger than any machine we run on, small enough for u32 MiB sums. */
#define MBOCHS_POOL_MAX_MB	BIT(20)

static unsigned int mbochs_pool_mb = MBOCHS_POOL_DEFAULT_MB;

static int mbochs_pool_param_set(const char *val, const struct kernel_param *kp)
{
	unsigned int mb;
	int ret;

	ret = kstrtouint(val, 0, &mb);
	if (ret)
		return ret;
	if (mb > MBOCHS_POOL_MAX_MB)
		return -EINVAL;
	*(unsigned int *)kp->arg = mb;
	return 0;
}

static const struct kernel_param_ops mbochs_pool_param_ops = {
	.set = mbochs_pool_param_set,
	.get = param_get_uint,
};

/* Read only once loaded: shrinking a pool in use has no sane meaning. */
module_param_cb(pool_mb, &mbochs_pool_param_ops, &mbochs_pool_mb, 0444);
MODULE_PARM_DESC(pool_mb, "MiB of video memory all mbochs devices may reserve (default 256)");

/* Protects mbochs_pool_used: reserve checks and takes in one step. */
static DEFINE_SPINLOCK(mbochs_pool_lock);
static u32 mbochs_pool_used;

/**
 * mbochs_pool_init() - start with an empty pool of the configured size
 *
 * Called from module init, before any device can exist.
 */
void mbochs_pool_init(void)
{
	mbochs_pool_used = 0;
}

/**
 * mbochs_pool_reserve() - take @mbytes out of the pool
 * @mbytes: video memory of the device being created
 *
 * Return: 0, or -ENOSPC if less than @mbytes is left.
 */
int mbochs_pool_reserve(u32 mbytes)
{
	int ret = -ENOSPC;

	spin_lock(&mbochs_pool_lock);
	if (mbytes <= mbochs_pool_mb - mbochs_pool_used) {
		mbochs_pool_used += mbytes;
		ret = 0;
	}
	spin_unlock(&mbochs_pool_lock);
	return ret;
}

/**
 * mbochs_pool_release() - give back what mbochs_pool_reserve() took
 * @mbytes: the same amount that was reserved
 */
void mbochs_pool_release(u32 mbytes)
{
	spin_lock(&mbochs_pool_lock);
	if (!WARN_ON(mbytes > mbochs_pool_used))
		mbochs_pool_used -= mbytes;
	spin_unlock(&mbochs_pool_lock);
}

/* Return: the pool size in MiB. */
u32 mbochs_pool_total(void)
{
	return mbochs_pool_mb;
}

/* Return: MiB not reserved by any device; a snapshot. */
u32 mbochs_pool_avail(void)
{
	u32 avail;

	spin_lock(&mbochs_pool_lock);
	avail = mbochs_pool_mb - mbochs_pool_used;
	spin_unlock(&mbochs_pool_lock);
	return avail;
}
