// SPDX-License-Identifier: GPL-2.0
/*
 * Walking the mdev types of the loaded parents. See mdev_types.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfio_lib.h"
#include "mdev_types.h"

static int mdev_type_cmp(const void *a, const void *b)
{
	const struct mdev_type_id *x = a, *y = b;
	int r = strcmp(x->parent, y->parent);

	return r ? r : strcmp(x->type, y->type);
}

/* Whether @want (a comma-separated list) names @t, or is empty. */
static bool mdev_type_wanted(const char *want, const struct mdev_type_id *t)
{
	char id[160], item[160];
	const char *p = want, *end;
	size_t len;

	if (!want || !*want)
		return true;
	snprintf(id, sizeof(id), "%s/%s", t->parent, t->type);
	for (; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ',');
		len = end - p;
		if (!len || len >= sizeof(item))
			continue;
		memcpy(item, p, len);
		item[len] = '\0';
		if (!strcmp(item, t->type) || !strcmp(item, t->parent) ||
		    !strcmp(item, id))
			return true;
	}
	return false;
}

int mdev_list_types(struct mdev_type_id *ids, int max)
{
	const char *want = getenv("VFIO_SUITE_TYPES");
	glob_t g;
	size_t i;
	int n = 0;

	if (glob("/sys/class/mdev_bus/*/mdev_supported_types/*", 0, NULL, &g))
		return 0;
	for (i = 0; i < g.gl_pathc && n < max; i++) {
		/* .../mdev_bus/PARENT/mdev_supported_types/TYPE */
		if (sscanf(g.gl_pathv[i],
			   "/sys/class/mdev_bus/%63[^/]/mdev_supported_types/%63s",
			   ids[n].parent, ids[n].type) == 2 &&
		    mdev_type_wanted(want, &ids[n]))
			n++;
	}
	globfree(&g);
	qsort(ids, n, sizeof(*ids), mdev_type_cmp);
	return n;
}

int __dev_counter(const char *dev_name, const char *name, long *val)
{
	char pattern[PATH_MAX];
	glob_t g;
	int ret;

	snprintf(pattern, sizeof(pattern), "/sys/kernel/debug/*/%s/%s",
		 dev_name, name);
	if (glob(pattern, 0, NULL, &g))
		return -ENOENT;
	ret = g.gl_pathc == 1 ? __sysfs_read_long(g.gl_pathv[0], val) : -EEXIST;
	globfree(&g);
	return ret;
}

long dev_counter(const char *dev_name, const char *name)
{
	long val = 0;

	VFIO_LIB_CHECK(__dev_counter(dev_name, name, &val), name);
	return val;
}

int mdev_list_parents(struct mdev_type_id *ids, int max)
{
	int i, n, kept = 0;

	n = mdev_list_types(ids, max);
	for (i = 0; i < n; i++) {
		if (kept && !strcmp(ids[kept - 1].parent, ids[i].parent))
			continue;
		ids[kept++] = ids[i];
	}
	return kept;
}

int mdev_list_types_to_start(struct mdev_type_id *ids, int max)
{
	return suite_slow() ? mdev_list_parents(ids, max) :
			      mdev_list_types(ids, max);
}
