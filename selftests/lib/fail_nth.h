/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault injection with fail_nth: make the Nth slab allocation of the calling
 * thread fail, to walk every allocation of a kernel path one at a time.
 * Needs CONFIG_FAULT_INJECTION_DEBUG_FS and CONFIG_FAILSLAB (the sanitizer
 * kernel); fail_nth_available() is false elsewhere, so a test can SKIP.
 *
 * A sweep: fail_nth_begin(); then for n = 1, 2, ...: fail_nth_arm(n), run
 * the operation, and fail_nth_disarm(), which says whether the Nth
 * allocation was reached (and failed). The first n that is not reached ran
 * the whole path without an injected failure: the sweep is done.
 * fail_nth_end() restores the failslab settings.
 */
#ifndef FAIL_NTH_H
#define FAIL_NTH_H

#include <stdbool.h>

bool fail_nth_available(void);
/* Let failslab fail sleeping allocations and keep it quiet; 0 or -errno. */
int __fail_nth_begin(void);
void fail_nth_begin(void);
void fail_nth_end(void);
/*
 * After fork(), in the child: fail-nth is per task, and the file that
 * fail_nth_begin() opened is the parent's. 0 or -errno.
 */
int __fail_nth_reopen(void);
/* Fail the @n-th (from 1) slab allocation this thread makes from now on. */
void fail_nth_arm(int n);
/* Disarm; true if the armed failure was injected. */
bool fail_nth_disarm(void);
/*
 * Neither count nor fail allocations made while @func (a kernel function,
 * from /proc/kallsyms) is on the stack: for a function whose error path has
 * a known bug outside the suite. Needs CONFIG_FAULT_INJECTION_STACKTRACE_FILTER;
 * 0 or -errno. fail_nth_end() lifts it.
 */
int __fail_nth_skip_function(const char *func);

#endif /* FAIL_NTH_H */
