// SPDX-License-Identifier: GPL-2.0
/*
 * SET_IRQS: what it refuses and what it takes, and eventfds let go at the
 * last close.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>

#include "conform.h"

#define CF_MAX_IRQS	16

/* SET_IRQS with one fd of data and an argsz of @argsz. */
static long cf_irq_set_fd(int fd, __u32 argsz, __u32 flags, __u32 index,
			  __u32 start, __u32 count, __s32 efd)
{
	struct {
		struct vfio_irq_set set;
		__s32 fd[2];
	} req = {
		.set = {
			.argsz = argsz, .flags = flags, .index = index,
			.start = start, .count = count,
		},
		.fd = { efd, efd },
	};

	return ioctl(fd, VFIO_DEVICE_SET_IRQS, &req);
}

/* The refusals every index shares, whatever it offers. */
static void cf_irq_refusals(int fd, const struct vfio_irq_info *ii)
{
	const __u32 trig = VFIO_IRQ_SET_ACTION_TRIGGER;
	const __u32 minsz = sizeof(struct vfio_irq_set);
	__u32 i = ii->index;
	char what[128];

	snprintf(what, sizeof(what), "index %u: an unknown flag", i);
	CF_EXPECT_ERRNO(EINVAL, cf_irq_none(fd, i, 0, 0, trig | (1u << 31)) ? -1 : 0, what);
	snprintf(what, sizeof(what), "index %u: two data types", i);
	CF_EXPECT_ERRNO(EINVAL, cf_irq_none(fd, i, 0, 0, trig | VFIO_IRQ_SET_DATA_BOOL) ?
			-1 : 0, what);
	snprintf(what, sizeof(what), "index %u: two actions", i);
	CF_EXPECT_ERRNO(EINVAL, cf_irq_none(fd, i, 0, 0, VFIO_IRQ_SET_ACTION_MASK |
					    VFIO_IRQ_SET_ACTION_UNMASK) ? -1 : 0, what);
	snprintf(what, sizeof(what), "index %u (count %u): start at the count", i, ii->count);
	CF_EXPECT_ERRNO2(EINVAL, ENOTTY, cf_irq_none(fd, i, ii->count, 1, trig) ? -1 : 0, what);
	snprintf(what, sizeof(what), "index %u (count %u): one vector too many", i, ii->count);
	CF_EXPECT_ERRNO2(EINVAL, ENOTTY, cf_irq_none(fd, i, 0, ii->count + 1, trig) ? -1 : 0,
			 what);
	snprintf(what, sizeof(what), "index %u: start + count wraps", i);
	CF_EXPECT_ERRNO2(EINVAL, ENOTTY, cf_irq_none(fd, i, 1, 0xffffffff, trig) ? -1 : 0,
			 what);
	if (!ii->count || !(ii->flags & VFIO_IRQ_INFO_EVENTFD))
		return;
	snprintf(what, sizeof(what), "index %u: an eventfd, argsz without room for it", i);
	CF_EXPECT_ERRNO(EINVAL, cf_irq_set_fd(fd, minsz, VFIO_IRQ_SET_DATA_EVENTFD | trig,
					      i, 0, 1, -1), what);
}

