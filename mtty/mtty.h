/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The mtty device: what the mdev parent, the VFIO glue and the migration
 * code share
 */
#ifndef MTTY_H
#define MTTY_H

#include <linux/mdev.h>
#include <linux/vfio.h>

#include "mtty_cfg.h"
#include "mtty_irq.h"
#include "mtty_mig.h"
#include "mtty_uart.h"

#define MTTY_NAME	"mtty"

/**
 * struct mtty_dev - one mdev device
 * @vdev: the VFIO device; its refcount owns this structure
 * @nr_ports: serial ports of this device, fixed by its type
 * @cfg: PCI config space model, with its own lock
 * @uart: 16550A model, with its own lock
 * @irq: interrupt triggers, with their own lock
 * @mig: migration state machine and files, with their own lock
 * @debugfs: per-device debugfs directory, named after the mdev UUID
 * @open_count: open_device calls so far; written under the device set lock
 * @close_count: close_device calls so far; written under the device set lock
 *
 * Everything here is allocated with the device (in .init) and freed
 * with it (in .release). What exists only while the device is open, the
 * eventfds and the migration files, lives in @irq and @mig and is built
 * and torn down by open_device and close_device.
 */
struct mtty_dev {
	struct vfio_device vdev;
	unsigned int nr_ports;
	struct mtty_cfg cfg;
	struct mtty_uart uart;
	struct mtty_irq irq;
	struct mtty_mig mig;
	struct dentry *debugfs;
	u32 open_count;
	u32 close_count;
};

static inline struct mtty_dev *mtty_from_vdev(struct vfio_device *vdev)
{
	return container_of(vdev, struct mtty_dev, vdev);
}

/* mtty_main.c: the types and the port pool shared by all devices. */
unsigned int mtty_type_nr_ports(struct mdev_type *mtype);
bool mtty_pool_get(unsigned int nr_ports);
void mtty_pool_put(unsigned int nr_ports);

/* mtty_vfio.c */
extern const struct vfio_device_ops mtty_dev_ops;
void mtty_reset(struct mtty_dev *mtty);

#endif /* MTTY_H */
