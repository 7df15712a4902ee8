// SPDX-License-Identifier: GPL-2.0
/*
 * pci_slot_stub demo (make demo): the two edu functions behind the VM's
 * PCI-PCI bridge share the bus's device set. Mark both (MSI Message Data,
 * which a reset clears), then show that closing one leaves the mark, that
 * closing both resets the bus, and that a hot reset needs both groups.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/pci_regs.h>

#include "vfio_lib.h"

#define A	"0000:02:01.0"
#define B	"0000:02:02.0"

static void demo_open(const char *name, struct vfio_dev *dev)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", name);
	vfio_dev_open(path, dev);
}

/* MSI Message Data of edu's 64-bit MSI capability. */
static unsigned int demo_msi_data(int fd)
{
	unsigned int pos = vfio_cfg_read(fd, PCI_CAPABILITY_LIST, 1);

	while (pos && vfio_cfg_read(fd, pos, 1) != PCI_CAP_ID_MSI)
		pos = vfio_cfg_read(fd, pos + 1, 1);
	if (!pos)
		vfio_lib_fail("no MSI capability");
	return pos + PCI_MSI_DATA_64;
}

static long demo_counter(const char *name, const char *file)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/kernel/debug/pci_slot_stub/%s/%s",
		 name, file);
	return sysfs_read_long(path);
}

static int demo_hot_reset(int fd, int g0, int g1, int n)
{
	struct {
		struct vfio_pci_hot_reset hdr;
		__s32 fds[2];
	} arg = { .hdr.argsz = sizeof(arg), .hdr.count = n, .fds = { g0, g1 } };

	return ioctl(fd, VFIO_DEVICE_PCI_HOT_RESET, &arg) ? -errno : 0;
}

int main(void)
{
	struct vfio_dev a, b;
	unsigned int msi;
	int ret;

	if (!path_exists("/sys/kernel/debug/pci_slot_stub/" A) ||
	    !path_exists("/sys/kernel/debug/pci_slot_stub/" B)) {
		printf("pci_slot_stub demo: %s and %s are not bound\n", A, B);
		return 0;
	}

	demo_open(A, &a);
	demo_open(B, &b);
	msi = demo_msi_data(a.fd);
	vfio_cfg_write(a.fd, msi, 0xbeef, 2);
	vfio_cfg_write(b.fd, msi, 0xbeef, 2);
	printf("demo: opened %s and %s, MSI data marked 0x%x\n", A, B,
	       vfio_cfg_read(a.fd, msi, 2));

	ret = demo_hot_reset(a.fd, a.group, -1, 1);
	printf("demo: hot reset with only %s's group: %s\n", A, strerror(-ret));
	ret = demo_hot_reset(a.fd, a.group, b.group, 2);
	printf("demo: hot reset with both groups: %s; MSI data now 0x%x\n",
	       strerror(-ret), vfio_cfg_read(a.fd, msi, 2));

	vfio_cfg_write(a.fd, msi, 0xbeef, 2);
	vfio_dev_close(&a);
	demo_open(A, &a);
	printf("demo: closed and reopened %s while %s was open: MSI data 0x%x, set resets %ld\n",
	       A, B, vfio_cfg_read(a.fd, msi, 2),
	       demo_counter(A, "set_reset_count"));

	vfio_dev_close(&a);
	vfio_dev_close(&b);
	demo_open(A, &a);
	printf("demo: closed both, reopened %s: MSI data 0x%x, set resets %ld\n",
	       A, vfio_cfg_read(a.fd, msi, 2),
	       demo_counter(A, "set_reset_count"));
	vfio_dev_close(&a);
	return 0;
}
