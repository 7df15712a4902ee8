// SPDX-License-Identifier: GPL-2.0
/*
 * pci_diff_test: pci_slot_stub against vfio-pci, on the same PCI functions.
 *
 * Each test is one scenario. It binds every edu function of the VM to
 * pci_slot_stub and runs, binds them all to vfio-pci and runs again, and
 * compares what userspace saw, row by row. A record row is "key = value":
 * an errno, a hot reset info entry, whether a function was reset, its state
 * in sysfs. Both records are printed side by side; a row that differs fails
 * the test unless diff_known[] says why the difference is deliberate
 * (Documentation/pci_diff.rst).
 *
 * vfio-pci takes only functions that an IOMMU put in a group, so the test VM
 * gets an emulated intel-iommu for this program (scripts/qemu-machine.sh).
 * Without one, or without either driver, the tests skip.
 *
 * Resets are seen in the MSI Message Data register, written and read through
 * sysfs (the function's "config" file), so that both drivers are watched the
 * same way: QEMU clears it on every reset, and Linux restores it only for an
 * MSI the kernel enabled. vfio-pci virtualizes the MSI capability, so a write
 * through its device fd would never reach the function. edu's own BAR
 * registers survive every reset (edu has no reset handler).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <linux/iommufd.h>
#include <linux/pci_regs.h>

#include "kselftest_harness.h"
#include "vfio_lib.h"
#include "vfio_cdev.h"

#define DIFF_PCI		"/sys/bus/pci/devices"
/* QEMU's edu device (hw/misc/edu.c) and two of its BAR0 registers. */
#define DIFF_EDU_VENDOR		0x1234
#define DIFF_EDU_DEVICE		0x11e8
#define DIFF_EDU_ID		0x00	/* reads 0x010000ed */
#define DIFF_EDU_LIVENESS	0x04	/* reads back what was written, inverted */
#define DIFF_MAX_FUNCS		8
#define DIFF_MAX_ROWS		400
#define DIFF_MARK		0xbeef
#define DIFF_LIVENESS		0x12345678
/* An fd number the test never has open. */
#define DIFF_CLOSED_FD		1000

enum diff_drv {
	DIFF_PSS,
	DIFF_VFIO_PCI,
	DIFF_NR_DRVS,
};

static const char *const diff_drv_name[DIFF_NR_DRVS] = {
	[DIFF_PSS] = "pci_slot_stub",
	[DIFF_VFIO_PCI] = "vfio-pci",
};

/*
 * Differences that are deliberate, each explained in
 * Documentation/pci_diff.rst. Every field is an fnmatch() pattern: the
 * test, the path ("group" or "cdev"), the kernel release, the row's key.
 */
struct diff_known {
	const char *test;
	const char *path;
	const char *kernel;
	const char *key;
	const char *why;
};

static const struct diff_known diff_known[] = {
	{ "*", "*", "*", "* runtime pm",
	  "only vfio-pci allows runtime PM; edu has no PM, both stay in D0" },
	{ "refusals", "group", "6.1.*", "* hot reset, no groups",
	  "6.1's vfio-pci looks for a reset method before the empty array" },
	{ }
};

/* The running kernel's release, for diff_known[]. */
static const char *diff_kernel(void)
{
	static struct utsname uts;

	if (!uts.release[0] && uname(&uts))
		vfio_lib_fail("uname: %s", strerror(errno));
	return uts.release;
}

/* ---- a record: what one driver showed in one scenario ---- */

struct diff_row {
	char key[64];
	char val[64];
};

struct diff_rec {
	unsigned int n;
	struct diff_row row[DIFF_MAX_ROWS];
};

/* Copy @src into @dst of @size bytes; a name that does not fit is a bug. */
static void diff_copy(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (len >= size)
		vfio_lib_fail("'%s' is longer than %zu", src, size - 1);
	memcpy(dst, src, len + 1);
}

/* Add the row "key = value", given formatted as one string. */
static __printf(2, 3) void diff_put(struct diff_rec *r, const char *fmt, ...)
{
	char line[160], *eq;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	eq = strstr(line, " = ");
	if (!eq || r->n == DIFF_MAX_ROWS)
		vfio_lib_fail("bad or too many rows at '%s'", line);
	*eq = '\0';
	for (unsigned int i = 0; i < r->n; i++)
		if (!strcmp(r->row[i].key, line))
			vfio_lib_fail("row '%s' twice", line);
	diff_copy(r->row[r->n].key, sizeof(r->row[0].key), line);
	diff_copy(r->row[r->n].val, sizeof(r->row[0].val), eq + 3);
	r->n++;
}

static const char *diff_val(const struct diff_rec *r, const char *key)
{
	for (unsigned int i = 0; i < r->n; i++)
		if (!strcmp(r->row[i].key, key))
			return r->row[i].val;
	return NULL;
}

/* "0" or the errno's name. */
static const char *diff_err(int ret)
{
	const char *name;

	if (ret >= 0)
		return "0";
	name = strerrorname_np(-ret);
	return name ? name : "E?";
}

/* ---- the functions under test, and sysfs ---- */

/**
 * struct diff_ctx - what a scenario works on
 * @cdev: open devices through their cdev and iommufd, not group/container
 * @drv: the driver every function is bound to for this run
 * @nfuncs: entries in @func
 * @func: every edu function, sorted ("0000:01:00.0")
 * @nbridges: entries in @bridge
 * @bridge: bridges the test took from shpchp, to give back at the end
 */
struct diff_ctx {
	bool cdev;
	enum diff_drv drv;
	int nfuncs;
	char func[DIFF_MAX_FUNCS][16];
	int nbridges;
	char bridge[DIFF_MAX_FUNCS][16];
};

/* The function's name without its domain, for rows: "01:00.0". */
static const char *diff_short(const char *name)
{
	return strlen(name) > 5 ? name + 5 : name;
}

static long diff_attr_long(const char *name, const char *attr)
{
	char path[PATH_MAX];
	long val;

	snprintf(path, sizeof(path), DIFF_PCI "/%s/%s", name, attr);
	return __sysfs_read_long(path, &val) ? -1 : val;
}

