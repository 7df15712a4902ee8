// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_bench: one measurement per invocation, printed as one JSON line.
 *
 *   vfio_bench [-l LABEL] floor
 *   vfio_bench [-l LABEL] open-close SYSFS
 *   vfio_bench [-l LABEL] open-write-close SYSFS
 *   vfio_bench [-l LABEL] mapped-open-close SYSFS [REF_SYSFS]
 *   vfio_bench [-l LABEL] cfg-read SYSFS
 *   vfio_bench [-l LABEL] uart SYSFS
 *   vfio_bench [-l LABEL] faults PARENT
 *   vfio_bench [-l LABEL] first-touch PARENT
 *   vfio_bench [-l LABEL] dmabuf SYSFS
 *   vfio_bench [-l LABEL] scale PARENT TYPE N
 *   vfio_bench [-l LABEL] concurrency SYSFS_A SYSFS_B CASE [ITERS]
 *
 * Every figure is the median of several rounds, with the lowest and highest
 * round as its spread. bench/run.sh chooses the devices; bench/report.py
 * turns the lines into a table, a JSON file and a chart.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "vfio_lib.h"

#define ROUNDS	9

static const char *label = "ours";

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Print one result: the median of @n rounds and their range. */
static void report(const char *driver, const char *what, const char *unit,
		   double *v, int n, const char *extra)
{
	qsort(v, n, sizeof(*v), cmp_double);
	printf("{\"impl\": \"%s\", \"driver\": \"%s\", ", label, driver);
	printf("\"what\": \"%s\", \"unit\": \"%s\", ", what, unit);
	printf("\"median\": %.3f, \"min\": %.3f, ", v[n / 2], v[0]);
	printf("\"max\": %.3f, \"rounds\": %d", v[n - 1], n);
	if (extra)
		printf(", %s", extra);
	printf("}\n");
	fflush(stdout);
}

/* A row with the reason there is no figure instead of one. */
static void report_skipped(const char *driver, const char *what,
			   const char *extra, const char *why)
{
	printf("{\"impl\": \"%s\", \"driver\": \"%s\", ", label, driver);
	printf("\"what\": \"%s\", ", what);
	if (extra)
		printf("%s, ", extra);
	printf("\"skipped\": \"%s\"}\n", why);
	fflush(stdout);
}

/* The driver bound to a device, from its sysfs directory. */
static const char *driver_of(const char *sysfs, char *buf, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/driver", sysfs);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return "unknown";
	link[n] = '\0';
	snprintf(buf, len, "%s", strrchr(link, '/') + 1);
	return buf;
}

/*
 * A device that is not an mdev is named in the results: a driver may have
 * several (pci_slot_stub's functions sit in different slots and buses).
 * An mdev's name is a random UUID, so its driver says all there is.
 */
static const char *device_extra(const char *sysfs, char *buf, size_t len)
{
	const char *name = strrchr(sysfs, '/');

	if (strstr(sysfs, "/mdev/") || !name)
		return NULL;
	snprintf(buf, len, "\"device\": \"%s\"", name + 1);
	return buf;
}

/* ---- the floor: what a syscall costs in this VM ---- */

static int bench_floor(void)
{
	double pr[ROUNDS], io[ROUNDS];
	int fd = open("/dev/zero", O_RDONLY);
	const int iters = 20000;
	char buf[4];

	if (fd < 0)
		vfio_lib_fail("/dev/zero: %s", strerror(errno));
	for (int r = 0; r < ROUNDS; r++) {
		double t = now_ns();

		for (int i = 0; i < iters; i++)
			if (pread(fd, buf, sizeof(buf), 0) != sizeof(buf))
				vfio_lib_fail("pread /dev/zero");
		pr[r] = (now_ns() - t) / iters;

		t = now_ns();
		for (int i = 0; i < iters; i++)
			ioctl(fd, _IO('x', 0));
		io[r] = (now_ns() - t) / iters;
	}
	report("floor", "pread_4B_devzero", "ns", pr, ROUNDS, NULL);
	report("floor", "empty_ioctl", "ns", io, ROUNDS, NULL);
	close(fd);
	return 0;
}

/* ---- per-device figures ---- */

static int bench_open_close(const char *sysfs)
{
	const int iters = 100;
	double v[ROUNDS];
	char drv[64], extra[PATH_MAX];
	struct vfio_dev dev;

	vfio_dev_open(sysfs, &dev);
	/* Keep only the group: each cycle is then a first open and last close. */
	close(dev.fd);
	for (int r = 0; r < ROUNDS; r++) {
		double t = now_ns();

		for (int i = 0; i < iters; i++)
			close(vfio_dev_fd(&dev));
		v[r] = (now_ns() - t) / iters / 1000;
	}
	dev.fd = -1;
	vfio_dev_close(&dev);
	report(driver_of(sysfs, drv, sizeof(drv)), "open_close", "us", v,
	       ROUNDS, device_extra(sysfs, extra, sizeof(extra)));
	return 0;
}

