// SPDX-License-Identifier: GPL-2.0
/*
 * mdpy selftests: the virtual display mdev parent.
 *
 * The fixture creates one display of each type (FIXTURE_VARIANT) and opens
 * it; the tests check the graphics plane query, the config space and its
 * capability, BAR0 access through read/write and mmap, reset, and every
 * ioctl's bad input. Tests without a fixture reload the module with another
 * instance limit, remove a device that is open and mapped, and unload the
 * guest driver. Everything the device should look like comes from
 * mdpy/mdpy_defs.h, the ABI the driver implements.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <linux/pci_regs.h>

#include "kselftest_harness.h"
#include "vfio_lib.h"
#include "mdpy/mdpy_defs.h"

#define MDPY_PARENT	"mdpy"
#define MDPY_DEBUGFS	"/sys/kernel/debug/mdpy"
#define MDPY_DEFAULT_MAX_INSTANCES	4

/* DRM's enum drm_plane_type, an input of VFIO_DEVICE_QUERY_GFX_PLANE. */
#define DRM_PLANE_TYPE_OVERLAY	0
#define DRM_PLANE_TYPE_PRIMARY	1
#define DRM_PLANE_TYPE_CURSOR	2

/* The minimum argsz of each ioctl: up to and including its last input. */
#define PLANE_MINSZ	offsetof(struct vfio_device_gfx_plane_info, reserved)
#define INFO_MINSZ	offsetof(struct vfio_device_info, cap_offset)
#define REGION_MINSZ	sizeof(struct vfio_region_info)
#define IRQ_INFO_MINSZ	sizeof(struct vfio_irq_info)

static const char * const mdpy_all_types[] = { "mdpy-vga", "mdpy-xga", "mdpy-fhd" };

/* ---- helpers ---- */

static int mdpy_query_plane(int fd, __u32 flags, __u32 plane_type,
			    struct vfio_device_gfx_plane_info *plane)
{
	memset(plane, 0, sizeof(*plane));
	plane->argsz = sizeof(*plane);
	plane->flags = flags;
	plane->drm_plane_type = plane_type;
	return ioctl(fd, VFIO_DEVICE_QUERY_GFX_PLANE, plane) ? -errno : 0;
}

static long mdpy_debugfs_long(const char *uuid, const char *file)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s/%s", MDPY_DEBUGFS, uuid, file);
	return sysfs_read_long(path);
}

/* The whole BAR as reset leaves it: the pattern, then zeroes. */
static __u32 *mdpy_expected_bar(__u32 width, __u32 height, size_t size)
{
	__u32 *buf = calloc(1, size);
	__u32 x, y;

	if (!buf)
		vfio_lib_fail("calloc %zu", size);
	for (y = 0; y < height; y++)
		for (x = 0; x < width; x++)
			buf[y * width + x] = mdpy_pattern_pixel(x, y, width, height);
	return buf;
}

/* Index of the first pixel where @a and @b differ, or -1. */
static long mdpy_first_diff(const __u32 *a, const __u32 *b, size_t size)
{
	size_t i;

	if (!memcmp(a, b, size))
		return -1;
	for (i = 0; i < size / 4; i++)
		if (a[i] != b[i])
			return i;
	return -1;
}

/*
 * Whether an mmap of the device is refused. One that wrongly succeeds is
 * unmapped at once: a mapping left behind would hold the device, and the
 * teardown's remove would wait for it forever.
 */
static int mdpy_mmap_fails(int fd, size_t len, int flags, off_t off)
{
	void *p = mmap(NULL, len, PROT_READ, flags, fd, off);

	if (p == MAP_FAILED)
		return 1;
	munmap(p, len);
	return 0;
}

static void mdpy_reload(const char *params)
{
	char cmd[128];

	if (system("rmmod mdpy"))
		vfio_lib_fail("rmmod mdpy");
	snprintf(cmd, sizeof(cmd), "modprobe mdpy %s", params);
	if (system(cmd))
		vfio_lib_fail("%s", cmd);
}

/* ---- the fixture: one open display per type ---- */

FIXTURE(mdpy) {
	char uuid[UUID_STR_LEN];
	struct vfio_dev dev;
	struct vfio_region_info bar;
	size_t frame;
	void *map;
};

FIXTURE_VARIANT(mdpy) {
	const char *type;
	__u32 width;
	__u32 height;
};

FIXTURE_VARIANT_ADD(mdpy, vga) {
	.type = "mdpy-vga", .width = 640, .height = 480,
};

FIXTURE_VARIANT_ADD(mdpy, xga) {
	.type = "mdpy-xga", .width = 1024, .height = 768,
};

FIXTURE_VARIANT_ADD(mdpy, fhd) {
	.type = "mdpy-fhd", .width = 1920, .height = 1080,
};

FIXTURE_SETUP(mdpy)
{
	self->dev.fd = -1;
	self->map = MAP_FAILED;
	mdev_create(MDPY_PARENT, variant->type, self->uuid);
	vfio_mdev_open(self->uuid, &self->dev);
	vfio_region_info(self->dev.fd, VFIO_PCI_BAR0_REGION_INDEX, &self->bar);
	self->frame = (size_t)variant->width * variant->height * 4;
	self->map = mmap(NULL, self->bar.size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, self->dev.fd, self->bar.offset);
	ASSERT_NE(MAP_FAILED, self->map);
}

FIXTURE_TEARDOWN(mdpy)
{
	if (self->map != MAP_FAILED)
		munmap(self->map, self->bar.size);
	vfio_dev_close(&self->dev);
	mdev_remove(self->uuid);
}

/* ---- graphics plane ---- */

TEST_F(mdpy, plane_probe)
{
	struct vfio_device_gfx_plane_info plane;

	ASSERT_EQ(0, mdpy_query_plane(self->dev.fd, VFIO_GFX_PLANE_TYPE_PROBE |
				      VFIO_GFX_PLANE_TYPE_REGION,
				      DRM_PLANE_TYPE_PRIMARY, &plane));
	/* A probe answers yes or no and fills nothing in. */
	EXPECT_EQ(0, plane.drm_format);
	EXPECT_EQ(0, plane.size);
	/* dma-buf planes are not offered. */
	EXPECT_EQ(-EINVAL, mdpy_query_plane(self->dev.fd, VFIO_GFX_PLANE_TYPE_PROBE |
					    VFIO_GFX_PLANE_TYPE_DMABUF,
					    DRM_PLANE_TYPE_PRIMARY, &plane));
}

TEST_F(mdpy, plane_query)
{
	struct vfio_device_gfx_plane_info plane;
	struct vfio_region_info region;

	ASSERT_EQ(0, mdpy_query_plane(self->dev.fd, VFIO_GFX_PLANE_TYPE_REGION,
				      DRM_PLANE_TYPE_PRIMARY, &plane));
	EXPECT_EQ(MDPY_FORMAT_XRGB8888, plane.drm_format);
	EXPECT_EQ(0, plane.drm_format_mod);
	EXPECT_EQ(variant->width, plane.width);
	EXPECT_EQ(variant->height, plane.height);
	EXPECT_EQ(variant->width * 4, plane.stride);
	EXPECT_EQ((self->frame + 4095) & ~4095UL, plane.size);
	EXPECT_EQ(0, plane.x_pos);
	EXPECT_EQ(0, plane.y_pos);
	EXPECT_EQ(0xffffffff, plane.x_hot);
	EXPECT_EQ(0xffffffff, plane.y_hot);
	EXPECT_EQ(VFIO_PCI_BAR0_REGION_INDEX, plane.region_index);

	/* The region it names holds the plane and can be mapped. */
	vfio_region_info(self->dev.fd, plane.region_index, &region);
	EXPECT_LE(plane.size, region.size);
	EXPECT_TRUE(region.flags & VFIO_REGION_INFO_FLAG_MMAP);

	/* mdpy has no cursor or overlay: those read as disabled planes. */
	ASSERT_EQ(0, mdpy_query_plane(self->dev.fd, VFIO_GFX_PLANE_TYPE_REGION,
				      DRM_PLANE_TYPE_CURSOR, &plane));
	EXPECT_EQ(0, plane.drm_format);
	EXPECT_EQ(0, plane.size);
	EXPECT_EQ(0, plane.width);
	ASSERT_EQ(0, mdpy_query_plane(self->dev.fd, VFIO_GFX_PLANE_TYPE_REGION,
				      DRM_PLANE_TYPE_OVERLAY, &plane));
	EXPECT_EQ(0, plane.size);
}