/* Basename of the symlink @name/@attr, or "" if there is none. */
static void diff_link(const char *name, const char *attr, char *out,
		      size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), DIFF_PCI "/%s/%s", name, attr);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		n = 0;
	link[n] = '\0';
	snprintf(out, len, "%s", n ? basename(link) : "");
}

static long diff_group_of(const char *name)
{
	char group[32];

	diff_link(name, "iommu_group", group, sizeof(group));
	return group[0] ? strtol(group, NULL, 10) : -1;
}

/* The PCI device above @name: a bridge ("0000:00:11.0") or "pci0000:00". */
static void diff_parent(const char *name, char *out, size_t len)
{
	char path[PATH_MAX], real[PATH_MAX];

	snprintf(path, sizeof(path), DIFF_PCI "/%s", name);
	if (!realpath(path, real))
		vfio_lib_fail("realpath %s: %s", path, strerror(errno));
	snprintf(out, len, "%s", basename(dirname(real)));
}

static bool diff_on_root_bus(const char *name)
{
	char parent[64];

	diff_parent(name, parent, sizeof(parent));
	return !strncmp(parent, "pci", 3);
}

/* ---- config space through sysfs: what both drivers' functions show ---- */

static __u32 diff_cfg(const char *name, unsigned int off, size_t len,
		      const __u32 *write_val)
{
	char path[PATH_MAX];
	__u32 val = write_val ? *write_val : 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), DIFF_PCI "/%s/config", name);
	fd = open(path, write_val ? O_WRONLY : O_RDONLY);
	if (fd < 0)
		vfio_lib_fail("open %s: %s", path, strerror(errno));
	n = write_val ? pwrite(fd, &val, len, off) : pread(fd, &val, len, off);
	close(fd);
	if (n != (ssize_t)len)
		vfio_lib_fail("%s at 0x%x: %zd of %zu bytes", path, off, n, len);
	return val;
}

static __u32 diff_cfg_read(const char *name, unsigned int off, size_t len)
{
	return diff_cfg(name, off, len, NULL);
}

static void diff_cfg_write(const char *name, unsigned int off, __u32 val,
			   size_t len)
{
	diff_cfg(name, off, len, &val);
}

static unsigned int diff_msi_data(const char *name)
{
	unsigned int pos = diff_cfg_read(name, PCI_CAPABILITY_LIST, 1);

	while (pos) {
		if (diff_cfg_read(name, pos, 1) == PCI_CAP_ID_MSI)
			return pos + (diff_cfg_read(name, pos + PCI_MSI_FLAGS, 2) &
				      PCI_MSI_FLAGS_64BIT ?
				      PCI_MSI_DATA_64 : PCI_MSI_DATA_32);
		pos = diff_cfg_read(name, pos + 1, 1);
	}
	vfio_lib_fail("%s: no MSI capability", name);
}

static void diff_mark(const char *name)
{
	diff_cfg_write(name, diff_msi_data(name), DIFF_MARK, 2);
}

/* "marked", "reset" (QEMU's reset value), or what else is there. */
static const char *diff_mark_state(const char *name)
{
	static char buf[16];
	__u32 v = diff_cfg_read(name, diff_msi_data(name), 2);

	if (v == DIFF_MARK)
		return "marked";
	if (!v)
		return "reset";
	snprintf(buf, sizeof(buf), "0x%04x", v);
	return buf;
}

/* Set Bus Master behind the driver's back, through sysfs. */
static void diff_master_on(const char *name)
{
	diff_cfg_write(name, PCI_COMMAND,
		       diff_cfg_read(name, PCI_COMMAND, 2) | PCI_COMMAND_MASTER,
		       2);
}

/* A function's state as sysfs shows it, one row per property. */
static void diff_put_state(struct diff_rec *r, const char *name,
			   const char *when)
{
	const char *f = diff_short(name);
	__u32 cmd = diff_cfg_read(name, PCI_COMMAND, 2);
	char path[PATH_MAX], buf[64];

	diff_put(r, "%s %s: enable = %ld", f, when,
		 diff_attr_long(name, "enable"));
	diff_put(r, "%s %s: bus master = %s", f, when,
		 cmd & PCI_COMMAND_MASTER ? "on" : "off");
	diff_put(r, "%s %s: decode = %s%s", f, when,
		 cmd & PCI_COMMAND_MEMORY ? "mem" : "-",
		 cmd & PCI_COMMAND_IO ? ",io" : "");
	diff_put(r, "%s %s: intx disable = %s", f, when,
		 cmd & PCI_COMMAND_INTX_DISABLE ? "on" : "off");
	snprintf(path, sizeof(path), DIFF_PCI "/%s/power_state", name);
	diff_put(r, "%s %s: power state = %s", f, when,
		 __sysfs_read(path, buf, sizeof(buf)) ? "n/a" : buf);
	snprintf(path, sizeof(path), DIFF_PCI "/%s/power/control", name);
	diff_put(r, "%s %s: runtime pm = %s", f, when,
		 __sysfs_read(path, buf, sizeof(buf)) ? "n/a" : buf);
}

/* ---- binding ---- */

static int diff_unbind(const char *name)
{
	char path[PATH_MAX], drv[64];

	diff_link(name, "driver", drv, sizeof(drv));
	if (!drv[0])
		return 0;
	snprintf(path, sizeof(path), DIFF_PCI "/%s/driver/unbind", name);
	return __sysfs_write(path, name);
}

/* Bind @name to @drv through driver_override; "" gives it back to its own. */
static int diff_bind(const char *name, const char *drv)
{
	char path[PATH_MAX], cur[64];
	int ret;

	diff_link(name, "driver", cur, sizeof(cur));
	if (drv[0] && !strcmp(cur, drv))
		return 0;
	ret = diff_unbind(name);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), DIFF_PCI "/%s/driver_override", name);
	ret = __sysfs_write(path, drv[0] ? drv : "\n");
	if (ret)
		return ret;
	/* The write fails when no driver takes the function; see below. */
	__sysfs_write("/sys/bus/pci/drivers_probe", name);
	diff_link(name, "driver", cur, sizeof(cur));
	if (drv[0] && strcmp(cur, drv))
		return -ENODEV;
	return 0;
}

