/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci_slot_stub: a VFIO driver for real PCI functions (QEMU's edu, or any
 * function bound through driver_override) that groups them into device
 * sets exactly as vfio-pci does, and does vfio-pci's slot/bus hot reset.
 *
 * Identifiers use the short prefix pss_ (pci_slot_stub). Files:
 *   pss_main.c     the pci_driver: probe/remove, module init
 *   pss_vfio.c     vfio_device_ops: lifecycle, ioctl dispatch, regions
 *   pss_setid.c    which set a function joins, and what a reset covers
 *   pss_reset.c    function reset, hot reset, reset on last close
 *   pss_req.c      the request eventfd used by the unbind path
 *   pss_config.c   config space passthrough with a write filter (no VFIO)
 *   pss_bar.c      BAR read/write, edu's DMA register guard (no VFIO)
 *   pss_mmap.c     BAR mmap, faults, zapping mappings before a reset
 *   pss_debugfs.c  counters for the selftests
 *   pss_chunk.h    how BAR and config accesses are split
 *
 * Lock order: device set lock -> mmap_lock -> pss_bars.vma_lock ->
 * pss_bars.memory_lock -> PCI device locks (the PCI core only trylocks
 * these during a slot or bus reset). A hot reset holds several functions'
 * memory_lock and so only trylocks anything above it.
 */
#ifndef PSS_H
#define PSS_H

#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/vfio.h>

#include "pss_bar.h"
#include "pss_config.h"

/**
 * enum pss_set_kind - what a function's device set is keyed by
 * @PSS_SET_ALONE: the function itself (root bus, or an SR-IOV VF)
 * @PSS_SET_SLOT: its pci_slot, because the slot can be reset
 * @PSS_SET_BUS: its pci_bus, whether or not the bus can be reset
 */
enum pss_set_kind {
	PSS_SET_ALONE,
	PSS_SET_SLOT,
	PSS_SET_BUS,
};

/**
 * enum pss_scope - what a slot or bus reset of a function covers
 * @PSS_SCOPE_NONE: neither a slot nor a bus reset is possible
 * @PSS_SCOPE_SLOT: every function in or below its slot
 * @PSS_SCOPE_BUS: every function on or below its bus
 */
enum pss_scope {
	PSS_SCOPE_NONE,
	PSS_SCOPE_SLOT,
	PSS_SCOPE_BUS,
};

/**
 * struct pss_stats - counters shown in debugfs for the selftests
 * @open_count: open_device() calls
 * @close_count: close_device() calls
 * @set_reset_count: slot/bus resets on last close that covered the function
 * @hot_reset_count: VFIO_DEVICE_PCI_HOT_RESET resets that covered it
 * @func_reset_count: successful function resets
 *
 * All are written with the device set lock held and read locklessly by
 * debugfs, which only needs a value that was true at some point.
 */
struct pss_stats {
	u32 open_count;
	u32 close_count;
	u32 set_reset_count;
	u32 hot_reset_count;
	u32 func_reset_count;
};

/**
 * struct pss_device - one PCI function exposed through VFIO
 * @vdev: the VFIO device; first, as vfio_alloc_device() requires
 * @pdev: the function; set at init, constant afterwards
 * @set_kind: how the set was keyed; set at probe, constant afterwards
 * @config: config write filter; built at init, constant afterwards
 * @bars: BAR mappings and their reset exclusion (see struct pss_bars)
 * @saved_state: config state at open, restored at close; device set lock
 * @reset_works: a function reset works; found at open, device set lock
 * @needs_reset: closed without a clean function reset, so the next slot or
 *	bus reset on last close must cover it; device set lock
 * @req_lock: protects @req_trigger and @request_count
 * @req_trigger: eventfd signalled when the driver is asked to let go
 * @request_count: request() calls, for debugfs
 * @stats: counters, see struct pss_stats
 * @debugfs: this function's debugfs directory; probe to remove
 */
struct pss_device {
	struct vfio_device vdev;
	struct pci_dev *pdev;
	enum pss_set_kind set_kind;
	struct pss_config config;
	struct pss_bars bars;
	struct pci_saved_state *saved_state;
	bool reset_works;
	bool needs_reset;
	struct mutex req_lock;		/* req_trigger, request_count */
	struct eventfd_ctx *req_trigger;
	u32 request_count;
	struct pss_stats stats;
	struct dentry *debugfs;
};

static inline struct pss_device *pss_from_vdev(struct vfio_device *vdev)
{
	return container_of(vdev, struct pss_device, vdev);
}

/* pss_vfio.c */
extern const struct vfio_device_ops pss_vfio_ops;

/* pss_setid.c */
enum pss_set_kind pss_set_kind_of(struct pci_dev *pdev);
int pss_set_assign(struct pss_device *pss);
const char *pss_set_kind_name(enum pss_set_kind kind);
enum pss_scope pss_scope_of(struct pci_dev *pdev);
int pss_scope_for_each(struct pci_dev *pdev, enum pss_scope scope,
		       int (*fn)(struct pci_dev *pdev, void *data), void *data);
struct pss_device *pss_set_find_locked(struct vfio_device_set *set,
				       struct pci_dev *pdev);
bool pss_set_is_ours_locked(struct vfio_device_set *set);
struct pci_dev *pss_set_resettable_locked(struct vfio_device_set *set);

/* pss_reset.c */
int pss_reset_on_open_locked(struct pss_device *pss);
void pss_reset_close_function_locked(struct pss_device *pss);
void pss_reset_close_set_locked(struct vfio_device_set *set);
long pss_ioctl_reset(struct pss_device *pss);
long pss_ioctl_hot_reset_info(struct pss_device *pss, void __user *arg);
long pss_ioctl_hot_reset(struct pss_device *pss, void __user *arg);

/* pss_req.c */
long pss_ioctl_get_irq_info(struct pss_device *pss, void __user *arg);
long pss_ioctl_set_irqs(struct pss_device *pss, void __user *arg);
void pss_req_release(struct pss_device *pss);
void pss_request(struct vfio_device *vdev, unsigned int count);

/* pss_debugfs.c */
void pss_debugfs_add(struct pss_device *pss);
void pss_debugfs_remove(struct pss_device *pss);
void pss_debugfs_init(void);
void pss_debugfs_exit(void);

#endif /* PSS_H */
