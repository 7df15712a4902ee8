// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs: BAR0 mapped with 2 MiB PMD entries. A mapping whose address
 * agrees with its BAR0 offset modulo 2 MiB (a VMM aligns its mmap() so)
 * takes one PMD entry per 2 MiB block on kernels with huge PFN mappings;
 * every other case, and every kernel without them, falls back to page
 * entries. Each test checks the data on every kernel, and the number of
 * PMD entries where debugfs has the fault_pmd knob.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mbochs_util.h"

#define PMD_SZ		VFIO_PMD_SIZE
#define PG		4096UL
#define FAULT_PMD	MBOCHS_DEBUGFS "/fault_pmd"
#define FAULT_BATCH	MBOCHS_DEBUGFS "/fault_batch"
#define MEDIUM		MBOCHS_PARENT "-" MBOCHS_TYPE_MEDIUM
#define MEDIUM_SZ	((size_t)MBOCHS_TYPE_MEDIUM_MB << 20)

/* Whether this kernel lets mbochs map PMD entries. */
static int mb_pmd_capable(void)
{
	return path_exists(FAULT_PMD);
}

/*
 * Map @len bytes of BAR0 at @off at an address that agrees with @off
 * modulo 2 MiB, plus @skew bytes. BAR0 is region 0: its fd offset is its
 * BAR offset.
 */
static __u8 *mb_mmap_bar0(int fd, size_t off, size_t len, size_t skew)
{
	return vfio_mmap_phase(len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			       off, off + skew);
}

FIXTURE(pmd) {
	char uuid[UUID_STR_LEN];
	struct vfio_dev dev;
	int capable;
};

FIXTURE_SETUP(pmd)
{
	self->dev.fd = -1;
	if (!mbochs_loaded())
		SKIP(return, "the mbochs module is not loaded");
	self->capable = mb_pmd_capable();
	if (self->capable)
		sysfs_write(FAULT_PMD, "1");
	sysfs_write(FAULT_BATCH, "64");
	mdev_create(MBOCHS_PARENT, MEDIUM, self->uuid);
	vfio_mdev_open(self->uuid, &self->dev);
}

FIXTURE_TEARDOWN(pmd)
{
	if (self->capable)
		sysfs_write(FAULT_PMD, "1");
	sysfs_write(FAULT_BATCH, "64");
	if (self->dev.fd >= 0)
		vfio_dev_close(&self->dev);
	if (self->uuid[0])
		__mdev_remove(self->uuid);
}

static long pmd_maps(const char *uuid)
{
	return mbochs_counter(uuid, "pmd_maps");
}

/*
 * One touch maps the whole 2 MiB block with one entry; touching all of
 * BAR0 takes one entry per block; read() and the mapping agree, and every
 * page starts zeroed, the second time too, after the pages went back to
 * the allocator.
 */
TEST_F(pmd, first_touch_maps_block)
{
	const size_t hit = PMD_SZ + 3 * PG + 7;
	long base;
	size_t i;
	__u8 *m, b;
	int round;

	for (round = 0; round < 2; round++) {
		base = pmd_maps(self->uuid);
		m = mb_mmap_bar0(self->dev.fd, 0, MEDIUM_SZ, 0);
		ASSERT_NE(MAP_FAILED, m);
		m[hit] = 0x5a;
		EXPECT_EQ(self->capable ? 1 : 0, pmd_maps(self->uuid) - base);
		EXPECT_EQ(self->capable ? 512 : 64,
			  mbochs_counter(self->uuid, "vram_pages"));
		for (i = 0; i < MEDIUM_SZ; i += sizeof(__u64))
			if (i != (hit & ~7UL) && *(__u64 *)(m + i))
				break;
		EXPECT_EQ(MEDIUM_SZ, i) {
			TH_LOG("round %d: byte %zu not zeroed", round, i);
		}
		EXPECT_EQ(self->capable ? MEDIUM_SZ / PMD_SZ : 0,
			  pmd_maps(self->uuid) - base);
		EXPECT_EQ(MEDIUM_SZ / PG,
			  mbochs_counter(self->uuid, "vram_pages"));
		vfio_region_read(self->dev.fd, VFIO_PCI_BAR0_REGION_INDEX,
				 hit, &b, 1);
		EXPECT_EQ(0x5a, b);
		memset(m, 0xa5, MEDIUM_SZ);
		munmap(m, MEDIUM_SZ);
		/* Last close: the pages go back; the next user gets zeroes. */
		close(self->dev.fd);
		self->dev.fd = vfio_dev_fd(&self->dev);
		ASSERT_EQ(0, mbochs_counter(self->uuid, "vram_pages"));
	}
}

