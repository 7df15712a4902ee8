// SPDX-License-Identifier: GPL-2.0
/*
 * mdpy_snapshot: save what an mdpy display shows as a PNG file.
 *
 *   mdpy_snapshot <mdev uuid> <file.png>
 *
 * It does what a display consumer such as QEMU's display=on does: ask the
 * device for its primary plane with VFIO_DEVICE_QUERY_GFX_PLANE, then read
 * the plane from the region the answer names, and save it with lib/png.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "png.h"
#include "vfio_lib.h"
#include "mdpy/mdpy_defs.h"

#define DRM_PLANE_TYPE_PRIMARY	1

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

	ret = png_write_xrgb8888(argv[2], buf, plane.width, plane.height, plane.stride);
	if (ret)
		vfio_lib_fail("%s: %s", argv[2], strerror(-ret));
	printf("mdpy: %s: %ux%u XRGB8888, stride %u, region %u -> %s\n",
	       argv[1], plane.width, plane.height, plane.stride,
	       plane.region_index, argv[2]);
	free(buf);
	vfio_dev_close(&dev);
	return 0;
}
