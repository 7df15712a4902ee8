// SPDX-License-Identifier: GPL-2.0
/*
 * pci_slot_stub: device sets keyed like vfio-pci's, hot reset, reset on last
 * close, the request path, and bad input, on the PCI topology that
 * scripts/qemu-machine.sh gives the test VM (see
 * Documentation/pci_slot_stub.rst). A place that is absent, e.g. on a real
 * host, is skipped.
 *
 * Resets are seen through the MSI Message Data register: QEMU clears it on
 * any reset, Linux restores it only for MSI the kernel enabled, and the stub
 * lets the user write it. edu's own MMIO registers survive resets.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <linux/pci_regs.h>

#include "kselftest_harness.h"
#include "vfio_lib.h"
#include "vfio_cdev.h"
#include "pci_slot_stub/pss_defs.h"

#define PSS_DRIVER	"/sys/bus/pci/drivers/pci_slot_stub"
#define PSS_MAX_DEVS	8
#define PSS_MSI_MAGIC	0xbeef

/* ---- sysfs, debugfs and config helpers ---- */

struct pss_names {
	int n;
	char name[PSS_MAX_DEVS][16];
};

static int pss_bound(const char *dev)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", dev);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return 0;
	link[n] = '\0';
	return !strcmp(basename(link), "pci_slot_stub");
}

static long pss_id(const char *dev, const char *attr)
{
	char path[PATH_MAX];
	long val;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", dev, attr);
	return __sysfs_read_long(path, &val) ? -1 : val;
}

/*
 * The tests assume the VM's topology: a place counts only if the function
 * there is an edu bound to us, so a real host's devices are never touched.
 */
static int pss_is_our_edu(const char *dev)
{
	return pss_id(dev, "vendor") == PSS_EDU_VENDOR &&
	       pss_id(dev, "device") == PSS_EDU_DEVICE && pss_bound(dev);
}

static long pss_counter(const char *dev, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s/%s",
		 PSS_DEBUGFS_DIR, dev, name);
	return sysfs_read_long(path);
}

static void pss_debugfs_str(const char *dev, const char *name, char *buf,
			    size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s/%s",
		 PSS_DEBUGFS_DIR, dev, name);
	VFIO_LIB_CHECK(__sysfs_read(path, buf, len), path);
}

static int pss_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void pss_names_add(struct pss_names *s, const char *name)
{
	if (s->n == PSS_MAX_DEVS)
		vfio_lib_fail("more than %d devices", PSS_MAX_DEVS);
	snprintf(s->name[s->n++], sizeof(s->name[0]), "%s", name);
	qsort(s->name, s->n, sizeof(s->name[0]), pss_cmp);
}

/* Every PCI function whose name starts with @prefix. */
static void pss_names_by_prefix(struct pss_names *s, const char *prefix)
{
	struct dirent *de;
	DIR *d = opendir("/sys/bus/pci/devices");

	memset(s, 0, sizeof(*s));
	if (!d)
		vfio_lib_fail("opendir /sys/bus/pci/devices");
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, prefix, strlen(prefix)))
			pss_names_add(s, de->d_name);
	closedir(d);
}

/* The pci_slot whose address is @dev's "DDDD:BB:SS", or 0 if none. */
static int pss_sysfs_slot_of(const char *dev, char *slot, size_t len)
{
	char path[PATH_MAX], addr[32];
	struct dirent *de;
	DIR *d = opendir("/sys/bus/pci/slots");
	int found = 0;

	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/slots/%s/address",
			 de->d_name);
		if (__sysfs_read(path, addr, sizeof(addr)) < 0)
			continue;
		addr[strcspn(addr, "\n")] = '\0';
		if (!strncmp(addr, dev, 10) && strlen(addr) == 10) {
			snprintf(slot, len, "%s", de->d_name);
			found = 1;
		}
	}
	closedir(d);
	return found;
}

/*
 * What sysfs says a set (or a reset scope) of @kind holds: the function
 * alone, every function of its slot, or every function on its bus.
 */
static void pss_sysfs_members(const char *dev, const char *kind,
			      struct pss_names *s)
{
	char prefix[16], slot[NAME_MAX + 1];

	memset(s, 0, sizeof(*s));
	if (!strcmp(kind, "alone")) {
		pss_names_add(s, dev);
	} else if (!strcmp(kind, "slot")) {
		if (!pss_sysfs_slot_of(dev, slot, sizeof(slot)))
			vfio_lib_fail("%s: no pci_slot in sysfs", dev);
		snprintf(prefix, sizeof(prefix), "%.10s.", dev);
		pss_names_by_prefix(s, prefix);
	} else {
		snprintf(prefix, sizeof(prefix), "%.8s", dev);
		pss_names_by_prefix(s, prefix);
	}
}

static void pss_debugfs_members(const char *dev, struct pss_names *s)
{
	char buf[512], *line, *save;

	memset(s, 0, sizeof(*s));
	pss_debugfs_str(dev, "set_members", buf, sizeof(buf));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		pss_names_add(s, line);
}

static long pss_group_id(const char *dev)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group",
		 dev);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = '\0';
	return strtol(basename(link), NULL, 10);
}

static void pss_dev_init(struct vfio_dev *vd)
{
	vd->fd = -1;
	vd->group = -1;
	vd->container = -1;
}

/* One 32-bit load from a mapped BAR; edu answers 32-bit accesses only. */
static __u32 pss_mmio_read(const void *map)
{
	__u32 v;

	__atomic_load((__u32 *)map, &v, __ATOMIC_RELAXED);
	return v;
}

static int __pss_open(const char *dev, struct vfio_dev *vd)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", dev);
	return __vfio_dev_open(path, vd);
}

static void pss_open(const char *dev, struct vfio_dev *vd)
{
	VFIO_LIB_CHECK(__pss_open(dev, vd), dev);
}

/*
 * Can VFIO open @dev's group? With a real IOMMU a group may also hold a
 * device bound to another driver (the PCI-PCI bridge, bound to shpchp, is
 * in the group of the functions behind it); then no function of it opens.
 */
static int pss_group_viable(const char *dev)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	long group = pss_group_id(dev);
	char path[64];
	int fd, ok;

	if (group < 0)
		return 0;
	snprintf(path, sizeof(path), "/dev/vfio/%ld", group);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return 0;
	ok = !ioctl(fd, VFIO_GROUP_GET_STATUS, &status) &&
	     (status.flags & VFIO_GROUP_FLAGS_VIABLE);
	close(fd);
	return ok;
}

/* Offset of the MSI Message Data register, found through VFIO. */
static unsigned int pss_msi_data(int fd)
{
	unsigned int pos = vfio_cfg_read(fd, PCI_CAPABILITY_LIST, 1);

	while (pos) {
		if (vfio_cfg_read(fd, pos, 1) == PCI_CAP_ID_MSI)
			return pos + (vfio_cfg_read(fd, pos + PCI_MSI_FLAGS, 2) &
				      PCI_MSI_FLAGS_64BIT ?
				      PCI_MSI_DATA_64 : PCI_MSI_DATA_32);
		pos = vfio_cfg_read(fd, pos + 1, 1);
	}
	vfio_lib_fail("no MSI capability");
}

static void pss_mark(int fd)
{
	vfio_cfg_write(fd, pss_msi_data(fd), PSS_MSI_MAGIC, 2);
}

static __u32 pss_mark_of(int fd)
{
	return vfio_cfg_read(fd, pss_msi_data(fd), 2);
}

/* ---- hot reset ioctls ---- */

static int pss_get_reset_info(int fd, struct vfio_pci_hot_reset_info *info,
			      unsigned int entries)
{
	info->argsz = sizeof(*info) + entries * sizeof(info->devices[0]);
	info->flags = 0;
	info->count = 0;
	return ioctl(fd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, info) ? -errno : 0;
}

