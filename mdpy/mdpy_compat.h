/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdpy: the kernel API differences that mdpy.ko and mdpy_fb.ko meet on the
 * kernels they build for (6.1 to 7.x), and nothing else. This is the only
 * file of the directory that tests LINUX_VERSION_CODE. Each entry says
 * which version changed what, and what a driver author sees without it.
 */
#ifndef MDPY_COMPAT_H
#define MDPY_COMPAT_H

#include <linux/version.h>
#include <linux/eventfd.h>
#include <linux/fb.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

/*
 * 6.2 added the iommufd ops to struct vfio_device_ops. A device with an
 * emulated IOMMU must name the emulated ones wherever the kernel has
 * them. Without them, on a kernel built with CONFIG_IOMMUFD, every create
 * logs "WARNING: ... at drivers/vfio/vfio_main.c ... __vfio_register_dev"
 * and fails with EINVAL; on 6.1 naming them fails the build with "'const
 * struct vfio_device_ops' has no member named 'bind_iommufd'". Use inside
 * the ops initialiser.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define MDPY_COMPAT_IOMMUFD_OPS					\
	.bind_iommufd	= vfio_iommufd_emulated_bind,		\
	.unbind_iommufd	= vfio_iommufd_emulated_unbind,		\
	.attach_ioas	= vfio_iommufd_emulated_attach_ioas,	\
	.detach_ioas	= vfio_iommufd_emulated_detach_ioas,
#else
#define MDPY_COMPAT_IOMMUFD_OPS
#endif

/*
 * 6.2 moved freeing a struct vfio_device into the core, after the
 * driver's .release returns. On 6.1 .release must call vfio_free_device()
 * itself, or every removed device leaks (kmemleak: "unreferenced
 * object"); from 6.2 the function is gone ("implicit declaration of
 * function 'vfio_free_device'"). Call last in .release.
 */
static inline void mdpy_compat_free_device(struct vfio_device *vdev)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	vfio_free_device(vdev);
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
 * MDPY_COMPAT_REGION_INFO_OP(fn); before 6.19 its .ioctl answers the
 * command with mdpy_compat_region_info_ioctl(vdev, arg, fn), which does
 * the core's part. mdpy's regions have no capabilities: @caps is NULL
 * before 6.19, and only the fixed part goes back.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 19, 0)
#define MDPY_COMPAT_REGION_INFO_OP(fn)	.get_region_info_caps = (fn),
#else
#define MDPY_COMPAT_REGION_INFO_OP(...)	/* .ioctl answers */
#endif

static inline long
mdpy_compat_region_info_ioctl(struct vfio_device *vdev,
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

/*
 * 6.8 dropped eventfd_signal()'s count argument, which was always 1:
 * with it the build fails on 6.8 and later ("too many arguments to
 * function 'eventfd_signal'"), without it before ("too few arguments").
 */
static inline void mdpy_compat_eventfd_signal(struct eventfd_ctx *ctx)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

/*
 * 6.3 made vma->vm_flags read-only and added vm_flags_set(): setting the
 * flags directly fails the build from 6.3 ("assignment of read-only member
 * 'vm_flags'"), and vm_flags_set() before it ("implicit declaration of
 * function 'vm_flags_set'").
 */
static inline void mdpy_compat_vm_flags_set(struct vm_area_struct *vma,
					    vm_flags_t flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/*
 * mdpy_fb: the fb_ops of a framebuffer in I/O memory. 6.6 made fb_read,
 * fb_write and fb_mmap mandatory and added FB_DEFAULT_IOMEM_OPS to name
 * the core's I/O memory helpers; without them a read() of /dev/fbN logs
 * "WARNING: ... fb_read" and fails with EINVAL, and the console's first
 * drawing oopses on a NULL fb_fillrect. Before 6.6 NULL chose those
 * helpers. Debian's 6.1 carries a FB_DEFAULT_IO_OPS that names
 * fb_io_read(), which that kernel neither declares nor exports ("'fb_io_read'
 * undeclared here"), so the test is on the 6.6 macro itself and 6.1 gets
 * the drawing ops alone. Use inside the ops initialiser.
 */
#ifdef FB_DEFAULT_IOMEM_OPS
#define MDPY_COMPAT_FB_IOMEM_OPS	FB_DEFAULT_IOMEM_OPS
#else
#define MDPY_COMPAT_FB_IOMEM_OPS			\
	.fb_fillrect	= cfb_fillrect,		\
	.fb_copyarea	= cfb_copyarea,		\
	.fb_imageblit	= cfb_imageblit
#endif

#endif /* MDPY_COMPAT_H */
