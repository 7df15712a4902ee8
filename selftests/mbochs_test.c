// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs: the Bochs display mdev. Modes and planes, dma-buf export and
 * lifetime, the EDID region and its BAR2 mirror, BAR access at the right
 * offset, reset, the request interrupt, memory pool accounting,
 * open/close_device with several fds, the device set, and bad input to
 * every ioctl.
 */
#include <fcntl.h>
#include <linux/dma-buf.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mbochs_util.h"

struct mb_type {
	const char *name;
	unsigned int mbytes;
	unsigned int max_xres;
	unsigned int max_yres;
};

static const struct mb_type mb_types[] = {
	{ MBOCHS_PARENT "-" MBOCHS_TYPE_SMALL, MBOCHS_TYPE_SMALL_MB, 800, 600 },
	{ MBOCHS_PARENT "-" MBOCHS_TYPE_MEDIUM, MBOCHS_TYPE_MEDIUM_MB, 1920, 1440 },
	{ MBOCHS_PARENT "-" MBOCHS_TYPE_LARGE, MBOCHS_TYPE_LARGE_MB, 0, 0 },
};

static long mb_pool_avail(void)
{
	char buf[64];
	unsigned int total, used, avail;

	VFIO_LIB_CHECK(__sysfs_read(MBOCHS_DEBUGFS "/pool", buf, sizeof(buf)),
		       "pool");
	if (sscanf(buf, "%u %u %u", &total, &used, &avail) != 3)
		vfio_lib_fail("pool: '%s'", buf);
	return avail;
}

/* Fill @len bytes with a pattern that differs per 32-bit word and @seed. */
static void mb_pattern(__u32 *p, size_t len, __u32 seed)
{
	size_t i;

	for (i = 0; i < len / 4; i++)
		p[i] = (__u32)i * 2654435761u ^ seed;
}

static int mb_check_pattern(const __u32 *p, size_t len, __u32 seed)
{
	size_t i;

	for (i = 0; i < len / 4; i++)
		if (p[i] != ((__u32)i * 2654435761u ^ seed))
			return 0;
	return 1;
}

/* ---- one device of each type, opened ---- */

FIXTURE(mbochs) {
	char uuid[UUID_STR_LEN];
	struct vfio_dev dev;
	__u64 vram;
};

FIXTURE_VARIANT(mbochs) {
	const struct mb_type *type;
};

FIXTURE_VARIANT_ADD(mbochs, small) { .type = &mb_types[0] };
FIXTURE_VARIANT_ADD(mbochs, medium) { .type = &mb_types[1] };
FIXTURE_VARIANT_ADD(mbochs, large) { .type = &mb_types[2] };

FIXTURE_SETUP(mbochs)
{
	self->dev.fd = -1;
	if (!mbochs_loaded())
		SKIP(return, "the mbochs module is not loaded");
	mdev_create(MBOCHS_PARENT, variant->type->name, self->uuid);
	vfio_mdev_open(self->uuid, &self->dev);
	self->vram = (__u64)variant->type->mbytes << 20;
}

FIXTURE_TEARDOWN(mbochs)
{
	if (self->dev.fd >= 0)
		vfio_dev_close(&self->dev);
	if (self->uuid[0])
		__mdev_remove(self->uuid);
}

TEST_F(mbochs, device_and_regions)
{
	struct vfio_device_info info;
	struct vfio_region_info r;
	int fd = self->dev.fd;
	unsigned int i;

	ASSERT_EQ(0, __vfio_device_info(fd, &info));
	EXPECT_EQ(VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET, info.flags);
	EXPECT_EQ(MBOCHS_NUM_REGIONS, info.num_regions);
	EXPECT_EQ(VFIO_PCI_NUM_IRQS, info.num_irqs);

	vfio_region_info(fd, VFIO_PCI_BAR0_REGION_INDEX, &r);
	EXPECT_EQ(self->vram, r.size);
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
		  VFIO_REGION_INFO_FLAG_MMAP, r.flags);
	vfio_region_info(fd, VFIO_PCI_BAR2_REGION_INDEX, &r);
	EXPECT_EQ(MBOCHS_MMIO_SIZE, r.size);
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE,
		  r.flags);
	vfio_region_info(fd, VFIO_PCI_CONFIG_REGION_INDEX, &r);
	EXPECT_EQ(256, r.size);
	for (i = 0; i < VFIO_PCI_NUM_REGIONS; i++) {
		if (i == 0 || i == 2 || i == VFIO_PCI_CONFIG_REGION_INDEX)
			continue;
		vfio_region_info(fd, i, &r);
		EXPECT_EQ(0, r.size);
		EXPECT_EQ(0, r.flags);
	}

	/* Config space: stdvga identity and a full 256-byte header. */
	EXPECT_EQ(MBOCHS_PCI_VENDOR_ID, vfio_cfg_read(fd, 0x00, 2));
	EXPECT_EQ(MBOCHS_PCI_DEVICE_ID, vfio_cfg_read(fd, 0x02, 2));
	EXPECT_EQ(MBOCHS_PCI_CLASS << 8 | MBOCHS_PCI_REVISION,
		  vfio_cfg_read(fd, 0x08, 4));
	EXPECT_EQ(0, vfio_cfg_read(fd, 0xfc, 4));
	/* BAR sizing: all ones reads back the size mask and the flags. */
	vfio_cfg_write(fd, 0x10, 0xffffffff, 4);
	EXPECT_EQ((__u32)~(self->vram - 1) | 0x8, vfio_cfg_read(fd, 0x10, 4));
	vfio_cfg_write(fd, 0x18, 0xffffffff, 4);
	EXPECT_EQ((__u32)~(MBOCHS_MMIO_SIZE - 1), vfio_cfg_read(fd, 0x18, 4));
	vfio_cfg_write(fd, 0x14, 0xffffffff, 4);
	EXPECT_EQ(0, vfio_cfg_read(fd, 0x14, 4));
	/* Read-only identity stays. */
	vfio_cfg_write(fd, 0x00, 0xdeadbeef, 4);
	EXPECT_EQ(MBOCHS_PCI_VENDOR_ID, vfio_cfg_read(fd, 0x00, 2));
}

TEST_F(mbochs, dispi_registers)
{
	int fd = self->dev.fd;
	__u32 v;

	EXPECT_EQ(MBOCHS_DISPI_ID5, mbochs_dispi_read(fd, MBOCHS_DISPI_ID));
	EXPECT_EQ(self->vram >> 16,
		  mbochs_dispi_read(fd, MBOCHS_DISPI_VIDEO_MEMORY_64K));
	/* The hardware description is read only. */
	mbochs_dispi_write(fd, MBOCHS_DISPI_ID, 0x1234);
	mbochs_dispi_write(fd, MBOCHS_DISPI_VIDEO_MEMORY_64K, 1);
	EXPECT_EQ(MBOCHS_DISPI_ID5, mbochs_dispi_read(fd, MBOCHS_DISPI_ID));
	EXPECT_EQ(self->vram >> 16,
		  mbochs_dispi_read(fd, MBOCHS_DISPI_VIDEO_MEMORY_64K));

	mbochs_dispi_write(fd, MBOCHS_DISPI_XRES, 640);
	EXPECT_EQ(640, mbochs_dispi_read(fd, MBOCHS_DISPI_XRES));
	/* GETCAPS reports the largest values, then the real ones return. */
	mbochs_dispi_write(fd, MBOCHS_DISPI_ENABLE, MBOCHS_DISPI_GETCAPS);
	EXPECT_EQ(MBOCHS_DISPI_MAX_XRES, mbochs_dispi_read(fd, MBOCHS_DISPI_XRES));
	EXPECT_EQ(MBOCHS_DISPI_MAX_BPP, mbochs_dispi_read(fd, MBOCHS_DISPI_BPP));
	mbochs_dispi_write(fd, MBOCHS_DISPI_ENABLE, 0);
	EXPECT_EQ(640, mbochs_dispi_read(fd, MBOCHS_DISPI_XRES));

	/* QEMU extended registers: bochs DRM checks size and byte order. */
	vfio_region_read(fd, VFIO_PCI_BAR2_REGION_INDEX,
			 MBOCHS_MMIO_QEXT_SIZE_REG, &v, 4);
	EXPECT_EQ(MBOCHS_MMIO_QEXT_SIZE, v);
	vfio_region_read(fd, VFIO_PCI_BAR2_REGION_INDEX,
			 MBOCHS_MMIO_QEXT_BYTEORDER, &v, 4);
	EXPECT_EQ(MBOCHS_QEXT_LITTLE_ENDIAN, v);
}

