// SPDX-License-Identifier: GPL-2.0
/*
 * e2e_test: a Linux guest on the other side of the suite's devices. Run by
 * make check-e2e (Documentation/e2e.rst), not by make check.
 *
 * In the test VM (L1) this program creates an mtty-2, an mdpy-vga and an
 * mbochs-medium device and starts the distribution's qemu-system-x86_64
 * with all three as -device vfio-pci. QEMU boots the small L2 kernel
 * (kernels/l2.config) and the L2 initramfs (scripts/e2e-l2.sh), whose
 * init (scripts/guest/l2-init) lets Linux's own drivers bind the devices:
 * 8250_pci the mtty ports, bochs DRM the mbochs display, and the suite's
 * mdpy-fb the mdpy display. L2 then
 *
 *  - sends a stream out of each mtty port and reads it back through the
 *    port's loopback plug; L1 watches the same bytes reach the device's
 *    transmit register through a kprobe on mtty_uart_write();
 *  - receives a stream that L1 sends: L1 writes it into port 0's THR
 *    through its copy of QEMU's device fd, mtty loops it back to RBR, and
 *    L2 reads it from the tty and reports its checksum;
 *  - draws a known picture on each framebuffer through /dev/fbN; L1 takes
 *    QEMU's device fds (pidfd_getfd()) and reads the frames as a display
 *    client does: VFIO_DEVICE_QUERY_GFX_PLANE, then the region (mdpy) or
 *    the dma-buf (mbochs), and compares every pixel with the pattern.
 *
 * L2 reports on its console (QEMU's stdout here) in the "E2E ..." lines of
 * e2e/e2e_defs.h, waits for L1's go and powers off; then each device must
 * have been opened and closed exactly once.
 *
 * One boot serves every check, so this program keeps its own KTAP plan
 * instead of the harness's one-fixture-per-test. Without QEMU or the L2
 * files (a VM built without make check-e2e) everything skips.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest.h"
#include "vfio_lib.h"
#include "e2e/e2e_defs.h"

#define QEMU_BIN	"/usr/bin/qemu-system-x86_64"
#define L2_KERNEL	"/e2e/bzImage"
#define L2_INITRD	"/e2e/initramfs.gz"
#define TRACING		"/sys/kernel/tracing"
/* The kprobe event that shows L1 every register write mtty receives. */
#define KPROBE_GROUP	"vfio_e2e"
#define KPROBE_EVENT	"mtty_write"
#define KPROBE_DEF	"p:" KPROBE_GROUP "/" KPROBE_EVENT \
			" mtty:mtty_uart_write port=%si:u32 reg=%dx:u32 val=%cx:u8"
#define MTTY_PORTS	2
/* 16550 registers, as 8250 programs them. */
#define UART_THR	0
#define UART_LCR	3
#define UART_LCR_DLAB	0x80
#define UART_LSR	5
#define UART_LSR_DR	0x01
#define MTTY_FIFO_SIZE	16
#define DRM_PLANE_TYPE_PRIMARY	1
#define XRGB8888	0x34325258

/*
 * Watchdogs, not timing assertions: they only keep a hung nested guest
 * from hanging the run. The L2 boot takes about a minute nested on an idle
 * machine (see Documentation/e2e.rst), several times that under load.
 */
#define L2_WAIT_MS	(20 * 60 * 1000)
#define QUIT_WAIT_MS	(2 * 60 * 1000)
/* L1's stream waits this long at most for L2 to drain the receive FIFO. */
#define RX_DRAIN_MS	(2 * 60 * 1000)
/* bochs's fbdev shadow reaches VRAM from a worker: a few looks at it. */
#define FRAME_TRIES	10

struct e2e_dev {
	const char *parent;
	const char *type;
	__u16 vendor;
	char uuid[UUID_STR_LEN];
	long opens;
	long closes;
	int fd;			/* QEMU's device fd, duplicated; -1 if none */
};

