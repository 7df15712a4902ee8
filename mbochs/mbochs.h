/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbochs: a Bochs-compatible display mdev that exports its framebuffer as
 * a dma-buf. What the VFIO glue, the mdev parent, the planes and the test
 * hooks share.
 */
#ifndef MBOCHS_H
#define MBOCHS_H

#include <linux/list.h>
#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/vfio.h>

#include "mbochs_model.h"
#include "mbochs_vram.h"

#define MBOCHS_NAME	"mbochs"

/* Region i starts at file offset i << 40, as vfio-pci lays them out. */
#define MBOCHS_OFFSET_SHIFT		40
#define MBOCHS_INDEX_TO_OFFSET(i)	((u64)(i) << MBOCHS_OFFSET_SHIFT)
#define MBOCHS_OFFSET_TO_INDEX(pos)	((u64)(pos) >> MBOCHS_OFFSET_SHIFT)
#define MBOCHS_OFFSET_MASK		(MBOCHS_INDEX_TO_OFFSET(1) - 1)

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
 * struct mbochs_planes - the framebuffers a device has described so far
 * @list: &struct mbochs_plane, most recently used first
 * @count: entries in @list, at most MBOCHS_MAX_PLANES
 * @next_id: id of the next new plane; ids are never reused by a device,
 *           so a stale id fails instead of naming another framebuffer
 */
struct mbochs_planes {
	struct list_head list;
	unsigned int count;
	u32 next_id;
};

struct mbochs_hooks;

/**
 * struct mbochs_dev - one mdev device
 * @vdev: the VFIO device; its refcount owns this structure
 * @type: the type the device was created with
 * @state_lock: protects @model, @vram and @planes. Taken by register
 *              accesses, ioctls, BAR0 faults (under the mmap lock) and
 *              open/close_device (under the device set lock). Nothing that
 *              can fault on user memory runs under it.
 * @model: config space, DISPI and EDID registers
 * @vram: video memory behind BAR0
 * @planes: framebuffers described to user space, until the last close
 * @irq_lock: protects @req_trigger
 * @req_trigger: the user's request eventfd, signalled when the device is
 *               removed while open; dropped at the last close
 * @hooks: test hooks' state (mbochs_debugfs.c), NULL without them
 */
struct mbochs_dev {
	struct vfio_device vdev;
	const struct mbochs_type *type;
	struct mutex state_lock;	/* see @state_lock above */
	struct mbochs_model model;
	struct mbochs_vram vram;
	struct mbochs_planes planes;
	struct mutex irq_lock;		/* see @irq_lock above */
	struct eventfd_ctx *req_trigger;
	struct mbochs_hooks *hooks;
};

static inline struct mbochs_dev *mbochs_from_vdev(struct vfio_device *vdev)
{
	return container_of(vdev, struct mbochs_dev, vdev);
}

/* mbochs_vfio.c */
extern const struct vfio_device_ops mbochs_vfio_ops;

/* mbochs_irq.c: the request interrupt, mbochs's only one */
long mbochs_ioctl_get_irq_info(struct mbochs_dev *mb, void __user *arg);
long mbochs_ioctl_set_irqs(struct mbochs_dev *mb, void __user *arg);
bool mbochs_irq_request(struct mbochs_dev *mb);
void mbochs_irq_release(struct mbochs_dev *mb);

/* mbochs_edid.c: the EDID region */
int mbochs_edid_access_locked(struct mbochs_dev *mb, u32 off, u8 *buf,
			      u32 len, bool write);

/* mbochs_dmabuf.c: planes, their ioctls and the dma-bufs they export */
void mbochs_planes_init(struct mbochs_planes *planes);
void mbochs_planes_clear_locked(struct mbochs_dev *mb);
long mbochs_ioctl_query_gfx_plane(struct mbochs_dev *mb, void __user *arg);
long mbochs_ioctl_get_gfx_dmabuf(struct mbochs_dev *mb, u32 __user *arg);

/* mbochs_pool.c: the instance pool, in MiB of video memory */
void mbochs_pool_init(void);
bool mbochs_pool_get(unsigned int n);
void mbochs_pool_put(unsigned int n);
unsigned int mbochs_pool_avail(void);
unsigned int mbochs_pool_total(void);

/* Pages a BAR0 fault maps with page entries: 256 KiB, see mbochs_vram.c. */
#define MBOCHS_FAULT_BATCH	64

/* ---- Test hooks: mbochs_debugfs.c, built only with VFIO_SUITE_TEST_HOOKS=y ---- */

/* Where a create can be made to fail, for the tests of its unwinding. */
enum mbochs_fail_point {
	MBOCHS_FAIL_NONE,
	MBOCHS_FAIL_INIT_RESERVED,	/* .init, after the pool reservation */
	MBOCHS_FAIL_INIT_VRAM,		/* .init, after the page array */
	MBOCHS_FAIL_PROBE,		/* probe, after .init, before register */
};

#ifdef VFIO_SUITE_TEST_HOOKS
void mbochs_debugfs_init(void);
void mbochs_debugfs_exit(void);
void mbochs_debugfs_add(struct mbochs_dev *mb);
void mbochs_debugfs_remove(struct mbochs_dev *mb);
bool mbochs_hook_fail(enum mbochs_fail_point point);
unsigned int mbochs_hook_fault_batch(void);
bool mbochs_hook_fault_pmd(void);
void mbochs_hook_opened(struct mbochs_dev *mb);
void mbochs_hook_closed(struct mbochs_dev *mb);
void mbochs_hook_pmd_mapped(struct mbochs_dev *mb);
#else
static inline void mbochs_debugfs_init(void) {}
static inline void mbochs_debugfs_exit(void) {}
static inline void mbochs_debugfs_add(struct mbochs_dev *mb) {}
static inline void mbochs_debugfs_remove(struct mbochs_dev *mb) {}
static inline bool mbochs_hook_fail(enum mbochs_fail_point point)
{
	return false;
}

static inline unsigned int mbochs_hook_fault_batch(void)
{
	return MBOCHS_FAULT_BATCH;
}

static inline bool mbochs_hook_fault_pmd(void)
{
	return true;
}

static inline void mbochs_hook_opened(struct mbochs_dev *mb) {}
static inline void mbochs_hook_closed(struct mbochs_dev *mb) {}
static inline void mbochs_hook_pmd_mapped(struct mbochs_dev *mb) {}
#endif

#endif /* MBOCHS_H */
