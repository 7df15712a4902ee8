// SPDX-License-Identifier: GPL-2.0
/*
 * pci_slot_stub: interrupts. The stub owns no device interrupt (no INTx,
 * MSI or MSI-X: count 0), so the one it offers is the request interrupt,
 * VFIO_PCI_REQ_IRQ_INDEX: when the function is unbound while a user holds
 * it, the VFIO core calls the request op until the user closes the device,
 * and a user who registered an eventfd there is told through it.
 */
#include <linux/eventfd.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "pss_compat.h"
#include "pss.h"

static unsigned int pss_irq_count(unsigned int index)
{
	return index == VFIO_PCI_REQ_IRQ_INDEX ? 1 : 0;
}

/**
 * pss_ioctl_get_irq_info() - VFIO_DEVICE_GET_IRQ_INFO
 * @pss: the device, open
 * @arg: user struct vfio_irq_info
 *
 * Return: 0, -EFAULT, or -EINVAL for a short argsz or an unknown index.
 */
long pss_ioctl_get_irq_info(struct pss_dev *pss, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;

	info.count = pss_irq_count(info.index);
	info.flags = info.count ? VFIO_IRQ_INFO_EVENTFD : 0;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* Replace the request eventfd (NULL drops it); irq_lock held. */
static void pss_irq_set_trigger_locked(struct pss_dev *pss,
				       struct eventfd_ctx *trigger)
{
	lockdep_assert_held(&pss->irq_lock);
	if (pss->req_trigger)
		eventfd_ctx_put(pss->req_trigger);
	pss->req_trigger = trigger;
}

/* Signal the request eventfd, if any; irq_lock held. */
static bool pss_irq_signal_locked(struct pss_dev *pss)
{
	lockdep_assert_held(&pss->irq_lock);
	if (pss->req_trigger)
		pss_compat_eventfd_signal(pss->req_trigger);
	return pss->req_trigger;
}

/*
 * The request index, ACTION_TRIGGER only: DATA_EVENTFD sets (fd >= 0) or
 * clears (-1) the eventfd; DATA_NONE signals it, or clears it with count
 * 0; DATA_BOOL signals it when true, as a loopback.
 */
static int pss_set_irqs_locked(struct pss_dev *pss, struct vfio_irq_set *hdr,
			       void *data)
{
	struct eventfd_ctx *trigger = NULL;
	s32 fd;

	lockdep_assert_held(&pss->irq_lock);
	if ((hdr->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;

	switch (hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		if (hdr->count)
			pss_irq_signal_locked(pss);
		else
			pss_irq_set_trigger_locked(pss, NULL);
		return 0;
	case VFIO_IRQ_SET_DATA_BOOL:
		if (hdr->count && *(u8 *)data)
			pss_irq_signal_locked(pss);
		return 0;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		if (!hdr->count)
			return -EINVAL;
		fd = *(s32 *)data;
		if (fd < -1)
			return -EINVAL;
		if (fd >= 0) {
			trigger = eventfd_ctx_fdget(fd);
			if (IS_ERR(trigger))
				return PTR_ERR(trigger);
		}
		pss_irq_set_trigger_locked(pss, trigger);
		return 0;
	default:
		return -EINVAL;
	}
}

/**
 * pss_ioctl_set_irqs() - VFIO_DEVICE_SET_IRQS
 * @pss: the device, open
 * @arg: user struct vfio_irq_set and its data
 *
 * Only the request index has an interrupt; the core's validation refuses
 * every other index. Takes irq_lock.
 *
 * Return: 0 or -errno: -EINVAL for anything the validation refuses, an
 * action other than trigger, or a bad fd number; -EBADF; -EFAULT.
 */
long pss_ioctl_set_irqs(struct pss_dev *pss, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size;
	void *data = NULL;
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(&hdr, pss_irq_count(hdr.index),
						 VFIO_PCI_NUM_IRQS, &data_size);
	if (ret)
		return ret;
	if (data_size) {
		data = memdup_user(arg + minsz, data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}

	mutex_lock(&pss->irq_lock);
	ret = pss_set_irqs_locked(pss, &hdr, data);
	mutex_unlock(&pss->irq_lock);
	kfree(data);
	return ret;
}

/**
 * pss_irq_request() - signal the request eventfd
 * @pss: the device
 *
 * Called by the request op, without the device set lock.
 *
 * Return: true if the user registered one.
 */
bool pss_irq_request(struct pss_dev *pss)
{
	bool signalled;

	mutex_lock(&pss->irq_lock);
	signalled = pss_irq_signal_locked(pss);
	mutex_unlock(&pss->irq_lock);
	return signalled;
}

/**
 * pss_irq_release() - drop every eventfd
 * @pss: the device
 *
 * Called from close_device with the device set lock held: the eventfds
 * belong to the user who is going away.
 */
void pss_irq_release(struct pss_dev *pss)
{
	mutex_lock(&pss->irq_lock);
	pss_irq_set_trigger_locked(pss, NULL);
	mutex_unlock(&pss->irq_lock);
}
