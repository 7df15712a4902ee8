// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts of vfio_fsl_mc_stub: IRQ info, SET_IRQS with eventfd
 * triggers, the request interrupt, and the use of the container's pool.
 *
 * The pool belongs to the container and is shared by every object in it,
 * so all pool calls for one container must be serialised.  The container
 * and its direct children are exactly one VFIO device set, so the set lock
 * does it: SET_IRQS takes it to populate the pool and draw the device's
 * interrupts, and close_device() already runs under it when it returns them
 * and, at the set's last close, frees the pool.  Functions that need a
 * lock held end in _locked and assert which: the set lock for the pool,
 * igate for the eventfds.
 *
 * Lock order: the device set lock, then igate.  SET_IRQS drops the set lock
 * before taking igate, so nothing ever waits for the set lock under igate.
 */
#include <linux/eventfd.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vfio_suite_compat.h"
#include "vfio_fsl_mc_stub.h"

/* ---- eventfds ----------------------------------------------------------- */

/* Called by the bus model when the interrupt is raised, under irq_lock. */
static void fsl_mc_stub_vfio_irq_handler(void *arg)
{
	vfio_suite_eventfd_signal(arg);
}

/*
 * Replace the eventfd of one device interrupt; fd < 0 only removes it.
 * The handler is detached first, so no raise uses an eventfd we put.
 */
static int fsl_mc_stub_vfio_set_trigger_locked(struct fsl_mc_stub_vdev *fvdev,
					       unsigned int index, s32 fd)
{
	struct eventfd_ctx *trigger;
	int ret;

	lockdep_assert_held(&fvdev->igate);

	if (fvdev->triggers[index]) {
		fsl_mc_stub_irq_release(fvdev->obj, index);
		eventfd_ctx_put(fvdev->triggers[index]);
		fvdev->triggers[index] = NULL;
	}
	if (fd < 0)
		return 0;

	trigger = eventfd_ctx_fdget(fd);
	if (IS_ERR(trigger))
		return PTR_ERR(trigger);
	ret = fsl_mc_stub_irq_request(fvdev->obj, index,
				      fsl_mc_stub_vfio_irq_handler, trigger);
	if (ret) {
		eventfd_ctx_put(trigger);
		return ret;
	}
	fvdev->triggers[index] = trigger;
	return 0;
}

/* The request interrupt has no pool interrupt behind it. */
static int
fsl_mc_stub_vfio_set_req_trigger_locked(struct fsl_mc_stub_vdev *fvdev, s32 fd)
{
	struct eventfd_ctx *trigger = NULL;

	lockdep_assert_held(&fvdev->igate);

	if (fd >= 0) {
		trigger = eventfd_ctx_fdget(fd);
		if (IS_ERR(trigger))
			return PTR_ERR(trigger);
	}
	if (fvdev->req_trigger)
		eventfd_ctx_put(fvdev->req_trigger);
	fvdev->req_trigger = trigger;
	return 0;
}

/**
 * fsl_mc_stub_vfio_request() - the host wants the device back
 * @vdev: the VFIO device being unregistered
 * @count: how many times the core has asked so far
 *
 * Signals the request eventfd, if userspace set one.
 * Context: called by vfio_unregister_group_dev() while it waits for the
 * device to be closed; no lock held.
 */
void fsl_mc_stub_vfio_request(struct vfio_device *vdev, unsigned int count)
{
	struct fsl_mc_stub_vdev *fvdev = to_fsl_mc_stub_vdev(vdev);

	fsl_mc_stub_dbg_request(fvdev);

	mutex_lock(&fvdev->igate);
	if (fvdev->req_trigger)
		vfio_suite_eventfd_signal(fvdev->req_trigger);
	else if (!count)
		dev_notice(vdev->dev,
			   "no device request channel, blocked until released by user\n");
	mutex_unlock(&fvdev->igate);
}

/* ---- the container's pool, under the device set lock -------------------- */

/*
 * Give the device its interrupts, populating the container's pool the first
 * time any member needs it.
 */
static int fsl_mc_stub_vfio_irqs_prepare_locked(struct fsl_mc_stub_vdev *fvdev)
{
	struct fsl_mc_stub_obj *obj = fvdev->obj;
	int ret;

	lockdep_assert_held(&fvdev->vdev.dev_set->lock);

	ret = fsl_mc_stub_irq_pool_populate(fsl_mc_stub_cont(obj));
	if (ret)
		return ret;
	return fsl_mc_stub_irqs_allocate(obj);
}

/**
 * fsl_mc_stub_vfio_irqs_cleanup_locked() - undo all interrupt setup
 * @fvdev: the device being closed
 *
 * Detaches the eventfds, returns the device's interrupts to the pool, and
 * frees the pool when this is the last open device of the set.  Freeing it
 * any earlier would take interrupts from members that are still open (or
 * force them to be drawn from a new pool); the device set is what tells us
 * that no member is open.
 * Context: close_device(), with the device set lock held.
 */
