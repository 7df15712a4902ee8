/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbochs register and ABI definitions.
 *
 * One header for everything the host model, a guest driver and the
 * selftests must agree on: PCI identity, the BAR2 MMIO layout, the Bochs
 * DISPI (VBE) registers and the layout of the VFIO regions. It holds
 * macros only, so that kernel and user space code can both include it.
 */
#ifndef MBOCHS_DEFS_H
#define MBOCHS_DEFS_H

/* PCI identity: QEMU's stdvga, which the guest's bochs DRM driver binds. */
#define MBOCHS_PCI_VENDOR_ID		0x1234
#define MBOCHS_PCI_DEVICE_ID		0x1111
#define MBOCHS_PCI_SUBVENDOR_ID		0x1af4	/* Red Hat / Qumranet */
#define MBOCHS_PCI_SUBDEVICE_ID		0x1100	/* QEMU */
#define MBOCHS_PCI_CLASS		0x038000 /* display, other */
/* Revision 2 tells bochs DRM that the QEMU extended registers exist. */
#define MBOCHS_PCI_REVISION		0x02
#define MBOCHS_PCI_CFG_SIZE		256

/*
 * BAR2: one page of MMIO, laid out as QEMU's stdvga "mmio" BAR.
 * The EDID window mirrors the blob set through the EDID region.
 */
#define MBOCHS_MMIO_SIZE		0x1000
#define MBOCHS_MMIO_EDID		0x000	/* EDID blob, read only */
#define MBOCHS_MMIO_EDID_SIZE		0x400
#define MBOCHS_MMIO_VGA			0x400	/* VGA ioports 0x3c0-0x3df */
#define MBOCHS_MMIO_VGA_SIZE		0x20
#define MBOCHS_MMIO_DISPI		0x500	/* DISPI register n at 0x500 + 2n */
#define MBOCHS_MMIO_QEXT		0x600	/* QEMU extended registers */
#define MBOCHS_MMIO_QEXT_SIZE_REG	0x600	/* size of the qext area */
#define MBOCHS_MMIO_QEXT_BYTEORDER	0x604
#define MBOCHS_MMIO_QEXT_SIZE		8
#define MBOCHS_QEXT_LITTLE_ENDIAN	0x1e1e1e1e

/* Bochs DISPI registers: 16 bits each. */
#define MBOCHS_DISPI_ID			0x0
#define MBOCHS_DISPI_XRES		0x1
#define MBOCHS_DISPI_YRES		0x2
#define MBOCHS_DISPI_BPP		0x3
#define MBOCHS_DISPI_ENABLE		0x4
#define MBOCHS_DISPI_BANK		0x5
#define MBOCHS_DISPI_VIRT_WIDTH		0x6
#define MBOCHS_DISPI_VIRT_HEIGHT	0x7
#define MBOCHS_DISPI_X_OFFSET		0x8
#define MBOCHS_DISPI_Y_OFFSET		0x9
#define MBOCHS_DISPI_VIDEO_MEMORY_64K	0xa
#define MBOCHS_DISPI_NR_REGS		0xb

#define MBOCHS_DISPI_ID0		0xb0c0	/* IDs 0xb0c0..0xb0c5 */
#define MBOCHS_DISPI_ID5		0xb0c5	/* the version we implement */

/* MBOCHS_DISPI_ENABLE bits */
#define MBOCHS_DISPI_ENABLED		0x01
#define MBOCHS_DISPI_GETCAPS		0x02
#define MBOCHS_DISPI_8BIT_DAC		0x20
#define MBOCHS_DISPI_LFB_ENABLED	0x40
#define MBOCHS_DISPI_NOCLEARMEM		0x80

/* The largest mode GETCAPS reports; the 16-bit registers allow more. */
#define MBOCHS_DISPI_MAX_XRES		16384
#define MBOCHS_DISPI_MAX_YRES		16384
#define MBOCHS_DISPI_MAX_BPP		32
/* Smallest mode exported as a plane, as in QEMU. */
#define MBOCHS_MIN_XRES			64
#define MBOCHS_MIN_YRES			64

/*
 * VFIO regions beyond the standard PCI ones (VFIO_PCI_NUM_REGIONS, 9):
 * the EDID region comes right after them; the glue checks that at build
 * time. User space learns each region's fd offset from
 * VFIO_DEVICE_GET_REGION_INFO.
 */
#define MBOCHS_EDID_REGION_INDEX	9
#define MBOCHS_NUM_REGIONS		10

/* EDID region: struct vfio_region_gfx_edid at 0, then the blob. */
#define MBOCHS_EDID_REGS_SIZE		0x100
#define MBOCHS_EDID_BLOB_OFFSET		0x100
#define MBOCHS_EDID_BLOB_MAX		MBOCHS_MMIO_EDID_SIZE
#define MBOCHS_EDID_REGION_SIZE		(MBOCHS_EDID_BLOB_OFFSET + \
					 MBOCHS_EDID_BLOB_MAX)

/* mdev types: name suffix, video memory (MiB), EDID max resolution. */
#define MBOCHS_TYPE_SMALL		"small"
#define MBOCHS_TYPE_SMALL_MB		4
#define MBOCHS_TYPE_MEDIUM		"medium"
#define MBOCHS_TYPE_MEDIUM_MB		16
#define MBOCHS_TYPE_LARGE		"large"
#define MBOCHS_TYPE_LARGE_MB		64

/* Default size of the memory pool all devices share, in MiB. */
#define MBOCHS_POOL_DEFAULT_MB		256

#endif /* MBOCHS_DEFS_H */
