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

#endif /* E2E_DEFS_H */
