// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VFIO device ops of an mtty device
 *
 * This is the glue between the VFIO core and the device models: it
 * decodes region offsets, bounds every access and ioctl argument, and
 * builds and tears down the state that exists while the device is open.
 *
 * Regions: the config space (256 bytes) and one 8-byte I/O BAR per port.
 * A BAR access is one byte, one 16550 register; anything wider or past
 * the end is refused.
 */
#include <linux/device.h>
#include <linux/mdev.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "mtty.h"
#include "mtty_compat.h"

/* Region i starts at file offset i << 40, as vfio-pci lays them out. */
#define MTTY_OFFSET_SHIFT		40
#define MTTY_INDEX_TO_OFFSET(i)		((u64)(i) << MTTY_OFFSET_SHIFT)
#define MTTY_OFFSET_TO_INDEX(pos)	((u64)(pos) >> MTTY_OFFSET_SHIFT)
#define MTTY_OFFSET_MASK		(MTTY_INDEX_TO_OFFSET(1) - 1)

/* ------------------------------------------------------------------ */
/* Lifecycle                                                            */

/**
 * mtty_init_dev() - allocate what lives as long as the device
 * @vdev: the VFIO device embedded in a new &struct mtty_dev
 *
 * Called by vfio_alloc_device() from the mdev probe, before the device
 * is visible anywhere. Takes the device's ports from the pool and sets
 * up the models in their reset state. Taking the ports is the only step
 * that can fail, and it comes first: the core does not call .release
 * after a failed .init, and here there is nothing to undo.
 *
 * Return: 0, or -ENOSPC when the pool has too few ports left.
 */
