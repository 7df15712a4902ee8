// SPDX-License-Identifier: GPL-2.0
/*
 * qemu_user: the distribution's unmodified qemu-system-x86_64 as the VFIO
 * user of every mdev type the suite registers and of one pci_slot_stub
 * function. This is the "used by a real VMM" proof: QEMU's vfio-pci must
 * realize the device (read its config space and regions, map the guest's
 * RAM, wire its interrupts), and the driver's counters must show exactly
 * one open_device while QEMU runs and one close_device once it has quit.
 *
 * QEMU starts paused (-S) with its QMP monitor on a pipe. QEMU answers QMP
 * only after every -device is realized, and exits instead if one fails, so
 * the first answer is the proof that realize succeeded; query-pci then
 * shows the device on the guest's bus. No guest boots. A driver without
 * the suite's open/close counters in debugfs is checked through its IOMMU
 * group instead: held (EBUSY to anyone else) while QEMU runs, free after.
 *
 * Each QEMU launch costs seconds of start-up under TCG, most of it QEMU's
 * own, so every_mdev_type gives one QEMU several devices: one run per
 * round, where a round takes one type of each mdev parent. The checks stay
 * per device (its own id on the guest's bus, its own debugfs counters), so
 * devices sharing a run cannot stand in for one another.
 *
 * Types and the PCI function are discovered at run time, so a new mdev
 * parent is covered without editing this file. Without QEMU (a host
 * without the qemu-system-x86 package, or a VM image built without it)
 * every test skips.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "mdev_types.h"
#include "vfio_lib.h"

#define QEMU_BIN		"/usr/bin/qemu-system-x86_64"
/*
 * Device N of a run is QEMU's QEMU_DEV_ID "N" at slot QEMU_FIRST_SLOT + N
 * of the guest's bus. i440fx has 32 slots, 0 and 1 taken by the host
 * bridge and the PIIX; giving each device its slot keeps its address
 * independent of which devices share the run.
 */
#define QEMU_DEV_ID		"vfio-suite-dev"
#define QEMU_FIRST_SLOT		4
#define QEMU_DEVS_MAX		16
#define QEMU_REPLY_LEN		65536
/*
 * How long QEMU may take to answer before the test gives up on it. Not a
 * timing assertion: a healthy QEMU answers in seconds even under TCG, and
 * this only keeps a hung one from hanging the run.
 */
#define QEMU_WAIT_MS		60000
#define PSS_DRIVER_DIR		"/sys/bus/pci/drivers/pci_slot_stub"

/*
 * A running QEMU: its pid and the two ends of its QMP pipe. @buf holds
 * what QEMU wrote that no reply has consumed yet.
 */
struct qemu_vm {
	pid_t pid;
	int qmp_in;
	int qmp_out;
	char buf[QEMU_REPLY_LEN];
	size_t len;
};

/*
 * One device of a QEMU run. @name is the directory of its driver's debugfs
 * counters (the mdev's UUID, or the PCI address); @label names it in the
 * log; @display is its display= value. @opens and @closes are its
 * counters before the run, or -1 when the driver has none.
 */
struct qemu_dev {
	char sysfsdev[PATH_MAX];
	char name[NAME_MAX + 1];
	char label[NAME_MAX + 64];
	const char *display;
	long opens;
	long closes;
};

/* Whether the device's IOMMU group is held: opening it fails with EBUSY. */
static bool group_held(const char *sysfsdev)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/iommu_group", sysfsdev);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return false;
	link[n] = '\0';
	snprintf(path, sizeof(path), "/dev/vfio/%s", strrchr(link, '/') + 1);
	fd = open(path, O_RDWR);
	if (fd >= 0) {
		close(fd);
		return false;
	}
	return errno == EBUSY;
}

static int qemu_present(void)
{
	return access(QEMU_BIN, X_OK) == 0;
}

/*
 * Start QEMU with the @n devices @devs as vfio-pci devices. The machine
 * stays paused: no guest code runs. Under TCG in the test VM, i440fx with
 * a 16 MiB translation cache starts in about half the time of q35 with the
 * default cache, and vfio-pci needs nothing q35 has.
 */
