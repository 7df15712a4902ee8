/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Model of a 16550A UART with one or two ports
 *
 * The model knows nothing about VFIO: the glue passes it register reads
 * and writes and it reports its interrupt line through a callback.
 */
#ifndef MTTY_UART_H
#define MTTY_UART_H

#include <linux/mutex.h>
#include <linux/types.h>

#include "mtty_defs.h"

/**
 * struct mtty_uart_port - the registers and FIFO of one 16550A port
 * @rx_fifo: receive FIFO ring
 * @rx_head: index in @rx_fifo of the oldest received byte
 * @rx_count: number of bytes in @rx_fifo
 * @ier: interrupt enable register (low four bits)
 * @lcr: line control register, bit 7 is DLAB
 * @mcr: modem control register (low five bits)
 * @fcr: FIFO enable and receive trigger bits of the last FCR write
 * @scr: scratch register
 * @lsr_err: LSR error bits latched until the next LSR read (UART_LSR_OE)
 * @msr_delta: MSR delta bits latched until the next MSR read
 * @dl: divisor latch
 * @thri: THRE interrupt pending; cleared by reading IIR or writing THR
 *
 * Everything else a guest reads (IIR, LSR, MSR) is computed from these.
 */
struct mtty_uart_port {
	u8 rx_fifo[MTTY_FIFO_SIZE];
	u8 rx_head;
	u8 rx_count;
	u8 ier;
	u8 lcr;
	u8 mcr;
	u8 fcr;
	u8 scr;
	u8 lsr_err;
	u8 msr_delta;
	u16 dl;
	bool thri;
};

/**
 * typedef mtty_uart_irq_fn - interrupt line callback
 * @opaque: the pointer given to mtty_uart_init()
 * @level: true when at least one port has an enabled interrupt pending
 *
 * Called with the UART's lock held, only when the level changes. It must
 * not call back into the UART and must not sleep for long.
 */
typedef void (*mtty_uart_irq_fn)(void *opaque, bool level);

/**
 * struct mtty_uart - a UART chip with one or two 16550A ports
 * @lock: protects @port, @changed and @irq_level, and serialises @irq_fn
 *	  calls
 * @nr_ports: number of ports, fixed at init
 * @changed: a write or a load may have changed @port since the last reset;
 *	     written under @lock, first read without it by mtty_uart_reset().
 *	     Reads change state too (RBR, IIR, LSR, MSR), but only state a
 *	     write or a load set up: on ports at reset they change nothing.
 * @irq_level: the level last reported through @irq_fn
 * @irq_fn: interrupt line callback
 * @opaque: argument for @irq_fn
 * @port: per-port registers
 *
 * Both ports share one interrupt line (INTA#), as on a dual-port card.
 */
struct mtty_uart {
	struct mutex lock;	/* see @lock above */
	unsigned int nr_ports;
	bool changed;
	bool irq_level;
	mtty_uart_irq_fn irq_fn;
	void *opaque;
	struct mtty_uart_port port[MTTY_MAX_PORTS];
};

void mtty_uart_init(struct mtty_uart *uart, unsigned int nr_ports,
		    mtty_uart_irq_fn irq_fn, void *opaque);
void mtty_uart_destroy(struct mtty_uart *uart);
void mtty_uart_reset(struct mtty_uart *uart);
u8 mtty_uart_read(struct mtty_uart *uart, unsigned int port,
		  unsigned int reg);
void mtty_uart_write(struct mtty_uart *uart, unsigned int port,
		     unsigned int reg, u8 val);

bool mtty_uart_port_valid(const struct mtty_uart_port *p);
void mtty_uart_save(struct mtty_uart *uart, struct mtty_uart_port *ports);
void mtty_uart_load(struct mtty_uart *uart,
		    const struct mtty_uart_port *ports);

#endif /* MTTY_UART_H */
