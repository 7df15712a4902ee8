// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs_bench: the cost of first-touch page faults on BAR0.
 *
 * Maps the whole BAR0 of a 16 MiB device and writes one byte to every
 * page, first with one page mapped per fault (debugfs fault_batch = 1:
 * allocate and insert a single page per fault, the baseline), then with
 * batched insertion. Each round reopens the device, so every page is
 * touched for the first time. Prints microseconds per page and the
 * speed-up as KTAP comments. A measurement, not a test: it fails only if
 * it cannot run.
 */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "mbochs_util.h"

#define BENCH_ROUNDS	8

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/*
 * Map BAR0 and write one byte per page: microseconds per page. With
 * @fresh the device is reopened first, so that its last close freed the
 * video memory and every touch allocates; otherwise the pages exist and
 * only the faults and the mapping are measured.
 */
static double touch(struct vfio_dev *dev, const char *uuid, size_t size,
		    const char *batch, int fresh)
{
	size_t pages = size / 4096, i;
	double t0, t;
	__u8 *bar0;

	sysfs_write(MBOCHS_DEBUGFS "/fault_batch", batch);
	if (fresh) {
		close(dev->fd);
		dev->fd = vfio_dev_fd(dev);
		if (mbochs_counter(uuid, "vram_pages") != 0)
			vfio_lib_fail("video memory not freed on close");
	}
	bar0 = mbochs_mmap_region(dev->fd, VFIO_PCI_BAR0_REGION_INDEX, 0, size);
	if (bar0 == MAP_FAILED)
		vfio_lib_fail("mmap BAR0: %s", strerror(errno));
	t0 = now_us();
	for (i = 0; i < pages; i++)
		bar0[i * 4096] = i;
	t = (now_us() - t0) / pages;
	munmap(bar0, size);
	if (mbochs_counter(uuid, "vram_pages") != (long)pages)
		vfio_lib_fail("not every page was allocated");
	return t;
}

static void keep_min(double *best, double t)
{
	if (*best == 0 || t < *best)
		*best = t;
}

int main(void)
{
	static const char * const batches[] = { "1", "16", "64", "512" };
	const size_t size = (size_t)MBOCHS_TYPE_MEDIUM_MB << 20;
	double fresh[ARRAY_SIZE(batches) + 1] = { 0 };
	double mapped[ARRAY_SIZE(batches) + 1] = { 0 };
	char uuid[UUID_STR_LEN], batch[32];
	const char *b;
	struct vfio_dev dev;
	unsigned int i, n = ARRAY_SIZE(batches);
	int r;

	ksft_print_header();
	ksft_set_plan(1);
	if (!mbochs_loaded())
		ksft_exit_skip("the mbochs module is not loaded\n");
	VFIO_LIB_CHECK(__sysfs_read(MBOCHS_DEBUGFS "/fault_batch", batch,
				    sizeof(batch)), "fault_batch");
	batch[strcspn(batch, "\n")] = '\0';

	mdev_create(MBOCHS_PARENT, MBOCHS_PARENT "-" MBOCHS_TYPE_MEDIUM, uuid);
	vfio_mdev_open(uuid, &dev);

	/*
	 * TCG timing is noisy, more so on a shared host: interleave the
	 * configurations and keep the best round of each. The last one is
	 * the driver's default.
	 */
	for (r = 0; r < BENCH_ROUNDS; r++) {
		for (i = 0; i <= n; i++) {
			b = i < n ? batches[i] : batch;
			keep_min(&fresh[i], touch(&dev, uuid, size, b, 1));
			keep_min(&mapped[i], touch(&dev, uuid, size, b, 0));
		}
	}
	sysfs_write(MBOCHS_DEBUGFS "/fault_batch", batch);

	ksft_print_msg("mbochs_bench: touch every page of a %zu MiB BAR0, best of %d\n",
		       size >> 20, BENCH_ROUNDS);
	ksft_print_msg("  (first touch: allocate and map; mapped: pages exist, map only)\n");
	for (i = 0; i <= n; i++) {
		b = i < n ? batches[i] : batch;
		ksft_print_msg("  fault_batch %3s%s: ", b, i < n ? "" : " (default)");
		printf("first touch %6.2f us/page (%4.1fx), mapped %5.2f us/page (%4.1fx)\n",
		       fresh[i], fresh[0] / fresh[i], mapped[i],
		       mapped[0] / mapped[i]);
	}

	vfio_dev_close(&dev);
	mdev_remove(uuid);
	ksft_test_result_pass("mbochs_bench\n");
	ksft_finished();
}