static int qemu_start(struct qemu_vm *vm, const struct qemu_dev *devs,
		      unsigned int n)
{
	static const char * const fixed[] = {
		QEMU_BIN, "-M", "pc", "-accel", "tcg,tb-size=16",
		"-nodefaults", "-no-user-config", "-display", "none",
		"-m", "64", "-S", "-chardev", "stdio,id=qmp",
		"-mon", "chardev=qmp,mode=control",
	};
	const char *argv[ARRAY_SIZE(fixed) + 2 * QEMU_DEVS_MAX + 1];
	char opts[QEMU_DEVS_MAX][PATH_MAX + 128];
	int to_qemu[2], from_qemu[2];
	unsigned int i, argc = 0;
	int ret;

	if (n > QEMU_DEVS_MAX)
		return -E2BIG;
	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		argv[argc++] = fixed[i];
	for (i = 0; i < n; i++) {
		snprintf(opts[i], sizeof(opts[i]),
			 "vfio-pci,id=%s%u,addr=%#x,sysfsdev=%s,display=%s",
			 QEMU_DEV_ID, i, QEMU_FIRST_SLOT + i, devs[i].sysfsdev,
			 devs[i].display);
		argv[argc++] = "-device";
		argv[argc++] = opts[i];
	}
	argv[argc] = NULL;
	if (pipe2(to_qemu, O_CLOEXEC))
		return -errno;
	if (pipe2(from_qemu, O_CLOEXEC)) {
		ret = -errno;
		goto out_close_to_qemu;
	}
	fflush(stdout);
	fflush(stderr);
	vm->pid = fork();
	if (vm->pid < 0) {
		ret = -errno;
		goto out_close_from_qemu;
	}
	if (vm->pid == 0) {
		dup2(to_qemu[0], STDIN_FILENO);
		dup2(from_qemu[1], STDOUT_FILENO);
		/* QEMU's errors (e.g. why realize failed) go to the test log. */
		execv(QEMU_BIN, (char * const *)argv);
		_exit(127);
	}
	close(to_qemu[0]);
	close(from_qemu[1]);
	vm->qmp_in = to_qemu[1];
	vm->qmp_out = from_qemu[0];
	vm->len = 0;
	return 0;

out_close_from_qemu:
	vm->pid = 0;
	close(from_qemu[0]);
	close(from_qemu[1]);
out_close_to_qemu:
	close(to_qemu[0]);
	close(to_qemu[1]);
	return ret;
}

/*
 * Read QEMU's next QMP line into @line: 0, or -EPIPE when QEMU closed its
 * end (it exited), or -ETIMEDOUT.
 */
static int qmp_read_line(struct qemu_vm *vm, char *line, size_t len)
{
	struct pollfd pfd = { .fd = vm->qmp_out, .events = POLLIN };
	char *nl;
	ssize_t n;
	size_t l;

	while (!(nl = memchr(vm->buf, '\n', vm->len))) {
		if (vm->len == sizeof(vm->buf))
			return -EOVERFLOW;
		n = poll(&pfd, 1, QEMU_WAIT_MS);
		if (n == 0)
			return -ETIMEDOUT;
		if (n < 0)
			return -errno;
		n = read(vm->qmp_out, vm->buf + vm->len, sizeof(vm->buf) - vm->len);
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		vm->len += n;
	}
	l = nl - vm->buf + 1;
	snprintf(line, len, "%.*s", (int)(l < len ? l : len - 1), vm->buf);
	memmove(vm->buf, nl + 1, vm->len - l);
	vm->len -= l;
	return 0;
}

/*
 * Send @cmd (a QMP command name, no arguments) and wait for its answer,
 * skipping the greeting and events. The answer goes to @reply. Returns 0
 * for a "return", -EREMOTEIO for an "error", or what qmp_read_line()
 * returned.
 */
static int qmp(struct qemu_vm *vm, const char *cmd, char *reply, size_t len)
{
	char msg[128];
	int ret;

	snprintf(msg, sizeof(msg), "{\"execute\": \"%s\"}\n", cmd);
	if (write(vm->qmp_in, msg, strlen(msg)) != (ssize_t)strlen(msg))
		return -errno;
	for (;;) {
		ret = qmp_read_line(vm, reply, len);
		if (ret)
			return ret;
		if (!strncmp(reply, "{\"return\"", 9))
			return 0;
		if (!strncmp(reply, "{\"error\"", 8))
			return -EREMOTEIO;
	}
}

