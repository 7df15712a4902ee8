// SPDX-License-Identifier: GPL-2.0
/*
 * What a VFIO PCI device advertises and what it refuses: GET_INFO, argsz,
 * indexes, unknown ioctls, the config space, region bounds, and mmap
 * agreeing with pread/pwrite.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "conform.h"

#define CF_PAGE		4096UL

/* The bytes of @type up to the end of its __u32 @member: what an ioctl reads. */
#define CF_MINSZ(type, member)	(offsetof(type, member) + sizeof(__u32))

/* Open the device for a check; fails the check when it cannot. */
static bool cf_open_or_fail(struct cf_dev *dev, struct vfio_dev *vd,
			    struct vfio_device_info *info)
{
	int ret = cf_open(dev, vd);

	if (ret) {
		cf_fail("cannot open the device: %s", strerror(-ret));
		return false;
	}
	ret = __vfio_device_info(vd->fd, info);
	if (ret) {
		cf_fail("VFIO_DEVICE_GET_INFO: %s", strerror(-ret));
		vfio_dev_close(vd);
		return false;
	}
	return true;
}

/* The mdev type's or the bound device's device_api says vfio-pci. */
static bool cf_says_pci(const struct cf_dev *dev)
{
	char path[512], api[64];

	if (dev->is_mdev)
		snprintf(path, sizeof(path),
			 "/sys/class/mdev_bus/%s/mdev_supported_types/%s/device_api",
			 dev->parent, dev->type);
	else
		return false;
	return !__sysfs_read(path, api, sizeof(api)) && !strcmp(api, "vfio-pci");
}

void cf_check_info(struct cf_dev *dev)
{
	struct vfio_device_info info;
	struct vfio_dev vd;

	if (!cf_open_or_fail(dev, &vd, &info))
		return;
	if (cf_says_pci(dev) && !(info.flags & VFIO_DEVICE_FLAGS_PCI))
		cf_fail("the type's device_api is vfio-pci, GET_INFO flags %#x lack PCI",
			info.flags);
	if (!(info.flags & VFIO_DEVICE_FLAGS_PCI)) {
		if (!cf_failed())
			cf_skip("not a PCI device (flags %#x)", info.flags);
		goto out_close;
	}
	/*
	 * An emulated device can always reset; a bound PCI function only
	 * when its hardware has a reset method (vfio-pci says so alike).
	 */
	if (!(info.flags & VFIO_DEVICE_FLAGS_RESET) && dev->is_mdev)
		cf_fail("GET_INFO flags %#x: no VFIO_DEVICE_FLAGS_RESET (a VMM cannot reset it)",
			info.flags);
	else if (!(info.flags & VFIO_DEVICE_FLAGS_RESET))
		cf_note("no VFIO_DEVICE_FLAGS_RESET: a bound function without a reset method");
	if (info.num_regions < VFIO_PCI_NUM_REGIONS)
		cf_fail("num_regions %u, a PCI device has at least %u", info.num_regions,
			VFIO_PCI_NUM_REGIONS);
	if (info.num_irqs < VFIO_PCI_NUM_IRQS)
		cf_fail("num_irqs %u, a PCI device has at least %u", info.num_irqs,
			VFIO_PCI_NUM_IRQS);
out_close:
	vfio_dev_close(&vd);
}

