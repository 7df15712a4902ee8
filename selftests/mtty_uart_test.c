// SPDX-License-Identifier: GPL-2.0
/*
 * mtty: the device a guest sees. PCI config space, the 16550A registers
 * and FIFO, and interrupt delivery through INTx and MSI eventfds.
 *
 * Every register access is a syscall and every interrupt is signalled
 * inside the syscall that raised it, so the tests poll eventfds without
 * waiting and need no timing.
 */
#include <linux/pci_regs.h>

#include "kselftest_harness.h"
#include "mtty_util.h"

FIXTURE(uart) {
	char uuid[UUID_STR_LEN];
	struct mtty m;
	int ports;
};

FIXTURE_VARIANT(uart) {
	const char *type;
};

FIXTURE_VARIANT_ADD(uart, one_port) {
	.type = "mtty-1",
};

FIXTURE_VARIANT_ADD(uart, two_ports) {
	.type = "mtty-2",
};

FIXTURE_SETUP(uart)
{
	if (!path_exists(MTTY_SYSFS))
		SKIP(return, "the mtty module is not loaded");
	self->ports = mtty_ports_of(variant->type);
	mdev_create(MTTY_PARENT, variant->type, self->uuid);
	mtty_open(self->uuid, &self->m);
}

/*
 * In the parent, after the test process has exited and so closed every
 * fd it had: removing a device that is still open would wait forever.
 */
FIXTURE_TEARDOWN_PARENT(uart)
{
	if (!self->uuid[0])
		return;
	__mdev_remove(self->uuid);
}

/* ---- config space ---- */