/* Leave @name with no driver: an override that names none keeps it so. */
static int diff_leave_unbound(const char *name)
{
	char path[PATH_MAX];
	int ret = diff_unbind(name);

	snprintf(path, sizeof(path), DIFF_PCI "/%s/driver_override", name);
	return ret ? ret : __sysfs_write(path, "pci_diff_none");
}

static int diff_bind_all(struct diff_ctx *c, enum diff_drv drv)
{
	int ret;

	c->drv = drv;
	for (int i = 0; i < c->nfuncs; i++) {
		ret = diff_bind(c->func[i], diff_drv_name[drv]);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- a user: one container (or iommufd) and the devices it opened ---- */

/**
 * struct diff_sess - devices one user opened
 * @cdev: through cdevs bound to @iommufd, else through groups in @container
 * @container: /dev/vfio/vfio, once a group is open
 * @iommufd: /dev/iommu, once a cdev is bound
 * @ioas: the IOAS every cdev is attached to
 * @ngroups: entries in @group_id and @group_fd
 * @group_id: the groups opened, each once
 * @group_fd: their fds
 * @ndevs: entries in @dev, @fd and @devid
 * @dev: the open functions
 * @fd: their device fds
 * @devid: their iommufd device ids (cdev)
 */
struct diff_sess {
	bool cdev;
	int container;
	int iommufd;
	__u32 ioas;
	int ngroups;
	long group_id[DIFF_MAX_FUNCS];
	int group_fd[DIFF_MAX_FUNCS];
	int ndevs;
	char dev[DIFF_MAX_FUNCS][16];
	int fd[DIFF_MAX_FUNCS];
	__u32 devid[DIFF_MAX_FUNCS];
};

static void diff_sess_init(struct diff_sess *s, bool cdev)
{
	memset(s, 0, sizeof(*s));
	s->cdev = cdev;
	s->container = -1;
	s->iommufd = -1;
}

/* The fd of @name's group, opened and added to the container if new. */
static int diff_sess_group(struct diff_sess *s, const char *name)
{
	long id = diff_group_of(name);
	char path[32];
	int fd, ret;

	if (id < 0)
		return -ENOENT;
	for (int i = 0; i < s->ngroups; i++)
		if (s->group_id[i] == id)
			return s->group_fd[i];
	if (s->container < 0) {
		s->container = open("/dev/vfio/vfio", O_RDWR);
		if (s->container < 0)
			return -errno;
	}
	snprintf(path, sizeof(path), "/dev/vfio/%ld", id);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, VFIO_GROUP_SET_CONTAINER, &s->container) ||
	    (!s->ngroups &&
	     ioctl(s->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))) {
		ret = -errno;
		close(fd);
		return ret;
	}
	s->group_id[s->ngroups] = id;
	s->group_fd[s->ngroups++] = fd;
	return fd;
}

/* @name's cdev, bound to the session's iommufd and attached to its IOAS. */
static int diff_sess_cdev(struct diff_sess *s, const char *name, __u32 *devid)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	char sysfs[PATH_MAX];
	int fd, ret;

	if (s->iommufd < 0) {
		ret = __iommufd_open();
		if (ret < 0)
			return ret;
		s->iommufd = ret;
		ret = __iommufd_ioas_alloc(s->iommufd, &s->ioas);
		if (ret)
			return ret;
	}
	snprintf(sysfs, sizeof(sysfs), DIFF_PCI "/%s", name);
	fd = __vfio_cdev_open(sysfs);
	if (fd < 0)
		return fd;
	bind.iommufd = s->iommufd;
	ret = ioctl(fd, VFIO_DEVICE_BIND_IOMMUFD, &bind) ? -errno : 0;
	if (!ret)
		ret = __vfio_cdev_attach(fd, s->ioas);
	if (ret) {
		close(fd);
		return ret;
	}
	*devid = bind.out_devid;
	return fd;
}

/* Open @name: 0 or -errno. */
static int diff_sess_open(struct diff_sess *s, const char *name)
{
	int fd, group;

	if (s->ndevs == DIFF_MAX_FUNCS)
		vfio_lib_fail("too many devices");
	if (s->cdev) {
		fd = diff_sess_cdev(s, name, &s->devid[s->ndevs]);
	} else {
		group = diff_sess_group(s, name);
		if (group < 0)
			return group;
		fd = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, name);
		if (fd < 0)
			fd = -errno;
	}
	if (fd < 0)
		return fd;
	diff_copy(s->dev[s->ndevs], sizeof(s->dev[0]), name);
	s->fd[s->ndevs++] = fd;
	return 0;
}

static int diff_sess_fd(const struct diff_sess *s, const char *name)
{
	for (int i = 0; i < s->ndevs; i++)
		if (!strcmp(s->dev[i], name))
			return s->fd[i];
	vfio_lib_fail("%s is not open", name);
}

/* Close one device; its groups stay open. */
static void diff_sess_close_dev(struct diff_sess *s, const char *name)
{
	for (int i = 0; i < s->ndevs; i++) {
		if (strcmp(s->dev[i], name))
			continue;
		close(s->fd[i]);
		s->ndevs--;
		memcpy(s->dev[i], s->dev[s->ndevs], sizeof(s->dev[0]));
		s->fd[i] = s->fd[s->ndevs];
		s->devid[i] = s->devid[s->ndevs];
		return;
	}
}

static void diff_sess_close(struct diff_sess *s)
{
	for (int i = 0; i < s->ndevs; i++)
		close(s->fd[i]);
	for (int i = 0; i < s->ngroups; i++)
		close(s->group_fd[i]);
	if (s->container >= 0)
		close(s->container);
	if (s->iommufd >= 0)
		close(s->iommufd);
	diff_sess_init(s, s->cdev);
}

/*
 * Another process holding @name open, through a session of its own, until
 * diff_release(). Returns what its open returned.
 */
struct diff_holder {
	pid_t pid;
	int release;
};

