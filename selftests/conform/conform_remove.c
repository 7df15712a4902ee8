// SPDX-License-Identifier: GPL-2.0
/*
 * Removal while a user holds the device, and the core's own contract:
 * opens racing a removal, and an open racing the last close.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>

#include "conform.h"

/* How long the core may take to ask for the device (it asks at once). */
#define CF_REQUEST_MS	10000
/* How long a removal may take once no fd is open. */
#define CF_GONE_MS	10000

static int cf_ms(int ms)
{
	return cf_slow() ? 3 * ms : ms;
}

/* For a check that makes its own instances: a new one, or fail. */
static bool cf_instance(struct cf_dev *dev)
{
	int ret;

	if (!dev->is_mdev)
		return true;
	ret = cf_create(dev);
	if (ret)
		cf_fail("cannot create an instance of %s/%s: %s", dev->parent,
			dev->type, strerror(-ret));
	return !ret;
}

/* After a take-away: an mdev instance is gone; a bound device comes back. */
static void cf_after_away(struct cf_dev *dev)
{
	int ret;

	if (dev->is_mdev) {
		dev->uuid[0] = '\0';
		return;
	}
	ret = cf_bring_back(dev);
	if (ret)
		cf_fail("binding %s to %s again: %s", dev->label, dev->driver,
			strerror(-ret));
}

/* Whether the device offers the request interrupt (an eventfd, count 1). */
static bool cf_has_request(int fd)
{
	struct vfio_device_info info;
	struct vfio_irq_info ii;

	return !__vfio_device_info(fd, &info) && (info.flags & VFIO_DEVICE_FLAGS_PCI) &&
	       info.num_irqs > VFIO_PCI_REQ_IRQ_INDEX &&
	       !__vfio_irq_info(fd, VFIO_PCI_REQ_IRQ_INDEX, &ii) && ii.count >= 1 &&
	       (ii.flags & VFIO_IRQ_INFO_EVENTFD);
}

