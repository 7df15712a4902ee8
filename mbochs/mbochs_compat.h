/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbochs: the kernel API differences between Linux 6.1 and 7.2 that this
 * driver meets, and nothing else. This is the only file of the directory
 * that tests LINUX_VERSION_CODE; the other files use the names below and
 * stay free of #if. Each entry says which version changed what, and what
 * a driver written for one side sees on the other.
 */
#ifndef MBOCHS_COMPAT_H
#define MBOCHS_COMPAT_H

#include <linux/eventfd.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/vfio.h>

/*
 * 6.2 added the iommufd callbacks to struct vfio_device_ops. On a kernel
 * built with CONFIG_IOMMUFD, a device with an emulated IOMMU that leaves
 * them out gets a WARNING from vfio_register_emulated_iommu_dev(), which
 * then fails with -EINVAL: every create of an mdev fails. Before 6.2 the
 * members do not exist ("has no member named 'bind_iommufd'"). Use inside
 * the ops initialiser.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define MBOCHS_COMPAT_IOMMUFD_OPS					\
	.bind_iommufd	= vfio_iommufd_emulated_bind,		\
	.unbind_iommufd	= vfio_iommufd_emulated_unbind,		\
	.attach_ioas	= vfio_iommufd_emulated_attach_ioas,	\
	.detach_ioas	= vfio_iommufd_emulated_detach_ioas,
#else
#define MBOCHS_COMPAT_IOMMUFD_OPS
#endif

/*
 * 6.2 made the core free the vfio_device after the driver's .release.
 * On 6.1 .release itself must call vfio_free_device(); without it every
 * removed device leaks (kmemleak reports it). From 6.2 the function is
 * gone ("implicit declaration of function 'vfio_free_device'").
 */
static inline void mbochs_compat_free_device(struct vfio_device *vdev)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	vfio_free_device(vdev);
#endif
}

/*
 * 6.3 made vma->vm_flags read only: "assignment of read-only member
 * 'vm_flags'". vm_flags_set(), added with it, is missing before 6.3.
 */
static inline void mbochs_compat_vm_flags_set(struct vm_area_struct *vma,
					      vm_flags_t flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/*
 * 6.8 dropped eventfd_signal()'s count argument, which was always 1:
 * "too many arguments to function 'eventfd_signal'" from 6.8, "too few"
 * before.
 */
static inline void mbochs_compat_eventfd_signal(struct eventfd_ctx *ctx)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

/*
 * 6.14 renamed alloc_pages_bulk_array() to alloc_pages_bulk(): each name
 * is an "implicit declaration of function" on the other side. Fills the
 * NULL slots of @pages.
 */
static inline unsigned long mbochs_compat_alloc_pages_bulk(gfp_t gfp,
							   unsigned long nr,
							   struct page **pages)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
	return alloc_pages_bulk(gfp, nr, pages);
#else
	return alloc_pages_bulk_array(gfp, nr, pages);
#endif
}

/*
 * 6.13 made MODULE_IMPORT_NS() take a string literal. The bare token
 * MODULE_IMPORT_NS(DMA_BUF) then fails to compile ("'DMA_BUF' undeclared
 * here (not in a function)"); the string form on an older kernel
 * compiles, but modpost refuses the module ("uses symbol dma_buf_export
 * from namespace DMA_BUF, but does not import it"). Use at file scope.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define MBOCHS_COMPAT_IMPORT_NS_DMA_BUF	MODULE_IMPORT_NS("DMA_BUF")
#else
#define MBOCHS_COMPAT_IMPORT_NS_DMA_BUF	MODULE_IMPORT_NS(DMA_BUF)
#endif

/*
 * Huge PFN mappings: a fault handler may map 2 MiB with one PMD entry.
 * 6.12 added them (CONFIG_ARCH_SUPPORTS_PMD_PFNMAP, where the
 * architecture and THP allow): the entry is marked special, so that GUP,
 * rmap and fork leave it alone. Elsewhere there is no such entry to ask
 * for: without THP (the sanitizer kernel) vmf_insert_pfn_pmd() does not
 * exist (modpost: '"vmf_insert_pfn_pmd" [mbochs.ko] undefined!'),
 * and before 6.12 (Debian 6.1) the entry would not be special, so
 * lockless GUP would take the pfn for memory it may pin. 6.17 replaced
 * pfn_t with a plain pfn in vmf_insert_pfn_pmd() ("incompatible type for
 * argument 2 of 'vmf_insert_pfn_pmd'"). Without support
 * MBOCHS_COMPAT_PMD_PFNMAP is 0, MBOCHS_COMPAT_HUGE_FAULT_OP() leaves
 * .huge_fault unset, and mbochs_compat_insert_pmd() tells the caller to
 * fall back to page entries.
 */
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 17, 0)
#include <linux/pfn_t.h>
#endif
#define MBOCHS_COMPAT_PMD_PFNMAP		1
#define MBOCHS_COMPAT_HUGE_FAULT_OP(fn)	.huge_fault = (fn),
static inline vm_fault_t mbochs_compat_insert_pmd(struct vm_fault *vmf,
						  unsigned long pfn, bool write)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
	return vmf_insert_pfn_pmd(vmf, pfn, write);
