// SPDX-License-Identifier: GPL-2.0-only
/*
 * Model of a 16550A UART with one or two ports
 *
 * The model is what Linux's 8250 driver expects of a 16550A: the IER,
 * loopback and FIFO probes of autoconfig() pass, the IIR reports the
 * highest priority interrupt, and the THRE interrupt is re-raised when
 * IER.THRI is enabled on an empty transmitter.
 *
 * Time does not exist in this model. A byte written to THR is sent at
 * once, so THRE and TEMT are always set, and arrives at once at the
 * receiver: every port has a loopback plug on its connector (TxD to RxD,
 * RTS to CTS, DTR to DSR and DCD), so the data comes back whether or not
 * MCR.LOOP is set; MCR.LOOP changes only where the modem inputs come
 * from. A full receive FIFO loses the new byte and sets LSR.OE, as the
 * hardware does. The receive timeout interrupt is taken to have expired
 * as soon as fewer bytes than the trigger level wait in the FIFO, so a
 * guest never waits for a timer. Parity, framing errors and break are
 * not modelled.
 */
#include <linux/serial_reg.h>
#include <linux/string.h>

#include "mtty_uart.h"

#define MTTY_UART_IER_MASK	(UART_IER_RDI | UART_IER_THRI | \
				 UART_IER_RLSI | UART_IER_MSI)
#define MTTY_UART_MCR_MASK	(UART_MCR_DTR | UART_MCR_RTS | \
				 UART_MCR_OUT1 | UART_MCR_OUT2 | UART_MCR_LOOP)
#define MTTY_UART_FCR_MASK	(UART_FCR_ENABLE_FIFO | UART_FCR_TRIGGER_MASK)
/* IIR bits 7:6 of a 16550A with its FIFOs on (not named in older kernels). */
#define MTTY_UART_IIR_FIFO	0xc0

/* ------------------------------------------------------------------ */
/* Derived registers                                                    */

static bool mtty_uart_fifo_enabled(const struct mtty_uart_port *p)
{
	return p->fcr & UART_FCR_ENABLE_FIFO;
}

/* Bytes the receiver holds: the FIFO, or just RBR in 16450 mode. */
static unsigned int mtty_uart_rx_depth(const struct mtty_uart_port *p)
{
	return mtty_uart_fifo_enabled(p) ? MTTY_FIFO_SIZE : 1;
}

static unsigned int mtty_uart_rx_trigger(const struct mtty_uart_port *p)
{
	static const u8 levels[] = { 1, 4, 8, 14 };

	if (!mtty_uart_fifo_enabled(p))
		return 1;
	return levels[(p->fcr & UART_FCR_TRIGGER_MASK) >> 6];
}

/*
 * The modem status inputs as the MSR shows them. In loopback mode the
 * 16550 wires its outputs to its inputs internally; otherwise the
 * loopback plug on the connector does it.
 */
static u8 mtty_uart_modem_inputs(const struct mtty_uart_port *p)
{
	u8 in = 0;

	if (p->mcr & UART_MCR_RTS)
		in |= UART_MSR_CTS;
	if (p->mcr & UART_MCR_LOOP) {
		if (p->mcr & UART_MCR_DTR)
			in |= UART_MSR_DSR;
		if (p->mcr & UART_MCR_OUT1)
			in |= UART_MSR_RI;
		if (p->mcr & UART_MCR_OUT2)
			in |= UART_MSR_DCD;
	} else if (p->mcr & UART_MCR_DTR) {
		in |= UART_MSR_DSR | UART_MSR_DCD;
	}
	return in;
}

/* IIR: the highest priority pending interrupt that IER enables. */
static u8 mtty_uart_iir(const struct mtty_uart_port *p)
{
	u8 fifo = mtty_uart_fifo_enabled(p) ? MTTY_UART_IIR_FIFO : 0;

	if ((p->ier & UART_IER_RLSI) && p->lsr_err)
		return fifo | UART_IIR_RLSI;
	if ((p->ier & UART_IER_RDI) && p->rx_count) {
		if (p->rx_count >= mtty_uart_rx_trigger(p))
			return fifo | UART_IIR_RDI;
		return fifo | UART_IIR_RX_TIMEOUT;
	}
	if ((p->ier & UART_IER_THRI) && p->thri)
		return fifo | UART_IIR_THRI;
	if ((p->ier & UART_IER_MSI) && p->msr_delta)
		return fifo | UART_IIR_MSI;
	return fifo | UART_IIR_NO_INT;
}