static int pss_do_hot_reset(int fd, const int *groups, unsigned int n,
			    __u32 flags)
{
	struct {
		struct vfio_pci_hot_reset hdr;
		__s32 fds[PSS_MAX_DEVS];
	} arg = {};

	arg.hdr.argsz = sizeof(arg.hdr) + n * sizeof(__s32);
	arg.hdr.flags = flags;
	arg.hdr.count = n;
	if (n)
		memcpy(arg.fds, groups, n * sizeof(*groups));
	return ioctl(fd, VFIO_DEVICE_PCI_HOT_RESET, &arg) ? -errno : 0;
}

/* ---- fixture: one place in the topology ---- */

FIXTURE(pss) {
	struct pss_names members;	/* what sysfs says the set holds */
	struct vfio_dev dev[PSS_MAX_DEVS];
};

FIXTURE_VARIANT(pss) {
	const char *dev;	/* the function the test starts from */
	const char *kind;	/* expected set_kind */
	const char *scope;	/* what a hot reset covers: none/slot/bus */
	int members;		/* expected set size */
	int func_reset;		/* has a function reset */
};

/* Root bus: a set of its own, and no slot or bus to reset. */
FIXTURE_VARIANT_ADD(pss, root_bus) {
	.dev = "0000:00:10.0", .kind = "alone", .scope = "none",
	.members = 1,
};

/* Two functions in one pciehp slot: the slot's set. */
FIXTURE_VARIANT_ADD(pss, slot_multifunction) {
	.dev = "0000:01:00.0", .kind = "slot", .scope = "slot",
	.members = 2,
};

/* Two devices behind a PCI-PCI bridge whose slots can't reset: the bus. */
FIXTURE_VARIANT_ADD(pss, bridge_bus) {
	.dev = "0000:02:01.0", .kind = "bus", .scope = "bus",
	.members = 2,
};

/* One function alone in a pciehp slot: its function reset is the slot's. */
FIXTURE_VARIANT_ADD(pss, slot_single) {
	.dev = "0000:03:00.0", .kind = "slot", .scope = "slot",
	.members = 1, .func_reset = 1,
};

FIXTURE_SETUP(pss)
{
	int i;

	for (i = 0; i < PSS_MAX_DEVS; i++)
		pss_dev_init(&self->dev[i]);
	if (!path_exists(PSS_DRIVER))
		SKIP(return, "pci_slot_stub is not loaded");
	if (!pss_is_our_edu(variant->dev))
		SKIP(return, "%s is not an edu bound to pci_slot_stub",
		     variant->dev);
	pss_sysfs_members(variant->dev, variant->kind, &self->members);
	for (i = 0; i < self->members.n; i++) {
		if (!pss_is_our_edu(self->members.name[i]))
			SKIP(return, "%s is not bound to pci_slot_stub",
			     self->members.name[i]);
		if (!pss_group_viable(self->members.name[i]))
			SKIP(return, "%s: its IOMMU group holds a device of another driver",
			     self->members.name[i]);
	}
}

FIXTURE_TEARDOWN(pss)
{
	int i;

	for (i = 0; i < PSS_MAX_DEVS; i++)
		if (self->dev[i].fd >= 0 || self->dev[i].group >= 0)
			vfio_dev_close(&self->dev[i]);
}

/* The member before @i that opened @i's IOMMU group, or -1. */
static int pss_group_owner(const struct pss_names *members,
			   const struct vfio_dev *dev, int i)
{
	long group = pss_group_id(members->name[i]);

	for (int j = 0; j < i; j++)
		if (dev[j].group >= 0 &&
		    pss_group_id(members->name[j]) == group)
			return j;
	return -1;
}

/* A device fd for member @i, from the open group fd @group. */
static void pss_open_in_group(const struct pss_names *members,
			      struct vfio_dev *dev, int i, int group)
{
	snprintf(dev[i].name, sizeof(dev[i].name), "%s", members->name[i]);
	dev[i].fd = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, dev[i].name);
	VFIO_LIB_CHECK(dev[i].fd < 0 ? -errno : 0, dev[i].name);
}

/*
 * Open every member. Members that share an IOMMU group (with a real
 * IOMMU, the functions of a multi-function device without ACS do) share
 * the first one's opening of it, as a group opens once: the others get a
 * device fd only (group and container -1).
 */
static void pss_open_all(const struct pss_names *members,
			 struct vfio_dev *dev)
{
	int i, owner;

	for (i = 0; i < members->n; i++) {
		owner = pss_group_owner(members, dev, i);
		if (owner < 0)
			pss_open(members->name[i], &dev[i]);
		else
			pss_open_in_group(members, dev, i, dev[owner].group);
	}
}

/* Close member @i's device fd only, and open it again. */
static void pss_reopen_fd(const struct pss_names *members,
			  struct vfio_dev *dev, int i)
{
	int owner = dev[i].group >= 0 ? i : pss_group_owner(members, dev, i);

	close(dev[i].fd);
	dev[i].fd = -1;
	pss_open_in_group(members, dev, i, dev[owner].group);
}

/* The open members' group fds, each group once: what a hot reset needs. */
static int pss_group_fds(const struct pss_names *members,
			 const struct vfio_dev *dev, int *fds)
{
	int n = 0;

	for (int i = 0; i < members->n; i++)
		if (dev[i].group >= 0)
			fds[n++] = dev[i].group;
	return n;
}

/*
 * The set the driver made is the one sysfs predicts for this place, and
 * its key (set_kind, read back from the set's own set_id) is the slot or
 * bus vfio-pci would choose: a slot's functions sit on a bus of their own
 * here, so keying them by the bus would give the same members, and only
 * the key tells the two apart.
 */
TEST_F(pss, set_membership)
{
	struct pss_names got;
	char kind[16];
	int i;

	ASSERT_EQ(variant->members, self->members.n);
	for (i = 0; i < self->members.n; i++) {
		const char *dev = self->members.name[i];

		pss_debugfs_str(dev, "set_kind", kind, sizeof(kind));
		kind[strcspn(kind, "\n")] = '\0';
		EXPECT_STREQ(variant->kind, kind);

		pss_debugfs_members(dev, &got);
		ASSERT_EQ(self->members.n, got.n);
		for (int j = 0; j < got.n; j++)
			EXPECT_STREQ(self->members.name[j], got.name[j]);
		/* Each function has its own emulated group. */
		EXPECT_LE(0, pss_group_id(dev));
	}
}

/* The info lists what sysfs says the reset covers; small buffers get ENOSPC. */
TEST_F(pss, hot_reset_info)
{
	struct vfio_pci_hot_reset_info *info;
	struct pss_names scope;
	int i;

	info = calloc(1, sizeof(*info) + PSS_MAX_DEVS * sizeof(info->devices[0]));
	ASSERT_NE(NULL, info);
	pss_open(variant->dev, &self->dev[0]);

	if (!strcmp(variant->scope, "none")) {
		EXPECT_EQ(-ENODEV, pss_get_reset_info(self->dev[0].fd, info,
						      PSS_MAX_DEVS));
		free(info);
		return;
	}

	pss_sysfs_members(variant->dev, variant->scope, &scope);
	/* No room at all, then one entry short: ENOSPC and the count. */
	ASSERT_EQ(-ENOSPC, pss_get_reset_info(self->dev[0].fd, info, 0));
	EXPECT_EQ(scope.n, info->count);
	ASSERT_EQ(-ENOSPC, pss_get_reset_info(self->dev[0].fd, info,
					      scope.n - 1));
	EXPECT_EQ(scope.n, info->count);

	ASSERT_EQ(0, pss_get_reset_info(self->dev[0].fd, info, scope.n));
	ASSERT_EQ(scope.n, info->count);
	EXPECT_EQ(0, info->flags);
	for (i = 0; i < scope.n; i++) {
		char name[16];

		snprintf(name, sizeof(name), "%04x:%02x:%02x.%x",
			 info->devices[i].segment, info->devices[i].bus,
			 info->devices[i].devfn >> 3,
			 info->devices[i].devfn & 7);
		EXPECT_STREQ(scope.name[i], name);
		EXPECT_EQ(pss_group_id(name), info->devices[i].group_id);
	}
	free(info);
}