TEST_F(mdpy, neg_query_gfx_plane)
{
	static const __u32 bad_flags[] = {
		0,
		VFIO_GFX_PLANE_TYPE_PROBE,
		VFIO_GFX_PLANE_TYPE_DMABUF,
		VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_DMABUF,
		VFIO_GFX_PLANE_TYPE_DMABUF | VFIO_GFX_PLANE_TYPE_REGION,
		VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_DMABUF |
			VFIO_GFX_PLANE_TYPE_REGION,
		VFIO_GFX_PLANE_TYPE_REGION | (1u << 3),
		VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_REGION | (1u << 31),
		1u << 3,
		0xffffffff,
	};
	struct vfio_device_gfx_plane_info plane;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_flags); i++) {
		TH_LOG("flags 0x%x", bad_flags[i]);
		EXPECT_EQ(-EINVAL, mdpy_query_plane(self->dev.fd, bad_flags[i],
						    DRM_PLANE_TYPE_PRIMARY, &plane));
	}

	/* A plane type DRM does not have. */
	EXPECT_EQ(-EINVAL, mdpy_query_plane(self->dev.fd, VFIO_GFX_PLANE_TYPE_REGION,
					    3, &plane));
	EXPECT_EQ(-EINVAL, mdpy_query_plane(self->dev.fd, VFIO_GFX_PLANE_TYPE_REGION,
					    0xffffffff, &plane));

	/* argsz too small, by one byte and by everything. */
	memset(&plane, 0, sizeof(plane));
	plane.flags = VFIO_GFX_PLANE_TYPE_REGION;
	plane.drm_plane_type = DRM_PLANE_TYPE_PRIMARY;
	plane.argsz = PLANE_MINSZ - 1;
	EXPECT_EQ(-1, ioctl(self->dev.fd, VFIO_DEVICE_QUERY_GFX_PLANE, &plane));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, plane.drm_format);
	plane.argsz = 0;
	EXPECT_EQ(-1, ioctl(self->dev.fd, VFIO_DEVICE_QUERY_GFX_PLANE, &plane));
	EXPECT_EQ(EINVAL, errno);
	/* argsz exactly minsz works: the trailing reserved field is optional. */
	plane.argsz = PLANE_MINSZ;
	EXPECT_EQ(0, ioctl(self->dev.fd, VFIO_DEVICE_QUERY_GFX_PLANE, &plane));
	EXPECT_EQ(variant->width, plane.width);

	EXPECT_EQ(-1, ioctl(self->dev.fd, VFIO_DEVICE_QUERY_GFX_PLANE, NULL));
	EXPECT_EQ(EFAULT, errno);
}

/* ---- config space and geometry ---- */