/*
 * Open, one write, close: the write (the interrupt line register of the
 * config space, writable on every PCI device) leaves the next first open
 * something to reset, where open_close leaves nothing. The difference is
 * what a driver's reset at open costs when there is something to undo.
 */
static int bench_open_write_close(const char *sysfs)
{
	const int iters = 100;
	double v[ROUNDS];
	char drv[64], extra[PATH_MAX];
	struct vfio_region_info info;
	struct vfio_dev dev;
	__u8 line = 0x0b;

	vfio_dev_open(sysfs, &dev);
	vfio_region_info(dev.fd, VFIO_PCI_CONFIG_REGION_INDEX, &info);
	close(dev.fd);
	for (int r = 0; r < ROUNDS; r++) {
		double t = now_ns();

		for (int i = 0; i < iters; i++) {
			int fd = vfio_dev_fd(&dev);

			if (pwrite(fd, &line, 1, info.offset + 0x3c) != 1)
				vfio_lib_fail("config write: %s",
					      strerror(errno));
			close(fd);
		}
		v[r] = (now_ns() - t) / iters / 1000;
	}
	dev.fd = -1;
	vfio_dev_close(&dev);
	report(driver_of(sysfs, drv, sizeof(drv)), "open_write_close", "us", v,
	       ROUNDS, device_extra(sysfs, extra, sizeof(extra)));
	return 0;
}

/*
 * A display's open/close as a VMM drives it: each cycle opens a fresh fd,
 * maps BAR0, writes some of its pages (one pixel each, spread over the
 * BAR), unmaps and closes. Only the open and the close are timed, so the
 * figure is what the driver does there: a reset that restores what the
 * previous cycle wrote, for one. The cases, each a row with the type's
 * name and BAR size: no mapping at all, a mapping and 0, 1 or all pages
 * written.
 *
 * With a reference device (an mtty port), each case's cycles in a round
 * are followed by as many of the port's open/close, twice: plain, and
 * with the same mapping and writes in each cycle, made on /dev/zero. The
 * case's row carries the median ratio to each. A loaded machine shifts
 * a ratio far less than either time; and mapping and unmapping any
 * memory between an open and a close makes both cost more under TCG, so
 * the second ratio is the display driver's own share. More rounds than
 * elsewhere, as the ratios are the figures that count.
 */
#define MOC_ROUNDS	21

enum moc_case { MOC_UNMAPPED, MOC_W0, MOC_W1, MOC_WALL, MOC_CASES };

static const char * const moc_written[] = {
	[MOC_UNMAPPED] = "unmapped", [MOC_W0] = "0", [MOC_W1] = "1",
	[MOC_WALL] = "all",
};

/* Pages a case writes, of @bar_pages; -1 for a cycle without a mapping. */
static long moc_pages(enum moc_case c, long bar_pages)
{
	switch (c) {
	case MOC_W0:
		return 0;
	case MOC_W1:
		return 1;
	case MOC_WALL:
		return bar_pages;
	default:
		return -1;
	}
}

/*
 * @iters cycles on @dev (its group open, no device fd): open a device fd,
 * map @len bytes at @off of it, or of @zero_fd when that is not -1, write
 * @n of the pages, unmap, close. No mapping for @n < 0. Returns the mean
 * open + close in us.
 */
static double moc_cycles(struct vfio_dev *dev, int zero_fd, __u64 off,
			 size_t len, long n, int iters)
{
	long pages = len / 4096;
	double timed = 0;

	for (int i = 0; i < iters; i++) {
		double t = now_ns();
		int fd = vfio_dev_fd(dev);
		char *map;

		timed += now_ns() - t;
		if (n >= 0) {
			map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
				   zero_fd < 0 ? fd : zero_fd, zero_fd < 0 ? off : 0);
			if (map == MAP_FAILED)
				vfio_lib_fail("mmap: %s", strerror(errno));
			/* munmap() may read them: the stores stay. */
			for (long p = 0; p < n; p++)
				((__u32 *)(map + p * pages / n * 4096))[1] =
					0xa5000000 | i;
			munmap(map, len);
		}
		t = now_ns();
		close(fd);
		timed += now_ns() - t;
	}
	return timed / iters / 1000;
}

/* Open @sysfs's group and keep only it: each cycle is a first open. */
static void moc_open(const char *sysfs, struct vfio_dev *dev,
		     struct vfio_region_info *bar)
{
	vfio_dev_open(sysfs, dev);
	if (bar)
		vfio_region_info(dev->fd, VFIO_PCI_BAR0_REGION_INDEX, bar);
	close(dev->fd);
	dev->fd = -1;
}