static int diff_hold(struct diff_holder *h, const char *name, bool cdev)
{
	int to_child[2], to_parent[2], ret;
	char c;

	if (pipe(to_child) || pipe(to_parent))
		vfio_lib_fail("pipe: %s", strerror(errno));
	h->pid = fork();
	if (h->pid < 0)
		vfio_lib_fail("fork: %s", strerror(errno));
	if (!h->pid) {
		struct diff_sess s;

		close(to_child[1]);
		close(to_parent[0]);
		diff_sess_init(&s, cdev);
		ret = diff_sess_open(&s, name);
		if (write(to_parent[1], &ret, sizeof(ret)) != sizeof(ret) ||
		    read(to_child[0], &c, 1) < 0)
			_exit(1);
		diff_sess_close(&s);
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);
	h->release = to_child[1];
	if (read(to_parent[0], &ret, sizeof(ret)) != sizeof(ret))
		ret = -EIO;
	close(to_parent[0]);
	return ret;
}

/* The holder closes what it opened and exits; returns once it has. */
static void diff_release(struct diff_holder *h)
{
	int status;

	close(h->release);
	if (waitpid(h->pid, &status, 0) != h->pid || status)
		vfio_lib_fail("holder %d ended with status %d", h->pid, status);
}

/* ---- the hot reset ioctls ---- */

/* VFIO_DEVICE_PCI_HOT_RESET with @count fds; @argsz 0 means the right one. */
static int diff_hot_reset_raw(int fd, const __s32 *fds, __u32 count,
			      __u32 flags, __u32 argsz)
{
	struct {
		struct vfio_pci_hot_reset hdr;
		__s32 fds[DIFF_MAX_FUNCS + 2];
	} arg = {};

	if (count > DIFF_MAX_FUNCS + 2)
		vfio_lib_fail("%u group fds", count);
	arg.hdr.argsz = argsz ? argsz : sizeof(arg.hdr) + count * sizeof(__s32);
	arg.hdr.flags = flags;
	arg.hdr.count = count;
	memcpy(arg.fds, fds, count * sizeof(*fds));
	return ioctl(fd, VFIO_DEVICE_PCI_HOT_RESET, &arg) ? -errno : 0;
}

/* A hot reset from @name, proving ownership with what the session holds. */
static int diff_hot_reset(const struct diff_sess *s, const char *name)
{
	return diff_hot_reset_raw(diff_sess_fd(s, name), s->group_fd,
				  s->cdev ? 0 : s->ngroups, 0, 0);
}

static int diff_info(int fd, struct vfio_pci_hot_reset_info *info,
		     unsigned int room)
{
	info->argsz = sizeof(*info) + room * sizeof(info->devices[0]);
	info->flags = 0;
	info->count = 0;
	return ioctl(fd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, info) ? -errno : 0;
}

/* One info entry: the function, and its group or its iommufd ownership. */
static void diff_entry(const struct diff_sess *s,
		       const struct vfio_pci_hot_reset_info *info,
		       unsigned int i, char *out, size_t len)
{
	const struct vfio_pci_dependent_device *d = &info->devices[i];
	char name[16], own[32] = "";
	long sysfs_group;
	int n;

	snprintf(name, sizeof(name), "%04x:%02x:%02x.%x", d->segment, d->bus,
		 d->devfn >> 3, d->devfn & 7);
	n = snprintf(out, len, "%s", diff_short(name));
	if (!(info->flags & VFIO_PCI_HOT_RESET_FLAG_DEV_ID)) {
		sysfs_group = diff_group_of(name);
		if (sysfs_group == (long)d->group_id)
			snprintf(out + n, len - n, " group %u", d->group_id);
		else
			snprintf(out + n, len - n, " group %u (sysfs: %ld)",
				 d->group_id, sysfs_group);
		return;
	}
	if (d->devid == (__u32)VFIO_PCI_DEVID_NOT_OWNED)
		snprintf(own, sizeof(own), "not owned");
	else if (d->devid == VFIO_PCI_DEVID_OWNED)
		snprintf(own, sizeof(own), "owned");
	for (int k = 0; !own[0] && k < s->ndevs; k++)
		if (s->devid[k] == d->devid)
			snprintf(own, sizeof(own), "devid of %s",
				 diff_short(s->dev[k]));
	if (!own[0])
		snprintf(own, sizeof(own), "devid %u", d->devid);
	snprintf(out + n, len - n, " %s", own);
}

/* GET_PCI_HOT_RESET_INFO from @name: no room, one short, enough, bad argsz. */
static void diff_put_info(struct diff_rec *r, const struct diff_sess *s,
			  const char *name, const char *label)
{
	struct vfio_pci_hot_reset_info *info;
	const char *f = diff_short(name);
	int fd = diff_sess_fd(s, name), ret;
	char entry[64];
	__u32 n;

	info = calloc(1, sizeof(*info) +
			 DIFF_MAX_FUNCS * sizeof(info->devices[0]));
	if (!info)
		vfio_lib_fail("out of memory");

	ret = diff_info(fd, info, 0);
	diff_put(r, "%s %s: info, no room = %s count=%u", f, label,
		 diff_err(ret), ret == -ENOSPC ? info->count : 0);
	n = info->count;
	if (ret != -ENOSPC || n > DIFF_MAX_FUNCS) {
		free(info);
		return;
	}
	if (n > 1) {
		ret = diff_info(fd, info, n - 1);
		diff_put(r, "%s %s: info, one short = %s count=%u", f, label,
			 diff_err(ret), ret == -ENOSPC ? info->count : 0);
	}
	ret = diff_info(fd, info, n);
	diff_put(r, "%s %s: info = %s flags=%s%s", f, label, diff_err(ret),
		 info->flags & VFIO_PCI_HOT_RESET_FLAG_DEV_ID ? "dev_id" : "0",
		 info->flags & VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED ?
		 ",dev_id_owned" : "");
	for (unsigned int i = 0; !ret && i < info->count; i++) {
		diff_entry(s, info, i, entry, sizeof(entry));
		diff_put(r, "%s %s: info[%u] = %s", f, label, i, entry);
	}
	free(info);
}

/* ---- places: the functions a slot or bus reset of one of them can hit ---- */

/* A function on the root bus is alone; the others share with their bus. */
struct diff_place {
	int n;
	const char *fn[DIFF_MAX_FUNCS];
};

static bool diff_same_place(const char *a, const char *b)
{
	if (diff_on_root_bus(a) || diff_on_root_bus(b))
		return !strcmp(a, b);
	return !strncmp(a, b, 7);	/* "0000:01" */
}

