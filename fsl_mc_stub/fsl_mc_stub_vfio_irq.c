// SPDX-License-Identifier: GPL-2.0
/*
 * The interrupts of vfio_fsl_mc_stub: GET_IRQ_INFO, SET_IRQS, the eventfds
 * and the request interrupt.
 *
 * IRQ indexes 0 to n - 1 are the object's n interrupts (its type's count),
 * each a single eventfd; index n is the request interrupt, which the
 * driver signals when the host wants the device back.
 *
 * An object's interrupts come from its container's pool, which every
 * member of the container's device set shares (fsl_mc_stub_irq_pool.c).
 * So the pool calls run under the set lock: SET_IRQS takes it to populate
 * the pool and draw the object's interrupts when it first sets an eventfd,
 * and close_device(), which the core calls with the lock held, gives them
 * back.  The eventfds themselves are the device's own, under its igate,
 * which is taken after the set lock, never around it.
 */
#include <linux/eventfd.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "fsl_mc_stub_compat.h"
#include "fsl_mc_stub_vfio.h"

/* Called by the bus model when the interrupt is raised, under irq_lock. */
static void fsl_mc_stub_vfio_irq_handler(void *arg)
{
	fsl_mc_stub_compat_eventfd_signal(arg);
}

/* ---- the eventfds, under igate ------------------------------------------ */

/*
 * Replace the eventfd of one of the object's interrupts; fd < 0 only
 * removes it.  The handler is detached first, so no raise signals an
 * eventfd after it was put.
 */
static int fsl_mc_stub_vfio_set_trigger_locked(struct fsl_mc_stub_vfio_dev *fdev,
					       unsigned int index, s32 fd)
{
	struct eventfd_ctx *trigger;
	int ret;

	lockdep_assert_held(&fdev->igate);

	if (fdev->triggers[index]) {
		fsl_mc_stub_irq_release(fdev->obj, index);
		eventfd_ctx_put(fdev->triggers[index]);
		fdev->triggers[index] = NULL;
	}
	if (fd < 0)
		return 0;

	trigger = eventfd_ctx_fdget(fd);
	if (IS_ERR(trigger))
		return PTR_ERR(trigger);
	ret = fsl_mc_stub_irq_request(fdev->obj, index,
				      fsl_mc_stub_vfio_irq_handler, trigger);
	if (ret) {
		eventfd_ctx_put(trigger);
		return ret;
	}
	fdev->triggers[index] = trigger;
	return 0;
}

/* The request interrupt has no pool interrupt behind it. */
static int fsl_mc_stub_vfio_set_req_trigger_locked(struct fsl_mc_stub_vfio_dev *fdev,
						   s32 fd)
{
	struct eventfd_ctx *trigger = NULL;

	lockdep_assert_held(&fdev->igate);

	if (fd >= 0) {
		trigger = eventfd_ctx_fdget(fd);
		if (IS_ERR(trigger))
			return PTR_ERR(trigger);
	}
	if (fdev->req_trigger)
		eventfd_ctx_put(fdev->req_trigger);
	fdev->req_trigger = trigger;
	return 0;
}

/**
 * fsl_mc_stub_vfio_irq_request() - signal the request interrupt
 * @fdev: the device
 *
 * Called by the .request op; takes igate.
 *
 * Return: whether the user had set a request eventfd.
 */
bool fsl_mc_stub_vfio_irq_request(struct fsl_mc_stub_vfio_dev *fdev)
{
	bool signalled = false;

	mutex_lock(&fdev->igate);
	if (fdev->req_trigger) {
		fsl_mc_stub_compat_eventfd_signal(fdev->req_trigger);
		signalled = true;
	}
	mutex_unlock(&fdev->igate);
	return signalled;
}

/**
 * fsl_mc_stub_vfio_irq_release() - drop every eventfd of the device
 * @fdev: the device
 *
 * Called by close_device(), with the device set lock held; takes igate.
 * The object keeps its pool interrupts: close_device() gives them back.
 */
void fsl_mc_stub_vfio_irq_release(struct fsl_mc_stub_vfio_dev *fdev)
{
	unsigned int i;

	mutex_lock(&fdev->igate);
	for (i = 0; i < fsl_mc_stub_vfio_req_index(fdev); i++)
		fsl_mc_stub_vfio_set_trigger_locked(fdev, i, -1);
	fsl_mc_stub_vfio_set_req_trigger_locked(fdev, -1);
	mutex_unlock(&fdev->igate);
}

/* ---- the container's pool, under the device set lock ------------------- */

/*
 * Give the object its interrupts, populating the container's pool if no
 * member has needed it since the set was last closed.
 */
static int fsl_mc_stub_vfio_irqs_get_locked(struct fsl_mc_stub_vfio_dev *fdev)
{
	struct fsl_mc_stub_obj *obj = fdev->obj;
	int ret;

	lockdep_assert_held(&fdev->vdev.dev_set->lock);

	ret = fsl_mc_stub_irq_pool_populate(fsl_mc_stub_cont(obj));
	if (ret)
		return ret;
	return fsl_mc_stub_irqs_allocate(obj);
}

/* ---- ioctls ------------------------------------------------------------- */