#else
	return vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, 0), write);
#endif
}
#else
#define MBOCHS_COMPAT_PMD_PFNMAP		0
#define MBOCHS_COMPAT_HUGE_FAULT_OP(...)	/* no such entry: dropped */
static inline vm_fault_t mbochs_compat_insert_pmd(struct vm_fault *vmf,
						  unsigned long pfn, bool write)
{
	return VM_FAULT_FALLBACK;
}
#endif

/*
 * 6.19 answers VFIO_DEVICE_GET_REGION_INFO in the core: it checks argsz,
 * calls the .get_region_info_caps op, writes the capability chain and
 * copies the answer back, and the driver's .ioctl never sees the command.
 * A driver without the op fails every region info with -EINVAL there;
 * naming the op before 6.19 fails the build ("'const struct
 * vfio_device_ops' has no member named 'get_region_info_caps'"). So the
 * driver writes one function with the op's signature and names it in its
 * ops with MBOCHS_COMPAT_REGION_INFO_OP(fn); before 6.19 its .ioctl
 * answers the command with mbochs_compat_region_info_ioctl(vdev, arg, fn),
 * which does the core's part, chain included.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 19, 0)
#define MBOCHS_COMPAT_REGION_INFO_OP(fn)	.get_region_info_caps = (fn),
#else
#define MBOCHS_COMPAT_REGION_INFO_OP(...)	/* .ioctl answers */
#endif

/*
 * Put the capability chain @caps into the reply at @arg, as
 * include/uapi/linux/vfio.h lays it out: the chain follows the fixed
 * struct, and each header's next, like cap_offset, counts from the start
 * of that struct. A reply too short to hold it is still a success: the
 * caller learns from argsz how much to pass next time, and cap_offset 0
 * says that no chain was written.
 */
static inline int
mbochs_compat_region_info_put_caps(struct vfio_region_info *info,
				   struct vfio_info_cap *caps,
				   void __user *arg)
{
	size_t head = sizeof(*info);

	info->flags |= VFIO_REGION_INFO_FLAG_CAPS;
	info->cap_offset = 0;
	if (info->argsz < head + caps->size) {
		info->argsz = head + caps->size;
		return 0;
	}
	vfio_info_cap_shift(caps, head);
	if (copy_to_user(arg + head, caps->buf, caps->size))
		return -EFAULT;
	info->cap_offset = head;
	return 0;
}

static inline long
mbochs_compat_region_info_ioctl(struct vfio_device *vdev,
				void __user *arg,
				int (*fn)(struct vfio_device *vdev,
					  struct vfio_region_info *info,
					  struct vfio_info_cap *caps))
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_info_cap caps = {};
	struct vfio_region_info info;
	int ret;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	ret = fn(vdev, &info, &caps);
	if (!ret && caps.size)
		ret = mbochs_compat_region_info_put_caps(&info, &caps, arg);
	kfree(caps.buf);
	if (ret)
		return ret;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

#endif /* MBOCHS_COMPAT_H */