TEST_F(uart, config_ids)
{
	struct mtty *m = &self->m;

	EXPECT_EQ(MTTY_PCI_VENDOR_ID, cfg_in(m, PCI_VENDOR_ID, 2));
	EXPECT_EQ(MTTY_PCI_DEVICE_ID, cfg_in(m, PCI_DEVICE_ID, 2));
	/* Class: simple communications, serial, 16550 interface. */
	EXPECT_EQ(0x070002, cfg_in(m, PCI_CLASS_REVISION, 4) >> 8);
	EXPECT_EQ(PCI_HEADER_TYPE_NORMAL, cfg_in(m, PCI_HEADER_TYPE, 1));
	EXPECT_EQ(MTTY_PCI_SUBSYS_VENDOR_ID,
		  cfg_in(m, PCI_SUBSYSTEM_VENDOR_ID, 2));
	EXPECT_EQ(1, cfg_in(m, PCI_INTERRUPT_PIN, 1));		/* INTA# */
	EXPECT_TRUE(cfg_in(m, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
}

TEST_F(uart, config_msi_capability)
{
	struct mtty *m = &self->m;
	int pos = cfg_in(m, PCI_CAPABILITY_LIST, 1);
	__u16 flags;

	ASSERT_EQ(MTTY_PCI_MSI_CAP_OFFSET, pos);
	EXPECT_EQ(PCI_CAP_ID_MSI, cfg_in(m, pos + PCI_CAP_LIST_ID, 1));
	EXPECT_EQ(0, cfg_in(m, pos + PCI_CAP_LIST_NEXT, 1));
	flags = cfg_in(m, pos + PCI_MSI_FLAGS, 2);
	EXPECT_EQ(0, flags & PCI_MSI_FLAGS_QMASK);	/* one vector */
	EXPECT_EQ(0, flags & PCI_MSI_FLAGS_64BIT);

	/* Enable is writable, the vector count and MME are not. */
	cfg_out(m, pos + PCI_MSI_FLAGS, 0xffff, 2);
	flags = cfg_in(m, pos + PCI_MSI_FLAGS, 2);
	EXPECT_EQ(PCI_MSI_FLAGS_ENABLE, flags);
	cfg_out(m, pos + PCI_MSI_ADDRESS_LO, 0xfee00003, 4);
	EXPECT_EQ(0xfee00000, cfg_in(m, pos + PCI_MSI_ADDRESS_LO, 4));
}

/* The sizing handshake: all ones in, size mask and space bit out. */
TEST_F(uart, config_bar_sizing)
{
	struct mtty *m = &self->m;
	int i;

	for (i = 0; i < 6; i++) {
		int bar = PCI_BASE_ADDRESS_0 + 4 * i;
		struct vfio_region_info info;

		vfio_region_info(m->dev.fd, VFIO_PCI_BAR0_REGION_INDEX + i,
				 &info);
		cfg_out(m, bar, 0xffffffff, 4);
		if (i < self->ports) {
			EXPECT_EQ(~(__u32)(MTTY_BAR_SIZE - 1) |
				  PCI_BASE_ADDRESS_SPACE_IO,
				  cfg_in(m, bar, 4));
			EXPECT_EQ(MTTY_BAR_SIZE, info.size);
			/* An address sticks, its low bits stay clear. */
			cfg_out(m, bar, 0xc047, 4);
			EXPECT_EQ(0xc041, cfg_in(m, bar, 4));
		} else {
			EXPECT_EQ(0, cfg_in(m, bar, 4));
			EXPECT_EQ(0, info.size);
		}
	}
	/* No expansion ROM. */
	cfg_out(m, PCI_ROM_ADDRESS, 0xffffffff, 4);
	EXPECT_EQ(0, cfg_in(m, PCI_ROM_ADDRESS, 4));
}

/* Writing ones everywhere changes only the writable bits. */
TEST_F(uart, config_read_only_bits)
{
	struct mtty *m = &self->m;
	__u8 before[MTTY_CFG_SIZE], after[MTTY_CFG_SIZE], ones[4];
	int off;

	ASSERT_EQ(MTTY_CFG_SIZE, pread(m->dev.fd, before, MTTY_CFG_SIZE,
				       m->cfg));
	memset(ones, 0xff, sizeof(ones));
	for (off = 0; off < MTTY_CFG_SIZE; off += 4)
		ASSERT_EQ(4, pwrite(m->dev.fd, ones, 4, m->cfg + off));
	ASSERT_EQ(MTTY_CFG_SIZE, pread(m->dev.fd, after, MTTY_CFG_SIZE,
				       m->cfg));

	for (off = 0; off < MTTY_CFG_SIZE; off++) {
		switch (off) {
		case PCI_COMMAND:
		case PCI_COMMAND + 1:
		case PCI_CACHE_LINE_SIZE:
		case PCI_LATENCY_TIMER:
		case PCI_INTERRUPT_LINE:
		case PCI_BASE_ADDRESS_0 ... PCI_BASE_ADDRESS_0 + 7:
		case MTTY_PCI_MSI_CAP_OFFSET + PCI_MSI_FLAGS:
		case MTTY_PCI_MSI_CAP_OFFSET + PCI_MSI_ADDRESS_LO ...
		     MTTY_PCI_MSI_CAP_OFFSET + PCI_MSI_DATA_32 + 1:
			continue;	/* writable, checked elsewhere */
		}
		EXPECT_EQ(before[off], after[off]) {
			TH_LOG("config byte 0x%02x changed", off);
		}
	}
	EXPECT_EQ(PCI_COMMAND_IO | PCI_COMMAND_MASTER | PCI_COMMAND_PARITY |
		  PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE,
		  cfg_in(m, PCI_COMMAND, 2));
	EXPECT_EQ(0xff, cfg_in(m, PCI_INTERRUPT_LINE, 1));
}

/* The region is 256 bytes: reads and writes past it fail, inside succeed. */
TEST_F(uart, config_bounds)
{
	struct mtty *m = &self->m;
	struct vfio_region_info info;
	__u8 buf[MTTY_CFG_SIZE + 4];

	vfio_region_info(m->dev.fd, VFIO_PCI_CONFIG_REGION_INDEX, &info);
	EXPECT_EQ(MTTY_CFG_SIZE, info.size);
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE,
		  info.flags);

	EXPECT_EQ(MTTY_CFG_SIZE, pread(m->dev.fd, buf, MTTY_CFG_SIZE, m->cfg));
	EXPECT_EQ(1, pread(m->dev.fd, buf, 1, m->cfg + 255));
	EXPECT_EQ(-1, pread(m->dev.fd, buf, 2, m->cfg + 255));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pread(m->dev.fd, buf, 4, m->cfg + 256));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pread(m->dev.fd, buf, MTTY_CFG_SIZE + 1, m->cfg));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pwrite(m->dev.fd, buf, 4, m->cfg + 254));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pwrite(m->dev.fd, buf, 4, m->cfg + 0xffffffffull));
	EXPECT_EQ(EINVAL, errno);
}