static double moc_median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static int bench_mapped_open_close(const char *sysfs, const char *ref_sysfs)
{
	double v[MOC_CASES][MOC_ROUNDS], plain[MOC_CASES][MOC_ROUNDS];
	double mapped[MOC_CASES][MOC_ROUNDS], ref_v[MOC_CASES * MOC_ROUNDS];
	char drv[64], ref[64], type[PATH_MAX], link[PATH_MAX], extra[512];
	int zero = open("/dev/zero", O_RDWR);
	struct vfio_region_info bar;
	struct vfio_dev m, r;
	long bar_pages;
	ssize_t len;

	snprintf(link, sizeof(link), "%s/mdev_type", sysfs);
	len = readlink(link, type, sizeof(type) - 1);
	if (len < 0 || zero < 0)
		vfio_lib_fail("%s, /dev/zero: %s", link, strerror(errno));
	type[len] = '\0';
	driver_of(sysfs, drv, sizeof(drv));
	moc_open(sysfs, &m, &bar);
	bar_pages = bar.size / 4096;
	if (ref_sysfs) {
		driver_of(ref_sysfs, ref, sizeof(ref));
		moc_open(ref_sysfs, &r, NULL);
	}

	for (int round = 0; round < MOC_ROUNDS; round++) {
		for (int c = 0; c < MOC_CASES; c++) {
			long n = moc_pages(c, bar_pages);
			int iters = c == MOC_WALL ? 10 : 100;
			double t;

			/*
			 * One cycle first, untimed: its open pays for what the
			 * case before wrote, and the timed ones see only their
			 * own case's writes.
			 */
			moc_cycles(&m, -1, bar.offset, bar.size, n, 1);
			v[c][round] = moc_cycles(&m, -1, bar.offset, bar.size, n,
						 iters);
			if (!ref_sysfs)
				continue;
			t = moc_cycles(&r, -1, 0, 0, -1, iters);
			ref_v[round * MOC_CASES + c] = t;
			plain[c][round] = v[c][round] / t;
			t = moc_cycles(&r, zero, 0, bar.size, n, iters);
			mapped[c][round] = v[c][round] / t;
		}
	}

	for (int c = 0; c < MOC_CASES; c++) {
		long n = moc_pages(c, bar_pages);
		int at = snprintf(extra, sizeof(extra),
			"\"device\": \"%s\", \"written\": \"%s\", \"pages_written\": %ld, \"bar_kib\": %llu",
			strrchr(type, '/') + 1, moc_written[c], n < 0 ? 0 : n,
			(unsigned long long)bar.size / 1024);

		if (ref_sysfs)
			snprintf(extra + at, sizeof(extra) - at,
				 ", \"ref\": \"%s\", \"over_ref\": %.3f, \"over_ref_mapped\": %.3f",
				 ref, moc_median(plain[c], MOC_ROUNDS),
				 moc_median(mapped[c], MOC_ROUNDS));
		report(drv, "open_close_mapped", "us", v[c], MOC_ROUNDS, extra);
	}
	vfio_dev_close(&m);
	if (ref_sysfs) {
		report(ref, "open_close_ref", "us", ref_v,
		       MOC_CASES * MOC_ROUNDS, NULL);
		vfio_dev_close(&r);
	}
	close(zero);
	return 0;
}

static int bench_cfg_read(const char *sysfs)
{
	struct vfio_region_info info;
	const int iters = 5000;
	double v[ROUNDS];
	char drv[64], extra[PATH_MAX];
	struct vfio_dev dev;
	__u32 val;

	vfio_dev_open(sysfs, &dev);
	vfio_region_info(dev.fd, VFIO_PCI_CONFIG_REGION_INDEX, &info);
	for (int r = 0; r < ROUNDS; r++) {
		double t = now_ns();

		for (int i = 0; i < iters; i++)
			if (pread(dev.fd, &val, 4, info.offset) != 4)
				vfio_lib_fail("config read: %s", strerror(errno));
		v[r] = (now_ns() - t) / iters;
	}
	vfio_dev_close(&dev);
	report(driver_of(sysfs, drv, sizeof(drv)), "cfg_read_4B", "ns", v,
	       ROUNDS, device_extra(sysfs, extra, sizeof(extra)));
	return 0;
}

/* 16550 registers, as offsets into an mtty port's BAR. */
enum { UART_THR = 0, UART_FCR = 2, UART_LCR = 3, UART_MCR = 4, UART_LSR = 5 };

#define UART_LSR_DR	0x01
#define UART_MCR_LOOP	0x10

static void uart_out(int fd, __u64 base, int reg, __u8 val)
{
	if (pwrite(fd, &val, 1, base + reg) != 1)
		vfio_lib_fail("uart write %d: %s", reg, strerror(errno));
}

static __u8 uart_in(int fd, __u64 base, int reg)
{
	__u8 val;

	if (pread(fd, &val, 1, base + reg) != 1)
		vfio_lib_fail("uart read %d: %s", reg, strerror(errno));
	return val;
}

/* 4 KiB in FIFO-sized chunks: 16 writes, then read back until empty. */
static long uart_burst(int fd, __u64 b)
{
	long got = 0;

	for (int chunk = 0; chunk < 4096 / 16; chunk++) {
		for (int i = 0; i < 16; i++)
			uart_out(fd, b, UART_THR, i);
		while (uart_in(fd, b, UART_LSR) & UART_LSR_DR) {
			uart_in(fd, b, UART_THR);
			got++;
		}
	}
	return got;
}