/* Another process holds a member: the caller can't own it, so EINVAL. */
TEST_F(pss, hot_reset_refused_when_member_held)
{
	int ready[2], done[2], status;
	long before;
	pid_t pid;
	char c;

	if (self->members.n < 2)
		SKIP(return, "the set has a single member");
	if (pss_group_id(self->members.name[0]) ==
	    pss_group_id(self->members.name[1]))
		SKIP(return, "the members share an IOMMU group: a holder of one holds both");

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(done));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct vfio_dev held;

		close(ready[0]);
		close(done[1]);
		pss_open(self->members.name[1], &held);
		if (write(ready[1], "r", 1) != 1 || read(done[0], &c, 1) != 1)
			_exit(1);
		vfio_dev_close(&held);
		_exit(0);
	}
	/* A child that fails closes its ends: no read here can hang. */
	close(ready[1]);
	close(done[0]);
	ASSERT_EQ(1, read(ready[0], &c, 1));

	before = pss_counter(self->members.name[0], "hot_reset_count");
	pss_open(self->members.name[0], &self->dev[0]);
	/* The holder's group can't be opened a second time... */
	EXPECT_EQ(-EBUSY, __pss_open(self->members.name[1], &self->dev[1]));
	/* ...so the caller can only offer its own group. */
	EXPECT_EQ(-EINVAL, pss_do_hot_reset(self->dev[0].fd,
					    &self->dev[0].group, 1, 0));
	EXPECT_EQ(before, pss_counter(self->members.name[0], "hot_reset_count"));

	ASSERT_EQ(1, write(done[1], "d", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
}

/* The caller owns every member but passes too few or wrong fds. */
TEST_F(pss, hot_reset_refused_without_every_group)
{
	int groups[PSS_MAX_DEVS], bad[2], n;
	long before;

	if (!strcmp(variant->scope, "none"))
		SKIP(return, "no slot or bus reset here");
	pss_open_all(&self->members, self->dev);
	n = pss_group_fds(&self->members, self->dev, groups);
	before = pss_counter(variant->dev, "hot_reset_count");

	/* One group short. */
	if (n > 1) {
		EXPECT_EQ(-EINVAL, pss_do_hot_reset(self->dev[0].fd, groups,
						    n - 1, 0));
	}
	/* A container fd is not a group fd. */
	bad[0] = self->dev[0].container;
	EXPECT_EQ(-EINVAL, pss_do_hot_reset(self->dev[0].fd, bad, 1, 0));
	/* A closed fd. */
	bad[0] = 1000;
	EXPECT_EQ(-EBADF, pss_do_hot_reset(self->dev[0].fd, bad, 1, 0));

	EXPECT_EQ(before, pss_counter(variant->dev, "hot_reset_count"));
}

/* Owning every member resets them all; the reset is seen on the device. */
TEST_F(pss, hot_reset_allowed_when_all_owned)
{
	int groups[PSS_MAX_DEVS], i, last, n;
	long before[PSS_MAX_DEVS], faults;
	struct vfio_region_info bar0;
	void *map;

	pss_open_all(&self->members, self->dev);
	n = pss_group_fds(&self->members, self->dev, groups);
	for (i = 0; i < self->members.n; i++) {
		before[i] = pss_counter(self->members.name[i],
					"hot_reset_count");
		pss_mark(self->dev[i].fd);
		ASSERT_EQ(PSS_MSI_MAGIC, pss_mark_of(self->dev[i].fd));
	}

	if (!strcmp(variant->scope, "none")) {
		EXPECT_EQ(-ENODEV, pss_do_hot_reset(self->dev[0].fd, groups,
						    n, 0));
		EXPECT_EQ(PSS_MSI_MAGIC, pss_mark_of(self->dev[0].fd));
		return;
	}

	/*
	 * A mapped BAR is not touched during the reset: its page is zapped
	 * first, and the next access faults it back in.
	 */
	vfio_region_info(self->dev[0].fd, VFIO_PCI_BAR0_REGION_INDEX, &bar0);
	ASSERT_TRUE(bar0.flags & VFIO_REGION_INFO_FLAG_MMAP);
	map = mmap(NULL, getpagesize(), PROT_READ, MAP_SHARED,
		   self->dev[0].fd, bar0.offset);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(0x010000ed, pss_mmio_read(map));
	faults = pss_counter(self->members.name[0], "bar_fault_count");
	EXPECT_EQ(0x010000ed, pss_mmio_read(map));
	EXPECT_EQ(faults, pss_counter(self->members.name[0], "bar_fault_count"));

	/* Any member's fd will do; use the last one's. */
	last = self->members.n - 1;
	ASSERT_EQ(0, pss_do_hot_reset(self->dev[last].fd, groups, n, 0));
	for (i = 0; i < self->members.n; i++) {
		EXPECT_EQ(0, pss_mark_of(self->dev[i].fd));
		EXPECT_EQ(before[i] + 1, pss_counter(self->members.name[i],
						     "hot_reset_count"));
	}
	/* The reset zapped the page: the next access faults it back. */
	EXPECT_EQ(0x010000ed, pss_mmio_read(map));
	EXPECT_EQ(faults + 1, pss_counter(self->members.name[0],
					  "bar_fault_count"));
	ASSERT_EQ(0, munmap(map, getpagesize()));
}

/* Open member @dev through its cdev and bind it to @iommufd. */
static int pss_cdev_open(const char *dev, int iommufd)
{
	char sysfs[PATH_MAX];
	int fd, ret;

	snprintf(sysfs, sizeof(sysfs), "/sys/bus/pci/devices/%s", dev);
	fd = __vfio_cdev_open(sysfs);
	if (fd < 0)
		return fd;
	ret = __vfio_cdev_bind(fd, iommufd);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

/* Does the machine have an IOMMU of its own (QEMU's intel-iommu)? */
static int pss_real_iommu(void)
{
	DIR *d = opendir("/sys/class/iommu");
	struct dirent *de;
	int found = 0;

	while (d && !found && (de = readdir(d)))
		found = de->d_name[0] != '.';
	if (d)
		closedir(d);
	return found;
}

/*
 * Through the device cdev, ownership is the iommufd context: the info
 * reports device ids instead of groups, a hot reset takes no fds, and a
 * member bound to another context is not owned. A function registered
 * with an emulated IOMMU has no iommufd device id, so nothing can prove
 * it owned: without an IOMMU the info says "not owned" and a cdev hot
 * reset is refused.
 */
TEST_F(pss, hot_reset_cdev)
{
	struct vfio_pci_hot_reset_info *info;
	int fds[PSS_MAX_DEVS], ictx, other = -1, i, n = self->members.n;
	char path[PATH_MAX], sysfs[PATH_MAX];
	int owned = pss_real_iommu();

	if (!strcmp(variant->scope, "none"))
		SKIP(return, "no slot or bus reset here");
	snprintf(sysfs, sizeof(sysfs), "/sys/bus/pci/devices/%s", variant->dev);
	if (__vfio_cdev_path(sysfs, path, sizeof(path)) || !path_exists(path) ||
	    !path_exists("/dev/iommu"))
		SKIP(return, "no VFIO device cdev or no iommufd on this kernel");

	info = calloc(1, sizeof(*info) + PSS_MAX_DEVS * sizeof(info->devices[0]));
	ASSERT_NE(NULL, info);
	ictx = __iommufd_open();
	ASSERT_LE(0, ictx);
	for (i = 0; i < n; i++) {
		fds[i] = pss_cdev_open(self->members.name[i], ictx);
		ASSERT_LE(0, fds[i]);
		pss_mark(fds[i]);
	}

	ASSERT_EQ(0, pss_get_reset_info(fds[0], info, PSS_MAX_DEVS));
	ASSERT_EQ(n, info->count);
	EXPECT_EQ(VFIO_PCI_HOT_RESET_FLAG_DEV_ID |
		  (owned ? VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED : 0),
		  info->flags);
	/* An owned member's id is positive; one not owned reads -1. */
	for (i = 0; i < n; i++) {
		__s32 devid = info->devices[i].devid;

		EXPECT_EQ(owned, devid > 0 ? 1 :
			  devid == VFIO_PCI_DEVID_NOT_OWNED ? 0 : -1);
	}

	/* A cdev caller passes no group fds... */
	EXPECT_EQ(-EINVAL, pss_do_hot_reset(fds[0], &fds[0], 1, 0));
	/* ...and owns every member through its context, if anything can. */
	EXPECT_EQ(owned ? 0 : -EINVAL,
		  pss_do_hot_reset(fds[n - 1], NULL, 0, 0));
	for (i = 0; i < n; i++)
		EXPECT_EQ(owned ? 0 : PSS_MSI_MAGIC, pss_mark_of(fds[i]));

	/*
	 * A member bound to another context is not owned. (A member that
	 * shares the first one's group cannot be bound to another context:
	 * the group belongs to one.)
	 */
	if (owned && n > 1 && pss_group_id(self->members.name[0]) !=
			      pss_group_id(self->members.name[n - 1])) {
		close(fds[n - 1]);
		other = __iommufd_open();
		ASSERT_LE(0, other);
		fds[n - 1] = pss_cdev_open(self->members.name[n - 1], other);
		ASSERT_LE(0, fds[n - 1]);
		ASSERT_EQ(0, pss_get_reset_info(fds[0], info, PSS_MAX_DEVS));
		EXPECT_EQ(VFIO_PCI_HOT_RESET_FLAG_DEV_ID, info->flags);
		EXPECT_EQ(VFIO_PCI_DEVID_NOT_OWNED,
			  (__s32)info->devices[n - 1].devid);
		EXPECT_EQ(-EINVAL, pss_do_hot_reset(fds[0], NULL, 0, 0));
	}

	for (i = 0; i < n; i++)
		close(fds[i]);
	if (other >= 0)
		close(other);
	close(ictx);
	free(info);
}

/* The set is reset when its last open member closes, and only then. */
TEST_F(pss, reset_on_last_close)
{
	long set_before, func_before, member_before[PSS_MAX_DEVS];
	const char *a = variant->dev;
	__u32 want;

	/*
	 * Each member's own count: they differ once a member has been
	 * rebound (its counters restart), e.g. by an earlier run of the
	 * global tests in the same VM.
	 */
	for (int i = 0; i < self->members.n; i++)
		member_before[i] = pss_counter(self->members.name[i],
					       "set_reset_count");
	set_before = pss_counter(a, "set_reset_count");
	func_before = pss_counter(a, "func_reset_count");
	pss_open_all(&self->members, self->dev);
	for (int i = 0; i < self->members.n; i++)
		pss_mark(self->dev[i].fd);

	if (self->members.n > 1) {
		/*
		 * Closing one member while another is open resets nothing
		 * (the device closes with its fd; its group stays open).
		 */
		pss_reopen_fd(&self->members, self->dev, 0);
		EXPECT_EQ(set_before, pss_counter(a, "set_reset_count"));
		EXPECT_EQ(PSS_MSI_MAGIC, pss_mark_of(self->dev[0].fd));
	}

	for (int i = 0; i < self->members.n; i++)
		vfio_dev_close(&self->dev[i]);

	if (variant->func_reset) {
		/* A function reset covers it, so the set needs no reset. */
		EXPECT_EQ(set_before, pss_counter(a, "set_reset_count"));
		EXPECT_LT(func_before, pss_counter(a, "func_reset_count"));
	} else if (!strcmp(variant->scope, "none")) {
		/* Nothing can reset it: the mark survives. */
		EXPECT_EQ(set_before, pss_counter(a, "set_reset_count"));
	} else {
		for (int i = 0; i < self->members.n; i++)
			EXPECT_EQ(member_before[i] + 1,
				  pss_counter(self->members.name[i],
					      "set_reset_count"));
	}

	/* Only a place with no reset at all keeps the mark. */
	want = strcmp(variant->scope, "none") ? 0 : PSS_MSI_MAGIC;
	pss_open(a, &self->dev[0]);
	EXPECT_EQ(want, pss_mark_of(self->dev[0].fd));
}

/* VFIO_DEVICE_RESET is offered exactly when a function reset exists. */
TEST_F(pss, device_reset)
{
	struct vfio_device_info info;
	long before;

	pss_open(variant->dev, &self->dev[0]);
	ASSERT_EQ(0, __vfio_device_info(self->dev[0].fd, &info));
	before = pss_counter(variant->dev, "func_reset_count");
	pss_mark(self->dev[0].fd);

	if (!variant->func_reset) {
		EXPECT_FALSE(info.flags & VFIO_DEVICE_FLAGS_RESET);
		EXPECT_EQ(-1, ioctl(self->dev[0].fd, VFIO_DEVICE_RESET));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(PSS_MSI_MAGIC, pss_mark_of(self->dev[0].fd));
		return;
	}
	EXPECT_TRUE(info.flags & VFIO_DEVICE_FLAGS_RESET);
	ASSERT_EQ(0, ioctl(self->dev[0].fd, VFIO_DEVICE_RESET));
	EXPECT_EQ(0, pss_mark_of(self->dev[0].fd));
	EXPECT_EQ(before + 1, pss_counter(variant->dev, "func_reset_count"));
}

/*
 * A reset with BAR0 mapped, in this process and in a child that inherited
 * the mapping: the reset zaps both copies first (no user access can reach
 * the function while it is reset), and each faults back in afterwards,
 * which bar_fault_count shows.
 */
TEST_F(pss, reset_while_mapped)
{
	struct vfio_region_info bar0;
	int go[2], done[2], status;
	long pg = getpagesize();
	__u32 *map;
	long faults;
	pid_t pid;
	char c;

	if (!variant->func_reset)
		SKIP(return, "no function reset here (see hot_reset_allowed_when_all_owned)");
	pss_open(variant->dev, &self->dev[0]);
	vfio_region_info(self->dev[0].fd, VFIO_PCI_BAR0_REGION_INDEX, &bar0);
	/* Page 1 is writable; page 0 holds the DMA registers. */
	map = mmap(NULL, 2 * pg, PROT_READ, MAP_SHARED, self->dev[0].fd,
		   bar0.offset);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(0x010000ed, pss_mmio_read(map));

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* fork() may copy the page: reset must zap it here too. */
		int ok = write(done[1], "c", 1) == 1 && read(go[0], &c, 1) == 1;

		ok &= pss_mmio_read(map) == 0x010000ed;
		ok &= write(done[1], "c", 1) == 1;
		_exit(ok ? 0 : 1);
	}
	ASSERT_EQ(1, read(done[0], &c, 1));

	pss_mark(self->dev[0].fd);
	ASSERT_EQ(0, ioctl(self->dev[0].fd, VFIO_DEVICE_RESET));
	EXPECT_EQ(0, pss_mark_of(self->dev[0].fd));

	/* Each process refaults its page exactly once. */
	faults = pss_counter(variant->dev, "bar_fault_count");
	EXPECT_EQ(0x010000ed, pss_mmio_read(map));
	EXPECT_EQ(0x010000ed, pss_mmio_read(map));
	EXPECT_EQ(faults + 1, pss_counter(variant->dev, "bar_fault_count"));
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(1, read(done[0], &c, 1));
	EXPECT_EQ(faults + 2, pss_counter(variant->dev, "bar_fault_count"));
	/* A page never touched before the reset faults in too. */
	EXPECT_EQ(0xffffffff, pss_mmio_read(map + pg / 4));
	EXPECT_EQ(faults + 3, pss_counter(variant->dev, "bar_fault_count"));

	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	ASSERT_EQ(0, munmap(map, 2 * pg));
}

/* open_device/close_device run once per first open and last close. */
TEST_F(pss, open_close_counts)
{
	long opens = pss_counter(variant->dev, "open_count");
	long closes = pss_counter(variant->dev, "close_count");
	int fd2;

	pss_open(variant->dev, &self->dev[0]);
	fd2 = vfio_dev_fd(&self->dev[0]);
	EXPECT_EQ(opens + 1, pss_counter(variant->dev, "open_count"));
	close(fd2);
	EXPECT_EQ(closes, pss_counter(variant->dev, "close_count"));
	vfio_dev_close(&self->dev[0]);
	EXPECT_EQ(closes + 1, pss_counter(variant->dev, "close_count"));
}

/* ---- one device: bad input and the config filter ---- */

FIXTURE(pss_one) {
	const char *name;
	struct vfio_dev dev;
	struct vfio_region_info bar0;
};

/*
 * Any edu will do; the first of these that VFIO can open (with a real
 * IOMMU the bridge's functions share a group with the bridge, which
 * shpchp holds).
 */
static const char * const pss_one_devs[] = { "0000:02:01.0", "0000:03:00.0" };

FIXTURE_SETUP(pss_one)
{
	pss_dev_init(&self->dev);
	for (size_t i = 0; i < ARRAY_SIZE(pss_one_devs) && !self->name; i++)
		if (pss_is_our_edu(pss_one_devs[i]) &&
		    pss_group_viable(pss_one_devs[i]))
			self->name = pss_one_devs[i];
	if (!self->name)
		SKIP(return, "no edu bound to pci_slot_stub that VFIO can open");
	pss_open(self->name, &self->dev);
	vfio_region_info(self->dev.fd, VFIO_PCI_BAR0_REGION_INDEX,
			 &self->bar0);
}

FIXTURE_TEARDOWN(pss_one)
{
	vfio_dev_close(&self->dev);
}

static int pss_ioctl_errno(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

/*
 * No INTx is offered, so config space must not show an interrupt pin: a
 * VMM such as QEMU wires up INTx for any pin it sees and fails to start.
 */
TEST_F(pss_one, no_intx_no_pin)
{
	struct vfio_irq_info irq;

	ASSERT_EQ(0, __vfio_irq_info(self->dev.fd, VFIO_PCI_INTX_IRQ_INDEX, &irq));
	EXPECT_EQ(0, irq.count);
	EXPECT_EQ(0, vfio_cfg_read(self->dev.fd, PCI_INTERRUPT_PIN, 1));
	EXPECT_EQ(0, vfio_cfg_read(self->dev.fd, PCI_INTERRUPT_LINE, 4) & 0xff00);
}

TEST_F(pss_one, bad_info_ioctls)
{
	struct vfio_device_info info = { .argsz = 4 };
	struct vfio_region_info reg = { .argsz = sizeof(reg) };
	struct vfio_irq_info irq = { .argsz = sizeof(irq) };
	int fd = self->dev.fd;

	EXPECT_EQ(-EINVAL, pss_ioctl_errno(fd, VFIO_DEVICE_GET_INFO, &info));

	reg.index = VFIO_PCI_NUM_REGIONS;
	EXPECT_EQ(-EINVAL, pss_ioctl_errno(fd, VFIO_DEVICE_GET_REGION_INFO,
					   &reg));
	reg.index = 0;
	reg.argsz = 8;
	EXPECT_EQ(-EINVAL, pss_ioctl_errno(fd, VFIO_DEVICE_GET_REGION_INFO,
					   &reg));

	irq.index = VFIO_PCI_NUM_IRQS;
	EXPECT_EQ(-EINVAL, pss_ioctl_errno(fd, VFIO_DEVICE_GET_IRQ_INFO,
					   &irq));
	irq.index = VFIO_PCI_REQ_IRQ_INDEX;
	irq.argsz = 8;
	EXPECT_EQ(-EINVAL, pss_ioctl_errno(fd, VFIO_DEVICE_GET_IRQ_INFO,
					   &irq));
	irq.argsz = sizeof(irq);
	ASSERT_EQ(0, pss_ioctl_errno(fd, VFIO_DEVICE_GET_IRQ_INFO, &irq));
	EXPECT_EQ(1, irq.count);
	irq.index = VFIO_PCI_INTX_IRQ_INDEX;
	ASSERT_EQ(0, pss_ioctl_errno(fd, VFIO_DEVICE_GET_IRQ_INFO, &irq));
	EXPECT_EQ(0, irq.count);

	EXPECT_EQ(-ENOTTY, pss_ioctl_errno(fd, VFIO_DEVICE_FEATURE + 100,
					   &info));
}

TEST_F(pss_one, bad_set_irqs)
{
	struct {
		struct vfio_irq_set hdr;
		__s32 fd[2];
	} arg = {};
	int fd = self->dev.fd;

	arg.hdr.argsz = sizeof(arg.hdr) + sizeof(__s32);
	arg.hdr.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	arg.hdr.count = 1;

	/* No INTx, MSI or MSI-X: the stub owns no device interrupt. */
	arg.hdr.index = VFIO_PCI_INTX_IRQ_INDEX;
	arg.fd[0] = -1;
	EXPECT_EQ(-EINVAL, pss_ioctl_errno(fd, VFIO_DEVICE_SET_IRQS, &arg));
	arg.hdr.index = VFIO_PCI_NUM_IRQS;
	EXPECT_EQ(-EINVAL, pss_ioctl_errno(fd, VFIO_DEVICE_SET_IRQS, &arg));

	arg.hdr.index = VFIO_PCI_REQ_IRQ_INDEX;
	arg.hdr.count = 2;
	arg.hdr.argsz = sizeof(arg);
	EXPECT_EQ(-EINVAL, pss_ioctl_errno(fd, VFIO_DEVICE_SET_IRQS, &arg));
	arg.hdr.count = 1;
	arg.hdr.argsz = sizeof(arg.hdr);	/* no room for the fd */
	EXPECT_EQ(-EINVAL, pss_ioctl_errno(fd, VFIO_DEVICE_SET_IRQS, &arg));
	arg.hdr.argsz = sizeof(arg.hdr) + sizeof(__s32);
	arg.hdr.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_MASK;
	EXPECT_EQ(-EINVAL, pss_ioctl_errno(fd, VFIO_DEVICE_SET_IRQS, &arg));
	arg.hdr.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	arg.fd[0] = -2;
	EXPECT_EQ(-EINVAL, pss_ioctl_errno(fd, VFIO_DEVICE_SET_IRQS, &arg));
	arg.fd[0] = 1000;
	EXPECT_EQ(-EBADF, pss_ioctl_errno(fd, VFIO_DEVICE_SET_IRQS, &arg));
	arg.fd[0] = self->dev.container;	/* not an eventfd */
	EXPECT_EQ(-EINVAL, pss_ioctl_errno(fd, VFIO_DEVICE_SET_IRQS, &arg));
	arg.fd[0] = -1;				/* clearing is fine */
	EXPECT_EQ(0, pss_ioctl_errno(fd, VFIO_DEVICE_SET_IRQS, &arg));
}

TEST_F(pss_one, bad_hot_reset_args)
{
	struct vfio_pci_hot_reset_info info = { .argsz = 8 };
	struct {
		struct vfio_pci_hot_reset hdr;
		__s32 fds[PSS_MAX_DEVS];
	} arg = {};
	int fd = self->dev.fd;

	EXPECT_EQ(-EINVAL, pss_ioctl_errno(fd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO,
					   &info));

	arg.hdr.argsz = 8;
	arg.hdr.count = 1;
	arg.fds[0] = self->dev.group;
	EXPECT_EQ(-EINVAL, pss_ioctl_errno(fd, VFIO_DEVICE_PCI_HOT_RESET,
					   &arg));
	arg.hdr.argsz = sizeof(arg);
	arg.hdr.flags = 1;
	EXPECT_EQ(-EINVAL, pss_ioctl_errno(fd, VFIO_DEVICE_PCI_HOT_RESET,
					   &arg));
	/* A group-opened device must pass groups. */
	arg.hdr.flags = 0;
	arg.hdr.count = 0;
	EXPECT_EQ(-EINVAL, pss_ioctl_errno(fd, VFIO_DEVICE_PCI_HOT_RESET,
					   &arg));
	/* More groups than affected functions. */
	arg.hdr.count = PSS_MAX_DEVS;
	EXPECT_EQ(-EINVAL, pss_ioctl_errno(fd, VFIO_DEVICE_PCI_HOT_RESET,
					   &arg));
	/* A group array the kernel can't read: it runs into a hole. */
	{
		long pg = getpagesize();
		char *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct vfio_pci_hot_reset *h;

		ASSERT_NE(MAP_FAILED, p);
		ASSERT_EQ(0, mprotect(p + pg, pg, PROT_NONE));
		h = (void *)(p + pg - sizeof(*h));
		h->argsz = sizeof(*h) + sizeof(__s32);
		h->flags = 0;
		h->count = 1;
		EXPECT_EQ(-EFAULT, pss_ioctl_errno(fd, VFIO_DEVICE_PCI_HOT_RESET,
						   h));
		munmap(p, 2 * pg);
	}
}

TEST_F(pss_one, bad_region_access)
{
	struct vfio_region_info cfg;
	char buf[8];
	int fd = self->dev.fd;

	vfio_region_info(fd, VFIO_PCI_CONFIG_REGION_INDEX, &cfg);
	EXPECT_EQ(256, cfg.size);

	/* Past the end of BAR0, config space, an absent BAR, no region. */
	EXPECT_EQ(-EINVAL, __vfio_region_read(fd, VFIO_PCI_BAR0_REGION_INDEX,
					      self->bar0.size, buf, 4));
	EXPECT_EQ(-EINVAL, __vfio_region_write(fd, VFIO_PCI_BAR0_REGION_INDEX,
					       self->bar0.size, buf, 4));
	EXPECT_EQ(-EINVAL, __vfio_region_read(fd, VFIO_PCI_CONFIG_REGION_INDEX,
					      cfg.size, buf, 4));
	EXPECT_EQ(-EINVAL, __vfio_region_read(fd, VFIO_PCI_BAR1_REGION_INDEX,
					      0, buf, 4));
	EXPECT_EQ(-EINVAL, __vfio_region_read(fd, VFIO_PCI_ROM_REGION_INDEX,
					      0, buf, 4));
	EXPECT_EQ(-EINVAL, __vfio_region_read(fd, VFIO_PCI_NUM_REGIONS,
					      0, buf, 4));
	/* An access running past the end is cut short. */
	EXPECT_EQ(4, __vfio_region_read(fd, VFIO_PCI_CONFIG_REGION_INDEX,
					cfg.size - 4, buf, 8));
	EXPECT_EQ(4, __vfio_region_read(fd, VFIO_PCI_BAR0_REGION_INDEX,
					self->bar0.size - 4, buf, 8));
}

TEST_F(pss_one, bad_mmap)
{
	long pg = getpagesize();
	int fd = self->dev.fd;
	__u64 cfg_off = (__u64)VFIO_PCI_CONFIG_REGION_INDEX << PSS_OFFSET_SHIFT;

	ASSERT_TRUE(self->bar0.flags & VFIO_REGION_INFO_FLAG_MMAP);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd,
				   self->bar0.offset));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, pg, PROT_READ, MAP_SHARED, fd,
				   self->bar0.offset + self->bar0.size));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 2 * pg, PROT_READ, MAP_SHARED, fd,
				   self->bar0.offset + self->bar0.size - pg));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, pg, PROT_READ, MAP_SHARED, fd,
				   cfg_off));
}

