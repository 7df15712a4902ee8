/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Save a framebuffer as a PNG file, for the demos that show what a display
 * device holds (mdpy_snapshot, mbochs_demo).
 *
 * The image is 8-bit RGB with "stored" (uncompressed) deflate blocks, so
 * the static test binaries need no zlib: a 640x480 frame is under 1 MiB.
 */
#ifndef PNG_H
#define PNG_H

#include <linux/types.h>

/*
 * Write @width x @height pixels of XRGB8888 (DRM_FORMAT_XRGB8888: one
 * little-endian 32-bit word per pixel, the X byte ignored), @stride bytes
 * per line, to @path. 0 or -errno.
 */
int png_write_xrgb8888(const char *path, const void *pixels, __u32 width,
		       __u32 height, __u32 stride);

#endif /* PNG_H */