TEST_F(mdpy, geometry)
{
	struct vfio_device_gfx_plane_info plane;
	char path[PATH_MAX], text[256], want[32];
	int fd = self->dev.fd;

	EXPECT_EQ(MDPY_PCI_VENDOR_ID, vfio_cfg_read(fd, PCI_VENDOR_ID, 2));
	EXPECT_EQ(MDPY_PCI_DEVICE_ID, vfio_cfg_read(fd, PCI_DEVICE_ID, 2));
	EXPECT_EQ(MDPY_PCI_SUBVENDOR_ID, vfio_cfg_read(fd, PCI_SUBSYSTEM_VENDOR_ID, 2));
	EXPECT_EQ(MDPY_PCI_SUBDEVICE_ID, vfio_cfg_read(fd, PCI_SUBSYSTEM_ID, 2));
	EXPECT_EQ(MDPY_PCI_CLASS, vfio_cfg_read(fd, PCI_CLASS_REVISION, 4) >> 8);

	/* The capability list leads to the vendor capability and ends there. */
	EXPECT_TRUE(vfio_cfg_read(fd, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	ASSERT_EQ(MDPY_VENDORCAP_OFFSET, vfio_cfg_read(fd, PCI_CAPABILITY_LIST, 1));
	EXPECT_EQ(PCI_CAP_ID_VNDR, vfio_cfg_read(fd, MDPY_VENDORCAP_OFFSET, 1));
	EXPECT_EQ(0, vfio_cfg_read(fd, MDPY_VENDORCAP_OFFSET + 1, 1));
	EXPECT_EQ(MDPY_VENDORCAP_SIZE, vfio_cfg_read(fd, MDPY_VENDORCAP_OFFSET + 2, 1));

	/* The capability, the plane and the type agree. */
	ASSERT_EQ(0, mdpy_query_plane(fd, VFIO_GFX_PLANE_TYPE_REGION,
				      DRM_PLANE_TYPE_PRIMARY, &plane));
	EXPECT_EQ(MDPY_FORMAT_XRGB8888, vfio_cfg_read(fd, MDPY_FORMAT_OFFSET, 4));
	EXPECT_EQ(plane.drm_format, vfio_cfg_read(fd, MDPY_FORMAT_OFFSET, 4));
	EXPECT_EQ(variant->width, vfio_cfg_read(fd, MDPY_WIDTH_OFFSET, 4));
	EXPECT_EQ(plane.width, vfio_cfg_read(fd, MDPY_WIDTH_OFFSET, 4));
	EXPECT_EQ(variant->height, vfio_cfg_read(fd, MDPY_HEIGHT_OFFSET, 4));
	EXPECT_EQ(plane.height, vfio_cfg_read(fd, MDPY_HEIGHT_OFFSET, 4));

	/* The capability is read-only. */
	vfio_cfg_write(fd, MDPY_WIDTH_OFFSET, 12345, 4);
	EXPECT_EQ(variant->width, vfio_cfg_read(fd, MDPY_WIDTH_OFFSET, 4));

	/* The type describes itself with its resolution. */
	snprintf(path, sizeof(path),
		 "/sys/class/mdev_bus/%s/mdev_supported_types/%s/description",
		 MDPY_PARENT, variant->type);
	ASSERT_EQ(0, __sysfs_read(path, text, sizeof(text)));
	snprintf(want, sizeof(want), "%ux%u", variant->width, variant->height);
	EXPECT_NE(NULL, strstr(text, want)) TH_LOG("description: %s", text);
	EXPECT_NE(NULL, strstr(text, "XRGB8888")) TH_LOG("description: %s", text);
}

TEST_F(mdpy, config_space)
{
	struct vfio_region_info cfg;
	__u8 all[256], big[300];
	int fd = self->dev.fd;
	__u32 bar, size_mask;

	/* A full 256-byte space: the last byte reads, the next one does not. */
	vfio_region_info(fd, VFIO_PCI_CONFIG_REGION_INDEX, &cfg);
	EXPECT_EQ(256, cfg.size);
	EXPECT_FALSE(cfg.flags & VFIO_REGION_INFO_FLAG_MMAP);
	EXPECT_EQ(256, __vfio_region_read(fd, VFIO_PCI_CONFIG_REGION_INDEX, 0, all, 256));
	EXPECT_EQ(1, __vfio_region_read(fd, VFIO_PCI_CONFIG_REGION_INDEX, 255, big, 1));
	EXPECT_EQ(all[255], big[0]);
	EXPECT_EQ(-EINVAL, __vfio_region_read(fd, VFIO_PCI_CONFIG_REGION_INDEX, 256, big, 1));
	/* Accesses that run past the end are refused whole. */
	EXPECT_EQ(-EINVAL, __vfio_region_read(fd, VFIO_PCI_CONFIG_REGION_INDEX, 254, big, 4));
	EXPECT_EQ(-EINVAL, __vfio_region_read(fd, VFIO_PCI_CONFIG_REGION_INDEX, 0, big, 257));
	EXPECT_EQ(-EINVAL, __vfio_region_write(fd, VFIO_PCI_CONFIG_REGION_INDEX, 255, "xy", 2));
	EXPECT_EQ(all[255], vfio_cfg_read(fd, 255, 1));
	/* Unaligned multi-byte reads see the same bytes. */
	EXPECT_EQ(3, __vfio_region_read(fd, VFIO_PCI_CONFIG_REGION_INDEX, 0x41, big, 3));
	EXPECT_EQ(0, memcmp(&all[0x41], big, 3));

	/* Read-only registers ignore writes. */
	vfio_cfg_write(fd, PCI_VENDOR_ID, 0xbeef, 2);
	EXPECT_EQ(MDPY_PCI_VENDOR_ID, vfio_cfg_read(fd, PCI_VENDOR_ID, 2));
	EXPECT_EQ(1, __vfio_region_write(fd, VFIO_PCI_CONFIG_REGION_INDEX, 255, "x", 1));
	EXPECT_EQ(all[255], vfio_cfg_read(fd, 255, 1));

	/* Memory decoding can be turned on; nothing else in COMMAND sticks. */
	EXPECT_EQ(0, vfio_cfg_read(fd, PCI_COMMAND, 2));
	vfio_cfg_write(fd, PCI_COMMAND, 0xffff, 2);
	EXPECT_EQ(PCI_COMMAND_MEMORY, vfio_cfg_read(fd, PCI_COMMAND, 2));

	/* BAR0: 32-bit prefetchable memory, sized like on hardware. */
	bar = vfio_cfg_read(fd, PCI_BASE_ADDRESS_0, 4);
	EXPECT_EQ(PCI_BASE_ADDRESS_SPACE_MEMORY | PCI_BASE_ADDRESS_MEM_TYPE_32 |
		  PCI_BASE_ADDRESS_MEM_PREFETCH, bar);
	vfio_cfg_write(fd, PCI_BASE_ADDRESS_0, 0xffffffff, 4);
	bar = vfio_cfg_read(fd, PCI_BASE_ADDRESS_0, 4);
	size_mask = bar & PCI_BASE_ADDRESS_MEM_MASK;
	EXPECT_EQ(self->bar.size, (__u32)(~size_mask + 1));
	EXPECT_TRUE(bar & PCI_BASE_ADDRESS_MEM_PREFETCH);
	vfio_cfg_write(fd, PCI_BASE_ADDRESS_0, 0xe0000000, 4);
	EXPECT_EQ(0xe0000000 | PCI_BASE_ADDRESS_MEM_PREFETCH,
		  vfio_cfg_read(fd, PCI_BASE_ADDRESS_0, 4));
	/* The other BARs do not exist. */
	vfio_cfg_write(fd, PCI_BASE_ADDRESS_1, 0xffffffff, 4);
	EXPECT_EQ(0, vfio_cfg_read(fd, PCI_BASE_ADDRESS_1, 4));
}

TEST_F(mdpy, regions)
{
	struct vfio_device_info info;
	struct vfio_region_info region;
	unsigned int i;

	ASSERT_EQ(0, __vfio_device_info(self->dev.fd, &info));
	EXPECT_TRUE(info.flags & VFIO_DEVICE_FLAGS_PCI);
	EXPECT_TRUE(info.flags & VFIO_DEVICE_FLAGS_RESET);
	EXPECT_EQ(VFIO_PCI_NUM_REGIONS, info.num_regions);
	EXPECT_EQ(VFIO_PCI_NUM_IRQS, info.num_irqs);

	/* BAR0: a power of two that holds the frame, read/write/mmap. */
	EXPECT_GE(self->bar.size, self->frame);
	EXPECT_EQ(0, self->bar.size & (self->bar.size - 1));
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
		  VFIO_REGION_INFO_FLAG_MMAP, self->bar.flags);

	/* Every other region except config space is empty. */
	for (i = 0; i < VFIO_PCI_NUM_REGIONS; i++) {
		if (i == VFIO_PCI_BAR0_REGION_INDEX || i == VFIO_PCI_CONFIG_REGION_INDEX)
			continue;
		vfio_region_info(self->dev.fd, i, &region);
		EXPECT_EQ(0, region.size) TH_LOG("region %u", i);
		EXPECT_EQ(0, region.flags) TH_LOG("region %u", i);
	}
}

/* ---- BAR0 data ---- */

/* pwrite then read the mapping, write the mapping then pread, at @off. */
static void mdpy_round_trip(struct __test_metadata *_metadata, int fd,
			    __u8 *map, __u64 off, __u32 seed)
{
	__u32 val = seed * 2654435761u, got;

	ksft_print_msg("round trip at 0x%llx\n", (unsigned long long)off);
	vfio_region_write(fd, VFIO_PCI_BAR0_REGION_INDEX, off, &val, 4);
	memcpy(&got, map + off, 4);
	EXPECT_EQ(val, got);

	val = ~val;
	memcpy(map + off, &val, 4);
	got = 0;
	vfio_region_read(fd, VFIO_PCI_BAR0_REGION_INDEX, off, &got, 4);
	EXPECT_EQ(val, got);
}

TEST_F(mdpy, pixel_round_trip)
{
	size_t size = self->bar.size, len = 65536, i;
	__u8 *map = self->map, *buf;
	int fd = self->dev.fd;
	unsigned int seed = getpid();
	__u64 off;

	srandom(seed);
	TH_LOG("random seed %u", seed);

	mdpy_round_trip(_metadata, fd, map, 0, 1);
	mdpy_round_trip(_metadata, fd, map, size - 4, 2);
	/* The last visible pixel and the first byte past the frame. */
	mdpy_round_trip(_metadata, fd, map, self->frame - 4, 3);
	if (self->frame < size)
		mdpy_round_trip(_metadata, fd, map, self->frame, 4);
	for (i = 0; i < 8; i++)
		mdpy_round_trip(_metadata, fd, map, (random() % (size / 4)) * 4, 5 + i);
	/* Unaligned, and not a multiple of four bytes. */
	mdpy_round_trip(_metadata, fd, map, 4097 + 2 * (random() % 1000), 20);

	/* A large block, both ways, at a random unaligned offset. */
	buf = malloc(len);
	ASSERT_NE(NULL, buf);
	for (i = 0; i < len; i++)
		buf[i] = random();
	off = random() % (size - len);
	vfio_region_write(self->dev.fd, VFIO_PCI_BAR0_REGION_INDEX, off, buf, len);
	EXPECT_EQ(0, memcmp(map + off, buf, len));
	for (i = 0; i < len; i++)
		buf[i] = ~buf[i];
	memcpy(map + off, buf, len);
	memset(buf, 0, len);
	vfio_region_read(self->dev.fd, VFIO_PCI_BAR0_REGION_INDEX, off, buf, len);
	EXPECT_EQ(0, memcmp(map + off, buf, len));
	free(buf);
}

TEST_F(mdpy, bar_bounds)
{
	size_t size = self->bar.size;
	int fd = self->dev.fd;
	__u8 buf[16];
	void *p;

	/* Past the end or across it: refused, and nothing is written. */
	EXPECT_EQ(-EINVAL, __vfio_region_read(fd, VFIO_PCI_BAR0_REGION_INDEX, size, buf, 4));
	EXPECT_EQ(-EINVAL, __vfio_region_write(fd, VFIO_PCI_BAR0_REGION_INDEX, size, buf, 4));
	EXPECT_EQ(-EINVAL, __vfio_region_read(fd, VFIO_PCI_BAR0_REGION_INDEX, size - 4, buf, 16));
	((__u32 *)self->map)[size / 4 - 1] = 0x01020304;
	memset(buf, 0xee, sizeof(buf));
	EXPECT_EQ(-EINVAL, __vfio_region_write(fd, VFIO_PCI_BAR0_REGION_INDEX, size - 4, buf, 16));
	EXPECT_EQ(0x01020304, ((__u32 *)self->map)[size / 4 - 1]);
	EXPECT_EQ(4, __vfio_region_read(fd, VFIO_PCI_BAR0_REGION_INDEX, size - 4, buf, 4));
	EXPECT_EQ(-EINVAL, __vfio_region_read(fd, VFIO_PCI_BAR0_REGION_INDEX,
					      1ULL << 39, buf, 4));
	/* Regions the device does not have. */
	EXPECT_EQ(-EINVAL, __vfio_region_read(fd, VFIO_PCI_BAR1_REGION_INDEX, 0, buf, 4));
	EXPECT_EQ(-EINVAL, __vfio_region_read(fd, VFIO_PCI_ROM_REGION_INDEX, 0, buf, 4));
	EXPECT_EQ(-1, pread(fd, buf, 4, (off_t)VFIO_PCI_NUM_REGIONS << 40));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pread(fd, buf, 4, (off_t)0x7fff << 40));
	EXPECT_EQ(EINVAL, errno);
	/* A zero-length access is a no-op. */
	EXPECT_EQ(0, pread(fd, buf, 0, self->bar.offset));

	/* mmap: only BAR0, only shared, only within its size. */
	EXPECT_TRUE(mdpy_mmap_fails(fd, size * 2, MAP_SHARED, self->bar.offset));
	EXPECT_TRUE(mdpy_mmap_fails(fd, 4096, MAP_SHARED, self->bar.offset + size));
	EXPECT_TRUE(mdpy_mmap_fails(fd, 8192, MAP_SHARED,
				    self->bar.offset + size - 4096));
	EXPECT_TRUE(mdpy_mmap_fails(fd, 4096, MAP_PRIVATE, self->bar.offset));
	EXPECT_TRUE(mdpy_mmap_fails(fd, 4096, MAP_SHARED,
				    (off_t)VFIO_PCI_CONFIG_REGION_INDEX << 40));
	EXPECT_TRUE(mdpy_mmap_fails(fd, 4096, MAP_SHARED,
				    (off_t)VFIO_PCI_BAR1_REGION_INDEX << 40));
	/* The last page alone maps, and it is the last page of the BAR. */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 self->bar.offset + size - 4096);
	ASSERT_NE(MAP_FAILED, p);
	((__u32 *)p)[1023] = 0xc0ffee;
	EXPECT_EQ(0xc0ffee, ((__u32 *)self->map)[size / 4 - 1]);
	munmap(p, 4096);
}