/* Mode and plane: the first query after each mode change succeeds. */
TEST_F(mbochs, mode_and_plane)
{
	struct vfio_device_gfx_plane_info p = { .argsz = sizeof(p) };
	int fd = self->dev.fd;
	__u32 id1, id2;

	p.flags = VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_DMABUF;
	EXPECT_EQ(0, ioctl(fd, VFIO_DEVICE_QUERY_GFX_PLANE, &p));

	/* Disabled display: success with a zeroed plane. */
	mbochs_query_plane(fd, &p);
	EXPECT_EQ(0, p.drm_format);
	EXPECT_EQ(0, p.width);
	EXPECT_EQ(0, p.size);
	EXPECT_EQ(0, p.dmabuf_id);

	mbochs_set_mode(fd, 640, 480, 640, 0);
	mbochs_query_plane(fd, &p);
	EXPECT_EQ(MB_FORMAT_XRGB8888, p.drm_format);
	EXPECT_EQ(640, p.width);
	EXPECT_EQ(480, p.height);
	EXPECT_EQ(640 * 4, p.stride);
	EXPECT_EQ(640 * 4 * 480, p.size);
	EXPECT_NE(0, p.dmabuf_id);
	id1 = p.dmabuf_id;
	/* The same mode keeps its id. */
	mbochs_query_plane(fd, &p);
	EXPECT_EQ(id1, p.dmabuf_id);

	/* A new mode, with a wider virtual line: new id, stride follows. */
	mbochs_set_mode(fd, 800, 600, 1024, 0);
	mbochs_query_plane(fd, &p);
	EXPECT_EQ(800, p.width);
	EXPECT_EQ(600, p.height);
	EXPECT_EQ(1024 * 4, p.stride);
	EXPECT_EQ(1024 * 4 * 600, p.size);
	id2 = p.dmabuf_id;
	EXPECT_NE(0, id2);
	EXPECT_NE(id1, id2);

	/* No cursor plane. */
	ASSERT_EQ(0, __mbochs_query_plane(fd, MB_PLANE_CURSOR, &p));
	EXPECT_EQ(0, p.size);
	EXPECT_EQ(0, p.dmabuf_id);

	/* A mode larger than video memory has no plane. */
	mbochs_set_mode(fd, 4096, 4096, 4096, 0);
	if (self->vram < 4096ULL * 4096 * 4) {
		mbochs_query_plane(fd, &p);
		EXPECT_EQ(0, p.size);
		EXPECT_EQ(0, p.dmabuf_id);
	}
	/* Unsupported depth: no plane. */
	mbochs_set_mode(fd, 640, 480, 640, 0);
	mbochs_dispi_write(fd, MBOCHS_DISPI_BPP, 16);
	mbochs_query_plane(fd, &p);
	EXPECT_EQ(0, p.dmabuf_id);
}

