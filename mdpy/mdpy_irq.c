// SPDX-License-Identifier: GPL-2.0
/*
 * mdpy interrupts: the request eventfd.
 *
 * A display that is only ever polled raises no interrupt of its own, so
 * INTx, MSI, MSI-X and the error index have no vectors. The one interrupt
 * is the request (VFIO_PCI_REQ_IRQ_INDEX): when the mdev is removed while
 * a user holds it, the core calls the request op, which signals the user's
 * eventfd so that it lets go (QEMU unplugs the device from its guest).
 */
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "mdpy.h"
#include "mdpy_compat.h"

/* Vectors per index: only the request has one. */
static unsigned int mdpy_irq_count(unsigned int index)
{
	return index == VFIO_PCI_REQ_IRQ_INDEX ? 1 : 0;
}

/**
 * mdpy_ioctl_get_irq_info() - VFIO_DEVICE_GET_IRQ_INFO
 * @mdpy: the device
 * @arg: user pointer to struct vfio_irq_info
 *
 * Called from the ioctl op, without a lock.
 *
 * Return: 0, -EFAULT, or -EINVAL for a short argsz or an index past
 * VFIO_PCI_NUM_IRQS.
 */
long mdpy_ioctl_get_irq_info(struct mdpy_dev *mdpy, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;

	info.count = mdpy_irq_count(info.index);
	info.flags = info.count ? VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE : 0;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* Replace the request eventfd with @fd's, or drop it for -1. */
static int mdpy_irq_set_req_locked(struct mdpy_dev *mdpy, s32 fd)
{
	struct eventfd_ctx *ctx = NULL;

	lockdep_assert_held(&mdpy->irq_lock);

	if (fd < -1)
		return -EINVAL;
	if (fd >= 0) {
		ctx = eventfd_ctx_fdget(fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	}
	if (mdpy->req_trigger)
		eventfd_ctx_put(mdpy->req_trigger);
	mdpy->req_trigger = ctx;
	return 0;
}

/* Signal the request eventfd, if there is one. */
static bool mdpy_irq_signal_req_locked(struct mdpy_dev *mdpy)
{
	lockdep_assert_held(&mdpy->irq_lock);

	if (!mdpy->req_trigger)
		return false;
	mdpy_compat_eventfd_signal(mdpy->req_trigger);
	return true;
}

/*
 * The request index knows one action, TRIGGER: an eventfd sets (fd >= 0)
 * or clears (-1) it, DATA_NONE and a true DATA_BOOL signal it as a
 * loopback, and count 0 with DATA_NONE clears it.
 */
static int mdpy_set_irqs_locked(struct mdpy_dev *mdpy,
				const struct vfio_irq_set *hdr,
				const void *data)
{
	lockdep_assert_held(&mdpy->irq_lock);

	if (hdr->index != VFIO_PCI_REQ_IRQ_INDEX ||
	    (hdr->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;

	switch (hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		if (!hdr->count)
			return mdpy_irq_set_req_locked(mdpy, -1);
		mdpy_irq_signal_req_locked(mdpy);
		return 0;
	case VFIO_IRQ_SET_DATA_BOOL:
		if (!hdr->count)
			return -EINVAL;
		if (*(const u8 *)data)
			mdpy_irq_signal_req_locked(mdpy);
		return 0;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		if (!hdr->count)
			return -EINVAL;
		return mdpy_irq_set_req_locked(mdpy, *(const s32 *)data);
	}
	return -EINVAL;
}

/**
 * mdpy_ioctl_set_irqs() - VFIO_DEVICE_SET_IRQS
 * @mdpy: the device
 * @arg: user pointer to struct vfio_irq_set and its data
 *
 * Called from the ioctl op, without a lock; takes @mdpy->irq_lock.
 *
 * Return: 0, -EFAULT, -ENOMEM, -EBADF for an fd that is not open, or
 * -EINVAL for anything the request index does not accept.
 */
long mdpy_ioctl_set_irqs(struct mdpy_dev *mdpy, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size;
	void *data = NULL;
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(&hdr, mdpy_irq_count(hdr.index),
						 VFIO_PCI_NUM_IRQS, &data_size);
	if (ret)
		return ret;
	if (data_size) {
		data = memdup_user(arg + minsz, data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}

	mutex_lock(&mdpy->irq_lock);
	ret = mdpy_set_irqs_locked(mdpy, &hdr, data);
	mutex_unlock(&mdpy->irq_lock);
	kfree(data);
	return ret;
}

/**
 * mdpy_irq_request() - ask the user to let go of the device
 * @mdpy: the device
 *
 * Called from the request op, without the device set lock.
 *
 * Return: true if the user had a request eventfd, which was signalled.
 */
bool mdpy_irq_request(struct mdpy_dev *mdpy)
{
	bool signalled;

	mutex_lock(&mdpy->irq_lock);
	signalled = mdpy_irq_signal_req_locked(mdpy);
	mutex_unlock(&mdpy->irq_lock);
	return signalled;
}

/**
 * mdpy_irq_release() - drop every eventfd the user set
 * @mdpy: the device
 *
 * Called from close_device, with the device set lock held: the next user
 * starts with none.
 */
void mdpy_irq_release(struct mdpy_dev *mdpy)
{
	mutex_lock(&mdpy->irq_lock);
	mdpy_irq_set_req_locked(mdpy, -1);
	mutex_unlock(&mdpy->irq_lock);
}