/* ---- UART registers ---- */

TEST_F(uart, registers)
{
	struct mtty *m = &self->m;
	int p;

	for (p = 0; p < self->ports; p++) {
		/* Power-on state. */
		EXPECT_EQ(0, uart_in(m, p, UART_IER));
		EXPECT_EQ(UART_IIR_NO_INT, uart_in(m, p, UART_IIR));
		EXPECT_EQ(UART_LSR_THRE | UART_LSR_TEMT,
			  uart_in(m, p, UART_LSR));

		/* Scratch holds anything. */
		uart_out(m, p, UART_SCR, 0xa5 + p);
		EXPECT_EQ(0xa5 + p, uart_in(m, p, UART_SCR));

		/* IER has four bits. */
		uart_out(m, p, UART_IER, 0xff);
		EXPECT_EQ(0x0f, uart_in(m, p, UART_IER));
		uart_out(m, p, UART_IER, 0);

		/* DLAB maps DLL/DLM over RBR/IER and leaves IER alone. */
		uart_out(m, p, UART_LCR, UART_LCR_DLAB | UART_LCR_WLEN8);
		uart_out(m, p, UART_DLL, 0x34);
		uart_out(m, p, UART_DLM, 0x12);
		EXPECT_EQ(0x34, uart_in(m, p, UART_DLL));
		EXPECT_EQ(0x12, uart_in(m, p, UART_DLM));
		EXPECT_EQ(UART_LCR_DLAB | UART_LCR_WLEN8,
			  uart_in(m, p, UART_LCR));
		uart_out(m, p, UART_LCR, UART_LCR_WLEN8);
		EXPECT_EQ(0, uart_in(m, p, UART_IER));
		EXPECT_EQ(UART_LSR_THRE | UART_LSR_TEMT,
			  uart_in(m, p, UART_LSR));	/* no byte sent */

		/* FIFO on: IIR bits 7:6 say 16550A. */
		uart_out(m, p, UART_FCR, UART_FCR_ENABLE_FIFO);
		EXPECT_EQ(0xc0 | UART_IIR_NO_INT, uart_in(m, p, UART_IIR));
		uart_out(m, p, UART_FCR, 0);
		EXPECT_EQ(UART_IIR_NO_INT, uart_in(m, p, UART_IIR));

		/* MCR keeps five bits. */
		uart_out(m, p, UART_MCR, 0xff);
		EXPECT_EQ(0x1f, uart_in(m, p, UART_MCR));
	}
	/* Ports are independent. */
	if (self->ports == 2)
		EXPECT_EQ(0xa5, uart_in(m, 0, UART_SCR));
}

