/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the kernels the suite supports (Debian 6.1,
 * Debian 6.12 and the newest upstream). This is the only file that tests
 * LINUX_VERSION_CODE: drivers call the helpers below and stay free of #if.
 */
#ifndef VFIO_SUITE_COMPAT_H
#define VFIO_SUITE_COMPAT_H

#include <linux/version.h>
#include <linux/bits.h>
#include <linux/eventfd.h>
#include <linux/fb.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <linux/device/class.h>
#include <linux/hrtimer.h>
#include <linux/timer.h>

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

/* ---- mtty ---- */

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

/* ---- pci_slot_stub ---- */

/*
 * 6.1's vfio core leaves freeing the vfio_device to the driver's @release,
 * which must call vfio_free_device(); from 6.2 the core frees it after
 * @release returns and vfio_free_device() is gone.
 */
static inline void vfio_suite_free_device(struct vfio_device *vdev)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	vfio_free_device(vdev);
#endif
}

/*
 * 6.6 added the VFIO device cdev. A device opened through it proves
 * ownership by its iommufd context instead of by group fds, so hot reset
 * must know how it was opened. Before 6.6 every device is opened through
 * its group.
 */
static inline bool vfio_suite_cdev_opened(struct vfio_device *vdev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return vfio_device_cdev_opened(vdev);
#else
	return false;
#endif
}

/*
 * The iommufd device id of @other in the iommufd context @vdev is bound to,
 * or -ENOENT if @other is unbound but its group is owned by that context;
 * other negative values mean not owned (vfio-pci's cdev hot-reset rule).
 * Only reached for cdev-opened devices, so never before 6.6.
 */
static inline int vfio_suite_iommufd_dev_id(struct vfio_device *vdev,
					    struct vfio_device *other)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return vfio_iommufd_get_dev_id(other, vfio_iommufd_device_ictx(vdev));
#else
	return -ENODEV;
#endif
}

/* 6.6 added cdev ownership reporting to the hot-reset info uAPI. */
#ifndef VFIO_PCI_HOT_RESET_FLAG_DEV_ID
#define VFIO_PCI_HOT_RESET_FLAG_DEV_ID		BIT(0)
#define VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED	BIT(1)
#define VFIO_PCI_DEVID_OWNED			0
#define VFIO_PCI_DEVID_NOT_OWNED		-1
#endif

/* 6.6 turned group_id into a union with devid; both share one u32. */
static inline void
vfio_suite_dependent_set_devid(struct vfio_pci_dependent_device *dep, u32 id)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	dep->devid = id;
#else
	dep->group_id = id;
#endif
}

/*
 * 6.19 moved VFIO_DEVICE_GET_REGION_INFO into the core: it copies the
 * header in and out, appends the capability chain and calls
 * ops->get_region_info_caps(); the driver's ioctl() never sees the command.
 * A driver writes one function with that op's signature, names it in its
 * ops with VFIO_SUITE_REGION_INFO_OP(fn) (empty before 6.19), and in its
 * ioctl() returns vfio_suite_region_info_ioctl(vdev, arg, fn) for
 * VFIO_DEVICE_GET_REGION_INFO, which does the core's part on older kernels.
 */
typedef int (*vfio_suite_region_info_fn)(struct vfio_device *vdev,
					 struct vfio_region_info *info,
					 struct vfio_info_cap *caps);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 19, 0)
#define VFIO_SUITE_REGION_INFO_OP(fn)	.get_region_info_caps = (fn),
#else
#define VFIO_SUITE_REGION_INFO_OP(...)
#endif

static inline long vfio_suite_region_info_ioctl(struct vfio_device *vdev,
						void __user *arg,
						vfio_suite_region_info_fn fn)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_region_info info = {};
	struct vfio_info_cap caps = {};
	long ret;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	ret = fn(vdev, &info, &caps);
	if (ret)
		goto out_free_caps;

	if (caps.size) {
		info.flags |= VFIO_REGION_INFO_FLAG_CAPS;
		if (info.argsz < sizeof(info) + caps.size) {
			/* Too small: say how much, the caller asks again. */
			info.argsz = sizeof(info) + caps.size;
			info.cap_offset = 0;
		} else {
			/* The chain's offsets count from the start of info. */
			vfio_info_cap_shift(&caps, sizeof(info));
			if (copy_to_user(arg + sizeof(info), caps.buf,
					 caps.size)) {
				ret = -EFAULT;
				goto out_free_caps;
			}
			info.cap_offset = sizeof(info);
		}
	}

	if (copy_to_user(arg, &info, minsz))
		ret = -EFAULT;
out_free_caps:
	kfree(caps.buf);
	return ret;
}

