/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fsl_mc_stub ABI, shared by the bus model, the VFIO driver and the
 * selftests: object names, the portal register file and the VFIO layout.
 * Nothing in here depends on kernel-internal headers.
 */
#ifndef FSL_MC_STUB_DEFS_H
#define FSL_MC_STUB_DEFS_H

/*
 * Objects are named "TYPE.ID" as on fsl-mc, e.g. "dprc.2" or "dpni.7".
 * TYPE is one of dprc (a container), dpni, dpio, dpmcp, dpbp, dpcon, and
 * ID is a decimal number from 1 to FSL_MC_STUB_ID_MAX without leading zeros.
 * The root container always exists and cannot be destroyed.
 */
#define FSL_MC_STUB_NAME_MAX		16
#define FSL_MC_STUB_ID_MAX		65535
#define FSL_MC_STUB_ROOT_NAME		"dprc.1"

/* The bus, its create/destroy files and the driver, under /sys/bus. */
#define FSL_MC_STUB_BUS_NAME		"fsl_mc_stub"
#define FSL_MC_STUB_DRIVER_NAME		"vfio_fsl_mc_stub"

/*
 * The MMIO portal: one page of registers and data.  The first registers
 * are read-only and describe the object; the doorbell raises the object's
 * interrupt whose index is written to it.  The rest is plain memory.
 * read()/write() go through the emulation; an mmap() of the portal maps the
 * same page, so stores through the mapping are seen by read() but do not
 * ring the doorbell (a real portal's doorbell lives in a non-mappable page).
 */
#define FSL_MC_STUB_PORTAL_SIZE		4096
#define FSL_MC_STUB_REG_ID		0x00	/* RO: the ID in the name */
#define FSL_MC_STUB_REG_IRQ_COUNT	0x04	/* RO: device interrupts */
#define FSL_MC_STUB_REG_RO_END		0x08	/* end of the RO registers */
#define FSL_MC_STUB_REG_DOORBELL	0x08	/* WO, 32-bit: raise IRQ n */
#define FSL_MC_STUB_REG_DATA		0x10	/* RW memory up to the end */

/*
 * VFIO layout.  Region index 0 is the portal; a region's file offset is
 * its index shifted by FSL_MC_STUB_REGION_SHIFT, as on vfio-fsl-mc.
 * IRQ indexes 0 .. n-1 are the object's n interrupts (n = the IRQ_COUNT
 * register, 0 to FSL_MC_STUB_MAX_IRQS); index n is the request interrupt,
 * signalled when the host asks for the device back.
 */
#define FSL_MC_STUB_NUM_REGIONS		1
#define FSL_MC_STUB_PORTAL_INDEX	0
#define FSL_MC_STUB_REGION_SHIFT	40
#define FSL_MC_STUB_MAX_IRQS		2

#endif /* FSL_MC_STUB_DEFS_H */
