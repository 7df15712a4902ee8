/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio_fsl_mc_stub: the VFIO driver for the objects of the emulated fsl-mc
 * bus.  What the driver's files share.
 *
 * Lock order: the device set lock, then a device's igate, then (inside the
 * bus model) an object's irq_lock.
 */
#ifndef FSL_MC_STUB_VFIO_H
#define FSL_MC_STUB_VFIO_H

#include <linux/mutex.h>
#include <linux/vfio.h>

#include "fsl_mc_stub.h"

/* Region i starts at file offset i << 40, as vfio-fsl-mc lays them out. */
#define FSL_MC_STUB_VFIO_OFFSET_SHIFT		FSL_MC_STUB_REGION_SHIFT
#define FSL_MC_STUB_VFIO_INDEX_TO_OFFSET(i)	((u64)(i) << FSL_MC_STUB_VFIO_OFFSET_SHIFT)
#define FSL_MC_STUB_VFIO_OFFSET_TO_INDEX(pos)	((u64)(pos) >> FSL_MC_STUB_VFIO_OFFSET_SHIFT)
#define FSL_MC_STUB_VFIO_OFFSET_MASK		(FSL_MC_STUB_VFIO_INDEX_TO_OFFSET(1) - 1)

struct eventfd_ctx;
struct fsl_mc_stub_vfio_hooks;

/**
 * struct fsl_mc_stub_vfio_dev - the VFIO device of one object
 * @vdev: the VFIO core's part; its dev_set is the container's device set
 * @obj: the object on the emulated bus
 * @igate: protects @triggers and @req_trigger against concurrent SET_IRQS,
 *	the request callback and close_device()
 * @triggers: the eventfd of each of the object's interrupts, NULL while unset
 * @req_trigger: the eventfd of the request interrupt, NULL while unset
 * @hooks: the test hooks' state (fsl_mc_stub_vfio_debugfs.c), NULL
 *	without them
 */
struct fsl_mc_stub_vfio_dev {
	struct vfio_device vdev;
	struct fsl_mc_stub_obj *obj;
	struct mutex igate; /* see @igate above */
	struct eventfd_ctx *triggers[FSL_MC_STUB_MAX_IRQS];
	struct eventfd_ctx *req_trigger;
	struct fsl_mc_stub_vfio_hooks *hooks;
};

static inline struct fsl_mc_stub_vfio_dev *
fsl_mc_stub_vfio_from_vdev(struct vfio_device *vdev)
{
	return container_of(vdev, struct fsl_mc_stub_vfio_dev, vdev);
}

/*
 * The IRQ indexes: the object's own interrupts, 0 to n - 1, then the
 * request interrupt at index n.
 */
static inline unsigned int
fsl_mc_stub_vfio_req_index(struct fsl_mc_stub_vfio_dev *fdev)
{
	return fdev->obj->type->irq_count;
}

static inline unsigned int
fsl_mc_stub_vfio_num_irqs(struct fsl_mc_stub_vfio_dev *fdev)
{
	return fsl_mc_stub_vfio_req_index(fdev) + 1;
}

/* fsl_mc_stub_vfio.c: the ops */
extern const struct vfio_device_ops fsl_mc_stub_vfio_ops;

/* fsl_mc_stub_vfio_irq.c: interrupts, and the container's pool */
long fsl_mc_stub_vfio_ioctl_get_irq_info(struct fsl_mc_stub_vfio_dev *fdev,
					 void __user *arg);
long fsl_mc_stub_vfio_ioctl_set_irqs(struct fsl_mc_stub_vfio_dev *fdev,
				     void __user *arg);
bool fsl_mc_stub_vfio_irq_request(struct fsl_mc_stub_vfio_dev *fdev);
void fsl_mc_stub_vfio_irq_release(struct fsl_mc_stub_vfio_dev *fdev);

/* ---- Test hooks: fsl_mc_stub_vfio_debugfs.c, built only with VFIO_SUITE_TEST_HOOKS=y ---- */
#ifdef VFIO_SUITE_TEST_HOOKS
void fsl_mc_stub_vfio_debugfs_init(void);
void fsl_mc_stub_vfio_debugfs_exit(void);
const struct vfio_device_ops *
fsl_mc_stub_vfio_hook_ops(const struct vfio_device_ops *ops);
#else
static inline void fsl_mc_stub_vfio_debugfs_init(void) {}
static inline void fsl_mc_stub_vfio_debugfs_exit(void) {}
static inline const struct vfio_device_ops *
fsl_mc_stub_vfio_hook_ops(const struct vfio_device_ops *ops)
{
	return ops;
}
#endif

#endif /* FSL_MC_STUB_VFIO_H */