/* dma-buf round trip: pixels written through BAR0 read through the dma-buf. */
TEST_F(mbochs, dmabuf_round_trip)
{
	struct vfio_device_gfx_plane_info p;
	const size_t fb = 640 * 480 * 4;
	const unsigned int yoff = 480;	/* second buffer, as a page flip */
	int fd = self->dev.fd, dfd;
	__u8 *bar0, *buf;
	__u32 word;

	mbochs_set_mode(fd, 640, 480, 640, yoff);
	mbochs_query_plane(fd, &p);
	ASSERT_EQ(fb, p.size);
	dfd = mbochs_get_dmabuf(fd, p.dmabuf_id);
	ASSERT_EQ(fb, lseek(dfd, 0, SEEK_END));

	bar0 = mbochs_mmap_region(fd, VFIO_PCI_BAR0_REGION_INDEX, 0, 2 * fb);
	ASSERT_NE(MAP_FAILED, bar0);
	buf = mmap(NULL, fb, PROT_READ | PROT_WRITE, MAP_SHARED, dfd, 0);
	ASSERT_NE(MAP_FAILED, buf);

	/* Through the BAR0 mapping, at the plane's offset. */
	mb_pattern((__u32 *)(bar0 + fb), fb, 0x1234);
	EXPECT_TRUE(mb_check_pattern((__u32 *)buf, fb, 0x1234));
	/* The first buffer is not the plane. */
	EXPECT_EQ(0, *(__u32 *)bar0);

	/* Through write() at an offset: lands at exactly that pixel. */
	word = 0xcafef00d;
	vfio_region_write(fd, VFIO_PCI_BAR0_REGION_INDEX, fb + 4 * 1000 + 2,
			  &word, 4);
	EXPECT_EQ(0, memcmp(buf + 4 * 1000 + 2, &word, 4));
	/* And read() sees what the dma-buf writes. */
	memcpy(buf + 8192 - 3, "mbochs!", 7);
	{
		char back[7];

		vfio_region_read(fd, VFIO_PCI_BAR0_REGION_INDEX, fb + 8192 - 3,
				 back, 7);
		EXPECT_EQ(0, memcmp(back, "mbochs!", 7));
	}
	/* A second export of the same plane shares the pages. */
	{
		int dfd2 = mbochs_get_dmabuf(fd, p.dmabuf_id);
		__u8 *b2 = mmap(NULL, fb, PROT_READ, MAP_SHARED, dfd2, 0);

		ASSERT_NE(MAP_FAILED, b2);
		EXPECT_EQ(0, memcmp(b2, buf, fb));
		munmap(b2, fb);
		close(dfd2);
	}
	/* The dma-buf is exactly the plane: no mapping past its end. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, fb + 4096, PROT_READ, MAP_SHARED,
				   dfd, 0));

	munmap(buf, fb);
	munmap(bar0, 2 * fb);
	close(dfd);
}

/* read()/write() act at the offset asked for, and only inside the BAR. */
TEST_F(mbochs, bar_access_bounds)
{
	int fd = self->dev.fd;
	__u8 in[6000], out[6000];
	__u8 *bar0;
	__u16 v16;
	size_t i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = i * 7 + 3;
	/* Unaligned, across a page boundary. */
	vfio_region_write(fd, VFIO_PCI_BAR0_REGION_INDEX, 4096 * 3 - 1001, in,
			  sizeof(in));
	vfio_region_read(fd, VFIO_PCI_BAR0_REGION_INDEX, 4096 * 3 - 1001, out,
			 sizeof(out));
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
	bar0 = mbochs_mmap_region(fd, VFIO_PCI_BAR0_REGION_INDEX, 0, 4096 * 5);
	ASSERT_NE(MAP_FAILED, bar0);
	EXPECT_EQ(0, memcmp(bar0 + 4096 * 3 - 1001, in, sizeof(in)));
	EXPECT_EQ(0, bar0[4096 * 3 - 1002]);
	EXPECT_EQ(0, bar0[4096 * 3 - 1001 + sizeof(in)]);
	munmap(bar0, 4096 * 5);

	/* The last bytes of each BAR, then one past. */
	EXPECT_EQ(4, __vfio_region_write(fd, VFIO_PCI_BAR0_REGION_INDEX,
					 self->vram - 4, in, 4));
	EXPECT_EQ(4, __vfio_region_read(fd, VFIO_PCI_BAR0_REGION_INDEX,
					self->vram - 4, out, 4));
	EXPECT_EQ(0, memcmp(in, out, 4));
	EXPECT_EQ(-EINVAL, __vfio_region_read(fd, VFIO_PCI_BAR0_REGION_INDEX,
					      self->vram - 2, out, 4));
	EXPECT_EQ(-EINVAL, __vfio_region_write(fd, VFIO_PCI_BAR0_REGION_INDEX,
					       self->vram, in, 1));
	EXPECT_EQ(2, __vfio_region_read(fd, VFIO_PCI_BAR2_REGION_INDEX,
					MBOCHS_MMIO_SIZE - 2, &v16, 2));
	EXPECT_EQ(-EINVAL, __vfio_region_read(fd, VFIO_PCI_BAR2_REGION_INDEX,
					      MBOCHS_MMIO_SIZE - 1, &v16, 2));
	EXPECT_EQ(-EINVAL, __vfio_region_read(fd, VFIO_PCI_CONFIG_REGION_INDEX,
					      256, &v16, 1));
	/* BAR2 offsets: XRES and YRES are two registers apart. */
	mbochs_dispi_write(fd, MBOCHS_DISPI_XRES, 0x111);
	mbochs_dispi_write(fd, MBOCHS_DISPI_YRES, 0x222);
	{
		__u32 v32;

		vfio_region_read(fd, VFIO_PCI_BAR2_REGION_INDEX,
				 MBOCHS_MMIO_DISPI + 2, &v32, 4);
		EXPECT_EQ(0x02220111, v32);
	}
}

#define EDID_REG(field)	offsetof(struct vfio_region_gfx_edid, field)

TEST_F(mbochs, edid_region_and_mirror)
{
	struct vfio_region_gfx_edid regs;
	struct {
		struct vfio_region_info info;
		struct vfio_region_info_cap_type type;
	} ri = { .info.argsz = sizeof(ri),
		 .info.index = MBOCHS_EDID_REGION_INDEX };
	const unsigned int e = MBOCHS_EDID_REGION_INDEX;
	__u8 blob[256], mirror[MBOCHS_MMIO_EDID_SIZE];
	int fd = self->dev.fd;
	__u32 v;
	size_t i;

	ASSERT_EQ(0, ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, &ri));
	EXPECT_TRUE(ri.info.flags & VFIO_REGION_INFO_FLAG_CAPS);
	ASSERT_EQ(sizeof(ri.info), ri.info.cap_offset);
	EXPECT_EQ(VFIO_REGION_INFO_CAP_TYPE, ri.type.header.id);
	EXPECT_EQ(VFIO_REGION_TYPE_GFX, ri.type.type);
	EXPECT_EQ(VFIO_REGION_SUBTYPE_GFX_EDID, ri.type.subtype);
	EXPECT_EQ(MBOCHS_EDID_REGION_SIZE, ri.info.size);

	vfio_region_read(fd, e, 0, &regs, sizeof(regs));
	EXPECT_EQ(MBOCHS_EDID_BLOB_OFFSET, regs.edid_offset);
	EXPECT_EQ(MBOCHS_EDID_BLOB_MAX, regs.edid_max_size);
	EXPECT_EQ(0, regs.edid_size);
	EXPECT_EQ(variant->type->max_xres, regs.max_xres);
	EXPECT_EQ(variant->type->max_yres, regs.max_yres);
	EXPECT_EQ(VFIO_DEVICE_GFX_LINK_STATE_DOWN, regs.link_state);

	/* The update protocol: link down, blob and size, link up. */
	for (i = 0; i < sizeof(blob); i++)
		blob[i] = i ^ 0x5a;
	blob[0] = 0x00;
	blob[1] = 0xff;
	vfio_region_write(fd, e, regs.edid_offset, blob, sizeof(blob));
	v = 128;
	vfio_region_write(fd, e, EDID_REG(edid_size), &v, 4);
	/* Link still down: the guest sees no EDID. */
	vfio_region_read(fd, VFIO_PCI_BAR2_REGION_INDEX, 0, mirror, 128);
	for (i = 0; i < 128; i++)
		ASSERT_EQ(0, mirror[i]);
	v = VFIO_DEVICE_GFX_LINK_STATE_UP;
	vfio_region_write(fd, e, EDID_REG(link_state), &v, 4);
	vfio_region_read(fd, VFIO_PCI_BAR2_REGION_INDEX, 0, mirror,
			 sizeof(mirror));
	EXPECT_EQ(0, memcmp(mirror, blob, 128));
	/* Past edid_size the mirror reads zero. */
	for (i = 128; i < sizeof(mirror); i++)
		ASSERT_EQ(0, mirror[i]);
	/* Read back through the region. */
	memset(mirror, 0, sizeof(mirror));
	vfio_region_read(fd, e, regs.edid_offset + 100, mirror, 20);
	EXPECT_EQ(0, memcmp(mirror, blob + 100, 20));
	vfio_region_read(fd, e, 0, &regs, sizeof(regs));
	EXPECT_EQ(128, regs.edid_size);
	EXPECT_EQ(VFIO_DEVICE_GFX_LINK_STATE_UP, regs.link_state);
	/* The guest cannot write the mirror. */
	v = 0xffffffff;
	vfio_region_write(fd, VFIO_PCI_BAR2_REGION_INDEX, 0, &v, 4);
	vfio_region_read(fd, VFIO_PCI_BAR2_REGION_INDEX, 0, &v, 4);
	EXPECT_EQ(0, memcmp(&v, blob, 4));
	/* A reset keeps the host's EDID. */
	ASSERT_EQ(0, ioctl(fd, VFIO_DEVICE_RESET));
	vfio_region_read(fd, VFIO_PCI_BAR2_REGION_INDEX, 0, &v, 4);
	EXPECT_EQ(0, memcmp(&v, blob, 4));

	/* Link down again hides it. */
	v = VFIO_DEVICE_GFX_LINK_STATE_DOWN;
	vfio_region_write(fd, e, EDID_REG(link_state), &v, 4);
	vfio_region_read(fd, VFIO_PCI_BAR2_REGION_INDEX, 0, &v, 4);
	EXPECT_EQ(0, v);

	/* Bad input. */
	v = 7;
	EXPECT_EQ(-EINVAL, __vfio_region_write(fd, e, EDID_REG(link_state),
					       &v, 4));
	v = MBOCHS_EDID_BLOB_MAX + 1;
	EXPECT_EQ(-EINVAL, __vfio_region_write(fd, e, EDID_REG(edid_size),
					       &v, 4));
	v = 0;
	EXPECT_EQ(-EINVAL, __vfio_region_write(fd, e, 0 /* edid_offset, RO */,
					       &v, 4));
	EXPECT_EQ(-EINVAL, __vfio_region_read(fd, e, 2, &v, 4));
	EXPECT_EQ(-EINVAL, __vfio_region_read(fd, e, 0, &v, 2));
	EXPECT_EQ(-EINVAL, __vfio_region_write(fd, e, MBOCHS_EDID_REGION_SIZE - 4,
					       blob, 8));
	vfio_region_read(fd, e, 0, &regs, sizeof(regs));
	EXPECT_EQ(128, regs.edid_size);
	EXPECT_EQ(VFIO_DEVICE_GFX_LINK_STATE_DOWN, regs.link_state);
}

