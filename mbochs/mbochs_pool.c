// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs instance pool: MiB of video memory that all devices together
 * may hold. Creating a device takes its whole video memory out of the
 * pool (.init) and releasing it puts it back (.release, or the unwind of
 * a failed .init), although pages are only allocated when touched, so a
 * guest never fails to get memory it was promised. A type's
 * available_instances is what is left divided by the type's size.
 */
#include <linux/atomic.h>
#include <linux/moduleparam.h>

#include "mbochs.h"

/* Larger than any machine we run on, small enough for atomic_t sums. */
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

static atomic_t mbochs_avail;	/* MiB no device holds */

/**
 * mbochs_pool_init() - a full pool of the configured size
 *
 * Called from module init, before any device can exist.
 */
void mbochs_pool_init(void)
{
	atomic_set(&mbochs_avail, mbochs_pool_mb);
}

/**
 * mbochs_pool_get() - take @n MiB out of the pool
 * @n: video memory of the device being created
 *
 * Return: true, or false if less than @n is left; the pool is unchanged.
 */
bool mbochs_pool_get(unsigned int n)
{
	int avail = atomic_read(&mbochs_avail);

	do {
		if ((unsigned int)avail < n)
			return false;
	} while (!atomic_try_cmpxchg(&mbochs_avail, &avail, avail - n));
	return true;
}

/**
 * mbochs_pool_put() - give back what mbochs_pool_get() took
 * @n: the same amount
 */
void mbochs_pool_put(unsigned int n)
{
	atomic_add(n, &mbochs_avail);
}

/* Return: MiB no device holds; a snapshot. */
unsigned int mbochs_pool_avail(void)
{
	return atomic_read(&mbochs_avail);
}

/* Return: the pool's size in MiB. */
unsigned int mbochs_pool_total(void)
{
	return mbochs_pool_mb;
}