/*
 * A loopback byte (write THR, read LSR, read RBR), then a 4 KiB burst. A
 * device that loses bytes of the burst gets no burst figure: the rounds
 * would time a different amount of work.
 */
static int bench_uart(const char *sysfs)
{
	double byte[ROUNDS], burst[ROUNDS];
	struct vfio_region_info info;
	struct vfio_dev dev;
	const int iters = 1000;
	char drv[64], why[96];
	long got = 4096;
	__u64 b;

	vfio_dev_open(sysfs, &dev);
	driver_of(sysfs, drv, sizeof(drv));
	vfio_region_info(dev.fd, VFIO_PCI_BAR0_REGION_INDEX, &info);
	b = info.offset;
	uart_out(dev.fd, b, UART_LCR, 0x03);		/* 8N1 */
	uart_out(dev.fd, b, UART_FCR, 0x07);		/* FIFOs on and clear */
	uart_out(dev.fd, b, UART_MCR, UART_MCR_LOOP);

	for (int r = 0; r < ROUNDS; r++) {
		double t = now_ns();

		for (int i = 0; i < iters; i++) {
			uart_out(dev.fd, b, UART_THR, i);
			if (!(uart_in(dev.fd, b, UART_LSR) & UART_LSR_DR))
				vfio_lib_fail("no data after a loopback write");
			uart_in(dev.fd, b, UART_THR);
		}
		byte[r] = (now_ns() - t) / iters / 1000;
	}
	report(drv, "uart_loopback_byte", "us", byte, ROUNDS, NULL);

	for (int r = 0; r < ROUNDS && got == 4096; r++) {
		double t = now_ns();

		got = uart_burst(dev.fd, b);
		burst[r] = (now_ns() - t) / 1000;
	}
	vfio_dev_close(&dev);
	if (got == 4096) {
		report(drv, "uart_4KiB_burst", "us", burst, ROUNDS, NULL);
	} else {
		snprintf(why, sizeof(why), "read back %ld of 4096 bytes", got);
		report_skipped(drv, "uart_4KiB_burst", NULL, why);
	}
	return 0;
}

#define FAULTS_BAR0_SIZE	(16 << 20)

/* The parent's type whose BAR0 is FAULTS_BAR0_SIZE, found by trying each. */
static int find_type_by_bar0(const char *parent, char *type, size_t len)
{
	char path[PATH_MAX], uuid[UUID_STR_LEN];
	struct dirent *de;
	int found = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/class/mdev_bus/%s/mdev_supported_types",
		 parent);
	d = opendir(path);
	if (!d)
		return -errno;
	while (!found && (de = readdir(d))) {
		struct vfio_region_info info;
		struct vfio_dev dev;

		if (de->d_name[0] == '.')
			continue;
		uuid_generate_random_str(uuid);
		if (__mdev_create(parent, de->d_name, uuid))
			continue;
		if (!__vfio_mdev_open(uuid, &dev)) {
			found = !__vfio_region_info(dev.fd, VFIO_PCI_BAR0_REGION_INDEX,
						    &info) &&
				info.size == FAULTS_BAR0_SIZE;
			vfio_dev_close(&dev);
		}
		__mdev_remove(uuid);
		if (found)
			snprintf(type, len, "%s", de->d_name);
	}
	closedir(d);
	return found ? 0 : -ENOENT;
}

/*
 * Our mbochs maps this many pages per BAR0 fault; 1 is the baseline, one
 * page allocated and inserted per fault. The upstream sample has no such
 * knob: it always maps one page per fault.
 */
#define FAULT_BATCH	"/sys/kernel/debug/mbochs/fault_batch"
/*
 * Ours maps a 2 MiB aligned block with one PMD entry where the kernel can;
 * the knob is absent where it cannot. Off, faults map fault_batch pages
 * with page entries.
 */
#define FAULT_PMD	"/sys/kernel/debug/mbochs/fault_pmd"
#define FAULTS_ROUNDS	21

/* Write one byte to every page of @p: microseconds per page. */
static double touch_every_page(char *p, long pages)
{
	long pgsz = getpagesize();
	double t = now_ns();

	for (long i = 0; i < pages; i++)
		p[i * pgsz] = 1;
	return (now_ns() - t) / pages / 1000;
}

/*
 * One round on a fresh device, so that every page is touched for the
 * first time: @first gets the cost of allocating, zeroing and mapping a
 * page; @again, after an unmap, the cost of faulting in a page that
 * exists.
 */
