/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdpy: the device ABI of a simple virtual PCI display.
 *
 * One header for the three parties that must agree on it: the host model
 * (mdpy.ko), the guest framebuffer driver (mdpy_fb.ko) and the selftests.
 * It needs nothing but the __u32 types, so userspace includes it as is.
 *
 * The device:
 *  - BAR0 is a 32-bit prefetchable memory BAR holding the framebuffer. Its
 *    size is the frame rounded up to a power of two, as PCI requires; the
 *    bytes past the last line are ordinary memory that the display ignores.
 *  - Pixels are XRGB8888, little endian, lines packed (stride = width * 4).
 *  - A read-only vendor-specific capability in config space gives the
 *    format, width and height. A guest driver must read it rather than
 *    assume a resolution: each mdev type has its own.
 *  - Reset (VFIO_DEVICE_RESET, and the first open) paints the test pattern
 *    below, so a user can tell a live display from a blank one.
 */
#ifndef MDPY_DEFS_H
#define MDPY_DEFS_H

#include <linux/types.h>

/* PCI IDs: Red Hat's id for this sample device, QEMU's subsystem. */
#define MDPY_PCI_VENDOR_ID		0x1b36
#define MDPY_PCI_DEVICE_ID		0x000f
#define MDPY_PCI_SUBVENDOR_ID		0x1af4
#define MDPY_PCI_SUBDEVICE_ID		0x1100
#define MDPY_PCI_CLASS			0x038000	/* display, other */
#define MDPY_PCI_REVISION		0x01

/* The vendor-specific capability; every field is a little-endian dword. */
#define MDPY_VENDORCAP_OFFSET		0x40
#define MDPY_VENDORCAP_SIZE		0x10
#define MDPY_FORMAT_OFFSET		(MDPY_VENDORCAP_OFFSET + 0x04)
#define MDPY_WIDTH_OFFSET		(MDPY_VENDORCAP_OFFSET + 0x08)
#define MDPY_HEIGHT_OFFSET		(MDPY_VENDORCAP_OFFSET + 0x0c)

/* DRM_FORMAT_XRGB8888, fourcc "XR24"; the kernel side checks it matches. */
#define MDPY_FORMAT_XRGB8888		0x34325258
#define MDPY_BYTES_PER_PIXEL		4

/* Limits a guest driver accepts from the capability. */
#define MDPY_MIN_WIDTH			64
#define MDPY_MIN_HEIGHT			64
#define MDPY_MAX_WIDTH			4096
#define MDPY_MAX_HEIGHT			4096

/*
 * The test pattern, painted on reset. Three horizontal bands:
 *  - a one-pixel orange frame on the outermost rows and columns, so that a
 *    missing first or last line or column shows;
 *  - the top three quarters: eight vertical colour bars, white, yellow,
 *    cyan, green, magenta, red, blue, black, from left to right;
 *  - the bottom quarter: a grey ramp from black (left) to white (right).
 * The X byte is zero. Bytes of BAR0 past the frame are zero.
 */
#define MDPY_PATTERN_FRAME		0x00ff8000

enum mdpy_pattern_band {
	MDPY_BAND_FRAME,
	MDPY_BAND_BARS,
	MDPY_BAND_RAMP,
};

/* Which band line @y of a @height-line frame belongs to, ignoring columns. */
static inline enum mdpy_pattern_band mdpy_pattern_band(__u32 y, __u32 height)
{
	if (y == 0 || y == height - 1)
		return MDPY_BAND_FRAME;
	if (y < height / 4 * 3)
		return MDPY_BAND_BARS;
	return MDPY_BAND_RAMP;
}

/* The XRGB8888 value of pixel (@x, @y) of a @width x @height pattern. */
static inline __u32 mdpy_pattern_pixel(__u32 x, __u32 y, __u32 width,
				       __u32 height)
{
	enum mdpy_pattern_band band = mdpy_pattern_band(y, height);
	__u32 bar, grey;

	if (band == MDPY_BAND_FRAME || x == 0 || x == width - 1)
		return MDPY_PATTERN_FRAME;
	if (band == MDPY_BAND_BARS) {
		/* Bar i lights red unless bit 1, green unless bit 2, blue unless bit 0. */
		bar = x * 8 / width;
		return (bar & 2 ? 0 : 0xff0000) | (bar & 4 ? 0 : 0x00ff00) |
		       (bar & 1 ? 0 : 0x0000ff);
	}
	grey = x * 255 / (width - 1);
	return grey << 16 | grey << 8 | grey;
}

#endif /* MDPY_DEFS_H */
