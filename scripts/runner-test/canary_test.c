// SPDX-License-Identifier: GPL-2.0
/*
 * Passes unless the canary module was loaded with fail=1: make check-runner
 * uses it to show that a failing test fails the run.
 */
#include "kselftest_harness.h"
#include "vfio_lib.h"

TEST(canary)
{
	char val[8];

	if (__sysfs_read("/sys/module/canary/parameters/fail", val, sizeof(val)))
		SKIP(return, "the canary module is not loaded");
	ASSERT_STREQ("N", val);
}

TEST_HARNESS_MAIN