void fsl_mc_stub_vfio_irqs_cleanup_locked(struct fsl_mc_stub_vdev *fvdev)
{
	struct vfio_device_set *dev_set = fvdev->vdev.dev_set;
	unsigned int i;

	lockdep_assert_held(&dev_set->lock);

	mutex_lock(&fvdev->igate);
	for (i = 0; i < fsl_mc_stub_vdev_irq_count(fvdev); i++)
		fsl_mc_stub_vfio_set_trigger_locked(fvdev, i, -1);
	fsl_mc_stub_vfio_set_req_trigger_locked(fvdev, -1);
	mutex_unlock(&fvdev->igate);

	fsl_mc_stub_irqs_free(fvdev->obj);
	/* The device being closed still counts as open: 1 means only it. */
	if (vfio_device_set_open_count(dev_set) == 1)
		fsl_mc_stub_irq_pool_cleanup(fsl_mc_stub_cont(fvdev->obj));
}

/* ---- ioctls ------------------------------------------------------------- */

/**
 * fsl_mc_stub_vfio_irq_info() - VFIO_DEVICE_GET_IRQ_INFO
 * @fvdev: the device
 * @arg: the user's struct vfio_irq_info
 *
 * Each index, device interrupts and the request one, is a single eventfd.
 * Return: 0, -EFAULT, or -EINVAL for a short argsz or a bad index.
 */
long fsl_mc_stub_vfio_irq_info(struct fsl_mc_stub_vdev *fvdev,
			       void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	if (info.index > fsl_mc_stub_vdev_irq_count(fvdev))
		return -EINVAL;

	info.flags = VFIO_IRQ_INFO_EVENTFD;
	info.count = 1;

	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* What SET_IRQS carries after the header: one eventfd or one bool. */
union fsl_mc_stub_vfio_irq_data {
	s32 fd;
	u8 flag;
};

static int fsl_mc_stub_vfio_set_irq_locked(struct fsl_mc_stub_vdev *fvdev,
					   struct vfio_irq_set *hdr,
					   union fsl_mc_stub_vfio_irq_data *data)
{
	bool is_req = hdr->index == fsl_mc_stub_vdev_irq_count(fvdev);
	struct eventfd_ctx *trigger;

	lockdep_assert_held(&fvdev->igate);

	if (!hdr->count) {
		/* DATA_NONE with count 0 turns the interrupt off */
		if (!(hdr->flags & VFIO_IRQ_SET_DATA_NONE))
			return -EINVAL;
		if (is_req)
			return fsl_mc_stub_vfio_set_req_trigger_locked(fvdev, -1);
		return fsl_mc_stub_vfio_set_trigger_locked(fvdev, hdr->index, -1);
	}

	if (hdr->flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		if (is_req)
			return fsl_mc_stub_vfio_set_req_trigger_locked(fvdev, data->fd);
		return fsl_mc_stub_vfio_set_trigger_locked(fvdev, hdr->index, data->fd);
	}

	/* DATA_NONE, or DATA_BOOL true: signal from userspace (loopback) */
	if ((hdr->flags & VFIO_IRQ_SET_DATA_BOOL) && !data->flag)
		return 0;
	trigger = is_req ? fvdev->req_trigger : fvdev->triggers[hdr->index];
	if (trigger)
		vfio_suite_eventfd_signal(trigger);
	return 0;
}

/**
 * fsl_mc_stub_vfio_set_irqs() - VFIO_DEVICE_SET_IRQS
 * @fvdev: the device
 * @arg: the user's struct vfio_irq_set and its data
 *
 * Only ACTION_TRIGGER is supported, with DATA_NONE, DATA_BOOL or
 * DATA_EVENTFD, start 0 and count 0 (DATA_NONE: off) or 1.  Setting an
 * eventfd on a device interrupt is what first needs the container's pool.
 * Context: any time the device is open; takes the set lock, then igate.
 * Return: 0, -EFAULT, -EINVAL for a malformed request, -EBADF for a bad
 * eventfd, -ENOSPC if the pool is short, -ENOMEM.
 */
long fsl_mc_stub_vfio_set_irqs(struct fsl_mc_stub_vdev *fvdev,
			       void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	unsigned int irq_count = fsl_mc_stub_vdev_irq_count(fvdev);
	struct vfio_device_set *dev_set = fvdev->vdev.dev_set;
	union fsl_mc_stub_vfio_irq_data data = {};
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	/* one interrupt per index; the last index is the request interrupt */
	ret = vfio_set_irqs_validate_and_prepare(&hdr, 1, irq_count + 1,
						 &data_size);
	if (ret)
		return ret;
	if ((hdr.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;
	if (data_size > sizeof(data))
		return -EINVAL;
	if (data_size && copy_from_user(&data, arg + minsz, data_size))
		return -EFAULT;

	if (hdr.count && (hdr.flags & VFIO_IRQ_SET_DATA_EVENTFD) &&
	    hdr.index < irq_count && data.fd >= 0) {
		mutex_lock(&dev_set->lock);
		ret = fsl_mc_stub_vfio_irqs_prepare_locked(fvdev);
		mutex_unlock(&dev_set->lock);
		if (ret)
			return ret;
	}

	mutex_lock(&fvdev->igate);
	ret = fsl_mc_stub_vfio_set_irq_locked(fvdev, &hdr, &data);
	mutex_unlock(&fvdev->igate);
	return ret;
}
