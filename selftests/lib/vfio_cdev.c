// SPDX-License-Identifier: GPL-2.0
/*
 * The VFIO device cdev path. See vfio_cdev.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>

#include "vfio_lib.h"
#include "vfio_cdev.h"

int __vfio_cdev_path(const char *sysfs, char *path, size_t len)
{
	char dir[PATH_MAX];
	struct dirent *de;
	int ret = -ENOENT;
	DIR *d;

	/* The core names the cdev's class device vfio-dev/vfioN. */
	snprintf(dir, sizeof(dir), "%s/vfio-dev", sysfs);
	d = opendir(dir);
	if (!d)
		return -ENOENT;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "vfio", 4) || de->d_name[4] < '0' ||
		    de->d_name[4] > '9')
			continue;
		snprintf(path, len, "/dev/vfio/devices/%s", de->d_name);
		ret = 0;
		break;
	}
	closedir(d);
	return ret;
}

int __vfio_cdev_open(const char *sysfs)
{
	char path[PATH_MAX];
	int ret, fd;

	ret = __vfio_cdev_path(sysfs, path, sizeof(path));
	if (ret)
		return ret;
	fd = open(path, O_RDWR);
	return fd < 0 ? -errno : fd;
}

int __iommufd_open(void)
{
	int fd = open("/dev/iommu", O_RDWR);

	return fd < 0 ? -errno : fd;
}

int __vfio_cdev_bind(int fd, int iommufd)
{
	struct vfio_device_bind_iommufd bind = {
		.argsz = sizeof(bind),
		.iommufd = iommufd,
	};

	return ioctl(fd, VFIO_DEVICE_BIND_IOMMUFD, &bind) ? -errno : 0;
}

int __iommufd_ioas_alloc(int iommufd, __u32 *ioas)
{
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };

	if (ioctl(iommufd, IOMMU_IOAS_ALLOC, &alloc))
		return -errno;
	*ioas = alloc.out_ioas_id;
	return 0;
}

int __vfio_cdev_attach(int fd, __u32 pt_id)
{
	struct vfio_device_attach_iommufd_pt attach = {
		.argsz = sizeof(attach),
		.pt_id = pt_id,
	};

	return ioctl(fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach) ? -errno : 0;
}

int __vfio_cdev_detach(int fd)
{
	struct vfio_device_detach_iommufd_pt detach = {
		.argsz = sizeof(detach),
	};

	return ioctl(fd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach) ? -errno : 0;
}

int __vfio_cdev_open_bound(const char *sysfs, struct vfio_cdev *c)
{
	int ret;

	c->iommufd = -1;
	c->fd = __vfio_cdev_open(sysfs);
	if (c->fd < 0)
		return c->fd;
	ret = __iommufd_open();
	if (ret < 0)
		goto out_close_fd;
	c->iommufd = ret;
	ret = __vfio_cdev_bind(c->fd, c->iommufd);
	if (ret)
		goto out_close_iommufd;
	ret = __iommufd_ioas_alloc(c->iommufd, &c->ioas);
	if (ret)
		goto out_close_iommufd;
	ret = __vfio_cdev_attach(c->fd, c->ioas);
	if (ret)
		goto out_close_iommufd;
	return 0;

out_close_iommufd:
	close(c->iommufd);
	c->iommufd = -1;
out_close_fd:
	close(c->fd);
	c->fd = -1;
	return ret;
}

void vfio_cdev_open_bound(const char *sysfs, struct vfio_cdev *c)
{
	VFIO_LIB_CHECK(__vfio_cdev_open_bound(sysfs, c), sysfs);
}

void vfio_cdev_close(struct vfio_cdev *c)
{
	if (c->fd >= 0)
		close(c->fd);
	if (c->iommufd >= 0)
		close(c->iommufd);
	c->fd = -1;
	c->iommufd = -1;
}
