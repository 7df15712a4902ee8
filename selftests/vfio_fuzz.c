// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_fuzz: a seeded, reproducible fuzzer of the VFIO device uAPI, one
 * program for every device of the suite (see lib/vfio_discover.h for how
 * devices are found).
 *
 * Each step does one operation on one device: a VFIO_DEVICE_* ioctl with
 * structured arguments (plausible values mixed with edge values and junk),
 * a raw ioctl in the VFIO range, pread/pwrite at offsets biased towards
 * register boundaries, region ends and the gaps between regions, mmap,
 * munmap and touching mapped pages, opening, dup'ing and closing fds, and
 * reading/writing/mapping the fds the device hands out (migration data,
 * dma-bufs). Nothing here knows a particular driver: what a device offers
 * comes from its GET_INFO, GET_REGION_INFO and GET_IRQ_INFO answers.
 *
 * A run is a pure function of the seed, the device's label and the kernel's
 * answers, so a failing seed reruns identically:
 *
 *   vfio_fuzz --seed S --steps N [--device LABEL] [--time SECONDS] [-v]
 *   vfio_fuzz --seed S --steps N --sysfs /sys/bus/BUS/devices/DEV
 *
 * --sysfs fuzzes one device bound to any VFIO driver, one the suite does
 * not know (the conformance kit runs it so).
 *
 * -v logs every step with its errno class. At the end of each device the
 * fuzzer prints the (op, errno) pairs it reached, checks that the kernel
 * logged no report (it reads /dev/kmsg as it goes, so a report is placed
 * within 128 steps), that the driver saw as many close_device as
 * open_device calls, that the module's refcount and the mdev type's
 * available_instances came back, and that removing the mdev worked.
 *
 * Without arguments it is a kselftest: one test per driver, VFIO_FUZZ_STEPS
 * steps per device (VFIO_FUZZ_SEED, VFIO_FUZZ_TIME: see fuzz_env()).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>

#include "kselftest_harness.h"
#include "kreport.h"
#include "leftovers.h"
#include "vfio_discover.h"

#define FZ_PAGE		4096UL
#define FZ_ARG_SIZE	(64 * 1024)	/* ioctl argument area, then a guard page */
#define FZ_BUF_SIZE	(2 * FZ_PAGE)	/* pread/pwrite buffer */
#define FZ_SAVE_MAX	(64 * 1024)	/* migration stream kept for resuming */
#define FZ_MAX_FDS	6
#define FZ_MAX_AUX	4
#define FZ_MAX_MAPS	8
#define FZ_MAX_REGIONS	16
#define FZ_MAX_IRQS	8
#define FZ_NR_EFDS	4
#define FZ_MAX_FOUND	64
#define FZ_BADFD	999		/* never open here */
#define FZ_KMSG_EVERY	128		/* steps between kernel log scans */
#define FZ_STALL_SECS	60		/* one step taking this long is a hang */
#define FZ_REMOVE_MS	10000		/* an mdev with no user goes in this time */
#define FZ_DEFAULT_STEPS 20000
#define FZ_DEFAULT_DEVICE_SECS 3	/* the kselftest's cap per device */
#define FZ_SLOW_DEVICE_SECS 1	/* ... on a slow kernel (suite_slow()) */

/* ---- the random source: splitmix64, one stream per device ---- */

struct fz_rng {
	__u64 s;
};

static __u64 fz_next(struct fz_rng *r)
{
	__u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static __u32 fz_below(struct fz_rng *r, __u64 n)
{
	return n ? fz_next(r) % n : 0;
}

static bool fz_pct(struct fz_rng *r, unsigned int pct)
{
	return fz_below(r, 100) < pct;
}

static const __u32 fz_edge32[] = {
	0, 1, 2, 3, 4, 7, 8, 15, 16, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000,
	0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
};

static const __u64 fz_edge64[] = {
	0, 1, 0xff, 0x100, 0xfff, 0x1000, 0xffffffffULL, 0x100000000ULL,
	(1ULL << 40) - 1, 1ULL << 40, 9ULL << 40, 0xffULL << 40,
	0x7fffffffffffffffULL, 0x8000000000000000ULL, ~0ULL - 0xfff, ~0ULL,
};

/* A plausible value most of the time, else a neighbour, an edge or junk. */
static __u32 fz_u32(struct fz_rng *r, __u32 plausible)
{
	switch (fz_below(r, 10)) {
	case 0 ... 5:
		return plausible;
	case 6:
		return plausible + fz_below(r, 5) - 2;
	case 7:
	case 8:
		return fz_edge32[fz_below(r, ARRAY_SIZE(fz_edge32))];
	default:
		return fz_next(r);
	}
}

static __u64 fz_u64(struct fz_rng *r, __u64 plausible)
{
	switch (fz_below(r, 10)) {
	case 0 ... 5:
		return plausible;
	case 6:
		return plausible + fz_below(r, 17) - 8;
	case 7:
	case 8:
		return fz_edge64[fz_below(r, ARRAY_SIZE(fz_edge64))];
	default:
		return fz_next(r);
	}
}

/* An argsz: the right one, the minimum, one short, room for caps, junk. */
static __u32 fz_argsz(struct fz_rng *r, __u32 exact, __u32 minsz)
{
	switch (fz_below(r, 16)) {
	case 0 ... 8:
		return exact;
	case 9:
		return minsz;
	case 10:
		return minsz - 1;
	case 11:
		return 0;
	case 12:
		return exact + 4096;
	case 13:
		return exact + fz_below(r, 64);
	case 14:
		return 0xffffffff;
	default:
		return fz_next(r);
	}
}

static void fz_fill(struct fz_rng *r, void *buf, size_t len)
{
	__u8 *p = buf;
	__u64 v = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (!(i & 7))
			v = fz_next(r);
		p[i] = v >> (8 * (i & 7));
	}
}

/* ---- operations and coverage ---- */

enum fz_op {
	FZ_GET_INFO, FZ_GET_REGION_INFO, FZ_GET_IRQ_INFO, FZ_SET_IRQS,
	FZ_RESET, FZ_QUERY_GFX_PLANE, FZ_GET_GFX_DMABUF, FZ_IOEVENTFD,
	FZ_FEATURE, FZ_HOT_RESET_INFO, FZ_HOT_RESET, FZ_RAW_IOCTL,
	FZ_PREAD, FZ_PWRITE, FZ_MMAP, FZ_MUNMAP, FZ_TOUCH,
	FZ_OPEN, FZ_DUP, FZ_CLOSE,
	FZ_AUX_READ, FZ_AUX_WRITE, FZ_AUX_IOCTL, FZ_AUX_MMAP,
	FZ_NR_OPS
};

static const char *const fz_op_names[FZ_NR_OPS] = {
	[FZ_GET_INFO] = "GET_INFO",
	[FZ_GET_REGION_INFO] = "GET_REGION_INFO",
	[FZ_GET_IRQ_INFO] = "GET_IRQ_INFO",
	[FZ_SET_IRQS] = "SET_IRQS",
	[FZ_RESET] = "RESET",
	[FZ_QUERY_GFX_PLANE] = "QUERY_GFX_PLANE",
	[FZ_GET_GFX_DMABUF] = "GET_GFX_DMABUF",
	[FZ_IOEVENTFD] = "IOEVENTFD",
	[FZ_FEATURE] = "FEATURE",
	[FZ_HOT_RESET_INFO] = "GET_PCI_HOT_RESET_INFO",
	[FZ_HOT_RESET] = "PCI_HOT_RESET",
	[FZ_RAW_IOCTL] = "raw ioctl",
	[FZ_PREAD] = "pread",
	[FZ_PWRITE] = "pwrite",
	[FZ_MMAP] = "mmap",
	[FZ_MUNMAP] = "munmap",
	[FZ_TOUCH] = "touch",
	[FZ_OPEN] = "GET_DEVICE_FD",
	[FZ_DUP] = "dup",
	[FZ_CLOSE] = "close",
	[FZ_AUX_READ] = "aux read",
	[FZ_AUX_WRITE] = "aux write",
	[FZ_AUX_IOCTL] = "aux ioctl",
	[FZ_AUX_MMAP] = "aux mmap",
};

/* Relative weights: ioctls about half, region access a third. */
static const unsigned int fz_op_weight[FZ_NR_OPS] = {
	[FZ_GET_INFO] = 2, [FZ_GET_REGION_INFO] = 6, [FZ_GET_IRQ_INFO] = 4,
	[FZ_SET_IRQS] = 12, [FZ_RESET] = 2, [FZ_QUERY_GFX_PLANE] = 4,
	[FZ_GET_GFX_DMABUF] = 3, [FZ_IOEVENTFD] = 3, [FZ_FEATURE] = 10,
	[FZ_HOT_RESET_INFO] = 2, [FZ_HOT_RESET] = 2, [FZ_RAW_IOCTL] = 3,
	[FZ_PREAD] = 18, [FZ_PWRITE] = 18, [FZ_MMAP] = 4, [FZ_MUNMAP] = 2,
	[FZ_TOUCH] = 5, [FZ_OPEN] = 2, [FZ_DUP] = 1, [FZ_CLOSE] = 2,
	[FZ_AUX_READ] = 3, [FZ_AUX_WRITE] = 3, [FZ_AUX_IOCTL] = 1,
	[FZ_AUX_MMAP] = 1,
};