static int diff_places(const struct diff_ctx *c, struct diff_place *p)
{
	int n = 0, i, k;

	for (i = 0; i < c->nfuncs; i++) {
		for (k = 0; k < n; k++)
			if (diff_same_place(p[k].fn[0], c->func[i]))
				break;
		if (k == n)
			p[n++].n = 0;
		p[k].fn[p[k].n++] = c->func[i];
	}
	return n;
}

/* A function outside @p, for "someone else's group" and spill checks. */
static const char *diff_outsider(const struct diff_ctx *c,
				 const struct diff_place *p)
{
	for (int i = 0; i < c->nfuncs; i++)
		if (!diff_same_place(p->fn[0], c->func[i]))
			return c->func[i];
	vfio_lib_fail("no function outside %s", p->fn[0]);
}

/* ---- the scenarios ---- */

typedef void (*diff_scenario)(struct diff_rec *r, struct diff_ctx *c);

/*
 * GET_PCI_HOT_RESET_INFO from each function: the list, -ENOSPC and its
 * count, with the function open alone and with its whole place open.
 */
static void diff_scen_info(struct diff_rec *r, struct diff_ctx *c)
{
	struct diff_place p[DIFF_MAX_FUNCS];
	int np = diff_places(c, p), ret;
	struct diff_sess s;

	for (int k = 0; k < np; k++) {
		for (int i = 0; i < p[k].n; i++) {
			const char *a = p[k].fn[i];

			diff_sess_init(&s, c->cdev);
			ret = diff_sess_open(&s, a);
			diff_put(r, "%s: open = %s", diff_short(a),
				 diff_err(ret));
			if (!ret)
				diff_put_info(r, &s, a, "alone");
			for (int j = 0; !ret && j < p[k].n; j++) {
				if (j == i)
					continue;
				ret = diff_sess_open(&s, p[k].fn[j]);
				diff_put(r, "%s: open %s too = %s",
					 diff_short(a),
					 diff_short(p[k].fn[j]), diff_err(ret));
			}
			if (!ret && p[k].n > 1)
				diff_put_info(r, &s, a, "place open");
			diff_sess_close(&s);
		}
	}
}

/* Hot reset from @a with @fds in place of the session's own proof. */
static void diff_put_reset_with(struct diff_rec *r, const struct diff_sess *s,
				const char *a, const char *what,
				const __s32 *fds, __u32 count)
{
	diff_put(r, "%s hot reset, %s = %s", diff_short(a), what,
		 diff_err(diff_hot_reset_raw(diff_sess_fd(s, a), fds, count,
					     0, 0)));
}

/* Refusals that need the group path: the proof is a list of group fds. */
static void diff_refuse_groups(struct diff_rec *r, const struct diff_sess *s,
			       const char *a, const char *outsider)
{
	__s32 fds[DIFF_MAX_FUNCS + 2];
	int n = s->ngroups, efd, ret;
	struct diff_sess other;

	diff_sess_init(&other, false);
	ret = diff_sess_open(&other, outsider);
	diff_put(r, "%s: open outsider %s = %s", diff_short(a),
		 diff_short(outsider), diff_err(ret));
	memcpy(fds, s->group_fd, n * sizeof(*fds));

	if (!ret) {
		/* The last group left out, someone else's passed instead. */
		fds[n - 1] = other.group_fd[0];
		diff_put_reset_with(r, s, a, "a group missing", fds, n);
		fds[n - 1] = s->group_fd[n - 1];
		/* Every group, and someone else's as well. */
		fds[n] = other.group_fd[0];
		diff_put_reset_with(r, s, a, "an extra group", fds, n + 1);
	}
	fds[0] = s->container;
	diff_put_reset_with(r, s, a, "a container fd", fds, n);
	efd = eventfd(0, EFD_CLOEXEC);
	fds[0] = efd;
	diff_put_reset_with(r, s, a, "an eventfd", fds, n);
	close(efd);
	fds[0] = DIFF_CLOSED_FD;
	diff_put_reset_with(r, s, a, "a closed fd", fds, n);
	diff_put_reset_with(r, s, a, "no groups", fds, 0);
	for (int i = 0; i < DIFF_MAX_FUNCS + 1; i++)
		fds[i] = s->group_fd[0];
	diff_put_reset_with(r, s, a, "more fds than functions", fds,
			    DIFF_MAX_FUNCS + 1);
	diff_sess_close(&other);
}

/* Header errors, an unreadable fd array, and VFIO_DEVICE_RESET. */
static void diff_refuse_header(struct diff_rec *r, const struct diff_sess *s,
			       const char *a)
{
	struct vfio_pci_hot_reset_info info = { .argsz = 8 };
	struct vfio_device_info dinfo = { .argsz = sizeof(dinfo) };
	int fd = diff_sess_fd(s, a), ret;
	const char *f = diff_short(a);
	long pg = getpagesize();
	struct vfio_pci_hot_reset *h;
	__u32 count = s->cdev ? 0 : s->ngroups;
	char *p;

	diff_put(r, "%s hot reset, argsz 8 = %s", f,
		 diff_err(diff_hot_reset_raw(fd, s->group_fd, count, 0, 8)));
	diff_put(r, "%s hot reset, flags 1 = %s", f,
		 diff_err(diff_hot_reset_raw(fd, s->group_fd, count, 1, 0)));
	if (s->cdev) {
		__s32 one = s->iommufd;

		diff_put_reset_with(r, s, a, "an fd on a cdev", &one, 1);
	}
	/* The fd array runs into an unmapped page. */
	p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || mprotect(p + pg, pg, PROT_NONE))
		vfio_lib_fail("mmap: %s", strerror(errno));
	h = (void *)(p + pg - sizeof(*h));
	h->argsz = sizeof(*h) + sizeof(__s32);
	h->flags = 0;
	h->count = 1;
	ret = ioctl(fd, VFIO_DEVICE_PCI_HOT_RESET, h) ? -errno : 0;
	diff_put(r, "%s hot reset, unreadable fds = %s", f, diff_err(ret));
	munmap(p, 2 * pg);

	ret = ioctl(fd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info) ? -errno : 0;
	diff_put(r, "%s info, argsz 8 = %s", f, diff_err(ret));
	ret = ioctl(fd, VFIO_DEVICE_GET_INFO, &dinfo) ? -errno : 0;
	diff_put(r, "%s device info = %s reset flag=%s", f, diff_err(ret),
		 dinfo.flags & VFIO_DEVICE_FLAGS_RESET ? "on" : "off");
	diff_put(r, "%s device reset = %s", f,
		 diff_err(ioctl(fd, VFIO_DEVICE_RESET) ? -errno : 0));
}