void cf_check_argsz(struct cf_dev *dev)
{
	struct vfio_device_info info, di;
	struct vfio_region_info ri = {};
	struct vfio_irq_info ii = {};
	struct vfio_irq_set set = {};
	struct vfio_dev vd;

	if (!cf_open_or_fail(dev, &vd, &info))
		return;
	di = (struct vfio_device_info){ .argsz = CF_MINSZ(struct vfio_device_info, num_irqs) - 1 };
	CF_EXPECT_ERRNO(EINVAL, ioctl(vd.fd, VFIO_DEVICE_GET_INFO, &di),
			"GET_INFO, argsz one short");
	di.argsz = 0;
	CF_EXPECT_ERRNO(EINVAL, ioctl(vd.fd, VFIO_DEVICE_GET_INFO, &di),
			"GET_INFO, argsz 0");
	ri.argsz = CF_MINSZ(struct vfio_region_info, offset) - 1;
	CF_EXPECT_ERRNO(EINVAL, ioctl(vd.fd, VFIO_DEVICE_GET_REGION_INFO, &ri),
			"GET_REGION_INFO, argsz one short");
	ii.argsz = CF_MINSZ(struct vfio_irq_info, count) - 1;
	CF_EXPECT_ERRNO(EINVAL, ioctl(vd.fd, VFIO_DEVICE_GET_IRQ_INFO, &ii),
			"GET_IRQ_INFO, argsz one short");
	set.argsz = CF_MINSZ(struct vfio_irq_set, count) - 1;
	set.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
	CF_EXPECT_ERRNO(EINVAL, ioctl(vd.fd, VFIO_DEVICE_SET_IRQS, &set),
			"SET_IRQS, argsz one short");
	vfio_dev_close(&vd);
}

void cf_check_index_range(struct cf_dev *dev)
{
	struct vfio_device_info info;
	struct vfio_region_info ri;
	struct vfio_irq_info ii;
	struct vfio_dev vd;
	char what[96];
	__u32 bad[2];
	int i;

	if (!cf_open_or_fail(dev, &vd, &info))
		return;
	bad[0] = info.num_regions;
	bad[1] = 0xffffffff;
	for (i = 0; i < 2; i++) {
		ri = (struct vfio_region_info){ .argsz = sizeof(ri), .index = bad[i] };
		snprintf(what, sizeof(what), "GET_REGION_INFO index %u of %u regions",
			 bad[i], info.num_regions);
		CF_EXPECT_ERRNO(EINVAL, ioctl(vd.fd, VFIO_DEVICE_GET_REGION_INFO, &ri), what);
	}
	bad[0] = info.num_irqs;
	for (i = 0; i < 2; i++) {
		ii = (struct vfio_irq_info){ .argsz = sizeof(ii), .index = bad[i] };
		snprintf(what, sizeof(what), "GET_IRQ_INFO index %u of %u", bad[i],
			 info.num_irqs);
		CF_EXPECT_ERRNO(EINVAL, ioctl(vd.fd, VFIO_DEVICE_GET_IRQ_INFO, &ii), what);
		snprintf(what, sizeof(what), "SET_IRQS index %u of %u", bad[i],
			 info.num_irqs);
		CF_EXPECT_ERRNO(EINVAL, cf_irq_none(vd.fd, bad[i], 0, 0,
						    VFIO_IRQ_SET_ACTION_TRIGGER) ? -1 : 0,
				what);
	}
	/* Every index below the counts answers. */
	for (i = 0; i < (int)info.num_regions; i++) {
		if (__vfio_region_info(vd.fd, i, &ri))
			cf_fail("GET_REGION_INFO index %d of %u: %s", i, info.num_regions,
				strerror(errno));
	}
	for (i = 0; i < (int)info.num_irqs; i++) {
		if (__vfio_irq_info(vd.fd, i, &ii))
			cf_fail("GET_IRQ_INFO index %d of %u: %s", i, info.num_irqs,
				strerror(errno));
	}
	vfio_dev_close(&vd);
}

void cf_check_unknown_ioctl(struct cf_dev *dev)
{
	static const unsigned long cmds[] = {
		_IO(VFIO_TYPE, VFIO_BASE + 100),
		_IO(VFIO_TYPE, VFIO_BASE + 255),
		_IOWR('x', 0x42, int),
	};
	struct vfio_device_info info;
	struct vfio_dev vd;
	char what[64], arg[64] = {};
	unsigned int i;

	if (!cf_open_or_fail(dev, &vd, &info))
		return;
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		snprintf(what, sizeof(what), "ioctl %#lx", cmds[i]);
		CF_EXPECT_ERRNO(ENOTTY, ioctl(vd.fd, cmds[i], arg), what);
	}
	vfio_dev_close(&vd);
}