/* Accesses are one register wide and inside the 8-byte BAR. */
TEST_F(uart, bar_bounds)
{
	struct mtty *m = &self->m;
	struct vfio_region_info info;
	__u8 buf[8] = { 0 };
	int i;

	EXPECT_EQ(-1, pread(m->dev.fd, buf, 2, m->bar[0]));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pwrite(m->dev.fd, buf, 4, m->bar[0] + 4));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pread(m->dev.fd, buf, 1, m->bar[0] + MTTY_BAR_SIZE));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pwrite(m->dev.fd, buf, 1, m->bar[0] + (1ull << 39)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pread(m->dev.fd, buf, 0, m->bar[0]));
	EXPECT_EQ(EINVAL, errno);

	/* Absent BARs, ROM, VGA and beyond: no access at all. */
	for (i = self->ports; i <= VFIO_PCI_NUM_REGIONS; i++) {
		if (i == VFIO_PCI_CONFIG_REGION_INDEX)
			continue;
		if (i < VFIO_PCI_NUM_REGIONS) {
			vfio_region_info(m->dev.fd, i, &info);
			EXPECT_EQ(0, info.size);
			EXPECT_EQ(0, info.flags);
		}
		EXPECT_EQ(-1, pread(m->dev.fd, buf, 1, (__u64)i << 40));
		EXPECT_EQ(EINVAL, errno);
	}
}

/*
 * What Linux's 8250 autoconfig() asks of a 16550A, in its order: the IER
 * existence test, the loopback modem test, the FIFO bits in IIR, no EFR
 * behind LCR=0xbf, no 64-byte mode, no IER UUE bit, a 16-byte FIFO, and
 * THRE re-raised when IER.THRI is enabled again.
 */
TEST_F(uart, linux_8250_autoconfig)
{
	struct mtty *m = &self->m;
	int count;

	uart_out(m, 0, UART_IER, 0);
	EXPECT_EQ(0, uart_in(m, 0, UART_IER) & 0x0f);
	uart_out(m, 0, UART_IER, 0x0f);
	EXPECT_EQ(0x0f, uart_in(m, 0, UART_IER) & 0x0f);
	uart_out(m, 0, UART_IER, 0);

	uart_out(m, 0, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2 | UART_MCR_RTS);
	EXPECT_EQ(UART_MSR_DCD | UART_MSR_CTS, uart_in(m, 0, UART_MSR) & 0xf0);
	uart_out(m, 0, UART_MCR, 0);

	uart_out(m, 0, UART_LCR, 0xbf);
	uart_out(m, 0, UART_EFR, 0);
	uart_out(m, 0, UART_LCR, 0);
	uart_out(m, 0, UART_FCR, UART_FCR_ENABLE_FIFO);
	EXPECT_EQ(0xc0, uart_in(m, 0, UART_IIR) & 0xc0);	/* 16550A */

	uart_out(m, 0, UART_LCR, UART_LCR_DLAB);
	EXPECT_NE(0, uart_in(m, 0, UART_EFR));			/* no EFR v1 */
	uart_out(m, 0, UART_LCR, 0xbf);
	EXPECT_NE(0, uart_in(m, 0, UART_EFR));			/* no EFR v2 */
	uart_out(m, 0, UART_LCR, 0);
	uart_out(m, 0, UART_FCR, UART_FCR_ENABLE_FIFO | UART_FCR7_64BYTE);
	EXPECT_EQ(0xc0, uart_in(m, 0, UART_IIR) & 0xe0);	/* no 16750 */
	uart_out(m, 0, UART_IER, UART_IER_UUE);
	EXPECT_EQ(0, uart_in(m, 0, UART_IER) & UART_IER_UUE);	/* no XScale */
	uart_out(m, 0, UART_IER, 0);

	/* size_fifo(): 256 bytes into a looped-back FIFO, count what stays. */
	uart_out(m, 0, UART_FCR, UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR |
		 UART_FCR_CLEAR_XMIT);
	uart_out(m, 0, UART_MCR, UART_MCR_LOOP);
	uart_out(m, 0, UART_LCR, UART_LCR_WLEN8);
	for (count = 0; count < 256; count++)
		uart_out(m, 0, UART_TX, count);
	for (count = 0; (uart_in(m, 0, UART_LSR) & UART_LSR_DR) &&
	     count < 256; count++)
		EXPECT_EQ(count, uart_in(m, 0, UART_RX));
	EXPECT_EQ(MTTY_FIFO_SIZE, count);

	/* The THRE test of serial8250_do_startup(). */
	uart_out(m, 0, UART_IER, UART_IER_THRI);
	EXPECT_EQ(UART_IIR_THRI, uart_in(m, 0, UART_IIR) & 0x0f);
	uart_out(m, 0, UART_IER, 0);
	uart_out(m, 0, UART_IER, UART_IER_THRI);
	EXPECT_EQ(UART_IIR_THRI, uart_in(m, 0, UART_IIR) & 0x0f);
	/* Reading IIR acknowledged it. */
	EXPECT_EQ(UART_IIR_NO_INT, uart_in(m, 0, UART_IIR) & 0x0f);
}

