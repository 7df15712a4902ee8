/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel reports (WARNING, BUG, KASAN, lockdep, kmemleak, ...) read from
 * /dev/kmsg as they are logged, so that a test can place a report at the
 * step or the check that caused it. The patterns are those the VM runner
 * (scripts/vm_result.py) fails a run on.
 */
#ifndef KREPORT_H
#define KREPORT_H

#include <stdbool.h>

/* Whether a kernel log line is a report. */
bool kreport_match(const char *msg);

/* /dev/kmsg, positioned at its end: an fd, or -errno. */
int kreport_open(void);

/*
 * Read what was logged on @fd since the last call and count the reports;
 * @each (may be NULL) sees each report line. @fd < 0 counts nothing.
 */
int kreport_scan(int fd, void (*each)(const char *msg, void *arg), void *arg);

#endif /* KREPORT_H */
