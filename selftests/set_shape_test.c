// SPDX-License-Identifier: GPL-2.0
/*
 * Each driver's device sets have the shape the driver promises, read from
 * the set_members file every driver of the suite has in its per-device
 * debugfs directory (the dev_name() of each device in the device's set,
 * one a line, read under the set lock):
 *  - every mtty, mdpy and mbochs device is alone in its set: a set shared
 *    by a parent's devices would serialise every open on the parent;
 *  - fsl_mc_stub objects share their container's set, and two containers'
 *    sets are apart;
 *  - pci_slot_stub functions share a set by slot or by bus, as vfio-pci
 *    would key them (the VM's topology, scripts/qemu-machine.sh).
 * A driver that is not loaded skips; one loaded without its test hooks
 * (no set_members) skips with that reason.
 */
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mdev_types.h"
#include "vfio_lib.h"

#define SET_MAX		16
#define FSL_MC		"/sys/devices/fsl_mc_stub/"

/**
 * struct set_names - the devices of one set
 * @n: how many
 * @name: their names, as set_members lists them
 */
struct set_names {
	int n;
	char name[SET_MAX][64];
};

/* @dev's set, from its debugfs set_members: 0, or -ENOENT without one. */
static int read_set(const char *dev, struct set_names *s)
{
	char pattern[PATH_MAX], buf[2048], *line, *save;
	glob_t g;
	int ret;

	memset(s, 0, sizeof(*s));
	snprintf(pattern, sizeof(pattern), "/sys/kernel/debug/*/%s/set_members", dev);
	if (glob(pattern, 0, NULL, &g))
		return -ENOENT;
	ret = g.gl_pathc == 1 ? __sysfs_read(g.gl_pathv[0], buf, sizeof(buf)) : -EEXIST;
	globfree(&g);
	if (ret)
		return ret;
	for (line = strtok_r(buf, "\n", &save); line && s->n < SET_MAX;
	     line = strtok_r(NULL, "\n", &save))
		snprintf(s->name[s->n++], sizeof(s->name[0]), "%s", line);
	return 0;
}

static bool set_has(const struct set_names *s, const char *name)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name))
			return true;
	return false;
}

/* ---- mdev parents: each device alone ---- */

FIXTURE(mdev_alone) {
	struct mdev_type_id t[2];
	char uuid[2][UUID_STR_LEN];
};

FIXTURE_VARIANT(mdev_alone) {
	const char *driver;
};

FIXTURE_VARIANT_ADD(mdev_alone, mtty) { .driver = "mtty" };
FIXTURE_VARIANT_ADD(mdev_alone, mdpy) { .driver = "mdpy" };
FIXTURE_VARIANT_ADD(mdev_alone, mbochs) { .driver = "mbochs" };

/*
 * Two devices of one parent of the driver: of one type when it has room
 * for two, else of two types.
 */
FIXTURE_SETUP(mdev_alone)
{
	struct mdev_type_id ids[MDEV_TYPES_MAX];
	int i, n, got = 0;

	n = mdev_list_types(ids, MDEV_TYPES_MAX);
	for (i = 0; i < n && got < 2; i++) {
		size_t len = strlen(variant->driver);

		if ((strncmp(ids[i].type, variant->driver, len) &&
		     strncmp(ids[i].parent, variant->driver, len)) ||
		    (got && strcmp(ids[i].parent, self->t[0].parent)))
			continue;
		self->t[got++] = ids[i];
		if (got == 1 && mdev_available(ids[i].parent, ids[i].type) >= 2)
			self->t[got++] = ids[i];
	}
	if (!got)
		SKIP(return, "%s is not loaded", variant->driver);
	ASSERT_EQ(2, got) {
		TH_LOG("%s's parent %s has room for one device", variant->driver,
		       self->t[0].parent);
	}
	for (i = 0; i < 2; i++)
		mdev_create(self->t[i].parent, self->t[i].type, self->uuid[i]);
}

FIXTURE_TEARDOWN(mdev_alone)
{
	int i;

	for (i = 0; i < 2; i++)
		if (self->uuid[i][0])
			__mdev_remove(self->uuid[i]);
}

TEST_F(mdev_alone, own_set)
{
	struct set_names s;
	int i, ret;

	for (i = 0; i < 2; i++) {
		ret = read_set(self->uuid[i], &s);
		if (ret == -ENOENT)
			SKIP(return, "%s has no set_members (no test hooks)",
			     variant->driver);
		ASSERT_EQ(0, ret);
		EXPECT_EQ(1, s.n) {
			TH_LOG("%s/%s %s shares its set with %d other device(s), first %s",
			       self->t[i].parent, self->t[i].type, self->uuid[i],
			       s.n - 1, strcmp(s.name[0], self->uuid[i]) ? s.name[0] :
			       s.name[1]);
		}
		EXPECT_TRUE(set_has(&s, self->uuid[i]));
	}
}

/* ---- fsl_mc_stub: a container's objects share its set ---- */

/* Two containers under the root one: "PARENT NAME" as FSL_MC "create" takes. */
static const char *const fsl_setup[] = {
	"dprc.1 dprc.80", "dprc.80 dpni.81", "dprc.80 dpio.82",
	"dprc.1 dprc.83", "dprc.83 dpni.84",
};

