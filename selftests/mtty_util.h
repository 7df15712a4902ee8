/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the mtty selftests: open a device and reach its config
 * space and UART registers with one syscall per access.
 */
#ifndef MTTY_UTIL_H
#define MTTY_UTIL_H

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/serial_reg.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>

#include "vfio_lib.h"
#include "mtty/mtty_defs.h"

#define MTTY_PARENT	"mtty"
#define MTTY_MODULE	"mtty"
#define MTTY_SYSFS	"/sys/class/mdev_bus/" MTTY_PARENT
#define MTTY_DEBUGFS	"/sys/kernel/debug/mtty"

/**
 * struct mtty - an open mtty device
 * @dev: container, group and device fd
 * @cfg: file offset of the config region
 * @bar: file offset of each port's BAR
 */
struct mtty {
	struct vfio_dev dev;
	__u64 cfg;
	__u64 bar[MTTY_MAX_PORTS];
};

static inline int mtty_ports_of(const char *type)
{
	return strcmp(type, "mtty-2") ? 1 : 2;
}

/* A per-device debugfs counter: open_count, close_count, eventfds... */
static inline long mtty_debugfs(const char *uuid, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), MTTY_DEBUGFS "/%s/%s", uuid, name);
	return sysfs_read_long(path);
}

static inline void mtty_offsets(struct mtty *m)
{
	struct vfio_region_info info;
	int i;

	vfio_region_info(m->dev.fd, VFIO_PCI_CONFIG_REGION_INDEX, &info);
	m->cfg = info.offset;
	for (i = 0; i < MTTY_MAX_PORTS; i++) {
		vfio_region_info(m->dev.fd, VFIO_PCI_BAR0_REGION_INDEX + i,
				 &info);
		m->bar[i] = info.offset;
	}
}

static inline void mtty_open(const char *uuid, struct mtty *m)
{
	vfio_mdev_open(uuid, &m->dev);
	mtty_offsets(m);
}

static inline void mtty_close(struct mtty *m)
{
	vfio_dev_close(&m->dev);
}

static inline __u8 uart_in(struct mtty *m, int port, int reg)
{
	__u8 v;

	if (pread(m->dev.fd, &v, 1, m->bar[port] + reg) != 1)
		vfio_lib_fail("port %d reg %d read: %s", port, reg,
			      strerror(errno));
	return v;
}

static inline void uart_out(struct mtty *m, int port, int reg, __u8 v)
{
	if (pwrite(m->dev.fd, &v, 1, m->bar[port] + reg) != 1)
		vfio_lib_fail("port %d reg %d write: %s", port, reg,
			      strerror(errno));
}

static inline __u32 cfg_in(struct mtty *m, int off, int len)
{
	__u32 v = 0;

	if (pread(m->dev.fd, &v, len, m->cfg + off) != len)
		vfio_lib_fail("config read at 0x%x: %s", off, strerror(errno));
	return v;
}

static inline void cfg_out(struct mtty *m, int off, __u32 v, int len)
{
	if (pwrite(m->dev.fd, &v, len, m->cfg + off) != len)
		vfio_lib_fail("config write at 0x%x: %s", off, strerror(errno));
}

/* An eventfd that the test polls without blocking: deliveries are synchronous. */
static inline int mtty_eventfd(void)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	if (efd < 0)
		vfio_lib_fail("eventfd: %s", strerror(errno));
	return efd;
}

/* Signals pending on @efd, consumed; 0 if none. */
static inline long mtty_fired(int efd)
{
	__s64 n = eventfd_wait(efd, 0);

	if (n < 0)
		vfio_lib_fail("eventfd read: %s", strerror((int)-n));
	return n;
}

/* SET_IRQS with an arbitrary header and data; 0 or -errno. */
static inline int mtty_set_irqs(int fd, __u32 flags, __u32 index,
				__u32 start, __u32 count, const void *data,
				size_t len)
{
	char buf[sizeof(struct vfio_irq_set) + 64];
	struct vfio_irq_set *set = (void *)buf;

	if (len > 64)
		len = 64;
	memset(buf, 0, sizeof(buf));
	set->argsz = sizeof(*set) + len;
	set->flags = flags;
	set->index = index;
	set->start = start;
	set->count = count;
	memcpy(set->data, data, len);
	return ioctl(fd, VFIO_DEVICE_SET_IRQS, set) ? -errno : 0;
}

/* Put port @port in a known state: FIFO on, 8N1, loopback, no IRQs. */
static inline void uart_setup_loop(struct mtty *m, int port)
{
	uart_out(m, port, UART_LCR, UART_LCR_WLEN8);
	uart_out(m, port, UART_IER, 0);
	uart_out(m, port, UART_FCR, UART_FCR_ENABLE_FIFO |
		 UART_FCR_CLEAR_RCVR | UART_FCR_CLEAR_XMIT);
	uart_out(m, port, UART_MCR, UART_MCR_LOOP);
	(void)uart_in(m, port, UART_LSR);
	(void)uart_in(m, port, UART_MSR);
}

#endif /* MTTY_UTIL_H */