/* ---- reset ---- */

TEST_F(mdpy, reset_pattern)
{
	__u32 *want = mdpy_expected_bar(variant->width, variant->height,
					self->bar.size);
	long resets = mdpy_debugfs_long(self->uuid, "reset_count");
	long diff;

	/* The first open painted the pattern. */
	diff = mdpy_first_diff(self->map, want, self->bar.size);
	EXPECT_EQ(-1, diff) TH_LOG("pixel %ld after open", diff);

	/* Scribble over everything, program the BAR, reset. */
	memset(self->map, 0x5a, self->bar.size);
	vfio_cfg_write(self->dev.fd, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	vfio_cfg_write(self->dev.fd, PCI_BASE_ADDRESS_0, 0xe0000000, 4);
	ASSERT_EQ(0, ioctl(self->dev.fd, VFIO_DEVICE_RESET));
	EXPECT_EQ(resets + 1, mdpy_debugfs_long(self->uuid, "reset_count"));

	diff = mdpy_first_diff(self->map, want, self->bar.size);
	EXPECT_EQ(-1, diff) TH_LOG("pixel %ld after reset", diff);
	/* Spot checks that do not trust mdpy_defs.h: corners and bars. */
	EXPECT_EQ(MDPY_PATTERN_FRAME, ((__u32 *)self->map)[0]);
	EXPECT_EQ(0xffffff, ((__u32 *)self->map)[variant->width + 1]);
	EXPECT_EQ(0x000000, ((__u32 *)self->map)[2 * variant->width - 2]);
	EXPECT_EQ(MDPY_PATTERN_FRAME, ((__u32 *)self->map)[self->frame / 4 - 1]);
	/* Registers are back to power-on values. */
	EXPECT_EQ(0, vfio_cfg_read(self->dev.fd, PCI_COMMAND, 2));
	EXPECT_EQ(PCI_BASE_ADDRESS_MEM_PREFETCH,
		  vfio_cfg_read(self->dev.fd, PCI_BASE_ADDRESS_0, 4));
	free(want);
}

TEST_F(mdpy, open_close)
{
	long opens = mdpy_debugfs_long(self->uuid, "open_count");
	long closes = mdpy_debugfs_long(self->uuid, "close_count");
	__u32 *want;
	int fd2;

	EXPECT_EQ(1, opens);
	EXPECT_EQ(0, closes);

	/* A second fd is not a second open, and its close is not the last. */
	fd2 = vfio_dev_fd(&self->dev);
	EXPECT_EQ(1, mdpy_debugfs_long(self->uuid, "open_count"));
	close(fd2);
	EXPECT_EQ(0, mdpy_debugfs_long(self->uuid, "close_count"));

	/* The last close, then a new open, which repaints the pattern. */
	memset(self->map, 0x5a, self->bar.size);
	munmap(self->map, self->bar.size);
	self->map = MAP_FAILED;
	vfio_dev_close(&self->dev);
	EXPECT_EQ(1, mdpy_debugfs_long(self->uuid, "close_count"));
	vfio_mdev_open(self->uuid, &self->dev);
	EXPECT_EQ(2, mdpy_debugfs_long(self->uuid, "open_count"));

	self->map = mmap(NULL, self->bar.size, PROT_READ, MAP_SHARED,
			 self->dev.fd, self->bar.offset);
	ASSERT_NE(MAP_FAILED, self->map);
	want = mdpy_expected_bar(variant->width, variant->height, self->bar.size);
	EXPECT_EQ(-1, mdpy_first_diff(self->map, want, self->bar.size));
	free(want);
}

/*
 * Without an mmap the driver repaints only a framebuffer that a write()
 * changed: a pwrite() must be undone by the next reset and the next open.
 */
TEST(reset_after_pwrite)
{
	__u32 scribble[64], got[64], *want;
	char uuid[UUID_STR_LEN];
	struct vfio_region_info bar;
	struct vfio_dev dev;
	off_t off;
	int round;

	memset(scribble, 0x5a, sizeof(scribble));
	mdev_create(MDPY_PARENT, "mdpy-vga", uuid);
	vfio_mdev_open(uuid, &dev);
	vfio_region_info(dev.fd, VFIO_PCI_BAR0_REGION_INDEX, &bar);
	want = mdpy_expected_bar(640, 480, bar.size);
	off = 640 * 4 * 10;

	for (round = 0; round < 2; round++) {
		ASSERT_EQ(sizeof(scribble),
			  pwrite(dev.fd, scribble, sizeof(scribble),
				 bar.offset + off));
		if (round == 0) {
			ASSERT_EQ(0, ioctl(dev.fd, VFIO_DEVICE_RESET));
		} else {
			vfio_dev_close(&dev);
			vfio_mdev_open(uuid, &dev);
		}
		ASSERT_EQ(sizeof(got),
			  pread(dev.fd, got, sizeof(got), bar.offset + off));
		EXPECT_EQ(0, memcmp(got, (char *)want + off, sizeof(got)))
			TH_LOG("round %d: the write survived", round);
	}
	free(want);
	vfio_dev_close(&dev);
	mdev_remove(uuid);
}

/* ---- what one user wrote never reaches the next ---- */

#define MDPY_PAGE	4096UL

/* A value no pixel of the pattern has: its X byte is set. */
static __u32 mdpy_scribble(unsigned int i)
{
	return 0xa5000000 | i;
}

/* The BAR read back whole, checked against the pattern pixel by pixel. */
static void mdpy_expect_pattern(struct __test_metadata *_metadata,
				const __u32 *map, const __u32 *want, size_t size,
				const char *when)
{
	long diff = mdpy_first_diff(map, want, size);

	EXPECT_EQ(-1, diff)
		TH_LOG("%s: pixel %ld (page %ld) is 0x%08x, not 0x%08x", when,
		       diff, diff * 4 / (long)MDPY_PAGE, map[diff], want[diff]);
}

/*
 * Pages written through write() and through mappings, scattered over the
 * BAR, then the last close and a new open: the next user sees the
 * power-on pattern in every pixel. The driver restores only the pages
 * that were written, so a page it failed to note shows up here; the
 * reset_count and restored_pages hooks show that it restored those pages
 * and no others.
 */
TEST_F(mdpy, no_leak_after_writes)
{
	size_t size = self->bar.size, pages = size / MDPY_PAGE;
	size_t frame_page = self->frame / MDPY_PAGE, page, i;
	__u32 *want = mdpy_expected_bar(variant->width, variant->height, size);
	__u8 *map = self->map, *written = calloc(pages, 1);
	unsigned int n = 0, how;
	long restored;
	__u32 val;
	__u8 *one;

	ASSERT_NE(NULL, written);
	/* The first and last pages, the end of the frame, and between. */
	for (i = 0; i < 20; i++) {
		switch (i) {
		case 0:
			page = 0;
			break;
		case 1:
			page = pages - 1;
			break;
		case 2:
			page = frame_page - 1;
			break;
		case 3:
			page = frame_page < pages ? frame_page : 1;
			break;
		default:
			page = (i * pages / 17 + i) % pages;
		}
		if (written[page])
			continue;
		written[page] = 1;
		n++;
		val = mdpy_scribble(i);
		how = i % 4;
		if (how == 0 || how == 3) {
			/* write(): the page's first and last pixels. */
			vfio_region_write(self->dev.fd, VFIO_PCI_BAR0_REGION_INDEX,
					  page * MDPY_PAGE, &val, 4);
			vfio_region_write(self->dev.fd, VFIO_PCI_BAR0_REGION_INDEX,
					  page * MDPY_PAGE + MDPY_PAGE - 4, &val, 4);
		}
		if (how == 2)
			/* Read first: the page is mapped before it is written. */
			EXPECT_EQ(want[page * MDPY_PAGE / 4],
				  *(__u32 *)(map + page * MDPY_PAGE));
		if (how >= 1)
			/* Through the mapping: a pixel in the middle. */
			memcpy(map + page * MDPY_PAGE + 2048, &val, 4);
	}

	/* A one-page mapping at an offset into the BAR. */
	page = pages / 2 + 1;
	one = mmap(NULL, MDPY_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->dev.fd, self->bar.offset + page * MDPY_PAGE);
	ASSERT_NE(MAP_FAILED, one);
	one[100] = 0xa5;
	EXPECT_EQ(0xa5, map[page * MDPY_PAGE + 100]);
	munmap(one, MDPY_PAGE);
	n += !written[page];
	written[page] = 1;

	/* One write() across a page boundary marks both pages. */
	page = pages / 3;
	vfio_region_write(self->dev.fd, VFIO_PCI_BAR0_REGION_INDEX,
			  page * MDPY_PAGE - 2, "\xa5\xa5\xa5\xa5", 4);
	n += !written[page - 1] + !written[page];
	written[page - 1] = 1;
	written[page] = 1;
	TH_LOG("%u of %zu pages written", n, pages);

	/* The last close, a new open: exactly the written pages restored. */
	restored = mdpy_debugfs_long(self->uuid, "restored_pages");
	munmap(self->map, size);
	self->map = MAP_FAILED;
	vfio_dev_close(&self->dev);
	vfio_mdev_open(self->uuid, &self->dev);
	EXPECT_EQ(restored + n, mdpy_debugfs_long(self->uuid, "restored_pages"));
	self->map = mmap(NULL, size, PROT_READ, MAP_SHARED, self->dev.fd,
			 self->bar.offset);
	ASSERT_NE(MAP_FAILED, self->map);
	mdpy_expect_pattern(_metadata, self->map, want, size, "after reopen");

	/* Reading is not writing: the next open restores nothing. */
	munmap(self->map, size);
	self->map = MAP_FAILED;
	vfio_dev_close(&self->dev);
	vfio_mdev_open(self->uuid, &self->dev);
	EXPECT_EQ(restored + n, mdpy_debugfs_long(self->uuid, "restored_pages"));
	free(written);
	free(want);
}

/*
 * A page stays writable in a mapping after its first write, so later
 * writes to it make no fault. A reset while the mapping exists must still
 * restore it, every time.
 */
TEST_F(mdpy, reset_while_mapped)
{
	__u32 *map = self->map, *want;
	size_t p = 3 * MDPY_PAGE / 4, q = 5 * MDPY_PAGE / 4;
	long restored = mdpy_debugfs_long(self->uuid, "restored_pages");
	__u32 val = mdpy_scribble(1);

	want = mdpy_expected_bar(variant->width, variant->height, self->bar.size);
	map[p] = val;
	vfio_region_write(self->dev.fd, VFIO_PCI_BAR0_REGION_INDEX, q * 4, &val, 4);
	ASSERT_EQ(0, ioctl(self->dev.fd, VFIO_DEVICE_RESET));
	EXPECT_EQ(restored + 2, mdpy_debugfs_long(self->uuid, "restored_pages"));
	EXPECT_EQ(want[p], map[p]);
	EXPECT_EQ(want[q], map[q]);

	/* No fault this time: the write() page is forgotten, the mapped one not. */
	map[p + 1] = val;
	ASSERT_EQ(0, ioctl(self->dev.fd, VFIO_DEVICE_RESET));
	EXPECT_EQ(restored + 3, mdpy_debugfs_long(self->uuid, "restored_pages"));
	mdpy_expect_pattern(_metadata, map, want, self->bar.size, "second reset");

	/* Once the mapping is gone, an open restores it one last time at most. */
	munmap(self->map, self->bar.size);
	self->map = MAP_FAILED;
	vfio_dev_close(&self->dev);
	vfio_mdev_open(self->uuid, &self->dev);
	restored = mdpy_debugfs_long(self->uuid, "restored_pages") - restored;
	EXPECT_LE(3, restored);
	EXPECT_GE(4, restored);
	restored = mdpy_debugfs_long(self->uuid, "restored_pages");
	vfio_dev_close(&self->dev);
	vfio_mdev_open(self->uuid, &self->dev);
	EXPECT_EQ(restored, mdpy_debugfs_long(self->uuid, "restored_pages"));
	free(want);
}

/* ---- bad input, one group per ioctl ---- */

TEST_F(mdpy, neg_get_info)
{
	struct vfio_device_info info = { .argsz = 4 };

	EXPECT_EQ(-1, ioctl(self->dev.fd, VFIO_DEVICE_GET_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
	info.argsz = INFO_MINSZ - 1;
	EXPECT_EQ(-1, ioctl(self->dev.fd, VFIO_DEVICE_GET_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->dev.fd, VFIO_DEVICE_GET_INFO, NULL));
	EXPECT_EQ(EFAULT, errno);
	/* minsz is enough. */
	info.argsz = INFO_MINSZ;
	EXPECT_EQ(0, ioctl(self->dev.fd, VFIO_DEVICE_GET_INFO, &info));
}

TEST_F(mdpy, neg_get_region_info)
{
	static const __u32 bad_index[] = {
		VFIO_PCI_NUM_REGIONS, VFIO_PCI_NUM_REGIONS + 1, 16, 0x80000000, 0xffffffff,
	};
	struct vfio_region_info info;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_index); i++)
		EXPECT_EQ(-EINVAL, __vfio_region_info(self->dev.fd, bad_index[i], &info))
			TH_LOG("index %u", bad_index[i]);

	memset(&info, 0, sizeof(info));
	info.argsz = REGION_MINSZ - 1;
	info.index = VFIO_PCI_BAR0_REGION_INDEX;
	EXPECT_EQ(-1, ioctl(self->dev.fd, VFIO_DEVICE_GET_REGION_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, info.size);
	EXPECT_EQ(-1, ioctl(self->dev.fd, VFIO_DEVICE_GET_REGION_INFO, NULL));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(mdpy, neg_get_irq_info)
{
	struct vfio_irq_info info;
	unsigned int i;

	/* Every index exists; only the request has a vector. */
	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++) {
		ASSERT_EQ(0, __vfio_irq_info(self->dev.fd, i, &info));
		if (i == VFIO_PCI_REQ_IRQ_INDEX) {
			EXPECT_EQ(1, info.count);
			EXPECT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE,
				  info.flags);
		} else {
			EXPECT_EQ(0, info.count) TH_LOG("index %u", i);
			EXPECT_EQ(0, info.flags) TH_LOG("index %u", i);
		}
	}
	EXPECT_EQ(-EINVAL, __vfio_irq_info(self->dev.fd, VFIO_PCI_NUM_IRQS, &info));
	EXPECT_EQ(-EINVAL, __vfio_irq_info(self->dev.fd, 0xffffffff, &info));

	memset(&info, 0, sizeof(info));
	info.argsz = IRQ_INFO_MINSZ - 1;
	EXPECT_EQ(-1, ioctl(self->dev.fd, VFIO_DEVICE_GET_IRQ_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->dev.fd, VFIO_DEVICE_GET_IRQ_INFO, NULL));
	EXPECT_EQ(EFAULT, errno);
}

/* VFIO_DEVICE_SET_IRQS with up to 4 bytes of data: 0 or -errno. */
static int mdpy_set_irqs(int fd, __u32 flags, __u32 index, __u32 start,
			 __u32 count, const void *data, size_t len)
{
	struct {
		struct vfio_irq_set set;
		__u8 data[4];
	} req = {
		.set.argsz = sizeof(req.set) + len,
		.set.flags = flags,
		.set.index = index,
		.set.start = start,
		.set.count = count,
	};

	memcpy(req.data, data, len);
	return ioctl(fd, VFIO_DEVICE_SET_IRQS, &req) ? -errno : 0;
}

#define REQ_TRIGGER(data)	(VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_##data)

TEST_F(mdpy, neg_set_irqs)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = VFIO_PCI_INTX_IRQ_INDEX,
	};
	int fd = self->dev.fd, efd = 0, devnull;
	__s32 bad_fd = -2, one = 1;

	/* No INTx or MSI: disabling, triggering and wiring all fail cleanly. */
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, &set));
	EXPECT_EQ(EINVAL, errno);
	set.count = 1;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, &set));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-EINVAL, __vfio_irq_set_eventfd(fd, VFIO_PCI_MSI_IRQ_INDEX, 0, efd));
	set.index = 0xffffffff;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, &set));
	EXPECT_EQ(EINVAL, errno);
	set.argsz = 4;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, &set));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, NULL));
	EXPECT_EQ(EFAULT, errno);

	/* The request: one vector, TRIGGER only, count 0 only to clear it. */
	EXPECT_EQ(-EINVAL, mdpy_set_irqs(fd, REQ_TRIGGER(NONE),
					 VFIO_PCI_REQ_IRQ_INDEX, 0, 2, NULL, 0));
	EXPECT_EQ(-EINVAL, mdpy_set_irqs(fd, REQ_TRIGGER(NONE),
					 VFIO_PCI_REQ_IRQ_INDEX, 1, 1, NULL, 0));
	EXPECT_EQ(-EINVAL, mdpy_set_irqs(fd, VFIO_IRQ_SET_ACTION_MASK |
					 VFIO_IRQ_SET_DATA_NONE,
					 VFIO_PCI_REQ_IRQ_INDEX, 0, 1, NULL, 0));
	EXPECT_EQ(-EINVAL, mdpy_set_irqs(fd, VFIO_IRQ_SET_ACTION_UNMASK |
					 VFIO_IRQ_SET_DATA_NONE,
					 VFIO_PCI_REQ_IRQ_INDEX, 0, 1, NULL, 0));
	EXPECT_EQ(-EINVAL, mdpy_set_irqs(fd, REQ_TRIGGER(NONE) |
					 VFIO_IRQ_SET_ACTION_MASK,
					 VFIO_PCI_REQ_IRQ_INDEX, 0, 1, NULL, 0));
	EXPECT_EQ(-EINVAL, mdpy_set_irqs(fd, REQ_TRIGGER(BOOL) |
					 VFIO_IRQ_SET_DATA_EVENTFD,
					 VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &one, 4));
	EXPECT_EQ(-EINVAL, mdpy_set_irqs(fd, REQ_TRIGGER(BOOL),
					 VFIO_PCI_REQ_IRQ_INDEX, 0, 0, NULL, 0));
	EXPECT_EQ(-EINVAL, mdpy_set_irqs(fd, REQ_TRIGGER(EVENTFD),
					 VFIO_PCI_REQ_IRQ_INDEX, 0, 0, NULL, 0));
	/* Data shorter than count says. */
	EXPECT_EQ(-EINVAL, mdpy_set_irqs(fd, REQ_TRIGGER(EVENTFD),
					 VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &bad_fd, 2));
	/* Not an fd, a closed fd, an fd that is not an eventfd. */
	EXPECT_EQ(-EINVAL, mdpy_set_irqs(fd, REQ_TRIGGER(EVENTFD),
					 VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &bad_fd, 4));
	EXPECT_EQ(-EBADF, __vfio_irq_set_eventfd(fd, VFIO_PCI_REQ_IRQ_INDEX, 0, 1000));
	devnull = open("/dev/null", O_RDONLY);
	ASSERT_LE(0, devnull);
	EXPECT_EQ(-EINVAL, __vfio_irq_set_eventfd(fd, VFIO_PCI_REQ_IRQ_INDEX, 0, devnull));
	close(devnull);
}