enum { DEV_MTTY, DEV_MDPY, DEV_MBOCHS, NR_DEVS };

static struct e2e_dev devs[NR_DEVS] = {
	[DEV_MTTY] = { "mtty", "mtty-2", 0x4348 },
	[DEV_MDPY] = { "mdpy", "mdpy-vga", 0x1b36 },
	[DEV_MBOCHS] = { "mbochs", "mbochs-medium", 0x1234 },
};

/* What L2 reported, parsed from its console. */
struct l2_report {
	int booted, drawn;
	int tty_ok[MTTY_PORTS];
	int rx_ready, rx_done, rx_ok;
	unsigned int rx_got, rx_first, rx_sum;
	unsigned int fb_w[NR_DEVS], fb_h[NR_DEVS];
	int errors;
	double t_booted, t_drawn;
};

struct qemu {
	pid_t pid;
	int in;			/* L2's console input */
	int out;		/* L2's console output */
	char buf[4096];
	size_t len;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* /sys/kernel/debug/DRIVER/UUID/NAME, as qemu_user_test reads it. */
static long dev_counter(const char *uuid, const char *name)
{
	char pattern[PATH_MAX];
	long val = -1;
	glob_t g;

	snprintf(pattern, sizeof(pattern), "/sys/kernel/debug/*/%s/%s", uuid,
		 name);
	if (!glob(pattern, 0, NULL, &g) && g.gl_pathc == 1)
		__sysfs_read_long(g.gl_pathv[0], &val);
	globfree(&g);
	return val;
}

/* ---- L1 watches mtty's transmit register ---- */

static int tracefs_write(const char *file, const char *val, int append)
{
	char path[PATH_MAX];
	int fd, ret = 0;

	snprintf(path, sizeof(path), TRACING "/%s", file);
	fd = open(path, O_WRONLY | (append ? O_APPEND : O_TRUNC));
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		ret = -errno;
	close(fd);
	return ret;
}

static void kprobe_remove(void)
{
	tracefs_write("events/" KPROBE_GROUP "/" KPROBE_EVENT "/enable", "0", 0);
	tracefs_write("kprobe_events", "-:" KPROBE_GROUP "/" KPROBE_EVENT, 1);
}

/*
 * A kprobe on the model's one entry for register writes. The global
 * clock keeps the order of writes that QEMU's vCPU thread made from
 * different CPUs.
 */
static int kprobe_add(void)
{
	int ret;

	kprobe_remove();
	ret = tracefs_write("kprobe_events", KPROBE_DEF, 1);
	if (!ret)
		ret = tracefs_write("trace_clock", "global", 0);
	if (!ret)
		ret = tracefs_write("trace", "", 0);
	if (!ret)
		ret = tracefs_write("events/" KPROBE_GROUP "/" KPROBE_EVENT "/enable",
				    "1", 0);
	return ret;
}

static unsigned long trace_field(const char *line, const char *name)
{
	const char *p = strstr(line, name);

	return p ? strtoul(p + strlen(name), NULL, 0) : ~0UL;
}

/*
 * The bytes each port sent: writes to THR while LCR.DLAB is clear (with
 * DLAB set, offset 0 is the divisor latch). @len[port] counts them.
 */
static void mtty_sent(__u8 sent[MTTY_PORTS][65536], size_t len[MTTY_PORTS])
{
	int dlab[MTTY_PORTS] = { 0 };
	unsigned long port, reg, val;
	char line[512];
	FILE *f;

	memset(len, 0, sizeof(len[0]) * MTTY_PORTS);
	f = fopen(TRACING "/trace", "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || !strstr(line, KPROBE_EVENT))
			continue;
		port = trace_field(line, "port=");
		reg = trace_field(line, "reg=");
		val = trace_field(line, "val=");
		if (port >= MTTY_PORTS)
			continue;
		if (reg == UART_LCR)
			dlab[port] = !!(val & UART_LCR_DLAB);
		else if (reg == UART_THR && !dlab[port] && len[port] < 65536)
			sent[port][len[port]++] = val;
	}
	if (f)
		fclose(f);
}

/* Whether the stream of @seed went out whole and in order. */
static int stream_seen(const __u8 *sent, size_t len, __u32 seed)
{
	size_t start, i;

	for (start = 0; start + E2E_TTY_LEN <= len; start++) {
		for (i = 0; i < E2E_TTY_LEN; i++)
			if (sent[start + i] != e2e_tty_byte(seed, i))
				break;
		if (i == E2E_TTY_LEN)
			return 1;
	}
	return 0;
}

/* ---- the nested QEMU ---- */

static int qemu_start(struct qemu *q)
{
	char dev[NR_DEVS][PATH_MAX + 64];
	int to[2], from[2], i;

	for (i = 0; i < NR_DEVS; i++)
		snprintf(dev[i], sizeof(dev[i]),
			 "vfio-pci,sysfsdev=/sys/bus/mdev/devices/%s,display=off",
			 devs[i].uuid);
	if (pipe2(to, O_CLOEXEC) || pipe2(from, O_CLOEXEC))
		return -errno;
	fflush(stdout);
	q->pid = fork();
	if (q->pid < 0)
		return -errno;
	if (q->pid == 0) {
		dup2(to[0], STDIN_FILENO);
		dup2(from[1], STDOUT_FILENO);
		dup2(from[1], STDERR_FILENO);
		/*
		 * i440fx: L2 needs nothing q35 has. One vCPU, a translation
		 * cache big enough to keep the L2 kernel translated.
		 */
		execl(QEMU_BIN, QEMU_BIN, "-M", "pc", "-accel", "tcg,tb-size=64",
		      "-nodefaults", "-no-user-config", "-display", "none",
		      "-m", "128", "-no-reboot", "-serial", "stdio",
		      "-kernel", L2_KERNEL, "-initrd", L2_INITRD,
		      "-append", "console=ttyS0 loglevel=5 panic=-1",
		      "-device", dev[DEV_MTTY], "-device", dev[DEV_MDPY],
		      "-device", dev[DEV_MBOCHS], (char *)NULL);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	q->in = to[1];
	q->out = from[0];
	q->len = 0;
	return 0;
}

/*
 * The next console line, without its line end: 0, -EPIPE once QEMU has
 * closed its stdout (it exited), or -ETIMEDOUT.
 */
static int qemu_line(struct qemu *q, char *line, size_t len, int timeout_ms)
{
	struct pollfd pfd = { .fd = q->out, .events = POLLIN };
	char *nl;
	size_t l;
	ssize_t n;

	while (!(nl = memchr(q->buf, '\n', q->len))) {
		if (q->len == sizeof(q->buf))
			break;		/* an overlong line: cut it */
		n = poll(&pfd, 1, timeout_ms);
		if (n == 0)
			return -ETIMEDOUT;
		if (n < 0)
			return -errno;
		n = read(q->out, q->buf + q->len, sizeof(q->buf) - q->len);
		if (n <= 0)
			return n ? -errno : -EPIPE;
		q->len += n;
	}
	l = nl ? (size_t)(nl - q->buf) + 1 : q->len;
	snprintf(line, len, "%.*s", (int)(l < len ? l : len - 1), q->buf);
	line[strcspn(line, "\r\n")] = '\0';
	memmove(q->buf, q->buf + l, q->len - l);
	q->len -= l;
	return 0;
}

/*
 * QEMU's wait status once it has exited, killing it if it is still there
 * after @timeout_ms (its stdout may close a moment before it exits).
 */
static int qemu_wait(struct qemu *q, int timeout_ms)
{
	int status, i;

	close(q->in);
	close(q->out);
	for (i = 0; i < timeout_ms / 100; i++) {
		if (waitpid(q->pid, &status, WNOHANG) == q->pid)
			return status;
		usleep(100000);
	}
	ksft_print_msg("QEMU did not exit: killing it\n");
	kill(q->pid, SIGKILL);
	waitpid(q->pid, &status, 0);
	return status;
}

/* Record one "E2E ..." line of L2's in @r. */
static void l2_parse(const char *tag, struct l2_report *r, double t0)
{
	unsigned int port, seed, w, h;
	char name[64], id[64], ok[8];

	if (!strncmp(tag, "booted", 6)) {
		r->booted = 1;
		r->t_booted = now() - t0;
	} else if (!strncmp(tag, "drawn", 5)) {
		r->drawn = 1;
		r->t_drawn = now() - t0;
	} else if (!strncmp(tag, "error", 5)) {
		r->errors++;
	} else if (!strncmp(tag, "rxready", 7)) {
		r->rx_ready = 1;
	} else if (sscanf(tag, "rx %63s %u %u %u %7s %u %x", name, &port,
			  &seed, &r->rx_got, ok, &r->rx_first, &r->rx_sum) == 7) {
		r->rx_done = 1;
		r->rx_ok = port == E2E_RX_PORT && seed == E2E_SEED_RX &&
			   !strcmp(ok, "ok");
	} else if (sscanf(tag, "tty %63s %u %u %*u %7s", name, &port, &seed,
			  ok) == 4) {
		if (port < MTTY_PORTS && seed == E2E_SEED_TTY(port))
			r->tty_ok[port] = !strcmp(ok, "ok");
	} else if (sscanf(tag, "fb %63s %63s %u %u %u", name, id, &seed, &w,
			  &h) == 5) {
		int d = seed == E2E_SEED_MDPY ? DEV_MDPY :
			seed == E2E_SEED_BOCHS ? DEV_MBOCHS : -1;

		if (d >= 0) {
			r->fb_w[d] = w;
			r->fb_h[d] = h;
		}
	}
}

/*
 * Copy L2's console into the log until L2 says @until (an "E2E" tag),
 * QEMU exits, or the watchdog fires. 0 when @until came.
 */
static int l2_follow(struct qemu *q, struct l2_report *r, const char *until,
		     double t0, int timeout_ms)
{
	char line[1024], *tag;
	int ret;

	while (!(ret = qemu_line(q, line, sizeof(line), timeout_ms))) {
		ksft_print_msg("L2: %s\n", line);
		tag = strstr(line, E2E_TAG);
		if (!tag)
			continue;
		l2_parse(tag + strlen(E2E_TAG), r, t0);
		if (until && !strncmp(tag + strlen(E2E_TAG), until, strlen(until)))
			return 0;
	}
	if (ret == -ETIMEDOUT)
		ksft_print_msg("L2 said nothing for %d s: giving up\n",
			       timeout_ms / 1000);
	return ret;
}

/* ---- L1 reads the frames L2 drew ---- */

/*
 * Duplicate every VFIO device fd QEMU holds into this process and match
 * each to its device by the vendor ID in its config space.
 */
static int qemu_take_fds(pid_t pid)
{
	char dir[64], path[PATH_MAX], link[256];
	int pidfd, fd, n, i;
	struct dirent *d;
	__u16 vendor;
	DIR *fds;

	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -errno;
	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	fds = opendir(dir);
	while (fds && (d = readdir(fds))) {
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		if (strcmp(link, "anon_inode:[vfio-device]"))
			continue;
		fd = syscall(SYS_pidfd_getfd, pidfd, atoi(d->d_name), 0);
		if (fd < 0)
			continue;
		if (__vfio_region_read(fd, VFIO_PCI_CONFIG_REGION_INDEX, 0,
				       &vendor, 2) != 2) {
			close(fd);
			continue;
		}
		for (i = 0; i < NR_DEVS; i++)
			if (devs[i].vendor == vendor && devs[i].fd < 0)
				break;
		if (i < NR_DEVS)
			devs[i].fd = fd;
		else
			close(fd);
	}
	if (fds)
		closedir(fds);
	close(pidfd);
	return 0;
}

/* How many of the plane's pixels differ from the pattern of @seed. */
static size_t frame_diff(const __u8 *px, const struct vfio_device_gfx_plane_info *p,
			 __u32 seed)
{
	size_t bad = 0;
	__u32 x, y, v;

	for (y = 0; y < p->height; y++)
		for (x = 0; x < p->width; x++) {
			memcpy(&v, px + (size_t)y * p->stride + x * 4, 4);
			if ((v & 0xffffff) != e2e_pixel(seed, x, y)) {
				if (!bad)
					ksft_print_msg("first bad pixel (%u,%u): %06x, want %06x\n",
						       x, y, v & 0xffffff,
						       e2e_pixel(seed, x, y));
				bad++;
			}
		}
	return bad;
}

/* Query the device's primary plane of @kind; 0 or -errno. */
static int plane_query(int fd, __u32 kind, struct vfio_device_gfx_plane_info *p)
{
	memset(p, 0, sizeof(*p));
	p->argsz = sizeof(*p);
	p->flags = kind;
	p->drm_plane_type = DRM_PLANE_TYPE_PRIMARY;
	return ioctl(fd, VFIO_DEVICE_QUERY_GFX_PLANE, p) ? -errno : 0;
}

/*
 * One look at a device's frame through its plane: the region for mdpy,
 * the dma-buf for mbochs. Returns the number of wrong pixels, or -1 when
 * the plane is not what L2 set up.
 */
static long frame_check_once(int d, const struct l2_report *r, __u32 seed)
{
	__u32 kind = d == DEV_MDPY ? VFIO_GFX_PLANE_TYPE_REGION :
				     VFIO_GFX_PLANE_TYPE_DMABUF;
	struct vfio_device_gfx_plane_info p;
	struct vfio_region_info region;
	size_t len;
	long bad = -1;
	__u8 *px;
	int dbuf;

	if (plane_query(devs[d].fd, kind, &p)) {
		ksft_print_msg("%s: QUERY_GFX_PLANE: %s\n", devs[d].type,
			       strerror(errno));
		return -1;
	}
	ksft_print_msg("%s: plane %ux%u stride %u format %08x\n", devs[d].type,
		       p.width, p.height, p.stride, p.drm_format);
	if (p.width != r->fb_w[d] || p.height != r->fb_h[d] ||
	    p.drm_format != XRGB8888 || p.stride < p.width * 4) {
		ksft_print_msg("%s: L2 drew %ux%u XRGB8888\n", devs[d].type,
			       r->fb_w[d], r->fb_h[d]);
		return -1;
	}
	len = (size_t)p.stride * p.height;
	if (d == DEV_MDPY) {
		if (__vfio_region_info(devs[d].fd, p.region_index, &region) ||
		    len > region.size)
			return -1;
		px = malloc(len);
		if (px && __vfio_region_read(devs[d].fd, p.region_index, 0, px,
					     len) == (ssize_t)len)
			bad = frame_diff(px, &p, seed);
		free(px);
		return bad;
	}
	dbuf = ioctl(devs[d].fd, VFIO_DEVICE_GET_GFX_DMABUF, &p.dmabuf_id);
	if (dbuf < 0) {
		ksft_print_msg("%s: GET_GFX_DMABUF: %s\n", devs[d].type,
			       strerror(errno));
		return -1;
	}
	px = mmap(NULL, len, PROT_READ, MAP_SHARED, dbuf, 0);
	if (px != MAP_FAILED) {
		bad = frame_diff(px, &p, seed);
		munmap(px, len);
	}
	close(dbuf);
	return bad;
}

static int frame_check(int d, const struct l2_report *r, __u32 seed)
{
	long bad = -1;
	int i;

	if (devs[d].fd < 0 || !r->fb_w[d]) {
		ksft_print_msg("%s: %s\n", devs[d].type, devs[d].fd < 0 ?
			       "QEMU holds no fd for it" : "L2 drew nothing on it");
		return 0;
	}
	for (i = 0; i < FRAME_TRIES && bad; i++) {
		if (i)
			sleep(1);
		bad = frame_check_once(d, r, seed);
		if (bad > 0)
			ksft_print_msg("%s: %ld pixels differ\n", devs[d].type, bad);
	}
	return bad == 0;
}

/* ---- L1 sends a stream to L2 through mtty ---- */

/*
 * Write @buf into port E2E_RX_PORT's THR through mtty's device fd, which
 * the model loops back to RBR, where L2's 8250 driver reads it. The FIFO
 * holds 16 bytes and a full one drops the next byte, so write a FIFO's
 * worth only while LSR.DR says L2 has drained it. Returns the bytes
 * written; fewer when the device fails or L2 stops draining.
 */
static size_t mtty_send(int fd, const __u8 *buf, size_t len)
{
	unsigned int bar = VFIO_PCI_BAR0_REGION_INDEX + E2E_RX_PORT;
	size_t done = 0, i;
	int waited = 0;
	__u8 lsr;

	while (done < len) {
		if (__vfio_region_read(fd, bar, UART_LSR, &lsr, 1) != 1)
			break;
		if (lsr & UART_LSR_DR) {
			if (waited++ >= RX_DRAIN_MS)
				break;
			usleep(1000);
			continue;
		}
		waited = 0;
		for (i = 0; i < MTTY_FIFO_SIZE && done < len; i++, done++)
			if (__vfio_region_write(fd, bar, UART_THR, &buf[done],
						1) != 1)
				return done;
	}
	return done;
}

/*
 * After L1's go, L2 opens port 0 and says "rxready"; L1 sends its stream
 * and L2 reports what it received. Whether it got the whole stream in
 * order, and the checksum matches the bytes L1 wrote.
 */
static int l1_to_l2(struct qemu *q, struct l2_report *r, double t0)
{
	__u8 buf[E2E_RX_LEN];
	size_t sent = 0, i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = e2e_rx_byte(i);
	if (l2_follow(q, r, "rxready", t0, L2_WAIT_MS))
		return 0;
	if (devs[DEV_MTTY].fd >= 0)
		sent = mtty_send(devs[DEV_MTTY].fd, buf, sizeof(buf));
	ksft_print_msg("port %d: L1 wrote %zu of %zu bytes into THR\n",
		       E2E_RX_PORT, sent, sizeof(buf));
	/* L2 reports by itself, or after its read watchdog if bytes are lost. */
	if (l2_follow(q, r, "rx ", t0, L2_WAIT_MS) || !r->rx_done)
		return 0;
	ksft_print_msg("port %d: L2 got %u bytes, first bad at %u, sum %04x, want %04x\n",
		       E2E_RX_PORT, r->rx_got, r->rx_first, r->rx_sum,
		       e2e_sum(buf, sizeof(buf)));
	return sent == sizeof(buf) && r->rx_ok && r->rx_got == sizeof(buf) &&
	       r->rx_sum == e2e_sum(buf, sizeof(buf));
}

/* ---- the run ---- */

static void setup_or_skip(void)
{
	int i;

	if (access(QEMU_BIN, X_OK) || access(L2_KERNEL, R_OK) ||
	    access(L2_INITRD, R_OK))
		ksft_exit_skip("no nested QEMU or L2 files: run make check-e2e\n");
	for (i = 0; i < NR_DEVS; i++) {
		char path[PATH_MAX];
		long n = 0;

		snprintf(path, sizeof(path), "%s/%s/mdev_supported_types/%s/%s",
			 "/sys/class/mdev_bus", devs[i].parent, devs[i].type,
			 "available_instances");
		if (__sysfs_read_long(path, &n) || n < 1)
			ksft_exit_skip("%s: no %s available\n", devs[i].parent,
				       devs[i].type);
	}
}

int main(void)
{
	struct l2_report r = { 0 };
	struct qemu q = { 0 };
	__u8 (*sent)[65536];
	size_t sent_len[MTTY_PORTS];
	int i, ret, status = -1, closed = 1;
	double t0;

	ksft_print_header();
	setup_or_skip();
	ksft_set_plan(4 + MTTY_PORTS + 1);
	signal(SIGPIPE, SIG_IGN);
	sent = calloc(MTTY_PORTS, sizeof(*sent));
	if (!sent)
		ksft_exit_fail_msg("calloc\n");

	for (i = 0; i < NR_DEVS; i++) {
		devs[i].fd = -1;
		mdev_create(devs[i].parent, devs[i].type, devs[i].uuid);
		devs[i].opens = dev_counter(devs[i].uuid, "open_count");
		devs[i].closes = dev_counter(devs[i].uuid, "close_count");
	}
	ret = kprobe_add();
	if (ret)
		ksft_print_msg("kprobe on mtty_uart_write: %s\n", strerror(-ret));

	t0 = now();
	if (qemu_start(&q))
		ksft_exit_fail_msg("fork/exec %s: %s\n", QEMU_BIN, strerror(errno));
	l2_follow(&q, &r, "drawn", t0, L2_WAIT_MS);
	ksft_print_msg("L2 booted %.1f s and drew %.1f s after QEMU started\n",
		       r.t_booted, r.t_drawn);
	ksft_test_result(r.booted && r.drawn && !r.errors, "l2_boots\n");

	mtty_sent(sent, sent_len);
	for (i = 0; i < MTTY_PORTS; i++) {
		int seen = stream_seen(sent[i], sent_len[i], E2E_SEED_TTY(i));

		ksft_print_msg("port %d: L2 read its stream back: %s\n", i,
			       r.tty_ok[i] ? "yes" : "no");
		ksft_print_msg("port %d: L1 saw %zu bytes sent, the stream %s\n",
			       i, sent_len[i], seen ? "among them" : "missing");
		ksft_test_result(r.tty_ok[i] && seen, "mtty_port%d_stream\n", i);
	}

	if (r.drawn)
		qemu_take_fds(q.pid);
	ksft_test_result(frame_check(DEV_MDPY, &r, E2E_SEED_MDPY),
			 "mdpy_frame_region\n");
	ksft_test_result(frame_check(DEV_MBOCHS, &r, E2E_SEED_BOCHS),
			 "mbochs_frame_dmabuf\n");

	/* L2 opens port 0 for L1's stream on L1's first line. */
	ret = write(q.in, "go\n", 3) == 3 && r.drawn && l1_to_l2(&q, &r, t0);
	ksft_test_result(ret, "mtty_port%d_l1_to_l2\n", E2E_RX_PORT);
	/* Drop our copies of QEMU's fds, or close_device could not run. */
	for (i = 0; i < NR_DEVS; i++)
		if (devs[i].fd >= 0)
			close(devs[i].fd);

	/* L2 powers off on the next line; QEMU then exits by itself. */
	if (write(q.in, "go\n", 3) == 3)
		l2_follow(&q, &r, NULL, t0, QUIT_WAIT_MS);
	status = qemu_wait(&q, QUIT_WAIT_MS);
	for (i = 0; i < NR_DEVS; i++) {
		long o = dev_counter(devs[i].uuid, "open_count");
		long c = dev_counter(devs[i].uuid, "close_count");

		if (o != devs[i].opens + 1 || c != devs[i].closes + 1) {
			ksft_print_msg("%s: %ld opens, %ld closes, want one each\n",
				       devs[i].type, o - devs[i].opens,
				       c - devs[i].closes);
			closed = 0;
		}
	}
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status) && closed,
			 "qemu_exits_devices_closed\n");

	kprobe_remove();
	for (i = 0; i < NR_DEVS; i++)
		__mdev_remove(devs[i].uuid);
	free(sent);
	ksft_finished();
}
