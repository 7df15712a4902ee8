/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel differences mtty meets between 6.1 and the newest kernels
 *
 * This is the only file of the driver that tests LINUX_VERSION_CODE. Each
 * entry names the version that changed something, and what an author
 * who leaves the entry out sees on the kernels it covers.
 */
#ifndef MTTY_COMPAT_H
#define MTTY_COMPAT_H

#include <linux/eventfd.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/vfio.h>

/*
 * 6.2 added the iommufd ops. On a kernel built with CONFIG_IOMMUFD,
 * registering a device that lacks them WARNs in __vfio_register_dev() and
 * fails with -EINVAL, so every create of an mdev fails. An mdev has no
 * IOMMU of its own: the emulated versions serve it. Use inside the ops
 * initialiser.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define MTTY_COMPAT_IOMMUFD_OPS					\
	.bind_iommufd	= vfio_iommufd_emulated_bind,		\
	.unbind_iommufd	= vfio_iommufd_emulated_unbind,		\
	.attach_ioas	= vfio_iommufd_emulated_attach_ioas,	\
	.detach_ioas	= vfio_iommufd_emulated_detach_ioas,
#else
#define MTTY_COMPAT_IOMMUFD_OPS
#endif

/*
 * On 6.1 the .release op frees the vfio_device itself, by calling
 * vfio_free_device(); without that call every removed device leaks
 * (kmemleak reports it). 6.2 moved the free into the core and removed
 * the function: calling it there fails to build ("implicit declaration
 * of function 'vfio_free_device'").
 */
static inline void mtty_compat_free_device(struct vfio_device *vdev)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	vfio_free_device(vdev);
#endif
}

/*
 * 6.8 dropped the count argument of eventfd_signal(), always 1 for an
 * interrupt. Either spelling fails to build on the other side of 6.8:
 * "too many arguments" or "too few arguments to function 'eventfd_signal'".
 */
static inline void mtty_compat_eventfd_signal(struct eventfd_ctx *ctx)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

/*
 * 6.2 added the PRE_COPY migration states, VFIO_MIG_GET_PRECOPY_INFO and
 * the migration_get_data_size op. On 6.1 their names fail to build
 * ("'VFIO_DEVICE_STATE_PRE_COPY' undeclared", "'struct
 * vfio_migration_ops' has no member named 'migration_get_data_size'").
 * There the uAPI names are given so that the driver compiles unchanged,
 * MTTY_COMPAT_MIGRATION_PRE_COPY is 0 so that the device does not offer
 * the states (the core then refuses them), and
 * MTTY_COMPAT_MIG_DATA_SIZE_OP() leaves the op out: mark its function
 * __maybe_unused.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define MTTY_COMPAT_MIGRATION_PRE_COPY		VFIO_MIGRATION_PRE_COPY
#define MTTY_COMPAT_MIG_DATA_SIZE_OP(fn)	.migration_get_data_size = (fn),
#else
#define MTTY_COMPAT_MIGRATION_PRE_COPY		0
#define MTTY_COMPAT_MIG_DATA_SIZE_OP(...)
#define VFIO_DEVICE_STATE_PRE_COPY	6
#define VFIO_DEVICE_STATE_PRE_COPY_P2P	7
#define VFIO_MIG_GET_PRECOPY_INFO	_IO(VFIO_TYPE, VFIO_BASE + 21)

struct vfio_precopy_info {
	__u32 argsz;
	__u32 flags;
	__aligned_u64 initial_bytes;
	__aligned_u64 dirty_bytes;
};
#endif

/*
 * 6.19 answers VFIO_DEVICE_GET_REGION_INFO in the core: it checks argsz,
 * calls the .get_region_info_caps op and copies the answer back, and the
 * driver's .ioctl never sees the command. A driver without the op fails
 * every region info with -EINVAL there; naming the op before 6.19 fails
 * the build ("'const struct vfio_device_ops' has no member named
 * 'get_region_info_caps'"). So the driver writes one function with the
 * op's signature and names it in its ops with
 * MTTY_COMPAT_REGION_INFO_OP(fn); before 6.19 its .ioctl answers the
 * command with mtty_compat_region_info_ioctl(vdev, arg, fn), which does
 * the core's part. mtty's regions have no capabilities: @caps is NULL
 * before 6.19, and only the fixed part goes back.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 19, 0)
#define MTTY_COMPAT_REGION_INFO_OP(fn)	.get_region_info_caps = (fn),
#else
#define MTTY_COMPAT_REGION_INFO_OP(...)	/* .ioctl answers */
#endif

static inline long
mtty_compat_region_info_ioctl(struct vfio_device *vdev,
			      void __user *arg,
			      int (*fn)(struct vfio_device *vdev,
					struct vfio_region_info *info,
					struct vfio_info_cap *caps))
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_region_info info;
	int ret;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	ret = fn(vdev, &info, NULL);
	if (ret)
		return ret;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

#endif /* MTTY_COMPAT_H */