static void faults_round(const char *parent, const char *type, double *first,
			 double *again)
{
	struct vfio_region_info info;
	char uuid[UUID_STR_LEN];
	struct vfio_dev dev;
	long pages;
	char *p;

	mdev_create(parent, type, uuid);
	vfio_mdev_open(uuid, &dev);
	vfio_region_info(dev.fd, VFIO_PCI_BAR0_REGION_INDEX, &info);
	pages = info.size / getpagesize();
	for (int pass = 0; pass < 2; pass++) {
		/* As a VMM maps it: BAR0 may take 2 MiB entries. */
		p = vfio_mmap_phase(info.size, PROT_READ | PROT_WRITE,
				    MAP_SHARED, dev.fd, info.offset,
				    info.offset);
		if (p == MAP_FAILED)
			vfio_lib_fail("mmap BAR0: %s", strerror(errno));
		*(pass ? again : first) = touch_every_page(p, pages);
		munmap(p, info.size);
	}
	vfio_dev_close(&dev);
	mdev_remove(uuid);
}

/*
 * First touch of every page of a 16 MiB BAR0, mapped 2 MiB aligned as a
 * VMM maps it. Where the driver has the fault_batch knob (ours), rounds
 * with one page per fault alternate with rounds at the driver's default
 * (and, where the kernel can map PMD entries, with rounds that map
 * fault_batch pages with page entries only), so that all see the same
 * load; the speed-up is the median of the per-round ratios.
 */
static int bench_faults(const char *parent)
{
	double first[FAULTS_ROUNDS], again[FAULTS_ROUNDS];
	double first1[FAULTS_ROUNDS], again1[FAULTS_ROUNDS];
	double firstp[FAULTS_ROUNDS], againp[FAULTS_ROUNDS];
	double speedup[FAULTS_ROUNDS], speedupp[FAULTS_ROUNDS];
	char type[NAME_MAX + 1], batch[16], pmd[8], extra[96];
	const int n = FAULTS_ROUNDS;
	bool knob, pmd_knob;

	VFIO_LIB_CHECK(find_type_by_bar0(parent, type, sizeof(type)),
		       "a type with a 16 MiB BAR0");
	knob = !__sysfs_read(FAULT_BATCH, batch, sizeof(batch));
	batch[strcspn(batch, "\n")] = '\0';
	pmd_knob = knob && !__sysfs_read(FAULT_PMD, pmd, sizeof(pmd));
	pmd[strcspn(pmd, "\n")] = '\0';
	for (int r = 0; r < n; r++) {
		if (knob) {
			sysfs_write(FAULT_BATCH, "1");
			faults_round(parent, type, &first1[r], &again1[r]);
			sysfs_write(FAULT_BATCH, batch);
		}
		if (pmd_knob) {
			sysfs_write(FAULT_PMD, "0");
			faults_round(parent, type, &firstp[r], &againp[r]);
			sysfs_write(FAULT_PMD, pmd);
		}
		faults_round(parent, type, &first[r], &again[r]);
		if (knob)
			speedup[r] = first1[r] / first[r];
		if (pmd_knob)
			speedupp[r] = first1[r] / firstp[r];
	}
	snprintf(extra, sizeof(extra),
		 "\"pages\": %d, \"batch\": \"%s\", \"pmd\": \"%s\"",
		 FAULTS_BAR0_SIZE / getpagesize(), knob ? batch : "1",
		 pmd_knob ? pmd : "n/a");
	report(parent, "bar0_first_touch_per_page", "us", first, n, extra);
	report(parent, "bar0_refault_per_page", "us", again, n, extra);
	if (!knob)
		return 0;
	report(parent, "bar0_first_touch_per_page_batch1", "us", first1, n,
	       NULL);
	report(parent, "bar0_refault_per_page_batch1", "us", again1, n, NULL);
	report(parent, "bar0_first_touch_speedup_vs_batch1", "x", speedup, n,
	       NULL);
	if (!pmd_knob)
		return 0;
	report(parent, "bar0_first_touch_per_page_no_pmd", "us", firstp, n,
	       NULL);
	report(parent, "bar0_refault_per_page_no_pmd", "us", againp, n, NULL);
	report(parent, "bar0_first_touch_speedup_no_pmd_vs_batch1", "x",
	       speedupp, n, NULL);
	return 0;
}

/* Page faults this process has taken so far, minor and major. */
static long faults_so_far(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		vfio_lib_fail("getrusage: %s", strerror(errno));
	return ru.ru_minflt + ru.ru_majflt;
}

#define FIRST_TOUCH_ROUNDS	9
#define FIRST_TOUCH_TYPES	8

/*
 * One black-box first touch of a fresh device of @type: BAR0 mapped
 * wherever mmap() puts it, no knob touched, one byte written to each page.
 * @us gets microseconds per page, @fpm page faults per MiB.
 */
static void first_touch_round(const char *parent, const char *type,
			      double *us, double *fpm)
{
	struct vfio_region_info info;
	char uuid[UUID_STR_LEN];
	struct vfio_dev dev;
	long f0;
	char *p;

	mdev_create(parent, type, uuid);
	vfio_mdev_open(uuid, &dev);
	vfio_region_info(dev.fd, VFIO_PCI_BAR0_REGION_INDEX, &info);
	p = mmap(NULL, info.size, PROT_READ | PROT_WRITE, MAP_SHARED, dev.fd,
		 info.offset);
	if (p == MAP_FAILED)
		vfio_lib_fail("mmap BAR0: %s", strerror(errno));
	f0 = faults_so_far();
	*us = touch_every_page(p, info.size / getpagesize());
	*fpm = (double)(faults_so_far() - f0) / (info.size >> 20);
	munmap(p, info.size);
	vfio_dev_close(&dev);
	mdev_remove(uuid);
}