void cf_check_config_size(struct cf_dev *dev)
{
	struct vfio_device_info info;
	struct vfio_region_info ri;
	struct vfio_dev vd;
	unsigned int off;
	__u32 val;
	ssize_t n;

	if (!cf_open_or_fail(dev, &vd, &info))
		return;
	if (!(info.flags & VFIO_DEVICE_FLAGS_PCI)) {
		cf_skip("not a PCI device");
		goto out_close;
	}
	if (__vfio_region_info(vd.fd, VFIO_PCI_CONFIG_REGION_INDEX, &ri)) {
		cf_fail("GET_REGION_INFO of the config region: %s", strerror(errno));
		goto out_close;
	}
	if (ri.size < 256)
		cf_fail("the config region is %llu bytes: a PCI config space is 256",
			(unsigned long long)ri.size);
	if (!(ri.flags & VFIO_REGION_INFO_FLAG_READ))
		cf_fail("the config region is not readable (flags %#x)", ri.flags);
	for (off = 0; off < 256; off += 4) {
		n = pread(vd.fd, &val, 4, ri.offset + off);
		if (n != 4) {
			cf_fail("config dword %#x: %s", off,
				n < 0 ? strerror(errno) : "short read");
			break;
		}
		if (!off && (val & 0xffff) == 0xffff)
			cf_fail("vendor ID 0xffff: no function answers");
	}
out_close:
	vfio_dev_close(&vd);
}

/*
 * An access of @len at @off of a region of @size: an error, or a count
 * that stays inside the region (a short access at the end is what
 * vfio-pci does for BARs).
 */
static void cf_bounded(long n, __u64 off, size_t len, __u64 size, const char *op,
		       unsigned int index)
{
	__u64 room = off < size ? size - off : 0;

	if (n >= 0 && (__u64)n > room)
		cf_fail("region %u (%llu bytes): %s of %zu at %#llx returned %ld, past the end",
			index, (unsigned long long)size, op, len,
			(unsigned long long)off, n);
}

#define CF_MAX_REGIONS	64

/* Whether [@off, @off + @len) touches a region of @r other than @skip. */
static bool cf_in_other(const struct vfio_region_info *r, unsigned int n,
			unsigned int skip, __u64 off, __u64 len)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (i != skip && r[i].size && off < r[i].offset + r[i].size &&
		    r[i].offset < off + len)
			return true;
	return false;
}

/* Probe @len bytes at @off (a region offset): both ways when allowed. */
static void cf_probe(int fd, const struct vfio_region_info *r, unsigned int n,
		     unsigned int i, __u64 off, size_t len)
{
	__u8 buf[8] = {};

	if (cf_in_other(r, n, i, r[i].offset + off, len))
		return;
	if (r[i].flags & VFIO_REGION_INFO_FLAG_READ || !r[i].size)
		cf_bounded(pread(fd, buf, len, r[i].offset + off), off, len, r[i].size,
			   "pread", i);
	if (r[i].flags & VFIO_REGION_INFO_FLAG_WRITE || !r[i].size) {
		/* The part inside the region gets what it holds already. */
		size_t in = off < r[i].size ? r[i].size - off : 0;

		if (in > len)
			in = len;
		if (in && pread(fd, buf, in, r[i].offset + off) < 0)
			memset(buf, 0, sizeof(buf));
		cf_bounded(pwrite(fd, buf, len, r[i].offset + off), off, len, r[i].size,
			   "pwrite", i);
	}
}