/*
 * Page entries where a PMD cannot be: an address off the 2 MiB grid, a
 * mapping shorter than a block, fault_batch 1 (the one-page baseline) and
 * the fault_pmd knob off.
 */
TEST_F(pmd, falls_back_to_pages)
{
	__u8 *m;

	m = mb_mmap_bar0(self->dev.fd, 0, 4 * PMD_SZ, PG);
	ASSERT_NE(MAP_FAILED, m);
	m[0] = 1;
	m[PMD_SZ] = 2;
	EXPECT_EQ(0, pmd_maps(self->uuid));
	EXPECT_EQ(128, mbochs_counter(self->uuid, "vram_pages"));
	munmap(m, 4 * PMD_SZ);

	m = mb_mmap_bar0(self->dev.fd, 4 * PMD_SZ, PMD_SZ - PG, 0);
	ASSERT_NE(MAP_FAILED, m);
	m[0] = 3;
	EXPECT_EQ(0, pmd_maps(self->uuid));
	EXPECT_EQ(192, mbochs_counter(self->uuid, "vram_pages"));
	munmap(m, PMD_SZ - PG);

	sysfs_write(FAULT_BATCH, "1");
	m = mb_mmap_bar0(self->dev.fd, 5 * PMD_SZ, PMD_SZ, 0);
	ASSERT_NE(MAP_FAILED, m);
	m[0] = 4;
	sysfs_write(FAULT_BATCH, "64");
	EXPECT_EQ(0, pmd_maps(self->uuid));
	EXPECT_EQ(193, mbochs_counter(self->uuid, "vram_pages"));
	munmap(m, PMD_SZ);

	if (self->capable) {
		sysfs_write(FAULT_PMD, "0");
		m = mb_mmap_bar0(self->dev.fd, 6 * PMD_SZ, PMD_SZ, 0);
		ASSERT_NE(MAP_FAILED, m);
		sysfs_write(FAULT_PMD, "1");
		m[0] = 5;
		EXPECT_EQ(0, pmd_maps(self->uuid));
		EXPECT_EQ(257, mbochs_counter(self->uuid, "vram_pages"));
		munmap(m, PMD_SZ);
	}
}

/*
 * A block whose pages were not allocated together (one came first through
 * write()) is not contiguous: it is mapped page by page, with that page's
 * data, while the next block still takes a PMD entry.
 */
TEST_F(pmd, touched_block_maps_pages)
{
	const __u32 word = 0xfeedbeef;
	__u8 *m;

	vfio_region_write(self->dev.fd, VFIO_PCI_BAR0_REGION_INDEX,
			  PMD_SZ + 100, &word, 4);
	m = mb_mmap_bar0(self->dev.fd, PMD_SZ, 2 * PMD_SZ, 0);
	ASSERT_NE(MAP_FAILED, m);
	EXPECT_EQ(word, *(__u32 *)(m + 100));
	EXPECT_EQ(0, m[8 * PG]);
	EXPECT_EQ(0, pmd_maps(self->uuid));
	m[PMD_SZ + 9] = 9;
	EXPECT_EQ(self->capable ? 1 : 0, pmd_maps(self->uuid));
	munmap(m, 2 * PMD_SZ);
}

/*
 * The operations that split or copy a PMD entry: fork (the child shares
 * the pages), mprotect and munmap of one page inside a block; the rest of
 * the block keeps its data and faults back in.
 */
TEST_F(pmd, fork_mprotect_munmap)
{
	const size_t len = 2 * PMD_SZ;
	pid_t pid;
	size_t i;
	int st;
	__u8 *m;

	m = mb_mmap_bar0(self->dev.fd, 0, len, 0);
	ASSERT_NE(MAP_FAILED, m);
	for (i = 0; i < len; i += PG)
		m[i] = i / PG;
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		for (i = 0; i < len; i += PG)
			if (m[i] != (__u8)(i / PG))
				_exit(1);
		m[5 * PG + 1] = 0x77;
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st));
	EXPECT_EQ(0x77, m[5 * PG + 1]);

	ASSERT_EQ(0, mprotect(m + 7 * PG, PG, PROT_READ));
	ASSERT_EQ(0, munmap(m + PMD_SZ + 9 * PG, PG));
	for (i = 0; i < len; i += PG) {
		if (i == PMD_SZ + 9 * PG)
			continue;
		ASSERT_EQ((__u8)(i / PG), m[i]) {
			TH_LOG("page %zu", i / PG);
		}
	}
	m[8 * PG] = 0x42;
	EXPECT_EQ(0x42, m[8 * PG]);
	EXPECT_EQ(self->capable ? 2 : 0, pmd_maps(self->uuid));
	munmap(m, len);
}

