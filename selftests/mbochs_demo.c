// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs_demo: what a display user of mbochs does, end to end.
 *
 * Creates a device, gives it an EDID, programs a mode through the DISPI
 * registers in BAR2 as the guest's bochs DRM driver would, draws a test
 * pattern into video memory through a BAR0 mapping, then asks for the
 * plane, exports it as a dma-buf and saves what the dma-buf holds as a
 * PNG. The PNG is written by hand: zlib "stored" blocks need no
 * compression library.
 *
 *   mbochs_demo OUT.png
 */
#include <stdlib.h>
#include <unistd.h>

#include "mbochs_util.h"

#define DEMO_W	640
#define DEMO_H	480

/* ---- a minimal PNG writer: RGB, 8 bits, no compression ---- */

static __u32 crc_table[256];

static void crc_init(void)
{
	__u32 c, n, k;

	for (n = 0; n < 256; n++) {
		for (c = n, k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
}

static __u32 crc_update(__u32 crc, const __u8 *p, size_t len)
{
	while (len--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

static void put_be32(__u8 *p, __u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void png_chunk(FILE *f, const char *type, const __u8 *data, __u32 len)
{
	__u8 hdr[8];
	__u32 crc;

	put_be32(hdr, len);
	memcpy(hdr + 4, type, 4);
	crc = crc_update(0xffffffff, hdr + 4, 4);
	crc = crc_update(crc, data, len) ^ 0xffffffff;
	fwrite(hdr, 1, 8, f);
	fwrite(data, 1, len, f);
	put_be32(hdr, crc);
	fwrite(hdr, 1, 4, f);
}

/* Write an XRGB8888 framebuffer (@stride bytes per line) as a PNG. */
static int png_write(const char *path, const __u8 *fb, __u32 w, __u32 h,
		     __u32 stride)
{
	static const __u8 sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	size_t raw_len = (size_t)h * (1 + 3 * w), nblocks, zlen, i, o;
	__u32 a = 1, b = 0, x, y;
	__u8 ihdr[13], *raw, *z;
	FILE *f;

	/* Each line: filter type 0, then R, G, B per pixel. */
	raw = malloc(raw_len);
	nblocks = (raw_len + 65534) / 65535;
	zlen = 2 + raw_len + 5 * nblocks + 4;
	z = malloc(zlen);
	if (!raw || !z)
		return -ENOMEM;
	for (y = 0, o = 0; y < h; y++) {
		const __u32 *line = (const __u32 *)(fb + (size_t)y * stride);

		raw[o++] = 0;
		for (x = 0; x < w; x++) {
			raw[o++] = line[x] >> 16;
			raw[o++] = line[x] >> 8;
			raw[o++] = line[x];
		}
	}

	/* zlib: header, stored blocks of at most 65535 bytes, Adler-32. */
	o = 0;
	z[o++] = 0x78;
	z[o++] = 0x01;
	for (i = 0; i < raw_len; i += 65535) {
		size_t n = raw_len - i < 65535 ? raw_len - i : 65535;

		z[o++] = i + n == raw_len;	/* BFINAL, BTYPE 00 */
		z[o++] = n;
		z[o++] = n >> 8;
		z[o++] = ~n;
		z[o++] = ~n >> 8;
		memcpy(z + o, raw + i, n);
		o += n;
	}
	for (i = 0; i < raw_len; i++) {
		a = (a + raw[i]) % 65521;
		b = (b + a) % 65521;
	}
	put_be32(z + o, b << 16 | a);
	o += 4;

	put_be32(ihdr, w);
	put_be32(ihdr + 4, h);
	ihdr[8] = 8;	/* bits per channel */
	ihdr[9] = 2;	/* RGB */
	ihdr[10] = 0;
	ihdr[11] = 0;
	ihdr[12] = 0;

	f = fopen(path, "wb");
	if (!f) {
		free(raw);
		free(z);
		return -errno;
	}
	crc_init();
	fwrite(sig, 1, sizeof(sig), f);
	png_chunk(f, "IHDR", ihdr, sizeof(ihdr));
	png_chunk(f, "IDAT", z, o);
	png_chunk(f, "IEND", NULL, 0);
	free(raw);
	free(z);
	return fclose(f) ? -errno : 0;
}

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
	ret = png_write(argv[1], buf, p.width, p.height, p.stride);
	if (ret)
		vfio_lib_fail("%s: %s", argv[1], strerror(-ret));
	printf("mbochs: device removed; dma-buf saved as %s\n", argv[1]);
	munmap(buf, p.size);
	close(dfd);
	return 0;
}