/*
 * Entries in the x86 PAT memory type list starting at @start, or -1 if the
 * kernel has no list (no PAT, or no debugfs).
 */
static int pss_pat_entries(unsigned long long start)
{
	FILE *f = fopen("/sys/kernel/debug/x86/pat_memtype_list", "r");
	char line[256], want[64];
	int n = 0;

	if (!f)
		return -1;
	snprintf(want, sizeof(want), "[mem 0x%016llx-", start);
	while (fgets(line, sizeof(line), f))
		n += !!strstr(line, want);
	fclose(f);
	return n;
}

static unsigned long long pss_bar0_start(const char *dev)
{
	char path[PATH_MAX], buf[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", dev);
	VFIO_LIB_CHECK(__sysfs_read(path, buf, sizeof(buf)), path);
	return strtoull(buf, NULL, 0);
}

/*
 * Punching a page out of a BAR mapping leaves the rest working, and
 * leaves no memory type reservation behind (the fuzzer's PAT leak: a
 * remap_pfn_range() at mmap time reserved the whole range, which a partial
 * munmap() could not give back).
 */
TEST_F(pss_one, partial_munmap)
{
	unsigned long long start = pss_bar0_start(self->name);
	int pat = pss_pat_entries(start);
	long pg = getpagesize();
	char *map, *rw;

	map = mmap(NULL, 4 * pg, PROT_READ, MAP_SHARED, self->dev.fd,
		   self->bar0.offset);
	ASSERT_NE(MAP_FAILED, map);
	rw = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_SHARED,
		  self->dev.fd, self->bar0.offset + pg);
	ASSERT_NE(MAP_FAILED, rw);
	for (int i = 0; i < 4; i++) {
		pss_mmio_read(map + i * pg);
		pss_mmio_read(rw + i * pg);
	}

	ASSERT_EQ(0, munmap(map + pg, pg));
	ASSERT_EQ(0, munmap(rw + 2 * pg, pg));
	EXPECT_EQ(0x010000ed, pss_mmio_read(map));
	EXPECT_EQ(0xffffffff, pss_mmio_read(map + 3 * pg));
	EXPECT_EQ(0xffffffff, pss_mmio_read(rw + 3 * pg));
	/* A mapping at the far end of the BAR works too. */
	ASSERT_EQ(0, munmap(map, pg));
	ASSERT_EQ(0, munmap(map + 2 * pg, 2 * pg));
	ASSERT_EQ(0, munmap(rw, 2 * pg));
	ASSERT_EQ(0, munmap(rw + 3 * pg, pg));

	if (pat < 0)
		SKIP(return, "no PAT memtype list to check for leaks");
	EXPECT_EQ(pat, pss_pat_entries(start));
}

