// SPDX-License-Identifier: GPL-2.0
/*
 * pci_slot_stub: which device set a function joins, and what a slot or bus
 * reset of it covers.
 *
 * A slot or bus reset hits every function in its scope, so it may only run
 * when the driver controls all of them and nobody else uses them. Keying the
 * set by the slot or bus gives one lock and one open count over exactly the
 * functions such a reset touches. The choice is vfio-pci's:
 *  - a function on the root bus has no upstream bridge to reset it, and an
 *    SR-IOV VF is never reset by its bus, so each is a set of its own;
 *  - where the slot can be reset, the set is the slot: functions elsewhere
 *    on the bus are not touched, and stay free to open in parallel;
 *  - otherwise the set is the bus, even when the bus cannot be reset
 *    either: the grouping stays the same and hot reset reports -ENODEV.
 */
#include <linux/lockdep.h>

#include "pss.h"

/**
 * pss_set_kind_of() - how vfio-pci would key this function's set
 * @pdev: the function
 *
 * Return: the kind of set_id to use.
 */
enum pss_set_kind pss_set_kind_of(struct pci_dev *pdev)
{
	if (pci_is_root_bus(pdev->bus) || pdev->is_virtfn)
		return PSS_SET_ALONE;
	if (!pci_probe_reset_slot(pdev->slot))
		return PSS_SET_SLOT;
	return PSS_SET_BUS;
}

/**
 * pss_set_kind_name() - name of a set kind, for debugfs and messages
 * @kind: the kind
 *
 * Return: "alone", "slot" or "bus".
 */
const char *pss_set_kind_name(enum pss_set_kind kind)
{
	switch (kind) {
	case PSS_SET_ALONE:
		return "alone";
	case PSS_SET_SLOT:
		return "slot";
	default:
		return "bus";
	}
}

/**
 * pss_set_assign() - join the device set vfio-pci would choose
 * @pss: the device, allocated and not yet registered
 *
 * The set_id is the pci_slot or pci_bus object itself, as in vfio-pci, so
 * the core puts every function sharing it into one set. Called from probe.
 *
 * Return: 0 or -errno from vfio_assign_device_set().
 */
int pss_set_assign(struct pss_device *pss)
{
	struct pci_dev *pdev = pss->pdev;
	void *set_id;

	pss->set_kind = pss_set_kind_of(pdev);
	switch (pss->set_kind) {
	case PSS_SET_ALONE:
		set_id = pss;
		break;
	case PSS_SET_SLOT:
		set_id = pdev->slot;
		break;
	default:
		set_id = pdev->bus;
		break;
	}
	return vfio_assign_device_set(&pss->vdev, set_id);
}

/**
 * pss_scope_of() - what a slot or bus reset of this function would cover
 * @pdev: the function
 *
 * Probed every time, as vfio-pci does, because a slot's reset support can
 * change (a hotplug driver binding or unbinding).
 *
 * Return: the reset scope, or PSS_SCOPE_NONE.
 */
enum pss_scope pss_scope_of(struct pci_dev *pdev)
{
	if (!pci_probe_reset_slot(pdev->slot))
		return PSS_SCOPE_SLOT;
	if (!pci_probe_reset_bus(pdev->bus))
		return PSS_SCOPE_BUS;
	return PSS_SCOPE_NONE;
}

struct pss_walk {
	int (*fn)(struct pci_dev *pdev, void *data);
	void *data;
	struct pci_slot *slot;
	int ret;
};

/* Is @pdev in @slot, or below a bridge that is? */
static bool pss_below_slot(struct pci_dev *pdev, struct pci_slot *slot)
{
	for (; pdev; pdev = pdev->bus->self)
		if (pdev->bus == slot->bus)
			return pdev->slot == slot;
	return false;
}

static int pss_walk_one(struct pci_dev *pdev, void *data)
{
	struct pss_walk *walk = data;

	if (walk->slot && !pss_below_slot(pdev, walk->slot))
		return 0;
	walk->ret = walk->fn(pdev, walk->data);
	return walk->ret;
}

/**
 * pss_scope_for_each() - call @fn on every function a reset would cover
 * @pdev: any function in the scope
 * @scope: PSS_SCOPE_SLOT or PSS_SCOPE_BUS, from pss_scope_of()
 * @fn: callback; a nonzero return stops the walk
 * @data: passed to @fn
 *
 * Return: the first nonzero value @fn returned, or 0.
 */
int pss_scope_for_each(struct pci_dev *pdev, enum pss_scope scope,
		       int (*fn)(struct pci_dev *pdev, void *data), void *data)
{
	struct pss_walk walk = {
		.fn = fn,
		.data = data,
		.slot = scope == PSS_SCOPE_SLOT ? pdev->slot : NULL,
	};

	if (scope == PSS_SCOPE_NONE)
		return -ENODEV;
	pci_walk_bus(pdev->bus, pss_walk_one, &walk);
	return walk.ret;
}

/**
 * pss_set_find_locked() - the member of @set driving @pdev
 * @set: a device set, with its lock held
 * @pdev: a function
 *
 * A set is keyed by a pci_slot or pci_bus, so another driver keying the same
 * way (vfio-pci) could share it; only members with our ops are returned.
 *
 * Return: our device for @pdev, or NULL.
 */
struct pss_device *pss_set_find_locked(struct vfio_device_set *set,
				       struct pci_dev *pdev)
{
	struct vfio_device *vdev;

	lockdep_assert_held(&set->lock);
	list_for_each_entry(vdev, &set->device_list, dev_set_list)
		if (vdev->dev == &pdev->dev)
			return vdev->ops == &pss_vfio_ops ?
			       pss_from_vdev(vdev) : NULL;
	return NULL;
}

/**
 * pss_set_is_ours_locked() - are all members of @set our devices?
 * @set: a device set, with its lock held
 *
 * Return: false if another driver shares the set; then we cannot know its
 * members' state and never reset them.
 */
bool pss_set_is_ours_locked(struct vfio_device_set *set)
{
	struct vfio_device *vdev;

	lockdep_assert_held(&set->lock);
	list_for_each_entry(vdev, &set->device_list, dev_set_list)
		if (vdev->ops != &pss_vfio_ops)
			return false;
	return true;
}

static int pss_in_set(struct pci_dev *pdev, void *data)
{
	return pss_set_find_locked(data, pdev) ? 0 : -ENODEV;
}

/**
 * pss_set_resettable_locked() - may @set be reset as a whole?
 * @set: a device set, with its lock held
 *
 * Every function a slot or bus reset would hit must be one of our members,
 * so that all of them stay bound and their users are known.
 *
 * Return: the function to pass to pci_reset_bus(), or NULL.
 */
struct pci_dev *pss_set_resettable_locked(struct vfio_device_set *set)
{
	struct pss_device *first;
	enum pss_scope scope;

	lockdep_assert_held(&set->lock);
	if (list_empty(&set->device_list) || !pss_set_is_ours_locked(set))
		return NULL;

	/* Every member shares the slot or bus, so any one will do. */
	first = pss_from_vdev(list_first_entry(&set->device_list,
					       struct vfio_device,
					       dev_set_list));
	scope = pss_scope_of(first->pdev);
	if (scope == PSS_SCOPE_NONE)
		return NULL;
	if (pss_scope_for_each(first->pdev, scope, pss_in_set, set))
		return NULL;
	return first->pdev;
}