/*
 * A 4 KiB stream through each port's loopback, paced the way a driver
 * paces it: fill the FIFO while THRE says room, drain while LSR.DR says
 * data. Nothing may be lost, reordered or overrun.
 */
TEST_F(uart, loopback_4k_stream)
{
	struct mtty *m = &self->m;
	int p;

	for (p = 0; p < self->ports; p++) {
		unsigned int sent = 0, got = 0, burst;
		__u8 lsr;

		uart_setup_loop(m, p);
		while (got < 4096) {
			for (burst = 0; burst < MTTY_FIFO_SIZE && sent < 4096;
			     burst++) {
				ASSERT_TRUE(uart_in(m, p, UART_LSR) &
					    UART_LSR_THRE);
				uart_out(m, p, UART_TX, (sent * 7 + p) & 0xff);
				sent++;
			}
			while ((lsr = uart_in(m, p, UART_LSR)) & UART_LSR_DR) {
				ASSERT_EQ(0, lsr & UART_LSR_OE);
				ASSERT_EQ((got * 7 + p) & 0xff,
					  uart_in(m, p, UART_RX));
				got++;
			}
			ASSERT_EQ(sent, got);
		}
		EXPECT_EQ(UART_LSR_THRE | UART_LSR_TEMT,
			  uart_in(m, p, UART_LSR));
	}
}

/* The 17th byte into a full FIFO is lost and LSR.OE says so, once. */
TEST_F(uart, fifo_overrun)
{
	struct mtty *m = &self->m;
	int i;

	uart_setup_loop(m, 0);
	for (i = 0; i <= MTTY_FIFO_SIZE; i++)
		uart_out(m, 0, UART_TX, i);
	EXPECT_EQ(UART_LSR_DR | UART_LSR_OE | UART_LSR_THRE | UART_LSR_TEMT,
		  uart_in(m, 0, UART_LSR));
	EXPECT_EQ(0, uart_in(m, 0, UART_LSR) & UART_LSR_OE);
	for (i = 0; i < MTTY_FIFO_SIZE; i++)
		EXPECT_EQ(i, uart_in(m, 0, UART_RX));
	EXPECT_EQ(0, uart_in(m, 0, UART_LSR) & UART_LSR_DR);

	/* FCR clears the receiver. */
	uart_out(m, 0, UART_TX, 0x55);
	uart_out(m, 0, UART_FCR, UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR);
	EXPECT_EQ(0, uart_in(m, 0, UART_LSR) & UART_LSR_DR);
}

/* With the FIFO off the receiver holds one byte, as a 16450 does. */
TEST_F(uart, fifo_off_holds_one)
{
	struct mtty *m = &self->m;

	uart_setup_loop(m, 0);
	uart_out(m, 0, UART_FCR, 0);
	uart_out(m, 0, UART_TX, 1);
	uart_out(m, 0, UART_TX, 2);
	EXPECT_EQ(UART_LSR_DR | UART_LSR_OE,
		  uart_in(m, 0, UART_LSR) & (UART_LSR_DR | UART_LSR_OE));
	EXPECT_EQ(2, uart_in(m, 0, UART_RX));
	EXPECT_EQ(0, uart_in(m, 0, UART_LSR) & UART_LSR_DR);
}

