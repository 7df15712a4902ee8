// SPDX-License-Identifier: GPL-2.0
/*
 * make demo: open every member of one container, give each an interrupt,
 * ring each doorbell, then close them one by one, printing the container's
 * interrupt pool and device set counters as it goes.
 *
 *   fsl_mc_stub_demo CONTAINER MEMBER...
 */
#include <stdlib.h>

#include "fsl_mc_stub_util.h"

#define MAX_MEMBERS	8

static void show_pool(const char *cont)
{
	struct fmc_pool pool;
	long live = 0;

	if (fmc_pool(cont, &pool, &live))
		printf("  pool of %s: none (%ld pools in all)\n", cont, live);
	else
		printf("  pool of %s: serial %u, %u of %u free (%ld pools in all)\n",
		       cont, pool.serial, pool.free, pool.size, live);
}

int main(int argc, char **argv)
{
	struct vfio_dev devs[MAX_MEMBERS];
	int efds[MAX_MEMBERS];
	const char *cont;
	char buf[64];
	__le32 irq0 = 0;
	int i, n;

	if (argc < 3 || argc - 2 > MAX_MEMBERS) {
		fprintf(stderr, "usage: %s CONTAINER MEMBER...\n", argv[0]);
		return 2;
	}
	cont = argv[1];
	n = argc - 2;

	for (i = 0; i < n; i++) {
		fmc_open(argv[i + 2], &devs[i]);
		fmc_dev_text(argv[i + 2], "dev_set", buf, sizeof(buf));
		printf("open %-10s set %s\n", argv[i + 2], buf);
	}
	show_pool(cont);

	for (i = 0; i < n; i++) {
		efds[i] = -1;
		if (!fmc_irq_count(devs[i].fd))
			continue;
		efds[i] = fmc_irq_eventfd(devs[i].fd, 0);
		fmc_dev_text(argv[i + 2], "irqs", buf, sizeof(buf));
		printf("eventfd on %-10s irqs: %s\n", argv[i + 2], buf);
		show_pool(cont);
	}

	for (i = 0; i < n; i++) {
		if (efds[i] < 0)
			continue;
		vfio_region_write(devs[i].fd, FSL_MC_STUB_PORTAL_INDEX,
				  FSL_MC_STUB_REG_DOORBELL, &irq0, sizeof(irq0));
		printf("doorbell of %-10s eventfd count %lld\n", argv[i + 2],
		       (long long)eventfd_wait(efds[i], 0));
	}

	for (i = 0; i < n; i++) {
		vfio_dev_close(&devs[i]);
		if (efds[i] >= 0)
			close(efds[i]);
		printf("close %s\n", argv[i + 2]);
		show_pool(cont);
	}
	printf("set %s: open_device %ld, close_device %ld, ", cont,
	       fmc_set_read(cont, "open_count"),
	       fmc_set_read(cont, "close_count"));
	printf("first opens %ld, last closes %ld, most at once %ld\n",
	       fmc_set_read(cont, "first_open"),
	       fmc_set_read(cont, "last_close"),
	       fmc_set_read(cont, "max_running"));
	return 0;
}
