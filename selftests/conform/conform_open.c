// SPDX-License-Identifier: GPL-2.0
/*
 * open_device once, close_device once: what a user sees of it. Devices
 * differ, so state is observed through what every VFIO PCI device has:
 * its config space (the command register, and a BAR put into sizing), and
 * VFIO_DEVICE_RESET where offered.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "conform.h"

/*
 * Open the device and change its state through the first fd. Returns
 * false (with the check skipped) when there is nothing to observe.
 */
static bool cf_open_changed(struct cf_dev *dev, struct vfio_dev *vd,
			    struct cf_cfg_state *fresh, struct cf_cfg_state *changed)
{
	int ret = cf_open(dev, vd);

	if (ret) {
		cf_fail("cannot open the device: %s", strerror(-ret));
		return false;
	}
	if (!cf_is_pci(vd->fd)) {
		cf_skip("not a PCI device: no config space to observe its state through");
		goto out_close;
	}
	if (cf_cfg_state(vd->fd, fresh)) {
		cf_fail("cannot read the config space of a new device");
		goto out_close;
	}
	if (!cf_cfg_change(vd->fd, fresh, changed)) {
		cf_skip("neither the command register nor any BAR keeps what is written");
		goto out_close;
	}
	cf_note("a new device reads command %#06x, BAR0 %#010x; after writes %#06x, %#010x",
		fresh->cmd, fresh->bar[0], changed->cmd, changed->bar[0]);
	return true;

out_close:
	vfio_dev_close(vd);
	return false;
}

/* Whether @fd shows @want; fails the check with @what otherwise. */
static bool cf_shows(int fd, const struct cf_cfg_state *want, const char *what)
{
	struct cf_cfg_state now;
	char why[128];

	if (cf_cfg_state(fd, &now)) {
		cf_fail("%s: the config space does not read", what);
		return false;
	}
	if (!cf_cfg_same(&now, want, true, why, sizeof(why))) {
		cf_fail("%s: %s", what, why);
		return false;
	}
	return true;
}

void cf_check_shared_state(struct cf_dev *dev)
{
	struct cf_cfg_state fresh, changed;
	struct vfio_dev vd;
	int fd2;

	if (!cf_open_changed(dev, &vd, &fresh, &changed))
		return;
	fd2 = __vfio_dev_fd(&vd);
	if (fd2 < 0) {
		cf_fail("a second VFIO_GROUP_GET_DEVICE_FD: %s", strerror(-fd2));
	} else {
		cf_user_setup(fd2);
		cf_shows(fd2, &changed, "a second fd, opened after the writes");
		close(fd2);
	}
	vfio_dev_close(&vd);
}

void cf_check_close_one(struct cf_dev *dev)
{
	struct cf_cfg_state fresh, changed;
	struct vfio_dev vd;
	int fd2, fd3;

	if (!cf_open_changed(dev, &vd, &fresh, &changed))
		return;
	fd2 = __vfio_dev_fd(&vd);
	if (fd2 < 0) {
		cf_fail("a second VFIO_GROUP_GET_DEVICE_FD: %s", strerror(-fd2));
		goto out_close;
	}
	/* A second user sets up and goes: the first still sees its writes. */
	cf_user_setup(fd2);
	close(fd2);
	cf_shows(vd.fd, &changed, "the first fd, after a second one was closed");
	/* Close the first while a third is open: the third still sees them. */
	fd3 = __vfio_dev_fd(&vd);
	if (fd3 < 0) {
		cf_fail("a third VFIO_GROUP_GET_DEVICE_FD: %s", strerror(-fd3));
		goto out_close;
	}
	cf_user_setup(fd3);
	close(vd.fd);
	vd.fd = fd3;
	cf_shows(fd3, &changed, "a later fd, after the first one was closed");
out_close:
	vfio_dev_close(&vd);
}

void cf_check_last_close_resets(struct cf_dev *dev)
{
	struct cf_cfg_state fresh, changed;
	struct vfio_dev vd;
	int fd2, ret, round;

	if (!cf_open_changed(dev, &vd, &fresh, &changed))
		return;
	fd2 = __vfio_dev_fd(&vd);
	if (fd2 >= 0)
		close(fd2);
	vfio_dev_close(&vd);
	/* Twice: the second round also shows the first reopen was a real open. */
	for (round = 0; round < 2; round++) {
		ret = cf_open(dev, &vd);
		if (ret) {
			cf_fail("cannot open the device again: %s", strerror(-ret));
			return;
		}
		if (!cf_shows(vd.fd, &fresh, round ? "the second reopen after a last close" :
			      "a new open after the last close")) {
			vfio_dev_close(&vd);
			return;
		}
		cf_cfg_change(vd.fd, &fresh, &changed);
		vfio_dev_close(&vd);
	}
}

void cf_check_reset_ioctl(struct cf_dev *dev)
{
	struct cf_cfg_state fresh, changed, now;
	struct vfio_device_info info;
	struct vfio_dev vd;
	char why[128];

	if (!cf_open_changed(dev, &vd, &fresh, &changed))
		return;
	if (__vfio_device_info(vd.fd, &info) || !(info.flags & VFIO_DEVICE_FLAGS_RESET)) {
		cf_skip("the device does not offer VFIO_DEVICE_RESET (see the info check)");
		goto out_close;
	}
	if (ioctl(vd.fd, VFIO_DEVICE_RESET)) {
		cf_fail("VFIO_DEVICE_RESET, offered: %s", strerror(errno));
		goto out_close;
	}
	if (cf_cfg_state(vd.fd, &now)) {
		cf_fail("the config space does not read after VFIO_DEVICE_RESET");
		goto out_close;
	}
	/* A reset restores the command register; a VMM restores the BARs. */
	if (!cf_cfg_same(&now, &fresh, false, why, sizeof(why)))
		cf_fail("after VFIO_DEVICE_RESET: %s", why);
out_close:
	vfio_dev_close(&vd);
}
