// SPDX-License-Identifier: GPL-2.0
/*
 * Find every VFIO device the suite's drivers offer. See vfio_discover.h.
 */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mdev_types.h"
#include "vfio_discover.h"

#define FSL_MC	"/sys/devices/fsl_mc_stub/"

/*
 * The suite's non-mdev VFIO drivers. fsl_mc_stub starts with only its root
 * container, so a run adds a child container holding two objects (they
 * land in one device set with it); '#' in a spawn write is replaced by a
 * number unique to that spawn.
 */
const struct vfio_suite_driver vfio_suite_drivers[] = {
	{
		.name = "fsl_mc_stub",
		.bus = "fsl_mc_stub",
		.driver = "vfio_fsl_mc_stub",
		.debugfs = "fsl_mc_stub",
		.setup = {
			{ FSL_MC "create", "dprc.1 dprc.90" },
			{ FSL_MC "create", "dprc.90 dpni.91" },
			{ FSL_MC "create", "dprc.90 dpio.92" },
		},
		.teardown = {
			{ FSL_MC "destroy", "dpio.92" },
			{ FSL_MC "destroy", "dpni.91" },
			{ FSL_MC "destroy", "dprc.90" },
		},
		.spawn = {
			{ FSL_MC "create", "dprc.1 dprc.#0" },
			{ FSL_MC "create", "dprc.#0 dpni.#1" },
		},
		.unspawn = {
			{ FSL_MC "destroy", "dpni.#1" },
			{ FSL_MC "destroy", "dprc.#0" },
		},
		.spawn_dev = "dpni.#1",
	},
	{
		.name = "pci_slot_stub",
		.bus = "pci",
		.driver = "pci_slot_stub",
		.debugfs = "pci_slot_stub",
		.rebind = true,
		/*
		 * No no_write ranges: the driver itself refuses writes to
		 * edu's DMA registers (which would abort QEMU) and maps their
		 * page read-only, so random writes must reach them here.
		 */
	},
};

const unsigned int vfio_suite_nr_drivers = ARRAY_SIZE(vfio_suite_drivers);

void vfio_suite_expand(const char *tmpl, const char *arg, char *out, size_t len)
{
	size_t n = 0;

	for (; *tmpl && n + 1 < len; tmpl++) {
		if (*tmpl == '#' && arg)
			n += snprintf(out + n, len - n, "%s", arg);
		else
			out[n++] = *tmpl;
	}
	out[n < len ? n : len - 1] = '\0';
}

int vfio_suite_run_ops(const struct vfio_sysfs_op *ops, const char *arg)
{
	int i, ret, first = 0;
	char val[256];

	for (i = 0; i < VFIO_SUITE_MAX_OPS && ops[i].path; i++) {
		vfio_suite_expand(ops[i].val, arg, val, sizeof(val));
		ret = __sysfs_write(ops[i].path, val);
		if (ret && !first)
			first = ret;
	}
	return first;
}

/* The basename of the symlink @dir/@link into @out, or "" on error. */
static void link_basename(const char *dir, const char *link, char *out,
			  size_t len)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s", dir, link);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return;
	target[n] = '\0';
	snprintf(out, len, "%s", basename(target));
}

int vfio_found_resolve(struct vfio_found *f)
{
	char drvdir[PATH_MAX], drv[64], name[64];
	const char *debugfs_dir;

	if (f->is_mdev)
		snprintf(f->sysfs, sizeof(f->sysfs), "/sys/bus/mdev/devices/%.40s",
			 f->uuid);
	if (!path_exists(f->sysfs))
		return -ENODEV;

	link_basename(f->sysfs, "driver", drv, sizeof(drv));
	snprintf(drvdir, sizeof(drvdir), "%s/driver", f->sysfs);
	link_basename(drvdir, "module", f->module, sizeof(f->module));

	snprintf(name, sizeof(name), "%s", f->is_mdev ? f->uuid : basename(f->sysfs));
	debugfs_dir = f->drv ? f->drv->debugfs : drv;
	snprintf(f->debugfs, sizeof(f->debugfs), "/sys/kernel/debug/%.60s/%.60s",
		 debugfs_dir, name);
	if (!path_exists(f->debugfs))
		f->debugfs[0] = '\0';
	return 0;
}

