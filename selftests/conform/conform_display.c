// SPDX-License-Identifier: GPL-2.0
/*
 * Display devices: those that answer a VFIO_DEVICE_QUERY_GFX_PLANE probe.
 * A device may show no plane until its guest driver sets a mode; for a
 * device that says it is Bochs-compatible (PCI 1234:1111, the display QEMU
 * calls bochs-display), the check sets one through the standard Bochs
 * DISPI registers (BAR2, 0x500), as that guest driver would. Any other
 * display device without a plane skips the checks that need one.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "conform.h"

#define CF_PAGE		4096UL

/* The Bochs display interface (QEMU's bochs-display and stdvga). */
#define BOCHS_VENDOR		0x1234
#define BOCHS_DEVICE		0x1111
#define BOCHS_DISPI		0x500	/* in BAR2; 16-bit registers */
#define DISPI_XRES		1
#define DISPI_YRES		2
#define DISPI_BPP		3
#define DISPI_ENABLE		4
#define DISPI_VIRT_WIDTH	6
#define DISPI_VIRT_HEIGHT	7
#define DISPI_ENABLED		0x01
#define DISPI_LFB_ENABLED	0x40
#define CF_MODE_W		640
#define CF_MODE_H		480

static int cf_plane(int fd, __u32 flags, struct vfio_device_gfx_plane_info *p)
{
	memset(p, 0, sizeof(*p));
	p->argsz = sizeof(*p);
	p->flags = flags;
	p->drm_plane_type = 1;	/* DRM_PLANE_TYPE_PRIMARY */
	return ioctl(fd, VFIO_DEVICE_QUERY_GFX_PLANE, p) ? -errno : 0;
}

/* The plane type the device offers: DMABUF, REGION, or 0 (with why). */
static __u32 cf_plane_type(int fd, int *err)
{
	struct vfio_device_gfx_plane_info p;
	int ret;

	ret = cf_plane(fd, VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_DMABUF, &p);
	if (!ret)
		return VFIO_GFX_PLANE_TYPE_DMABUF;
	*err = -ret;
	ret = cf_plane(fd, VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_REGION, &p);
	if (!ret)
		return VFIO_GFX_PLANE_TYPE_REGION;
	return 0;
}

static int cf_dispi_write(int fd, unsigned int reg, __u16 val)
{
	ssize_t n = __vfio_region_write(fd, VFIO_PCI_BAR2_REGION_INDEX,
					BOCHS_DISPI + 2 * reg, &val, 2);

	return n == 2 ? 0 : -EIO;
}

/* Set a 640x480x32 mode on a Bochs-compatible device, as its guest would. */
static bool cf_bochs_mode(int fd)
{
	__u16 id[2];

	if (!cf_is_pci(fd) || cf_cfg_read(fd, 0, id, 4) ||
	    id[0] != BOCHS_VENDOR || id[1] != BOCHS_DEVICE)
		return false;
	cf_cfg_enable(fd);
	return !cf_dispi_write(fd, DISPI_ENABLE, 0) &&
	       !cf_dispi_write(fd, DISPI_XRES, CF_MODE_W) &&
	       !cf_dispi_write(fd, DISPI_YRES, CF_MODE_H) &&
	       !cf_dispi_write(fd, DISPI_BPP, 32) &&
	       !cf_dispi_write(fd, DISPI_VIRT_WIDTH, CF_MODE_W) &&
	       !cf_dispi_write(fd, DISPI_VIRT_HEIGHT, CF_MODE_H) &&
	       !cf_dispi_write(fd, DISPI_ENABLE, DISPI_ENABLED | DISPI_LFB_ENABLED);
}

/*
 * Open a display device and query its plane, setting a mode first where
 * that is known how. Returns the plane type, or 0 with the check skipped
 * or failed.
 */
static __u32 cf_display_open(struct cf_dev *dev, struct vfio_dev *vd,
			     struct vfio_device_gfx_plane_info *p, bool retry)
{
	__u32 type;
	int ret, err = 0;

	ret = cf_open(dev, vd);
	if (ret) {
		cf_fail("cannot open the device: %s", strerror(-ret));
		return 0;
	}
	type = cf_plane_type(vd->fd, &err);
	if (!type) {
		cf_skip("not a display device: QUERY_GFX_PLANE probes answer %s",
			strerrorname_np(err));
		goto out_close;
	}
	ret = cf_plane(vd->fd, type, p);
	if (!ret && !p->drm_format && cf_bochs_mode(vd->fd))
		ret = cf_plane(vd->fd, type, p);
	/* The gfx_query check fails a first query that fails; the others go on. */
	if (ret && retry) {
		cf_note("QUERY_GFX_PLANE: %s; asking again, as a VMM's next refresh would",
			strerrorname_np(-ret));
		ret = cf_plane(vd->fd, type, p);
	}
	if (ret) {
		cf_fail("QUERY_GFX_PLANE of its %s plane: %s",
			type == VFIO_GFX_PLANE_TYPE_DMABUF ? "dma-buf" : "region",
			strerror(-ret));
		goto out_close;
	}
	if (!p->drm_format) {
		cf_skip("no plane until its guest sets a mode, which the kit cannot do");
		goto out_close;
	}
	return type;

out_close:
	vfio_dev_close(vd);
	return 0;
}