/* The request eventfd, signalled by hand (loopback) and dropped at close. */
TEST_F(mdpy, request_irq)
{
	int fd = self->dev.fd, efd = eventfd(0, EFD_NONBLOCK);
	__u8 yes = 1, no = 0;

	ASSERT_LE(0, efd);
	ASSERT_EQ(0, __vfio_irq_set_eventfd(fd, VFIO_PCI_REQ_IRQ_INDEX, 0, efd));
	/* DATA_NONE and a true DATA_BOOL signal it; a false one does not. */
	EXPECT_EQ(0, mdpy_set_irqs(fd, REQ_TRIGGER(NONE), VFIO_PCI_REQ_IRQ_INDEX,
				   0, 1, NULL, 0));
	EXPECT_EQ(1, eventfd_wait(efd, 1000));
	EXPECT_EQ(0, mdpy_set_irqs(fd, REQ_TRIGGER(BOOL), VFIO_PCI_REQ_IRQ_INDEX,
				   0, 1, &no, 1));
	EXPECT_EQ(0, eventfd_wait(efd, 100));
	EXPECT_EQ(0, mdpy_set_irqs(fd, REQ_TRIGGER(BOOL), VFIO_PCI_REQ_IRQ_INDEX,
				   0, 1, &yes, 1));
	EXPECT_EQ(1, eventfd_wait(efd, 1000));

	/* fd -1 clears it, and so does count 0: nothing to signal then. */
	ASSERT_EQ(0, __vfio_irq_set_eventfd(fd, VFIO_PCI_REQ_IRQ_INDEX, 0, -1));
	EXPECT_EQ(0, mdpy_set_irqs(fd, REQ_TRIGGER(NONE), VFIO_PCI_REQ_IRQ_INDEX,
				   0, 1, NULL, 0));
	EXPECT_EQ(0, eventfd_wait(efd, 100));
	ASSERT_EQ(0, __vfio_irq_set_eventfd(fd, VFIO_PCI_REQ_IRQ_INDEX, 0, efd));
	ASSERT_EQ(0, mdpy_set_irqs(fd, REQ_TRIGGER(NONE), VFIO_PCI_REQ_IRQ_INDEX,
				   0, 0, NULL, 0));
	EXPECT_EQ(0, mdpy_set_irqs(fd, REQ_TRIGGER(NONE), VFIO_PCI_REQ_IRQ_INDEX,
				   0, 1, NULL, 0));
	EXPECT_EQ(0, eventfd_wait(efd, 100));

	/* The last close drops it: the next user starts without one. */
	ASSERT_EQ(0, __vfio_irq_set_eventfd(fd, VFIO_PCI_REQ_IRQ_INDEX, 0, efd));
	munmap(self->map, self->bar.size);
	self->map = MAP_FAILED;
	vfio_dev_close(&self->dev);
	vfio_mdev_open(self->uuid, &self->dev);
	EXPECT_EQ(0, mdpy_set_irqs(self->dev.fd, REQ_TRIGGER(NONE),
				   VFIO_PCI_REQ_IRQ_INDEX, 0, 1, NULL, 0));
	EXPECT_EQ(0, eventfd_wait(efd, 100));
	close(efd);
}