static u8 mtty_uart_lsr(const struct mtty_uart_port *p)
{
	u8 lsr = UART_LSR_THRE | UART_LSR_TEMT | p->lsr_err;

	if (p->rx_count)
		lsr |= UART_LSR_DR;
	return lsr;
}

/* ------------------------------------------------------------------ */
/* Interrupt line                                                       */

static void mtty_uart_update_irq_locked(struct mtty_uart *uart)
{
	bool level = false;
	unsigned int i;

	lockdep_assert_held(&uart->lock);

	for (i = 0; i < uart->nr_ports; i++)
		if (!(mtty_uart_iir(&uart->port[i]) & UART_IIR_NO_INT))
			level = true;

	if (level == uart->irq_level)
		return;
	uart->irq_level = level;
	if (uart->irq_fn)
		uart->irq_fn(uart->opaque, level);
}

/* ------------------------------------------------------------------ */
/* Data path                                                            */

static void mtty_uart_rx_clear(struct mtty_uart_port *p)
{
	p->rx_head = 0;
	p->rx_count = 0;
}

/* A byte arrives at the receiver of @p. */
static void mtty_uart_rx_push(struct mtty_uart_port *p, u8 byte)
{
	if (p->rx_count >= mtty_uart_rx_depth(p)) {
		/*
		 * Overrun. With the FIFO on, the byte in the shift
		 * register is lost; in 16450 mode it overwrites RBR.
		 */
		p->lsr_err |= UART_LSR_OE;
		if (!mtty_uart_fifo_enabled(p))
			p->rx_fifo[p->rx_head] = byte;
		return;
	}
	p->rx_fifo[(p->rx_head + p->rx_count) % MTTY_FIFO_SIZE] = byte;
	p->rx_count++;
}

static u8 mtty_uart_rx_pop(struct mtty_uart_port *p)
{
	u8 byte;

	if (!p->rx_count)
		return 0;
	byte = p->rx_fifo[p->rx_head];
	p->rx_head = (p->rx_head + 1) % MTTY_FIFO_SIZE;
	p->rx_count--;
	return byte;
}

/* THR write: the byte leaves at once and comes back through the plug. */
static void mtty_uart_tx(struct mtty_uart_port *p, u8 byte)
{
	/* Only the word length's low bits travel on the line. */
	u8 mask = 0xff >> (3 - (p->lcr & UART_LCR_WLEN8));

	mtty_uart_rx_push(p, byte & mask);
	/* THR is empty again right away: THRE interrupt pending. */
	p->thri = true;
}

static void mtty_uart_set_mcr(struct mtty_uart_port *p, u8 val)
{
	u8 old = mtty_uart_modem_inputs(p), new, changed;

	p->mcr = val & MTTY_UART_MCR_MASK;
	new = mtty_uart_modem_inputs(p);
	changed = old ^ new;

	if (changed & UART_MSR_CTS)
		p->msr_delta |= UART_MSR_DCTS;
	if (changed & UART_MSR_DSR)
		p->msr_delta |= UART_MSR_DDSR;
	if ((old & UART_MSR_RI) && !(new & UART_MSR_RI))
		p->msr_delta |= UART_MSR_TERI;	/* trailing edge only */
	if (changed & UART_MSR_DCD)
		p->msr_delta |= UART_MSR_DDCD;
}

static void mtty_uart_set_fcr(struct mtty_uart_port *p, u8 val)
{
	/* Toggling the FIFO enable clears the FIFOs on a 16550A. */
	if ((val ^ p->fcr) & UART_FCR_ENABLE_FIFO)
		mtty_uart_rx_clear(p);
	if (val & UART_FCR_CLEAR_RCVR)
		mtty_uart_rx_clear(p);
	/* The transmit FIFO is always empty: UART_FCR_CLEAR_XMIT is a no-op. */

	/* The other FCR bits only take when FCR0 is written as one. */
	p->fcr = (val & UART_FCR_ENABLE_FIFO) ? val & MTTY_UART_FCR_MASK : 0;
}

/* ------------------------------------------------------------------ */
/* Register access                                                      */