void cf_check_region_bounds(struct cf_dev *dev)
{
	struct vfio_region_info r[CF_MAX_REGIONS];
	struct vfio_device_info info;
	struct vfio_dev vd;
	unsigned int i, n;

	if (!cf_open_or_fail(dev, &vd, &info))
		return;
	cf_cfg_enable(vd.fd);
	n = info.num_regions < CF_MAX_REGIONS ? info.num_regions : CF_MAX_REGIONS;
	for (i = 0; i < n; i++)
		if (__vfio_region_info(vd.fd, i, &r[i]))
			r[i].size = 0, r[i].offset = 0, r[i].flags = 0;
	for (i = 0; i < n; i++) {
		if (!r[i].size) {
			/* A region of size 0 is not there: nothing reaches it. */
			if (r[i].offset)
				cf_probe(vd.fd, r, n, i, 0, 4);
			continue;
		}
		/*
		 * Straddling the end, at the end, and a page past it, each in
		 * a small and a large size: a driver may take only some sizes.
		 */
		cf_probe(vd.fd, r, n, i, r[i].size >= 2 ? r[i].size - 2 : 0, 4);
		cf_probe(vd.fd, r, n, i, r[i].size - 1, 2);
		cf_probe(vd.fd, r, n, i, r[i].size, 1);
		cf_probe(vd.fd, r, n, i, r[i].size, 4);
		cf_probe(vd.fd, r, n, i, r[i].size + CF_PAGE, 1);
		cf_probe(vd.fd, r, n, i, r[i].size + CF_PAGE, 8);
	}
	vfio_dev_close(&vd);
}

/* ---- mmap against pread/pwrite ---- */

static sigjmp_buf cf_fault_jmp;

static void cf_fault(int sig)
{
	siglongjmp(cf_fault_jmp, sig);
}

/* Read 4 bytes of a mapping, or return false on SIGBUS/SIGSEGV. */
static bool cf_map_read(__u8 *p, __u32 *val)
{
	if (sigsetjmp(cf_fault_jmp, 1))
		return false;
	*val = __atomic_load_n((__u32 *)p, __ATOMIC_RELAXED);
	return true;
}

static bool cf_map_write(__u8 *p, __u32 val)
{
	if (sigsetjmp(cf_fault_jmp, 1))
		return false;
	__atomic_store_n((__u32 *)p, val, __ATOMIC_RELAXED);
	return true;
}

/* The first mmap-able area of a region: a sparse area, or all of it. */
static void cf_mmap_area(int fd, unsigned int index, const struct vfio_region_info *ri,
			 __u64 *start, __u64 *size)
{
	struct vfio_region_info *full;
	struct vfio_info_cap_header *h;
	struct vfio_region_info_cap_sparse_mmap *sp;
	__u32 argsz = 4096, next;

	*start = 0;
	*size = ri->size;
	if (!(ri->flags & VFIO_REGION_INFO_FLAG_CAPS))
		return;
	full = calloc(1, argsz);
	if (!full)
		return;
	full->argsz = argsz;
	full->index = index;
	if (ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, full) || full->argsz > argsz ||
	    !full->cap_offset)
		goto out_free;
	for (next = full->cap_offset; next && next + sizeof(*h) <= argsz; next = h->next) {
		h = (void *)((char *)full + next);
		if (h->id != VFIO_REGION_INFO_CAP_SPARSE_MMAP)
			continue;
		sp = (void *)h;
		if (next + sizeof(*sp) + sizeof(sp->areas[0]) <= argsz && sp->nr_areas) {
			*start = sp->areas[0].offset;
			*size = sp->areas[0].size;
		}
		break;
	}
out_free:
	free(full);
}

/*
 * One mmap-able region: reads through pread and the mapping agree at the
 * start, the middle and the end; where the region keeps what is written
 * (memory, not registers), writes through either show through the other,
 * each at its own offset. Returns false when the region's mappable area
 * is too small to compare (less than a page).
 */
