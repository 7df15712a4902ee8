/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a test made and did not take away, and removals that cannot hang.
 *
 * Every mdev that __mdev_create() makes is noted in a table that every
 * process of the program shares, and crossed out when it is removed. A
 * test that stops early (a failed assertion in a TEST() body, a harness
 * timeout, a crash) leaves its devices in the table; they are removed
 * before the next device is created by a later test, and when the program
 * exits. A test is told apart by its process group: the harness runs each
 * test in a process group of its own, so a device whose group has no
 * process left belongs to a test that is over.
 *
 * Removing an mdev waits, in the kernel, until every fd of the device is
 * closed. A process that removes a device it still holds would wait for
 * itself, for ever: the wait turns uninterruptible once a signal arrives,
 * so not even SIGKILL ends it. Removals here never wait for the caller:
 * when the calling process holds a VFIO device fd, or a bound is asked
 * for, the write happens in a child process that holds no fd at all, and
 * the caller waits for it only as long as the bound allows. A removal that
 * is still waiting then finishes by itself once the holder lets go.
 */
#ifndef LEFTOVERS_H
#define LEFTOVERS_H

#include <stdbool.h>

/* Note a device just created, and cross out one removed. */
void leftovers_add(const char *uuid);
void leftovers_forget(const char *uuid);

/*
 * Remove the devices of tests that are over (@all: every device noted,
 * for the program's end). Returns how many it found.
 */
int leftovers_sweep(bool all);

/* Whether this process holds an fd of a VFIO device (group or cdev path). */
bool holds_vfio_device_fd(void);

/*
 * Write @val to @path from a child process that holds no fd, waiting at
 * most @ms for the write to return. 0, the write's -errno, or -ETIMEDOUT:
 * the write goes on in the background and ends when the kernel lets it.
 */
int sysfs_write_detached(const char *path, const char *val, int ms);

/*
 * Remove mdev @uuid, waiting at most @ms: 0, -errno, or -ETIMEDOUT (some
 * fd of the device is still open; the removal completes when it closes).
 */
int __mdev_remove_timeout(const char *uuid, int ms);

#endif /* LEFTOVERS_H */
