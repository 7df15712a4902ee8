/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci_slot_stub: what the driver and its selftests agree on.
 *
 * Included by the driver and by selftests/pci_slot_stub_*.c, so it uses
 * only types both sides have.
 */
#ifndef PSS_DEFS_H
#define PSS_DEFS_H

/* Region i starts at file offset i << 40 of the device fd, as in vfio-pci. */
#define PSS_OFFSET_SHIFT	40

/* The device QEMU calls "edu", bound by ID; anything else by override. */
#define PSS_EDU_VENDOR		0x1234
#define PSS_EDU_DEVICE		0x11e8

/* edu BAR0 registers (QEMU hw/misc/edu.c): 32-bit accesses only. */
#define PSS_EDU_ID		0x00	/* reads 0x010000ed */
#define PSS_EDU_LIVENESS	0x04	/* reads back ~value; NOT reset */
#define PSS_EDU_FACTORIAL	0x08
/*
 * DMA source, destination, count and command: writing the command starts a
 * DMA. The driver refuses writes to 0x80-0x9f and maps their page read-only.
 */
#define PSS_EDU_DMA_SRC		0x80
#define PSS_EDU_DMA_DST		0x88
#define PSS_EDU_DMA_COUNT	0x90
#define PSS_EDU_DMA_CMD		0x98

/*
 * debugfs: /sys/kernel/debug/pci_slot_stub/<pci name>/, present when the
 * driver is built with VFIO_SUITE_TEST_HOOKS=y (the suite's build):
 *   open_count, close_count   open_device()/close_device() calls so far
 *   set_kind                  "alone", "slot" or "bus": the object the
 *                             device set is keyed by (its set_id)
 *   set_members               pci names of the set's members, one a line
 *   set_reset_count           slot/bus resets on last close that covered
 *                             this device
 *   hot_reset_count           VFIO_DEVICE_PCI_HOT_RESET resets covering it
 *   func_reset_count          function resets (open, close, DEVICE_RESET)
 *   request_count             release requests from the unbind path
 *   bar_fault_count           BAR pages inserted into user mappings by the
 *                             fault handler (a reset zaps them; the next
 *                             access faults them back in)
 */
#define PSS_DEBUGFS_DIR		"pci_slot_stub"

#endif /* PSS_DEFS_H */
