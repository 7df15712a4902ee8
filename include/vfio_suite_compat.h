/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the kernels the suite supports (Debian 6.1,
 * Debian 6.12 and the newest upstream). This is the only file that tests
 * LINUX_VERSION_CODE: drivers call the helpers below and stay free of #if.
 */
#ifndef VFIO_SUITE_COMPAT_H
#define VFIO_SUITE_COMPAT_H

#include <linux/version.h>
#include <linux/eventfd.h>
#include <linux/vfio.h>

/*
 * 6.2 added the iommufd ops to struct vfio_device_ops. A device with an
 * emulated IOMMU must set them whenever the kernel has them; the core warns
 * at registration otherwise. Use inside an ops initialiser.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define VFIO_SUITE_EMULATED_IOMMUFD_OPS				\
	.bind_iommufd	= vfio_iommufd_emulated_bind,		\
	.unbind_iommufd	= vfio_iommufd_emulated_unbind,		\
	.attach_ioas	= vfio_iommufd_emulated_attach_ioas,	\
	.detach_ioas	= vfio_iommufd_emulated_detach_ioas,
#else
#define VFIO_SUITE_EMULATED_IOMMUFD_OPS
#endif

/* 6.8 dropped the count argument of eventfd_signal(); it was always 1. */
static inline void vfio_suite_eventfd_signal(struct eventfd_ctx *ctx)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

#endif /* VFIO_SUITE_COMPAT_H */