static bool cf_mmap_region(int fd, unsigned int index, const struct vfio_region_info *ri)
{
	__u64 start, size, offs[3];
	__u32 via_read, via_map, orig[3], pat;
	__u8 *map;
	bool memory = true;
	int i, tries;

	cf_mmap_area(fd, index, ri, &start, &size);
	if (size < CF_PAGE) {
		cf_note("region %u: a mappable area of %#llx bytes is too small to compare",
			index, (unsigned long long)size);
		return false;
	}
	map = mmap(NULL, size, PROT_READ |
		   (ri->flags & VFIO_REGION_INFO_FLAG_WRITE ? PROT_WRITE : 0),
		   MAP_SHARED, fd, ri->offset + start);
	if (map == MAP_FAILED) {
		cf_fail("region %u advertises mmap; mmap of %#llx bytes at %#llx: %s",
			index, (unsigned long long)size, (unsigned long long)start,
			strerror(errno));
		return true;
	}
	offs[0] = start;
	offs[1] = start + ((size / 2) & ~3ULL);
	offs[2] = start + size - 4;
	for (i = 0; i < 3; i++) {
		/* A register may change between two reads: a few tries. */
		for (tries = 0; tries < 3; tries++) {
			if (pread(fd, &via_read, 4, ri->offset + offs[i]) != 4) {
				cf_fail("region %u: pread at %#llx: %s", index,
					(unsigned long long)offs[i], strerror(errno));
				goto out_unmap;
			}
			if (!cf_map_read(map + offs[i] - start, &via_map)) {
				cf_fail("region %u: reading its mapping at %#llx faults",
					index, (unsigned long long)offs[i]);
				goto out_unmap;
			}
			if (via_read == via_map)
				break;
		}
		if (via_read != via_map)
			cf_fail("region %u at %#llx: pread reads %#010x, the mapping %#010x",
				index, (unsigned long long)offs[i], via_read, via_map);
		orig[i] = via_read;
	}
	if (!(ri->flags & VFIO_REGION_INFO_FLAG_WRITE) || cf_failed())
		goto out_unmap;

	/* Distinct patterns at the three offsets, through pwrite. */
	for (i = 0; i < 3; i++) {
		pat = orig[i] ^ (0xa5a5a5a5u + i);
		if (pwrite(fd, &pat, 4, ri->offset + offs[i]) != 4 ||
		    pread(fd, &via_read, 4, ri->offset + offs[i]) != 4 || via_read != pat)
			memory = false;
	}
	if (!memory) {
		cf_note("region %u does not keep what is written (registers): reads compared only",
			index);
		goto out_restore;
	}
	for (i = 0; i < 3; i++) {
		pat = orig[i] ^ (0xa5a5a5a5u + i);
		if (!cf_map_read(map + offs[i] - start, &via_map) || via_map != pat)
			cf_fail("region %u at %#llx: pwrite wrote %#010x, the mapping reads %#010x",
				index, (unsigned long long)offs[i], pat, via_map);
		pat = orig[i] ^ (0x5a5a5a5au + i);
		if (!cf_map_write(map + offs[i] - start, pat) ||
		    pread(fd, &via_read, 4, ri->offset + offs[i]) != 4 || via_read != pat)
			cf_fail("region %u at %#llx: the mapping wrote %#010x, pread reads %#010x",
				index, (unsigned long long)offs[i], pat, via_read);
	}
out_restore:
	for (i = 0; i < 3; i++)
		if (pwrite(fd, &orig[i], 4, ri->offset + offs[i]) != 4)
			break;
out_unmap:
	munmap((void *)map, size);
	return true;
}

void cf_check_bar_mmap(struct cf_dev *dev)
{
	struct sigaction sa = { .sa_handler = cf_fault };
	struct vfio_device_info info;
	struct vfio_region_info ri;
	struct vfio_dev vd;
	unsigned int i, mappable = 0, compared = 0;

	if (!cf_open_or_fail(dev, &vd, &info))
		return;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	cf_cfg_enable(vd.fd);
	for (i = 0; i < info.num_regions && i < 64; i++) {
		if (__vfio_region_info(vd.fd, i, &ri) || !ri.size ||
		    !(ri.flags & VFIO_REGION_INFO_FLAG_MMAP))
			continue;
		mappable++;
		compared += cf_mmap_region(vd.fd, i, &ri);
	}
	if (!mappable)
		cf_skip("no region can be mapped");
	else if (!compared && !cf_failed())
		cf_skip("no mappable area of a page or more: nothing compared");
	vfio_dev_close(&vd);
}