static int mtty_init_dev(struct vfio_device *vdev)
{
	struct mtty_dev *mtty = mtty_from_vdev(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	unsigned int nr_ports = mtty_type_nr_ports(mdev->type);

	if (!mtty_pool_get(nr_ports))
		return -ENOSPC;

	mtty->nr_ports = nr_ports;
	mtty_cfg_init(&mtty->cfg, nr_ports);
	mtty_irq_init(mtty);
	mtty_uart_init(&mtty->uart, nr_ports, mtty_irq_line, mtty);
	mtty_mig_init(mtty);

	vdev->migration_flags = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P |
				MTTY_COMPAT_MIGRATION_PRE_COPY;
	vdev->mig_ops = &mtty_mig_ops;
	vdev->log_ops = &mtty_log_ops;
	mtty_debugfs_add(mtty);
	return 0;
}

/**
 * mtty_release_dev() - free what mtty_init_dev() set up
 * @vdev: the VFIO device whose last reference is going away
 *
 * Called by the core when the last reference is put, after the last
 * close; returns the ports to the pool. On 6.1 the core leaves freeing
 * @vdev itself to this op.
 */
static void mtty_release_dev(struct vfio_device *vdev)
{
	struct mtty_dev *mtty = mtty_from_vdev(vdev);

	mtty_debugfs_remove(mtty);
	mtty_mig_destroy(mtty);
	mtty_uart_destroy(&mtty->uart);
	mtty_irq_destroy(mtty);
	mtty_cfg_destroy(&mtty->cfg);
	mtty_pool_put(mtty->nr_ports);
	mtty_compat_free_device(vdev);
}

/**
 * mtty_reset() - reset the device as a PCI function reset would
 * @mtty: the device
 *
 * Called for VFIO_DEVICE_RESET, without the device set lock. Ends any
 * migration session (the state returns to RUNNING) and puts the UART and
 * config space in their reset state; each model resets only if something
 * changed it since its last reset. The interrupt triggers stay: they
 * belong to the user, not to the device.
 */
static void mtty_reset(struct mtty_dev *mtty)
{
	mtty_mig_release(mtty);
	mtty_uart_reset(&mtty->uart);
	mtty_cfg_reset(&mtty->cfg);
}

/**
 * mtty_open_device() - the first file descriptor of the device is opening
 * @vdev: the VFIO device
 *
 * Called with the device set lock held, once per first open. The user
 * finds the device as a freshly reset PCI function, with no interrupt
 * trigger and in the RUNNING migration state. The last close left no
 * trigger and no migration session, and nothing could add one since, so
 * only the models are reset (each only if the last user changed it).
 *
 * Return: 0.
 */
static int mtty_open_device(struct vfio_device *vdev)
{
	struct mtty_dev *mtty = mtty_from_vdev(vdev);

	lockdep_assert_held(&vdev->dev_set->lock);
	mtty_uart_reset(&mtty->uart);
	mtty_cfg_reset(&mtty->cfg);
	mtty_hook_opened(mtty);
	return 0;
}

/**
 * mtty_close_device() - the last file descriptor of the device was released
 * @vdev: the VFIO device
 *
 * Called with the device set lock held, once per last close, so no other
 * fd can still need what this drops: the user's eventfds are released,
 * its migration files stop working and dirty tracking stops.
 */
static void mtty_close_device(struct vfio_device *vdev)
{
	struct mtty_dev *mtty = mtty_from_vdev(vdev);

	lockdep_assert_held(&vdev->dev_set->lock);
	mtty_irq_release(mtty);
	mtty_mig_release(mtty);
	mtty->mig.dirty_tracking = false;	/* no fd is left to race */
	mtty_hook_closed(mtty);
}

/**
 * mtty_request() - ask the user to give the device back
 * @vdev: the VFIO device
 * @count: how many times the core has asked so far
 *
 * Called by vfio_unregister_group_dev(), without the device set lock,
 * while the device is being removed and still open; the removal waits
 * until the last fd is closed.
 */
static void mtty_request(struct vfio_device *vdev, unsigned int count)
{
	struct mtty_dev *mtty = mtty_from_vdev(vdev);

	if (!mtty_irq_request(mtty) && !count)
		dev_notice(vdev->dev,
			   "no request eventfd, waiting for the user to close\n");
}

/* ------------------------------------------------------------------ */
/* Region access                                                        */

/*
 * One config cycle: @len (1, 2 or 4) bytes at @off, naturally aligned.
 * Each size has its own get_user()/put_user(): a copy of constant size
 * needs no bounce buffer and no hardened-usercopy check.
 */
static int mtty_config_cycle(struct mtty_cfg *cfg, char __user *buf,
			     unsigned int off, unsigned int len, bool write)
{
	union {
		u8 b;
		u16 w;
		u32 d;
	} v;
	int ret;

	if (write) {
		if (len == 4)
			ret = get_user(v.d, (u32 __user *)buf);
		else if (len == 2)
			ret = get_user(v.w, (u16 __user *)buf);
		else
			ret = get_user(v.b, (u8 __user *)buf);
		return ret ? ret : mtty_cfg_write(cfg, off, &v, len);
	}

	ret = mtty_cfg_read(cfg, off, &v, len);
	if (ret)
		return ret;
	if (len == 4)
		return put_user(v.d, (u32 __user *)buf);
	if (len == 2)
		return put_user(v.w, (u16 __user *)buf);
	return put_user(v.b, (u8 __user *)buf);
}

/*
 * The config space: any access inside its 256 bytes, made of the widest
 * naturally aligned cycles that fit, as a CPU's config accesses are.
 */
static ssize_t mtty_rw_config(struct mtty_dev *mtty, char __user *buf,
			      size_t count, u64 off, bool write)
{
	unsigned int len;
	size_t done;
	int ret;

	if (off >= MTTY_CFG_SIZE || count > MTTY_CFG_SIZE - off)
		return -EINVAL;

	for (done = 0; done < count; done += len) {
		unsigned int pos = off + done;

		len = 4;
		while (pos % len || len > count - done)
			len /= 2;
		ret = mtty_config_cycle(&mtty->cfg, buf + done, pos, len,
					write);
		if (ret)
			return ret;
	}
	return count;
}

/* BAR<port>: the eight registers of one UART port, one per access. */
static ssize_t mtty_rw_bar(struct mtty_dev *mtty, unsigned int port,
			   char __user *buf, size_t count, u64 off, bool write)
{
	u8 val;

	if (port >= mtty->nr_ports)
		return -EINVAL;
	if (off >= MTTY_BAR_SIZE || count != 1)
		return -EINVAL;

	if (write) {
		if (get_user(val, (u8 __user *)buf))
			return -EFAULT;
		mtty_uart_write(&mtty->uart, port, off, val);
	} else {
		val = mtty_uart_read(&mtty->uart, port, off);
		if (put_user(val, (u8 __user *)buf))
			return -EFAULT;
	}
	return 1;
}

static ssize_t mtty_rw(struct vfio_device *vdev, char __user *buf,
		       size_t count, loff_t *ppos, bool write)
{
	struct mtty_dev *mtty = mtty_from_vdev(vdev);
	u64 index = MTTY_OFFSET_TO_INDEX(*ppos);
	u64 off = *ppos & MTTY_OFFSET_MASK;
	ssize_t ret;

	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		ret = mtty_rw_config(mtty, buf, count, off, write);
		break;
	case VFIO_PCI_BAR0_REGION_INDEX ... VFIO_PCI_BAR5_REGION_INDEX:
		ret = mtty_rw_bar(mtty, index, buf, count, off, write);
		break;
	default:
		ret = -EINVAL;
	}

	if (ret > 0)
		*ppos += ret;
	return ret;
}