void cf_check_gfx_probe(struct cf_dev *dev)
{
	struct vfio_device_gfx_plane_info p;
	struct vfio_dev vd;
	__u32 type, other;
	int ret, err = 0;

	ret = cf_open(dev, &vd);
	if (ret) {
		cf_fail("cannot open the device: %s", strerror(-ret));
		return;
	}
	type = cf_plane_type(vd.fd, &err);
	if (!type) {
		cf_skip("not a display device: QUERY_GFX_PLANE probes answer %s",
			strerrorname_np(err));
		goto out_close;
	}
	other = type == VFIO_GFX_PLANE_TYPE_DMABUF ? VFIO_GFX_PLANE_TYPE_REGION :
						      VFIO_GFX_PLANE_TYPE_DMABUF;
	/* A device offers one plane type: a probe of the other is refused. */
	ret = cf_plane(vd.fd, VFIO_GFX_PLANE_TYPE_PROBE | other, &p);
	if (ret && ret != -EINVAL)
		cf_fail("a probe of the plane type it lacks: %s, want EINVAL",
			strerrorname_np(-ret));
	ret = cf_plane(vd.fd, VFIO_GFX_PLANE_TYPE_PROBE, &p);
	if (ret != -EINVAL)
		cf_fail("a probe that names no plane type: %s, want EINVAL",
			ret ? strerrorname_np(-ret) : "success");
	ret = cf_plane(vd.fd, VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_DMABUF |
		       VFIO_GFX_PLANE_TYPE_REGION, &p);
	if (ret != -EINVAL)
		cf_fail("a probe that names both plane types: %s, want EINVAL",
			ret ? strerrorname_np(-ret) : "success");
	ret = cf_plane(vd.fd, type | (1u << 30), &p);
	if (ret != -EINVAL)
		cf_fail("a query with an unknown flag: %s, want EINVAL",
			ret ? strerrorname_np(-ret) : "success");
	p.argsz = offsetof(struct vfio_device_gfx_plane_info, drm_plane_type);
	p.flags = VFIO_GFX_PLANE_TYPE_PROBE | type;
	CF_EXPECT_ERRNO(EINVAL, ioctl(vd.fd, VFIO_DEVICE_QUERY_GFX_PLANE, &p),
			"a probe with a short argsz");
out_close:
	vfio_dev_close(&vd);
}

void cf_check_gfx_query(struct cf_dev *dev)
{
	struct vfio_device_gfx_plane_info p;
	struct vfio_region_info ri;
	struct vfio_device_info info;
	struct vfio_dev vd;
	__u32 type;

	type = cf_display_open(dev, &vd, &p, false);
	if (!type)
		return;
	cf_note("plane: format %#x, %ux%u, stride %u, size %u, %s %u", p.drm_format,
		p.width, p.height, p.stride, p.size,
		type == VFIO_GFX_PLANE_TYPE_REGION ? "region" : "dma-buf id", p.region_index);
	if (!p.width || !p.height || p.stride < p.width)
		cf_fail("plane %ux%u with stride %u", p.width, p.height, p.stride);
	if ((__u64)p.stride * p.height > p.size)
		cf_fail("plane size %u is less than stride %u x height %u", p.size,
			p.stride, p.height);
	if (type == VFIO_GFX_PLANE_TYPE_REGION) {
		if (__vfio_device_info(vd.fd, &info) || p.region_index >= info.num_regions ||
		    __vfio_region_info(vd.fd, p.region_index, &ri))
			cf_fail("the plane's region %u does not exist", p.region_index);
		else if (ri.size < p.size || !(ri.flags & VFIO_REGION_INFO_FLAG_READ))
			cf_fail("the plane's region %u: %llu bytes, flags %#x, for a plane of %u",
				p.region_index, (unsigned long long)ri.size, ri.flags, p.size);
	}
	vfio_dev_close(&vd);
}

static int cf_get_dmabuf(int fd, __u32 id)
{
	int ret = ioctl(fd, VFIO_DEVICE_GET_GFX_DMABUF, &id);

	return ret < 0 ? -errno : ret;
}

static sigjmp_buf cf_gfx_jmp;

static void cf_gfx_fault(int sig)
{
	siglongjmp(cf_gfx_jmp, sig);
}

/* Read a byte of every page of @len at @p: false if it faults. */
static bool cf_touch(__u8 *p, size_t len)
{
	struct sigaction sa = { .sa_handler = cf_gfx_fault };
	size_t off;

	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	if (sigsetjmp(cf_gfx_jmp, 1))
		return false;
	for (off = 0; off < len; off += CF_PAGE)
		__atomic_load_n(&p[off], __ATOMIC_RELAXED);
	return true;
}

