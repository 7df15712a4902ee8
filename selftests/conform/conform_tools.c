// SPDX-License-Identifier: GPL-2.0
/*
 * The suite's generic programs, bounded, on the device under test alone:
 * the fuzzer, the stress test, the fail_nth sweeps and the cdev tests.
 * Each runs as a program of its own, its output indented into ours.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conform.h"

/* Seconds for the fuzzer and the stress test, per device. */
static unsigned int cf_budget(const char *env, unsigned int fast, unsigned int slow)
{
	const char *s = getenv(env);

	return s && *s ? strtoul(s, NULL, 0) : cf_rounds(fast, slow);
}

/* Run a program and turn its exit status into the check's verdict. */
static void cf_program(const char *prog, const char *const *argv,
		       const char *const *env)
{
	char why[160];
	int ret = cf_run_program(prog, argv, env, why, sizeof(why));

	if (ret == -ENOENT)
		cf_skip("%s is not installed next to vfio_conform", prog);
	else if (ret < 0)
		cf_fail("cannot run %s: %s", prog, strerror(-ret));
	else if (ret == KSFT_SKIP)
		cf_skip("%s: %s", prog, why[0] ? why : "skipped (its log above says why)");
	else if (ret != KSFT_PASS)
		cf_fail("%s failed (exit %d; its log above says why)", prog, ret);
}

void cf_check_fuzz(struct cf_dev *dev)
{
	char secs[16], target[300];
	const char *argv[7];

	argv[0] = "--steps";
	argv[1] = "20000";
	argv[2] = "--device-secs";
	argv[3] = secs;
	argv[4] = dev->is_mdev ? "--device" : "--sysfs";
	argv[5] = target;
	argv[6] = NULL;
	snprintf(secs, sizeof(secs), "%u",
		 cf_budget("VFIO_CONFORM_FUZZ_SECS", 3, 1));
	if (dev->is_mdev)
		snprintf(target, sizeof(target), "%s/%s", dev->parent, dev->type);
	else
		snprintf(target, sizeof(target), "%s", dev->sysfs);
	cf_program("vfio_fuzz", argv, NULL);
}

void cf_check_stress(struct cf_dev *dev)
{
	char secs[48], only[320];
	const char *env[3];

	env[0] = secs;
	env[1] = only;
	env[2] = NULL;
	snprintf(secs, sizeof(secs), "VFIO_STRESS_TIME=%u",
		 cf_budget("VFIO_CONFORM_STRESS_SECS", 5, 5));
	if (dev->is_mdev)
		snprintf(only, sizeof(only), "VFIO_STRESS_ONLY=%s/%s", dev->parent, dev->type);
	else
		snprintf(only, sizeof(only), "VFIO_STRESS_ONLY=%s", dev->sysfs);
	cf_program("vfio_stress", NULL, env);
}

/* A program that walks mdev types, narrowed to this device's. */
static void cf_mdev_program(struct cf_dev *dev, const char *prog)
{
	char types[160];
	const char *env[2];

	if (!dev->is_mdev) {
		cf_skip("%s covers mdev types only", prog);
		return;
	}
	snprintf(types, sizeof(types), "VFIO_SUITE_TYPES=%s/%s", dev->parent, dev->type);
	env[0] = types;
	env[1] = NULL;
	cf_program(prog, NULL, env);
}

void cf_check_fail_nth(struct cf_dev *dev)
{
	cf_mdev_program(dev, "fail_nth_test");
}

void cf_check_cdev(struct cf_dev *dev)
{
	cf_mdev_program(dev, "cdev_test");
}
