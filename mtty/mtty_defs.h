/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The mtty device ABI, shared by the driver and its selftests
 *
 * Everything a user of an mtty device can observe without reading the
 * driver lives here: the PCI identity, the BAR layout and the migration
 * stream format. The 16550 register layout itself is the standard one
 * from <linux/serial_reg.h>. This header must stay usable from userspace,
 * so it only uses the fixed-width types of <linux/types.h>.
 */
#ifndef MTTY_DEFS_H
#define MTTY_DEFS_H

#include <linux/types.h>

/*
 * PCI identity. 4348:3253 is the WCH CH352 dual 16550 card. Linux's
 * 8250_pci binds to it through its class code (serial, 16550 interface)
 * and guesses the layout from the BARs: one 8-byte I/O BAR per port, in
 * consecutive BARs starting at BAR0. Its WCH quirk then fixes the port
 * type to 16550A.
 */
#define MTTY_PCI_VENDOR_ID		0x4348
#define MTTY_PCI_DEVICE_ID		0x3253
#define MTTY_PCI_SUBSYS_VENDOR_ID	0x4348
#define MTTY_PCI_SUBSYS_ID		0x3253
#define MTTY_PCI_REVISION		0x10
#define MTTY_PCI_CLASS			0x0700	/* simple comm., serial */
#define MTTY_PCI_PROG_IF		0x02	/* 16550-compatible */
#define MTTY_PCI_MSI_CAP_OFFSET		0x40

/* Each port is one I/O BAR (BAR0 for port 0, BAR1 for port 1). */
#define MTTY_MAX_PORTS			2
#define MTTY_BAR_SIZE			8	/* eight 16550 registers */
#define MTTY_FIFO_SIZE			16	/* receive FIFO depth */
#define MTTY_CFG_SIZE			256	/* conventional config space */

/*
 * Migration stream, version 1. All multi-byte fields are little endian.
 * A stream is a header, the config space image, one record per port and
 * a trailer. The header does not depend on the device state, so a device
 * in PRE_COPY can send it early; the rest follows in STOP_COPY.
 */
#define MTTY_MIG_MAGIC			0x5954544du	/* "MTTY" */
#define MTTY_MIG_VERSION		1

struct mtty_mig_header {
	__le32 magic;
	__le16 version;
	__le16 nr_ports;
	__le32 length;		/* bytes after the header, trailer included */
	__le32 reserved;	/* must be zero */
};

/* Port record flags. */
#define MTTY_MIG_PORT_THRI		0x01	/* THRE interrupt pending */
#define MTTY_MIG_PORT_FLAGS		MTTY_MIG_PORT_THRI

/*
 * One 16550 port. The receive FIFO is stored oldest byte first, so the
 * format does not depend on where the ring happened to start.
 */
struct mtty_mig_port {
	__u8 ier;
	__u8 lcr;
	__u8 mcr;
	__u8 fcr;		/* FIFO enable and trigger level bits */
	__u8 scr;
	__u8 lsr_err;		/* sticky LSR error bits (OE) */
	__u8 msr_delta;		/* MSR delta bits not yet read */
	__u8 flags;		/* MTTY_MIG_PORT_* */
	__le16 dl;		/* divisor latch */
	__u8 rx_count;
	__u8 reserved[5];	/* must be zero */
	__u8 rx_fifo[MTTY_FIFO_SIZE];	/* bytes past rx_count are zero */
};

/*
 * @crc is zlib's crc32() (crc32_le, seed ~0, final xor ~0) of every byte
 * of the stream before the trailer.
 */
struct mtty_mig_trailer {
	__le32 crc;
	__le32 reserved;	/* must be zero */
};

struct mtty_mig_stream {
	struct mtty_mig_header hdr;
	__u8 config[MTTY_CFG_SIZE];
	struct mtty_mig_port port[];
	/* struct mtty_mig_trailer follows port[nr_ports - 1] */
};

#define MTTY_MIG_TRAILER_OFFSET(nr_ports) \
	(sizeof(struct mtty_mig_stream) + \
	 (nr_ports) * sizeof(struct mtty_mig_port))

/* Size of a whole stream for a device with @nr_ports ports. */
#define MTTY_MIG_STREAM_SIZE(nr_ports) \
	(MTTY_MIG_TRAILER_OFFSET(nr_ports) + sizeof(struct mtty_mig_trailer))

#endif /* MTTY_DEFS_H */