static const char *const fsl_teardown[] = {
	"dpni.84", "dprc.83", "dpio.82", "dpni.81", "dprc.80",
};

/* Whether @obj's parent (its container) is @cont. */
static bool fsl_in(const char *obj, const char *cont)
{
	char path[PATH_MAX], link[PATH_MAX], want[80];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/fsl_mc_stub/devices/%s", obj);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return false;
	link[n] = '\0';
	snprintf(want, sizeof(want), "/%s/%s", cont, obj);
	return strstr(link, want);
}

FIXTURE(fsl_sets) {
	bool made;
};

FIXTURE_SETUP(fsl_sets)
{
	unsigned int i;

	if (!path_exists(FSL_MC "create") ||
	    !path_exists("/sys/bus/fsl_mc_stub/drivers/vfio_fsl_mc_stub"))
		SKIP(return, "fsl_mc_stub and vfio_fsl_mc_stub are not loaded");
	self->made = true;
	for (i = 0; i < ARRAY_SIZE(fsl_setup); i++) {
		const char *spec = fsl_setup[i];

		ASSERT_EQ(0, __sysfs_write(FSL_MC "create", spec)) {
			TH_LOG("create %s", spec);
		}
	}
}

FIXTURE_TEARDOWN(fsl_sets)
{
	unsigned int i;

	for (i = 0; self->made && i < ARRAY_SIZE(fsl_teardown); i++)
		__sysfs_write(FSL_MC "destroy", fsl_teardown[i]);
}

TEST_F(fsl_sets, container_set)
{
	struct set_names a, b, c;
	int i, ret;

	ret = read_set("dpni.81", &a);
	if (ret == -ENOENT)
		SKIP(return, "vfio_fsl_mc_stub has no set_members (no test hooks)");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, read_set("dpio.82", &b));
	ASSERT_EQ(0, read_set("dpni.84", &c));
	/* Both objects of dprc.80 are in one set, and it is the same set. */
	EXPECT_TRUE(set_has(&a, "dpni.81") && set_has(&a, "dpio.82"));
	EXPECT_EQ(a.n, b.n);
	for (i = 0; i < a.n; i++) {
		EXPECT_TRUE(set_has(&b, a.name[i])) {
			TH_LOG("dpio.82's set lacks %s, which dpni.81's has", a.name[i]);
		}
		/* Nothing from outside dprc.80, nothing of the other container. */
		EXPECT_TRUE(!strcmp(a.name[i], "dprc.80") || fsl_in(a.name[i], "dprc.80")) {
			TH_LOG("dprc.80's set holds %s", a.name[i]);
		}
		EXPECT_FALSE(set_has(&c, a.name[i])) {
			TH_LOG("dprc.80's and dprc.83's sets share %s", a.name[i]);
		}
	}
	EXPECT_TRUE(set_has(&c, "dpni.84"));
}

/* ---- pci_slot_stub: by slot or by bus ---- */

/**
 * struct pss_shape - one function of the VM and the set it must be in
 * @dev: the function
 * @members: its set, every member
 */
struct pss_shape {
	const char *dev;
	const char *members[3];
};

/* scripts/qemu-machine.sh: a lone function, a slot, a bus, a slot of one. */
static const struct pss_shape pss_shapes[] = {
	{ "0000:00:10.0", { "0000:00:10.0" } },
	{ "0000:01:00.0", { "0000:01:00.0", "0000:01:00.1" } },
	{ "0000:01:00.1", { "0000:01:00.0", "0000:01:00.1" } },
	{ "0000:02:01.0", { "0000:02:01.0", "0000:02:02.0" } },
	{ "0000:02:02.0", { "0000:02:01.0", "0000:02:02.0" } },
	{ "0000:03:00.0", { "0000:03:00.0" } },
};

TEST(pss_slot_or_bus)
{
	char path[PATH_MAX];
	struct set_names s;
	unsigned int i, j, want;
	int ret;

	if (!path_exists("/sys/bus/pci/drivers/pci_slot_stub"))
		SKIP(return, "pci_slot_stub is not loaded");
	for (i = 0; i < ARRAY_SIZE(pss_shapes); i++) {
		const struct pss_shape *p = &pss_shapes[i];

		snprintf(path, sizeof(path), "/sys/bus/pci/drivers/pci_slot_stub/%s", p->dev);
		if (!path_exists(path))
			SKIP(return, "%s is not bound to pci_slot_stub: another machine", p->dev);
		ret = read_set(p->dev, &s);
		if (ret == -ENOENT)
			SKIP(return, "pci_slot_stub has no set_members (no test hooks)");
		ASSERT_EQ(0, ret);
		for (want = 0; want < ARRAY_SIZE(p->members) && p->members[want]; want++)
			EXPECT_TRUE(set_has(&s, p->members[want])) {
				TH_LOG("%s's set lacks %s", p->dev, p->members[want]);
			}
		EXPECT_EQ(want, (unsigned int)s.n) {
			for (j = 0; j < (unsigned int)s.n; j++)
				TH_LOG("%s's set: %s", p->dev, s.name[j]);
		}
	}
}

TEST_HARNESS_MAIN