static u8 mtty_uart_read_port(struct mtty_uart_port *p, unsigned int reg)
{
	bool dlab = p->lcr & UART_LCR_DLAB;
	u8 val;

	switch (reg) {
	case UART_RX:
		return dlab ? p->dl & 0xff : mtty_uart_rx_pop(p);
	case UART_IER:
		return dlab ? p->dl >> 8 : p->ier;
	case UART_IIR:
		val = mtty_uart_iir(p);
		/* Reading IIR acknowledges a THRE interrupt it reports. */
		if ((val & UART_IIR_ID) == UART_IIR_THRI)
			p->thri = false;
		return val;
	case UART_LCR:
		return p->lcr;
	case UART_MCR:
		return p->mcr;
	case UART_LSR:
		val = mtty_uart_lsr(p);
		p->lsr_err = 0;
		return val;
	case UART_MSR:
		val = mtty_uart_modem_inputs(p) | p->msr_delta;
		p->msr_delta = 0;
		return val;
	case UART_SCR:
		return p->scr;
	}
	return 0xff;
}

static void mtty_uart_write_port(struct mtty_uart_port *p, unsigned int reg,
				 u8 val)
{
	bool dlab = p->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_TX:
		if (dlab) {
			p->dl = (p->dl & 0xff00) | val;
			break;
		}
		p->thri = false;
		mtty_uart_tx(p, val);
		break;
	case UART_IER:
		if (dlab) {
			p->dl = (p->dl & 0x00ff) | (val << 8);
			break;
		}
		val &= MTTY_UART_IER_MASK;
		/* Enabling THRI on an empty transmitter raises it. */
		if ((val & ~p->ier) & UART_IER_THRI)
			p->thri = true;
		p->ier = val;
		break;
	case UART_FCR:
		mtty_uart_set_fcr(p, val);
		break;
	case UART_LCR:
		p->lcr = val;
		break;
	case UART_MCR:
		mtty_uart_set_mcr(p, val);
		break;
	case UART_SCR:
		p->scr = val;
		break;
	default:
		/* LSR and MSR are read-only; writes are ignored. */
		break;
	}
}

/**
 * mtty_uart_read() - read one register
 * @uart: the UART
 * @port: port index, below @uart->nr_ports
 * @reg: register offset, 0 to 7
 *
 * Takes @uart->lock; may call the interrupt callback, since reads of RBR,
 * IIR, LSR and MSR acknowledge interrupts.
 *
 * Return: the register value, or 0xff (a floating bus) for an index the
 * caller failed to bound.
 */
u8 mtty_uart_read(struct mtty_uart *uart, unsigned int port, unsigned int reg)
{
	u8 val;

	if (port >= uart->nr_ports || reg >= MTTY_BAR_SIZE)
		return 0xff;

	mutex_lock(&uart->lock);
	val = mtty_uart_read_port(&uart->port[port], reg);
	mtty_uart_update_irq_locked(uart);
	mutex_unlock(&uart->lock);
	return val;
}

/**
 * mtty_uart_write() - write one register
 * @uart: the UART
 * @port: port index, below @uart->nr_ports
 * @reg: register offset, 0 to 7
 * @val: the value
 *
 * Takes @uart->lock and may call the interrupt callback. Writes to an
 * index out of range are ignored.
 */
void mtty_uart_write(struct mtty_uart *uart, unsigned int port,
		     unsigned int reg, u8 val)
{
	if (port >= uart->nr_ports || reg >= MTTY_BAR_SIZE)
		return;

	mutex_lock(&uart->lock);
	mtty_uart_write_port(&uart->port[port], reg, val);
	WRITE_ONCE(uart->changed, true);
	mtty_uart_update_irq_locked(uart);
	mutex_unlock(&uart->lock);
}

/* ------------------------------------------------------------------ */
/* Lifecycle and state                                                  */

static void mtty_uart_reset_locked(struct mtty_uart *uart)
{
	unsigned int i;

	lockdep_assert_held(&uart->lock);

	/* Power-on values: everything zero, as the 16550A's reset pin does. */
	memset(uart->port, 0, sizeof(uart->port));
	for (i = 0; i < uart->nr_ports; i++)
		uart->port[i].dl = 12;		/* 9600 baud at 1.8432 MHz */
	WRITE_ONCE(uart->changed, false);
	mtty_uart_update_irq_locked(uart);
}

