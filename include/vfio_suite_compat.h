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

/*
 * 6.2 added PRE_COPY and the migration_get_data_size op. Older kernels
 * get the uAPI names so that a driver compiles unchanged, and
 * VFIO_SUITE_MIGRATION_PRE_COPY is 0 there so that the driver does not
 * advertise the states; the core then refuses them. Use
 * VFIO_SUITE_MIG_GET_DATA_SIZE() inside an ops initialiser, on a
 * function marked __maybe_unused.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define VFIO_SUITE_MIGRATION_PRE_COPY	VFIO_MIGRATION_PRE_COPY
#define VFIO_SUITE_MIG_GET_DATA_SIZE(fn) .migration_get_data_size = (fn),
#else
#define VFIO_SUITE_MIGRATION_PRE_COPY	0
#define VFIO_SUITE_MIG_GET_DATA_SIZE(...)	/* no such op: dropped */
#define VFIO_DEVICE_STATE_PRE_COPY	6
#define VFIO_DEVICE_STATE_PRE_COPY_P2P	7

struct vfio_precopy_info {
	__u32 argsz;
	__u32 flags;
	__aligned_u64 initial_bytes;
	__aligned_u64 dirty_bytes;
};

#define VFIO_MIG_GET_PRECOPY_INFO	_IO(VFIO_TYPE, VFIO_BASE + 21)
#endif

#endif /* VFIO_SUITE_COMPAT_H */
