// SPDX-License-Identifier: GPL-2.0
/*
 * pci_slot_stub: the request eventfd, the one interrupt the stub offers.
 *
 * When the driver is unbound while a user holds the device, the VFIO core
 * blocks in vfio_unregister_group_dev() and calls our request() op,
 * repeatedly, until the user closes the device. A user who registered an
 * eventfd on VFIO_PCI_REQ_IRQ_INDEX is told through it, as with
 * vfio-pci. The stub does no DMA and owns no device interrupts, so every
 * other index reports zero interrupts.
 */
#include <linux/eventfd.h>
#include <linux/uaccess.h>

#include "vfio_suite_compat.h"
#include "pss.h"

static u32 pss_irq_count(unsigned int index)
{
	return index == VFIO_PCI_REQ_IRQ_INDEX ? 1 : 0;
}

/**
 * pss_ioctl_get_irq_info() - VFIO_DEVICE_GET_IRQ_INFO
 * @pss: the device
 * @arg: user struct vfio_irq_info
 *
 * Return: 0, -EFAULT, or -EINVAL for a short argsz or an unknown index.
 */
long pss_ioctl_get_irq_info(struct pss_device *pss, void __user *arg)
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

/* Swap in a new trigger (or none); called with req_lock held. */
static void pss_req_set_trigger_locked(struct pss_device *pss,
				       struct eventfd_ctx *trigger)
{
	lockdep_assert_held(&pss->req_lock);
	if (pss->req_trigger)
		eventfd_ctx_put(pss->req_trigger);
	pss->req_trigger = trigger;
}

static int pss_req_set_eventfd(struct pss_device *pss, s32 fd)
{
	struct eventfd_ctx *trigger = NULL;

	if (fd >= 0) {
		trigger = eventfd_ctx_fdget(fd);
		if (IS_ERR(trigger))
			return PTR_ERR(trigger);
	} else if (fd != -1) {
		return -EINVAL;
	}

	mutex_lock(&pss->req_lock);
	pss_req_set_trigger_locked(pss, trigger);
	mutex_unlock(&pss->req_lock);
	return 0;
}

/* DATA_NONE with count 1, or DATA_BOOL true: fire the trigger now. */
static void pss_req_fire(struct pss_device *pss)
{
	mutex_lock(&pss->req_lock);
	if (pss->req_trigger)
		vfio_suite_eventfd_signal(pss->req_trigger);
	mutex_unlock(&pss->req_lock);
}

/**
 * pss_ioctl_set_irqs() - VFIO_DEVICE_SET_IRQS, request index only
 * @pss: the device
 * @arg: user struct vfio_irq_set and its data
 *
 * Supports ACTION_TRIGGER on VFIO_PCI_REQ_IRQ_INDEX with DATA_NONE
 * (count 0 tears down, 1 fires), DATA_BOOL (fires if true) and
 * DATA_EVENTFD (an fd sets the trigger, -1 clears it).
 *
 * Return: 0 or -errno; -EINVAL for anything the core's validation rejects,
 * any other index or action.
 */
long pss_ioctl_set_irqs(struct pss_device *pss, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	u8 data[sizeof(s32)];
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;

	ret = vfio_set_irqs_validate_and_prepare(&hdr,
						 pss_irq_count(hdr.index),
						 VFIO_PCI_NUM_IRQS, &data_size);
	if (ret)
		return ret;
	if (hdr.index != VFIO_PCI_REQ_IRQ_INDEX ||
	    (hdr.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;

	/* One interrupt at most, so the data is at most one s32. */
	if (data_size && copy_from_user(data, arg + minsz, data_size))
		return -EFAULT;

	switch (hdr.flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		if (hdr.count)
			pss_req_fire(pss);
		else
			pss_req_set_eventfd(pss, -1);
		return 0;
	case VFIO_IRQ_SET_DATA_BOOL:
		if (hdr.count && data[0])
			pss_req_fire(pss);
		return 0;
	default:
		if (!hdr.count)
			return -EINVAL;
		return pss_req_set_eventfd(pss, *(s32 *)data);
	}
}

/**
 * pss_req_release() - drop the request trigger
 * @pss: the device
 *
 * Called from close_device with the device set lock held: the trigger
 * belongs to the user who is going away.
 */
void pss_req_release(struct pss_device *pss)
{
	mutex_lock(&pss->req_lock);
	pss_req_set_trigger_locked(pss, NULL);
	mutex_unlock(&pss->req_lock);
}

/**
 * pss_request() - vfio_device_ops.request: ask the user to let go
 * @vdev: the device being unregistered
 * @count: how many times the core has asked so far
 *
 * Called by vfio_unregister_group_dev() from the unbind path, without the
 * device set lock, while the device is still open; the core calls again
 * every ten seconds until the last fd closes.
 */
void pss_request(struct vfio_device *vdev, unsigned int count)
{
	struct pss_device *pss = pss_from_vdev(vdev);

	mutex_lock(&pss->req_lock);
	pss->request_count++;
	if (pss->req_trigger) {
		if (!count)
			pci_notice(pss->pdev, "asking the user to release the device\n");
		vfio_suite_eventfd_signal(pss->req_trigger);
	} else if (!count) {
		pci_notice(pss->pdev,
			   "no request eventfd: blocked until the user closes the device\n");
	}
	mutex_unlock(&pss->req_lock);
}