/* Result classes: 0 = success, 1..FZ_NR_ERRNO-1 = errno, then signals. */
#define FZ_NR_ERRNO	140
#define FZ_CLS_SIGBUS	FZ_NR_ERRNO
#define FZ_CLS_SIGSEGV	(FZ_NR_ERRNO + 1)
#define FZ_NR_CLASSES	(FZ_NR_ERRNO + 2)

struct fz_cov {
	unsigned int hits[FZ_NR_OPS][FZ_NR_CLASSES];
};

static int fz_class(long ret)
{
	if (ret >= 0)
		return 0;
	if (ret <= -FZ_NR_ERRNO)
		return FZ_NR_ERRNO - 1;
	return -ret;
}

static const char *fz_class_name(int cls)
{
	const char *s;

	if (cls == 0)
		return "ok";
	if (cls == FZ_CLS_SIGBUS)
		return "SIGBUS";
	if (cls == FZ_CLS_SIGSEGV)
		return "SIGSEGV";
	s = strerrorname_np(cls);
	return s ? s : "E?";
}

static unsigned int fz_cov_pairs(const struct fz_cov *cov)
{
	unsigned int op, cls, n = 0;

	for (op = 0; op < FZ_NR_OPS; op++)
		for (cls = 0; cls < FZ_NR_CLASSES; cls++)
			n += !!cov->hits[op][cls];
	return n;
}

static void fz_cov_add(struct fz_cov *dst, const struct fz_cov *src)
{
	unsigned int op, cls;

	for (op = 0; op < FZ_NR_OPS; op++)
		for (cls = 0; cls < FZ_NR_CLASSES; cls++)
			dst->hits[op][cls] += src->hits[op][cls];
}

static void fz_cov_print(const struct fz_cov *cov)
{
	unsigned int op, cls;
	char line[512];
	int n;

	for (op = 0; op < FZ_NR_OPS; op++) {
		n = snprintf(line, sizeof(line), "  %-22s", fz_op_names[op]);
		for (cls = 0; cls < FZ_NR_CLASSES; cls++)
			if (cov->hits[op][cls] && n < (int)sizeof(line) - 32)
				n += snprintf(line + n, sizeof(line) - n, " %s:%u",
					      fz_class_name(cls), cov->hits[op][cls]);
		ksft_print_msg("%s\n", line);
	}
	ksft_print_msg("coverage: %u distinct (op, errno) pairs\n",
		       fz_cov_pairs(cov));
}

/* ---- per-device state ---- */

struct fz_map {
	__u8 *addr;
	size_t len;
	size_t writable;	/* bytes from addr that lie inside the region */
	__u64 fdoff;		/* device fd offset of addr; ~0: not a region */
	bool readable;		/* mapped with PROT_READ or PROT_WRITE */
};

enum fz_aux_kind { FZ_AUX_DMABUF, FZ_AUX_SAVE, FZ_AUX_RESUME };

struct fz_aux {
	int fd;
	enum fz_aux_kind kind;
};

/**
 * struct fz_dev - one device being fuzzed
 * @f: what discovery found
 * @vd: container and group (vd.fd is kept in @fds)
 * @fds: open device fds
 * @aux: fds the device handed out (migration data, dma-bufs)
 * @maps: live mappings of device or dma-buf fds
 * @efds: eventfds offered to SET_IRQS and IOEVENTFD
 * @info: GET_INFO at open
 * @regions: GET_REGION_INFO of each region at open (size 0: none)
 * @irqs: GET_IRQ_INFO of each index at open
 * @dmabuf_id: the last id QUERY_GFX_PLANE returned
 * @save: migration data read from a save fd, for resuming
 * @resume_pos: how much of @save was written to a resume fd
 * @rng: the device's random stream
 * @step: the step being run
 * @violations: uAPI contract violations seen
 * @trace: NULL, or one hash per step of its operation, arguments and result
 * @no_write: device fd ranges random writes avoid, from the driver's row
 * @what: the current step's arguments, for the log
 */
struct fz_dev {
	struct vfio_found *f;
	struct vfio_dev vd;
	int fds[FZ_MAX_FDS];
	int nfds;
	struct fz_aux aux[FZ_MAX_AUX];
	int naux;
	struct fz_map maps[FZ_MAX_MAPS];
	int nmaps;
	int efds[FZ_NR_EFDS];
	struct vfio_device_info info;
	struct vfio_region_info regions[FZ_MAX_REGIONS];
	unsigned int nregions;
	struct vfio_irq_info irqs[FZ_MAX_IRQS];
	unsigned int nirqs;
	__u32 dmabuf_id;
	__u8 save[FZ_SAVE_MAX];
	size_t save_len;
	size_t resume_pos;
	struct fz_rng rng;
	unsigned int step;
	unsigned int violations;
	__u64 *trace;
	struct vfio_no_write no_write[2];
	char what[160];
};

static __u8 *fz_arg;		/* FZ_ARG_SIZE bytes followed by a guard page */
static __u8 fz_buf[FZ_BUF_SIZE];
static bool fz_verbose;
static double fz_device_secs;	/* a device's time cap; 0: none */

#define fz_what(d, fmt, ...) snprintf((d)->what, sizeof((d)->what), fmt, ##__VA_ARGS__)

__printf(2, 3)
static void fz_violation(struct fz_dev *d, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ksft_print_msg("VIOLATION %s step %u: %s\n", d->f->label, d->step, msg);
	d->violations++;
}

/*
 * Copy an ioctl argument into the argument area: usually at its start,
 * sometimes flush against the guard page (a kernel reading past what it
 * was told gets EFAULT), sometimes not at all (a bad pointer). @space gets
 * how many bytes are readable from the returned pointer.
 */
static void *fz_place(struct fz_dev *d, const void *src, size_t len,
		      size_t *space)
{
	__u32 r = fz_below(&d->rng, 100);
	__u8 *p;

	if (r < 2) {
		*space = 0;
		return r ? fz_arg + FZ_ARG_SIZE : NULL;
	}
	p = r < 10 ? fz_arg + FZ_ARG_SIZE - len : fz_arg;
	memcpy(p, src, len);
	*space = fz_arg + FZ_ARG_SIZE - p;
	return p;
}

static int fz_dev_fd(struct fz_dev *d)
{
	__u32 r = fz_below(&d->rng, 100);

	if (r < 2)
		return FZ_BADFD;
	if (r < 3)
		return d->vd.group;
	return d->fds[fz_below(&d->rng, d->nfds)];
}

/* A file descriptor to put in an eventfd or group fd array. */
static __s32 fz_some_fd(struct fz_dev *d)
{
	switch (fz_below(&d->rng, 10)) {
	case 0 ... 5:
		return d->efds[fz_below(&d->rng, FZ_NR_EFDS)];
	case 6:
		return -1;
	case 7:
		return d->nfds ? d->fds[0] : d->vd.group;
	case 8:
		return d->naux ? d->aux[0].fd : FZ_BADFD;
	default:
		return fz_pct(&d->rng, 50) ? FZ_BADFD : (__s32)fz_next(&d->rng);
	}
}