TEST_F(mbochs, reset)
{
	struct vfio_device_gfx_plane_info p;
	int fd = self->dev.fd;
	__u32 word = 0x600dcafe, back = 0;

	mbochs_set_mode(fd, 640, 480, 640, 0);
	vfio_region_write(fd, VFIO_PCI_BAR0_REGION_INDEX, 64, &word, 4);
	vfio_cfg_write(fd, 0x04, 0x2, 2);	/* memory decode on */
	ASSERT_EQ(0, ioctl(fd, VFIO_DEVICE_RESET));
	EXPECT_EQ(0, mbochs_dispi_read(fd, MBOCHS_DISPI_ENABLE));
	EXPECT_EQ(0, mbochs_dispi_read(fd, MBOCHS_DISPI_XRES));
	EXPECT_EQ(MBOCHS_DISPI_ID5, mbochs_dispi_read(fd, MBOCHS_DISPI_ID));
	EXPECT_EQ(0, vfio_cfg_read(fd, 0x04, 2));
	mbochs_query_plane(fd, &p);
	EXPECT_EQ(0, p.dmabuf_id);
	/* Video memory survives a reset, as on the real device. */
	vfio_region_read(fd, VFIO_PCI_BAR0_REGION_INDEX, 64, &back, 4);
	EXPECT_EQ(word, back);
}

/* Bad input to every ioctl, read/write and mmap gets a clean errno. */
TEST_F(mbochs, negative)
{
	struct vfio_device_gfx_plane_info p;
	struct vfio_region_info r;
	struct vfio_irq_info ii;
	struct vfio_irq_set is;
	struct vfio_device_info di;
	int fd = self->dev.fd;
	__u32 id;
	void *m;

	/* GET_INFO */
	di.argsz = offsetof(struct vfio_device_info, num_irqs);
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_GET_INFO, &di));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_GET_INFO, NULL));
	EXPECT_EQ(EFAULT, errno);

	/* GET_REGION_INFO */
	r.argsz = 8;
	r.index = 0;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, &r));
	EXPECT_EQ(EINVAL, errno);
	r.argsz = sizeof(r);
	r.index = MBOCHS_NUM_REGIONS;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, &r));
	EXPECT_EQ(EINVAL, errno);
	r.index = 0xffffffff;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, &r));
	EXPECT_EQ(EINVAL, errno);
	/* Too small for the EDID capability: told how much is needed. */
	r.index = MBOCHS_EDID_REGION_INDEX;
	ASSERT_EQ(0, ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, &r));
	EXPECT_LT(sizeof(r), r.argsz);
	EXPECT_EQ(0, r.cap_offset);
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, (void *)8));
	EXPECT_EQ(EFAULT, errno);

	/* GET_IRQ_INFO: every index exists with no interrupts. */
	ii.argsz = sizeof(ii);
	ii.index = VFIO_PCI_INTX_IRQ_INDEX;
	ASSERT_EQ(0, __vfio_irq_info(fd, VFIO_PCI_INTX_IRQ_INDEX, &ii));
	EXPECT_EQ(0, ii.count);
	ii.index = VFIO_PCI_NUM_IRQS;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_GET_IRQ_INFO, &ii));
	EXPECT_EQ(EINVAL, errno);
	ii.argsz = 4;
	ii.index = 0;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_GET_IRQ_INFO, &ii));
	EXPECT_EQ(EINVAL, errno);

	/* SET_IRQS: nothing to set. */
	memset(&is, 0, sizeof(is));
	is.argsz = sizeof(is);
	is.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
	is.index = VFIO_PCI_INTX_IRQ_INDEX;
	is.count = 1;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, &is));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-EINVAL, __vfio_irq_set_eventfd(fd, VFIO_PCI_MSI_IRQ_INDEX, 0, -1));
	is.argsz = 8;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, &is));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, NULL));
	EXPECT_EQ(EFAULT, errno);

	/* QUERY_GFX_PLANE */
	memset(&p, 0, sizeof(p));
	p.argsz = offsetof(struct vfio_device_gfx_plane_info, dmabuf_id);
	p.flags = VFIO_GFX_PLANE_TYPE_DMABUF;
	p.drm_plane_type = MB_PLANE_PRIMARY;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_QUERY_GFX_PLANE, &p));
	EXPECT_EQ(EINVAL, errno);
	p.argsz = sizeof(p);
	p.flags = 0;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_QUERY_GFX_PLANE, &p));
	EXPECT_EQ(EINVAL, errno);
	p.flags = VFIO_GFX_PLANE_TYPE_REGION;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_QUERY_GFX_PLANE, &p));
	EXPECT_EQ(EINVAL, errno);
	p.flags = VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_REGION;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_QUERY_GFX_PLANE, &p));
	EXPECT_EQ(EINVAL, errno);
	p.flags = VFIO_GFX_PLANE_TYPE_PROBE;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_QUERY_GFX_PLANE, &p));
	EXPECT_EQ(EINVAL, errno);
	p.flags = VFIO_GFX_PLANE_TYPE_DMABUF | VFIO_GFX_PLANE_TYPE_REGION;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_QUERY_GFX_PLANE, &p));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-EINVAL, __mbochs_query_plane(fd, 3, &p));
	EXPECT_EQ(-EINVAL, __mbochs_query_plane(fd, 0xffffffff, &p));
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_QUERY_GFX_PLANE, NULL));
	EXPECT_EQ(EFAULT, errno);

	/* GET_GFX_DMABUF */
	EXPECT_EQ(-ENOENT, __mbochs_get_dmabuf(fd, 0));
	EXPECT_EQ(-ENOENT, __mbochs_get_dmabuf(fd, 12345));
	EXPECT_EQ(-ENOENT, __mbochs_get_dmabuf(fd, 0xffffffff));
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_GET_GFX_DMABUF, NULL));
	EXPECT_EQ(EFAULT, errno);
	mbochs_set_mode(fd, 640, 480, 640, 0);
	mbochs_query_plane(fd, &p);
	id = p.dmabuf_id;
	EXPECT_EQ(-ENOENT, __mbochs_get_dmabuf(fd, id + 1));

	/* RESET takes no argument and cannot fail. */
	EXPECT_EQ(0, ioctl(fd, VFIO_DEVICE_RESET, 0xdeadUL));

	/* Unknown ioctls, including VFIO ones mbochs does not implement. */
	EXPECT_EQ(-1, ioctl(fd, _IO(VFIO_TYPE, VFIO_BASE + 100)));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_PCI_HOT_RESET, NULL));
	EXPECT_EQ(ENOTTY, errno);

	/*
	 * read/write on regions that do not exist (at the offset region
	 * info gives them), or past the last region.
	 */
	vfio_region_info(fd, 1, &r);
	EXPECT_EQ(-1, pread(fd, &id, 4, r.offset));
	EXPECT_EQ(EINVAL, errno);
	vfio_region_info(fd, 8, &r);
	EXPECT_EQ(-1, pwrite(fd, &id, 4, r.offset));
	EXPECT_EQ(EINVAL, errno);
	vfio_region_info(fd, MBOCHS_EDID_REGION_INDEX, &r);
	EXPECT_EQ(-1, pread(fd, &id, 4, 2 * r.offset));	/* region 18 */
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pread(fd, &id, 4, 0x7fffffffffffff00LL));
	EXPECT_EQ(EINVAL, errno);

	/* mmap: only BAR0, only shared, only inside. */
	m = mbochs_mmap_region(fd, VFIO_PCI_BAR2_REGION_INDEX, 0, 4096);
	EXPECT_EQ(MAP_FAILED, m);
	m = mbochs_mmap_region(fd, VFIO_PCI_BAR0_REGION_INDEX, self->vram - 4096,
			       8192);
	EXPECT_EQ(MAP_FAILED, m);
	m = mbochs_mmap_region(fd, VFIO_PCI_BAR0_REGION_INDEX, self->vram, 4096);
	EXPECT_EQ(MAP_FAILED, m);
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	EXPECT_EQ(MAP_FAILED, m);
	m = mbochs_mmap_region(fd, VFIO_PCI_BAR0_REGION_INDEX, self->vram - 4096,
			       4096);
	ASSERT_NE(MAP_FAILED, m);
	memset(m, 1, 4096);
	EXPECT_EQ(1, ((__u8 *)m)[4095]);
	munmap(m, 4096);
}