/*
 * Wait for QEMU to exit and return its wait status. Kills it if it does
 * not exit by itself, so that the caller never waits forever.
 */
static int qemu_wait(struct qemu_vm *vm)
{
	int status, i;

	close(vm->qmp_in);
	close(vm->qmp_out);
	for (i = 0; i < QEMU_WAIT_MS / 100; i++) {
		if (waitpid(vm->pid, &status, WNOHANG) == vm->pid)
			goto out;
		usleep(100000);
	}
	kill(vm->pid, SIGKILL);
	waitpid(vm->pid, &status, 0);
out:
	vm->pid = 0;
	return status;
}

static void qemu_kill(struct qemu_vm *vm)
{
	if (vm->pid <= 0)
		return;
	kill(vm->pid, SIGKILL);
	waitpid(vm->pid, NULL, 0);
	close(vm->qmp_in);
	close(vm->qmp_out);
	vm->pid = 0;
}

/*
 * Whether the device offers a display plane of @kind (a
 * VFIO_GFX_PLANE_TYPE_*), as QEMU's display=on asks at realize. Opens and
 * closes the device once.
 */
static int mdev_has_plane(const char *uuid, __u32 kind)
{
	struct vfio_device_gfx_plane_info plane = {
		.argsz = sizeof(plane),
		.flags = VFIO_GFX_PLANE_TYPE_PROBE | kind,
	};
	struct vfio_dev dev;
	int ret;

	vfio_mdev_open(uuid, &dev);
	ret = ioctl(dev.fd, VFIO_DEVICE_QUERY_GFX_PLANE, &plane);
	vfio_dev_close(&dev);
	return ret == 0;
}

/*
 * @started marks the types a round has taken; @uuid holds the mdevs of the
 * current round, for the teardown to remove if the test stops early.
 */
FIXTURE(qemu_user) {
	struct mdev_type_id types[MDEV_TYPES_MAX];
	bool started[MDEV_TYPES_MAX];
	unsigned int nr_types;
	char uuid[QEMU_DEVS_MAX][UUID_STR_LEN];
	struct qemu_vm vm;
	char reply[QEMU_REPLY_LEN];
};

