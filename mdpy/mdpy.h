/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdpy: what the files of the host driver share.
 *
 * mdpy_main.c   module, mdev parent and types, instance pool, probe/remove
 * mdpy_vfio.c   the vfio_device_ops: regions, mmap, ioctls, open/close
 * mdpy_irq.c    interrupts: the request eventfd, the only one mdpy has
 * mdpy_model.c  the device model: config space and framebuffer
 * mdpy_debugfs.c  test hooks, built only with VFIO_SUITE_TEST_HOOKS=y
 */
#ifndef MDPY_H
#define MDPY_H

#include <linux/eventfd.h>
#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/vfio.h>

#include "mdpy_model.h"

#define MDPY_NAME	"mdpy"

/* Region i starts at file offset i << 40, as vfio-pci lays them out. */
#define MDPY_OFFSET_SHIFT		40
#define MDPY_INDEX_TO_OFFSET(i)		((u64)(i) << MDPY_OFFSET_SHIFT)
#define MDPY_OFFSET_TO_INDEX(pos)	((u64)(pos) >> MDPY_OFFSET_SHIFT)
#define MDPY_OFFSET_MASK		(MDPY_INDEX_TO_OFFSET(1) - 1)

/**
 * struct mdpy_type - an mdev type: one display geometry
 * @type: the mdev core's view of the type
 * @mode: the geometry every device of this type has
 */
struct mdpy_type {
	struct mdev_type type;
	struct mdpy_mode mode;
};

struct mdpy_hooks;

/**
 * struct mdpy_dev - one mdev display
 * @vdev: the VFIO device; its refcount owns this structure
 * @lock: protects @model's config space, and makes a reset atomic with
 *	respect to config accesses
 * @model: registers and framebuffer
 * @irq_lock: protects @req_trigger
 * @req_trigger: the request eventfd, signalled when the device is being
 *	removed while open; NULL when the user set none
 * @hooks: the test hooks' state (mdpy_debugfs.c); NULL without them
 *
 * Each display is a device set of its own, so the set lock that the core
 * holds around open_device and close_device is this device's alone.
 */
struct mdpy_dev {
	struct vfio_device vdev;
	struct mutex lock;	/* protects model.config: see @lock */
	struct mdpy_model model;
	struct mutex irq_lock;	/* protects @req_trigger */
	struct eventfd_ctx *req_trigger;
	struct mdpy_hooks *hooks;
};

static inline struct mdpy_dev *mdpy_from_vdev(struct vfio_device *vdev)
{
	return container_of(vdev, struct mdpy_dev, vdev);
}

extern const struct vfio_device_ops mdpy_vfio_ops;

/* mdpy_main.c: the instance pool, in displays. */
bool mdpy_pool_get(unsigned int n);
void mdpy_pool_put(unsigned int n);

/* mdpy_irq.c */
long mdpy_ioctl_get_irq_info(struct mdpy_dev *mdpy, void __user *arg);
long mdpy_ioctl_set_irqs(struct mdpy_dev *mdpy, void __user *arg);
bool mdpy_irq_request(struct mdpy_dev *mdpy);
void mdpy_irq_release(struct mdpy_dev *mdpy);

/* ---- Test hooks: mdpy_debugfs.c, built only with VFIO_SUITE_TEST_HOOKS=y ---- */
#ifdef VFIO_SUITE_TEST_HOOKS
void mdpy_debugfs_init(void);
void mdpy_debugfs_exit(void);
int mdpy_hooks_alloc(struct mdpy_dev *mdpy);
void mdpy_hooks_free(struct mdpy_dev *mdpy);
void mdpy_debugfs_add(struct mdpy_dev *mdpy);
void mdpy_debugfs_remove(struct mdpy_dev *mdpy);
void mdpy_hook_opened(struct mdpy_dev *mdpy);
void mdpy_hook_closed(struct mdpy_dev *mdpy);
void mdpy_hook_reset(struct mdpy_dev *mdpy, unsigned int pages_restored);
void mdpy_hook_removing(struct mdpy_dev *mdpy);
#else
static inline void mdpy_debugfs_init(void) {}
static inline void mdpy_debugfs_exit(void) {}
static inline int mdpy_hooks_alloc(struct mdpy_dev *mdpy) { return 0; }
static inline void mdpy_hooks_free(struct mdpy_dev *mdpy) {}
static inline void mdpy_debugfs_add(struct mdpy_dev *mdpy) {}
static inline void mdpy_debugfs_remove(struct mdpy_dev *mdpy) {}
static inline void mdpy_hook_opened(struct mdpy_dev *mdpy) {}
static inline void mdpy_hook_closed(struct mdpy_dev *mdpy) {}
static inline void mdpy_hook_reset(struct mdpy_dev *mdpy,
				   unsigned int pages_restored) {}
static inline void mdpy_hook_removing(struct mdpy_dev *mdpy) {}
#endif

#endif /* MDPY_H */