/**
 * mtty_read() - read from a region
 * @vdev: the VFIO device
 * @buf: user buffer
 * @count: bytes to read
 * @ppos: region index and offset
 *
 * Called without the device set lock, possibly from several fds at once;
 * each model serialises its own accesses.
 *
 * Return: bytes read or a negative errno.
 */
static ssize_t mtty_read(struct vfio_device *vdev, char __user *buf,
			 size_t count, loff_t *ppos)
{
	return mtty_rw(vdev, buf, count, ppos, false);
}

/**
 * mtty_write() - write to a region
 * @vdev: the VFIO device
 * @buf: user buffer
 * @count: bytes to write
 * @ppos: region index and offset
 *
 * Called without the device set lock, like mtty_read().
 *
 * Return: bytes written or a negative errno.
 */
static ssize_t mtty_write(struct vfio_device *vdev, const char __user *buf,
			  size_t count, loff_t *ppos)
{
	return mtty_rw(vdev, (char __user *)buf, count, ppos, true);
}

/* ------------------------------------------------------------------ */
/* ioctls                                                               */

static long mtty_ioctl_get_info(struct mtty_dev *mtty, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;

	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/**
 * mtty_region_info() - describe one region
 * @vdev: the VFIO device
 * @info: in: argsz and index, checked against minsz by the caller; out:
 *	  the region's offset, size and flags
 * @caps: capability chain; unused, mtty's regions have no capabilities
 *
 * Called for VFIO_DEVICE_GET_REGION_INFO without the device set lock:
 * by the core as the get_region_info_caps op from 6.19, and through
 * mtty_compat_region_info_ioctl() from mtty_ioctl() before.
 *
 * Return: 0, or -EINVAL for an index past VFIO_PCI_NUM_REGIONS.
 */
static int mtty_region_info(struct vfio_device *vdev,
			    struct vfio_region_info *info,
			    struct vfio_info_cap *caps)
{
	struct mtty_dev *mtty = mtty_from_vdev(vdev);

	if (info->index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;

	info->offset = MTTY_INDEX_TO_OFFSET(info->index);
	info->flags = 0;
	info->size = 0;
	info->cap_offset = 0;
	if (info->index == VFIO_PCI_CONFIG_REGION_INDEX)
		info->size = MTTY_CFG_SIZE;
	else if (info->index < mtty->nr_ports)
		info->size = MTTY_BAR_SIZE;
	if (info->size)
		info->flags = VFIO_REGION_INFO_FLAG_READ |
			      VFIO_REGION_INFO_FLAG_WRITE;
	return 0;
}

/**
 * mtty_ioctl() - a VFIO_DEVICE_* ioctl on any of the device's fds
 * @vdev: the VFIO device
 * @cmd: the ioctl number
 * @arg: its user argument
 *
 * Called without the device set lock, possibly from several fds at once.
 *
 * Return: 0 on success, a negative errno on failure.
 */
static long mtty_ioctl(struct vfio_device *vdev, unsigned int cmd,
		       unsigned long arg)
{
	struct mtty_dev *mtty = mtty_from_vdev(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return mtty_ioctl_get_info(mtty, uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		/* Reached only before 6.19; from 6.19 the core calls the op. */
		return mtty_compat_region_info_ioctl(vdev, uarg,
						     mtty_region_info);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return mtty_ioctl_get_irq_info(mtty, uarg);
	case VFIO_DEVICE_SET_IRQS:
		return mtty_ioctl_set_irqs(mtty, uarg);
	case VFIO_DEVICE_RESET:
		mtty_reset(mtty);
		return 0;
	default:
		return -ENOTTY;
	}
}

const struct vfio_device_ops mtty_vfio_ops = {
	.name		= "vfio-mtty",
	.init		= mtty_init_dev,
	.release	= mtty_release_dev,
	.open_device	= mtty_open_device,
	.close_device	= mtty_close_device,
	.read		= mtty_read,
	.write		= mtty_write,
	.ioctl		= mtty_ioctl,
	.request	= mtty_request,
	MTTY_COMPAT_REGION_INFO_OP(mtty_region_info)
	MTTY_COMPAT_IOMMUFD_OPS
};