/*
 * First touch of BAR0 by a client that knows nothing of the driver, for
 * every type of @parent, each round taking every type in turn so that
 * all see the same load: microseconds per page, and page faults per MiB
 * (getrusage()), which do not depend on how fast the CPU zeroes a page.
 */
static int bench_first_touch(const char *parent)
{
	double us[FIRST_TOUCH_TYPES][FIRST_TOUCH_ROUNDS];
	double fpm[FIRST_TOUCH_TYPES][FIRST_TOUCH_ROUNDS];
	char path[PATH_MAX], what[NAME_MAX + 64];
	const int n = FIRST_TOUCH_ROUNDS;
	struct dirent **de;
	const char *types[FIRST_TOUCH_TYPES];
	int nr_de, nr = 0;

	snprintf(path, sizeof(path), "/sys/class/mdev_bus/%s/mdev_supported_types",
		 parent);
	nr_de = scandir(path, &de, NULL, alphasort);
	if (nr_de < 0)
		vfio_lib_fail("%s: %s", path, strerror(errno));
	for (int i = 0; i < nr_de && nr < FIRST_TOUCH_TYPES; i++)
		if (de[i]->d_name[0] != '.')
			types[nr++] = de[i]->d_name;
	for (int r = 0; r < n; r++)
		for (int t = 0; t < nr; t++)
			first_touch_round(parent, types[t], &us[t][r],
					  &fpm[t][r]);
	for (int t = 0; t < nr; t++) {
		snprintf(what, sizeof(what), "bar0_first_touch_blackbox %s",
			 types[t]);
		report(parent, what, "us", us[t], n, NULL);
		snprintf(what, sizeof(what), "bar0_first_touch_faults_per_MiB %s",
			 types[t]);
		report(parent, what, "faults/MiB", fpm[t], n, NULL);
	}
	for (int i = 0; i < nr_de; i++)
		free(de[i]);
	free(de);
	return 0;
}

/* Bochs DISPI registers, 16 bits each at 0x500 in the MMIO BAR. */
#define DISPI_BASE	0x500
enum {
	DISPI_XRES = 1,
	DISPI_YRES = 2,
	DISPI_BPP = 3,
	DISPI_ENABLE = 4,
	DISPI_VIRT_WIDTH = 6,
	DISPI_VIRT_HEIGHT = 7,
};

#define DISPI_ENABLED	0x01
#define DISPI_LFB	0x40

static void dispi_out(int fd, __u64 base, int reg, __u16 val)
{
	if (pwrite(fd, &val, 2, base + DISPI_BASE + reg * 2) != 2)
		vfio_lib_fail("dispi write %d: %s", reg, strerror(errno));
}

static void set_mode(int fd, __u64 mmio, int w, int h)
{
	dispi_out(fd, mmio, DISPI_ENABLE, 0);
	dispi_out(fd, mmio, DISPI_XRES, w);
	dispi_out(fd, mmio, DISPI_YRES, h);
	dispi_out(fd, mmio, DISPI_BPP, 32);
	dispi_out(fd, mmio, DISPI_VIRT_WIDTH, w);
	dispi_out(fd, mmio, DISPI_VIRT_HEIGHT, h);
	dispi_out(fd, mmio, DISPI_ENABLE, DISPI_ENABLED | DISPI_LFB);
}

/* The dma-buf plane, queried until the device reports one. */
static int query_dmabuf_plane(int fd, struct vfio_device_gfx_plane_info *plane)
{
	for (int tries = 0; tries < 3; tries++) {
		memset(plane, 0, sizeof(*plane));
		plane->argsz = sizeof(*plane);
		plane->flags = VFIO_GFX_PLANE_TYPE_DMABUF;
		plane->drm_plane_type = 1;	/* DRM_PLANE_TYPE_PRIMARY */
		if (!ioctl(fd, VFIO_DEVICE_QUERY_GFX_PLANE, plane) &&
		    plane->drm_format)
			return 0;
	}
	return -EAGAIN;
}

