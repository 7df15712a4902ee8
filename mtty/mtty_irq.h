/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupts of an mtty device as VFIO presents them: INTx, MSI, request
 */
#ifndef MTTY_IRQ_H
#define MTTY_IRQ_H

#include <linux/eventfd.h>
#include <linux/mutex.h>
#include <linux/types.h>

/**
 * struct mtty_irq - the interrupt triggers of one device
 * @lock: protects every other field; taken inside the UART's lock
 * @mode: VFIO_PCI_INTX_IRQ_INDEX or VFIO_PCI_MSI_IRQ_INDEX when that
 *	  index has a trigger, else VFIO_PCI_NUM_IRQS
 * @intx: INTx trigger eventfd
 * @msi: MSI trigger eventfd
 * @req: request eventfd, signalled when the device is being removed
 * @intx_masked: INTx is masked, by the user or by the automask
 * @line: level of the device's interrupt line, as the UART last said
 *
 * The eventfds and the mask exist only while the device is open:
 * mtty_irq_release() drops them on the last close. @line follows the
 * device model and stays.
 */
struct mtty_irq {
	struct mutex lock;	/* see @lock above */
	unsigned int mode;
	struct eventfd_ctx *intx;
	struct eventfd_ctx *msi;
	struct eventfd_ctx *req;
	bool intx_masked;
	bool line;
};

void mtty_irq_init(struct mtty_irq *irq);
void mtty_irq_destroy(struct mtty_irq *irq);
void mtty_irq_release(struct mtty_irq *irq);
void mtty_irq_line(void *opaque, bool level);
int mtty_irq_ioctl_get_info(void __user *arg);
int mtty_irq_ioctl_set(struct mtty_irq *irq, void __user *arg);
bool mtty_irq_request(struct mtty_irq *irq);

#endif /* MTTY_IRQ_H */
