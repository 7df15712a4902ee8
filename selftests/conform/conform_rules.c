// SPDX-License-Identifier: GPL-2.0
/*
 * The checks, in the order they run, with the rule each checks and the
 * section of Documentation/conversion-guide.rst that explains it. Every
 * citation of the guide is in this table and nowhere else: when a section
 * is renamed, this is the one place to follow it.
 */
#include "conform.h"

/* Section titles of Documentation/conversion-guide.rst. */
#define GUIDE_CONVERTING	"Converting a driver: open/release → open_device/close_device"
#define GUIDE_LIFETIME		"The lifetime ops are not the open ops"
#define GUIDE_SETS		"reflck → device sets"
#define GUIDE_MODULE_GET	"Module get/put in open (the mdev samples)"
#define GUIDE_EMPTY_OPS		"Empty open and close"
#define GUIDE_SHARED_STATE	"Shared state freed on every fd close (mbochs)"
#define GUIDE_NOTIFIERS		"Notifiers registered on every open (vfio-ap, vfio-ccw, i915 GVT-g)"
#define GUIDE_CHECKLIST		"A conversion checklist"
#define GUIDE_WHAT_CHANGED	"What changed, and why"

const struct cf_check cf_checks[] = {
	/* open_device once, close_device once */
	{ "shared_state", cf_check_shared_state,
	  "A second fd of an open device sees what the first one wrote: the device is opened once, not per fd.",
	  GUIDE_CONVERTING },
	{ "close_one", cf_check_close_one,
	  "Closing one fd while another is open changes nothing the other can see.",
	  GUIDE_CONVERTING },
	{ "last_close_resets", cf_check_last_close_resets,
	  "After the last close, the next open finds the device as a new one: close_device (or open_device) resets it.",
	  GUIDE_EMPTY_OPS },
	{ "reset_ioctl", cf_check_reset_ioctl,
	  "VFIO_DEVICE_RESET, when offered, puts the device back as it was at its first open.",
	  GUIDE_CHECKLIST },

	/* What a VFIO PCI device advertises and refuses */
	{ "info", cf_check_info,
	  "GET_INFO of a PCI device says PCI and RESET and has every fixed region and interrupt index.",
	  GUIDE_CHECKLIST },
	{ "argsz", cf_check_argsz,
	  "An argsz smaller than the structure the ioctl reads is refused with EINVAL.",
	  GUIDE_CHECKLIST },
	{ "index_range", cf_check_index_range,
	  "A region or interrupt index the device does not have is refused with EINVAL.",
	  GUIDE_CHECKLIST },
	{ "unknown_ioctl", cf_check_unknown_ioctl,
	  "An ioctl the driver does not know is refused with ENOTTY.",
	  GUIDE_CHECKLIST },
	{ "config_size", cf_check_config_size,
	  "A PCI device's config region is at least 256 bytes, and every dword of it reads.",
	  GUIDE_CHECKLIST },
	{ "region_bounds", cf_check_region_bounds,
	  "A read or write never reaches past the end of its region, nor into a region of size 0.",
	  GUIDE_CHECKLIST },
	{ "bar_mmap", cf_check_bar_mmap,
	  "A region's pread/pwrite and an mmap of it show the same bytes at the same offsets.",
	  GUIDE_CHECKLIST },

	/* Interrupts */
	{ "set_irqs", cf_check_set_irqs,
	  "SET_IRQS refuses bad indexes, flags, ranges, sizes and fds with a clean errno, and takes good ones.",
	  GUIDE_NOTIFIERS },
	{ "eventfd_release", cf_check_eventfd_release,
	  "Every eventfd the user wired is let go at the last close: none fires after it.",
	  GUIDE_NOTIFIERS },

	/* Display devices (those that answer VFIO_DEVICE_QUERY_GFX_PLANE) */
	{ "gfx_probe", cf_check_gfx_probe,
	  "QUERY_GFX_PLANE answers a probe for the plane types the device has, and refuses the others with EINVAL.",
	  GUIDE_SHARED_STATE },
	{ "gfx_query", cf_check_gfx_query,
	  "A queried plane describes memory the user can reach: its region, or a dma-buf id.",
	  GUIDE_SHARED_STATE },
	{ "dmabuf_export", cf_check_dmabuf_export,
	  "GET_GFX_DMABUF exports the queried plane as a dma-buf that maps the plane's bytes.",
	  GUIDE_SHARED_STATE },
	{ "dmabuf_shared", cf_check_dmabuf_shared,
	  "Display state belongs to the device, not to an fd: closing another fd leaves a dma-buf and its id working.",
	  GUIDE_SHARED_STATE },
	{ "dmabuf_outlives", cf_check_dmabuf_outlives,
	  "A dma-buf still held after its device is closed and removed stays safe to map, read and close.",
	  GUIDE_SHARED_STATE },

	/* Remove, and the core's own contract */
	{ "remove_while_open", cf_check_remove_while_open,
	  "Removing (or unbinding) a device a user holds completes once the user closes it, asked through the request interrupt when the driver offers one.",
	  GUIDE_LIFETIME, 0, true },
	{ "open_vs_remove", cf_check_open_vs_remove,
	  "Opens racing a removal either succeed or fail cleanly, and the removal completes.",
	  GUIDE_SETS, 0, true },
	{ "close_vs_open", cf_check_close_vs_open,
	  "An open racing the last close finds the device either still open or reset, never half of each.",
	  GUIDE_SETS },

	/* Leaks */
	{ "leak_cycles", cf_check_leak_cycles,
	  "Open/close and create/remove cycles give back every module reference, IOMMU group, instance and object they took.",
	  GUIDE_MODULE_GET, 120, true },

	/* The suite's generic programs, bounded, on this device alone */
	{ "fuzz", cf_check_fuzz,
	  "Random but structured uAPI calls get clean errnos: no kernel report, no leak.",
	  GUIDE_CHECKLIST, 120, true },
	{ "stress", cf_check_stress,
	  "Many users at once, killed while holding the device, while it is created and removed: no report, no leak.",
	  GUIDE_SETS, 120, true },
	{ "fail_nth", cf_check_fail_nth,
	  "Every allocation of create and of the first open can fail: a clean errno, nothing leaked (fault injection kernels).",
	  GUIDE_LIFETIME, 600, true },
	{ "cdev", cf_check_cdev,
	  "Through the device cdev and iommufd, the device opens at bind, once, and excludes the group path (kernels with the cdev).",
	  GUIDE_WHAT_CHANGED, 300, true },
};

const unsigned int cf_nr_checks = ARRAY_SIZE(cf_checks);

/* The kmemleak check is not in the table: it runs once, after every device. */
const struct cf_check cf_kmemleak_check = {
	CF_KMEMLEAK, NULL,
	"Nothing the device's driver allocated during the run is leaked (kmemleak, where the kernel has it).",
	GUIDE_LIFETIME,
};
