/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the two sides of make check-e2e agree on: the L2 guest's helper
 * (e2e_guest.c) draws and sends these patterns, the L1 test (e2e_test.c)
 * checks what came through the devices against them, and the L2 init
 * script (scripts/guest/l2-init) prints the lines the L1 test parses.
 * Plain C and macros only: both programs are static userspace binaries.
 */
#ifndef E2E_DEFS_H
#define E2E_DEFS_H

#include <linux/types.h>

/*
 * Every line the L2 guest means for L1 starts with this on its console
 * (L2's ttyS0, nested QEMU's stdout in L1):
 *
 *   E2E booted
 *   E2E fb <name> <vendor> <seed> <width> <height>     a frame was drawn
 *   E2E tty <name> <port> <seed> <len> <ok|bad N>      a stream came back
 *   E2E drawn                                          all frames are drawn
 *   E2E error <text>                                   something failed in L2
 *
 * and L2 then waits for a line on its console before it powers off.
 */
#define E2E_TAG			"E2E "

/* The seeds: a different picture per device, so a mix-up shows. */
#define E2E_SEED_MDPY		0x11
#define E2E_SEED_BOCHS		0x22
/* One stream per mtty port, each with its own seed. */
#define E2E_SEED_TTY(port)	(0x40 + (port))
/* Bytes per stream: every byte value twice. */
#define E2E_TTY_LEN		512

/* The XRGB8888 pixel at (@x, @y) of the frame drawn with @seed. */
static inline __u32 e2e_pixel(__u32 seed, __u32 x, __u32 y)
{
	return ((x * 3 + seed) & 0xff) << 16 | ((y * 5 + seed) & 0xff) << 8 |
	       ((x ^ y ^ seed) & 0xff);
}

/* Byte @i of the stream sent with @seed: every value 0-255 in turn. */
static inline __u8 e2e_tty_byte(__u32 seed, __u32 i)
{
	return (i * 167 + seed) & 0xff;
}

/*
 * The stream L1 sends into mtty port E2E_RX_PORT's receive side through
 * the device: another seed and another formula than L2's own streams, so
 * that a stale byte of those cannot pass for it.
 */
#define E2E_SEED_RX		0x5a
#define E2E_RX_PORT		0
#define E2E_RX_LEN		256

/* Byte @i of L1's stream: every value 0-255 once per 256 bytes. */
static inline __u8 e2e_rx_byte(__u32 i)
{
	return ((i * 13) ^ E2E_SEED_RX) & 0xff;
}

/* The checksum L2 reports over what it received (Fletcher-16). */
static inline __u16 e2e_sum(const __u8 *buf, __u32 len)
{
	__u32 a = 0, b = 0, i;

	for (i = 0; i < len; i++) {
		a = (a + buf[i]) % 255;
		b = (b + a) % 255;
	}
	return b << 8 | a;
}

#endif /* E2E_DEFS_H */
