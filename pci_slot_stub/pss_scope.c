// SPDX-License-Identifier: GPL-2.0
/*
 * pci_slot_stub: which device set a function joins, and what a slot or bus
 * reset of it reaches.
 *
 * A slot or bus reset reaches every function in its scope, so it may run
 * only when the driver controls all of them and nobody else uses them.
 * Keying the device set by the slot or the bus gives exactly those
 * functions one lock and one open count. The key is vfio-pci's, so that
 * the two drivers agree on what shares a set:
 *  - a function on a root bus has no bridge above it to reset it, and an
 *    SR-IOV VF is never reset through its bus: each is a set of its own;
 *  - a function whose slot can be reset shares the slot's set: functions
 *    elsewhere on the bus are not reached, and stay free to open in
 *    parallel;
 *  - any other function shares its bus's set, even when the bus cannot be
 *    reset either: the grouping stays the same, and hot reset says -ENODEV.
 *
 * The keys are the kernel's own pci_slot and pci_bus objects, so another
 * driver that keys the same way (vfio-pci on a sibling function) joins
 * the same set. Nothing here assumes a member is ours: pss_dev_of() says.
 *
 * What a reset reaches is found again for every reset and query, not
 * kept from probe: a hotplug driver that binds or unbinds changes whether
 * a slot can be reset.
 */
#include <linux/lockdep.h>
#include <linux/slab.h>

#include "pss.h"

/* ---- the set ---- */

static void *pss_set_key(struct pss_dev *pss)
{
	struct pci_dev *pdev = pss->pdev;

	if (pdev->is_virtfn || pci_is_root_bus(pdev->bus))
		return pss;
	return pci_probe_reset_slot(pdev->slot) ? (void *)pdev->bus :
						  (void *)pdev->slot;
}

/**
 * pss_set_assign() - join the device set vfio-pci would choose
 * @pss: the device, allocated and not yet registered
 *
 * Called from probe, before registration.
 *
 * Return: 0 or -errno from vfio_assign_device_set().
 */
int pss_set_assign(struct pss_dev *pss)
{
	return vfio_assign_device_set(&pss->vdev, pss_set_key(pss));
}

/**
 * pss_set_kind() - what the function's device set is keyed by
 * @pss: a registered device
 *
 * Read back from the set's own set_id, so that it names the key the set
 * really has, whatever chose it.
 *
 * Return: "alone", "slot", "bus", or "other" for a key that is none of
 * the function's own objects.
 */
const char *pss_set_kind(struct pss_dev *pss)
{
	void *key = pss->vdev.dev_set->set_id;

	if (key == pss)
		return "alone";
	if (pss->pdev->slot && key == pss->pdev->slot)
		return "slot";
	if (key == pss->pdev->bus)
		return "bus";
	return "other";
}

/* ---- the reset scope ---- */

static int pss_scope_add(struct pss_scope *scope, struct pci_dev *pdev)
{
	struct pss_scope_fn *fn;

	fn = krealloc_array(scope->fn, scope->nr + 1, sizeof(*fn), GFP_KERNEL);
	if (!fn)
		return -ENOMEM;
	scope->fn = fn;
	fn[scope->nr].pdev = pci_dev_get(pdev);
	fn[scope->nr].member = NULL;
	scope->nr++;
	return 0;
}

/*
 * Add the functions of @bus that are in @slot (all of them if @slot is
 * NULL), each followed by everything below it when it is a bridge: a
 * reset of a bus reaches every bus below it. Looking each devfn up, rather
 * than walking the bus and climbing back up from every function, makes
 * the slot test a plain comparison at the top level. The recursion is as
 * deep as the bridges are nested.
 */
static int pss_scope_collect(struct pss_scope *scope, struct pci_bus *bus,
			     struct pci_slot *slot)
{
	unsigned int devfn;
	int ret = 0;

	for (devfn = 0; devfn < 256 && !ret; devfn++) {
		struct pci_dev *pdev = pci_get_slot(bus, devfn);

		if (!pdev)
			continue;
		if (!slot || pdev->slot == slot) {
			ret = pss_scope_add(scope, pdev);
			if (!ret && pdev->subordinate)
				ret = pss_scope_collect(scope, pdev->subordinate,
							NULL);
		}
		pci_dev_put(pdev);
	}
	return ret;
}

/**
 * pss_scope_put() - free a scope and drop its references
 * @scope: from pss_scope_get()
 */
void pss_scope_put(struct pss_scope *scope)
{
	unsigned int i;

	for (i = 0; i < scope->nr; i++)
		pci_dev_put(scope->fn[i].pdev);
	pci_dev_put(scope->target);
	kfree(scope->fn);
	kfree(scope);
}

/**
 * pss_scope_get() - every function a slot or bus reset of @pdev reaches
 * @pdev: the function
 *
 * The choice is pci_reset_bus()'s: the slot when it can be reset, else the
 * bus when it can. Called with or without the device set lock.
 *
 * Return: the scope, to free with pss_scope_put(); ERR_PTR(-ENODEV) when
 * neither can be reset, or ERR_PTR(-ENOMEM).
 */
struct pss_scope *pss_scope_get(struct pci_dev *pdev)
{
	struct pss_scope *scope;
	bool slot;
	int ret;

	slot = !pci_probe_reset_slot(pdev->slot);
	if (!slot && pci_probe_reset_bus(pdev->bus))
		return ERR_PTR(-ENODEV);

	scope = kzalloc(sizeof(*scope), GFP_KERNEL);
	if (!scope)
		return ERR_PTR(-ENOMEM);
	scope->target = pci_dev_get(pdev);
	scope->slot = slot;

	ret = pss_scope_collect(scope, pdev->bus, slot ? pdev->slot : NULL);
	if (ret) {
		pss_scope_put(scope);
		return ERR_PTR(ret);
	}
	return scope;
}

/**
 * pss_scope_match_locked() - find each function of a scope in a set
 * @scope: from pss_scope_get()
 * @set: the device set of the function the scope was built for, locked
 *
 * Sets each entry's member to our device for that function in @set, or
 * NULL: a function that is unbound, bound elsewhere, or in another set.
 * The members stay valid while the set lock is held.
 *
 * Return: true if every function of the scope is one of our members,
 * the condition for resetting it.
 */
bool pss_scope_match_locked(struct pss_scope *scope,
			    struct vfio_device_set *set)
{
	struct vfio_device *vdev;
	bool all = true;
	unsigned int i;

	lockdep_assert_held(&set->lock);
	for (i = 0; i < scope->nr; i++) {
		struct pss_scope_fn *fn = &scope->fn[i];

		fn->member = NULL;
		list_for_each_entry(vdev, &set->device_list, dev_set_list)
			if (vdev->dev == &fn->pdev->dev)
				fn->member = pss_dev_of(vdev);
		if (!fn->member)
			all = false;
	}
	return all;
}
