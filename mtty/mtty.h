/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The mtty device: what the files of the driver share
 *
 * struct mtty_dev is one device: the two device models (config space and
 * UART, which know nothing of VFIO) and the state the VFIO glue keeps for
 * the user (interrupt triggers, migration). Each part has its own lock;
 * none is held across calls into the VFIO core. Lock order, outermost
 * first: mig.lock, a migration file's lock, uart.lock, irq.lock. cfg.lock
 * comes after a migration file's lock and is never held with uart.lock or
 * irq.lock.
 */
#ifndef MTTY_H
#define MTTY_H

#include <linux/eventfd.h>
#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/vfio.h>

#include "mtty_cfg.h"
#include "mtty_uart.h"

#define MTTY_NAME	"mtty"

/**
 * struct mtty_irq - the interrupt triggers the user wired
 * @lock: protects every other member; taken inside the UART's lock
 * @mode: VFIO_PCI_INTX_IRQ_INDEX or VFIO_PCI_MSI_IRQ_INDEX while that
 *	  index has a trigger, else VFIO_PCI_NUM_IRQS
 * @intx: INTx trigger eventfd
 * @msi: MSI trigger eventfd
 * @req: request eventfd, signalled when the device is removed while open
 * @intx_masked: INTx is masked, by the user or by the automask
 * @line: level of the device's interrupt line, as the UART last set it
 *
 * The eventfds and the mask exist only while the device is open:
 * mtty_irq_release() drops them at the last close, where it reads them
 * first without @lock (nothing else writes them then). @line follows the
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

struct mtty_mig_file;

/**
 * struct mtty_mig - migration state
 * @lock: protects every other member; taken before a migration file's
 *	  lock and before the models' locks
 * @state: the current migration state; mtty_mig_release() first reads it
 *	   without @lock
 * @saving: the open saving session, if any; holds a file reference
 * @resuming: the open resuming session, if any; holds a file reference
 * @dirty_tracking: the user started DMA dirty tracking and has not stopped
 *		    it
 */
struct mtty_mig {
	struct mutex lock;	/* see @lock above */
	enum vfio_device_mig_state state;
	struct mtty_mig_file *saving;
	struct mtty_mig_file *resuming;
	bool dirty_tracking;
};

struct mtty_hooks;

/**
 * struct mtty_dev - one mtty device
 * @vdev: the VFIO device; its refcount owns this structure
 * @nr_ports: serial ports of the device, fixed by its type
 * @cfg: PCI config space model, with its own lock
 * @uart: 16550A model, with its own lock
 * @irq: interrupt triggers, with their own lock
 * @mig: migration state and sessions, with their own lock
 * @hooks: state of the test hooks (mtty_debugfs.c); NULL without them
 *
 * Everything here is allocated with the device (.init) and freed with it
 * (.release). What exists only while the device is open, the eventfds
 * and the migration sessions, hangs off @irq and @mig, and close_device
 * drops it.
 */
struct mtty_dev {
	struct vfio_device vdev;
	unsigned int nr_ports;
	struct mtty_cfg cfg;
	struct mtty_uart uart;
	struct mtty_irq irq;
	struct mtty_mig mig;
	struct mtty_hooks *hooks;
};

static inline struct mtty_dev *mtty_from_vdev(struct vfio_device *vdev)
{
	return container_of(vdev, struct mtty_dev, vdev);
}

/* mtty_main.c: the types and the port pool */
unsigned int mtty_type_nr_ports(struct mdev_type *mtype);
bool mtty_pool_get(unsigned int n);
void mtty_pool_put(unsigned int n);

/* mtty_vfio.c: the VFIO device ops */
extern const struct vfio_device_ops mtty_vfio_ops;

/* mtty_irq.c: interrupts, GET_IRQ_INFO and SET_IRQS */
void mtty_irq_init(struct mtty_dev *mtty);
void mtty_irq_destroy(struct mtty_dev *mtty);
void mtty_irq_line(void *opaque, bool level);
bool mtty_irq_request(struct mtty_dev *mtty);
void mtty_irq_release(struct mtty_dev *mtty);
long mtty_ioctl_get_irq_info(struct mtty_dev *mtty, void __user *arg);
long mtty_ioctl_set_irqs(struct mtty_dev *mtty, void __user *arg);

/* mtty_mig.c: migration and dirty tracking */
extern const struct vfio_migration_ops mtty_mig_ops;
extern const struct vfio_log_ops mtty_log_ops;
void mtty_mig_init(struct mtty_dev *mtty);
void mtty_mig_destroy(struct mtty_dev *mtty);
void mtty_mig_release(struct mtty_dev *mtty);

/* ---- Test hooks: mtty_debugfs.c, built only with VFIO_SUITE_TEST_HOOKS=y ---- */
#ifdef VFIO_SUITE_TEST_HOOKS
void mtty_debugfs_init(void);
void mtty_debugfs_exit(void);
void mtty_debugfs_add(struct mtty_dev *mtty);
void mtty_debugfs_remove(struct mtty_dev *mtty);
void mtty_hook_opened(struct mtty_dev *mtty);
void mtty_hook_closed(struct mtty_dev *mtty);
#else
static inline void mtty_debugfs_init(void) {}
static inline void mtty_debugfs_exit(void) {}
static inline void mtty_debugfs_add(struct mtty_dev *mtty) {}
static inline void mtty_debugfs_remove(struct mtty_dev *mtty) {}
static inline void mtty_hook_opened(struct mtty_dev *mtty) {}
static inline void mtty_hook_closed(struct mtty_dev *mtty) {}
#endif

#endif /* MTTY_H */