/* Each display is a device set of its own. */
TEST_F(mdpy, set_members)
{
	char path[PATH_MAX], text[256];

	snprintf(path, sizeof(path), "%s/%s/set_members", MDPY_DEBUGFS, self->uuid);
	ASSERT_EQ(0, __sysfs_read(path, text, sizeof(text)));
	/* One line, this device's name (the read drops the newline). */
	EXPECT_STREQ(self->uuid, text);
}

TEST_F(mdpy, neg_reset)
{
	long resets = mdpy_debugfs_long(self->uuid, "reset_count");

	/* RESET takes no argument: whatever is passed is ignored. */
	EXPECT_EQ(0, ioctl(self->dev.fd, VFIO_DEVICE_RESET, NULL));
	EXPECT_EQ(0, ioctl(self->dev.fd, VFIO_DEVICE_RESET, (void *)-1L));
	EXPECT_EQ(resets + 2, mdpy_debugfs_long(self->uuid, "reset_count"));
}

TEST_F(mdpy, neg_unknown_ioctl)
{
	__u32 arg[64] = { sizeof(arg) };

	/* ioctls of other device kinds are not mdpy's. */
	EXPECT_EQ(-1, ioctl(self->dev.fd, VFIO_DEVICE_GET_GFX_DMABUF, arg));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->dev.fd, VFIO_DEVICE_IOEVENTFD, arg));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->dev.fd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, arg));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->dev.fd, _IO(VFIO_TYPE, VFIO_BASE + 99), arg));
	EXPECT_EQ(ENOTTY, errno);
}