/*
 * A mapping holds the device open, as a mapping of any file does: closing
 * the fd leaves the mapping working, and the device closes at munmap().
 */
TEST_F(pss_one, mapping_keeps_device_open)
{
	long closes = pss_counter(self->name, "close_count");
	long pg = getpagesize();
	char *map;

	map = mmap(NULL, 2 * pg, PROT_READ, MAP_SHARED, self->dev.fd,
		   self->bar0.offset);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, close(self->dev.fd));
	self->dev.fd = -1;

	EXPECT_EQ(closes, pss_counter(self->name, "close_count"));
	EXPECT_EQ(0x010000ed, pss_mmio_read(map));
	EXPECT_EQ(0xffffffff, pss_mmio_read(map + pg));
	ASSERT_EQ(0, munmap(map, 2 * pg));
	EXPECT_EQ(closes + 1, pss_counter(self->name, "close_count"));
}

/*
 * edu starts a DMA when its DMA command register is written, and QEMU
 * aborts if the addresses are out of range; the stub does no DMA. Writes
 * reaching 0x80-0x9f are refused whole, their page maps only read-only,
 * and region info tells a VMM to trap that page.
 */
TEST_F(pss_one, dma_registers_filtered)
{
	struct vfio_region_info_cap_sparse_mmap *sparse;
	struct vfio_region_info *info;
	long pg = getpagesize();
	__u32 v = 0xffffffff, src, cmd;
	int fd = self->dev.fd;
	void *map;

	vfio_region_read(fd, VFIO_PCI_BAR0_REGION_INDEX, PSS_EDU_DMA_SRC,
			 &src, 4);
	vfio_region_read(fd, VFIO_PCI_BAR0_REGION_INDEX, PSS_EDU_DMA_CMD,
			 &cmd, 4);
	EXPECT_EQ(-EPERM, __vfio_region_write(fd, VFIO_PCI_BAR0_REGION_INDEX,
					      PSS_EDU_DMA_CMD, &v, 4));
	EXPECT_EQ(-EPERM, __vfio_region_write(fd, VFIO_PCI_BAR0_REGION_INDEX,
					      PSS_EDU_DMA_SRC, &v, 4));
	/* One byte of the block in a longer write refuses all of it. */
	EXPECT_EQ(-EPERM, __vfio_region_write(fd, VFIO_PCI_BAR0_REGION_INDEX,
					      PSS_EDU_DMA_SRC - 3, &v, 4));
	EXPECT_EQ(-EPERM, __vfio_region_write(fd, VFIO_PCI_BAR0_REGION_INDEX,
					      PSS_EDU_DMA_CMD + 7, &v, 1));
	/* Just outside it, writes go through. */
	EXPECT_EQ(4, __vfio_region_write(fd, VFIO_PCI_BAR0_REGION_INDEX,
					 PSS_EDU_DMA_SRC - 4, &v, 4));
	EXPECT_EQ(4, __vfio_region_write(fd, VFIO_PCI_BAR0_REGION_INDEX,
					 PSS_EDU_DMA_CMD + 8, &v, 4));
	/* Reads are fine, and nothing changed. */
	vfio_region_read(fd, VFIO_PCI_BAR0_REGION_INDEX, PSS_EDU_DMA_SRC, &v, 4);
	EXPECT_EQ(src, v);
	vfio_region_read(fd, VFIO_PCI_BAR0_REGION_INDEX, PSS_EDU_DMA_CMD, &v, 4);
	EXPECT_EQ(cmd, v);

	/* The register page maps read-only, and stays so. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED,
				   fd, self->bar0.offset));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 2 * pg, PROT_WRITE, MAP_SHARED, fd,
				   self->bar0.offset));
	map = mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, self->bar0.offset);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(-1, mprotect(map, pg, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(cmd, pss_mmio_read((char *)map + PSS_EDU_DMA_CMD));
	munmap(map, pg);

	/* Region info: mmappable, but sparse, without the register page. */
	info = calloc(1, 256);
	ASSERT_NE(NULL, info);
	info->argsz = 256;
	info->index = VFIO_PCI_BAR0_REGION_INDEX;
	ASSERT_EQ(0, ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, info));
	ASSERT_TRUE(info->flags & VFIO_REGION_INFO_FLAG_MMAP);
	ASSERT_TRUE(info->flags & VFIO_REGION_INFO_FLAG_CAPS);
	ASSERT_LE(sizeof(*info), info->cap_offset);
	sparse = (void *)((char *)info + info->cap_offset);
	EXPECT_EQ(VFIO_REGION_INFO_CAP_SPARSE_MMAP, sparse->header.id);
	EXPECT_EQ(0, sparse->header.next);
	ASSERT_EQ(1, sparse->nr_areas);
	EXPECT_EQ(pg, sparse->areas[0].offset);
	EXPECT_EQ(info->size - pg, sparse->areas[0].size);
	free(info);
}

