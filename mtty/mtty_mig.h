/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VFIO migration (v2) of an mtty device
 */
#ifndef MTTY_MIG_H
#define MTTY_MIG_H

#include <linux/mutex.h>
#include <linux/vfio.h>

#include "mtty_cfg.h"
#include "mtty_uart.h"

struct mtty_mig_file;

/**
 * struct mtty_mig - migration state of one device
 * @lock: protects @state, @saving and @resuming; taken before a file's
 *	  lock and before the models' locks
 * @state: the current migration state
 * @saving: the open saving session, if any; we hold a file reference
 * @resuming: the open resuming session, if any; we hold a file reference
 * @cfg: the device's config space, saved and loaded with @uart
 * @uart: the device's UART
 */
struct mtty_mig {
	struct mutex lock;	/* see @lock above */
	enum vfio_device_mig_state state;
	struct mtty_mig_file *saving;
	struct mtty_mig_file *resuming;
	struct mtty_cfg *cfg;
	struct mtty_uart *uart;
};

extern const struct vfio_migration_ops mtty_mig_ops;
extern const struct vfio_log_ops mtty_log_ops;

void mtty_mig_init(struct mtty_mig *mig, struct mtty_cfg *cfg,
		   struct mtty_uart *uart);
void mtty_mig_destroy(struct mtty_mig *mig);
void mtty_mig_release(struct mtty_mig *mig);
unsigned int mtty_mig_nr_files(struct mtty_mig *mig);

#endif /* MTTY_MIG_H */
