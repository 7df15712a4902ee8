// SPDX-License-Identifier: GPL-2.0
/*
 * e2e_guest: the L2 guest's half of make check-e2e. It runs in a busybox
 * initramfs under the small L2 kernel, where Linux's own drivers (bochs
 * DRM, 8250_pci) and the suite's mdpy-fb drive the devices that L1 hands
 * through a nested QEMU. It only uses the ordinary interfaces of those
 * drivers, /dev/fbN and /dev/ttySN, as any guest program would.
 *
 *   e2e_guest draw /dev/fbN        draw the pattern of e2e_defs.h
 *   e2e_guest tty /dev/ttySN PORT  send a stream out of mtty port PORT
 *                                  and read it back through the port's
 *                                  loopback plug
 *   e2e_guest rx /dev/ttySN PORT   say "rxready", then receive the stream
 *                                  L1 writes into the port's receive side
 *
 * Each prints one "E2E ..." result line (see e2e_defs.h) and exits 0, or
 * prints "E2E error ..." and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/fb.h>

#include "e2e_defs.h"

/*
 * How long to wait for looped-back bytes before calling the stream short.
 * A watchdog, not a timing check: nested TCG is slow, not this slow.
 */
#define E2E_TTY_WAIT_MS		60000

static int fail(const char *what, const char *dev)
{
	printf(E2E_TAG "error %s %s: %s\n", what, dev, strerror(errno));
	return 1;
}

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/*
 * Fill the visible frame with e2e_pixel() through write(), as a program
 * that knows nothing of the driver would. The seed follows the driver's
 * name so that L1 knows which picture to expect on which device.
 */
static int fb_draw(const char *dev)
{
	struct fb_var_screeninfo var;
	struct fb_fix_screeninfo fix;
	__u32 seed, x, y, *line;
	size_t len;
	__u8 *buf;
	int fd;

	fd = open(dev, O_RDWR);
	if (fd < 0)
		return fail("open", dev);
	if (ioctl(fd, FBIOGET_FSCREENINFO, &fix) ||
	    ioctl(fd, FBIOGET_VSCREENINFO, &var))
		return fail("FBIOGET_*SCREENINFO", dev);
	if (var.bits_per_pixel != 32 || var.red.offset != 16 ||
	    var.green.offset != 8 || var.blue.offset != 0) {
		printf(E2E_TAG "error %s: %u bpp, red at %u: not XRGB8888\n",
		       dev, var.bits_per_pixel, var.red.offset);
		return 1;
	}
	seed = strncmp(fix.id, "mdpy", 4) ? E2E_SEED_BOCHS : E2E_SEED_MDPY;
	/*
	 * A DRM driver's fbdev emulation sets its mode only when asked to
	 * (fbcon would, and there is no fbcon): until then the display is
	 * off. Setting the current mode again turns it on; mdpy-fb, which
	 * has one fixed mode, ignores it.
	 */
	var.activate = FB_ACTIVATE_NOW | FB_ACTIVATE_FORCE;
	ioctl(fd, FBIOPUT_VSCREENINFO, &var);
	ioctl(fd, FBIOBLANK, FB_BLANK_UNBLANK);

	len = (size_t)fix.line_length * var.yres;
	buf = calloc(1, len);
	if (!buf)
		return fail("calloc", dev);
	for (y = 0; y < var.yres; y++) {
		line = (__u32 *)(buf + (size_t)y * fix.line_length);
		for (x = 0; x < var.xres; x++)
			line[x] = e2e_pixel(seed, x, y);
	}
	if (pwrite(fd, buf, len, 0) != (ssize_t)len)
		return fail("write", dev);
	/* A DRM fbdev flushes its shadow buffer in a worker: push it now. */
	fsync(fd);
	free(buf);
	close(fd);
	printf(E2E_TAG "fb %s %s %u %u %u\n", base(dev), fix.id, seed,
	       var.xres, var.yres);
	return 0;
}

/* Raw 8-bit 115200 baud, no flow control, no echo, reads never block. */
static int tty_raw(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &t))
		return -1;
	cfmakeraw(&t);
	t.c_cflag |= CLOCAL | CREAD;
	t.c_cflag &= ~CRTSCTS;
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	if (cfsetspeed(&t, B115200) || tcsetattr(fd, TCSANOW, &t))
		return -1;
	return tcflush(fd, TCIOFLUSH);
}