FIXTURE_SETUP(qemu_user)
{
	if (!qemu_present())
		SKIP(return, QEMU_BIN " is not installed");
	/* A QEMU that died must fail the test, not kill it with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);

	self->nr_types = mdev_list_types_to_start(self->types, MDEV_TYPES_MAX);
}

FIXTURE_TEARDOWN(qemu_user)
{
	unsigned int i;

	qemu_kill(&self->vm);
	for (i = 0; i < QEMU_DEVS_MAX; i++)
		if (self->uuid[i][0])
			__mdev_remove(self->uuid[i]);
}

/*
 * Expect @dev opened @opened and closed @closed times since its run began;
 * without counters, its group held while it is open and free once closed.
 */
static void expect_counts(struct __test_metadata *_metadata,
			  const struct qemu_dev *dev, long opened, long closed)
{
	long o, c;

	if (dev->opens < 0) {
		EXPECT_EQ(opened > closed, group_held(dev->sysfsdev)) {
			TH_LOG("%s: its group is %sheld", dev->label,
			       opened > closed ? "not " : "still ");
		}
		return;
	}
	o = dev_counter(dev->name, "open_count") - dev->opens;
	c = dev_counter(dev->name, "close_count") - dev->closes;

	EXPECT_EQ(opened, o) {
		TH_LOG("%s: opened %ld times, want %ld", dev->label, o, opened);
	}
	EXPECT_EQ(closed, c) {
		TH_LOG("%s: closed %ld times, want %ld", dev->label, c, closed);
	}
}

/*
 * QEMU names the -device it could not realize on its stderr, which is in
 * the test log; the test names it too. A run of one device names itself.
 * Of a run of several that failed, each device is started alone to find
 * the ones QEMU refuses: launches spent only on a failure.
 */
static void name_refused(struct __test_metadata *_metadata,
			 FIXTURE_DATA(qemu_user) * self,
			 const struct qemu_dev *devs, unsigned int n)
{
	unsigned int i, refused = 0;
	int ret;

	for (i = 0; i < n; i++) {
		if (n > 1) {
			ret = qemu_start(&self->vm, &devs[i], 1);
			if (!ret)
				ret = qmp(&self->vm, "qmp_capabilities",
					  self->reply, sizeof(self->reply));
			qemu_kill(&self->vm);
			if (ret != -EPIPE)
				continue;
		}
		TH_LOG("QEMU cannot realize %s (%s)", devs[i].label,
		       devs[i].sysfsdev);
		refused++;
	}
	if (!refused)
		TH_LOG("each device realizes alone, not all %u together", n);
}

/*
 * One QEMU run with the @n devices @devs: QEMU realizes every device and
 * answers, and query-pci shows each on the guest's bus; while QEMU runs,
 * each device was opened once more and not closed; after "quit" each was
 * closed once and not opened again.
 */
static void qemu_run(struct __test_metadata *_metadata,
		     FIXTURE_DATA(qemu_user) * self, struct qemu_dev *devs,
		     unsigned int n)
{
	char id[32];
	unsigned int i;
	int ret, status;

	for (i = 0; i < n; i++) {
		if (__dev_counter(devs[i].name, "open_count", &devs[i].opens) ||
		    __dev_counter(devs[i].name, "close_count", &devs[i].closes)) {
			devs[i].opens = -1;
			TH_LOG("%s: no open/close counters: its group stands in",
			       devs[i].label);
		}
		TH_LOG("%s%u: %s display=%s", QEMU_DEV_ID, i, devs[i].label,
		       devs[i].display);
	}
	ASSERT_EQ(0, qemu_start(&self->vm, devs, n));
	ret = qmp(&self->vm, "qmp_capabilities", self->reply, sizeof(self->reply));
	if (ret == -EPIPE) {
		status = qemu_wait(&self->vm);
		TH_LOG("QEMU exited before answering (status %#x): realize failed",
		       status);
		name_refused(_metadata, self, devs, n);
	}
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, qmp(&self->vm, "query-pci", self->reply, sizeof(self->reply)));
	for (i = 0; i < n; i++) {
		/* The quotes keep "...dev1" from matching "...dev10". */
		snprintf(id, sizeof(id), "\"%s%u\"", QEMU_DEV_ID, i);
		EXPECT_NE(NULL, strstr(self->reply, id)) {
			TH_LOG("%s: no %s on the guest's bus: %s",
			       devs[i].label, id, self->reply);
		}
		expect_counts(_metadata, &devs[i], 1, 0);
	}

	ASSERT_EQ(0, qmp(&self->vm, "quit", self->reply, sizeof(self->reply)));
	status = qemu_wait(&self->vm);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		TH_LOG("QEMU's wait status after quit: %#x", status);
	}
	for (i = 0; i < n; i++)
		expect_counts(_metadata, &devs[i], 1, 1);
}

/*
 * Take the next round from the types no round has taken yet: the first of
 * each parent's, so that no two devices of a run share a parent. A
 * parent's types may share its instances and resources (how many devices,
 * how much memory); two of them at once could meet that limit, which is the
 * parent's business, not this test's. Returns how many types it took.
 */
static unsigned int next_round(FIXTURE_DATA(qemu_user) * self,
			       const struct mdev_type_id **round)
{
	const char *parent = NULL;
	unsigned int i, n = 0;

	/* mdev_list_types() sorts by parent: a parent's types are adjacent. */
	for (i = 0; i < self->nr_types && n < QEMU_DEVS_MAX; i++) {
		const struct mdev_type_id *t = &self->types[i];

		if (self->started[i] || (parent && !strcmp(parent, t->parent)))
			continue;
		self->started[i] = true;
		round[n++] = t;
		parent = t->parent;
	}
	return n;
}

/* Fill @dev for the mdev @uuid of type @t. */
static void mdev_qemu_dev(struct qemu_dev *dev, const struct mdev_type_id *t,
			  const char *uuid, const char *display)
{
	snprintf(dev->sysfsdev, sizeof(dev->sysfsdev),
		 "/sys/bus/mdev/devices/%s", uuid);
	snprintf(dev->name, sizeof(dev->name), "%s", uuid);
	snprintf(dev->label, sizeof(dev->label), "%s/%s %s", t->parent,
		 t->type, uuid);
	dev->display = display;
}