/* ---- instance limit ---- */

static void mdpy_expect_available(struct __test_metadata *_metadata, long want)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mdpy_all_types); i++) {
		long got = mdev_available(MDPY_PARENT, mdpy_all_types[i]);

		if (got != want)
			ksft_print_msg("type %u: %ld available\n", i, got);
		EXPECT_EQ(want, got);
	}
}

TEST(instances)
{
	char uuid[3][UUID_STR_LEN], extra[UUID_STR_LEN];
	unsigned int i;

	mdpy_expect_available(_metadata, MDPY_DEFAULT_MAX_INSTANCES);

	/* Out-of-range limits are refused at load. */
	ASSERT_EQ(0, system("rmmod mdpy"));
	EXPECT_NE(0, system("modprobe mdpy max_instances=0 2>/dev/null"));
	EXPECT_NE(0, system("modprobe mdpy max_instances=17 2>/dev/null"));
	EXPECT_NE(0, system("modprobe mdpy max_instances=-1 2>/dev/null"));
	EXPECT_NE(0, system("modprobe mdpy max_instances=two 2>/dev/null"));
	ASSERT_EQ(0, system("modprobe mdpy max_instances=3"));
	EXPECT_EQ(3, sysfs_read_long("/sys/module/mdpy/parameters/max_instances"));

	/* The limit is shared by all types, and every type shows what is left. */
	mdpy_expect_available(_metadata, 3);
	for (i = 0; i < 3; i++) {
		mdev_create(MDPY_PARENT, mdpy_all_types[i], uuid[i]);
		mdpy_expect_available(_metadata, 2 - i);
	}
	for (i = 0; i < 3; i++) {
		uuid_generate_random_str(extra);
		EXPECT_EQ(-EUSERS, __mdev_create(MDPY_PARENT, mdpy_all_types[i], extra));
	}
	mdpy_expect_available(_metadata, 0);
	for (i = 0; i < 3; i++) {
		mdev_remove(uuid[i]);
		mdpy_expect_available(_metadata, i + 1);
	}

	mdpy_reload("");
	mdpy_expect_available(_metadata, MDPY_DEFAULT_MAX_INSTANCES);
}

/* ---- remove while open and mapped ---- */

