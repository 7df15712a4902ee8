/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci_slot_stub: the kernel-version differences this driver meets, from
 * Linux 6.1 to the newest upstream, and nothing else. The only file of
 * the driver that tests LINUX_VERSION_CODE. Each entry says which version
 * changed what, and what a driver author sees without it.
 */
#ifndef PSS_COMPAT_H
#define PSS_COMPAT_H

#include <linux/bits.h>
#include <linux/eventfd.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/vfio.h>

/*
 * 6.2 added the iommufd ops, 6.6 detach_ioas. A registered device must
 * have all of them on a kernel with CONFIG_IOMMUFD: without them
 * vfio_register_*_dev() WARNs and fails with -EINVAL (our sanitizer
 * kernel is one). Which set depends on how the function is isolated: a
 * real IOMMU group takes the physical ones, a function without a group
 * the emulated ones. Use inside an ops initialiser.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define PSS_COMPAT_IOMMUFD_OPS(kind)					\
	.bind_iommufd	= vfio_iommufd_##kind##_bind,			\
	.unbind_iommufd	= vfio_iommufd_##kind##_unbind,			\
	.attach_ioas	= vfio_iommufd_##kind##_attach_ioas,		\
	.detach_ioas	= vfio_iommufd_##kind##_detach_ioas,
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define PSS_COMPAT_IOMMUFD_OPS(kind)					\
	.bind_iommufd	= vfio_iommufd_##kind##_bind,			\
	.unbind_iommufd	= vfio_iommufd_##kind##_unbind,			\
	.attach_ioas	= vfio_iommufd_##kind##_attach_ioas,
#else
#define PSS_COMPAT_IOMMUFD_OPS(...)
#endif

/*
 * 6.1's core leaves freeing the vfio_device to .release, which must call
 * vfio_free_device(); from 6.2 the core frees it after .release returns
 * (and the function is gone: "implicit declaration"). Without the call
 * on 6.1 every device leaks, which kmemleak reports.
 */
static inline void pss_compat_free_device(struct vfio_device *vdev)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	vfio_free_device(vdev);
#endif
}

/*
 * 6.8 dropped eventfd_signal()'s count argument, always 1 here ("too many
 * arguments" / "too few arguments" otherwise).
 */
static inline void pss_compat_eventfd_signal(struct eventfd_ctx *ctx)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

/*
 * 6.3 made vma->vm_flags read-only: "assignment of read-only member
 * 'vm_flags'" without vm_flags_set()/vm_flags_clear(), which 6.1 lacks.
 */
static inline void pss_compat_vm_flags_set(struct vm_area_struct *vma,
					   vm_flags_t flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

static inline void pss_compat_vm_flags_clear(struct vm_area_struct *vma,
					     vm_flags_t flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_clear(vma, flags);
#else
	vma->vm_flags &= ~flags;
#endif
}

/*
 * 6.6 added the device cdev (/dev/vfio/devices/vfioN). A device opened
 * through it is bound to an iommufd context, which is what proves
 * ownership in a hot reset, in place of group fds. Before 6.6 every device
 * is opened through its group; the functions are absent there ("implicit
 * declaration").
 */
static inline bool pss_compat_cdev_opened(struct vfio_device *vdev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return vfio_device_cdev_opened(vdev);
#else
	return false;
#endif
}

/*
 * The iommufd device id of @other in the context @vdev is bound to; or
 * -ENOENT when @other is not bound but its group belongs to that context;
 * any other negative value when the context does not own @other. Only
 * asked about cdev-opened devices, so never before 6.6.
 */
static inline int pss_compat_iommufd_dev_id(struct vfio_device *vdev,
					    struct vfio_device *other)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return vfio_iommufd_get_dev_id(other, vfio_iommufd_device_ictx(vdev));
#else
	return -ENODEV;
#endif
}

/*
 * 6.6 added iommufd ownership to the hot-reset info reply: these flags,
 * and devid sharing its u32 with group_id ("has no member named 'devid'"
 * on 6.1).
 */
#ifndef VFIO_PCI_HOT_RESET_FLAG_DEV_ID
#define VFIO_PCI_HOT_RESET_FLAG_DEV_ID		BIT(0)
#define VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED	BIT(1)
#define VFIO_PCI_DEVID_OWNED			0
#define VFIO_PCI_DEVID_NOT_OWNED		-1
#endif

static inline void
pss_compat_set_devid(struct vfio_pci_dependent_device *dep, s32 devid)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	dep->devid = devid;
#else
	dep->group_id = devid;
#endif
}

/*
 * 6.19 answers VFIO_DEVICE_GET_REGION_INFO in the core: it checks argsz,
 * calls the .get_region_info_caps op, writes the capability chain and
 * copies the answer back, and the driver's .ioctl never sees the command.
 * A driver without the op fails every region info with -EINVAL there;
 * naming the op before 6.19 fails the build ("'const struct
 * vfio_device_ops' has no member named 'get_region_info_caps'"). So the
 * driver writes one function with the op's signature and names it in its
 * ops with PSS_COMPAT_REGION_INFO_OP(fn); before 6.19 its .ioctl answers
 * the command with pss_compat_region_info_ioctl(vdev, arg, fn), which does
 * the core's part, chain included.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 19, 0)
#define PSS_COMPAT_REGION_INFO_OP(fn)	.get_region_info_caps = (fn),
#else
#define PSS_COMPAT_REGION_INFO_OP(...)	/* .ioctl answers */
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
pss_compat_region_info_put_caps(struct vfio_region_info *info,
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
pss_compat_region_info_ioctl(struct vfio_device *vdev,
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
		ret = pss_compat_region_info_put_caps(&info, &caps, arg);
	kfree(caps.buf);
	if (ret)
		return ret;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

#endif /* PSS_COMPAT_H */
