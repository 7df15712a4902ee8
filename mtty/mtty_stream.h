/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The mtty migration stream format
 */
#ifndef MTTY_STREAM_H
#define MTTY_STREAM_H

#include <linux/types.h>

#include "mtty_cfg.h"
#include "mtty_uart.h"

void mtty_stream_save_header(void *buf, unsigned int nr_ports);
void mtty_stream_save_body(struct mtty_cfg *cfg, struct mtty_uart *uart,
			   void *buf);
int mtty_stream_check_header(const void *buf, size_t len,
			     unsigned int nr_ports);
int mtty_stream_load(struct mtty_cfg *cfg, struct mtty_uart *uart,
		     const void *buf, size_t len);

#endif /* MTTY_STREAM_H */
