// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupts of an mtty device as VFIO presents them
 *
 * The UART raises and lowers one line. This file turns it into eventfd
 * signals the way vfio-pci does for a physical function:
 * - INTx is level triggered and automasked: a signal masks it, and
 *   unmasking while the line is still high signals again at once;
 * - MSI (one vector) signals on each rising edge of the line;
 * - the request interrupt is signalled by the request op when the device
 *   is removed while open.
 * Only one of INTx and MSI can have a trigger at a time, as in vfio-pci.
 */
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "mtty.h"
#include "mtty_compat.h"

#define MTTY_IRQ_NONE	VFIO_PCI_NUM_IRQS

/* Vectors per index: MSI-X and the error interrupt are absent. */
static unsigned int mtty_irq_count(struct mtty_dev *mtty, unsigned int index)
{
	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_REQ_IRQ_INDEX:
		return 1;
	}
	return 0;
}

static struct eventfd_ctx **mtty_irq_slot(struct mtty_irq *irq,
					  unsigned int index)
{
	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		return &irq->intx;
	case VFIO_PCI_MSI_IRQ_INDEX:
		return &irq->msi;
	default:
		return &irq->req;
	}
}

/* ------------------------------------------------------------------ */
/* Delivery                                                             */

/* The line is (or is treated as) high: tell the user. */
static void mtty_irq_deliver_locked(struct mtty_irq *irq, unsigned int index)
{
	lockdep_assert_held(&irq->lock);

	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		if (irq->mode != index || irq->intx_masked || !irq->intx)
			return;
		mtty_compat_eventfd_signal(irq->intx);
		irq->intx_masked = true;	/* automask */
		break;
	case VFIO_PCI_MSI_IRQ_INDEX:
		if (irq->mode == index && irq->msi)
			mtty_compat_eventfd_signal(irq->msi);
		break;
	case VFIO_PCI_REQ_IRQ_INDEX:
		if (irq->req)
			mtty_compat_eventfd_signal(irq->req);
		break;
	}
}

/**
 * mtty_irq_line() - the UART's interrupt line callback
 * @opaque: the device, a &struct mtty_dev
 * @level: new level of the line
 *
 * Called with the UART's lock held; takes the irq lock inside it.
 */
void mtty_irq_line(void *opaque, bool level)
{
	struct mtty_irq *irq = &((struct mtty_dev *)opaque)->irq;

	mutex_lock(&irq->lock);
	irq->line = level;
	if (level)
		mtty_irq_deliver_locked(irq, irq->mode);
	mutex_unlock(&irq->lock);
}

/**
 * mtty_irq_request() - signal the request interrupt
 * @mtty: the device
 *
 * Called from the request op, without the device set lock; takes the
 * irq lock.
 *
 * Return: true if the user has a request eventfd and was signalled.
 */
bool mtty_irq_request(struct mtty_dev *mtty)
{
	struct mtty_irq *irq = &mtty->irq;
	bool signalled;

	mutex_lock(&irq->lock);
	signalled = irq->req;
	mtty_irq_deliver_locked(irq, VFIO_PCI_REQ_IRQ_INDEX);
	mutex_unlock(&irq->lock);
	return signalled;
}

/* ------------------------------------------------------------------ */
/* VFIO_DEVICE_SET_IRQS                                                 */

