// SPDX-License-Identifier: GPL-2.0-only
/*
 * The mtty migration stream format
 *
 * The stream (struct mtty_mig_stream in mtty_defs.h) is built from the
 * models' state in one go and parsed in one go. Loading checks the whole
 * stream, header, CRC and every field, before it touches the device, so
 * a bad stream leaves the device as it was.
 */
#include <linux/crc32.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <asm/byteorder.h>

#include "mtty_stream.h"

/* zlib's crc32(), so that userspace tools can compute it too. */
static u32 mtty_stream_crc(const void *buf, unsigned int nr_ports)
{
	return ~crc32_le(~0u, buf, MTTY_MIG_TRAILER_OFFSET(nr_ports));
}

static struct mtty_mig_trailer *mtty_stream_trailer(const void *buf,
						    unsigned int nr_ports)
{
	return (void *)buf + MTTY_MIG_TRAILER_OFFSET(nr_ports);
}

static void mtty_stream_port_to_wire(struct mtty_mig_port *w,
				     const struct mtty_uart_port *p)
{
	memset(w, 0, sizeof(*w));
	w->ier = p->ier;
	w->lcr = p->lcr;
	w->mcr = p->mcr;
	w->fcr = p->fcr;
	w->scr = p->scr;
	w->lsr_err = p->lsr_err;
	w->msr_delta = p->msr_delta;
	w->flags = p->thri ? MTTY_MIG_PORT_THRI : 0;
	w->dl = cpu_to_le16(p->dl);
	w->rx_count = p->rx_count;
	memcpy(w->rx_fifo, p->rx_fifo, p->rx_count);
}

static int mtty_stream_port_from_wire(struct mtty_uart_port *p,
				      const struct mtty_mig_port *w)
{
	if (memchr_inv(w->reserved, 0, sizeof(w->reserved)))
		return -EINVAL;
	if (w->flags & ~MTTY_MIG_PORT_FLAGS)
		return -EINVAL;
	if (w->rx_count > MTTY_FIFO_SIZE)
		return -EINVAL;
	/* Bytes past rx_count are not state: they must be zero. */
	if (memchr_inv(w->rx_fifo + w->rx_count, 0,
		       MTTY_FIFO_SIZE - w->rx_count))
		return -EINVAL;

	memset(p, 0, sizeof(*p));
	p->ier = w->ier;
	p->lcr = w->lcr;
	p->mcr = w->mcr;
	p->fcr = w->fcr;
	p->scr = w->scr;
	p->lsr_err = w->lsr_err;
	p->msr_delta = w->msr_delta;
	p->thri = w->flags & MTTY_MIG_PORT_THRI;
	p->dl = le16_to_cpu(w->dl);
	p->rx_head = 0;
	p->rx_count = w->rx_count;
	memcpy(p->rx_fifo, w->rx_fifo, w->rx_count);

	return mtty_uart_port_valid(p) ? 0 : -EINVAL;
}

/**
 * mtty_stream_save_header() - write the header of a stream
 * @buf: at least sizeof(struct mtty_mig_header) bytes
 * @nr_ports: port count of the device being saved
 *
 * The header depends only on the device type, so it may be sent before
 * the device stops.
 */
void mtty_stream_save_header(void *buf, unsigned int nr_ports)
{
	struct mtty_mig_header *h = buf;

	memset(h, 0, sizeof(*h));
	h->magic = cpu_to_le32(MTTY_MIG_MAGIC);
	h->version = cpu_to_le16(MTTY_MIG_VERSION);
	h->nr_ports = cpu_to_le16(nr_ports);
	h->length = cpu_to_le32(MTTY_MIG_STREAM_SIZE(nr_ports) - sizeof(*h));
}

/**
 * mtty_stream_save_body() - write the device state after the header
 * @cfg: the device's config space
 * @uart: the device's UART
 * @buf: MTTY_MIG_STREAM_SIZE(@uart->nr_ports) bytes, starting with the
 *	 header from mtty_stream_save_header()
 *
 * Fills in the config image, the port records and the trailer. Takes
 * @cfg->lock and @uart->lock in turn.
 */
void mtty_stream_save_body(struct mtty_cfg *cfg, struct mtty_uart *uart,
			   void *buf)
{
	struct mtty_uart_port ports[MTTY_MAX_PORTS];
	struct mtty_mig_stream *s = buf;
	struct mtty_mig_trailer *t;
	unsigned int i;

	mtty_cfg_save(cfg, s->config);
	mtty_uart_save(uart, ports);
	for (i = 0; i < uart->nr_ports; i++)
		mtty_stream_port_to_wire(&s->port[i], &ports[i]);

	t = mtty_stream_trailer(buf, uart->nr_ports);
	t->crc = cpu_to_le32(mtty_stream_crc(buf, uart->nr_ports));
	t->reserved = 0;
}

/**
 * mtty_stream_check_header() - check the start of a stream
 * @buf: the stream received so far
 * @len: bytes in @buf; checks are made only on complete fields
 * @nr_ports: port count of the device that is to load the stream
 *
 * Lets a resuming device refuse a stream at its first write instead of
 * at the end.
 *
 * Return: 0 if nothing received so far is wrong, -EINVAL for a foreign
 * stream or a port count mismatch, -EPROTONOSUPPORT for another version.
 */
int mtty_stream_check_header(const void *buf, size_t len,
			     unsigned int nr_ports)
{
	const struct mtty_mig_header *h = buf;
	size_t want = MTTY_MIG_STREAM_SIZE(nr_ports) - sizeof(*h);

	if (len < sizeof(*h))
		return 0;
	if (le32_to_cpu(h->magic) != MTTY_MIG_MAGIC)
		return -EINVAL;
	if (le16_to_cpu(h->version) != MTTY_MIG_VERSION)
		return -EPROTONOSUPPORT;
	if (le16_to_cpu(h->nr_ports) != nr_ports ||
	    le32_to_cpu(h->length) != want || h->reserved)
		return -EINVAL;
	return 0;
}

/**
 * mtty_stream_load() - check a whole stream and load it into a device
 * @cfg: the device's config space
 * @uart: the device's UART
 * @buf: the stream
 * @len: bytes in @buf
 *
 * Nothing is changed unless the whole stream is valid. Takes @cfg->lock
 * and @uart->lock in turn.
 *
 * Return: 0, -EINVAL for a truncated, oversized, corrupt or foreign
 * stream, -EPROTONOSUPPORT for another version of the format.
 */
int mtty_stream_load(struct mtty_cfg *cfg, struct mtty_uart *uart,
		     const void *buf, size_t len)
{
	struct mtty_uart_port ports[MTTY_MAX_PORTS];
	const struct mtty_mig_stream *s = buf;
	const struct mtty_mig_trailer *t;
	unsigned int i;
	int ret;

	if (len != MTTY_MIG_STREAM_SIZE(uart->nr_ports))
		return -EINVAL;
	ret = mtty_stream_check_header(buf, len, uart->nr_ports);
	if (ret)
		return ret;
	t = mtty_stream_trailer(buf, uart->nr_ports);
	if (t->reserved ||
	    le32_to_cpu(t->crc) != mtty_stream_crc(buf, uart->nr_ports))
		return -EINVAL;
	if (!mtty_cfg_image_valid(cfg, s->config))
		return -EINVAL;
	for (i = 0; i < uart->nr_ports; i++) {
		ret = mtty_stream_port_from_wire(&ports[i], &s->port[i]);
		if (ret)
			return ret;
	}

	mtty_cfg_load(cfg, s->config);
	mtty_uart_load(uart, ports);
	return 0;
}
