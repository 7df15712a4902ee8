/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbochs memory pool: how much video memory all devices together may
 * reserve. A device reserves its whole video memory when it is created,
 * although pages are only allocated when touched, so that a guest can
 * never fail to get memory it was promised.
 */
#ifndef MBOCHS_POOL_H
#define MBOCHS_POOL_H

#include <linux/types.h>

void mbochs_pool_init(void);
int mbochs_pool_reserve(u32 mbytes);
void mbochs_pool_release(u32 mbytes);
u32 mbochs_pool_total(void);
u32 mbochs_pool_avail(void);

#endif /* MBOCHS_POOL_H */
