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
 * shows the device on the guest's bus. No guest boots.
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
#define QEMU_DEV_ID		"vfio-suite-dev"
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

static int qemu_present(void)
{
	return access(QEMU_BIN, X_OK) == 0;
}

/*
 * Start QEMU with @sysfsdev as a vfio-pci device. @display is the
 * device's display= value. The machine stays paused: no guest code runs.
 * Under TCG in the test VM, i440fx with a 16 MiB translation cache starts
 * in about half the time of q35 with the default cache, and vfio-pci needs
 * nothing q35 has.
 */
static int qemu_start(struct qemu_vm *vm, const char *sysfsdev,
		      const char *display)
{
	char dev[PATH_MAX + 128];
	int to_qemu[2], from_qemu[2];
	int ret;

	snprintf(dev, sizeof(dev), "vfio-pci,id=%s,sysfsdev=%s,display=%s",
		 QEMU_DEV_ID, sysfsdev, display);
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
		execl(QEMU_BIN, QEMU_BIN, "-M", "pc", "-accel", "tcg,tb-size=16",
		      "-nodefaults", "-no-user-config", "-display", "none",
		      "-m", "64", "-S", "-chardev", "stdio,id=qmp",
		      "-mon", "chardev=qmp,mode=control", "-device", dev,
		      (char *)NULL);
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

FIXTURE(qemu_user) {
	struct mdev_type_id types[MDEV_TYPES_MAX];
	unsigned int nr_types;
	char uuid[UUID_STR_LEN];
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
	qemu_kill(&self->vm);
	if (self->uuid[0])
		__mdev_remove(self->uuid);
}

/*
 * One QEMU run against @sysfsdev, whose driver names its debugfs
 * directory @dev_name: QEMU realizes the device and answers; while it runs
 * the device was opened once more and not closed; after "quit" it was
 * closed once and not opened again.
 */
static void qemu_use(struct __test_metadata *_metadata,
		     FIXTURE_DATA(qemu_user) * self, const char *sysfsdev,
		     const char *dev_name, const char *display)
{
	long opens = dev_counter(dev_name, "open_count");
	long closes = dev_counter(dev_name, "close_count");
	int ret, status;

	TH_LOG("%s display=%s", sysfsdev, display);
	ASSERT_EQ(0, qemu_start(&self->vm, sysfsdev, display));
	ret = qmp(&self->vm, "qmp_capabilities", self->reply, sizeof(self->reply));
	if (ret == -EPIPE) {
		status = qemu_wait(&self->vm);
		TH_LOG("QEMU exited before answering (status %#x): realize failed",
		       status);
	}
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, qmp(&self->vm, "query-pci", self->reply, sizeof(self->reply)));
	EXPECT_NE(NULL, strstr(self->reply, "\"" QEMU_DEV_ID "\"")) {
		TH_LOG("no %s on the guest's bus: %s", QEMU_DEV_ID, self->reply);
	}

	EXPECT_EQ(opens + 1, dev_counter(dev_name, "open_count"));
	EXPECT_EQ(closes, dev_counter(dev_name, "close_count"));

	ASSERT_EQ(0, qmp(&self->vm, "quit", self->reply, sizeof(self->reply)));
	status = qemu_wait(&self->vm);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		TH_LOG("QEMU's wait status after quit: %#x", status);
	}
	EXPECT_EQ(opens + 1, dev_counter(dev_name, "open_count"));
	EXPECT_EQ(closes + 1, dev_counter(dev_name, "close_count"));
}

/*
 * The timeouts are watchdogs, not timing assertions: on Debian kernels a
 * QEMU run takes 3 to 6 s in the test VM, on the sanitizer kernel about
 * 25 s.
 */

/*
 * Every mdev type (one per parent on the sanitizer kernel:
 * mdev_list_types_to_start()), with display=off; the types that offer a
 * region plane once more with display=on, where QEMU also queries the plane
 * at realize. Types one at a time, as a parent's types may share its
 * instances.
 */
TEST_F_TIMEOUT(qemu_user, every_mdev_type, 540)
{
	char sysfsdev[PATH_MAX];
	unsigned int i;

	if (!self->nr_types)
		SKIP(return, "no mdev parent is registered");
	for (i = 0; i < self->nr_types; i++) {
		const struct mdev_type_id *t = &self->types[i];

		TH_LOG("%s/%s", t->parent, t->type);
		mdev_create(t->parent, t->type, self->uuid);
		snprintf(sysfsdev, sizeof(sysfsdev), "/sys/bus/mdev/devices/%s",
			 self->uuid);
		qemu_use(_metadata, self, sysfsdev, self->uuid, "off");
		/*
		 * QEMU shows a dma-buf plane only through OpenGL, which
		 * -display none lacks: it refuses display=on for such a
		 * device. A region plane it reads itself.
		 */
		if (mdev_has_plane(self->uuid, VFIO_GFX_PLANE_TYPE_REGION))
			qemu_use(_metadata, self, sysfsdev, self->uuid, "on");
		mdev_remove(self->uuid);
		self->uuid[0] = '\0';
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
	char name[NAME_MAX + 1], sysfsdev[PATH_MAX];

	if (!pss_first_function(name, sizeof(name)))
		SKIP(return, "pci_slot_stub has bound no function");
	snprintf(sysfsdev, sizeof(sysfsdev), "/sys/bus/pci/devices/%s", name);
	qemu_use(_metadata, self, sysfsdev, name, "off");
}

/*
 * The check itself: a device QEMU cannot realize makes it exit with an
 * error before it answers, and qemu_use() would fail on that.
 */
TEST_F_TIMEOUT(qemu_user, realize_failure_is_seen, 180)
{
	int status;

	ASSERT_EQ(0, qemu_start(&self->vm, "/sys/bus/mdev/devices/vfio-suite-none",
				"off"));
	EXPECT_EQ(-EPIPE, qmp(&self->vm, "qmp_capabilities", self->reply,
			      sizeof(self->reply)));
	status = qemu_wait(&self->vm);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0);
}

TEST_HARNESS_MAIN