/* BAR0 reads and writes reach the device. */
TEST_F(pss_one, bar_access)
{
	__u32 v = 0x12345678;

	vfio_region_read(self->dev.fd, VFIO_PCI_BAR0_REGION_INDEX,
			 PSS_EDU_ID, &v, 4);
	EXPECT_EQ(0x010000ed, v);
	v = 0x12345678;
	vfio_region_write(self->dev.fd, VFIO_PCI_BAR0_REGION_INDEX,
			  PSS_EDU_LIVENESS, &v, 4);
	vfio_region_read(self->dev.fd, VFIO_PCI_BAR0_REGION_INDEX,
			 PSS_EDU_LIVENESS, &v, 4);
	EXPECT_EQ(~0x12345678U, v);
}

/* Config writes reach only the bits the filter allows. */
TEST_F(pss_one, config_write_filter)
{
	int fd = self->dev.fd;
	__u32 cmd = vfio_cfg_read(fd, PCI_COMMAND, 2);
	__u32 bar = vfio_cfg_read(fd, PCI_BASE_ADDRESS_0, 4);
	unsigned int msi = pss_msi_data(fd);
	unsigned int msi_flags = msi - PCI_MSI_DATA_64 + PCI_MSI_FLAGS;

	ASSERT_TRUE(cmd & PCI_COMMAND_MEMORY);
	/* Bus master and decode stay as they are; INTx disable moves. */
	vfio_cfg_write(fd, PCI_COMMAND, PCI_COMMAND_MASTER |
		       PCI_COMMAND_INTX_DISABLE, 2);
	EXPECT_EQ(cmd | PCI_COMMAND_INTX_DISABLE,
		  vfio_cfg_read(fd, PCI_COMMAND, 2));
	/* No IOMMU: the device must never master, so no DMA can start. */
	EXPECT_FALSE(vfio_cfg_read(fd, PCI_COMMAND, 2) & PCI_COMMAND_MASTER);
	vfio_cfg_write(fd, PCI_COMMAND, 0xffff, 2);
	EXPECT_FALSE(vfio_cfg_read(fd, PCI_COMMAND, 2) & PCI_COMMAND_MASTER);
	vfio_cfg_write(fd, PCI_COMMAND, 0x0, 1);
	EXPECT_TRUE(vfio_cfg_read(fd, PCI_COMMAND, 2) & PCI_COMMAND_MEMORY);
	vfio_cfg_write(fd, PCI_COMMAND, cmd & ~PCI_COMMAND_INTX_DISABLE, 2);
	EXPECT_EQ(cmd & ~PCI_COMMAND_INTX_DISABLE,
		  vfio_cfg_read(fd, PCI_COMMAND, 2));

	vfio_cfg_write(fd, PCI_BASE_ADDRESS_0, 0xffffffff, 4);
	EXPECT_EQ(bar, vfio_cfg_read(fd, PCI_BASE_ADDRESS_0, 4));
	vfio_cfg_write(fd, PCI_VENDOR_ID, 0, 2);
	EXPECT_EQ(PSS_EDU_VENDOR, vfio_cfg_read(fd, PCI_VENDOR_ID, 2));

	/* MSI data is writable storage; MSI enable is not. */
	vfio_cfg_write(fd, msi_flags, PCI_MSI_FLAGS_ENABLE, 2);
	EXPECT_FALSE(vfio_cfg_read(fd, msi_flags, 2) & PCI_MSI_FLAGS_ENABLE);
	vfio_cfg_write(fd, msi, 0x1234, 2);
	EXPECT_EQ(0x1234, vfio_cfg_read(fd, msi, 2));

	/* An unaligned, odd-sized write is split and filtered too. */
	EXPECT_EQ(3, __vfio_region_write(fd, VFIO_PCI_CONFIG_REGION_INDEX,
					 PCI_COMMAND + 1, "\xff\xff\xff", 3));
	EXPECT_EQ(cmd | PCI_COMMAND_INTX_DISABLE,
		  vfio_cfg_read(fd, PCI_COMMAND, 2));
}