static long fz_ioctl(int fd, unsigned long cmd, void *arg)
{
	long ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

/* A region index: usually one the device has, else an edge or junk. */
static __u32 fz_region_index(struct fz_dev *d)
{
	return fz_u32(&d->rng, fz_below(&d->rng, d->nregions + 1));
}

/* A region with a size, or NULL when the device has none. */
static struct vfio_region_info *fz_some_region(struct fz_dev *d)
{
	unsigned int i, n = 0, pick;

	for (i = 0; i < d->nregions; i++)
		n += d->regions[i].size != 0;
	if (!n)
		return NULL;
	pick = fz_below(&d->rng, n);
	for (i = 0; i < d->nregions; i++)
		if (d->regions[i].size && !pick--)
			return &d->regions[i];
	return NULL;
}

/*
 * A device fd offset: inside a region near its start, its end or a register
 * boundary; in the gap after it; at an index with no region; or junk.
 */
static __u64 fz_offset(struct fz_dev *d, __u64 *room)
{
	struct vfio_region_info *r = fz_some_region(d);
	struct fz_rng *rng = &d->rng;
	__u64 size, rel;

	*room = 0;
	if (fz_pct(rng, 15)) {
		/*
		 * A region the device says is empty, or one past its last:
		 * its driver must bound the index all the same. Offsets are
		 * small, where registers would be.
		 */
		__u32 idx = fz_below(rng, d->nregions + 4);
		__u64 base = idx < d->nregions && d->regions[idx].offset ?
			     d->regions[idx].offset : (__u64)idx << 40;

		return base + (fz_pct(rng, 60) ? fz_below(rng, 16) :
			       fz_below(rng, 0x1000));
	}
	if (!r || fz_pct(rng, 8)) {
		if (fz_pct(rng, 50))
			return ((__u64)fz_u32(rng, d->nregions + fz_below(rng, 4)) << 40) +
			       fz_below(rng, 0x1000);
		return fz_u64(rng, fz_next(rng));
	}
	size = r->size;
	switch (fz_below(rng, 12)) {
	case 0:
		rel = 0;
		break;
	case 1:
		rel = size - 1 - fz_below(rng, 8);
		break;
	case 2:
		rel = size;
		break;
	case 3:
		rel = size + fz_below(rng, 8);
		break;
	case 4:
		rel = size + fz_below(rng, 1ULL << 20);	/* between regions */
		break;
	case 5:
		rel = fz_below(rng, 0x100);		/* config header, UART regs */
		break;
	case 6:
		rel = (fz_below(rng, size / 4 + 1) * 4) + fz_below(rng, 4);
		break;
	case 7:
		rel = size - (1ULL << fz_below(rng, 4));
		break;
	case 8:
		rel = fz_below(rng, 0x1000) + (fz_below(rng, 0x10) << 8);
		break;
	default:
		rel = fz_below(rng, size);
		break;
	}
	if (rel < size)
		*room = size - rel;
	return r->offset + rel;
}

/* An access size: mostly register widths, sometimes up to a page. */
static size_t fz_len(struct fz_dev *d, __u64 room)
{
	struct fz_rng *rng = &d->rng;

	switch (fz_below(rng, 10)) {
	case 0 ... 4:
		return 1 << fz_below(rng, 4);
	case 5:
		return room && room <= FZ_PAGE ? room : 3;
	case 6:
		return room && room < FZ_PAGE ? room + 1 + fz_below(rng, 8) : 16;
	default:
		return 1 + fz_below(rng, FZ_PAGE);
	}
}

/* Whether junk may be written at device fd offset @off (the row's no_write). */
static bool fz_write_ok(struct fz_dev *d, __u64 off, __u64 len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(d->no_write); i++)
		if (off < d->no_write[i].end && off + len > d->no_write[i].start)
			return false;
	return true;
}

/* ---- cap chains ---- */

/*
 * Walk an info cap chain the kernel wrote into @base (readable for @space
 * bytes, @given of which the caller offered in argsz).
 */
static void fz_check_caps(struct fz_dev *d, const __u8 *base, size_t space,
			  __u32 given, __u32 off, __u32 hdr_size)
{
	const struct vfio_info_cap_header *hdr;
	size_t limit = given < space ? given : space;
	unsigned int n = 0;

	while (off) {
		if (off < hdr_size || off + sizeof(*hdr) > limit) {
			fz_violation(d, "cap at %u outside the %u-byte argument", off,
				     given);
			return;
		}
		hdr = (const void *)(base + off);
		if (++n > 64 || (hdr->next && hdr->next <= off)) {
			fz_violation(d, "cap chain loops at %u (next %u)", off, hdr->next);
			return;
		}
		off = hdr->next;
	}
}

/* ---- ioctl operations ---- */

static long fz_get_info(struct fz_dev *d)
{
	struct vfio_device_info info = {};
	__u32 minsz = offsetof(struct vfio_device_info, num_irqs) + sizeof(__u32);
	struct vfio_device_info *p;
	size_t space;
	long ret;

	info.argsz = fz_argsz(&d->rng, sizeof(info), minsz);
	info.flags = fz_u32(&d->rng, 0);
	p = fz_place(d, &info, sizeof(info), &space);
	fz_what(d, "argsz=%u", info.argsz);
	ret = fz_ioctl(fz_dev_fd(d), VFIO_DEVICE_GET_INFO, p);
	if (!ret && space >= sizeof(info) && info.argsz >= sizeof(info) &&
	    (p->flags & VFIO_DEVICE_FLAGS_CAPS) && p->argsz <= info.argsz)
		fz_check_caps(d, (__u8 *)p, space, info.argsz, p->cap_offset,
			      sizeof(info));
	return ret;
}

static long fz_get_region_info(struct fz_dev *d)
{
	struct vfio_region_info info = {};
	__u32 minsz = offsetof(struct vfio_region_info, offset) + sizeof(__u64);
	struct vfio_region_info *p;
	size_t space;
	long ret;

	info.argsz = fz_argsz(&d->rng, fz_pct(&d->rng, 30) ? 4096 : sizeof(info),
			      minsz);
	info.index = fz_region_index(d);
	info.flags = fz_u32(&d->rng, 0);
	info.cap_offset = fz_u32(&d->rng, 0);
	p = fz_place(d, &info, sizeof(info), &space);
	fz_what(d, "argsz=%u index=%u", info.argsz, info.index);
	ret = fz_ioctl(fz_dev_fd(d), VFIO_DEVICE_GET_REGION_INFO, p);
	if (!ret && space >= sizeof(info) && info.argsz >= sizeof(info) &&
	    (p->flags & VFIO_REGION_INFO_FLAG_CAPS) && p->argsz <= info.argsz)
		fz_check_caps(d, (__u8 *)p, space, info.argsz, p->cap_offset,
			      sizeof(info));
	return ret;
}

static long fz_get_irq_info(struct fz_dev *d)
{
	struct vfio_irq_info info = {};
	void *p;
	size_t space;

	info.argsz = fz_argsz(&d->rng, sizeof(info), sizeof(info));
	info.index = fz_u32(&d->rng, fz_below(&d->rng, d->nirqs + 1));
	info.flags = fz_u32(&d->rng, 0);
	info.count = fz_u32(&d->rng, 0);
	p = fz_place(d, &info, sizeof(info), &space);
	fz_what(d, "argsz=%u index=%u", info.argsz, info.index);
	return fz_ioctl(fz_dev_fd(d), VFIO_DEVICE_GET_IRQ_INFO, p);
}

static const __u32 fz_irq_data[] = {
	VFIO_IRQ_SET_DATA_NONE, VFIO_IRQ_SET_DATA_BOOL, VFIO_IRQ_SET_DATA_EVENTFD,
};

static const __u32 fz_irq_action[] = {
	VFIO_IRQ_SET_ACTION_MASK, VFIO_IRQ_SET_ACTION_UNMASK,
	VFIO_IRQ_SET_ACTION_TRIGGER,
};

static long fz_set_irqs(struct fz_dev *d)
{
	static __u8 tmp[sizeof(struct vfio_irq_set) + 256 * sizeof(__s32)];
	struct vfio_irq_set *set = (void *)tmp;
	struct fz_rng *rng = &d->rng;
	__u32 index, irq_count, data, elem, n, i;
	size_t len, space;
	void *p;

	memset(set, 0, sizeof(*set));
	index = fz_below(rng, d->nirqs + 1);
	irq_count = index < d->nirqs ? d->irqs[index].count : 1;
	set->index = fz_u32(rng, index);
	data = fz_irq_data[fz_below(rng, 3)];
	set->flags = fz_u32(rng, data | fz_irq_action[fz_below(rng, 3)]);
	set->start = fz_u32(rng, fz_below(rng, irq_count + 1));
	set->count = fz_u32(rng, fz_pct(rng, 20) ? 0 :
			    1 + fz_below(rng, irq_count ? irq_count : 1));

	elem = data == VFIO_IRQ_SET_DATA_BOOL ? 1 :
	       data == VFIO_IRQ_SET_DATA_EVENTFD ? 4 : 0;
	n = set->count < 256 ? set->count : 256;
	for (i = 0; i < n && elem == 1; i++)
		set->data[i] = fz_pct(rng, 90) ? fz_below(rng, 2) : fz_next(rng);
	for (i = 0; i < n && elem == 4; i++) {
		__s32 fd = fz_some_fd(d);

		memcpy(&set->data[4 * i], &fd, sizeof(fd));
	}
	len = sizeof(*set) + n * elem;
	set->argsz = fz_argsz(rng, len, sizeof(*set));
	p = fz_place(d, set, len, &space);
	fz_what(d, "argsz=%u flags=0x%x index=%u start=%u count=%u",
		set->argsz, set->flags, set->index, set->start, set->count);
	return fz_ioctl(fz_dev_fd(d), VFIO_DEVICE_SET_IRQS, p);
}

static long fz_reset(struct fz_dev *d)
{
	d->what[0] = '\0';
	return fz_ioctl(fz_dev_fd(d), VFIO_DEVICE_RESET, NULL);
}

static long fz_query_gfx_plane(struct fz_dev *d)
{
	static const __u32 flags[] = {
		VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_DMABUF,
		VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_REGION,
		VFIO_GFX_PLANE_TYPE_DMABUF, VFIO_GFX_PLANE_TYPE_REGION,
	};
	struct vfio_device_gfx_plane_info plane = {}, *p;
	size_t space;
	long ret;

	plane.argsz = fz_argsz(&d->rng, sizeof(plane), sizeof(plane));
	plane.flags = fz_u32(&d->rng, flags[fz_below(&d->rng, 4)]);
	plane.drm_plane_type = fz_u32(&d->rng, 1 + fz_below(&d->rng, 2));
	p = fz_place(d, &plane, sizeof(plane), &space);
	fz_what(d, "argsz=%u flags=0x%x plane=%u", plane.argsz, plane.flags,
		plane.drm_plane_type);
	ret = fz_ioctl(fz_dev_fd(d), VFIO_DEVICE_QUERY_GFX_PLANE, p);
	if (!ret && space >= sizeof(plane) &&
	    (plane.flags & VFIO_GFX_PLANE_TYPE_DMABUF))
		d->dmabuf_id = p->dmabuf_id;
	return ret;
}

