/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VFIO device cdev path: /dev/vfio/devices/vfioN bound to an iommufd
 * (/dev/iommu), the alternative to the group + container path. Only kernels
 * with CONFIG_VFIO_DEVICE_CDEV have it; __vfio_cdev_path() returns -ENOENT
 * elsewhere, so a test can SKIP.
 *
 * Same convention as vfio_lib.h: __op() returns 0 (or an fd) or -errno,
 * op() asserts.
 */
#ifndef VFIO_CDEV_H
#define VFIO_CDEV_H

#include <stddef.h>
#include <linux/types.h>

/**
 * struct vfio_cdev - a device opened through its cdev and bound to iommufd
 * @iommufd: the /dev/iommu fd
 * @fd: the device fd
 * @ioas: the IOAS the device is attached to
 */
struct vfio_cdev {
	int iommufd;
	int fd;
	__u32 ioas;
};

/* /dev/vfio/devices/vfioN of the device at @sysfs, or -ENOENT. */
int __vfio_cdev_path(const char *sysfs, char *path, size_t len);
/* Open the device's cdev, without binding: an fd or -errno. */
int __vfio_cdev_open(const char *sysfs);
/* Open /dev/iommu: an fd or -errno. */
int __iommufd_open(void);
/* VFIO_DEVICE_BIND_IOMMUFD: the device opens (open_device) here. */
int __vfio_cdev_bind(int fd, int iommufd);
/* IOMMU_IOAS_ALLOC. */
int __iommufd_ioas_alloc(int iommufd, __u32 *ioas);
/* VFIO_DEVICE_ATTACH_IOMMUFD_PT / VFIO_DEVICE_DETACH_IOMMUFD_PT. */
int __vfio_cdev_attach(int fd, __u32 pt_id);
int __vfio_cdev_detach(int fd);

/* Open, bind, allocate an IOAS and attach: the whole cdev path. */
int __vfio_cdev_open_bound(const char *sysfs, struct vfio_cdev *c);
void vfio_cdev_open_bound(const char *sysfs, struct vfio_cdev *c);
void vfio_cdev_close(struct vfio_cdev *c);

#endif /* VFIO_CDEV_H */