/*
 * The documented behaviour: remove waits until the user has closed the
 * device and unmapped BAR0 (a mapping holds the device file); until then
 * the mapping stays valid. The remover runs in a child, which the test
 * releases by letting go of the device.
 */
TEST(remove_while_open_and_mapped)
{
	char uuid[UUID_STR_LEN], path[PATH_MAX], flag[8] = "";
	struct vfio_region_info bar;
	struct vfio_dev dev;
	long available;
	int status, i;
	__u32 *map;
	pid_t pid;

	mdev_create(MDPY_PARENT, "mdpy-vga", uuid);
	available = mdev_available(MDPY_PARENT, "mdpy-vga");
	vfio_mdev_open(uuid, &dev);
	vfio_region_info(dev.fd, VFIO_PCI_BAR0_REGION_INDEX, &bar);
	map = mmap(NULL, bar.size, PROT_READ | PROT_WRITE, MAP_SHARED, dev.fd,
		   bar.offset);
	ASSERT_NE(MAP_FAILED, map);
	map[100] = 0x11223344;

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		/* The remover must not hold the device through fork's copies. */
		munmap(map, bar.size);
		vfio_dev_close(&dev);
		_exit(__mdev_remove(uuid) ? 1 : 0);
	}

	/* Wait (bounded) for the driver's remove to start waiting for us. */
	snprintf(path, sizeof(path), "%s/%s/removing", MDPY_DEBUGFS, uuid);
	for (i = 0; i < 3000; i++) {
		if (!__sysfs_read(path, flag, sizeof(flag)) && flag[0] == 'Y')
			break;
		usleep(10000);
	}
	ASSERT_EQ('Y', flag[0]);

	/* Removal is pending; the device and its mapping still work. */
	EXPECT_EQ(0, waitpid(pid, &status, WNOHANG));
	EXPECT_EQ(0x11223344, map[100]);
	vfio_region_write(dev.fd, VFIO_PCI_BAR0_REGION_INDEX, 400, &(__u32){ 0x55667788 }, 4);
	EXPECT_EQ(0x55667788, map[100]);

	/* Closing every fd is not enough: the mapping holds the device. */
	vfio_dev_close(&dev);
	EXPECT_EQ(0, mdpy_debugfs_long(uuid, "close_count"));
	EXPECT_EQ(0, waitpid(pid, &status, WNOHANG));
	map[101] = 0xabcdef;
	EXPECT_EQ(0x55667788, map[100]);

	/* The unmap is the last reference: now the remove completes. */
	munmap(map, bar.size);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s", uuid);
	EXPECT_FALSE(path_exists(path));
	EXPECT_EQ(available + 1, mdev_available(MDPY_PARENT, "mdpy-vga"));
	/*
	 * No kernel report: the VM runner scans the whole log for them. A
	 * dmesg check here would also see other tests' reports.
	 */
}

/*
 * The same with a request eventfd, as QEMU sets one: remove asks the user
 * to let go, and completes once the user has.
 */
TEST(remove_requests_release)
{
	char uuid[UUID_STR_LEN], path[PATH_MAX];
	struct vfio_region_info bar;
	struct vfio_dev dev;
	int status, efd;
	__u32 *map;
	pid_t pid;

	mdev_create(MDPY_PARENT, "mdpy-vga", uuid);
	vfio_mdev_open(uuid, &dev);
	vfio_region_info(dev.fd, VFIO_PCI_BAR0_REGION_INDEX, &bar);
	map = mmap(NULL, bar.size, PROT_READ | PROT_WRITE, MAP_SHARED, dev.fd,
		   bar.offset);
	ASSERT_NE(MAP_FAILED, map);
	efd = eventfd(0, EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, __vfio_irq_set_eventfd(dev.fd, VFIO_PCI_REQ_IRQ_INDEX, 0, efd));

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		munmap(map, bar.size);
		vfio_dev_close(&dev);
		_exit(__mdev_remove(uuid) ? 1 : 0);
	}

	/* The request comes while remove waits; the device still works. */
	EXPECT_EQ(1, eventfd_wait(efd, 30000));
	EXPECT_EQ(0, waitpid(pid, &status, WNOHANG));
	map[7] = 0x1234;
	EXPECT_EQ(0x1234, map[7]);

	/* Letting go, as asked, ends the remove. */
	munmap(map, bar.size);
	vfio_dev_close(&dev);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s", uuid);
	EXPECT_FALSE(path_exists(path));
	close(efd);
}

/* ---- module unload ---- */

TEST(unload_with_devices)
{
	char uuid[2][UUID_STR_LEN], path[PATH_MAX];
	struct vfio_dev dev;

	/* An open device pins the module. */
	mdev_create(MDPY_PARENT, "mdpy-vga", uuid[0]);
	mdev_create(MDPY_PARENT, "mdpy-xga", uuid[1]);
	vfio_mdev_open(uuid[0], &dev);
	EXPECT_NE(0, system("rmmod mdpy 2>/dev/null"));
	vfio_dev_close(&dev);

	/* Closed devices do not: unload removes them. */
	ASSERT_EQ(0, system("rmmod mdpy"));
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s", uuid[1]);
	EXPECT_FALSE(path_exists(path));
	ASSERT_EQ(0, system("modprobe mdpy"));
	mdpy_expect_available(_metadata, MDPY_DEFAULT_MAX_INSTANCES);
}

/*
 * The guest driver must check what it binds. The VM has no mdpy PCI
 * device, but it has devices no driver claimed: force mdpy_fb onto one
 * with driver_override and expect the capability check to refuse it.
 */
static int mdpy_find_unbound_pci(char *name, size_t len)
{
	char path[PATH_MAX];
	struct dirent *de;
	long class;
	DIR *dir;

	dir = opendir("/sys/bus/pci/devices");
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver",
			 de->d_name);
		if (path_exists(path))
			continue;
		/* Bridges are left alone: they route everything else. */
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/class",
			 de->d_name);
		if (__sysfs_read_long(path, &class) || (class >> 16) == 0x06)
			continue;
		snprintf(name, len, "%s", de->d_name);
		closedir(dir);
		return 0;
	}
	closedir(dir);
	return -ENODEV;
}

TEST(fb_rejects_foreign_device)
{
	char dev[NAME_MAX + 1], path[PATH_MAX];

	if (mdpy_find_unbound_pci(dev, sizeof(dev)))
		SKIP(return, "no PCI device without a driver");
	TH_LOG("forcing mdpy_fb onto %s", dev);

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", dev);
	sysfs_write(path, "mdpy_fb");
	EXPECT_GT(0, __sysfs_write("/sys/bus/pci/drivers/mdpy_fb/bind", dev));
	sysfs_write(path, "\n");

	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/mdpy_fb/%s", dev);
	EXPECT_FALSE(path_exists(path));
	EXPECT_TRUE(dmesg_contains("no mdpy capability"));
	/* The failed probe gave everything back: the module unloads. */
	EXPECT_EQ(0, module_refcnt("mdpy_fb"));
}

TEST(fb_unload)
{
	/* The guest driver: no device here, so it must load and unload bare. */
	ASSERT_TRUE(path_exists("/sys/bus/pci/drivers/mdpy_fb"));
	ASSERT_EQ(0, system("rmmod mdpy_fb"));
	EXPECT_FALSE(path_exists("/sys/bus/pci/drivers/mdpy_fb"));
	ASSERT_EQ(0, system("modprobe mdpy_fb"));
	EXPECT_TRUE(path_exists("/sys/bus/pci/drivers/mdpy_fb"));
}

TEST_HARNESS_MAIN