/* 6.4 dropped class_create()'s owner argument. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define vfio_suite_class_create(name)	class_create(name)
#else
#define vfio_suite_class_create(name)	class_create(THIS_MODULE, name)
#endif

/* 6.16 renamed from_timer() to timer_container_of() and dropped the old. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0)
#define vfio_suite_timer_container_of(var, t, field) \
	timer_container_of(var, t, field)
#else
#define vfio_suite_timer_container_of(var, t, field) \
	from_timer(var, t, field)
#endif

/* 6.13 added hrtimer_setup(); 7.x removed hrtimer_init(). */
static inline void
vfio_suite_hrtimer_setup(struct hrtimer *timer,
			 enum hrtimer_restart (*fn)(struct hrtimer *),
			 clockid_t clock, enum hrtimer_mode mode)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
	hrtimer_setup(timer, fn, clock, mode);
#else
	hrtimer_init(timer, clock, mode);
	timer->function = fn;
#endif
}

/* ---- mbochs ---- */

/*
 * 6.13 made MODULE_IMPORT_NS() take a string literal instead of a bare
 * token. Use at file scope: VFIO_SUITE_MODULE_IMPORT_NS(DMA_BUF);
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define VFIO_SUITE_MODULE_IMPORT_NS(ns)	MODULE_IMPORT_NS(#ns)
#else
#define VFIO_SUITE_MODULE_IMPORT_NS(ns)	MODULE_IMPORT_NS(ns)
#endif

/* 6.3 made vma->vm_flags read only; vm_flags_set() is the way to set. */
static inline void vfio_suite_vm_flags_set(struct vm_area_struct *vma,
					   vm_flags_t flags)
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

/* 6.3 added vm_flags_clear() along with vm_flags_set(). */
static inline void vfio_suite_vm_flags_clear(struct vm_area_struct *vma,
					     vm_flags_t flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_clear(vma, flags);
#else
	vma->vm_flags &= ~flags;
#endif
}

/*
 * Zap every page table entry of a VM_PFNMAP VMA, with its mm's mmap_lock
 * held. 7.1 renamed zap_vma_ptes() to zap_special_vma_range().
 */
static inline void vfio_suite_zap_vma(struct vm_area_struct *vma)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 1, 0)
	zap_special_vma_range(vma, vma->vm_start, vma->vm_end - vma->vm_start);
#else
	zap_vma_ptes(vma, vma->vm_start, vma->vm_end - vma->vm_start);
#endif
}

/* 6.14 renamed alloc_pages_bulk_array() to alloc_pages_bulk(). */
static inline unsigned long vfio_suite_alloc_pages_bulk(gfp_t gfp,
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
 * Huge PFN mappings: a fault handler may map 2 MiB with one PMD entry.
 * 6.12 added them (pmd_special, so that GUP and rmap leave such entries
 * alone) where the architecture and THP allow:
 * CONFIG_ARCH_SUPPORTS_PMD_PFNMAP. 6.17 replaced pfn_t with a plain pfn
 * in vmf_insert_pfn_pmd(). Without support, VFIO_SUITE_PMD_PFNMAP is 0,
 * the insertion falls back to PTEs, and VFIO_SUITE_HUGE_FAULT_OP() leaves
 * .huge_fault unset. Every kernel with support passes huge_fault the
 * order of the entry it wants.
 */
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 17, 0)
#include <linux/pfn_t.h>
#endif
#define VFIO_SUITE_PMD_PFNMAP	1
#define VFIO_SUITE_HUGE_FAULT_OP(fn)	.huge_fault = (fn),
static inline vm_fault_t vfio_suite_insert_pfn_pmd(struct vm_fault *vmf,
						   unsigned long pfn,
						   bool write)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
	return vmf_insert_pfn_pmd(vmf, pfn, write);
#else
	return vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, 0), write);
#endif
}
#else
#define VFIO_SUITE_PMD_PFNMAP	0
#define VFIO_SUITE_HUGE_FAULT_OP(...)	/* no such op: dropped */
static inline vm_fault_t vfio_suite_insert_pfn_pmd(struct vm_fault *vmf,
						   unsigned long pfn,
						   bool write)
{
	return VM_FAULT_FALLBACK;
}
#endif

/*
 * fb_ops for a framebuffer in I/O memory. 6.6 added FB_DEFAULT_IOMEM_OPS
 * and made fb_read, fb_write and fb_mmap mandatory; before, leaving them
 * NULL chose the core's I/O memory versions. Debian's 6.1 has a backported
 * FB_DEFAULT_IO_OPS naming fb_io_read(), which that kernel does not export,
 * so it must not be used. Use inside an ops initialiser.
 */
#ifdef FB_DEFAULT_IOMEM_OPS
#define VFIO_SUITE_FB_IOMEM_OPS	FB_DEFAULT_IOMEM_OPS
#else
#define VFIO_SUITE_FB_IOMEM_OPS			\
	.fb_fillrect	= cfb_fillrect,		\
	.fb_copyarea	= cfb_copyarea,		\
	.fb_imageblit	= cfb_imageblit
#endif

#endif /* VFIO_SUITE_COMPAT_H */