static int mtty_irq_set_eventfd_locked(struct mtty_irq *irq,
				       unsigned int index, s32 fd)
{
	struct eventfd_ctx **slot = mtty_irq_slot(irq, index);
	struct eventfd_ctx *ctx = NULL;

	lockdep_assert_held(&irq->lock);

	if (fd < -1)
		return -EINVAL;
	/* INTx and MSI exclude each other, as in vfio-pci. */
	if (index != VFIO_PCI_REQ_IRQ_INDEX && fd >= 0 &&
	    irq->mode != MTTY_IRQ_NONE && irq->mode != index)
		return -EINVAL;
	if (fd >= 0) {
		ctx = eventfd_ctx_fdget(fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	}
	if (*slot)
		eventfd_ctx_put(*slot);
	*slot = ctx;

	if (index == VFIO_PCI_REQ_IRQ_INDEX)
		return 0;
	if (!ctx) {
		irq->mode = MTTY_IRQ_NONE;
		return 0;
	}
	if (irq->mode != index) {
		irq->mode = index;
		irq->intx_masked = false;
		/* A line that is already high must not be lost. */
		if (irq->line)
			mtty_irq_deliver_locked(irq, index);
	}
	return 0;
}

static int mtty_irq_trigger_locked(struct mtty_irq *irq,
				   const struct vfio_irq_set *hdr,
				   const void *data)
{
	u32 type = hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;

	if (!hdr->count) {
		/* count 0 with DATA_NONE tears the index down. */
		if (type != VFIO_IRQ_SET_DATA_NONE)
			return -EINVAL;
		return mtty_irq_set_eventfd_locked(irq, hdr->index, -1);
	}

	switch (type) {
	case VFIO_IRQ_SET_DATA_EVENTFD:
		return mtty_irq_set_eventfd_locked(irq, hdr->index,
						   *(const s32 *)data);
	case VFIO_IRQ_SET_DATA_BOOL:
		if (!*(const u8 *)data)
			return 0;
		fallthrough;
	default:
		/* A loopback trigger: act as if the interrupt fired. */
		mtty_irq_deliver_locked(irq, hdr->index);
		return 0;
	}
}

static int mtty_irq_mask_locked(struct mtty_irq *irq,
				const struct vfio_irq_set *hdr,
				const void *data, bool mask)
{
	u32 type = hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;

	if (hdr->index != VFIO_PCI_INTX_IRQ_INDEX || hdr->count != 1 ||
	    irq->mode != VFIO_PCI_INTX_IRQ_INDEX)
		return -EINVAL;
	/* Unmask through an eventfd (virqfd) is not offered. */
	if (type == VFIO_IRQ_SET_DATA_EVENTFD)
		return -EINVAL;
	if (type == VFIO_IRQ_SET_DATA_BOOL && !*(const u8 *)data)
		return 0;

	irq->intx_masked = mask;
	if (!mask && irq->line)
		mtty_irq_deliver_locked(irq, VFIO_PCI_INTX_IRQ_INDEX);
	return 0;
}

/* Switch on the index, then on the action; the core checked the rest. */
static int mtty_set_irqs_locked(struct mtty_dev *mtty,
				const struct vfio_irq_set *hdr,
				const void *data)
{
	u32 action = hdr->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
	struct mtty_irq *irq = &mtty->irq;

	lockdep_assert_held(&irq->lock);

	switch (hdr->index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		switch (action) {
		case VFIO_IRQ_SET_ACTION_MASK:
			return mtty_irq_mask_locked(irq, hdr, data, true);
		case VFIO_IRQ_SET_ACTION_UNMASK:
			return mtty_irq_mask_locked(irq, hdr, data, false);
		case VFIO_IRQ_SET_ACTION_TRIGGER:
			return mtty_irq_trigger_locked(irq, hdr, data);
		}
		break;
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_REQ_IRQ_INDEX:
		if (action == VFIO_IRQ_SET_ACTION_TRIGGER)
			return mtty_irq_trigger_locked(irq, hdr, data);
		break;
	}
	return -EINVAL;		/* no action, several, or one the index lacks */
}

/**
 * mtty_ioctl_set_irqs() - VFIO_DEVICE_SET_IRQS
 * @mtty: the device
 * @arg: user pointer to &struct vfio_irq_set and its data
 *
 * Called from the ioctl op, without the device set lock; takes the irq
 * lock.
 *
 * Return: 0 or a negative errno.
 */
long mtty_ioctl_set_irqs(struct mtty_dev *mtty, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size;
	void *data = NULL;
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(&hdr,
						 mtty_irq_count(mtty, hdr.index),
						 VFIO_PCI_NUM_IRQS, &data_size);
	if (ret)
		return ret;
	if (data_size) {
		data = memdup_user(arg + minsz, data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}

	mutex_lock(&mtty->irq.lock);
	ret = mtty_set_irqs_locked(mtty, &hdr, data);
	mutex_unlock(&mtty->irq.lock);
	kfree(data);
	return ret;
}

/* ------------------------------------------------------------------ */
/* VFIO_DEVICE_GET_IRQ_INFO                                             */

/**
 * mtty_ioctl_get_irq_info() - VFIO_DEVICE_GET_IRQ_INFO
 * @mtty: the device
 * @arg: user pointer to &struct vfio_irq_info
 *
 * Called from the ioctl op, without the device set lock.
 *
 * Return: 0 or a negative errno.
 */
long mtty_ioctl_get_irq_info(struct mtty_dev *mtty, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;

	info.count = mtty_irq_count(mtty, info.index);
	info.flags = 0;
	if (info.count)
		info.flags = VFIO_IRQ_INFO_EVENTFD;
	if (info.index == VFIO_PCI_INTX_IRQ_INDEX)
		info.flags |= VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED;
	else if (info.count)
		info.flags |= VFIO_IRQ_INFO_NORESIZE;

	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* ------------------------------------------------------------------ */
/* Lifecycle                                                            */

/**
 * mtty_irq_init() - set up the device's interrupts, with no trigger
 * @mtty: the device, from .init
 */
void mtty_irq_init(struct mtty_dev *mtty)
{
	struct mtty_irq *irq = &mtty->irq;

	mutex_init(&irq->lock);
	irq->mode = MTTY_IRQ_NONE;
	irq->intx = NULL;
	irq->msi = NULL;
	irq->req = NULL;
	irq->intx_masked = false;
	irq->line = false;
}

/**
 * mtty_irq_release() - drop every trigger
 * @mtty: the device
 *
 * Called from close_device, with the device set lock held, once per last
 * close: the user's eventfds must not outlive its use of the device.
 * Takes the irq lock if there is an eventfd to drop.
 */
void mtty_irq_release(struct mtty_dev *mtty)
{
	struct mtty_irq *irq = &mtty->irq;

	/*
	 * SET_IRQS, the only other writer of the eventfds, needs an fd, and
	 * none is left: they can be read without the lock. It is taken to
	 * drop them, as the request op may be signalling one.
	 */
	if (!irq->intx && !irq->msi && !irq->req)
		return;

	mutex_lock(&irq->lock);
	if (irq->intx)
		eventfd_ctx_put(irq->intx);
	if (irq->msi)
		eventfd_ctx_put(irq->msi);
	if (irq->req)
		eventfd_ctx_put(irq->req);
	irq->intx = NULL;
	irq->msi = NULL;
	irq->req = NULL;
	irq->mode = MTTY_IRQ_NONE;
	irq->intx_masked = false;
	mutex_unlock(&irq->lock);
}

/**
 * mtty_irq_destroy() - release what mtty_irq_init() set up
 * @mtty: the device, from .release, with no trigger left
 */
void mtty_irq_destroy(struct mtty_dev *mtty)
{
	mutex_destroy(&mtty->irq.lock);
}
