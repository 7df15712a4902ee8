// SPDX-License-Identifier: GPL-2.0
/*
 * mtty_demo: use an mtty device the way a VMM would, and say what
 * happens. Run by demo/mtty.sh inside the VM:
 *
 *   mtty_demo SRC-UUID [DST-UUID]
 *
 * Shows the PCI identity, sends a line through each port's loopback,
 * takes an INTx interrupt on data ready and, given a second device of
 * the same type, migrates the first into it.
 */
#include <linux/pci_regs.h>

#include "mtty_util.h"

static int mig_set(int fd, __u32 state)
{
	char buf[sizeof(struct vfio_device_feature) +
		 sizeof(struct vfio_device_feature_mig_state)];
	struct vfio_device_feature *feat = (void *)buf;
	struct vfio_device_feature_mig_state *mig = (void *)feat->data;

	memset(buf, 0, sizeof(buf));
	feat->argsz = sizeof(buf);
	feat->flags = VFIO_DEVICE_FEATURE_SET |
		      VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE;
	mig->device_state = state;
	if (ioctl(fd, VFIO_DEVICE_FEATURE, feat))
		vfio_lib_fail("migration state %u: %s", state, strerror(errno));
	return mig->data_fd;
}

static void send_line(struct mtty *m, int port, const char *s)
{
	char got[64];
	int n = 0;

	/* Paced as a driver would: never more than the FIFO holds. */
	uart_setup_loop(m, port);
	for (; *s; s++) {
		uart_out(m, port, UART_TX, *s);
		while (uart_in(m, port, UART_LSR) & UART_LSR_DR && n < 63)
			got[n++] = uart_in(m, port, UART_RX);
	}
	got[n] = '\0';
	printf("mtty_demo: port %d looped back %d bytes: \"%s\"\n",
	       port, n, got);
}

static void migrate(struct mtty *src, struct mtty *dst, int ports)
{
	char stream[512];
	ssize_t len;
	int sfd, dfd;

	uart_out(src, 0, UART_SCR, 0x5a);
	uart_out(src, 0, UART_TX, '!');
	sfd = mig_set(src->dev.fd, VFIO_DEVICE_STATE_STOP_COPY);
	len = read(sfd, stream, sizeof(stream));
	close(sfd);
	printf("mtty_demo: saved %zd bytes (expected %zu)\n", len,
	       MTTY_MIG_STREAM_SIZE(ports));

	dfd = mig_set(dst->dev.fd, VFIO_DEVICE_STATE_RESUMING);
	if (write(dfd, stream, len) != len)
		vfio_lib_fail("resume write: %s", strerror(errno));
	close(dfd);
	mig_set(dst->dev.fd, VFIO_DEVICE_STATE_RUNNING);
	printf("mtty_demo: restored; destination SCR 0x%02x, RBR '%c'\n",
	       uart_in(dst, 0, UART_SCR), uart_in(dst, 0, UART_RX));
}

int main(int argc, char **argv)
{
	struct mtty src, dst;
	int ports = 1, p, efd;

	if (argc < 2) {
		fprintf(stderr, "usage: %s SRC-UUID [DST-UUID]\n", argv[0]);
		return 2;
	}
	mtty_open(argv[1], &src);
	printf("mtty_demo: PCI %04x:%04x class %06x, IRQ pin %u\n",
	       cfg_in(&src, PCI_VENDOR_ID, 2), cfg_in(&src, PCI_DEVICE_ID, 2),
	       cfg_in(&src, PCI_CLASS_REVISION, 4) >> 8,
	       cfg_in(&src, PCI_INTERRUPT_PIN, 1));
	cfg_out(&src, PCI_BASE_ADDRESS_1, 0xffffffff, 4);
	if (cfg_in(&src, PCI_BASE_ADDRESS_1, 4))
		ports = 2;
	printf("mtty_demo: %d port(s), BAR0 sizes to 0x%08x\n", ports,
	       (cfg_out(&src, PCI_BASE_ADDRESS_0, 0xffffffff, 4),
		cfg_in(&src, PCI_BASE_ADDRESS_0, 4)));

	for (p = 0; p < ports; p++)
		send_line(&src, p, p ? "hello from port 1" : "hello from port 0");

	efd = mtty_eventfd();
	if (__vfio_irq_set_eventfd(src.dev.fd, VFIO_PCI_INTX_IRQ_INDEX, 0, efd))
		vfio_lib_fail("INTx: %s", strerror(errno));
	uart_out(&src, 0, UART_IER, UART_IER_RDI);
	uart_out(&src, 0, UART_TX, 'x');
	printf("mtty_demo: INTx on data ready: %ld signal(s), IIR 0x%02x\n",
	       mtty_fired(efd), uart_in(&src, 0, UART_IIR));
	uart_in(&src, 0, UART_RX);
	uart_out(&src, 0, UART_IER, 0);

	if (argc > 2) {
		mtty_open(argv[2], &dst);
		migrate(&src, &dst, ports);
		mtty_close(&dst);
	}
	mtty_close(&src);
	close(efd);
	return 0;
}