static int bench_dmabuf(const char *sysfs)
{
	struct vfio_device_gfx_plane_info plane;
	struct vfio_region_info info;
	const int iters = 50;
	double v[ROUNDS];
	struct vfio_dev dev;
	char drv[64];

	vfio_dev_open(sysfs, &dev);
	vfio_region_info(dev.fd, VFIO_PCI_BAR2_REGION_INDEX, &info);
	for (int r = 0; r < ROUNDS; r++) {
		double total = 0;

		for (int i = 0; i < iters; i++) {
			__u32 id;
			double t;
			int dfd;

			set_mode(dev.fd, info.offset, i & 1 ? 800 : 640,
				 i & 1 ? 600 : 480);
			if (query_dmabuf_plane(dev.fd, &plane))
				vfio_lib_fail("no dma-buf plane after a mode change");
			id = plane.dmabuf_id;
			t = now_ns();
			dfd = ioctl(dev.fd, VFIO_DEVICE_GET_GFX_DMABUF, &id);
			if (dfd < 0)
				vfio_lib_fail("GET_GFX_DMABUF: %s", strerror(errno));
			close(dfd);
			total += now_ns() - t;
		}
		v[r] = total / iters / 1000;
	}
	vfio_dev_close(&dev);
	report(driver_of(sysfs, drv, sizeof(drv)), "dmabuf_get_close", "us", v,
	       ROUNDS, NULL);
	return 0;
}

/* ---- scaling: per-instance cost with N instances alive ---- */

static long meminfo_kb(const char *key)
{
	char line[256];
	long val = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':')
			val = strtol(line + strlen(key) + 1, NULL, 10);
	fclose(f);
	return val;
}

/*
 * Kernel memory that instances can take: slab and vmalloc. Reclaimable
 * slab (dentries, inodes of sysfs files someone looked at) is dropped
 * first, so that it counts only if the instances pin it.
 */
static long kernel_mem_kb(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	sync();
	if (fd >= 0) {
		if (write(fd, "2", 1) != 1)
			fprintf(stderr, "drop_caches: %s\n", strerror(errno));
		close(fd);
	}
	/* Objects freed after an RCU grace period: let them go first. */
	sleep(1);
	return meminfo_kb("Slab") + meminfo_kb("VmallocUsed");
}

/* The scale rows of @parent at @n, each saying why there is no figure. */
static void scale_skipped(const char *parent, long n, long created)
{
	static const char * const whats[] = {
		"create_at_n", "open_close_at_n", "remove_at_n",
		"kernel_mem_per_idle_instance",
	};
	char extra[32], why[64];

	snprintf(extra, sizeof(extra), "\"n\": %ld", n);
	snprintf(why, sizeof(why), "only %ld could be created", created);
	for (unsigned int i = 0; i < ARRAY_SIZE(whats); i++)
		report_skipped(parent, whats[i], extra, why);
}

/* Create @n instances named @uuids; returns how many could be created. */
static long scale_fill(const char *parent, const char *type,
		       char (*uuids)[UUID_STR_LEN], long n)
{
	for (long i = 0; i < n; i++) {
		uuid_generate_random_str(uuids[i]);
		if (__mdev_create(parent, type, uuids[i]))
			return i;
	}
	return n;
}

static void scale_empty(char (*uuids)[UUID_STR_LEN], long n)
{
	for (long i = 0; i < n; i++)
		__mdev_remove(uuids[i]);
}

/*
 * With @n instances of @type alive: what creating, opening and removing one
 * more costs, and the kernel memory each idle instance takes. A few hundred
 * KiB of slab come and go on their own, so at small n the memory reading
 * is repeated and its median kept.
 */
static int bench_scale(const char *parent, const char *type, long n)
{
	double create[ROUNDS], open_close[ROUNDS], rm[ROUNDS], mem[3];
	char (*uuids)[UUID_STR_LEN] = calloc(n, UUID_STR_LEN);
	const int iters = n < 10 ? n : 10, mem_rounds = n > 256 ? 1 : 3;
	char uuid[UUID_STR_LEN], extra[128];
	long mem_before = 0, mem_gone, got;

	if (!uuids)
		vfio_lib_fail("out of memory");
	for (int m = 0; m < mem_rounds; m++) {
		if (m)
			scale_empty(uuids, n);
		mem_before = kernel_mem_kb();
		got = scale_fill(parent, type, uuids, n);
		if (got < n) {
			scale_skipped(parent, n, got);
			scale_empty(uuids, got);
			free(uuids);
			return 0;
		}
		mem[m] = (double)(kernel_mem_kb() - mem_before) / n;
	}

	for (int r = 0; r < ROUNDS; r++) {
		double tc = 0, to = 0, tr = 0;

		for (int i = 0; i < iters; i++) {
			struct vfio_dev dev;
			double t;

			/* One instance is replaced, so N stay alive throughout. */
			__mdev_remove(uuids[i]);
			uuid_generate_random_str(uuid);
			t = now_ns();
			if (__mdev_create(parent, type, uuid))
				vfio_lib_fail("create at n=%ld", n);
			tc += now_ns() - t;
			vfio_mdev_open(uuid, &dev);
			t = now_ns();
			close(vfio_dev_fd(&dev));
			to += now_ns() - t;
			vfio_dev_close(&dev);
			t = now_ns();
			mdev_remove(uuid);
			tr += now_ns() - t;
			mdev_create(parent, type, uuids[i]);
		}
		create[r] = tc / iters / 1000;
		open_close[r] = to / iters / 1000;
		rm[r] = tr / iters / 1000;
	}
	scale_empty(uuids, n);
	free(uuids);
	mem_gone = kernel_mem_kb();

	snprintf(extra, sizeof(extra), "\"n\": %ld", n);
	report(parent, "create_at_n", "us", create, ROUNDS, extra);
	report(parent, "open_close_at_n", "us", open_close, ROUNDS, extra);
	report(parent, "remove_at_n", "us", rm, ROUNDS, extra);
	/* What stays after the last removal hints at a leak. */
	snprintf(extra, sizeof(extra),
		 "\"n\": %ld, \"kib_per_instance_left_after_remove\": %.2f", n,
		 (double)(mem_gone - mem_before) / n);
	report(parent, "kernel_mem_per_idle_instance", "KiB", mem, mem_rounds,
	       extra);
	return 0;
}