/* Interrupts at @index: one for each valid index, 0 past the last. */
static unsigned int fsl_mc_stub_vfio_irq_count(struct fsl_mc_stub_vfio_dev *fdev,
					       unsigned int index)
{
	return index < fsl_mc_stub_vfio_num_irqs(fdev) ? 1 : 0;
}

/**
 * fsl_mc_stub_vfio_ioctl_get_irq_info() - VFIO_DEVICE_GET_IRQ_INFO
 * @fdev: the device
 * @arg: the user's struct vfio_irq_info
 *
 * Return: 0, -EFAULT, or -EINVAL for a short argsz or a bad index.
 */
long fsl_mc_stub_vfio_ioctl_get_irq_info(struct fsl_mc_stub_vfio_dev *fdev,
					 void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	if (!fsl_mc_stub_vfio_irq_count(fdev, info.index))
		return -EINVAL;

	info.flags = VFIO_IRQ_INFO_EVENTFD;
	info.count = 1;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/*
 * ACTION_TRIGGER at one index.  @data holds count items of the data type:
 * an s32 eventfd or a u8 bool (count is 0 or 1 here).
 */
static int fsl_mc_stub_vfio_set_irqs_locked(struct fsl_mc_stub_vfio_dev *fdev,
					    struct vfio_irq_set *hdr, void *data)
{
	bool is_req = hdr->index == fsl_mc_stub_vfio_req_index(fdev);
	struct eventfd_ctx *trigger;
	s32 fd;

	lockdep_assert_held(&fdev->igate);

	switch (hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_EVENTFD:
		if (!hdr->count)
			return -EINVAL;
		memcpy(&fd, data, sizeof(fd));
		if (is_req)
			return fsl_mc_stub_vfio_set_req_trigger_locked(fdev, fd);
		return fsl_mc_stub_vfio_set_trigger_locked(fdev, hdr->index, fd);
	case VFIO_IRQ_SET_DATA_NONE:
		/* count 0 turns the interrupt off */
		if (!hdr->count && is_req)
			return fsl_mc_stub_vfio_set_req_trigger_locked(fdev, -1);
		if (!hdr->count)
			return fsl_mc_stub_vfio_set_trigger_locked(fdev, hdr->index, -1);
		break;
	case VFIO_IRQ_SET_DATA_BOOL:
		if (!hdr->count)
			return -EINVAL;
		if (!*(u8 *)data)
			return 0;
		break;
	default:
		return -EINVAL;
	}

	/* DATA_NONE, or DATA_BOOL true: signal it from userspace (loopback) */
	trigger = is_req ? fdev->req_trigger : fdev->triggers[hdr->index];
	if (trigger)
		fsl_mc_stub_compat_eventfd_signal(trigger);
	return 0;
}

/* Setting an eventfd on one of the object's interrupts needs the pool. */
static bool fsl_mc_stub_vfio_set_irqs_needs_pool(struct fsl_mc_stub_vfio_dev *fdev,
						 struct vfio_irq_set *hdr,
						 void *data)
{
	s32 fd;

	if (hdr->index == fsl_mc_stub_vfio_req_index(fdev) || !hdr->count ||
	    (hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) != VFIO_IRQ_SET_DATA_EVENTFD)
		return false;
	memcpy(&fd, data, sizeof(fd));
	return fd >= 0;
}

/**
 * fsl_mc_stub_vfio_ioctl_set_irqs() - VFIO_DEVICE_SET_IRQS
 * @fdev: the device
 * @arg: the user's struct vfio_irq_set and its data
 *
 * ACTION_TRIGGER only, with DATA_EVENTFD (an fd sets the eventfd, -1
 * clears it), DATA_NONE and DATA_BOOL (signal it, as a loopback), and
 * count 0 with DATA_NONE (clear).  The first eventfd on one of the
 * object's interrupts draws its interrupts from the container's pool,
 * under the device set lock.
 * Takes the set lock, then igate.
 *
 * Return: 0, -EFAULT, -EINVAL for a malformed request, -EBADF for a bad
 * eventfd, -ENOSPC if the pool is short, -ENOMEM.
 */
long fsl_mc_stub_vfio_ioctl_set_irqs(struct fsl_mc_stub_vfio_dev *fdev,
				     void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_device_set *dev_set = fdev->vdev.dev_set;
	struct vfio_irq_set hdr;
	size_t data_size;
	void *data = NULL;
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(&hdr,
						 fsl_mc_stub_vfio_irq_count(fdev, hdr.index),
						 fsl_mc_stub_vfio_num_irqs(fdev),
						 &data_size);
	if (ret)
		return ret;
	if ((hdr.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;
	if (data_size) {
		data = memdup_user(arg + minsz, data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}

	if (fsl_mc_stub_vfio_set_irqs_needs_pool(fdev, &hdr, data)) {
		mutex_lock(&dev_set->lock);
		ret = fsl_mc_stub_vfio_irqs_get_locked(fdev);
		mutex_unlock(&dev_set->lock);
		if (ret)
			goto out_free_data;
	}

	mutex_lock(&fdev->igate);
	ret = fsl_mc_stub_vfio_set_irqs_locked(fdev, &hdr, data);
	mutex_unlock(&fdev->igate);
out_free_data:
	kfree(data);
	return ret;
}