/* IIR reports the trigger level and, below it, the timeout. */
TEST_F(uart, rx_trigger_levels)
{
	struct mtty *m = &self->m;
	int i;

	uart_setup_loop(m, 0);
	uart_out(m, 0, UART_FCR, UART_FCR_ENABLE_FIFO | UART_FCR_TRIGGER_4);
	uart_out(m, 0, UART_IER, UART_IER_RDI);
	EXPECT_EQ(0xc0 | UART_IIR_NO_INT, uart_in(m, 0, UART_IIR));
	for (i = 0; i < 3; i++)
		uart_out(m, 0, UART_TX, i);
	EXPECT_EQ(0xc0 | UART_IIR_RX_TIMEOUT, uart_in(m, 0, UART_IIR));
	uart_out(m, 0, UART_TX, 3);
	EXPECT_EQ(0xc0 | UART_IIR_RDI, uart_in(m, 0, UART_IIR));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(i, uart_in(m, 0, UART_RX));
	EXPECT_EQ(0xc0 | UART_IIR_NO_INT, uart_in(m, 0, UART_IIR));
}

/* Loopback wires RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD, with deltas. */
TEST_F(uart, modem_status)
{
	struct mtty *m = &self->m;

	uart_setup_loop(m, 0);
	uart_out(m, 0, UART_IER, UART_IER_MSI);
	uart_out(m, 0, UART_MCR, UART_MCR_LOOP | UART_MCR_RTS | UART_MCR_DTR |
		 UART_MCR_OUT1 | UART_MCR_OUT2);
	EXPECT_EQ(0xc0 | UART_IIR_MSI, uart_in(m, 0, UART_IIR));
	EXPECT_EQ(UART_MSR_CTS | UART_MSR_DSR | UART_MSR_RI | UART_MSR_DCD |
		  UART_MSR_DCTS | UART_MSR_DDSR | UART_MSR_DDCD,
		  uart_in(m, 0, UART_MSR));
	/* Reading MSR cleared the deltas and the interrupt. */
	EXPECT_EQ(0xc0 | UART_IIR_NO_INT, uart_in(m, 0, UART_IIR));
	uart_out(m, 0, UART_MCR, UART_MCR_LOOP);
	EXPECT_EQ(UART_MSR_DCTS | UART_MSR_DDSR | UART_MSR_TERI |
		  UART_MSR_DDCD, uart_in(m, 0, UART_MSR));
}

/* ---- interrupts ---- */

TEST_F(uart, irq_info)
{
	struct vfio_irq_info info;
	int i;

	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++) {
		ASSERT_EQ(0, __vfio_irq_info(self->m.dev.fd, i, &info));
		switch (i) {
		case VFIO_PCI_INTX_IRQ_INDEX:
			EXPECT_EQ(1, info.count);
			EXPECT_EQ(VFIO_IRQ_INFO_EVENTFD |
				  VFIO_IRQ_INFO_MASKABLE |
				  VFIO_IRQ_INFO_AUTOMASKED, info.flags);
			break;
		case VFIO_PCI_MSI_IRQ_INDEX:
		case VFIO_PCI_REQ_IRQ_INDEX:
			EXPECT_EQ(1, info.count);
			EXPECT_EQ(VFIO_IRQ_INFO_EVENTFD |
				  VFIO_IRQ_INFO_NORESIZE, info.flags);
			break;
		default:	/* MSI-X, ERR */
			EXPECT_EQ(0, info.count);
			EXPECT_EQ(0, info.flags);
		}
	}
}

/*
 * INTx is level triggered and automasked: data-ready signals once and
 * masks; unmasking with the line still high signals again; once the
 * data is read the line is low and unmask stays quiet. The last port
 * shares the line with the first.
 */