static void fz_aux_add(struct fz_dev *d, int fd, enum fz_aux_kind kind)
{
	if (fd < 0 || fcntl(fd, F_GETFD) < 0)
		return;
	if (d->naux == FZ_MAX_AUX) {
		close(fd);
		return;
	}
	d->aux[d->naux].fd = fd;
	d->aux[d->naux].kind = kind;
	d->naux++;
}

static long fz_get_gfx_dmabuf(struct fz_dev *d)
{
	__u32 id = fz_u32(&d->rng, d->dmabuf_id);
	size_t space;
	void *p = fz_place(d, &id, sizeof(id), &space);
	long ret;

	fz_what(d, "id=%u", id);
	ret = fz_ioctl(fz_dev_fd(d), VFIO_DEVICE_GET_GFX_DMABUF, p);
	if (ret >= 0)
		fz_aux_add(d, ret, FZ_AUX_DMABUF);
	return ret;
}

static long fz_ioeventfd(struct fz_dev *d)
{
	struct vfio_device_ioeventfd ev = {};
	__u64 room;
	size_t space;
	void *p;

	ev.argsz = fz_argsz(&d->rng, sizeof(ev), sizeof(ev));
	ev.flags = fz_u32(&d->rng, 1 << fz_below(&d->rng, 4));
	ev.offset = fz_offset(d, &room);
	ev.data = fz_next(&d->rng);
	ev.fd = fz_write_ok(d, ev.offset, 8) ? fz_some_fd(d) : -1;
	p = fz_place(d, &ev, sizeof(ev), &space);
	fz_what(d, "argsz=%u flags=0x%x offset=0x%llx fd=%d", ev.argsz, ev.flags,
		(unsigned long long)ev.offset, ev.fd);
	return fz_ioctl(fz_dev_fd(d), VFIO_DEVICE_IOEVENTFD, p);
}

static const __u32 fz_feature_flags[] = {
	VFIO_DEVICE_FEATURE_GET, VFIO_DEVICE_FEATURE_SET,
	VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_GET,
	VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_SET,
	VFIO_DEVICE_FEATURE_PROBE,
	VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET,
};

static long fz_feature(struct fz_dev *d)
{
	static __u8 tmp[sizeof(struct vfio_device_feature) + 64];
	struct vfio_device_feature *feat = (void *)tmp;
	struct fz_rng *rng = &d->rng;
	__u32 index, dlen = 8, state = 0;
	size_t space;
	long ret;
	__u8 *p;

	memset(tmp, 0, sizeof(tmp));
	index = fz_pct(rng, 60) ? VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE :
		fz_below(rng, 12);
	index = fz_u32(rng, index) & VFIO_DEVICE_FEATURE_MASK;
	feat->flags = index | fz_feature_flags[fz_below(rng, ARRAY_SIZE(fz_feature_flags))];
	if (fz_pct(rng, 5))
		feat->flags |= fz_next(rng) & ~VFIO_DEVICE_FEATURE_MASK;

	switch (index) {
	case VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE: {
		struct vfio_device_feature_mig_state *mig = (void *)feat->data;

		state = fz_u32(rng, fz_below(rng, VFIO_DEVICE_STATE_NR));
		mig->device_state = state;
		mig->data_fd = fz_pct(rng, 90) ? -1 : fz_some_fd(d);
		break;
	}
	case VFIO_DEVICE_FEATURE_PCI_VF_TOKEN:
		dlen = 16;
		fz_fill(rng, feat->data, dlen);
		break;
	case VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP: {
		__s32 fd = fz_some_fd(d);

		memcpy(feat->data, &fd, sizeof(fd));
		break;
	}
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_START:
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT:
		dlen = 32;
		fz_fill(rng, feat->data, dlen);
		break;
	default:
		dlen = fz_below(rng, 17);
		fz_fill(rng, feat->data, dlen);
		break;
	}
	feat->argsz = fz_argsz(rng, sizeof(*feat) + dlen, sizeof(*feat));
	p = fz_place(d, feat, sizeof(*feat) + dlen, &space);
	fz_what(d, "argsz=%u flags=0x%x state=%u", feat->argsz, feat->flags, state);
	ret = fz_ioctl(fz_dev_fd(d), VFIO_DEVICE_FEATURE, p);
	if (!ret && index == VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE &&
	    (feat->flags & VFIO_DEVICE_FEATURE_SET) &&
	    space >= sizeof(*feat) + dlen) {
		struct vfio_device_feature_mig_state *mig = (void *)(p + sizeof(*feat));

		if (mig->data_fd >= 0 && mig->data_fd != fz_some_fd(d))
			fz_aux_add(d, mig->data_fd,
				   state == VFIO_DEVICE_STATE_RESUMING ?
				   FZ_AUX_RESUME : FZ_AUX_SAVE);
	}
	return ret;
}

static long fz_hot_reset_info(struct fz_dev *d)
{
	struct vfio_pci_hot_reset_info *info = (void *)fz_buf;
	__u32 n = fz_below(&d->rng, 5);
	size_t len = sizeof(*info) + n * sizeof(info->devices[0]), space;
	void *p;

	memset(fz_buf, 0, len);
	info->argsz = fz_argsz(&d->rng, len, sizeof(*info));
	info->flags = fz_u32(&d->rng, 0);
	info->count = fz_u32(&d->rng, n);
	p = fz_place(d, info, len, &space);
	fz_what(d, "argsz=%u count=%u", info->argsz, info->count);
	return fz_ioctl(fz_dev_fd(d), VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, p);
}

static long fz_hot_reset(struct fz_dev *d)
{
	struct vfio_pci_hot_reset *rst = (void *)fz_buf;
	__u32 n = fz_below(&d->rng, 5), i;
	size_t len = sizeof(*rst) + n * sizeof(__s32), space;
	void *p;

	memset(fz_buf, 0, len);
	for (i = 0; i < n; i++)
		rst->group_fds[i] = fz_pct(&d->rng, 60) ? d->vd.group : fz_some_fd(d);
	rst->argsz = fz_argsz(&d->rng, len, sizeof(*rst));
	rst->flags = fz_u32(&d->rng, 0);
	rst->count = fz_u32(&d->rng, n);
	p = fz_place(d, rst, len, &space);
	fz_what(d, "argsz=%u count=%u", rst->argsz, rst->count);
	return fz_ioctl(fz_dev_fd(d), VFIO_DEVICE_PCI_HOT_RESET, p);
}

/* Any command number in the VFIO range: drivers' own ioctls, holes. */
static long fz_raw_ioctl(struct fz_dev *d, int fd)
{
	__u32 dir = fz_below(&d->rng, 4), nr = fz_below(&d->rng, 64);
	__u32 size = fz_pct(&d->rng, 50) ? 0 : fz_below(&d->rng, 256);
	unsigned long cmd = _IOC(dir, VFIO_TYPE, nr, size);

	fz_fill(&d->rng, fz_arg, 256);
	fz_what(d, "cmd=0x%lx", cmd);
	return fz_ioctl(fd, cmd, fz_pct(&d->rng, 90) ? fz_arg : NULL);
}

/* ---- region access ---- */

static long fz_rw(struct fz_dev *d, bool write)
{
	__u64 room, off = fz_offset(d, &room);
	size_t len = fz_len(d, room);
	ssize_t n;

	if (write && !fz_write_ok(d, off, len))
		write = false;
	if (write) {
		if (fz_pct(&d->rng, 30))
			memset(fz_buf, fz_pct(&d->rng, 50) ? 0 : 0xff, len);
		else
			fz_fill(&d->rng, fz_buf, len);
		n = pwrite(fz_dev_fd(d), fz_buf, len, off);
	} else {
		n = pread(fz_dev_fd(d), fz_buf, len, off);
	}
	fz_what(d, "off=0x%llx len=%zu", (unsigned long long)off, len);
	if (n < 0)
		return -errno;
	if ((size_t)n > len)
		fz_violation(d, "%s of %zu bytes at 0x%llx returned %zd",
			     write ? "pwrite" : "pread", len,
			     (unsigned long long)off, n);
	return n;
}

/* ---- mappings ---- */

static sigjmp_buf fz_jmp;
static int fz_touching;	/* a fault now means a touch faulted */

