/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio_fsl_mc_stub: the VFIO driver for objects on the emulated fsl-mc bus.
 * Private to the driver's files.
 */
#ifndef VFIO_FSL_MC_STUB_H
#define VFIO_FSL_MC_STUB_H

#include <linux/mutex.h>
#include <linux/vfio.h>

#include "fsl_mc_stub.h"

struct eventfd_ctx;
struct fsl_mc_stub_dbg;

/**
 * struct fsl_mc_stub_vdev - the VFIO device of one object
 * @vdev: the VFIO core's part; its dev_set is the container's device set
 * @obj: the object on the emulated bus
 * @igate: protects @triggers and @req_trigger against concurrent SET_IRQS,
 *	the request callback and close_device().  Taken inside the device set
 *	lock, never around it.
 * @triggers: the eventfd of each device interrupt, NULL while unset
 * @req_trigger: the eventfd of the request interrupt, NULL while unset
 * @dbg: test observability, see vfio_fsl_mc_stub_debugfs.c
 */
struct fsl_mc_stub_vdev {
	struct vfio_device vdev;
	struct fsl_mc_stub_obj *obj;
	struct mutex igate; /* see @igate above */
	struct eventfd_ctx *triggers[FSL_MC_STUB_MAX_IRQS];
	struct eventfd_ctx *req_trigger;
	struct fsl_mc_stub_dbg *dbg;
};

static inline struct fsl_mc_stub_vdev *
to_fsl_mc_stub_vdev(struct vfio_device *vdev)
{
	return container_of(vdev, struct fsl_mc_stub_vdev, vdev);
}

/* The object's own interrupts; the request interrupt comes after them. */
static inline unsigned int
fsl_mc_stub_vdev_irq_count(struct fsl_mc_stub_vdev *fvdev)
{
	return fvdev->obj->type->irq_count;
}

/* vfio_fsl_mc_stub_region.c: the portal region */
int fsl_mc_stub_vfio_region_info(struct vfio_device *vdev,
				 struct vfio_region_info *info,
				 struct vfio_info_cap *caps);
ssize_t fsl_mc_stub_vfio_read(struct vfio_device *vdev, char __user *buf,
			      size_t count, loff_t *ppos);
ssize_t fsl_mc_stub_vfio_write(struct vfio_device *vdev,
			       const char __user *buf, size_t count,
			       loff_t *ppos);
int fsl_mc_stub_vfio_mmap(struct vfio_device *vdev,
			  struct vm_area_struct *vma);

/* vfio_fsl_mc_stub_intr.c: interrupts and the container's pool */
long fsl_mc_stub_vfio_irq_info(struct fsl_mc_stub_vdev *fvdev,
			       void __user *arg);
long fsl_mc_stub_vfio_set_irqs(struct fsl_mc_stub_vdev *fvdev,
			       void __user *arg);
void fsl_mc_stub_vfio_irqs_cleanup_locked(struct fsl_mc_stub_vdev *fvdev);
void fsl_mc_stub_vfio_request(struct vfio_device *vdev, unsigned int count);

/* vfio_fsl_mc_stub_debugfs.c: test observability and knobs */
int fsl_mc_stub_dbg_init(struct fsl_mc_stub_vdev *fvdev);
void fsl_mc_stub_dbg_release(struct fsl_mc_stub_vdev *fvdev);
int fsl_mc_stub_dbg_open_begin(struct fsl_mc_stub_vdev *fvdev);
void fsl_mc_stub_dbg_open_end(struct fsl_mc_stub_vdev *fvdev, int ret);
void fsl_mc_stub_dbg_close_begin(struct fsl_mc_stub_vdev *fvdev);
void fsl_mc_stub_dbg_close_end(struct fsl_mc_stub_vdev *fvdev);
void fsl_mc_stub_dbg_request(struct fsl_mc_stub_vdev *fvdev);
void fsl_mc_stub_dbg_module_init(void);
void fsl_mc_stub_dbg_module_exit(void);

#endif /* VFIO_FSL_MC_STUB_H */
