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

#endif /* VFIO_SUITE_COMPAT_H */
