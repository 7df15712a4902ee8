/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the fsl_mc_stub selftests: the bus's create/destroy files,
 * the driver's debugfs counters and knobs, and the interrupt pools.
 * __op() returns 0 or -errno, op() fails the test, as in vfio_lib.h.
 */
#ifndef FSL_MC_STUB_UTIL_H
#define FSL_MC_STUB_UTIL_H

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>

#include "vfio_lib.h"
#include "fsl_mc_stub/fsl_mc_stub_defs.h"

#define FMC_ROOT_DEV	"/sys/devices/" FSL_MC_STUB_BUS_NAME
#define FMC_DEVICES	"/sys/bus/" FSL_MC_STUB_BUS_NAME "/devices"
#define FMC_AUTOPROBE	"/sys/bus/" FSL_MC_STUB_BUS_NAME "/drivers_autoprobe"
#define FMC_DRIVER_DIR	"/sys/bus/" FSL_MC_STUB_BUS_NAME "/drivers/" \
			FSL_MC_STUB_DRIVER_NAME
#define FMC_DEBUGFS	"/sys/kernel/debug/fsl_mc_stub"
#define FMC_POOL_SIZE	"/sys/module/fsl_mc_stub/parameters/irq_pool_size"
#define FMC_DEFAULT_POOL_SIZE	16

/*
 * Per-test timeout, in seconds: the harness's 30 s default is too short
 * for the stress tests on the sanitizer kernel under TCG.  A bound for a
 * hung kernel, not a timing assertion.
 */
#define FMC_TIMEOUT		300

static inline int fmc_loaded(void)
{
	return path_exists(FMC_ROOT_DEV "/create") &&
	       path_exists(FMC_DEBUGFS "/open_delay_ms");
}

static inline int __fmc_create(const char *parent, const char *name)
{
	char line[128];

	snprintf(line, sizeof(line), "%s %s", parent, name);
	return __sysfs_write(FMC_ROOT_DEV "/create", line);
}

static inline void fmc_create(const char *parent, const char *name)
{
	VFIO_LIB_CHECK(__fmc_create(parent, name), name);
}

static inline int __fmc_destroy(const char *name)
{
	return __sysfs_write(FMC_ROOT_DEV "/destroy", name);
}

static inline void fmc_destroy(const char *name)
{
	VFIO_LIB_CHECK(__fmc_destroy(name), name);
}

static inline int fmc_exists(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), FMC_DEVICES "/%s", name);
	return path_exists(path);
}

static inline int __fmc_open(const char *name, struct vfio_dev *dev)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), FMC_DEVICES "/%s", name);
	return __vfio_dev_open(path, dev);
}

static inline void fmc_open(const char *name, struct vfio_dev *dev)
{
	VFIO_LIB_CHECK(__fmc_open(name, dev), name);
}

/* A counter or knob of one device: FMC_DEBUGFS/NAME/FILE. */
static inline long fmc_dev_read(const char *name, const char *file)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), FMC_DEBUGFS "/%s/%s", name, file);
	return sysfs_read_long(path);
}

static inline int __fmc_dev_write(const char *name, const char *file,
				  const char *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), FMC_DEBUGFS "/%s/%s", name, file);
	return __sysfs_write(path, val);
}

static inline void fmc_dev_write(const char *name, const char *file,
				 const char *val)
{
	VFIO_LIB_CHECK(__fmc_dev_write(name, file, val), file);
}

/* A text file of one device (dev_set, irqs). */
static inline void fmc_dev_text(const char *name, const char *file,
				char *buf, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), FMC_DEBUGFS "/%s/%s", name, file);
	VFIO_LIB_CHECK(__sysfs_read(path, buf, len), path);
}

static int fmc_cmp_words(const void *a, const void *b)
{
	return strcmp(*(const char * const *)a, *(const char * const *)b);
}

/*
 * Sort the words of @s (separated by spaces or newlines) and join them
 * with single spaces, in place, so that two lists of names compare equal
 * with strcmp() whatever their order.
 */
