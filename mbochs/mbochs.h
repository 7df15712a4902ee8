/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbochs: a Bochs-compatible display mdev that exports its framebuffer as
 * a dma-buf. Definitions shared by the VFIO glue, the mdev parent and
 * debugfs.
 */
#ifndef MBOCHS_H
#define MBOCHS_H

#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/vfio.h>

#include "mbochs_dmabuf.h"
#include "mbochs_model.h"
#include "mbochs_vram.h"

#define MBOCHS_NAME	"mbochs"

/**
 * struct mbochs_type - an mdev type: how much video memory a device has
 * @type: the mdev core's view of the type
 * @mbytes: video memory in MiB, taken from the pool at create
 * @max_xres: largest width advertised through the EDID region, 0 for none
 * @max_yres: largest height advertised through the EDID region, 0 for none
 */
struct mbochs_type {
	struct mdev_type type;
	u32 mbytes;
	u32 max_xres;
	u32 max_yres;
};

/**
 * struct mbochs_device - one mdev device
 * @vdev: the VFIO device; its refcount owns this structure
 * @type: the type the device was created with
 * @state_lock: protects @model, @vram and @planes. Taken by register
 *              accesses, ioctls, BAR0 faults (under the mmap lock) and
 *              open/close_device (under the device set lock). Nothing that
 *              can fault on user memory runs under it.
 * @model: config space, DISPI and EDID registers
 * @vram: video memory behind BAR0
 * @planes: framebuffers described to user space, until the last close
 * @debugfs: per-device debugfs directory, named after the mdev UUID
 * @open_count: open_device calls so far; written under the device set lock
 * @close_count: close_device calls so far; written under the device set lock
 */
struct mbochs_device {
	struct vfio_device vdev;
	const struct mbochs_type *type;
	struct mutex state_lock;	/* see @state_lock above */
	struct mbochs_model model;
	struct mbochs_vram vram;
	struct mbochs_planes planes;
	struct dentry *debugfs;
	u32 open_count;
	u32 close_count;
};

static inline struct mbochs_device *vdev_to_mbochs(struct vfio_device *vdev)
{
	return container_of(vdev, struct mbochs_device, vdev);
}

/* mbochs_vfio.c */
extern const struct vfio_device_ops mbochs_vfio_ops;

/* mbochs_ioctl.c */
long mbochs_ioctl(struct vfio_device *vdev, unsigned int cmd,
		  unsigned long arg);
int mbochs_get_region_info(struct vfio_device *vdev,
			   struct vfio_region_info *info,
			   struct vfio_info_cap *caps);

/* mbochs_region.c: read()/write() on the device fd */
u64 mbochs_region_size(struct mbochs_device *mb, unsigned int index);
ssize_t mbochs_region_rw(struct mbochs_device *mb, char __user *ubuf,
			 size_t count, loff_t *ppos, bool write);

/* mbochs_debugfs.c: test and observability hooks, none in hot paths */
enum mbochs_fail_point {
	MBOCHS_FAIL_NONE,
	MBOCHS_FAIL_INIT_RESERVED,	/* .init, after the pool reservation */
	MBOCHS_FAIL_INIT_VRAM,		/* .init, after the page array */
	MBOCHS_FAIL_PROBE,		/* probe, after .init, before register */
};

bool mbochs_should_fail(enum mbochs_fail_point point);
unsigned int mbochs_fault_batch(void);
bool mbochs_fault_pmd(void);
void mbochs_debugfs_init(void);
void mbochs_debugfs_exit(void);
void mbochs_debugfs_add(struct mbochs_device *mb);
void mbochs_debugfs_remove(struct mbochs_device *mb);

#endif /* MBOCHS_H */