void cf_check_remove_while_open(struct cf_dev *dev)
{
	struct timespec t0, t1;
	struct vfio_dev vd;
	int ret, req = -1;
	const char *path;
	pid_t away;
	__s64 n;

	if (!cf_instance(dev))
		return;
	ret = cf_open(dev, &vd);
	if (ret) {
		cf_fail("cannot open the device: %s", strerror(-ret));
		return;
	}
	if (cf_has_request(vd.fd)) {
		req = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		ret = cf_irq_eventfd(vd.fd, VFIO_PCI_REQ_IRQ_INDEX, 0, req);
		if (ret) {
			cf_fail("the request interrupt is offered; wiring an eventfd to it: %s",
				strerror(-ret));
			close(req);
			req = -1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	away = cf_take_away_start(dev);
	if (away < 0) {
		cf_fail("fork: %s", strerror(errno));
		vfio_dev_close(&vd);
		return;
	}
	if (req >= 0) {
		path = "the request interrupt";
		n = eventfd_wait(req, cf_ms(CF_REQUEST_MS));
		if (n <= 0)
			cf_fail("the request interrupt is wired, and %s in %d s of the removal",
				n ? "reading it failed" : "did not fire",
				cf_ms(CF_REQUEST_MS) / 1000);
	} else {
		path = "the last close (the driver offers no request interrupt)";
		/* The removal must wait for us; give it time to wrongly not. */
		ret = cf_take_away_wait(away, 500);
		if (ret != -ETIMEDOUT) {
			cf_fail("the removal returned (%s) while the device was open",
				strerror(-ret));
			away = -1;
		}
	}
	vfio_dev_close(&vd);
	if (req >= 0)
		close(req);
	if (away > 0) {
		ret = cf_take_away_wait(away, cf_ms(CF_GONE_MS));
		if (ret == -ETIMEDOUT)
			cf_fail("the removal did not complete within %d s of the last close",
				cf_ms(CF_GONE_MS) / 1000);
		else if (ret)
			cf_fail("the removal failed: %s", strerror(-ret));
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!cf_failed())
		cf_note("removed in %.0f ms, through %s",
			(t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6, path);
	if (!ret)
		cf_after_away(dev);
}

/* ---- opens racing a removal ---- */

/**
 * struct cf_racer - a thread that opens and closes the device until told
 * @vd: the container and group it opens the device through
 * @stop: set when it should end
 * @gone: set once the removal has returned
 * @opens: successful opens
 * @fails: clean failures (the device is going, busy, or try again)
 * @bad: failures with an errno a removal does not explain
 * @late: opens that succeeded after the removal returned
 * @bad_errno: the first unexplained errno
 */
struct cf_racer {
	struct vfio_dev *vd;
	bool stop;
	bool gone;
	long opens, fails, bad, late;
	int bad_errno;
	pthread_t tid;
};

static void *cf_racer_thread(void *arg)
{
	struct vfio_device_info info;
	struct cf_racer *r = arg;
	int fd;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		bool gone = __atomic_load_n(&r->gone, __ATOMIC_ACQUIRE);

		fd = ioctl(r->vd->group, VFIO_GROUP_GET_DEVICE_FD, r->vd->name);
		if (fd < 0) {
			if (errno == ENODEV || errno == EBUSY || errno == ENOENT ||
			    errno == EINVAL || errno == EAGAIN) {
				r->fails++;
			} else {
				if (!r->bad++)
					r->bad_errno = errno;
			}
			usleep(1000);
			continue;
		}
		r->opens++;
		if (gone)
			r->late++;
		/* Use it a little: it answers, or fails cleanly. */
		__vfio_device_info(fd, &info);
		close(fd);
	}
	return NULL;
}

void cf_check_open_vs_remove(struct cf_dev *dev)
{
	struct cf_racer r[2] = {};
	unsigned int i, round, rounds = cf_rounds(5, 2);
	struct vfio_dev vd;
	long opened = 0;
	int ret;
	pid_t away;

	for (round = 0; round < rounds && !cf_failed(); round++) {
		if (!cf_instance(dev))
			return;
		ret = cf_open(dev, &vd);
		if (ret) {
			cf_fail("cannot open the device: %s", strerror(-ret));
			return;
		}
		/* The racers open through the group; our own fd goes first. */
		close(vd.fd);
		vd.fd = -1;
		memset(r, 0, sizeof(r));
		for (i = 0; i < 2; i++) {
			r[i].vd = &vd;
			pthread_create(&r[i].tid, NULL, cf_racer_thread, &r[i]);
		}
		usleep(20000 + 20000 * round);
		away = cf_take_away_start(dev);
		ret = cf_take_away_wait(away, cf_ms(CF_GONE_MS));
		for (i = 0; i < 2; i++)
			__atomic_store_n(&r[i].gone, true, __ATOMIC_RELEASE);
		usleep(20000);
		for (i = 0; i < 2; i++) {
			__atomic_store_n(&r[i].stop, true, __ATOMIC_RELEASE);
			pthread_join(r[i].tid, NULL);
		}
		vfio_dev_close(&vd);
		if (ret == -ETIMEDOUT) {
			/* The racers have stopped: it may complete now. */
			ret = cf_take_away_wait(away, cf_ms(CF_GONE_MS));
			cf_fail("the removal did not complete while opens raced it%s",
				ret ? ", nor after they stopped" : " (it did once they stopped)");
		} else if (ret) {
			cf_fail("the removal failed: %s", strerror(-ret));
		}
		for (i = 0; i < 2; i++) {
			if (r[i].bad)
				cf_fail("%ld open(s) failed with %s", r[i].bad,
					strerrorname_np(r[i].bad_errno));
			if (r[i].late)
				cf_fail("%ld open(s) succeeded after the removal returned",
					r[i].late);
		}
		cf_note("round %u: %ld opens, %ld refused", round, r[0].opens + r[1].opens,
			r[0].fails + r[1].fails);
		opened += r[0].opens + r[1].opens;
		if (!ret)
			cf_after_away(dev);
	}
	/* Opens that all failed raced nothing: the check would say nothing. */
	if (!opened && !cf_failed())
		cf_fail("no open succeeded in %u rounds: nothing raced the removal", rounds);
}

/* ---- an open racing the last close ---- */

/**
 * struct cf_closer - two threads: one closes its fd while the other opens
 * @vd: the container and group
 * @fresh: the config state of a new device
 * @marked: the state after the first fd's writes
 * @pci: whether config state is observed
 * @rounds: how many rounds
 * @bad: rounds where the new fd saw neither state
 * @why: the first bad round's description
 * @open_fail: opens that failed
 */
struct cf_closer {
	struct vfio_dev *vd;
	struct cf_cfg_state fresh, marked;
	bool pci;
	unsigned int rounds;
	unsigned int bad;
	char why[160];
	unsigned int open_fail;
	pthread_barrier_t go;
	int fd;
};

static void *cf_opener_thread(void *arg)
{
	struct cf_closer *c = arg;
	struct cf_cfg_state now;
	char w1[80], w2[80];
	unsigned int i;
	int fd;

	for (i = 0; i < c->rounds; i++) {
		pthread_barrier_wait(&c->go);
		fd = ioctl(c->vd->group, VFIO_GROUP_GET_DEVICE_FD, c->vd->name);
		if (fd < 0) {
			c->open_fail++;
		} else if (c->pci && !cf_cfg_state(fd, &now) &&
			   !cf_cfg_same(&now, &c->fresh, true, w1, sizeof(w1)) &&
			   !cf_cfg_same(&now, &c->marked, true, w2, sizeof(w2))) {
			if (!c->bad++)
				snprintf(c->why, sizeof(c->why), "as new: %s; as marked: %s",
					 w1, w2);
		}
		pthread_barrier_wait(&c->go);
		if (fd >= 0)
			close(fd);
	}
	return NULL;
}

void cf_check_close_vs_open(struct cf_dev *dev)
{
	struct cf_closer c = {};
	struct vfio_dev vd;
	struct cf_cfg_state now;
	pthread_t tid;
	long opens, closes;
	unsigned int i;
	char why[128];
	int ret;

	ret = cf_open(dev, &vd);
	if (ret) {
		cf_fail("cannot open the device: %s", strerror(-ret));
		return;
	}
	c.vd = &vd;
	c.rounds = cf_rounds(300, 30);
	c.pci = cf_is_pci(vd.fd) && !cf_cfg_state(vd.fd, &c.fresh) &&
		cf_cfg_change(vd.fd, &c.fresh, &c.marked);
	close(vd.fd);
	vd.fd = -1;
	pthread_barrier_init(&c.go, NULL, 2);
	pthread_create(&tid, NULL, cf_opener_thread, &c);
	for (i = 0; i < c.rounds; i++) {
		/* Open and mark; then close at the moment the other opens. */
		c.fd = ioctl(vd.group, VFIO_GROUP_GET_DEVICE_FD, vd.name);
		if (c.fd >= 0 && c.pci)
			cf_cfg_change(c.fd, &c.fresh, &c.marked);
		pthread_barrier_wait(&c.go);
		if (c.fd >= 0)
			close(c.fd);
		else
			c.open_fail++;
		pthread_barrier_wait(&c.go);
	}
	pthread_join(tid, NULL);
	pthread_barrier_destroy(&c.go);
	if (c.open_fail)
		cf_fail("%u of %u opens failed", c.open_fail, 2 * c.rounds);
	if (c.bad)
		cf_fail("%u of %u opens found the device neither still open nor reset (%s)",
			c.bad, c.rounds, c.why);
	/* Every fd is closed: the next open must find a new device. */
	vd.fd = ioctl(vd.group, VFIO_GROUP_GET_DEVICE_FD, vd.name);
	if (vd.fd < 0) {
		cf_fail("an open after the race: %s", strerror(errno));
	} else if (c.pci && (cf_cfg_state(vd.fd, &now) ||
			     !cf_cfg_same(&now, &c.fresh, true, why, sizeof(why)))) {
		/* An open_device/close_device pair was lost. */
		cf_fail("after the race and the last close, the device is not reset: %s",
			why);
	}
	vfio_dev_close(&vd);
	opens = cf_counter(dev, "open_count");
	closes = cf_counter(dev, "close_count");
	if (opens >= 0 && opens != closes)
		cf_fail("the driver's own counters: %ld open_device, %ld close_device",
			opens, closes);
	if (!c.pci)
		cf_note("not a PCI device: only opens were checked, not the state they found");
}