/* ---- device-set concurrency ---- */

/*
 * One thread's open/close loop on its own device. The device's group and
 * container are set up before the start line, so only the cycles count.
 */
struct cycler {
	const char *sysfs;
	int iters;
	pthread_barrier_t *start;	/* NULL: run alone */
	double t0, t1;
};

static void *cycle_thread(void *arg)
{
	struct cycler *c = arg;
	struct vfio_dev dev;

	vfio_dev_open(c->sysfs, &dev);
	close(dev.fd);
	if (c->start)
		pthread_barrier_wait(c->start);
	c->t0 = now_ns();
	for (int i = 0; i < c->iters; i++)
		close(vfio_dev_fd(&dev));
	c->t1 = now_ns();
	dev.fd = -1;
	vfio_dev_close(&dev);
	return NULL;
}

/*
 * Speed-up of two threads, each cycling its own device, over the same
 * cycles run one after the other: about 2 when nothing serialises the two
 * (devices in different sets, on 2 vCPUs), about 1 when the device set's
 * mutex does (two devices of one set, when open_device and close_device
 * dominate the cycle).
 */
static int bench_concurrency(const char *a, const char *b, const char *what,
			     int iters)
{
	struct cycler ca = { .sysfs = a, .iters = iters };
	struct cycler cb = { .sysfs = b, .iters = iters };
	char name[96], drv[64];
	pthread_barrier_t start;
	double v[5];

	if (iters < 1)
		vfio_lib_fail("concurrency: %d iterations", iters);
	pthread_barrier_init(&start, NULL, 2);
	for (int r = 0; r < 5; r++) {
		double alone;
		pthread_t ta, tb;

		ca.start = NULL;
		cb.start = NULL;
		cycle_thread(&ca);
		cycle_thread(&cb);
		alone = (ca.t1 - ca.t0) + (cb.t1 - cb.t0);

		ca.start = &start;
		cb.start = &start;
		pthread_create(&ta, NULL, cycle_thread, &ca);
		pthread_create(&tb, NULL, cycle_thread, &cb);
		pthread_join(ta, NULL);
		pthread_join(tb, NULL);
		v[r] = alone / ((ca.t1 > cb.t1 ? ca.t1 : cb.t1) -
				(ca.t0 < cb.t0 ? ca.t0 : cb.t0));
	}
	pthread_barrier_destroy(&start);
	snprintf(name, sizeof(name), "open_close_speedup_%s", what);
	report(driver_of(a, drv, sizeof(drv)), name, "x", v, 5, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "l:")) != -1)
		if (opt == 'l')
			label = optarg;
	argc -= optind;
	argv += optind;
	if (argc < 1)
		goto usage;

	if (!strcmp(argv[0], "floor"))
		return bench_floor();
	if (!strcmp(argv[0], "first-touch") && argc == 2)
		return bench_first_touch(argv[1]);
	if (!strcmp(argv[0], "open-close") && argc == 2)
		return bench_open_close(argv[1]);
	if (!strcmp(argv[0], "open-write-close") && argc == 2)
		return bench_open_write_close(argv[1]);
	if (!strcmp(argv[0], "mapped-open-close") && (argc == 2 || argc == 3))
		return bench_mapped_open_close(argv[1], argc == 3 ? argv[2] : NULL);
	if (!strcmp(argv[0], "cfg-read") && argc == 2)
		return bench_cfg_read(argv[1]);
	if (!strcmp(argv[0], "uart") && argc == 2)
		return bench_uart(argv[1]);
	if (!strcmp(argv[0], "faults") && argc == 2)
		return bench_faults(argv[1]);
	if (!strcmp(argv[0], "dmabuf") && argc == 2)
		return bench_dmabuf(argv[1]);
	if (!strcmp(argv[0], "scale") && argc == 4)
		return bench_scale(argv[1], argv[2], atol(argv[3]));
	if (!strcmp(argv[0], "concurrency") && (argc == 4 || argc == 5))
		return bench_concurrency(argv[1], argv[2], argv[3],
					 argc == 5 ? atoi(argv[4]) : 1000);
usage:
	fprintf(stderr, "usage: vfio_bench [-l LABEL] COMMAND ARGS...\n");
	return 2;
}