/*
 * Every refusal: a member held by another process, a missing or foreign
 * group, a bad header, no reset method, a function in the reset's scope
 * that no driver holds.
 */
static void diff_scen_refuse(struct diff_rec *r, struct diff_ctx *c)
{
	struct diff_place p[DIFF_MAX_FUNCS];
	int np = diff_places(c, p), ret = 0;
	struct diff_holder h;
	struct diff_sess s;

	for (int k = 0; k < np; k++) {
		const char *a = p[k].fn[0], *b = p[k].fn[p[k].n - 1];
		const char *f = diff_short(a);

		if (p[k].n > 1) {
			ret = diff_hold(&h, b, c->cdev);
			diff_put(r, "%s held by another process = %s",
				 diff_short(b), diff_err(ret));
			diff_sess_init(&s, c->cdev);
			ret = diff_sess_open(&s, a);
			diff_put(r, "%s open, %s held = %s", f, diff_short(b),
				 diff_err(ret));
			if (!ret) {
				diff_put_info(r, &s, a, "peer held");
				diff_put(r, "%s hot reset, %s held = %s", f,
					 diff_short(b),
					 diff_err(diff_hot_reset(&s, a)));
			}
			diff_sess_close(&s);
			diff_release(&h);
		}

		diff_sess_init(&s, c->cdev);
		for (int i = 0; i < p[k].n; i++) {
			ret = diff_sess_open(&s, p[k].fn[i]);
			diff_put(r, "%s open = %s", diff_short(p[k].fn[i]),
				 diff_err(ret));
			if (ret)
				break;
		}
		if (!ret) {
			if (!c->cdev)
				diff_refuse_groups(r, &s, a,
						   diff_outsider(c, &p[k]));
			diff_refuse_header(r, &s, a);
		}
		diff_sess_close(&s);

		if (p[k].n == 1)
			continue;
		/* A function in scope with no driver at all. */
		ret = diff_leave_unbound(b);
		diff_put(r, "%s unbind = %s", diff_short(b), diff_err(ret));
		diff_sess_init(&s, c->cdev);
		ret = diff_sess_open(&s, a);
		diff_put(r, "%s open, %s unbound = %s", f, diff_short(b),
			 diff_err(ret));
		if (!ret) {
			diff_put_info(r, &s, a, "peer unbound");
			diff_put(r, "%s hot reset, %s unbound = %s", f,
				 diff_short(b), diff_err(diff_hot_reset(&s, a)));
			diff_mark(a);
		}
		diff_sess_close(&s);
		if (!ret)
			diff_put(r, "%s last close, %s unbound = %s", f,
				 diff_short(b), diff_mark_state(a));
		ret = diff_bind(b, diff_drv_name[c->drv]);
		if (ret)
			vfio_lib_fail("rebind %s: %s", b, diff_err(ret));
	}
}

/*
 * A permitted hot reset: does it reset every function in its scope, and
 * nothing else; do BAR access and edu's registers work afterwards.
 */
static void diff_scen_hot_reset(struct diff_rec *r, struct diff_ctx *c)
{
	struct diff_place p[DIFF_MAX_FUNCS];
	int np = diff_places(c, p), ret = 0, fd;
	struct diff_sess s;
	__u32 v;

	for (int k = 0; k < np; k++) {
		const char *a = p[k].fn[0], *out = diff_outsider(c, &p[k]);
		const char *f = diff_short(a);

		diff_sess_init(&s, c->cdev);
		for (int i = 0; i < p[k].n; i++) {
			ret = diff_sess_open(&s, p[k].fn[i]);
			diff_put(r, "%s open = %s", diff_short(p[k].fn[i]),
				 diff_err(ret));
			if (ret)
				break;
			diff_mark(p[k].fn[i]);
		}
		if (ret) {
			diff_sess_close(&s);
			continue;
		}
		diff_mark(out);
		fd = diff_sess_fd(&s, a);
		v = DIFF_LIVENESS;
		vfio_region_write(fd, VFIO_PCI_BAR0_REGION_INDEX,
				  DIFF_EDU_LIVENESS, &v, 4);

		/* From the last member's fd: any member's will do. */
		ret = diff_hot_reset(&s, p[k].fn[p[k].n - 1]);
		diff_put(r, "%s hot reset = %s", f, diff_err(ret));
		for (int i = 0; i < p[k].n; i++)
			diff_put(r, "%s after hot reset of %s = %s",
				 diff_short(p[k].fn[i]), f,
				 diff_mark_state(p[k].fn[i]));
		diff_put(r, "%s (outside) after hot reset of %s = %s",
			 diff_short(out), f, diff_mark_state(out));
		vfio_region_read(fd, VFIO_PCI_BAR0_REGION_INDEX,
				 DIFF_EDU_LIVENESS, &v, 4);
		diff_put(r, "%s after hot reset: liveness = 0x%08x", f, v);
		vfio_region_read(fd, VFIO_PCI_BAR0_REGION_INDEX, DIFF_EDU_ID,
				 &v, 4);
		diff_put(r, "%s after hot reset: edu id = 0x%08x", f, v);
		diff_put_state(r, a, "open after hot reset");
		diff_sess_close(&s);
	}
}

/*
 * Reset at open and on last close: whether and when each function is
 * reset, and its state while open, after a close with a member still open,
 * and after the last close of its place. Each function is left mastering
 * the bus before it closes: closing must stop that.
 */