/* The request interrupt: the one index with a vector, and every form. */
TEST_F(mbochs, request_irq)
{
	const __u32 trig = VFIO_IRQ_SET_ACTION_TRIGGER;
	const __u32 req = VFIO_PCI_REQ_IRQ_INDEX;
	int fd = self->dev.fd, efd = mbochs_eventfd(), notfd;
	struct vfio_irq_info ii;
	__s32 v32;
	__u8 v8;
	__u32 i;

	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++) {
		ASSERT_EQ(0, __vfio_irq_info(fd, i, &ii));
		EXPECT_EQ(i == req ? 1 : 0, ii.count);
		EXPECT_EQ(i == req ? VFIO_IRQ_INFO_EVENTFD |
			  VFIO_IRQ_INFO_NORESIZE : 0, ii.flags);
	}

	/* Loopback with nothing wired: no error, nothing to signal. */
	EXPECT_EQ(0, __mbochs_set_irqs(fd, VFIO_IRQ_SET_DATA_NONE | trig, req,
				       0, 1, NULL, 0));
	ASSERT_EQ(0, __vfio_irq_set_eventfd(fd, req, 0, efd));
	EXPECT_EQ(0, eventfd_wait(efd, 0));
	EXPECT_EQ(0, __mbochs_set_irqs(fd, VFIO_IRQ_SET_DATA_NONE | trig, req,
				       0, 1, NULL, 0));
	EXPECT_EQ(1, eventfd_wait(efd, 0));
	v8 = 0;
	EXPECT_EQ(0, __mbochs_set_irqs(fd, VFIO_IRQ_SET_DATA_BOOL | trig, req,
				       0, 1, &v8, 1));
	EXPECT_EQ(0, eventfd_wait(efd, 0));
	v8 = 1;
	EXPECT_EQ(0, __mbochs_set_irqs(fd, VFIO_IRQ_SET_DATA_BOOL | trig, req,
				       0, 1, &v8, 1));
	EXPECT_EQ(1, eventfd_wait(efd, 0));

	/* Bad forms change nothing. */
	v32 = -2;
	EXPECT_EQ(-EINVAL, __mbochs_set_irqs(fd, VFIO_IRQ_SET_DATA_EVENTFD |
					     trig, req, 0, 1, &v32, 4));
	notfd = open("/dev/null", O_RDONLY);
	ASSERT_LE(0, notfd);
	EXPECT_EQ(-EINVAL, __vfio_irq_set_eventfd(fd, req, 0, notfd));
	close(notfd);
	EXPECT_EQ(-EBADF, __vfio_irq_set_eventfd(fd, req, 0, 1000000));
	EXPECT_EQ(-EINVAL, __vfio_irq_action(fd, req, 0,
					     VFIO_IRQ_SET_ACTION_MASK));
	EXPECT_EQ(-EINVAL, __vfio_irq_action(fd, req, 0,
					     VFIO_IRQ_SET_ACTION_UNMASK));
	EXPECT_EQ(-EINVAL, __vfio_irq_action(fd, req, 0, trig |
					     VFIO_IRQ_SET_ACTION_MASK));
	EXPECT_EQ(-EINVAL, __vfio_irq_set_eventfd(fd, req, 1, efd));
	EXPECT_EQ(-EINVAL, __mbochs_set_irqs(fd, VFIO_IRQ_SET_DATA_NONE | trig,
					     req, 0, 2, NULL, 0));
	EXPECT_EQ(-EINVAL, __mbochs_set_irqs(fd, VFIO_IRQ_SET_DATA_EVENTFD |
					     trig, req, 0, 0, NULL, 0));
	EXPECT_EQ(-EINVAL, __mbochs_set_irqs(fd, VFIO_IRQ_SET_DATA_NONE |
					     VFIO_IRQ_SET_DATA_BOOL | trig,
					     req, 0, 1, &v8, 1));
	EXPECT_EQ(-EINVAL, __vfio_irq_set_eventfd(fd, VFIO_PCI_ERR_IRQ_INDEX,
						  0, efd));
	EXPECT_EQ(0, __mbochs_set_irqs(fd, VFIO_IRQ_SET_DATA_NONE | trig, req,
				       0, 1, NULL, 0));
	EXPECT_EQ(1, eventfd_wait(efd, 0));

	/* Clearing: fd -1, then count 0 with DATA_NONE; neither signals. */
	ASSERT_EQ(0, __vfio_irq_set_eventfd(fd, req, 0, -1));
	EXPECT_EQ(0, __mbochs_set_irqs(fd, VFIO_IRQ_SET_DATA_NONE | trig, req,
				       0, 1, NULL, 0));
	EXPECT_EQ(0, eventfd_wait(efd, 0));
	ASSERT_EQ(0, __vfio_irq_set_eventfd(fd, req, 0, efd));
	EXPECT_EQ(0, __mbochs_set_irqs(fd, VFIO_IRQ_SET_DATA_NONE | trig, req,
				       0, 0, NULL, 0));
	EXPECT_EQ(0, __mbochs_set_irqs(fd, VFIO_IRQ_SET_DATA_NONE | trig, req,
				       0, 1, NULL, 0));
	EXPECT_EQ(0, eventfd_wait(efd, 0));
	close(efd);
}

/* The device is a set of its own: its set_members names it alone. */
TEST_F(mbochs, set_members)
{
	char path[PATH_MAX], buf[256];

	snprintf(path, sizeof(path), MBOCHS_DEBUGFS "/%s/set_members",
		 self->uuid);
	if (!path_exists(path))
		SKIP(return, "mbochs built without test hooks");
	/* One line: the trailing newline is dropped by the read. */
	ASSERT_EQ(0, __sysfs_read(path, buf, sizeof(buf)));
	EXPECT_STREQ(self->uuid, buf);
}

/* ---- devices created and removed by the test itself ---- */