/* A dma-buf plane's open device with an exported dma-buf: its fd, or -1. */
static int cf_dmabuf_open(struct cf_dev *dev, struct vfio_dev *vd,
			  struct vfio_device_gfx_plane_info *p)
{
	__u32 type = cf_display_open(dev, vd, p, true);
	int buf;

	if (!type)
		return -1;
	if (type != VFIO_GFX_PLANE_TYPE_DMABUF) {
		cf_skip("a region plane: there is no dma-buf to export");
		vfio_dev_close(vd);
		return -1;
	}
	buf = cf_get_dmabuf(vd->fd, p->dmabuf_id);
	if (buf < 0) {
		cf_fail("GET_GFX_DMABUF of the queried id %u: %s", p->dmabuf_id,
			strerror(-buf));
		vfio_dev_close(vd);
	}
	return buf;
}

void cf_check_dmabuf_export(struct cf_dev *dev)
{
	struct vfio_device_gfx_plane_info p;
	struct vfio_dev vd;
	off_t size;
	void *map;
	int buf, bad;

	buf = cf_dmabuf_open(dev, &vd, &p);
	if (buf < 0)
		return;
	size = lseek(buf, 0, SEEK_END);
	if (size < (off_t)p.size)
		cf_fail("the dma-buf is %lld bytes, the plane %u", (long long)size, p.size);
	map = mmap(NULL, p.size, PROT_READ, MAP_SHARED, buf, 0);
	if (map == MAP_FAILED)
		cf_note("the dma-buf cannot be mapped (%s): its bytes are not compared",
			strerror(errno));
	else if (!cf_touch(map, p.size))
		cf_fail("reading the dma-buf's mapping faults");
	if (map != MAP_FAILED)
		munmap(map, p.size);
	bad = cf_get_dmabuf(vd.fd, p.dmabuf_id + 0x1000);
	if (bad >= 0) {
		cf_fail("GET_GFX_DMABUF of an id the device never gave out succeeded");
		close(bad);
	}
	close(buf);
	vfio_dev_close(&vd);
}

void cf_check_dmabuf_shared(struct cf_dev *dev)
{
	struct vfio_device_gfx_plane_info p;
	struct vfio_dev vd;
	int buf, again, fd2;
	void *map;

	buf = cf_dmabuf_open(dev, &vd, &p);
	if (buf < 0)
		return;
	fd2 = __vfio_dev_fd(&vd);
	if (fd2 < 0) {
		cf_fail("a second fd: %s", strerror(-fd2));
		goto out_close;
	}
	/* A second user sets up and goes: nothing of the display may go. */
	cf_user_setup(fd2);
	close(fd2);
	map = mmap(NULL, p.size, PROT_READ, MAP_SHARED, buf, 0);
	if (map != MAP_FAILED) {
		if (!cf_touch(map, p.size))
			cf_fail("after another fd closed, the dma-buf's mapping faults");
		munmap(map, p.size);
	}
	again = cf_get_dmabuf(vd.fd, p.dmabuf_id);
	if (again < 0)
		cf_fail("after another fd closed, GET_GFX_DMABUF of id %u: %s",
			p.dmabuf_id, strerror(-again));
	else
		close(again);
	if (cf_plane(vd.fd, VFIO_GFX_PLANE_TYPE_DMABUF, &p))
		cf_fail("after another fd closed, QUERY_GFX_PLANE: %s", strerror(errno));
out_close:
	close(buf);
	vfio_dev_close(&vd);
}

void cf_check_dmabuf_outlives(struct cf_dev *dev)
{
	struct vfio_device_gfx_plane_info p;
	struct vfio_dev vd;
	void *map;
	int buf, ret;

	buf = cf_dmabuf_open(dev, &vd, &p);
	if (buf < 0)
		return;
	map = mmap(NULL, p.size, PROT_READ, MAP_SHARED, buf, 0);
	vfio_dev_close(&vd);
	if (!dev->is_mdev) {
		cf_note("a bound device: closed, not removed");
	} else {
		ret = cf_take_away(dev, cf_slow() ? 30000 : 10000);
		if (ret) {
			cf_fail("removing the device while its dma-buf is held: %s",
				strerror(-ret));
		} else {
			dev->uuid[0] = '\0';
		}
	}
	/* The device is gone; its dma-buf and the mapping must still be safe. */
	if (map != MAP_FAILED) {
		if (!cf_touch(map, p.size))
			cf_fail("the dma-buf's mapping faults after its device went away");
		munmap(map, p.size);
	}
	map = mmap(NULL, p.size, PROT_READ, MAP_SHARED, buf, 0);
	if (map != MAP_FAILED) {
		if (!cf_touch(map, p.size))
			cf_fail("a new mapping of the dma-buf faults after its device went away");
		munmap(map, p.size);
	}
	close(buf);
}