static void fz_fault(int sig)
{
	if (__atomic_load_n(&fz_touching, __ATOMIC_RELAXED))
		siglongjmp(fz_jmp, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void fz_map_add(struct fz_dev *d, const struct fz_map *m)
{
	d->maps[d->nmaps++] = *m;
}

static void fz_map_drop(struct fz_dev *d, int i)
{
	d->maps[i] = d->maps[--d->nmaps];
}

static long fz_do_mmap(struct fz_dev *d, int fd, __u64 off, size_t len,
		       size_t writable)
{
	static const int prots[] = {
		PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE,
		PROT_READ, PROT_WRITE, PROT_NONE,
	};
	int prot = prots[fz_below(&d->rng, ARRAY_SIZE(prots))];
	int flags = fz_pct(&d->rng, 90) ? MAP_SHARED : MAP_PRIVATE;
	struct fz_map m;
	void *addr;

	if (d->nmaps == FZ_MAX_MAPS) {
		munmap(d->maps[0].addr, d->maps[0].len);
		fz_map_drop(d, 0);
	}
	fz_what(d, "off=0x%llx len=0x%zx prot=%d flags=%d",
		(unsigned long long)off, len, prot, flags);
	/*
	 * Half the page-aligned offsets get an address 2 MiB aligned with the
	 * offset, as a VMM maps a region (mbochs then maps BAR0 with PMD
	 * entries); the choice draws nothing, so a seed replays the same
	 * steps as before.
	 */
	if (len && !(off & (FZ_PAGE - 1)) && !(off / FZ_PAGE & 1))
		addr = vfio_mmap_phase(len, prot, flags, fd, off, off);
	else
		addr = mmap(NULL, len, prot, flags, fd, off);
	if (addr == MAP_FAILED)
		return -errno;
	if (!(prot & PROT_WRITE) || flags != MAP_SHARED)
		writable = 0;
	m.addr = addr;
	m.len = len;
	m.writable = writable < len ? writable : len;
	m.fdoff = writable ? off : ~0ULL;
	m.readable = prot != PROT_NONE;
	fz_map_add(d, &m);
	return 0;
}

static long fz_mmap(struct fz_dev *d)
{
	struct vfio_region_info *r = fz_some_region(d);
	struct fz_rng *rng = &d->rng;
	__u64 off, rel = 0, size = r ? r->size : FZ_PAGE;
	size_t len;

	switch (fz_below(rng, 8)) {
	case 0 ... 3:
		rel = fz_below(rng, size / FZ_PAGE + 1) * FZ_PAGE;
		break;
	case 4:
		rel = (size + FZ_PAGE - 1) & ~(FZ_PAGE - 1);
		break;
	case 5:
		rel = 1 + fz_below(rng, FZ_PAGE - 1);		/* unaligned */
		break;
	default:
		rel = fz_u64(rng, 0) & ~(FZ_PAGE - 1);
		break;
	}
	off = (r ? r->offset : (__u64)fz_region_index(d) << 40) + rel;
	switch (fz_below(rng, 8)) {
	case 0 ... 2:
		len = FZ_PAGE;
		break;
	case 3:
		len = size > rel ? size - rel : FZ_PAGE;
		break;
	case 4:
		len = size + FZ_PAGE;
		break;
	case 5:
		len = 0;
		break;
	case 6:
		len = 1UL << (30 + fz_below(rng, 4));
		break;
	default:
		len = (1 + fz_below(rng, 16)) * FZ_PAGE;
		break;
	}
	return fz_do_mmap(d, fz_dev_fd(d), off, len,
			  r && rel < size && (r->flags & VFIO_REGION_INFO_FLAG_WRITE) ?
			  size - rel : 0);
}

static long fz_munmap(struct fz_dev *d)
{
	struct fz_map *m;
	size_t page;
	int i;

	if (!d->nmaps)
		return -ENOENT;
	i = fz_below(&d->rng, d->nmaps);
	m = &d->maps[i];
	page = fz_below(&d->rng, m->len / FZ_PAGE) * FZ_PAGE;
	fz_what(d, "len=0x%zx page=0x%zx", m->len, page);
	if (fz_pct(&d->rng, 60) || m->len <= FZ_PAGE || d->nmaps == FZ_MAX_MAPS) {
		munmap(m->addr, m->len);
		fz_map_drop(d, i);
		return 0;
	}
	/* Punch one page: the driver's vm_ops see the VMA split. */
	if (munmap(m->addr + page, FZ_PAGE))
		return -errno;
	if (page + FZ_PAGE < m->len) {
		struct fz_map tail = *m;

		tail.addr += page + FZ_PAGE;
		tail.len -= page + FZ_PAGE;
		tail.writable = m->writable > page + FZ_PAGE ?
				m->writable - page - FZ_PAGE : 0;
		tail.fdoff += page + FZ_PAGE;
		fz_map_add(d, &tail);
	}
	m = &d->maps[i];
	m->len = page;
	if (m->writable > page)
		m->writable = page;
	if (!page)
		fz_map_drop(d, i);
	return 0;
}

/* Read (and where the region allows, write) a word of a mapped page. */
static long fz_touch(struct fz_dev *d)
{
	__u32 *word;
	struct fz_map *m;
	size_t pages, off;
	bool write;
	int sig;

	if (!d->nmaps)
		return -ENOENT;
	m = &d->maps[fz_below(&d->rng, d->nmaps)];
	if (!m->readable)
		return -EACCES;		/* PROT_NONE: not touched */
	pages = m->len / FZ_PAGE;
	off = fz_below(&d->rng, pages > 64 ? 64 : pages) * FZ_PAGE;
	if (fz_pct(&d->rng, 20))
		off = (pages - 1) * FZ_PAGE;
	off += fz_below(&d->rng, FZ_PAGE / 4) * 4;
	write = off + 4 <= m->writable && fz_pct(&d->rng, 50) &&
		fz_write_ok(d, m->fdoff + off, 4);
	word = (__u32 *)(m->addr + off);
	fz_what(d, "off=0x%zx %s", off, write ? "write" : "read");

	sig = sigsetjmp(fz_jmp, 1);
	if (sig) {
		__atomic_store_n(&fz_touching, 0, __ATOMIC_SEQ_CST);
		/* SIGBUS says "no page here"; SIGSEGV in a mapping is wrong. */
		if (sig == SIGSEGV)
			fz_violation(d, "SIGSEGV touching offset 0x%zx of a %zu-byte mapping",
				     off, m->len);
		return sig == SIGBUS ? -FZ_CLS_SIGBUS : -FZ_CLS_SIGSEGV;
	}
	__atomic_store_n(&fz_touching, 1, __ATOMIC_SEQ_CST);
	/* Atomic accesses: the compiler must not drop or merge them. */
	if (write)
		__atomic_store_n(word, (__u32)fz_next(&d->rng), __ATOMIC_RELAXED);
	else
		__atomic_load_n(word, __ATOMIC_RELAXED);
	__atomic_store_n(&fz_touching, 0, __ATOMIC_SEQ_CST);
	return 0;
}

/* ---- file descriptors ---- */

static void fz_fd_add(struct fz_dev *d, int fd)
{
	if (d->nfds == FZ_MAX_FDS)
		close(fd);
	else
		d->fds[d->nfds++] = fd;
}

static long fz_open(struct fz_dev *d)
{
	__u32 variant = fz_below(&d->rng, 12);
	char name[300];
	const char *arg = name;
	int fd;

	snprintf(name, sizeof(name), "%s", d->vd.name);
	switch (variant) {
	case 0:
		name[0] = '\0';
		break;
	case 1:
		strncat(name, "x", sizeof(name) - strlen(name) - 1);
		break;
	case 2:
		name[strlen(name) - 1] = '\0';
		break;
	case 3:
		memset(name, 'a' + fz_below(&d->rng, 26), sizeof(name) - 1);
		name[sizeof(name) - 1] = '\0';
		break;
	case 4:
		arg = NULL;
		break;
	default:
		break;
	}
	fz_what(d, "name variant %u", variant);	/* not the name: UUIDs differ */
	fd = ioctl(d->vd.group, VFIO_GROUP_GET_DEVICE_FD, arg);
	if (fd < 0)
		return -errno;
	fz_fd_add(d, fd);
	return fd;
}

static long fz_dup(struct fz_dev *d)
{
	int fd = dup(d->fds[fz_below(&d->rng, d->nfds)]);

	d->what[0] = '\0';
	if (fd < 0)
		return -errno;
	fz_fd_add(d, fd);
	return fd;
}

static long fz_close(struct fz_dev *d)
{
	int i;

	if (d->naux && fz_pct(&d->rng, 30)) {
		i = fz_below(&d->rng, d->naux);
		fz_what(d, "aux %d", d->aux[i].kind);
		close(d->aux[i].fd);
		d->aux[i] = d->aux[--d->naux];
		return 0;
	}
	i = fz_below(&d->rng, d->nfds);
	fz_what(d, "fd %d of %d", i, d->nfds);
	close(d->fds[i]);
	d->fds[i] = d->fds[--d->nfds];
	return 0;
}

/* ---- fds the device handed out: migration data and dma-bufs ---- */

static long fz_aux_read(struct fz_dev *d, struct fz_aux *a)
{
	size_t len = fz_pct(&d->rng, 50) ? FZ_PAGE : 1 + fz_below(&d->rng, FZ_PAGE);
	ssize_t n;

	fz_what(d, "kind=%d len=%zu", a->kind, len);
	n = read(a->fd, fz_buf, len);
	if (n < 0)
		return -errno;
	if ((size_t)n > len) {
		fz_violation(d, "read of %zu bytes returned %zd", len, n);
	} else if (a->kind == FZ_AUX_SAVE && d->save_len + n <= FZ_SAVE_MAX) {
		memcpy(d->save + d->save_len, fz_buf, n);
		d->save_len += n;
	}
	return n;
}

/*
 * Feed a resume fd: the saved stream in order, the saved stream with a few
 * bytes flipped (headers first: they hold lengths and counts), or junk.
 */
static long fz_aux_write(struct fz_dev *d, struct fz_aux *a)
{
	struct fz_rng *rng = &d->rng;
	size_t len = 1 + fz_below(rng, FZ_PAGE);
	__u32 mode = d->save_len ? fz_below(rng, 3) : 2, i;
	ssize_t n;

	if (mode < 2) {
		if (d->resume_pos >= d->save_len)
			d->resume_pos = 0;
		if (len > d->save_len - d->resume_pos)
			len = d->save_len - d->resume_pos;
		memcpy(fz_buf, d->save + d->resume_pos, len);
		for (i = 0; mode == 1 && i < 1 + fz_below(rng, 4); i++)
			fz_buf[fz_pct(rng, 70) ? fz_below(rng, len < 64 ? len : 64) :
			       fz_below(rng, len)] ^= 1 << fz_below(rng, 8);
		d->resume_pos += len;
	} else {
		fz_fill(rng, fz_buf, len);
	}
	fz_what(d, "kind=%d mode=%u len=%zu", a->kind, mode, len);
	n = write(a->fd, fz_buf, len);
	if (n < 0)
		return -errno;
	if ((size_t)n > len)
		fz_violation(d, "write of %zu bytes returned %zd", len, n);
	return n;
}

static long fz_aux_ioctl(struct fz_dev *d, struct fz_aux *a)
{
	struct vfio_precopy_info info = {};
	size_t space;
	void *p;

	if (fz_pct(&d->rng, 30))
		return fz_raw_ioctl(d, a->fd);
	info.argsz = fz_argsz(&d->rng, sizeof(info), sizeof(info));
	info.flags = fz_u32(&d->rng, 0);
	p = fz_place(d, &info, sizeof(info), &space);
	fz_what(d, "PRECOPY_INFO argsz=%u", info.argsz);
	return fz_ioctl(a->fd, VFIO_MIG_GET_PRECOPY_INFO, p);
}

static long fz_aux_op(struct fz_dev *d, enum fz_op op)
{
	struct fz_aux *a;

	if (!d->naux)
		return -ENOENT;
	a = &d->aux[fz_below(&d->rng, d->naux)];
	switch (op) {
	case FZ_AUX_READ:
		return fz_aux_read(d, a);
	case FZ_AUX_WRITE:
		return fz_aux_write(d, a);
	case FZ_AUX_IOCTL:
		return fz_aux_ioctl(d, a);
	default:
		return fz_do_mmap(d, a->fd, fz_pct(&d->rng, 90) ? 0 :
				  fz_u64(&d->rng, FZ_PAGE) & ~(FZ_PAGE - 1),
				  (1 + fz_below(&d->rng, 4)) * FZ_PAGE, 0);
	}
}

/* ---- one step ---- */

static enum fz_op fz_pick_op(struct fz_dev *d)
{
	unsigned int total = 0, r, op;

	for (op = 0; op < FZ_NR_OPS; op++)
		total += fz_op_weight[op];
	r = fz_below(&d->rng, total);
	for (op = 0; op < FZ_NR_OPS; op++) {
		if (r < fz_op_weight[op])
			break;
		r -= fz_op_weight[op];
	}
	/* Without a device fd the only thing to do is to open one. */
	if (!d->nfds && op < FZ_AUX_READ && op != FZ_TOUCH && op != FZ_MUNMAP)
		op = FZ_OPEN;
	return op;
}

static long fz_step(struct fz_dev *d, enum fz_op op)
{
	switch (op) {
	case FZ_GET_INFO:
		return fz_get_info(d);
	case FZ_GET_REGION_INFO:
		return fz_get_region_info(d);
	case FZ_GET_IRQ_INFO:
		return fz_get_irq_info(d);
	case FZ_SET_IRQS:
		return fz_set_irqs(d);
	case FZ_RESET:
		return fz_reset(d);
	case FZ_QUERY_GFX_PLANE:
		return fz_query_gfx_plane(d);
	case FZ_GET_GFX_DMABUF:
		return fz_get_gfx_dmabuf(d);
	case FZ_IOEVENTFD:
		return fz_ioeventfd(d);
	case FZ_FEATURE:
		return fz_feature(d);
	case FZ_HOT_RESET_INFO:
		return fz_hot_reset_info(d);
	case FZ_HOT_RESET:
		return fz_hot_reset(d);
	case FZ_RAW_IOCTL:
		return fz_raw_ioctl(d, fz_dev_fd(d));
	case FZ_PREAD:
		return fz_rw(d, false);
	case FZ_PWRITE:
		return fz_rw(d, true);
	case FZ_MMAP:
		return fz_mmap(d);
	case FZ_MUNMAP:
		return fz_munmap(d);
	case FZ_TOUCH:
		return fz_touch(d);
	case FZ_OPEN:
		return fz_open(d);
	case FZ_DUP:
		return d->nfds < FZ_MAX_FDS ? fz_dup(d) : fz_close(d);
	case FZ_CLOSE:
		return fz_close(d);
	default:
		return fz_aux_op(d, op);
	}
}

/* ---- the kernel log ---- */

static int fz_kmsg = -1;
static unsigned int fz_kmsg_printed;	/* report lines printed for this device */

static void fz_kmsg_open(void)
{
	fz_kmsg_printed = 0;
	if (fz_kmsg >= 0)
		close(fz_kmsg);
	fz_kmsg = kreport_open();
}

struct fz_kmsg_where {
	const char *label;
	unsigned int step;
};

static void fz_kmsg_print(const char *msg, void *arg)
{
	const struct fz_kmsg_where *w = arg;

	if (fz_kmsg_printed++ < 10)
		ksft_print_msg("KERNEL REPORT %s by step %u: %s\n", w->label,
			       w->step, msg);
}

/* Count (and print) report lines logged since the last call. */
static unsigned int fz_kmsg_scan(const char *label, unsigned int step)
{
	struct fz_kmsg_where w = { label, step };

	return kreport_scan(fz_kmsg, fz_kmsg_print, &w);
}

/* ---- one device ---- */

static unsigned int fz_stall_step;
static const char *fz_stall_label;

static void fz_stall(int sig)
{
	char msg[200];
	int n;

	n = snprintf(msg, sizeof(msg), "# %s: step %u did not return in %d s\n",
		     fz_stall_label, fz_stall_step, FZ_STALL_SECS);
	if (write(STDOUT_FILENO, msg, n) < 0)
		_exit(KSFT_FAIL);
	_exit(KSFT_FAIL);
}

static __u64 fz_hash(const char *s)
{
	__u64 h = 0xcbf29ce484222325ULL;

	while (*s)
		h = (h ^ (__u8)*s++) * 0x100000001b3ULL;
	return h;
}

static void fz_uuid(struct fz_dev *d, char uuid[UUID_STR_LEN])
{
	struct fz_rng r = d->rng;
	__u64 a = fz_next(&r), b = fz_next(&r);

	snprintf(uuid, UUID_STR_LEN, "%08x-%04x-4%03x-8%03x-%012llx",
		 (__u32)a, (__u32)(a >> 32) & 0xffff, (__u32)(a >> 48) & 0xfff,
		 (__u32)b & 0xfff, (unsigned long long)(b >> 16));
}

static void fz_query(struct fz_dev *d)
{
	unsigned int i;

	__vfio_device_info(d->fds[0], &d->info);
	d->nregions = d->info.num_regions < FZ_MAX_REGIONS ?
		      d->info.num_regions : FZ_MAX_REGIONS;
	for (i = 0; i < d->nregions; i++)
		if (__vfio_region_info(d->fds[0], i, &d->regions[i]))
			d->regions[i].size = 0;
	for (i = 0; d->f->drv && i < ARRAY_SIZE(d->no_write); i++) {
		const struct vfio_no_write *nw = &d->f->drv->no_write[i];

		if (nw->end && nw->index < d->nregions) {
			d->no_write[i].start = d->regions[nw->index].offset + nw->start;
			d->no_write[i].end = d->regions[nw->index].offset + nw->end;
		}
	}
	d->nirqs = d->info.num_irqs < FZ_MAX_IRQS ? d->info.num_irqs : FZ_MAX_IRQS;
	for (i = 0; i < d->nirqs; i++)
		if (__vfio_irq_info(d->fds[0], i, &d->irqs[i]))
			d->irqs[i].count = 0;
}

static void fz_release(struct fz_dev *d)
{
	int i;

	for (i = 0; i < d->nmaps; i++)
		munmap(d->maps[i].addr, d->maps[i].len);
	d->nmaps = 0;
	for (i = 0; i < d->naux; i++)
		close(d->aux[i].fd);
	for (i = 0; i < d->nfds; i++)
		close(d->fds[i]);
	for (i = 0; i < FZ_NR_EFDS; i++)
		close(d->efds[i]);
	d->naux = 0;
	d->nfds = 0;
	vfio_dev_close(&d->vd);
}

static long fz_read_refcnt(const char *module)
{
	char path[PATH_MAX];
	long val;

	if (!module[0])
		return -1;
	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", module);
	return __sysfs_read_long(path, &val) ? -1 : val;
}

static long fz_read_available(const struct vfio_found *f)
{
	char path[PATH_MAX];
	long val;

	snprintf(path, sizeof(path),
		 "/sys/class/mdev_bus/%s/mdev_supported_types/%s/available_instances",
		 f->parent, f->type);
	return __sysfs_read_long(path, &val) ? -1 : val;
}

static double fz_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fz_signals(void)
{
	struct sigaction sa = { .sa_handler = fz_fault };

	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sa.sa_handler = fz_stall;
	sigaction(SIGALRM, &sa, NULL);
}

/*
 * The steps themselves; the device is open. Stops early once
 * fz_device_secs have passed. Returns the steps done.
 */
static unsigned int fz_steps(struct fz_dev *d, unsigned int steps,
			     struct fz_cov *cov, unsigned int *reports)
{
	double deadline = fz_now() + fz_device_secs;
	unsigned int step;
	enum fz_op op;
	long ret;
	int cls;

	for (step = 0; step < steps; step++) {
		d->step = step;
		fz_stall_step = step;
		if (fz_device_secs && step && fz_now() > deadline)
			break;
		alarm(FZ_STALL_SECS);
		op = fz_pick_op(d);
		d->what[0] = '\0';
		ret = fz_step(d, op);
		cls = ret == -FZ_CLS_SIGBUS || ret == -FZ_CLS_SIGSEGV ? -ret :
		      fz_class(ret);
		cov->hits[op][cls]++;
		if (d->trace)
			d->trace[step] = fz_hash(d->what) ^ (op << 8 | cls);
		if (fz_verbose)
			ksft_print_msg("%s step %u: %s %s -> %s\n", d->f->label, step,
				       fz_op_names[op], d->what, fz_class_name(cls));
		if (!((step + 1) % FZ_KMSG_EVERY))
			*reports += fz_kmsg_scan(d->f->label, step);
	}
	alarm(0);
	return step;
}

/*
 * Fuzz one device for @steps steps, creating it first when it is an mdev
 * type and removing it after. Returns the number of problems: kernel
 * reports, contract violations and leaks.
 */
static int fz_device(struct vfio_found *f, __u64 seed, unsigned int steps,
		     struct fz_cov *total, __u64 *trace)
{
	long avail = -1, refcnt = -1, now, opens, closes;
	unsigned int reports = 0, done = 0, i;
	struct fz_cov *cov;
	struct fz_dev *d;
	int problems = 0, ret;
	double t0 = fz_now();

	d = calloc(1, sizeof(*d));
	cov = calloc(1, sizeof(*cov));
	if (!d || !cov)
		vfio_lib_fail("out of memory");
	d->f = f;
	d->trace = trace;
	d->rng.s = seed ^ fz_hash(f->label);
	fz_stall_label = f->label;
	ksft_print_msg("%s: rerun: vfio_fuzz --seed 0x%llx --steps %u %s %s\n",
		       f->label, (unsigned long long)seed, steps,
		       f->is_mdev || f->drv ? "--device" : "--sysfs",
		       f->is_mdev || f->drv ? f->label : f->sysfs);
	fz_kmsg_open();

	if (f->is_mdev) {
		avail = fz_read_available(f);
		/* A UUID of its own per seed, so that a rerun names it alike. */
		fz_uuid(d, f->uuid);
		ret = vfio_found_create(f);
		if (ret) {
			ksft_print_msg("%s: cannot create an mdev (%s, %ld available)\n",
				       f->label, strerror(-ret), avail);
			problems += avail > 0;
			goto out_free;
		}
	}
	refcnt = fz_read_refcnt(f->module);

	ret = __vfio_dev_open(f->sysfs, &d->vd);
	if (ret) {
		ksft_print_msg("%s: cannot open %s: %s\n", f->label, f->sysfs,
			       strerror(-ret));
		problems++;
		goto out_remove;
	}
	d->fds[0] = d->vd.fd;
	d->nfds = 1;
	d->vd.fd = -1;
	for (i = 0; i < FZ_NR_EFDS; i++)
		d->efds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	fz_query(d);
	fz_fill(&d->rng, fz_arg, FZ_ARG_SIZE);
	fz_signals();

	done = fz_steps(d, steps, cov, &reports);
	if (done < steps)
		ksft_print_msg("%s: time cap after %u steps (rerun: --steps %u)\n",
			       f->label, done, done);

	fz_release(d);
	reports += fz_kmsg_scan(f->label, done);

	opens = vfio_found_counter(f, "open_count");
	closes = vfio_found_counter(f, "close_count");
	if (opens < 0 || closes < 0) {
		/* Not one of the suite's drivers built with its test hooks. */
		ksft_print_msg("%s: SKIP open/close balance: no counters; %s\n",
			       f->label, f->is_mdev ?
			       "a removal that completes and the module refcount stand in" :
			       "the module refcount stands in");
	} else if (opens != closes) {
		ksft_print_msg("LEAK %s: open_count %ld, close_count %ld\n",
			       f->label, opens, closes);
		problems++;
	}
	now = fz_read_refcnt(f->module);
	if (now != refcnt) {
		ksft_print_msg("LEAK %s: module %s refcnt %ld, was %ld\n",
			       f->label, f->module, now, refcnt);
		problems++;
	}

out_remove:
	if (f->is_mdev && f->uuid[0]) {
		/* Bounded: a device fd the driver kept open must not hang us. */
		ret = __mdev_remove_timeout(f->uuid, FZ_REMOVE_MS * (suite_slow() ? 3 : 1));
		if (ret || path_exists(f->sysfs)) {
			ksft_print_msg("LEAK %s: removing %s: %s\n", f->label, f->uuid,
				       ret ? strerror(-ret) : "still there");
			problems++;
		}
		now = fz_read_available(f);
		if (now != avail) {
			ksft_print_msg("LEAK %s: available_instances %ld, was %ld\n",
				       f->label, now, avail);
			problems++;
		}
		f->uuid[0] = '\0';
	}
	reports += fz_kmsg_scan(f->label, done);
	problems += reports + d->violations;
	ksft_print_msg("%s: %u steps in %.1f s, %u (op, errno) pairs, problems: %d\n",
		       f->label, done, fz_now() - t0, fz_cov_pairs(cov), problems);
	fz_cov_add(total, cov);
out_free:
	free(cov);
	free(d);
	return problems;
}

/* ---- runs ---- */

struct fz_opts {
	__u64 seed;
	unsigned int steps;
	unsigned int time;	/* seconds; 0: one round */
	const char *device;	/* label substring; NULL: all */
	const char *sysfs;	/* one bound device, whatever its driver; NULL: none */
};

static void fz_setup_arg_area(void)
{
	if (fz_arg)
		return;
	fz_arg = mmap(NULL, FZ_ARG_SIZE + FZ_PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fz_arg == MAP_FAILED ||
	    mprotect(fz_arg + FZ_ARG_SIZE, FZ_PAGE, PROT_NONE))
		vfio_lib_fail("argument area: %s", strerror(errno));
}

/*
 * Fuzz every device in @found, round after round (round r uses seed + r)
 * until @o->time seconds have passed, or once. Stops after the first
 * round with a problem. Returns the number of problems.
 */
static int fz_run(struct vfio_found *found, int n, const struct fz_opts *o,
		  struct fz_cov *cov)
{
	double t0 = fz_now();
	int problems = 0, i, ran;
	unsigned int round;

	fz_setup_arg_area();
	for (round = 0; !problems; round++) {
		ran = 0;
		for (i = 0; i < n; i++) {
			if (o->device && !strstr(found[i].label, o->device))
				continue;
			problems += fz_device(&found[i], o->seed + round, o->steps, cov,
					      NULL);
			ran++;
		}
		if (!ran || fz_now() - t0 >= o->time)
			break;
	}
	return problems;
}

static __u64 fz_random_seed(void)
{
	__u64 seed;

	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = time(NULL);
	return seed & 0xffffffffffffULL;
}

static __u64 fz_env(const char *name, __u64 def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

/*
 * The kselftest run: VFIO_FUZZ_STEPS steps per device (default
 * FZ_DEFAULT_STEPS), seed VFIO_FUZZ_SEED (default: random, printed), and
 * with VFIO_FUZZ_TIME=S, rounds until S seconds have passed per driver.
 * VFIO_FUZZ_DEVICE=LABEL fuzzes only matching devices, VFIO_FUZZ_VERBOSE=1
 * logs every step. VFIO_FUZZ_DEVICE_SECS (default 3, 0: none) caps each
 * device's steps by time, so that the bounded run stays short on slow
 * kernels; the log then gives the step count that reruns the same steps.
 * On the sanitizer kernel the cap is 1 s: at 3 s its 17 devices made this
 * the longest program there (63 s). A device then gets 700 to 3,400 steps
 * and reaches 49 to 62 (op, errno) pairs instead of 60 to 77; the Debian
 * kernels still run every step, and make fuzz runs as long as asked.
 */
static void fuzz_env(struct fz_opts *o)
{
	unsigned int secs;

	o->steps = fz_env("VFIO_FUZZ_STEPS", FZ_DEFAULT_STEPS);
	o->seed = fz_env("VFIO_FUZZ_SEED", fz_random_seed());
	o->time = fz_env("VFIO_FUZZ_TIME", 0);
	o->device = getenv("VFIO_FUZZ_DEVICE");
	fz_verbose = fz_env("VFIO_FUZZ_VERBOSE", 0);
	secs = suite_rounds(FZ_DEFAULT_DEVICE_SECS, FZ_SLOW_DEVICE_SECS);
	fz_device_secs = fz_env("VFIO_FUZZ_DEVICE_SECS", secs);
}

static const struct vfio_suite_driver *fz_driver(const char *name)
{
	unsigned int i;

	for (i = 0; i < vfio_suite_nr_drivers; i++)
		if (!strcmp(vfio_suite_drivers[i].name, name))
			return &vfio_suite_drivers[i];
	return NULL;
}

static bool fz_any_match(const struct vfio_found *found, int n, const char *filter)
{
	int i;

	for (i = 0; i < n; i++)
		if (!filter || strstr(found[i].label, filter))
			return true;
	return false;
}

/* ---- the kselftest ---- */

FIXTURE(fuzz) {
	struct vfio_found *found;
	int n;
	const struct vfio_suite_driver *drv;
};

/* One test per driver; @source is an mdev parent or a vfio_suite_drivers[] row. */
FIXTURE_VARIANT(fuzz) {
	const char *source;
};

FIXTURE_VARIANT_ADD(fuzz, mtty) {
	.source = "mtty",
};

FIXTURE_VARIANT_ADD(fuzz, mdpy) {
	.source = "mdpy",
};

FIXTURE_VARIANT_ADD(fuzz, mbochs) {
	.source = "mbochs",
};

FIXTURE_VARIANT_ADD(fuzz, fsl_mc_stub) {
	.source = "fsl_mc_stub",
};

FIXTURE_VARIANT_ADD(fuzz, pci_slot_stub) {
	.source = "pci_slot_stub",
};

FIXTURE_SETUP(fuzz)
{
	self->drv = fz_driver(variant->source);
	if (self->drv)
		vfio_suite_run_ops(self->drv->setup, NULL);
	self->found = calloc(FZ_MAX_FOUND, sizeof(*self->found));
	ASSERT_NE(NULL, self->found);
	self->n = vfio_discover(self->found, FZ_MAX_FOUND, variant->source);
	if (!self->n)
		SKIP(return, "no %s devices", variant->source);
	if (!fz_any_match(self->found, self->n, getenv("VFIO_FUZZ_DEVICE")))
		SKIP(return, "no %s device matches VFIO_FUZZ_DEVICE", variant->source);
}

FIXTURE_TEARDOWN(fuzz)
{
	if (self->drv)
		vfio_suite_run_ops(self->drv->teardown, NULL);
	free(self->found);
}

TEST_F_TIMEOUT(fuzz, every_device, 24 * 3600)
{
	struct fz_cov *cov = calloc(1, sizeof(*cov));
	struct fz_opts o;

	ASSERT_NE(NULL, cov);
	fuzz_env(&o);
	EXPECT_EQ(0, fz_run(self->found, self->n, &o, cov));
	fz_cov_print(cov);
	free(cov);
}

/*
 * A seed reruns identically: the same device type, seed and step count give
 * the same operations with the same arguments and the same results. A fresh
 * mdev is the one device whose state does not carry over between runs.
 */
TEST(reproducible)
{
	struct fz_cov *cov = calloc(1, sizeof(*cov));
	struct vfio_found *found = calloc(FZ_MAX_FOUND, sizeof(*found));
	__u64 *trace[2] = { calloc(2000, 8), calloc(2000, 8) };
	struct fz_opts o;
	int i, n;

	ASSERT_NE(NULL, cov);
	ASSERT_NE(NULL, found);
	ASSERT_TRUE(trace[0] && trace[1]);
	fuzz_env(&o);
	n = vfio_discover(found, FZ_MAX_FOUND, NULL);
	for (i = 0; i < n && !found[i].is_mdev; i++)
		;
	if (i == n)
		SKIP(return, "no mdev type to create fresh devices of");
	fz_setup_arg_area();
	fz_device_secs = 0;
	for (n = 0; n < 2; n++)
		ASSERT_EQ(0, fz_device(&found[i], o.seed, 2000, cov, trace[n]));
	for (n = 0; n < 2000 && trace[0][n] == trace[1][n]; n++)
		;
	EXPECT_EQ(2000, n) {
		TH_LOG("the runs differ from step %d", n);
	}
	free(trace[0]);
	free(trace[1]);
	free(found);
	free(cov);
}

/* ---- the command line ---- */

static void fz_usage(void)
{
	printf("usage: vfio_fuzz [--seed S] [--steps N] [--time SECONDS] [--device LABEL]\n"
	       "                 [--sysfs /sys/bus/BUS/devices/DEV] [--device-secs SECONDS]\n"
	       "                 [--verbose] [--list]\n"
	       "without arguments: the kselftest (VFIO_FUZZ_STEPS, VFIO_FUZZ_SEED,\n"
	       "VFIO_FUZZ_TIME, VFIO_FUZZ_DEVICE, VFIO_FUZZ_VERBOSE)\n");
}

static int fz_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "steps", required_argument, NULL, 'n' },
		{ "time", required_argument, NULL, 't' },
		{ "device", required_argument, NULL, 'd' },
		{ "sysfs", required_argument, NULL, 'S' },
		{ "device-secs", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct vfio_found *found;
	struct fz_cov *cov;
	struct fz_opts o;
	bool list = false;
	int c, n, problems;
	unsigned int i;

	fuzz_env(&o);
	fz_device_secs = fz_env("VFIO_FUZZ_DEVICE_SECS", 0);
	o.sysfs = NULL;
	while ((c = getopt_long(argc, argv, "s:n:t:d:S:c:vlh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			o.seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			o.steps = strtoul(optarg, NULL, 0);
			break;
		case 't':
			o.time = strtoul(optarg, NULL, 0);
			break;
		case 'd':
			o.device = optarg;
			break;
		case 'S':
			o.sysfs = optarg;
			break;
		case 'c':
			fz_device_secs = atof(optarg);
			break;
		case 'v':
			fz_verbose = true;
			break;
		case 'l':
			list = true;
			break;
		default:
			fz_usage();
			return c == 'h' ? KSFT_PASS : KSFT_FAIL;
		}
	}

	found = calloc(FZ_MAX_FOUND, sizeof(*found));
	cov = calloc(1, sizeof(*cov));
	if (!found || !cov)
		return KSFT_FAIL;
	/* One device given by its sysfs path: make and unmake no others. */
	for (i = 0; !o.sysfs && i < vfio_suite_nr_drivers; i++)
		vfio_suite_run_ops(vfio_suite_drivers[i].setup, NULL);
	if (o.sysfs) {
		if (vfio_found_sysfs(&found[0], o.sysfs)) {
			ksft_print_msg("%s: not a VFIO device bound to a driver\n", o.sysfs);
			return KSFT_FAIL;
		}
		n = 1;
	} else {
		n = vfio_discover(found, FZ_MAX_FOUND, NULL);
	}
	if (list) {
		for (c = 0; c < n; c++)
			printf("%s\n", found[c].label);
		problems = 0;
	} else {
		ksft_print_msg("vfio_fuzz: seed 0x%llx, %u steps per device, %d devices\n",
			       (unsigned long long)o.seed, o.steps, n);
		problems = fz_run(found, n, &o, cov);
		fz_cov_print(cov);
		ksft_print_msg("vfio_fuzz: %d problems\n", problems);
	}
	for (i = 0; !o.sysfs && i < vfio_suite_nr_drivers; i++)
		vfio_suite_run_ops(vfio_suite_drivers[i].teardown, NULL);
	free(cov);
	free(found);
	return problems ? KSFT_FAIL : KSFT_PASS;
}

int main(int argc, char **argv)
{
	/* Each line out at once: an oops may end the machine mid-run. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strncmp(argv[1], "--", 2))
		return fz_main(argc, argv);
	return test_harness_run(argc, argv);
}