/**
 * mtty_uart_reset() - put every port in its power-on state
 * @uart: the UART
 *
 * Does nothing if no write or load came since the last reset: the ports
 * are still at power-on and the line is low. Else takes @uart->lock and
 * lowers the interrupt line if it was raised.
 */
void mtty_uart_reset(struct mtty_uart *uart)
{
	/*
	 * Without the lock: a write this misses is one that races with the
	 * reset, and so may come after it. It sets @changed, and the next
	 * reset undoes it.
	 */
	if (!READ_ONCE(uart->changed))
		return;

	mutex_lock(&uart->lock);
	mtty_uart_reset_locked(uart);
	mutex_unlock(&uart->lock);
}

/**
 * mtty_uart_init() - set up a UART in its power-on state
 * @uart: the UART to initialise
 * @nr_ports: 1 or MTTY_MAX_PORTS
 * @irq_fn: interrupt line callback, may be NULL
 * @opaque: argument for @irq_fn
 *
 * The line starts low and @irq_fn is not called from here.
 */
void mtty_uart_init(struct mtty_uart *uart, unsigned int nr_ports,
		    mtty_uart_irq_fn irq_fn, void *opaque)
{
	mutex_init(&uart->lock);
	uart->nr_ports = min_t(unsigned int, nr_ports, MTTY_MAX_PORTS);
	uart->irq_level = false;
	uart->irq_fn = irq_fn;
	uart->opaque = opaque;
	mutex_lock(&uart->lock);
	mtty_uart_reset_locked(uart);
	mutex_unlock(&uart->lock);
}

/**
 * mtty_uart_destroy() - release what mtty_uart_init() set up
 * @uart: the UART, which nobody may use any more
 */
void mtty_uart_destroy(struct mtty_uart *uart)
{
	mutex_destroy(&uart->lock);
}

/**
 * mtty_uart_port_valid() - check a port state that came from outside
 * @p: the state, with the receive FIFO starting at index 0
 *
 * Return: true if @p is a state this model can reach itself.
 */
bool mtty_uart_port_valid(const struct mtty_uart_port *p)
{
	if (p->ier & ~MTTY_UART_IER_MASK || p->mcr & ~MTTY_UART_MCR_MASK)
		return false;
	if (p->fcr & ~MTTY_UART_FCR_MASK)
		return false;
	if (!(p->fcr & UART_FCR_ENABLE_FIFO) && p->fcr)
		return false;
	if (p->lsr_err & ~UART_LSR_OE || p->msr_delta & ~UART_MSR_ANY_DELTA)
		return false;
	if (p->rx_head >= MTTY_FIFO_SIZE)
		return false;
	return p->rx_count <= mtty_uart_rx_depth(p);
}

/**
 * mtty_uart_save() - copy out the state of every port
 * @uart: the UART
 * @ports: @uart->nr_ports entries to fill; receive FIFOs start at index 0
 *
 * Takes @uart->lock.
 */
void mtty_uart_save(struct mtty_uart *uart, struct mtty_uart_port *ports)
{
	unsigned int i, j;

	mutex_lock(&uart->lock);
	for (i = 0; i < uart->nr_ports; i++) {
		const struct mtty_uart_port *p = &uart->port[i];

		ports[i] = *p;
		ports[i].rx_head = 0;
		for (j = 0; j < p->rx_count; j++)
			ports[i].rx_fifo[j] =
				p->rx_fifo[(p->rx_head + j) % MTTY_FIFO_SIZE];
	}
	mutex_unlock(&uart->lock);
}

/**
 * mtty_uart_load() - replace the state of every port
 * @uart: the UART
 * @ports: @uart->nr_ports entries, each accepted by mtty_uart_port_valid()
 *
 * Takes @uart->lock and updates the interrupt line to match the new state.
 */
void mtty_uart_load(struct mtty_uart *uart, const struct mtty_uart_port *ports)
{
	mutex_lock(&uart->lock);
	memcpy(uart->port, ports, uart->nr_ports * sizeof(*ports));
	WRITE_ONCE(uart->changed, true);
	mtty_uart_update_irq_locked(uart);
	mutex_unlock(&uart->lock);
}