/*
 * A dma-buf of a plane in a PMD-mapped block sees what BAR0 writes; a
 * reset keeps video memory, and the mapping still reads it after; a
 * dma-buf still held outlives the device's last close.
 */
TEST_F(pmd, dmabuf_and_reset)
{
	struct vfio_device_gfx_plane_info p;
	const size_t fb = 640 * 480 * 4;
	int fd = self->dev.fd, dfd;
	__u8 *m, *buf;
	size_t i;

	mbochs_set_mode(fd, 640, 480, 640, 0);
	mbochs_query_plane(fd, &p);
	ASSERT_EQ(fb, p.size);
	m = mb_mmap_bar0(fd, 0, PMD_SZ, 0);
	ASSERT_NE(MAP_FAILED, m);
	for (i = 0; i < fb; i += 4)
		*(__u32 *)(m + i) = i ^ 0x1234567;
	EXPECT_EQ(self->capable ? 1 : 0, pmd_maps(self->uuid));
	dfd = mbochs_get_dmabuf(fd, p.dmabuf_id);
	buf = mmap(NULL, fb, PROT_READ, MAP_SHARED, dfd, 0);
	ASSERT_NE(MAP_FAILED, buf);
	EXPECT_EQ(0, memcmp(buf, m, fb));
	m[4] = 0xee;
	EXPECT_EQ(0xee, buf[4]);

	ASSERT_EQ(0, ioctl(fd, VFIO_DEVICE_RESET));
	EXPECT_EQ(0xee, m[4]);
	EXPECT_EQ(0, memcmp(buf, m, fb));
	munmap(m, PMD_SZ);

	vfio_dev_close(&self->dev);
	self->dev.fd = -1;
	EXPECT_EQ(0xee, buf[4]);
	munmap(buf, fb);
	close(dfd);
}

/* Two threads fault the same blocks from both ends: each block once. */
TEST_F(pmd, concurrent_faults)
{
	struct mb_toucher a, b;
	pthread_t ta, tb;
	size_t i;
	__u8 *m;

	m = mb_mmap_bar0(self->dev.fd, 0, MEDIUM_SZ, 0);
	ASSERT_NE(MAP_FAILED, m);
	a = (struct mb_toucher){ .map = m, .len = MEDIUM_SZ, .reverse = 0 };
	b = (struct mb_toucher){ .map = m, .len = MEDIUM_SZ, .reverse = 1 };
	ASSERT_EQ(0, pthread_create(&ta, NULL, mb_touch_pages, &a));
	ASSERT_EQ(0, pthread_create(&tb, NULL, mb_touch_pages, &b));
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	for (i = 0; i < MEDIUM_SZ / PG; i++) {
		ASSERT_EQ((__u8)(i + 1), m[i * PG]);
		ASSERT_EQ((__u8)(i + 1), m[i * PG + 1]);
	}
	EXPECT_EQ(MEDIUM_SZ / PG, mbochs_counter(self->uuid, "vram_pages"));
	EXPECT_EQ(self->capable ? MEDIUM_SZ / PMD_SZ : 0,
		  pmd_maps(self->uuid));
	munmap(m, MEDIUM_SZ);
}

/*
 * Access through /proc/self/mem (as a debugger does) gets the data or a
 * clean error, never a kernel report.
 */
TEST_F(pmd, proc_mem_access)
{
	__u8 *m, b = 0;
	ssize_t n;
	int memfd;

	m = mb_mmap_bar0(self->dev.fd, 0, PMD_SZ, 0);
	ASSERT_NE(MAP_FAILED, m);
	m[10] = 0x3c;
	memfd = open("/proc/self/mem", O_RDONLY);
	ASSERT_LE(0, memfd);
	n = pread(memfd, &b, 1, (off_t)(unsigned long)(m + 10));
	if (n == 1) {
		EXPECT_EQ(0x3c, b);
	} else {
		EXPECT_EQ(-1, n);
		EXPECT_EQ(EIO, errno);
	}
	close(memfd);
	munmap(m, PMD_SZ);
}

TEST_HARNESS_MAIN