static void diff_scen_last_close(struct diff_rec *r, struct diff_ctx *c)
{
	struct diff_place p[DIFF_MAX_FUNCS];
	int np = diff_places(c, p), ret = 0, i;
	struct diff_sess s;

	for (int k = 0; k < np; k++) {
		const char *first = p[k].fn[0];

		diff_sess_init(&s, c->cdev);
		for (i = 0; i < p[k].n; i++)
			diff_mark(p[k].fn[i]);
		for (i = 0; i < p[k].n && !ret; i++) {
			ret = diff_sess_open(&s, p[k].fn[i]);
			diff_put(r, "%s open = %s", diff_short(p[k].fn[i]),
				 diff_err(ret));
		}
		if (ret) {
			diff_sess_close(&s);
			ret = 0;
			continue;
		}
		for (i = 0; i < p[k].n; i++) {
			diff_put(r, "%s after open = %s",
				 diff_short(p[k].fn[i]),
				 diff_mark_state(p[k].fn[i]));
			diff_put_state(r, p[k].fn[i], "open");
			diff_mark(p[k].fn[i]);
			/* As a user that let the function master would. */
			diff_master_on(p[k].fn[i]);
		}
		if (p[k].n > 1) {
			diff_sess_close_dev(&s, first);
			for (i = 0; i < p[k].n; i++)
				diff_put(r, "%s after %s closed, rest open = %s",
					 diff_short(p[k].fn[i]),
					 diff_short(first),
					 diff_mark_state(p[k].fn[i]));
			diff_put_state(r, first, "closed, rest open");
		}
		diff_sess_close(&s);
		for (i = 0; i < p[k].n; i++) {
			diff_put(r, "%s after last close = %s",
				 diff_short(p[k].fn[i]),
				 diff_mark_state(p[k].fn[i]));
			diff_put_state(r, p[k].fn[i], "closed");
		}
	}
}

/* One row of diff_scen_sets(): @a used while @b is held elsewhere. */
static void diff_pair(struct diff_rec *r, const struct diff_ctx *c,
		      const char *a, const char *b)
{
	char hold[16], open[16], hr[16] = "-", at_close[16];
	struct diff_holder h;
	struct diff_sess s;
	int ret;

	ret = diff_hold(&h, b, c->cdev);
	snprintf(hold, sizeof(hold), "%s", diff_err(ret));
	diff_mark(a);
	diff_sess_init(&s, c->cdev);
	ret = diff_sess_open(&s, a);
	snprintf(open, sizeof(open), "%s", diff_err(ret));
	if (!ret) {
		snprintf(hr, sizeof(hr), "%s", diff_err(diff_hot_reset(&s, a)));
		diff_mark(a);
	}
	diff_sess_close(&s);
	snprintf(at_close, sizeof(at_close), "%s", diff_mark_state(a));
	diff_release(&h);
	diff_put(r, "%s, %s held%s%s = open %s, hot reset %s, close %s, release %s",
		 diff_short(a), diff_short(b), strcmp(hold, "0") ? " " : "",
		 strcmp(hold, "0") ? hold : "", open, hr, at_close,
		 diff_mark_state(a));
}

/*
 * Which functions act as one set: for pairs (a, b), with b held by another
 * process, can a be opened, may it be hot reset, and is it reset when it
 * closes, or only when b's holder lets go. b is every other function of
 * a's place, and the first function of the next place: one outsider per
 * place is enough to show that sets do not reach across places, and all
 * 30 pairs of the VM's six functions took 27 s on the sanitizer kernel.
 */
static void diff_scen_sets(struct diff_rec *r, struct diff_ctx *c)
{
	struct diff_place p[DIFF_MAX_FUNCS];
	int np = diff_places(c, p);

	for (int k = 0; k < np; k++) {
		for (int i = 0; i < p[k].n; i++) {
			for (int j = 0; j < p[k].n; j++)
				if (j != i)
					diff_pair(r, c, p[k].fn[i], p[k].fn[j]);
			if (np > 1)
				diff_pair(r, c, p[k].fn[i], p[(k + 1) % np].fn[0]);
		}
	}
}

/* ---- running a scenario on both drivers and comparing ---- */

static const struct diff_known *diff_known_for(const char *test,
					       const char *path,
					       const char *key)
{
	for (const struct diff_known *k = diff_known; k->test; k++)
		if (!fnmatch(k->test, test, 0) && !fnmatch(k->path, path, 0) &&
		    !fnmatch(k->kernel, diff_kernel(), 0) &&
		    !fnmatch(k->key, key, 0))
			return k;
	return NULL;
}

/* Print both records side by side; return the undocumented differences. */
static int diff_compare(const char *test, const char *path,
			const struct diff_rec *a, const struct diff_rec *b)
{
	const struct diff_known *known;
	const char *av, *bv;
	int bad = 0;

	printf("# %-44s | %-30s | %s\n", "", diff_drv_name[DIFF_PSS],
	       diff_drv_name[DIFF_VFIO_PCI]);
	for (unsigned int i = 0; i < a->n + b->n; i++) {
		const struct diff_row *row = i < a->n ? &a->row[i] :
						 &b->row[i - a->n];

		/* Rows only the second record has come last. */
		if (i >= a->n && diff_val(a, row->key))
			continue;
		av = diff_val(a, row->key);
		bv = diff_val(b, row->key);
		known = diff_known_for(test, path, row->key);
		printf("# %-44s | %-30s | %-30s%s\n", row->key,
		       av ? av : "(absent)", bv ? bv : "(absent)",
		       av && bv && !strcmp(av, bv) ? "" :
		       known ? " deliberate" : " <-- DIFFERS");
		if ((!av || !bv || strcmp(av, bv)) && !known)
			bad++;
	}
	for (const struct diff_known *k = diff_known; k->test; k++)
		if (!fnmatch(k->test, test, 0) && !fnmatch(k->path, path, 0) &&
		    !fnmatch(k->kernel, diff_kernel(), 0))
			printf("# deliberate, where it differs: \"%s\": %s\n",
			       k->key, k->why);
	fflush(stdout);
	return bad;
}

/* How many rows of @r have a key matching @key and the value @val. */
static int diff_count(const struct diff_rec *r, const char *key,
		      const char *val)
{
	int n = 0;

	for (unsigned int i = 0; i < r->n; i++)
		n += !fnmatch(key, r->row[i].key, 0) &&
		     !fnmatch(val, r->row[i].val, 0);
	return n;
}

