// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs interrupts as VFIO presents them. The display raises none (bochs
 * DRM polls nothing either), so of the PCI indexes only the request
 * interrupt exists: one eventfd, which the request op signals when the
 * device is removed while a user holds it open, asking that user to let
 * go. INTx, MSI, MSI-X and the error interrupt have no vectors.
 */
#include <linux/eventfd.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "mbochs.h"
#include "mbochs_compat.h"

/* Vectors per index: only the request interrupt has one. */
static unsigned int mbochs_irq_count(unsigned int index)
{
	return index == VFIO_PCI_REQ_IRQ_INDEX ? 1 : 0;
}

/**
 * mbochs_ioctl_get_irq_info() - VFIO_DEVICE_GET_IRQ_INFO
 * @mb: the device
 * @arg: user pointer to struct vfio_irq_info
 *
 * Called without locks held, with an fd of the device open. Every PCI
 * index exists; all but the request interrupt have count 0.
 *
 * Return: 0, -EFAULT, or -EINVAL for a short argsz or an unknown index.
 */
long mbochs_ioctl_get_irq_info(struct mbochs_dev *mb, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;

	info.count = mbochs_irq_count(info.index);
	info.flags = info.count ? VFIO_IRQ_INFO_EVENTFD |
				  VFIO_IRQ_INFO_NORESIZE : 0;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* Install @fd as the request eventfd, or drop the one there for -1. */
static int mbochs_irq_set_req_locked(struct mbochs_dev *mb, s32 fd)
{
	struct eventfd_ctx *ctx = NULL;

	lockdep_assert_held(&mb->irq_lock);
	if (fd < -1)
		return -EINVAL;
	if (fd >= 0) {
		ctx = eventfd_ctx_fdget(fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	}
	if (mb->req_trigger)
		eventfd_ctx_put(mb->req_trigger);
	mb->req_trigger = ctx;
	return 0;
}

/*
 * The request index takes ACTION_TRIGGER only: an eventfd to set or
 * clear, DATA_NONE or a true DATA_BOOL to signal it (a loopback), and
 * count 0 with DATA_NONE to clear it.
 */
static int mbochs_set_irqs_locked(struct mbochs_dev *mb,
				  const struct vfio_irq_set *hdr,
				  const void *data)
{
	lockdep_assert_held(&mb->irq_lock);
	if (hdr->index != VFIO_PCI_REQ_IRQ_INDEX ||
	    (hdr->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;

	switch (hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_EVENTFD:
		if (!hdr->count)
			return -EINVAL;
		return mbochs_irq_set_req_locked(mb, *(const s32 *)data);
	case VFIO_IRQ_SET_DATA_BOOL:
		if (!hdr->count)
			return -EINVAL;
		if (*(const u8 *)data && mb->req_trigger)
			mbochs_compat_eventfd_signal(mb->req_trigger);
		return 0;
	default:	/* DATA_NONE */
		if (!hdr->count)
			return mbochs_irq_set_req_locked(mb, -1);
		if (mb->req_trigger)
			mbochs_compat_eventfd_signal(mb->req_trigger);
		return 0;
	}
}

/**
 * mbochs_ioctl_set_irqs() - VFIO_DEVICE_SET_IRQS
 * @mb: the device
 * @arg: user pointer to struct vfio_irq_set and its data
 *
 * Called without locks held, with an fd of the device open; takes
 * irq_lock.
 *
 * Return: 0, -EFAULT, -EBADF or -EINVAL for an fd that is not an
 * eventfd, or -EINVAL for anything but the request interrupt's forms.
 */
long mbochs_ioctl_set_irqs(struct mbochs_dev *mb, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size;
	void *data = NULL;
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(&hdr,
						 mbochs_irq_count(hdr.index),
						 VFIO_PCI_NUM_IRQS, &data_size);
	if (ret)
		return ret;
	if (data_size) {
		data = memdup_user(arg + minsz, data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}

	mutex_lock(&mb->irq_lock);
	ret = mbochs_set_irqs_locked(mb, &hdr, data);
	mutex_unlock(&mb->irq_lock);
	kfree(data);
	return ret;
}

/**
 * mbochs_irq_request() - signal the request eventfd
 * @mb: the device
 *
 * Called from the request op, without the device set lock.
 *
 * Return: true if the user had a request eventfd, now signalled.
 */
bool mbochs_irq_request(struct mbochs_dev *mb)
{
	bool signalled = false;

	mutex_lock(&mb->irq_lock);
	if (mb->req_trigger) {
		mbochs_compat_eventfd_signal(mb->req_trigger);
		signalled = true;
	}
	mutex_unlock(&mb->irq_lock);
	return signalled;
}

/**
 * mbochs_irq_release() - drop every eventfd
 * @mb: the device
 *
 * Called from close_device, with the device set lock held: the user's
 * eventfds do not outlive its use of the device.
 */
void mbochs_irq_release(struct mbochs_dev *mb)
{
	mutex_lock(&mb->irq_lock);
	mbochs_irq_set_req_locked(mb, -1);
	mutex_unlock(&mb->irq_lock);
}