/* Open @dev raw and non-blocking into @pfd, to poll for input. */
static int tty_open(const char *dev, struct pollfd *pfd)
{
	pfd->fd = open(dev, O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (pfd->fd < 0)
		return fail("open", dev);
	pfd->events = POLLIN;
	if (tty_raw(pfd->fd))
		return fail("termios", dev);
	return 0;
}

/*
 * Wait for input, then append what there is to @buf at *@got (of @len).
 * 0, 1 when none came within the watchdog, or -1 with errno set.
 */
static int tty_read_some(const struct pollfd *pfd, __u8 *buf, size_t len,
			 size_t *got)
{
	struct pollfd p = *pfd;
	ssize_t n;

	if (poll(&p, 1, E2E_TTY_WAIT_MS) <= 0)
		return 1;
	n = read(p.fd, buf + *got, len - *got);
	if (n < 0 && errno != EAGAIN)
		return -1;
	if (n > 0)
		*got += n;
	return 0;
}

/*
 * Send E2E_TTY_LEN bytes and read as many back. The port's loopback plug
 * returns each byte the device sent; L1 watches the same bytes go through
 * the device. Prints the first byte that differs, or how many came back.
 */
static int tty_loop(const char *dev, unsigned int port)
{
	__u8 out[E2E_TTY_LEN], in[E2E_TTY_LEN];
	__u32 seed = E2E_SEED_TTY(port);
	struct pollfd pfd;
	size_t got = 0, i;
	ssize_t n;

	if (tty_open(dev, &pfd))
		return 1;
	for (i = 0; i < sizeof(out); i++)
		out[i] = e2e_tty_byte(seed, i);
	/*
	 * Write a FIFO's worth at a time and drain what came back in
	 * between, so that the tty's buffers never hold the whole stream.
	 */
	for (i = 0; i < sizeof(out) || got < sizeof(in);) {
		if (i < sizeof(out)) {
			n = write(pfd.fd, out + i, sizeof(out) - i < 16 ?
				  sizeof(out) - i : 16);
			if (n < 0 && errno != EAGAIN)
				return fail("write", dev);
			if (n > 0)
				i += n;
		}
		n = tty_read_some(&pfd, in, sizeof(in), &got);
		if (n < 0)
			return fail("read", dev);
		if (n)
			break;
	}
	close(pfd.fd);
	for (i = 0; i < got && in[i] == out[i]; i++)
		;
	if (got == sizeof(in) && i == got)
		printf(E2E_TAG "tty %s %u %u %zu ok\n", base(dev), port, seed, got);
	else
		printf(E2E_TAG "tty %s %u %u %zu bad %zu\n", base(dev), port, seed,
		       got, i);
	return 0;
}

/*
 * Receive E2E_RX_LEN bytes that L1 puts into the port through the device
 * (THR writes it makes through its copy of QEMU's device fd, which mtty
 * loops back to RBR). The tty is open and raw before "rxready" goes out,
 * so that no byte arrives before 8250 takes them. Reports how many came,
 * the first that differs from e2e_rx_byte() and their checksum.
 */
static int tty_rx(const char *dev, unsigned int port)
{
	__u8 in[E2E_RX_LEN];
	struct pollfd pfd;
	size_t got = 0, i;
	ssize_t n;

	if (tty_open(dev, &pfd))
		return 1;
	printf(E2E_TAG "rxready %s %u\n", base(dev), port);
	/* Until all came, or the watchdog, or an error, which ends it. */
	do
		n = tty_read_some(&pfd, in, sizeof(in), &got);
	while (!n && got < sizeof(in));
	if (n < 0)
		return fail("read", dev);
	close(pfd.fd);
	for (i = 0; i < got && in[i] == e2e_rx_byte(i); i++)
		;
	printf(E2E_TAG "rx %s %u %u %zu %s %zu %04x\n", base(dev), port,
	       E2E_SEED_RX, got, got == sizeof(in) && i == got ? "ok" : "bad",
	       i, e2e_sum(in, got));
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "draw"))
		return fb_draw(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "tty"))
		return tty_loop(argv[2], strtoul(argv[3], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "rx"))
		return tty_rx(argv[2], strtoul(argv[3], NULL, 0));
	fprintf(stderr, "usage: %s draw /dev/fbN | {tty|rx} /dev/ttySN PORT\n",
		argv[0]);
	return 2;
}