int vfio_found_create(struct vfio_found *f)
{
	int ret;

	if (!f->uuid[0])
		uuid_generate_random_str(f->uuid);
	ret = __mdev_create(f->parent, f->type, f->uuid);
	if (ret) {
		f->uuid[0] = '\0';
		return ret;
	}
	return vfio_found_resolve(f);
}

int vfio_found_sysfs(struct vfio_found *f, const char *sysfs)
{
	char drv[64], path[PATH_MAX];
	unsigned int r;

	memset(f, 0, sizeof(*f));
	snprintf(f->sysfs, sizeof(f->sysfs), "%s", sysfs);
	snprintf(path, sizeof(path), "%s/iommu_group", sysfs);
	if (!path_exists(path))
		return -ENODEV;
	link_basename(sysfs, "driver", drv, sizeof(drv));
	if (!drv[0])
		return -ENODEV;
	for (r = 0; r < vfio_suite_nr_drivers; r++)
		if (!strcmp(vfio_suite_drivers[r].driver, drv))
			f->drv = &vfio_suite_drivers[r];
	snprintf(f->source, sizeof(f->source), "%s", drv);
	snprintf(f->label, sizeof(f->label), "%.60s/%.60s", drv,
		 strrchr(f->sysfs, '/') + 1);
	return vfio_found_resolve(f);
}

long vfio_found_counter(const struct vfio_found *f, const char *name)
{
	char path[PATH_MAX];
	long val;

	if (!f->debugfs[0])
		return -1;
	snprintf(path, sizeof(path), "%s/%s", f->debugfs, name);
	return __sysfs_read_long(path, &val) ? -1 : val;
}

static int entry_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int no_dots(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Every type of every mdev parent, in name order (lib/mdev_types). */
static int discover_mdev(struct vfio_found *found, int n, int max,
			 const char *filter)
{
	struct mdev_type_id ids[MDEV_TYPES_MAX];
	int nt, i;

	nt = mdev_list_types(ids, MDEV_TYPES_MAX);
	for (i = 0; i < nt && n < max; i++) {
		struct vfio_found *f = &found[n];

		if (filter && !strstr(ids[i].parent, filter))
			continue;
		memset(f, 0, sizeof(*f));
		f->is_mdev = true;
		snprintf(f->source, sizeof(f->source), "%.60s", ids[i].parent);
		snprintf(f->parent, sizeof(f->parent), "%.60s", ids[i].parent);
		snprintf(f->type, sizeof(f->type), "%.60s", ids[i].type);
		snprintf(f->label, sizeof(f->label), "%.60s/%.60s", ids[i].parent,
			 ids[i].type);
		n++;
	}
	return n;
}

/* Every device bound to a row's driver that has an IOMMU group. */
static int discover_bound(struct vfio_found *found, int n, int max,
			  const char *filter)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent **ents;
	unsigned int r;
	int ne, i;

	for (r = 0; r < vfio_suite_nr_drivers; r++) {
		const struct vfio_suite_driver *drv = &vfio_suite_drivers[r];

		if (filter && !strstr(drv->name, filter))
			continue;
		snprintf(dir, sizeof(dir), "/sys/bus/%s/drivers/%s", drv->bus,
			 drv->driver);
		ne = scandir(dir, &ents, no_dots, entry_cmp);
		for (i = 0; i < ne; i++) {
			struct vfio_found *f = &found[n];

			snprintf(path, sizeof(path), "%.200s/%.60s/iommu_group", dir,
				 ents[i]->d_name);
			if (n < max && path_exists(path)) {
				memset(f, 0, sizeof(*f));
				f->drv = drv;
				snprintf(f->source, sizeof(f->source), "%s", drv->name);
				snprintf(f->label, sizeof(f->label), "%.40s/%.60s",
					 drv->name, ents[i]->d_name);
				snprintf(f->sysfs, sizeof(f->sysfs), "/sys/bus/%.40s/devices/%.60s",
					 drv->bus, ents[i]->d_name);
				if (!vfio_found_resolve(f))
					n++;
			}
			free(ents[i]);
		}
		if (ne >= 0)
			free(ents);
	}
	return n;
}

int vfio_discover(struct vfio_found *found, int max, const char *filter)
{
	int n = discover_mdev(found, 0, max, filter);

	return discover_bound(found, n, max, filter);
}