FIXTURE(diff) {
	struct diff_ctx ctx;
	struct diff_rec *rec[DIFF_NR_DRVS];
};

FIXTURE_VARIANT(diff) {
	bool cdev;
};

FIXTURE_VARIANT_ADD(diff, group) {
	.cdev = false,
};

FIXTURE_VARIANT_ADD(diff, cdev) {
	.cdev = true,
};

static int diff_cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

FIXTURE_SETUP(diff)
{
	struct diff_ctx *c = &self->ctx;
	char parent[64], drv[64];
	struct dirent *de;
	DIR *d;

	memset(c, 0, sizeof(*c));
	c->cdev = variant->cdev;
	for (int i = 0; i < DIFF_NR_DRVS; i++) {
		self->rec[i] = calloc(1, sizeof(*self->rec[i]));
		ASSERT_NE(NULL, self->rec[i]);
	}
	if (!path_exists("/sys/bus/pci/drivers/pci_slot_stub"))
		SKIP(return, "pci_slot_stub is not loaded");
	if (!path_exists("/sys/bus/pci/drivers/vfio-pci"))
		SKIP(return, "vfio-pci is not loaded");
	if (c->cdev && (!path_exists("/dev/iommu") ||
			!path_exists("/dev/vfio/devices")))
		SKIP(return, "no VFIO device cdev");

	/* Only QEMU's edu: the test rebinds them, never a host's devices. */
	d = opendir(DIFF_PCI);
	ASSERT_NE(NULL, d);
	while ((de = readdir(d)) && c->nfuncs < DIFF_MAX_FUNCS)
		if (diff_attr_long(de->d_name, "vendor") == DIFF_EDU_VENDOR &&
		    diff_attr_long(de->d_name, "device") == DIFF_EDU_DEVICE)
			diff_copy(c->func[c->nfuncs++], sizeof(c->func[0]),
				  de->d_name);
	closedir(d);
	qsort(c->func, c->nfuncs, sizeof(c->func[0]), diff_cmp_names);
	if (c->nfuncs < 2)
		SKIP(return, "fewer than two edu functions");
	for (int i = 0; i < c->nfuncs; i++)
		if (diff_group_of(c->func[i]) < 0)
			SKIP(return, "%s has no IOMMU group (no IOMMU?)",
			     c->func[i]);

	/*
	 * A PCI-PCI bridge's SHPC driver uses the DMA API, which makes the
	 * IOMMU group it shares with its bus unusable for VFIO; the bridge
	 * is given back in teardown.
	 */
	for (int i = 0; i < c->nfuncs; i++) {
		diff_parent(c->func[i], parent, sizeof(parent));
		if (!strncmp(parent, "pci", 3))
			continue;
		diff_link(parent, "driver", drv, sizeof(drv));
		if (strcmp(drv, "shpchp"))
			continue;
		ASSERT_EQ(0, diff_unbind(parent));
		diff_copy(c->bridge[c->nbridges++], sizeof(c->bridge[0]),
			  parent);
	}
}

/*
 * In the parent, which a failed ASSERT or a vfio_lib_fail() in the test
 * process never skips, and after that process has exited: no fd of it
 * holds a function that is being unbound. The records went with it.
 */
FIXTURE_TEARDOWN_PARENT(diff)
{
	struct diff_ctx *c = &self->ctx;

	for (int i = 0; i < c->nfuncs; i++)
		diff_bind(c->func[i], "");
	for (int i = 0; i < c->nbridges; i++)
		__sysfs_write("/sys/bus/pci/drivers/shpchp/bind", c->bridge[i]);
}

/*
 * Run @scen under each driver into @rec, print both records side by side.
 * Returns the differences diff_known[] does not explain, or -1 if the
 * functions could not all be bound to a driver.
 */
static int diff_run(struct diff_ctx *c, struct diff_rec **rec,
		    const char *test, diff_scenario scen)
{
	for (int d = 0; d < DIFF_NR_DRVS; d++) {
		if (diff_bind_all(c, d)) {
			printf("# binding the functions to %s failed\n",
			       diff_drv_name[d]);
			return -1;
		}
		scen(rec[d], c);
	}
	return diff_compare(test, c->cdev ? "cdev" : "group", rec[0], rec[1]);
}

TEST_F_TIMEOUT(diff, hot_reset_info, 300)
{
	EXPECT_EQ(0, diff_run(&self->ctx, self->rec, "hot_reset_info", diff_scen_info));
	/* vfio-pci lists a scope somewhere, or nothing here means anything. */
	EXPECT_LT(0, diff_count(self->rec[DIFF_VFIO_PCI], "*: info", "0 *"));
}

TEST_F_TIMEOUT(diff, refusals, 300)
{
	EXPECT_EQ(0, diff_run(&self->ctx, self->rec, "refusals", diff_scen_refuse));
	EXPECT_LT(0, diff_count(self->rec[DIFF_VFIO_PCI], "*hot reset, *",
				"EINVAL"));
}

TEST_F_TIMEOUT(diff, hot_reset_resets, 300)
{
	EXPECT_EQ(0, diff_run(&self->ctx, self->rec, "hot_reset_resets", diff_scen_hot_reset));
	EXPECT_LT(0, diff_count(self->rec[DIFF_VFIO_PCI], "* hot reset", "0"));
	EXPECT_EQ(0, diff_count(self->rec[DIFF_VFIO_PCI], "*(outside)*",
				"reset"));
}

TEST_F_TIMEOUT(diff, last_close, 300)
{
	EXPECT_EQ(0, diff_run(&self->ctx, self->rec, "last_close", diff_scen_last_close));
	/* Nothing may stay enabled or mastering once closed. */
	EXPECT_EQ(0, diff_count(self->rec[DIFF_PSS], "* closed: enable",
				"[!0]*"));
	EXPECT_EQ(0, diff_count(self->rec[DIFF_PSS], "* closed: bus master",
				"on"));
	EXPECT_LT(0, diff_count(self->rec[DIFF_VFIO_PCI], "* after last close",
				"reset"));
}

TEST_F_TIMEOUT(diff, sets, 900)
{
	EXPECT_EQ(0, diff_run(&self->ctx, self->rec, "sets", diff_scen_sets));
}

TEST_HARNESS_MAIN
