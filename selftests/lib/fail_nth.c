// SPDX-License-Identifier: GPL-2.0
/*
 * fail_nth sweeps. See fail_nth.h and the kernel's
 * Documentation/fault-injection/fault-injection.rst.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vfio_lib.h"
#include "fail_nth.h"

#define FAILSLAB	"/sys/kernel/debug/failslab/"

/* The per-thread file; opened once, as opening it allocates. */
static int fail_nth_fd = -1;
/* failslab settings saved by fail_nth_begin(), put back by fail_nth_end(). */
static char saved_ignore_gfp_wait[16], saved_verbose[16];

bool fail_nth_available(void)
{
	return path_exists("/proc/thread-self/fail-nth") &&
	       path_exists(FAILSLAB "ignore-gfp-wait");
}

int __fail_nth_begin(void)
{
	int ret;

	ret = __sysfs_read(FAILSLAB "ignore-gfp-wait", saved_ignore_gfp_wait,
			   sizeof(saved_ignore_gfp_wait));
	if (!ret)
		ret = __sysfs_read(FAILSLAB "verbose", saved_verbose,
				   sizeof(saved_verbose));
	/* GFP_KERNEL allocations are the ones drivers make: fail them too. */
	if (!ret)
		ret = __sysfs_write(FAILSLAB "ignore-gfp-wait", "N");
	/* No stack dump per injected failure: the log stays readable. */
	if (!ret)
		ret = __sysfs_write(FAILSLAB "verbose", "0");
	if (ret)
		return ret;
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	return fail_nth_fd < 0 ? -errno : 0;
}

void fail_nth_begin(void)
{
	VFIO_LIB_CHECK(__fail_nth_begin(), "fail_nth_begin");
}

void fail_nth_end(void)
{
	if (fail_nth_fd >= 0) {
		fail_nth_disarm();
		close(fail_nth_fd);
		fail_nth_fd = -1;
	}
	if (saved_ignore_gfp_wait[0])
		__sysfs_write(FAILSLAB "ignore-gfp-wait", saved_ignore_gfp_wait);
	if (saved_verbose[0])
		__sysfs_write(FAILSLAB "verbose", saved_verbose);
}

void fail_nth_arm(int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", n);

	if (pwrite(fail_nth_fd, buf, len, 0) != len)
		vfio_lib_fail("fail-nth: write %d: %s", n, strerror(errno));
}

bool fail_nth_disarm(void)
{
	char buf[16] = "";
	ssize_t n;

	/* 0 means the armed failure happened, N > 0 that N calls remained. */
	n = pread(fail_nth_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		vfio_lib_fail("fail-nth: read: %s", strerror(errno));
	/* Writing 0 disarms whatever is left. */
	if (pwrite(fail_nth_fd, "0", 1, 0) != 1)
		vfio_lib_fail("fail-nth: disarm: %s", strerror(errno));
	return atoi(buf) == 0;
}
