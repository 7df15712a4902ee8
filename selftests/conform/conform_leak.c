// SPDX-License-Identifier: GPL-2.0
/*
 * No leak over open/close and create/remove cycles, counted from outside:
 * the driver's module references, IOMMU groups, VFIO devices, the type's
 * available instances, and slab objects. kmemleak, on a kernel that has
 * it, is the run's last check (conform_main.c). Where the driver has the
 * suite's debugfs counters, open_device and close_device must balance too.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conform.h"

#define CF_MAX_CACHES	512

/**
 * struct cf_counts - what a cycle must give back
 * @refcnt: the driver module's reference count, -1 unknown
 * @groups: IOMMU groups
 * @vfio_devs: VFIO device cdevs (kernels with the cdev), -1 unknown
 * @avail: the mdev type's available_instances, -1 unknown
 */
struct cf_counts {
	long refcnt;
	int groups;
	int vfio_devs;
	long avail;
};

static int cf_count_dir(const char *path)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static void cf_counts(const struct cf_dev *dev, struct cf_counts *c)
{
	char path[PATH_MAX];

	c->refcnt = -1;
	if (dev->module[0]) {
		snprintf(path, sizeof(path), "/sys/module/%s/refcnt", dev->module);
		if (__sysfs_read_long(path, &c->refcnt))
			c->refcnt = -1;
	}
	c->groups = cf_count_dir("/sys/kernel/iommu_groups");
	c->vfio_devs = cf_count_dir("/sys/class/vfio-dev");
	c->avail = -1;
	if (dev->is_mdev) {
		snprintf(path, sizeof(path),
			 "/sys/class/mdev_bus/%s/mdev_supported_types/%s/available_instances",
			 dev->parent, dev->type);
		if (__sysfs_read_long(path, &c->avail))
			c->avail = -1;
	}
}

static void cf_counts_compare(const struct cf_counts *a, const struct cf_counts *b,
			      const struct cf_dev *dev, const char *what)
{
	if (a->refcnt != b->refcnt)
		cf_fail("%s: module %s refcnt %ld, was %ld", what, dev->module,
			b->refcnt, a->refcnt);
	if (a->groups != b->groups)
		cf_fail("%s: %d IOMMU groups, were %d", what, b->groups, a->groups);
	if (a->vfio_devs != b->vfio_devs)
		cf_fail("%s: %d VFIO device cdevs, were %d", what, b->vfio_devs,
			a->vfio_devs);
	if (a->avail != b->avail)
		cf_fail("%s: available_instances %ld, was %ld", what, b->avail, a->avail);
}

/* ---- slab objects ---- */

/**
 * struct cf_slab - active objects of every slab cache
 * @n: caches
 * @name: their names
 * @active: their active object counts
 * @per_slab: objects per slab of each
 */
struct cf_slab {
	int n;
	char name[CF_MAX_CACHES][32];
	long active[CF_MAX_CACHES];
	long per_slab[CF_MAX_CACHES];
};

static bool cf_slab_read_once(struct cf_slab *s)
{
	char line[512];
	FILE *f;

	s->n = 0;
	f = fopen("/proc/slabinfo", "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f) && s->n < CF_MAX_CACHES) {
		if (line[0] == '#' || !strncmp(line, "slabinfo", 8))
			continue;
		/* name active_objs num_objs objsize objperslab ... */
		if (sscanf(line, "%31s %ld %*d %*d %ld", s->name[s->n], &s->active[s->n],
			   &s->per_slab[s->n]) == 3)
			s->n++;
	}
	fclose(f);
	return s->n > 0;
}

static long cf_slab_total(const struct cf_slab *s)
{
	long total = 0;
	int i;

	for (i = 0; i < s->n; i++)
		total += s->active[i];
	return total;
}

/*
 * Give every slab cache's per-CPU slabs back to its lists, where free
 * objects are counted as free: /proc/slabinfo counts each object of a
 * slab a CPU holds as in use, free or not, which is several slabs of
 * noise per cache on two CPUs.
 */
static void cf_slab_shrink(void)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	d = opendir("/sys/kernel/slab");
	if (!d)
		return;
	/* A cache that cannot shrink is counted as it is. */
	while ((de = readdir(d))) {
		/* Links are the names merged into another cache. */
		if (de->d_name[0] == '.' || de->d_type == DT_LNK)
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink", de->d_name);
		__sysfs_write(path, "1");
	}
	closedir(d);
}

/*
 * Read every cache's active objects, once what the kernel keeps only as a
 * cache (dentries and inodes of sysfs files looked up) is dropped, the
 * frees deferred to an RCU grace period have happened (the objects in use
 * stop going down) and the per-CPU slabs are given back. A removed
 * device's sysfs nodes are freed that way, and on a loaded host the grace
 * periods lag by seconds.
 */
static bool cf_slab_read(struct cf_slab *s)
{
	struct cf_slab *next = malloc(sizeof(*next));
	int tries, steady;

	sync();
	__sysfs_write("/proc/sys/vm/drop_caches", "2");
	cf_slab_shrink();
	usleep(cf_slow() ? 1000000 : 100000);
	if (!cf_slab_read_once(s) || !next) {
		free(next);
		return s->n > 0;
	}
	/* Settled: no fewer objects in use over five reads (1 s) in a row. */
	for (tries = 0, steady = 0; tries < 40 && steady < 5; tries++) {
		usleep(200000);
		cf_slab_shrink();
		if (!cf_slab_read_once(next))
			break;
		if (cf_slab_total(next) >= cf_slab_total(s)) {
			steady++;
			continue;
		}
		steady = 0;
		*s = *next;
	}
	free(next);
	return s->n > 0;
}