TEST_F(uart, intx_data_ready)
{
	struct mtty *m = &self->m;
	int p = self->ports - 1, fd = m->dev.fd, efd = mtty_eventfd();
	__u8 one = 1;

	uart_setup_loop(m, p);
	ASSERT_EQ(0, __vfio_irq_set_eventfd(fd, VFIO_PCI_INTX_IRQ_INDEX, 0,
					    efd));
	uart_out(m, p, UART_IER, UART_IER_RDI);
	EXPECT_EQ(0, mtty_fired(efd));		/* nothing pending yet */

	uart_out(m, p, UART_TX, 'x');
	EXPECT_EQ(1, mtty_fired(efd));
	uart_out(m, p, UART_TX, 'y');
	EXPECT_EQ(0, mtty_fired(efd));		/* line still high */

	/* Drained and raised again: a new edge, but INTx is automasked. */
	EXPECT_EQ('x', uart_in(m, p, UART_RX));
	EXPECT_EQ('y', uart_in(m, p, UART_RX));
	uart_out(m, p, UART_TX, 'w');
	EXPECT_EQ(0, mtty_fired(efd));

	/* Unmask with the line high: signalled and masked again. */
	ASSERT_EQ(0, __vfio_irq_action(fd, VFIO_PCI_INTX_IRQ_INDEX, 0,
				       VFIO_IRQ_SET_ACTION_UNMASK));
	EXPECT_EQ(1, mtty_fired(efd));
	EXPECT_EQ('w', uart_in(m, p, UART_RX));
	uart_out(m, p, UART_TX, 'v');
	EXPECT_EQ(0, mtty_fired(efd));

	/* Drain: the line drops; unmask now stays quiet... */
	EXPECT_EQ('v', uart_in(m, p, UART_RX));
	ASSERT_EQ(0, __vfio_irq_action(fd, VFIO_PCI_INTX_IRQ_INDEX, 0,
				       VFIO_IRQ_SET_ACTION_UNMASK));
	EXPECT_EQ(0, mtty_fired(efd));
	/* ...and the next edge is delivered. */
	uart_out(m, p, UART_TX, 'u');
	EXPECT_EQ(1, mtty_fired(efd));
	EXPECT_EQ('u', uart_in(m, p, UART_RX));
	ASSERT_EQ(0, __vfio_irq_action(fd, VFIO_PCI_INTX_IRQ_INDEX, 0,
				       VFIO_IRQ_SET_ACTION_UNMASK));

	/* A user mask holds back the next edge until unmask. */
	ASSERT_EQ(0, __vfio_irq_action(fd, VFIO_PCI_INTX_IRQ_INDEX, 0,
				       VFIO_IRQ_SET_ACTION_MASK));
	uart_out(m, p, UART_TX, 'z');
	EXPECT_EQ(0, mtty_fired(efd));
	ASSERT_EQ(0, mtty_set_irqs(fd, VFIO_IRQ_SET_DATA_BOOL |
				   VFIO_IRQ_SET_ACTION_UNMASK,
				   VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &one, 1));
	EXPECT_EQ(1, mtty_fired(efd));

	/* IER off lowers the line even with data waiting. */
	uart_out(m, p, UART_IER, 0);
	ASSERT_EQ(0, __vfio_irq_action(fd, VFIO_PCI_INTX_IRQ_INDEX, 0,
				       VFIO_IRQ_SET_ACTION_UNMASK));
	EXPECT_EQ(0, mtty_fired(efd));

	/* A disabled trigger delivers nothing. */
	ASSERT_EQ(0, __vfio_irq_set_eventfd(fd, VFIO_PCI_INTX_IRQ_INDEX, 0,
					    -1));
	uart_out(m, p, UART_IER, UART_IER_RDI);
	EXPECT_EQ(0, mtty_fired(efd));
	close(efd);
}

