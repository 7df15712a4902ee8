// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal PNG writer. See png.h.
 *
 * A PNG is a signature and chunks (length, type, data, CRC-32 of type and
 * data): IHDR, then IDAT holding a zlib stream, then IEND. The zlib stream
 * here is a two-byte header, stored deflate blocks of at most 65535 bytes
 * each (the most a stored block's 16-bit length can say), and the Adler-32
 * of the uncompressed data.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "png.h"

#define DEFLATE_STORED_MAX	65535
#define ADLER_MOD		65521

/* CRC-32 as PNG (and zlib, Ethernet) define it: reflected 0xedb88320. */
static __u32 png_crc(__u32 crc, const __u8 *p, size_t len)
{
	static __u32 table[256];
	__u32 c, n, k;

	if (!table[1]) {
		for (n = 0; n < 256; n++) {
			for (c = n, k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
			table[n] = c;
		}
	}
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
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
	crc = png_crc(0xffffffff, hdr + 4, 4);
	crc = png_crc(crc, data, len) ^ 0xffffffff;
	fwrite(hdr, 1, 8, f);
	if (len)
		fwrite(data, 1, len, f);
	put_be32(hdr, crc);
	fwrite(hdr, 1, 4, f);
}

/* @raw (@len bytes) as a zlib stream of stored blocks; NULL if out of memory. */
static __u8 *zlib_stored(const __u8 *raw, size_t len, size_t *out_len)
{
	size_t blocks = len / DEFLATE_STORED_MAX + 1;
	__u8 *out = malloc(2 + blocks * 5 + len + 4), *p = out;
	__u32 a = 1, b = 0;
	size_t i, n;

	if (!out)
		return NULL;
	*p++ = 0x78;	/* deflate, 32 KiB window */
	*p++ = 0x01;	/* no dictionary; makes the header a multiple of 31 */
	for (i = 0; i < blocks; i++) {
		n = len - i * DEFLATE_STORED_MAX;
		if (n > DEFLATE_STORED_MAX)
			n = DEFLATE_STORED_MAX;
		*p++ = i == blocks - 1;	/* BFINAL on the last, BTYPE 00 */
		*p++ = n;
		*p++ = n >> 8;
		*p++ = ~n;
		*p++ = ~n >> 8;
		memcpy(p, raw + i * DEFLATE_STORED_MAX, n);
		p += n;
	}
	for (i = 0; i < len; i++) {
		a = (a + raw[i]) % ADLER_MOD;
		b = (b + a) % ADLER_MOD;
	}
	put_be32(p, b << 16 | a);
	p += 4;
	*out_len = p - out;
	return out;
}

int png_write_xrgb8888(const char *path, const void *pixels, __u32 width,
		       __u32 height, __u32 stride)
{
	static const __u8 sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	size_t line = 1 + (size_t)width * 3, zlen;
	__u8 ihdr[13], *raw, *z;
	__u32 x, y;
	FILE *f;

	if (!width || !height || stride < (size_t)width * 4)
		return -EINVAL;
	raw = malloc(line * height);
	if (!raw)
		return -ENOMEM;
	/* Each line: filter type 0 (none), then R, G, B of every pixel. */
	for (y = 0; y < height; y++) {
		const __u8 *src = (const __u8 *)pixels + (size_t)y * stride;
		__u8 *dst = raw + y * line;

		*dst++ = 0;
		for (x = 0; x < width; x++, src += 4) {
			*dst++ = src[2];
			*dst++ = src[1];
			*dst++ = src[0];
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
	ihdr[10] = 0;	/* compression: deflate */
	ihdr[11] = 0;	/* filter method 0 */
	ihdr[12] = 0;	/* not interlaced */
	fwrite(sig, 1, sizeof(sig), f);
	png_chunk(f, "IHDR", ihdr, sizeof(ihdr));
	png_chunk(f, "IDAT", z, zlen);
	png_chunk(f, "IEND", NULL, 0);
	free(z);
	return fclose(f) ? -errno : 0;
}