/* With two fds, closing one leaves the planes, dma-bufs and mode intact. */
TEST(mbochs_multi_fd)
{
	struct vfio_device_gfx_plane_info p;
	char uuid[UUID_STR_LEN];
	const size_t fb = 640 * 480 * 4;
	struct vfio_dev dev;
	int fd2, dfd, dfd2;
	__u8 *buf, *b2;
	__u32 id, w = 1;

	if (!mbochs_loaded())
		SKIP(return, "the mbochs module is not loaded");
	mdev_create(MBOCHS_PARENT, mb_types[1].name, uuid);
	vfio_mdev_open(uuid, &dev);
	fd2 = vfio_dev_fd(&dev);
	EXPECT_EQ(1, mbochs_counter(uuid, "open_count"));

	mbochs_set_mode(dev.fd, 640, 480, 640, 0);
	mbochs_query_plane(fd2, &p);
	id = p.dmabuf_id;
	ASSERT_NE(0, id);
	dfd = mbochs_get_dmabuf(dev.fd, id);
	buf = mmap(NULL, fb, PROT_READ | PROT_WRITE, MAP_SHARED, dfd, 0);
	ASSERT_NE(MAP_FAILED, buf);
	mb_pattern((__u32 *)buf, fb, 77);

	/* Close the fd that set the mode and exported the dma-buf. */
	close(dev.fd);
	dev.fd = -1;
	EXPECT_EQ(0, mbochs_counter(uuid, "close_count"));
	EXPECT_EQ(1, mbochs_counter(uuid, "planes"));
	EXPECT_EQ(640, mbochs_dispi_read(fd2, MBOCHS_DISPI_XRES));
	mbochs_query_plane(fd2, &p);
	EXPECT_EQ(id, p.dmabuf_id);
	dfd2 = mbochs_get_dmabuf(fd2, id);
	b2 = mmap(NULL, fb, PROT_READ, MAP_SHARED, dfd2, 0);
	ASSERT_NE(MAP_FAILED, b2);
	EXPECT_TRUE(mb_check_pattern((__u32 *)b2, fb, 77));
	munmap(b2, fb);
	close(dfd2);

	/* The last close releases the device's hold, not the dma-buf's. */
	close(fd2);
	EXPECT_EQ(1, mbochs_counter(uuid, "close_count"));
	EXPECT_EQ(0, mbochs_counter(uuid, "planes"));
	EXPECT_EQ(0, mbochs_counter(uuid, "vram_pages"));
	EXPECT_TRUE(mb_check_pattern((__u32 *)buf, fb, 77));

	/* Reopened: power-on state, and the old id is gone. */
	dev.fd = vfio_dev_fd(&dev);
	EXPECT_EQ(2, mbochs_counter(uuid, "open_count"));
	EXPECT_EQ(0, mbochs_dispi_read(dev.fd, MBOCHS_DISPI_ENABLE));
	EXPECT_EQ(-ENOENT, __mbochs_get_dmabuf(dev.fd, id));
	/* Fresh video memory: the dma-buf's pages are no longer the BAR's. */
	vfio_region_read(dev.fd, VFIO_PCI_BAR0_REGION_INDEX, 0, &w, 4);
	EXPECT_EQ(0, w);
	vfio_dev_close(&dev);
	EXPECT_TRUE(mb_check_pattern((__u32 *)buf, fb, 77));
	munmap(buf, fb);
	close(dfd);
	mdev_remove(uuid);
}

/*
 * A dma-buf held after its device is closed and removed stays valid: a
 * mapping made before and one made after both show the frame, CPU access
 * syncs work, its pages are not handed to the next device (which fills
 * all of its video memory), and closing it last, after the device is
 * gone, touches nothing of the device (KASAN on the sanitizer kernel).
 * The dma-buf holds the module.
 */
TEST(mbochs_dmabuf_held_after_removal)
{
	struct dma_buf_sync sync = { .flags = DMA_BUF_SYNC_START |
					      DMA_BUF_SYNC_RW };
	struct vfio_device_gfx_plane_info p;
	char uuid[UUID_STR_LEN], path[PATH_MAX];
	const size_t fb = 800 * 600 * 4;
	long refs = module_refcnt("mbochs");
	__u8 *bar0, *before, *after, orig;
	struct vfio_dev dev;
	int dfd, dfd2;

	if (!mbochs_loaded())
		SKIP(return, "the mbochs module is not loaded");
	mdev_create(MBOCHS_PARENT, mb_types[0].name, uuid);
	vfio_mdev_open(uuid, &dev);
	mbochs_set_mode(dev.fd, 800, 600, 800, 0);
	mbochs_query_plane(dev.fd, &p);
	dfd = mbochs_get_dmabuf(dev.fd, p.dmabuf_id);
	dfd2 = mbochs_get_dmabuf(dev.fd, p.dmabuf_id);
	bar0 = mbochs_mmap_region(dev.fd, VFIO_PCI_BAR0_REGION_INDEX, 0, fb);
	ASSERT_NE(MAP_FAILED, bar0);
	mb_pattern((__u32 *)bar0, fb, 0xabc);
	munmap(bar0, fb);
	before = mmap(NULL, fb, PROT_READ | PROT_WRITE, MAP_SHARED, dfd, 0);
	ASSERT_NE(MAP_FAILED, before);
	vfio_dev_close(&dev);
	mdev_remove(uuid);
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s", uuid);
	EXPECT_FALSE(path_exists(path));

	/* The dma-bufs keep the module, and their pages, alive. */
	EXPECT_EQ(refs + 2, module_refcnt("mbochs"));
	EXPECT_TRUE(mb_check_pattern((__u32 *)before, fb, 0xabc));
	after = mmap(NULL, fb, PROT_READ | PROT_WRITE, MAP_SHARED, dfd, 0);
	ASSERT_NE(MAP_FAILED, after);
	EXPECT_TRUE(mb_check_pattern((__u32 *)after, fb, 0xabc));
	EXPECT_EQ(0, ioctl(dfd, DMA_BUF_IOCTL_SYNC, &sync));
	orig = after[5];
	after[5] = 0x5a;
	sync.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW;
	EXPECT_EQ(0, ioctl(dfd, DMA_BUF_IOCTL_SYNC, &sync));
	EXPECT_EQ(0x5a, before[5]);
	EXPECT_EQ((off_t)p.size, lseek(dfd2, 0, SEEK_END));

	/* The next device's video memory is other pages. */
	mdev_create(MBOCHS_PARENT, mb_types[0].name, uuid);
	vfio_mdev_open(uuid, &dev);
	bar0 = mbochs_mmap_region(dev.fd, VFIO_PCI_BAR0_REGION_INDEX, 0,
				  (size_t)mb_types[0].mbytes << 20);
	ASSERT_NE(MAP_FAILED, bar0);
	memset(bar0, 0xee, (size_t)mb_types[0].mbytes << 20);
	munmap(bar0, (size_t)mb_types[0].mbytes << 20);
	vfio_dev_close(&dev);
	mdev_remove(uuid);
	after[5] = orig;
	EXPECT_TRUE(mb_check_pattern((__u32 *)before, fb, 0xabc));

	munmap(after, fb);
	munmap(before, fb);
	close(dfd);
	EXPECT_EQ(refs + 1, module_refcnt("mbochs"));
	close(dfd2);
	EXPECT_EQ(refs, module_refcnt("mbochs"));
}

/*
 * Removing an open device signals the request eventfd and waits; the
 * removal completes once the user closes its last fd. The remover is a
 * child process holding no fd of the device, so that whatever the driver
 * does, closing ours lets it finish: a broken driver fails the test
 * instead of hanging it.
 */