void cf_check_set_irqs(struct cf_dev *dev)
{
	const __u32 ev = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	const __u32 one_fd = sizeof(struct vfio_irq_set) + sizeof(__s32);
	struct vfio_device_info info;
	struct vfio_irq_info ii;
	struct vfio_dev vd;
	int ret, efd, null, takes = 0;
	char what[128];
	unsigned int i;

	ret = cf_open(dev, &vd);
	if (ret) {
		cf_fail("cannot open the device: %s", strerror(-ret));
		return;
	}
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (__vfio_device_info(vd.fd, &info) || efd < 0 || null < 0) {
		cf_fail("GET_INFO, an eventfd or /dev/null: %s", strerror(errno));
		goto out_close;
	}
	for (i = 0; i < info.num_irqs && i < CF_MAX_IRQS; i++) {
		if (__vfio_irq_info(vd.fd, i, &ii))
			continue;
		cf_irq_refusals(vd.fd, &ii);
		if (!ii.count || !(ii.flags & VFIO_IRQ_INFO_EVENTFD))
			continue;
		snprintf(what, sizeof(what), "index %u: an fd that is not an eventfd", i);
		CF_EXPECT_ERRNO2(EINVAL, EBADF,
				 cf_irq_set_fd(vd.fd, one_fd, ev, i, 0, 1, null), what);
		snprintf(what, sizeof(what), "index %u: an fd number that is not open", i);
		CF_EXPECT_ERRNO2(EBADF, EINVAL,
				 cf_irq_set_fd(vd.fd, one_fd, ev, i, 0, 1, 1000000), what);
		/* A good eventfd is taken, replaced, cleared, and cleared by count 0. */
		ret = cf_irq_eventfd(vd.fd, i, 0, efd);
		if (ret == -EINVAL || ret == -ENOTTY || ret == -EBUSY) {
			/* Taken only in some device state (e.g. INTx vs MSI mode). */
			cf_note("index %u (count %u, flags %#x) refuses an eventfd now: %s", i,
				ii.count, ii.flags, strerror(-ret));
			continue;
		}
		if (ret) {
			cf_fail("index %u: a good eventfd: %s", i, strerror(-ret));
			continue;
		}
		takes++;
		ret = cf_irq_eventfd(vd.fd, i, 0, efd);
		if (ret)
			cf_fail("index %u: the same eventfd again: %s", i, strerror(-ret));
		ret = cf_irq_eventfd(vd.fd, i, 0, -1);
		if (ret)
			cf_fail("index %u: clearing it with fd -1: %s", i, strerror(-ret));
		cf_irq_eventfd(vd.fd, i, 0, efd);
		ret = cf_irq_none(vd.fd, i, 0, 0, VFIO_IRQ_SET_ACTION_TRIGGER);
		if (ret)
			cf_fail("index %u: clearing every vector with count 0: %s", i,
				strerror(-ret));
	}
	if (!takes && !cf_failed())
		cf_note("no index took an eventfd in the device's current state");
out_close:
	if (efd >= 0)
		close(efd);
	if (null >= 0)
		close(null);
	vfio_dev_close(&vd);
}

/*
 * Whether the driver kept an eventfd past the last close. A black box sees
 * that one way: a DATA_NONE trigger signals whatever eventfd the index
 * holds (the uAPI's loopback), so after the last close and a new open,
 * the old eventfd must not fire. An index whose loopback does not fire in
 * the first place cannot show it.
 */
void cf_check_eventfd_release(struct cf_dev *dev)
{
	const __u32 trig = VFIO_IRQ_SET_ACTION_TRIGGER;
	struct vfio_irq_info ii[CF_MAX_IRQS];
	int efd[CF_MAX_IRQS];
	struct vfio_device_info info;
	struct vfio_dev vd;
	unsigned int i, n, shown = 0;
	int ret;

	ret = cf_open(dev, &vd);
	if (ret) {
		cf_fail("cannot open the device: %s", strerror(-ret));
		return;
	}
	if (__vfio_device_info(vd.fd, &info)) {
		cf_fail("GET_INFO: %s", strerror(errno));
		vfio_dev_close(&vd);
		return;
	}
	n = info.num_irqs < CF_MAX_IRQS ? info.num_irqs : CF_MAX_IRQS;
	for (i = 0; i < n; i++) {
		efd[i] = -1;
		if (__vfio_irq_info(vd.fd, i, &ii[i]) || !ii[i].count ||
		    !(ii[i].flags & VFIO_IRQ_INFO_EVENTFD))
			continue;
		efd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (cf_irq_eventfd(vd.fd, i, 0, efd[i]) ||
		    cf_irq_none(vd.fd, i, 0, 1, trig) || eventfd_wait(efd[i], 200) <= 0) {
			close(efd[i]);
			efd[i] = -1;
			continue;
		}
		/* Wired, and its loopback fires: leave it wired. */
		shown++;
	}
	vfio_dev_close(&vd);
	if (!shown) {
		/* The only way the uAPI shows an eventfd still held; kmemleak shows it too. */
		cf_skip("no interrupt index fires its eventfd on a DATA_NONE trigger");
		return;
	}
	ret = cf_open(dev, &vd);
	if (ret) {
		cf_fail("cannot open the device again: %s", strerror(-ret));
		goto out_close_efds;
	}
	for (i = 0; i < n; i++) {
		if (efd[i] < 0)
			continue;
		/* Whatever the driver holds now fires; ours must not. */
		cf_irq_none(vd.fd, i, 0, 1, trig);
		if (eventfd_wait(efd[i], 200) > 0)
			cf_fail("index %u: the eventfd wired before the last close fired after it",
				i);
	}
	vfio_dev_close(&vd);
out_close_efds:
	for (i = 0; i < n; i++)
		if (efd[i] >= 0)
			close(efd[i]);
}
