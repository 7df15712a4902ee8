// SPDX-License-Identifier: GPL-2.0
/*
 * mdpy_snapshot: save what an mdpy display shows as a PNG file.
 *
 *   mdpy_snapshot <mdev uuid> <file.png>
 *
 * It does what a display consumer such as QEMU's display=on does: ask the
 * device for its primary plane with VFIO_DEVICE_QUERY_GFX_PLANE, then read
 * the plane from the region the answer names. The PNG is written by hand
 * with "stored" (uncompressed) deflate blocks, so no zlib is needed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vfio_lib.h"
#include "mdpy/mdpy_defs.h"

#define DRM_PLANE_TYPE_PRIMARY	1
#define DEFLATE_STORED_MAX	65535

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

/* Wrap @raw in a zlib stream of stored deflate blocks. */
static __u8 *zlib_stored(const __u8 *raw, size_t len, size_t *out_len)
{
	size_t blocks = len / DEFLATE_STORED_MAX + 1;
	__u8 *out = malloc(2 + blocks * 5 + len + 4), *p = out;
	__u32 a = 1, b = 0;
	size_t i, n;

	if (!out)
		return NULL;
	*p++ = 0x78;	/* deflate, 32 KiB window */
	*p++ = 0x01;	/* no dictionary, check bits */
	for (i = 0; i < blocks; i++) {
		n = len - i * DEFLATE_STORED_MAX;
		if (n > DEFLATE_STORED_MAX)
			n = DEFLATE_STORED_MAX;
		*p++ = i == blocks - 1;	/* BFINAL, BTYPE 00 (stored) */
		*p++ = n;
		*p++ = n >> 8;
		*p++ = ~n;
		*p++ = ~n >> 8;
		memcpy(p, raw + i * DEFLATE_STORED_MAX, n);
		p += n;
	}
	for (i = 0; i < len; i++) {
		a = (a + raw[i]) % 65521;
		b = (b + a) % 65521;
	}
	put_be32(p, b << 16 | a);
	p += 4;
	*out_len = p - out;
	return out;
}

/* Write an XRGB8888 image (little-endian pixels) as an 8-bit RGB PNG. */
static int png_write(const char *path, const __u8 *pixels, __u32 width,
		     __u32 height, __u32 stride)
{
	static const __u8 sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	size_t line = 1 + (size_t)width * 3, zlen;
	__u8 ihdr[13], *raw, *z;
	__u32 x, y;
	FILE *f;

	raw = malloc(line * height);
	if (!raw)
		return -ENOMEM;
	for (y = 0; y < height; y++) {
		const __u8 *src = pixels + (size_t)y * stride;
		__u8 *dst = raw + y * line;

		*dst++ = 0;	/* filter: none */
		for (x = 0; x < width; x++, src += 4) {
			*dst++ = src[2];	/* R */
			*dst++ = src[1];	/* G */
			*dst++ = src[0];	/* B */
		}
	}
	z = zlib_stored(raw, line * height, &zlen);
	free(raw);
	if (!z)
		return -ENOMEM;

	f = fopen(path, "wb");
	if (!f) {
		free(z);
		return -errno;
	}
	put_be32(ihdr, width);
	put_be32(ihdr + 4, height);
	ihdr[8] = 8;	/* bits per channel */
	ihdr[9] = 2;	/* truecolour RGB */
	ihdr[10] = 0;	/* deflate */
	ihdr[11] = 0;	/* filter method 0 */
	ihdr[12] = 0;	/* not interlaced */
	crc_init();
	fwrite(sig, 1, sizeof(sig), f);
	png_chunk(f, "IHDR", ihdr, sizeof(ihdr));
	png_chunk(f, "IDAT", z, zlen);
	png_chunk(f, "IEND", NULL, 0);
	free(z);
	return fclose(f) ? -errno : 0;
}

int main(int argc, char **argv)
{
	struct vfio_device_gfx_plane_info plane = {
		.argsz = sizeof(plane),
		.flags = VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_REGION,
		.drm_plane_type = DRM_PLANE_TYPE_PRIMARY,
	};
	struct vfio_region_info region;
	struct vfio_dev dev;
	size_t len;
	__u8 *buf;
	int ret;

	if (argc != 3) {
		fprintf(stderr, "usage: %s <mdev uuid> <file.png>\n", argv[0]);
		return 2;
	}
	vfio_mdev_open(argv[1], &dev);

	if (ioctl(dev.fd, VFIO_DEVICE_QUERY_GFX_PLANE, &plane))
		vfio_lib_fail("the device offers no region plane: %s", strerror(errno));
	plane.flags = VFIO_GFX_PLANE_TYPE_REGION;
	if (ioctl(dev.fd, VFIO_DEVICE_QUERY_GFX_PLANE, &plane))
		vfio_lib_fail("QUERY_GFX_PLANE: %s", strerror(errno));
	if (plane.drm_format != MDPY_FORMAT_XRGB8888)
		vfio_lib_fail("plane format 0x%08x is not XRGB8888", plane.drm_format);

	vfio_region_info(dev.fd, plane.region_index, &region);
	len = (size_t)plane.stride * plane.height;
	if (plane.stride < plane.width * 4 || len > region.size)
		vfio_lib_fail("plane %ux%u stride %u does not fit region %u",
			      plane.width, plane.height, plane.stride,
			      plane.region_index);
	buf = malloc(len);
	if (!buf)
		vfio_lib_fail("malloc %zu", len);
	vfio_region_read(dev.fd, plane.region_index, 0, buf, len);

	ret = png_write(argv[2], buf, plane.width, plane.height, plane.stride);
	if (ret)
		vfio_lib_fail("%s: %s", argv[2], strerror(-ret));
	printf("mdpy: %s: %ux%u XRGB8888, stride %u, region %u -> %s\n",
	       argv[1], plane.width, plane.height, plane.stride,
	       plane.region_index, argv[2]);
	free(buf);
	vfio_dev_close(&dev);
	return 0;
}