TEST(mbochs_remove_while_open)
{
	int efd = mbochs_eventfd(), status = -1;
	char uuid[UUID_STR_LEN], path[PATH_MAX];
	struct vfio_dev dev;
	pid_t pid;

	if (!mbochs_loaded())
		SKIP(return, "the mbochs module is not loaded");
	mdev_create(MBOCHS_PARENT, mb_types[0].name, uuid);
	vfio_mdev_open(uuid, &dev);
	ASSERT_EQ(0, __vfio_irq_set_eventfd(dev.fd, VFIO_PCI_REQ_IRQ_INDEX, 0,
					    efd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		vfio_dev_close(&dev);
		_exit(__mdev_remove(uuid) ? 1 : 0);
	}

	/* Returns once the request op ran; the remover still waits for us. */
	EXPECT_LT(0, eventfd_wait(efd, 20000));
	EXPECT_EQ(0, waitpid(pid, &status, WNOHANG));
	EXPECT_EQ(0, ioctl(dev.fd, VFIO_DEVICE_RESET));	/* still usable */

	vfio_dev_close(&dev);	/* the last close lets the removal finish */
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s", uuid);
	EXPECT_FALSE(path_exists(path));
	close(efd);
}

/* The last close drops the request eventfd: the next user starts bare. */
TEST(mbochs_last_close_drops_request)
{
	const __u32 loop = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
	int efd = mbochs_eventfd(), fd2;
	char uuid[UUID_STR_LEN];
	struct vfio_dev dev;

	if (!mbochs_loaded())
		SKIP(return, "the mbochs module is not loaded");
	mdev_create(MBOCHS_PARENT, mb_types[0].name, uuid);
	vfio_mdev_open(uuid, &dev);
	fd2 = vfio_dev_fd(&dev);
	ASSERT_EQ(0, __vfio_irq_set_eventfd(dev.fd, VFIO_PCI_REQ_IRQ_INDEX, 0,
					    efd));
	/* Not the last close: the eventfd stays wired. */
	close(fd2);
	EXPECT_EQ(0, __mbochs_set_irqs(dev.fd, loop, VFIO_PCI_REQ_IRQ_INDEX,
				       0, 1, NULL, 0));
	EXPECT_EQ(1, eventfd_wait(efd, 0));

	close(dev.fd);
	dev.fd = vfio_dev_fd(&dev);
	EXPECT_EQ(0, __mbochs_set_irqs(dev.fd, loop, VFIO_PCI_REQ_IRQ_INDEX,
				       0, 1, NULL, 0));
	EXPECT_EQ(0, eventfd_wait(efd, 0));
	vfio_dev_close(&dev);
	mdev_remove(uuid);
	close(efd);
}

/* Fill the pool across types; one more fails; free one; it fits again. */
TEST(mbochs_pool_accounting)
{
	char uuids[16][UUID_STR_LEN], extra[UUID_STR_LEN];
	const struct mb_type *order[] = {
		&mb_types[2], &mb_types[2], &mb_types[2],	/* 192 */
		&mb_types[1], &mb_types[1], &mb_types[1],	/* 240 */
		&mb_types[0], &mb_types[0], &mb_types[0], &mb_types[0],
	};
	long avail;
	unsigned int i, t, n = 0;

	if (!mbochs_loaded())
		SKIP(return, "the mbochs module is not loaded");
	avail = mb_pool_avail();
	if (avail != MBOCHS_POOL_DEFAULT_MB)
		SKIP(return, "pool not at its default or devices exist");

	for (i = 0; i < ARRAY_SIZE(order); i++) {
		mdev_create(MBOCHS_PARENT, order[i]->name, uuids[n++]);
		avail -= order[i]->mbytes;
		EXPECT_EQ(avail, mb_pool_avail());
		for (t = 0; t < 3; t++)
			EXPECT_EQ(avail / mb_types[t].mbytes,
				  mdev_available(MBOCHS_PARENT, mb_types[t].name));
	}
	ASSERT_EQ(0, avail);

	uuid_generate_random_str(extra);
	for (t = 0; t < 3; t++)
		EXPECT_EQ(-ENOSPC, __mdev_create(MBOCHS_PARENT,
						 mb_types[t].name, extra));
	{
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s", extra);
		EXPECT_FALSE(path_exists(path));
	}
	EXPECT_EQ(0, mb_pool_avail());

	/* Free a medium: 16 MiB back, room for one medium or four small. */
	mdev_remove(uuids[3]);
	uuids[3][0] = '\0';
	EXPECT_EQ(16, mb_pool_avail());
	EXPECT_EQ(4, mdev_available(MBOCHS_PARENT, mb_types[0].name));
	EXPECT_EQ(1, mdev_available(MBOCHS_PARENT, mb_types[1].name));
	EXPECT_EQ(0, mdev_available(MBOCHS_PARENT, mb_types[2].name));
	EXPECT_EQ(-ENOSPC, __mdev_create(MBOCHS_PARENT, mb_types[2].name, extra));
	EXPECT_EQ(0, __mdev_create(MBOCHS_PARENT, mb_types[1].name, extra));
	EXPECT_EQ(0, mb_pool_avail());

	mdev_remove(extra);
	for (i = 0; i < n; i++)
		if (uuids[i][0])
			mdev_remove(uuids[i]);
	EXPECT_EQ(MBOCHS_POOL_DEFAULT_MB, mb_pool_avail());
}

/* Every failing create gives its memory back (debugfs fail_create). */
TEST(mbochs_create_error_paths)
{
	char uuid[UUID_STR_LEN];
	long avail, inst;
	int point;

	if (!mbochs_loaded())
		SKIP(return, "the mbochs module is not loaded");
	avail = mb_pool_avail();
	inst = mdev_available(MBOCHS_PARENT, mb_types[2].name);
	for (point = 1; point <= 3; point++) {
		char val[8];

		snprintf(val, sizeof(val), "%d", point);
		sysfs_write(MBOCHS_DEBUGFS "/fail_create", val);
		uuid_generate_random_str(uuid);
		EXPECT_EQ(-ENOMEM, __mdev_create(MBOCHS_PARENT,
						 mb_types[2].name, uuid));
		EXPECT_EQ(0, sysfs_read_long(MBOCHS_DEBUGFS "/fail_create"));
		EXPECT_EQ(avail, mb_pool_avail());
		EXPECT_EQ(inst, mdev_available(MBOCHS_PARENT, mb_types[2].name));
	}
	/* And the next create works. */
	mdev_create(MBOCHS_PARENT, mb_types[2].name, uuid);
	EXPECT_EQ(avail - 64, mb_pool_avail());
	mdev_remove(uuid);
	EXPECT_EQ(avail, mb_pool_avail());
}

/* Planes are bounded: old ids are evicted, not leaked. */
TEST(mbochs_plane_eviction)
{
	struct vfio_device_gfx_plane_info p;
	char uuid[UUID_STR_LEN];
	struct vfio_dev dev;
	__u32 first = 0;
	int i;

	if (!mbochs_loaded())
		SKIP(return, "the mbochs module is not loaded");
	mdev_create(MBOCHS_PARENT, mb_types[1].name, uuid);
	vfio_mdev_open(uuid, &dev);
	for (i = 0; i < 40; i++) {
		mbochs_set_mode(dev.fd, 256, 64, 256, i * 4);
		mbochs_query_plane(dev.fd, &p);
		ASSERT_NE(0, p.dmabuf_id);
		if (!i)
			first = p.dmabuf_id;
	}
	EXPECT_GE(16, mbochs_counter(uuid, "planes"));
	EXPECT_EQ(-ENOENT, __mbochs_get_dmabuf(dev.fd, first));
	close(mbochs_get_dmabuf(dev.fd, p.dmabuf_id));
	vfio_dev_close(&dev);
	mdev_remove(uuid);
}

/* fault_batch is a debugfs knob: any value is clamped, none breaks faults. */
TEST(mbochs_fault_batch_values)
{
	static const char * const vals[] = { "0", "1", "3", "64", "100000", "16" };
	char uuid[UUID_STR_LEN];
	struct vfio_dev dev;
	unsigned int v;
	size_t i, len = 1 << 20;
	__u8 *bar0;

	if (!mbochs_loaded())
		SKIP(return, "the mbochs module is not loaded");
	mdev_create(MBOCHS_PARENT, mb_types[1].name, uuid);
	vfio_mdev_open(uuid, &dev);
	for (v = 0; v < ARRAY_SIZE(vals); v++) {
		sysfs_write(MBOCHS_DEBUGFS "/fault_batch", vals[v]);
		bar0 = mbochs_mmap_region(dev.fd, VFIO_PCI_BAR0_REGION_INDEX,
					  v * len, len);
		ASSERT_NE(MAP_FAILED, bar0);
		/* Touch every page from the end, so windows overlap. */
		for (i = len; i; i -= 4096)
			bar0[i - 4096 + v] = v + 1;
		for (i = 0; i < len; i += 4096)
			ASSERT_EQ(v + 1, bar0[i + v]);
		munmap(bar0, len);
	}
	EXPECT_EQ(6 * len / 4096, mbochs_counter(uuid, "vram_pages"));
	vfio_dev_close(&dev);
	mdev_remove(uuid);
}

/*
 * Every way a fault fills a block (one page, a split higher-order block,
 * the bulk allocator for a block that is not a power of two) hands out
 * zeroed pages: fill video memory, close so that the pages go back to the
 * allocator, which gives recently freed pages out first, then fault it in
 * again and check every byte.
 */
TEST(mbochs_fault_pages_zeroed)
{
	static const char * const batches[] = { "1", "64", "7", "512" };
	const size_t len = 4 << 20;
	char uuid[UUID_STR_LEN];
	struct vfio_dev dev;
	unsigned int b;
	size_t i;
	__u8 *map;

	if (!mbochs_loaded())
		SKIP(return, "the mbochs module is not loaded");
	mdev_create(MBOCHS_PARENT, mb_types[1].name, uuid);
	vfio_mdev_open(uuid, &dev);
	for (b = 0; b < ARRAY_SIZE(batches); b++) {
		map = mbochs_mmap_region(dev.fd, VFIO_PCI_BAR0_REGION_INDEX, 0,
					 len);
		ASSERT_NE(MAP_FAILED, map);
		memset(map, 0xa5, len);
		munmap(map, len);
		close(dev.fd);
		dev.fd = vfio_dev_fd(&dev);
		ASSERT_EQ(0, mbochs_counter(uuid, "vram_pages"));

		sysfs_write(MBOCHS_DEBUGFS "/fault_batch", batches[b]);
		map = mbochs_mmap_region(dev.fd, VFIO_PCI_BAR0_REGION_INDEX, 0,
					 len);
		ASSERT_NE(MAP_FAILED, map);
		for (i = 0; i < len; i += sizeof(__u64))
			if (*(__u64 *)(map + i))
				break;
		EXPECT_EQ(len, i) {
			TH_LOG("fault_batch %s: byte %zu not zeroed",
			       batches[b], i);
		}
		munmap(map, len);
	}
	sysfs_write(MBOCHS_DEBUGFS "/fault_batch", "64");
	vfio_dev_close(&dev);
	mdev_remove(uuid);
}

/*
 * Two threads fault the same mapping from both ends while the batch size
 * changes under them, so blocks overlap pages already mapped: every page
 * ends up mapped once, backed by one allocation, with both writes.
 */
TEST(mbochs_concurrent_faults)
{
	const size_t len = 4 << 20;
	struct mb_toucher a, b;
	char uuid[UUID_STR_LEN];
	pthread_t ta, tb;
	struct vfio_dev dev;
	__u8 *map;
	size_t i;

	if (!mbochs_loaded())
		SKIP(return, "the mbochs module is not loaded");
	mdev_create(MBOCHS_PARENT, mb_types[1].name, uuid);
	vfio_mdev_open(uuid, &dev);
	map = mbochs_mmap_region(dev.fd, VFIO_PCI_BAR0_REGION_INDEX, 0, len);
	ASSERT_NE(MAP_FAILED, map);

	sysfs_write(MBOCHS_DEBUGFS "/fault_batch", "7");
	a = (struct mb_toucher){ .map = map, .len = len, .reverse = 0 };
	b = (struct mb_toucher){ .map = map, .len = len, .reverse = 1 };
	ASSERT_EQ(0, pthread_create(&ta, NULL, mb_touch_pages, &a));
	ASSERT_EQ(0, pthread_create(&tb, NULL, mb_touch_pages, &b));
	sysfs_write(MBOCHS_DEBUGFS "/fault_batch", "512");
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	sysfs_write(MBOCHS_DEBUGFS "/fault_batch", "64");

	for (i = 0; i < len / 4096; i++) {
		ASSERT_EQ((__u8)(i + 1), map[i * 4096]);
		ASSERT_EQ((__u8)(i + 1), map[i * 4096 + 1]);
	}
	EXPECT_EQ(len / 4096, mbochs_counter(uuid, "vram_pages"));
	/* read() sees the same pages the mapping does. */
	for (i = 0; i < len / 4096; i += 97) {
		__u8 v[2];

		vfio_region_read(dev.fd, VFIO_PCI_BAR0_REGION_INDEX, i * 4096,
				 v, 2);
		ASSERT_EQ((__u8)(i + 1), v[0]);
		ASSERT_EQ((__u8)(i + 1), v[1]);
	}
	munmap(map, len);
	vfio_dev_close(&dev);
	mdev_remove(uuid);
}

/* A /proc/meminfo figure, in KiB. */
static long mb_meminfo_kb(const char *key)
{
	char line[128];
	long val = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		vfio_lib_fail("/proc/meminfo: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':')
			val = strtol(line + strlen(key) + 1, NULL, 10);
	fclose(f);
	return val;
}

/*
 * Video memory goes back to the system: devices of the largest type are
 * filled through BAR0 (where mmap() puts it, so in 2 MiB blocks where the
 * kernel maps them), exported, closed and removed, with the dma-buf closed
 * last; afterwards free memory is back where it was, give or take less
 * than one device's worth. A reference left on any page of a block would
 * keep the block, and the loss would show.
 */
TEST(mbochs_vram_returned)
{
	const size_t len = (size_t)mb_types[2].mbytes << 20;
	const long slack_kb = (long)(len >> 10) / 2;
	struct vfio_device_gfx_plane_info p;
	char uuid[UUID_STR_LEN];
	long before, after;
	struct vfio_dev dev;
	int i, dfd;
	__u8 *bar0;

	if (!mbochs_loaded())
		SKIP(return, "the mbochs module is not loaded");
	before = mb_meminfo_kb("MemFree");
	for (i = 0; i < 3; i++) {
		mdev_create(MBOCHS_PARENT, mb_types[2].name, uuid);
		vfio_mdev_open(uuid, &dev);
		bar0 = mbochs_mmap_region(dev.fd, VFIO_PCI_BAR0_REGION_INDEX, 0,
					  len);
		ASSERT_NE(MAP_FAILED, bar0);
		memset(bar0, i + 1, len);
		mbochs_set_mode(dev.fd, 1024, 768, 1024, 0);
		mbochs_query_plane(dev.fd, &p);
		dfd = mbochs_get_dmabuf(dev.fd, p.dmabuf_id);
		munmap(bar0, len);
		vfio_dev_close(&dev);
		mdev_remove(uuid);
		close(dfd);
	}
	after = mb_meminfo_kb("MemFree");
	EXPECT_LT(before - slack_kb, after) {
		TH_LOG("MemFree %ld kB before, %ld kB after", before, after);
	}
}

/* The pool module parameter rejects nonsense and sets the pool. */
TEST(mbochs_pool_param)
{
	if (!mbochs_loaded())
		SKIP(return, "the mbochs module is not loaded");
	if (module_refcnt("mbochs") != 0)
		SKIP(return, "mbochs is in use");
	ASSERT_EQ(0, system("rmmod mbochs"));
	EXPECT_NE(0, system("modprobe mbochs pool_mb=-1 2>/dev/null"));
	EXPECT_NE(0, system("modprobe mbochs pool_mb=4194304 2>/dev/null"));
	EXPECT_NE(0, system("modprobe mbochs pool_mb=lots 2>/dev/null"));
	ASSERT_EQ(0, system("modprobe mbochs pool_mb=20"));
	EXPECT_EQ(20, mb_pool_avail());
	EXPECT_EQ(5, mdev_available(MBOCHS_PARENT, mb_types[0].name));
	EXPECT_EQ(1, mdev_available(MBOCHS_PARENT, mb_types[1].name));
	EXPECT_EQ(0, mdev_available(MBOCHS_PARENT, mb_types[2].name));
	ASSERT_EQ(0, system("rmmod mbochs"));
	ASSERT_EQ(0, system("modprobe mbochs"));
	EXPECT_EQ(MBOCHS_POOL_DEFAULT_MB, mb_pool_avail());
}

TEST_HARNESS_MAIN
