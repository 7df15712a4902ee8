/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci_slot_stub: a VFIO driver for real PCI functions (QEMU's edu, or any
 * function bound through driver_override) that groups them into device
 * sets as vfio-pci does, by slot or by bus, and offers slot and bus hot
 * reset with vfio-pci's ownership rules.
 *
 * Files, one job each:
 *   pss_main.c     module init/exit, the pci_driver: probe and remove
 *   pss_vfio.c     the vfio_device_ops: lifecycle, regions, ioctl dispatch
 *   pss_irq.c      GET_IRQ_INFO, SET_IRQS and the request eventfd
 *   pss_scope.c    which set a function joins; what a slot or bus reset
 *                  of it reaches (struct pss_scope)
 *   pss_reset.c    function reset, hot reset and its info, reset on close
 *   pss_mmap.c     BAR mmap, its faults, and revoking user access for a
 *                  reset
 *   pss_config.c   config space passthrough with a write filter (no VFIO)
 *   pss_bar.c      BAR read/write and edu's DMA register guard (no VFIO)
 *   pss_debugfs.c  the test hooks, built only with VFIO_SUITE_TEST_HOOKS=y
 *
 * Lock order: device set lock -> mmap_lock (or the VMA's lock) ->
 * pss_bars.memory_lock -> PCI device locks (which a slot or bus reset
 * only trylocks). A reset holds the set lock and then takes the
 * memory_lock of every function it resets, in set order, for write.
 */
#ifndef PSS_H
#define PSS_H

#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/vfio.h>

#include "pss_bar.h"
#include "pss_config.h"
#include "pss_defs.h"

/* Region offsets in the device fd (see PSS_OFFSET_SHIFT in pss_defs.h). */
#define PSS_INDEX_TO_OFFSET(i)		((u64)(i) << PSS_OFFSET_SHIFT)
#define PSS_OFFSET_TO_INDEX(pos)	((u64)(pos) >> PSS_OFFSET_SHIFT)
#define PSS_OFFSET_MASK			(PSS_INDEX_TO_OFFSET(1) - 1)

struct pss_hooks;

/**
 * struct pss_dev - one PCI function exposed through VFIO
 * @vdev: the VFIO device; first, as vfio_alloc_device() requires
 * @pdev: the function; set at init, constant afterwards
 * @config: config write filter; built at init, constant afterwards
 * @bars: BAR mappings and who may touch them (struct pss_bars)
 * @saved_state: config state at open, restored at close; device set lock
 * @reset_works: a function reset worked at open; device set lock
 * @needs_reset: closed without a function reset, so a slot or bus reset
 *	at the set's last close must cover it; device set lock
 * @irq_lock: protects @req_trigger
 * @req_trigger: eventfd signalled when the driver asks the user to let go
 * @hooks: test hooks' state (pss_debugfs.c); NULL without them
 */
struct pss_dev {
	struct vfio_device vdev;
	struct pci_dev *pdev;
	struct pss_config config;
	struct pss_bars bars;
	struct pci_saved_state *saved_state;
	bool reset_works;
	bool needs_reset;
	struct mutex irq_lock;		/* req_trigger */
	struct eventfd_ctx *req_trigger;
	struct pss_hooks *hooks;
};

static inline struct pss_dev *pss_from_vdev(struct vfio_device *vdev)
{
	return container_of(vdev, struct pss_dev, vdev);
}

/**
 * struct pss_scope_fn - one function a slot or bus reset reaches
 * @pdev: the function; the scope holds a reference
 * @member: its device in the set, once pss_scope_match_locked() found it
 */
struct pss_scope_fn {
	struct pci_dev *pdev;
	struct pss_dev *member;
};

/**
 * struct pss_scope - what a slot or bus reset of one function reaches
 * @target: the function the scope was built for; pci_reset_bus() of it
 *	resets exactly the scope (its slot if that can be reset, else its
 *	bus)
 * @slot: true for a slot reset, false for a bus reset
 * @nr: entries in @fn
 * @fn: every function in or below the slot or bus, in bus walk order
 *
 * Built once by pss_scope_get() for each reset or query and used for the
 * whole of it: the hot-reset info, the ownership check and the reset.
 */
struct pss_scope {
	struct pci_dev *target;
	bool slot;
	unsigned int nr;
	struct pss_scope_fn *fn;
};

/* pss_vfio.c */
extern const struct vfio_device_ops pss_vfio_ops;
extern const struct vfio_device_ops pss_vfio_emulated_ops;
struct pss_dev *pss_dev_of(struct vfio_device *vdev);

/* pss_scope.c */
int pss_set_assign(struct pss_dev *pss);
const char *pss_set_kind(struct pss_dev *pss);
struct pss_scope *pss_scope_get(struct pci_dev *pdev);
void pss_scope_put(struct pss_scope *scope);
bool pss_scope_match_locked(struct pss_scope *scope,
			    struct vfio_device_set *set);

/* pss_reset.c */
int pss_reset_on_open_locked(struct pss_dev *pss);
void pss_reset_function_on_close_locked(struct pss_dev *pss);
void pss_reset_set_on_close_locked(struct pss_dev *pss);
long pss_ioctl_reset(struct pss_dev *pss);
long pss_ioctl_hot_reset_info(struct pss_dev *pss, void __user *arg);
long pss_ioctl_hot_reset(struct pss_dev *pss, void __user *arg);

/* pss_mmap.c */
int pss_mmap_init(void);
void pss_mmap_exit(void);
int pss_mmap_dev_init(struct pss_dev *pss);
void pss_mmap_dev_release(struct pss_dev *pss);
int pss_bar_mmap(struct pss_dev *pss, unsigned int bar,
		 struct vm_area_struct *vma);
void pss_mmio_block_locked(struct pss_dev *pss);
void pss_mmio_unblock(struct pss_dev *pss);

/* pss_irq.c */
long pss_ioctl_get_irq_info(struct pss_dev *pss, void __user *arg);
long pss_ioctl_set_irqs(struct pss_dev *pss, void __user *arg);
bool pss_irq_request(struct pss_dev *pss);
void pss_irq_release(struct pss_dev *pss);

/* ---- Test hooks: pss_debugfs.c, built only with VFIO_SUITE_TEST_HOOKS=y ---- */

/* What the ops count, one debugfs file each (names in pss_defs.h). */
enum pss_count {
	PSS_COUNT_OPEN,		/* open_device() */
	PSS_COUNT_CLOSE,	/* close_device() */
	PSS_COUNT_FUNC_RESET,	/* a function reset that worked */
	PSS_COUNT_CLOSE_RESET,	/* a slot/bus reset at last close covered it */
	PSS_COUNT_HOT_RESET,	/* a VFIO_DEVICE_PCI_HOT_RESET covered it */
	PSS_COUNT_REQUEST,	/* request() */
	PSS_COUNT_BAR_FAULT,	/* a BAR page inserted into a user mapping */
	PSS_NR_COUNTS
};

#ifdef VFIO_SUITE_TEST_HOOKS
void pss_debugfs_init(void);
void pss_debugfs_exit(void);
void pss_debugfs_add(struct pss_dev *pss);
void pss_debugfs_remove(struct pss_dev *pss);
void pss_hook_count(struct pss_dev *pss, enum pss_count what);
#else
static inline void pss_debugfs_init(void) {}
static inline void pss_debugfs_exit(void) {}
static inline void pss_debugfs_add(struct pss_dev *pss) {}
static inline void pss_debugfs_remove(struct pss_dev *pss) {}
static inline void pss_hook_count(struct pss_dev *pss, enum pss_count what) {}
#endif

#endif /* PSS_H */