/* ---- binding ---- */

#define PSS_OVERRIDE_DEV	"0000:00:14.0"	/* QEMU pci-testdev */

/*
 * A non-edu function binds through driver_override, as a set of one. The
 * teardown unbinds it even when the test failed, so that it never joins
 * another test's set: in the parent, which an ASSERT in the test process
 * never skips, and after that process has exited and closed its fds.
 */
FIXTURE(pss_override) {
	int bound;
	struct vfio_dev dev;
};

FIXTURE_SETUP(pss_override)
{
	pss_dev_init(&self->dev);
	if (!path_exists(PSS_DRIVER))
		SKIP(return, "pci_slot_stub is not loaded");
	/* Only QEMU's pci-testdev, and only while no driver has it. */
	if (pss_id(PSS_OVERRIDE_DEV, "vendor") != 0x1b36 ||
	    pss_id(PSS_OVERRIDE_DEV, "device") != 0x0005 ||
	    path_exists("/sys/bus/pci/devices/" PSS_OVERRIDE_DEV "/driver"))
		SKIP(return, PSS_OVERRIDE_DEV " is not an idle pci-testdev");
	sysfs_write("/sys/bus/pci/devices/" PSS_OVERRIDE_DEV
		    "/driver_override", "pci_slot_stub");
	sysfs_write("/sys/bus/pci/drivers_probe", PSS_OVERRIDE_DEV);
	self->bound = 1;
}