/*
 * The timeouts are watchdogs, not timing assertions: a QEMU run takes 2 to
 * 3 s in the test VM on Debian kernels, about 5 s on the sanitizer kernel,
 * most of it QEMU's own start-up, and 3 to 5 times that under load.
 */

/*
 * Every mdev type (one per parent on the sanitizer kernel:
 * mdev_list_types_to_start()), with display=off; the types that offer a
 * region plane once more with display=on, where QEMU also queries the
 * plane at realize. One QEMU run per round (next_round()) with display=off,
 * and one with display=on for the round's devices that offer a region
 * plane. There are as many rounds as the largest parent has types (mdpy's
 * three today): 6 runs on Debian's kernels instead of 11 one type at a
 * time, 2 instead of 4 on the sanitizer kernel.
 */
TEST_F_TIMEOUT(qemu_user, every_mdev_type, 540)
{
	const struct mdev_type_id *round[QEMU_DEVS_MAX];
	struct qemu_dev devs[QEMU_DEVS_MAX], on[QEMU_DEVS_MAX];
	unsigned int i, n, nr_on;

	if (!self->nr_types)
		SKIP(return, "no mdev parent is registered");
	while ((n = next_round(self, round))) {
		for (i = 0; i < n; i++) {
			mdev_create(round[i]->parent, round[i]->type,
				    self->uuid[i]);
			mdev_qemu_dev(&devs[i], round[i], self->uuid[i], "off");
		}
		qemu_run(_metadata, self, devs, n);
		/*
		 * QEMU shows a dma-buf plane only through OpenGL, which
		 * -display none lacks: it refuses display=on for such a
		 * device. A region plane it reads itself, for several
		 * devices in one run too (tried with two mdpy devices).
		 */
		nr_on = 0;
		for (i = 0; i < n; i++) {
			if (!mdev_has_plane(self->uuid[i],
					    VFIO_GFX_PLANE_TYPE_REGION))
				continue;
			on[nr_on] = devs[i];
			on[nr_on++].display = "on";
		}
		if (nr_on)
			qemu_run(_metadata, self, on, nr_on);
		for (i = 0; i < n; i++) {
			mdev_remove(self->uuid[i]);
			self->uuid[i][0] = '\0';
		}
	}
}

/* The first function pci_slot_stub has bound, by its PCI address. */
static int pss_first_function(char *name, size_t len)
{
	struct dirent *d;
	int found = 0;
	DIR *dir;

	dir = opendir(PSS_DRIVER_DIR);
	while (dir && (d = readdir(dir))) {
		/* Functions are the links named 0000:bb:dd.f. */
		if (!strchr(d->d_name, ':'))
			continue;
		if (!found || strcmp(d->d_name, name) < 0)
			snprintf(name, len, "%s", d->d_name);
		found = 1;
	}
	if (dir)
		closedir(dir);
	return found;
}

/* A PCI function, sysfsdev pointing at the PCI device itself. */
TEST_F_TIMEOUT(qemu_user, pci_slot_stub, 180)
{
	struct qemu_dev dev = { .display = "off" };

	if (!pss_first_function(dev.name, sizeof(dev.name)))
		SKIP(return, "pci_slot_stub has bound no function");
	snprintf(dev.sysfsdev, sizeof(dev.sysfsdev), "/sys/bus/pci/devices/%s",
		 dev.name);
	snprintf(dev.label, sizeof(dev.label), "pci_slot_stub %s", dev.name);
	qemu_run(_metadata, self, &dev, 1);
}

/*
 * The check itself: a device QEMU cannot realize makes it exit with an
 * error before it answers, and qemu_run() would fail on that.
 */
TEST_F_TIMEOUT(qemu_user, realize_failure_is_seen, 180)
{
	const struct qemu_dev none = {
		.sysfsdev = "/sys/bus/mdev/devices/vfio-suite-none",
		.display = "off",
	};
	int status;

	ASSERT_EQ(0, qemu_start(&self->vm, &none, 1));
	EXPECT_EQ(-EPIPE, qmp(&self->vm, "qmp_capabilities", self->reply,
			      sizeof(self->reply)));
	status = qemu_wait(&self->vm);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0);
}

TEST_HARNESS_MAIN