/* MSI signals on each rising edge of the line; no mask, no automask. */
TEST_F(uart, msi_fires)
{
	struct mtty *m = &self->m;
	int p = self->ports - 1, fd = m->dev.fd, efd = mtty_eventfd();
	int intx = mtty_eventfd();

	uart_setup_loop(m, p);
	ASSERT_EQ(0, __vfio_irq_set_eventfd(fd, VFIO_PCI_MSI_IRQ_INDEX, 0,
					    efd));
	/* INTx and MSI exclude each other, as in vfio-pci. */
	EXPECT_EQ(-EINVAL, __vfio_irq_set_eventfd(fd, VFIO_PCI_INTX_IRQ_INDEX,
						  0, intx));
	EXPECT_EQ(-EINVAL, __vfio_irq_action(fd, VFIO_PCI_MSI_IRQ_INDEX, 0,
					     VFIO_IRQ_SET_ACTION_UNMASK));

	uart_out(m, p, UART_IER, UART_IER_RDI);
	EXPECT_EQ(0, mtty_fired(efd));
	uart_out(m, p, UART_TX, 1);
	EXPECT_EQ(1, mtty_fired(efd));
	uart_out(m, p, UART_TX, 2);
	EXPECT_EQ(0, mtty_fired(efd));		/* line still high: no edge */
	uart_in(m, p, UART_RX);
	uart_in(m, p, UART_RX);
	uart_out(m, p, UART_TX, 3);
	EXPECT_EQ(1, mtty_fired(efd));		/* new edge */

	/* THRE: enabling IER.THRI on an empty transmitter raises it. */
	uart_in(m, p, UART_RX);
	uart_out(m, p, UART_IER, UART_IER_THRI);
	EXPECT_EQ(1, mtty_fired(efd));

	/* Loopback trigger, then teardown with count 0. */
	ASSERT_EQ(0, mtty_set_irqs(fd, VFIO_IRQ_SET_DATA_NONE |
				   VFIO_IRQ_SET_ACTION_TRIGGER,
				   VFIO_PCI_MSI_IRQ_INDEX, 0, 1, NULL, 0));
	EXPECT_EQ(1, mtty_fired(efd));
	ASSERT_EQ(0, mtty_set_irqs(fd, VFIO_IRQ_SET_DATA_NONE |
				   VFIO_IRQ_SET_ACTION_TRIGGER,
				   VFIO_PCI_MSI_IRQ_INDEX, 0, 0, NULL, 0));
	EXPECT_EQ(0, __vfio_irq_set_eventfd(fd, VFIO_PCI_INTX_IRQ_INDEX, 0,
					    intx));
	close(intx);
	close(efd);
}

/* VFIO_DEVICE_RESET is advertised and returns the function to reset. */
TEST_F(uart, reset)
{
	struct mtty *m = &self->m;
	struct vfio_device_info info;

	ASSERT_EQ(0, __vfio_device_info(m->dev.fd, &info));
	EXPECT_TRUE(info.flags & VFIO_DEVICE_FLAGS_RESET);

	uart_setup_loop(m, 0);
	uart_out(m, 0, UART_SCR, 0x5a);
	uart_out(m, 0, UART_TX, 0x42);
	cfg_out(m, PCI_BASE_ADDRESS_0, 0xc000, 4);
	cfg_out(m, PCI_COMMAND, PCI_COMMAND_IO, 2);

	ASSERT_EQ(0, ioctl(m->dev.fd, VFIO_DEVICE_RESET));
	EXPECT_EQ(0, uart_in(m, 0, UART_SCR));
	EXPECT_EQ(0, uart_in(m, 0, UART_MCR));
	EXPECT_EQ(UART_LSR_THRE | UART_LSR_TEMT, uart_in(m, 0, UART_LSR));
	EXPECT_EQ(PCI_BASE_ADDRESS_SPACE_IO,
		  cfg_in(m, PCI_BASE_ADDRESS_0, 4));
	EXPECT_EQ(0, cfg_in(m, PCI_COMMAND, 2));
}

TEST_HARNESS_MAIN
