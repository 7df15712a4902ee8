// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs_demo: what a display user of mbochs does, end to end.
 *
 * Creates a device, gives it an EDID, programs a mode through the DISPI
 * registers in BAR2 as the guest's bochs DRM driver would, draws a test
 * pattern into video memory through a BAR0 mapping, then asks for the
 * plane, exports it as a dma-buf and saves what the dma-buf holds as a
 * PNG (lib/png).
 *
 *   mbochs_demo OUT.png
 */
#include <stdlib.h>
#include <unistd.h>

#include "mbochs_util.h"
#include "png.h"

#define DEMO_W	640
#define DEMO_H	480

/* ---- the pattern: colour bars over a gradient, framed ---- */

static __u32 pattern_pixel(__u32 x, __u32 y)
{
	static const __u32 bars[8] = {
		0xffffff, 0xffff00, 0x00ffff, 0x00ff00,
		0xff00ff, 0xff0000, 0x0000ff, 0x000000,
	};

	if (x < 8 || y < 8 || x >= DEMO_W - 8 || y >= DEMO_H - 8)
		return (x / 8 + y / 8) % 2 ? 0xffffff : 0x202020;
	if (y < DEMO_H * 2 / 3)
		return bars[x * 8 / DEMO_W];
	/* A grey ramp, then a red-green-blue ramp. */
	if (y < DEMO_H * 5 / 6)
		return 0x010101 * (x * 255 / DEMO_W);
	return (x * 255 / DEMO_W) << 16 | (y * 255 / DEMO_H) << 8 |
	       (255 - x * 255 / DEMO_W);
}

/* A 128-byte EDID base block: header, a vendor and a checksum. */
static void demo_edid(__u8 edid[128])
{
	static const __u8 header[8] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0 };
	__u8 sum = 0;
	int i;

	memset(edid, 0, 128);
	memcpy(edid, header, 8);
	edid[8] = 0x34;		/* "MBX", packed */
	edid[9] = 0x58;
	edid[18] = 1;		/* EDID 1.4 */
	edid[19] = 4;
	for (i = 0; i < 127; i++)
		sum += edid[i];
	edid[127] = -sum;
}

int main(int argc, char **argv)
{
	struct vfio_device_gfx_plane_info p;
	char uuid[UUID_STR_LEN];
	__u8 edid[128], check[8];
	struct vfio_dev dev;
	__u32 v, x, y, *bar0;
	__u8 *buf;
	int dfd, ret;

	if (argc != 2) {
		fprintf(stderr, "usage: %s OUT.png\n", argv[0]);
		return 2;
	}
	if (!mbochs_loaded()) {
		fprintf(stderr, "mbochs: module not loaded\n");
		return KSFT_SKIP;
	}

	mdev_create(MBOCHS_PARENT, MBOCHS_PARENT "-" MBOCHS_TYPE_MEDIUM, uuid);
	vfio_mdev_open(uuid, &dev);
	printf("mbochs: created %s (16 MiB), opened it\n", uuid);

	/* The host plugs in a monitor: EDID, then link up. */
	demo_edid(edid);
	vfio_region_write(dev.fd, MBOCHS_EDID_REGION_INDEX,
			  MBOCHS_EDID_BLOB_OFFSET, edid, sizeof(edid));
	v = sizeof(edid);
	vfio_region_write(dev.fd, MBOCHS_EDID_REGION_INDEX,
			  offsetof(struct vfio_region_gfx_edid, edid_size), &v, 4);
	v = VFIO_DEVICE_GFX_LINK_STATE_UP;
	vfio_region_write(dev.fd, MBOCHS_EDID_REGION_INDEX,
			  offsetof(struct vfio_region_gfx_edid, link_state), &v, 4);
	vfio_region_read(dev.fd, VFIO_PCI_BAR2_REGION_INDEX, 0, check, 8);
	printf("mbochs: guest sees EDID header %s at BAR2+0\n",
	       memcmp(check, edid, 8) ? "MISSING" : "00 ff ff ff ff ff ff 00");

	/* The guest: bochs DRM's mode set, then a frame drawn into BAR0. */
	printf("mbochs: DISPI id 0x%04x, %u x 64 KiB video memory\n",
	       mbochs_dispi_read(dev.fd, MBOCHS_DISPI_ID),
	       mbochs_dispi_read(dev.fd, MBOCHS_DISPI_VIDEO_MEMORY_64K));
	mbochs_set_mode(dev.fd, DEMO_W, DEMO_H, DEMO_W, 0);
	bar0 = mbochs_mmap_region(dev.fd, VFIO_PCI_BAR0_REGION_INDEX, 0,
				  DEMO_W * DEMO_H * 4);
	if (bar0 == MAP_FAILED)
		vfio_lib_fail("mmap BAR0: %s", strerror(errno));
	for (y = 0; y < DEMO_H; y++)
		for (x = 0; x < DEMO_W; x++)
			bar0[y * DEMO_W + x] = pattern_pixel(x, y);
	munmap(bar0, DEMO_W * DEMO_H * 4);
	printf("mbochs: mode %ux%u 32 bpp set, pattern drawn through BAR0\n",
	       DEMO_W, DEMO_H);

	/* The display user: plane, dma-buf, pixels. */
	mbochs_query_plane(dev.fd, &p);
	printf("mbochs: plane %u: %ux%u stride %u format %.4s, %u bytes\n",
	       p.dmabuf_id, p.width, p.height, p.stride,
	       (const char *)&p.drm_format, p.size);
	dfd = mbochs_get_dmabuf(dev.fd, p.dmabuf_id);
	buf = mmap(NULL, p.size, PROT_READ, MAP_SHARED, dfd, 0);
	if (buf == MAP_FAILED)
		vfio_lib_fail("mmap dma-buf: %s", strerror(errno));

	/* The dma-buf outlives the device: save it after removal. */
	vfio_dev_close(&dev);
	mdev_remove(uuid);
	ret = png_write_xrgb8888(argv[1], buf, p.width, p.height, p.stride);
	if (ret)
		vfio_lib_fail("%s: %s", argv[1], strerror(-ret));
	printf("mbochs: device removed; dma-buf saved as %s\n", argv[1]);
	munmap(buf, p.size);
	close(dfd);
	return 0;
}