FIXTURE_TEARDOWN_PARENT(pss_override)
{
	if (!self->bound)
		return;
	if (pss_bound(PSS_OVERRIDE_DEV))
		sysfs_write(PSS_DRIVER "/unbind", PSS_OVERRIDE_DEV);
	sysfs_write("/sys/bus/pci/devices/" PSS_OVERRIDE_DEV
		    "/driver_override", "\n");
	EXPECT_FALSE(pss_bound(PSS_OVERRIDE_DEV));
}

TEST_F(pss_override, driver_override)
{
	const char *sys = "/sys/bus/pci/devices/" PSS_OVERRIDE_DEV;
	struct vfio_region_info cfg;
	struct pss_names members;
	char kind[16];

	ASSERT_TRUE(pss_bound(PSS_OVERRIDE_DEV));

	/* On the root bus: alone, not with 00:10.0 in a set of the bus. */
	pss_debugfs_str(PSS_OVERRIDE_DEV, "set_kind", kind, sizeof(kind));
	kind[strcspn(kind, "\n")] = '\0';
	EXPECT_STREQ("alone", kind);
	pss_debugfs_members(PSS_OVERRIDE_DEV, &members);
	ASSERT_EQ(1, members.n);
	EXPECT_STREQ(PSS_OVERRIDE_DEV, members.name[0]);
	vfio_dev_open(sys, &self->dev);
	vfio_region_info(self->dev.fd, VFIO_PCI_CONFIG_REGION_INDEX, &cfg);
	EXPECT_EQ(0x1b36, vfio_cfg_read(self->dev.fd, PCI_VENDOR_ID, 2));
}

/*
 * Tests that unbind an edu function: the parent binds it back if the test
 * process left it unbound, so that a failure stays in its own test.
 */
FIXTURE(pss_unbind) {
	const char *dev;	/* the function the test unbinds */
};

FIXTURE_SETUP(pss_unbind)
{
	self->dev = NULL;
}

FIXTURE_TEARDOWN_PARENT(pss_unbind)
{
	if (self->dev && !pss_bound(self->dev))
		sysfs_write(PSS_DRIVER "/bind", self->dev);
}

/*
 * A function in the reset scope that is not a member (here: unbound) blocks
 * every slot or bus reset: its user, if any, is unknown.
 */
TEST_F(pss_unbind, hot_reset_refused_when_scope_not_in_set)
{
	const char *a = "0000:02:01.0", *b = "0000:02:02.0";
	struct vfio_pci_hot_reset_info *info;
	struct vfio_dev dev;
	long set_before;

	if (!pss_is_our_edu(a) || !pss_is_our_edu(b))
		SKIP(return, "the bridge's edu functions are not bound");
	if (!pss_group_viable(a))
		SKIP(return, "%s: its IOMMU group holds a device of another driver", a);
	info = calloc(1, sizeof(*info) + PSS_MAX_DEVS * sizeof(info->devices[0]));
	ASSERT_NE(NULL, info);

	self->dev = b;
	sysfs_write(PSS_DRIVER "/unbind", b);
	pss_open(a, &dev);
	pss_mark(dev.fd);
	set_before = pss_counter(a, "set_reset_count");

	/*
	 * Without an IOMMU the unbound function has no group: it cannot be
	 * listed. With one, it is listed with its group, which no user can
	 * open while the function is bound to no VFIO driver.
	 */
	if (pss_group_id(b) < 0) {
		EXPECT_EQ(-EPERM, pss_get_reset_info(dev.fd, info,
						     PSS_MAX_DEVS));
	} else {
		ASSERT_EQ(0, pss_get_reset_info(dev.fd, info, PSS_MAX_DEVS));
		EXPECT_EQ(2, info->count);
	}
	EXPECT_EQ(-EINVAL, pss_do_hot_reset(dev.fd, &dev.group, 1, 0));
	EXPECT_EQ(PSS_MSI_MAGIC, pss_mark_of(dev.fd));

	/* Nor does the last close reset the bus under it. */
	vfio_dev_close(&dev);
	EXPECT_EQ(set_before, pss_counter(a, "set_reset_count"));

	sysfs_write(PSS_DRIVER "/bind", b);
	EXPECT_TRUE(pss_bound(b));
	free(info);
}

#define PSS_UNBIND_DEV	"0000:02:02.0"

/* Unbinding a held device asks the holder to let go, then completes. */
TEST_F(pss_unbind, unbind_while_open)
{
	struct pss_names members;
	struct vfio_dev dev;
	int efd, status;
	pid_t pid;

	if (!pss_is_our_edu(PSS_UNBIND_DEV))
		SKIP(return, PSS_UNBIND_DEV " is not an edu bound to pci_slot_stub");
	if (!pss_group_viable(PSS_UNBIND_DEV))
		SKIP(return, PSS_UNBIND_DEV ": its IOMMU group holds a device of another driver");

	pss_open(PSS_UNBIND_DEV, &dev);
	efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, __vfio_irq_set_eventfd(dev.fd, VFIO_PCI_REQ_IRQ_INDEX, 0,
					    efd));

	self->dev = PSS_UNBIND_DEV;
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* Our copies of the fds would hold the device open. */
		vfio_dev_close(&dev);
		close(efd);
		_exit(__sysfs_write(PSS_DRIVER "/unbind", PSS_UNBIND_DEV) ? 1 : 0);
	}

	/* The core asks at once; the bound only turns a hang into a fail. */
	EXPECT_LE(1, eventfd_wait(efd, 20000));
	/* The unbind waits for us: it has asked, so it is in remove(). */
	EXPECT_EQ(0, waitpid(pid, &status, WNOHANG));
	vfio_dev_close(&dev);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	EXPECT_FALSE(pss_bound(PSS_UNBIND_DEV));
	close(efd);

	/* Bind again: the set is whole again. */
	sysfs_write(PSS_DRIVER "/bind", PSS_UNBIND_DEV);
	ASSERT_TRUE(pss_bound(PSS_UNBIND_DEV));
	pss_debugfs_members(PSS_UNBIND_DEV, &members);
	EXPECT_EQ(2, members.n);
}

TEST_HARNESS_MAIN
