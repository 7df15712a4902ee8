/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbochs helpers shared by mbochs_test and mbochs_demo:
 * program the DISPI registers through BAR2, query the plane, export a
 * dma-buf. Same convention as vfio_lib: __op() returns -errno, op()
 * asserts.
 */
#ifndef MBOCHS_UTIL_H
#define MBOCHS_UTIL_H

#include <errno.h>
#include <limits.h>
#include <linux/types.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "vfio_lib.h"
#include "mbochs/mbochs_defs.h"

#define MBOCHS_PARENT		"mbochs"
#define MBOCHS_DEBUGFS		"/sys/kernel/debug/mbochs"
/* DRM plane types (include/drm/drm_plane.h); not in the uAPI headers. */
#define MB_PLANE_OVERLAY	0
#define MB_PLANE_PRIMARY	1
#define MB_PLANE_CURSOR		2
/* DRM_FORMAT_XRGB8888, fourcc 'XR24' */
#define MB_FORMAT_XRGB8888	0x34325258

static inline int mbochs_loaded(void)
{
	return path_exists("/sys/class/mdev_bus/" MBOCHS_PARENT);
}

static inline long mbochs_counter(const char *uuid, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), MBOCHS_DEBUGFS "/%s/%s", uuid, name);
	return sysfs_read_long(path);
}

static inline void mbochs_dispi_write(int fd, unsigned int reg, __u16 val)
{
	vfio_region_write(fd, VFIO_PCI_BAR2_REGION_INDEX,
			  MBOCHS_MMIO_DISPI + 2 * reg, &val, 2);
}

static inline __u16 mbochs_dispi_read(int fd, unsigned int reg)
{
	__u16 val;

	vfio_region_read(fd, VFIO_PCI_BAR2_REGION_INDEX,
			 MBOCHS_MMIO_DISPI + 2 * reg, &val, 2);
	return val;
}

/* Program a 32 bpp mode the way bochs DRM does, and enable it. */
static inline void mbochs_set_mode(int fd, unsigned int w, unsigned int h,
				   unsigned int virt_w, unsigned int yoff)
{
	mbochs_dispi_write(fd, MBOCHS_DISPI_ENABLE, 0);
	mbochs_dispi_write(fd, MBOCHS_DISPI_BPP, 32);
	mbochs_dispi_write(fd, MBOCHS_DISPI_XRES, w);
	mbochs_dispi_write(fd, MBOCHS_DISPI_YRES, h);
	mbochs_dispi_write(fd, MBOCHS_DISPI_BANK, 0);
	mbochs_dispi_write(fd, MBOCHS_DISPI_VIRT_WIDTH, virt_w);
	mbochs_dispi_write(fd, MBOCHS_DISPI_VIRT_HEIGHT, h + yoff);
	mbochs_dispi_write(fd, MBOCHS_DISPI_X_OFFSET, 0);
	mbochs_dispi_write(fd, MBOCHS_DISPI_Y_OFFSET, yoff);
	mbochs_dispi_write(fd, MBOCHS_DISPI_ENABLE,
			   MBOCHS_DISPI_ENABLED | MBOCHS_DISPI_LFB_ENABLED);
}

static inline int __mbochs_query_plane(int fd, __u32 plane_type,
				       struct vfio_device_gfx_plane_info *p)
{
	memset(p, 0, sizeof(*p));
	p->argsz = sizeof(*p);
	p->flags = VFIO_GFX_PLANE_TYPE_DMABUF;
	p->drm_plane_type = plane_type;
	return ioctl(fd, VFIO_DEVICE_QUERY_GFX_PLANE, p) ? -errno : 0;
}

static inline void mbochs_query_plane(int fd,
				      struct vfio_device_gfx_plane_info *p)
{
	VFIO_LIB_CHECK(__mbochs_query_plane(fd, MB_PLANE_PRIMARY, p),
		       "QUERY_GFX_PLANE");
}

/* A dma-buf fd for plane @id, or -errno. */
static inline int __mbochs_get_dmabuf(int fd, __u32 id)
{
	int ret = ioctl(fd, VFIO_DEVICE_GET_GFX_DMABUF, &id);

	return ret < 0 ? -errno : ret;
}

static inline int mbochs_get_dmabuf(int fd, __u32 id)
{
	int ret = __mbochs_get_dmabuf(fd, id);

	VFIO_LIB_CHECK(ret, "GET_GFX_DMABUF");
	return ret;
}

/* VFIO_DEVICE_SET_IRQS with @len bytes of @data: 0 or -errno. */
static inline int __mbochs_set_irqs(int fd, __u32 flags, __u32 index,
				    __u32 start, __u32 count,
				    const void *data, size_t len)
{
	struct {
		struct vfio_irq_set hdr;
		__u8 data[16];
	} req = {
		.hdr.argsz = sizeof(req.hdr) + len,
		.hdr.flags = flags,
		.hdr.index = index,
		.hdr.start = start,
		.hdr.count = count,
	};

	if (len > sizeof(req.data))
		return -E2BIG;
	memcpy(req.data, data, len);
	return ioctl(fd, VFIO_DEVICE_SET_IRQS, &req) ? -errno : 0;
}

/* An eventfd the test polls without blocking. */
static inline int mbochs_eventfd(void)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	if (efd < 0)
		vfio_lib_fail("eventfd: %s", strerror(errno));
	return efd;
}

/* Map @len bytes of region @index at @off, shared; MAP_FAILED on error. */
static inline void *mbochs_mmap_region(int fd, unsigned int index,
				       __u64 off, size_t len)
{
	struct vfio_region_info info;

	vfio_region_info(fd, index, &info);
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    info.offset + off);
}

/*
 * A thread that writes page number + 1 into every page of @map, at byte
 * @reverse of the page, from the end if @reverse: two of them fault the
 * same pages from both ends.
 */
struct mb_toucher {
	__u8 *map;
	size_t len;
	int reverse;
};

static inline void *mb_touch_pages(void *arg)
{
	struct mb_toucher *t = arg;
	size_t i, n = t->len / 4096;

	for (i = 0; i < n; i++) {
		size_t pg = t->reverse ? n - 1 - i : i;

		t->map[pg * 4096 + t->reverse] = pg + 1;
	}
	return NULL;
}

#endif /* MBOCHS_UTIL_H */
