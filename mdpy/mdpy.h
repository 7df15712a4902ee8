/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdpy: what the VFIO glue, the mdev driver and debugfs share.
 */
#ifndef MDPY_H
#define MDPY_H

#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/vfio.h>

#include "mdpy_model.h"

#define MDPY_NAME	"mdpy"

/**
 * struct mdpy_type - an mdev type: one display geometry
 * @type: the mdev core's view of the type
 * @mode: the geometry every device of this type has
 */
struct mdpy_type {
	struct mdev_type type;
	struct mdpy_mode mode;
};

/**
 * struct mdpy_device - one mdev display
 * @vdev: the VFIO device; its refcount owns this structure
 * @lock: protects @model's config space and makes a reset atomic with
 *	respect to config accesses
 * @model: registers and framebuffer
 * @debugfs: this device's debugfs directory, named after the mdev UUID
 * @open_count: open_device calls so far; written under the device set lock
 * @close_count: close_device calls so far; written under the device set lock
 * @reset_count: resets so far (VFIO_DEVICE_RESET and open); under @lock
 * @removing: set when remove() starts to wait for users to let go; for
 *	the selftests, which cannot see that wait otherwise
 */
struct mdpy_device {
	struct vfio_device vdev;
	struct mutex lock;	/* protects model.config: see @lock */
	struct mdpy_model model;
	struct dentry *debugfs;
	u32 open_count;
	u32 close_count;
	u32 reset_count;
	bool removing;
};

static inline struct mdpy_device *vdev_to_mdpy(struct vfio_device *vdev)
{
	return container_of(vdev, struct mdpy_device, vdev);
}

extern const struct vfio_device_ops mdpy_vfio_ops;

void mdpy_debugfs_init(void);
void mdpy_debugfs_exit(void);
void mdpy_debugfs_add(struct mdpy_device *mdpy);
void mdpy_debugfs_remove(struct mdpy_device *mdpy);

#endif /* MDPY_H */