/*
 * Caches that grew by at least @min objects from @a to @b in both of two
 * windows (@b to @c): a leak of one object per cycle. Slab caches count
 * whole slabs held per CPU as in use, so a growth of two slabs is noise
 * whatever @min; a leak grows in every window.
 */
static int cf_slab_grew(const struct cf_slab *a, const struct cf_slab *b,
			const struct cf_slab *c, long min, const char *what)
{
	int i, found = 0;
	long need;

	for (i = 0; i < a->n && i < b->n && i < c->n; i++) {
		if (strcmp(a->name[i], b->name[i]) || strcmp(b->name[i], c->name[i]))
			continue;
		need = min > 2 * a->per_slab[i] ? min : 2 * a->per_slab[i] + 1;
		if (b->active[i] - a->active[i] >= need &&
		    c->active[i] - b->active[i] >= need) {
			cf_fail("%s: slab cache %s grew by %ld, then by %ld objects",
				what, a->name[i], b->active[i] - a->active[i],
				c->active[i] - b->active[i]);
			found++;
		}
	}
	return found;
}

/* ---- the cycles ---- */

static void cf_open_cycles(struct cf_dev *dev, unsigned int n)
{
	struct vfio_dev vd;
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = cf_open(dev, &vd);
		if (ret) {
			cf_fail("open %u of %u: %s", i + 1, n, strerror(-ret));
			return;
		}
		vfio_dev_close(&vd);
	}
}

static void cf_create_cycles(struct cf_dev *dev, unsigned int n)
{
	struct vfio_dev vd;
	unsigned int i;
	int ret;

	for (i = 0; i < n && !cf_failed(); i++) {
		if (dev->is_mdev) {
			ret = cf_create(dev);
			if (ret) {
				cf_fail("create %u of %u: %s", i + 1, n, strerror(-ret));
				return;
			}
		}
		/* A device is opened once in its life here, as a VMM does. */
		ret = cf_open(dev, &vd);
		if (ret)
			cf_fail("open of device %u of %u: %s", i + 1, n, strerror(-ret));
		else
			vfio_dev_close(&vd);
		ret = cf_take_away(dev, cf_slow() ? 30000 : 10000);
		if (ret) {
			cf_fail("%s %u of %u: %s", dev->is_mdev ? "remove" : "unbind", i + 1,
				n, strerror(-ret));
			return;
		}
		if (dev->is_mdev) {
			dev->uuid[0] = '\0';
		} else {
			ret = cf_bring_back(dev);
			if (ret) {
				cf_fail("bind %u of %u: %s", i + 1, n, strerror(-ret));
				return;
			}
		}
	}
}

void cf_check_leak_cycles(struct cf_dev *dev)
{
	struct cf_slab *s = calloc(3, sizeof(*s));
	unsigned int opens = cf_rounds(160, 20);
	unsigned int creates = dev->is_mdev ? cf_rounds(64, 10) : cf_rounds(10, 3);
	struct cf_counts before, after;
	bool slab = !cf_slow() && s && cf_slab_read(&s[0]);
	long o, c;
	int ret;

	/* Open/close on one device. */
	if (dev->is_mdev) {
		ret = cf_create(dev);
		if (ret) {
			cf_fail("cannot create an instance: %s", strerror(-ret));
			goto out_free;
		}
	}
	cf_counts(dev, &before);
	cf_open_cycles(dev, 8);		/* warm up: first-use allocations */
	if (slab)
		cf_slab_read(&s[0]);
	cf_open_cycles(dev, opens);
	if (slab)
		cf_slab_read(&s[1]);
	cf_open_cycles(dev, opens);
	if (slab && cf_slab_read(&s[2]))
		cf_slab_grew(&s[0], &s[1], &s[2], opens * 9 / 10, "open/close");
	cf_counts(dev, &after);
	cf_counts_compare(&before, &after, dev, "open/close cycles");
	o = cf_counter(dev, "open_count");
	c = cf_counter(dev, "close_count");
	if (o >= 0 && o != c)
		cf_fail("the driver's own counters: %ld open_device, %ld close_device", o, c);
	if (dev->is_mdev) {
		ret = cf_take_away(dev, cf_slow() ? 30000 : 10000);
		if (ret) {
			cf_fail("remove after the open/close cycles: %s", strerror(-ret));
			goto out_free;
		}
		dev->uuid[0] = '\0';
	}

	/* Create (or bind), open once, remove (or unbind). */
	cf_counts(dev, &before);
	cf_create_cycles(dev, 4);
	if (slab)
		cf_slab_read(&s[0]);
	cf_create_cycles(dev, creates);
	if (slab)
		cf_slab_read(&s[1]);
	cf_create_cycles(dev, creates);
	if (slab && cf_slab_read(&s[2]))
		cf_slab_grew(&s[0], &s[1], &s[2], creates * 9 / 10,
			     dev->is_mdev ? "create/remove" : "unbind/bind");
	cf_counts(dev, &after);
	cf_counts_compare(&before, &after, dev,
			  dev->is_mdev ? "create/remove cycles" : "unbind/bind cycles");
	cf_note("%u open/close and %u %s cycles, twice; slab objects %s", opens, creates,
		dev->is_mdev ? "create/remove" : "unbind/bind",
		slab ? "counted" : "not counted (a kernel with kmemleak, or no /proc/slabinfo)");
out_free:
	free(s);
}