static inline void fmc_sort_words(char *s)
{
	char *words[256], *copy, *tok, *save;
	size_t n = 0, i, len = strlen(s);

	copy = strdup(s);
	if (!copy)
		vfio_lib_fail("strdup: %s", strerror(errno));
	for (tok = strtok_r(copy, "\n ", &save); tok && n < 256;
	     tok = strtok_r(NULL, "\n ", &save))
		words[n++] = tok;
	qsort(words, n, sizeof(words[0]), fmc_cmp_words);
	s[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(s + strlen(s), len + 1 - strlen(s), "%s%s",
			 i ? " " : "", words[i]);
	free(copy);
}

/*
 * The devices of @name's VFIO device set, as the core lists them
 * (DEVICE/set_members), sorted and joined by spaces.
 */
static inline void fmc_set_members(const char *name, char *buf, size_t len)
{
	fmc_dev_text(name, "set_members", buf, len);
	fmc_sort_words(buf);
}

/* A counter of the device set keyed by container @cont. */
static inline long fmc_set_read(const char *cont, const char *file)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), FMC_DEBUGFS "/sets/%s/%s", cont, file);
	return sysfs_read_long(path);
}

/* The counters of a set that open and close change, to compare. */
struct fmc_set_counts {
	long open_count, close_count, first_open, last_close;
};

static inline struct fmc_set_counts fmc_set_counts(const char *cont)
{
	struct fmc_set_counts c = {
		.open_count = fmc_set_read(cont, "open_count"),
		.close_count = fmc_set_read(cont, "close_count"),
		.first_open = fmc_set_read(cont, "first_open"),
		.last_close = fmc_set_read(cont, "last_close"),
	};

	return c;
}

static inline int fmc_set_counts_equal(struct fmc_set_counts a,
				       struct fmc_set_counts b)
{
	return a.open_count == b.open_count && a.close_count == b.close_count &&
	       a.first_open == b.first_open && a.last_close == b.last_close;
}

/* A driver-wide counter or knob: FMC_DEBUGFS/FILE. */
static inline long fmc_global_read(const char *file)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), FMC_DEBUGFS "/%s", file);
	return sysfs_read_long(path);
}

static inline void fmc_global_write(const char *file, const char *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), FMC_DEBUGFS "/%s", file);
	sysfs_write(path, val);
}

/* One line of FMC_DEBUGFS/irq_pools. */
struct fmc_pool {
	unsigned int serial, size, free;
};

/*
 * Find the pool of container @cont (0 or -ENOENT), and return the number of
 * live pools through @live if it is not NULL.
 */
static inline int fmc_pool(const char *cont, struct fmc_pool *pool,
			   long *live)
{
	char line[128], name[FSL_MC_STUB_NAME_MAX + 1];
	struct fmc_pool p;
	int ret = -ENOENT;
	FILE *f;

	f = fopen(FMC_DEBUGFS "/irq_pools", "r");
	if (!f)
		vfio_lib_fail("irq_pools: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (live && sscanf(line, "live %ld", live) == 1)
			continue;
		if (sscanf(line, "%16s serial %u size %u free %u", name,
			   &p.serial, &p.size, &p.free) == 4 &&
		    !strcmp(name, cont)) {
			if (pool)
				*pool = p;
			ret = 0;
		}
	}
	fclose(f);
	return ret;
}

/* The object's own interrupts; the request interrupt is the next index. */
static inline unsigned int fmc_irq_count(int fd)
{
	struct vfio_device_info info;

	VFIO_LIB_CHECK(__vfio_device_info(fd, &info), "device info");
	return info.num_irqs - 1;
}

/* A new eventfd wired to interrupt @index of device @fd. */
static inline int fmc_irq_eventfd(int fd, unsigned int index)
{
	int efd = eventfd(0, EFD_NONBLOCK);

	if (efd < 0)
		vfio_lib_fail("eventfd: %s", strerror(errno));
	VFIO_LIB_CHECK(__vfio_irq_set_eventfd(fd, index, 0, efd), "SET_IRQS");
	return efd;
}

/* Restore every knob a test may have turned. */
static inline void fmc_knobs_reset(void)
{
	__sysfs_write(FMC_POOL_SIZE, "16");
	__sysfs_write(FMC_DEBUGFS "/open_delay_ms", "0");
}

#endif /* FSL_MC_STUB_UTIL_H */
