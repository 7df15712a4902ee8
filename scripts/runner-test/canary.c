// SPDX-License-Identifier: GPL-2.0
/*
 * A module that misbehaves on request, for make check-runner: it shows that
 * the VM runner fails a run, and says why, when a test fails, when the
 * kernel warns, when the guest hangs, and when it freezes (the watchdog).
 */
#include <linux/bug.h>
#include <linux/delay.h>
#include <linux/module.h>

static bool fail;
module_param(fail, bool, 0444);
MODULE_PARM_DESC(fail, "make canary_test fail");

static bool warn;
module_param(warn, bool, 0444);
MODULE_PARM_DESC(warn, "WARN_ON(1) at load");

static bool hang;
module_param(hang, bool, 0444);
MODULE_PARM_DESC(hang, "sleep uninterruptibly at load, forever");

static bool stall;
module_param(stall, bool, 0444);
MODULE_PARM_DESC(stall, "print an RCU stall line at load, then sleep silently");

static bool silent;
module_param(silent, bool, 0444);
MODULE_PARM_DESC(silent, "sleep silently at load, forever");

static int __init canary_init(void)
{
	WARN_ON(warn);
	while (hang)
		ssleep(60);
	/*
	 * A frozen guest, as the runner's watchdog sees one: the line a lost
	 * timer interrupt brings, then nothing. Interruptible, so that the
	 * hung task detector stays quiet too.
	 */
	if (stall)
		pr_err("canary: simulated: rcu_preempt kthread timer wakeup didn't happen\n");
	while (stall || silent)
		msleep_interruptible(60 * MSEC_PER_SEC);
	return 0;
}

static void __exit canary_exit(void)
{
}

module_init(canary_init);
module_exit(canary_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Misbehaves on request, to test the suite's VM runner");
