// SPDX-License-Identifier: GPL-2.0
/*
 * pci_slot_stub: function reset, hot reset, and reset on last close.
 *
 * A function reset touches one function, and is used wherever the
 * function has one. A slot or bus reset touches every function of its
 * scope (struct pss_scope), so it runs only under the device set lock,
 * only when every function of the scope is one of our members of that
 * set, and only when nobody but the caller can be using them:
 *  - VFIO_DEVICE_PCI_HOT_RESET: the caller proves it owns every function
 *    of the scope (struct pss_proof): a group-opened caller with a group fd
 *    per group, a cdev-opened one by the iommufd context it is bound to;
 *  - reset on last close: once no member of the set is open any more, the
 *    scope is reset if a member closed without a function reset.
 * Each is one scope, built once, matched against the set once under its
 * lock, and reset as a whole.
 */
#include <linux/file.h>
#include <linux/iommu.h>
#include <linux/lockdep.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "pss_compat.h"
#include "pss.h"

/* ---- one function ---- */

/*
 * A function reset, with the upstream bridge locked too: on a function
 * alone in a hotplug slot the "function" reset is a secondary bus reset of
 * that bridge, and the PCI core expects the bridge's config access blocked
 * around it (6.12 warns "unlocked secondary bus reset" otherwise). Both are
 * trylocks, so a contended lock is -EAGAIN and never a deadlock.
 */
static int pss_reset_function(struct pci_dev *pdev)
{
	struct pci_dev *bridge = pci_upstream_bridge(pdev);
	int ret;

	if (bridge && !pci_dev_trylock(bridge))
		return -EAGAIN;
	ret = pci_try_reset_function(pdev);
	if (bridge)
		pci_dev_unlock(bridge);
	return ret;
}

/**
 * pss_reset_on_open_locked() - give the opener a freshly reset function
 * @pss: the device being opened
 *
 * As vfio-pci does, a function reset is tried at every open; whether it
 * worked also says whether VFIO_DEVICE_RESET is offered. Called from
 * open_device with the device set lock held, before any user access.
 *
 * Return: 0, or -EAGAIN if a PCI device lock was contended.
 */
int pss_reset_on_open_locked(struct pss_dev *pss)
{
	int ret;

	lockdep_assert_held(&pss->vdev.dev_set->lock);

	ret = pss_reset_function(pss->pdev);
	if (ret == -EAGAIN)
		return ret;
	pss->reset_works = !ret;
	if (pss->reset_works)
		pss_hook_count(pss, PSS_COUNT_FUNC_RESET);
	return 0;
}

/**
 * pss_reset_function_on_close_locked() - reset a closing function alone
 * @pss: the device being closed
 *
 * A function with a function reset gets one; any other is marked as
 * needing the slot or bus reset that pss_reset_set_on_close_locked() does
 * once the whole set is closed. Called from close_device with the device
 * set lock held, after the last user access and before the open-time
 * config state is restored.
 */
void pss_reset_function_on_close_locked(struct pss_dev *pss)
{
	lockdep_assert_held(&pss->vdev.dev_set->lock);

	pss->needs_reset = !pss->reset_works ||
			   pss_reset_function(pss->pdev) != 0;
	if (!pss->needs_reset)
		pss_hook_count(pss, PSS_COUNT_FUNC_RESET);
}

/**
 * pss_ioctl_reset() - VFIO_DEVICE_RESET: reset this function alone
 * @pss: the device, open
 *
 * Offered only when a function reset worked at open. Takes the device set
 * lock, so that it never overlaps a slot or bus reset of the set, and
 * blocks user access to the BARs across the reset (pss_mmio_block_locked()).
 *
 * Return: 0, -EINVAL if there is no function reset, -EAGAIN if a PCI
 * device lock was contended.
 */
long pss_ioctl_reset(struct pss_dev *pss)
{
	struct vfio_device_set *set = pss->vdev.dev_set;
	int ret;

	if (!pss->reset_works)
		return -EINVAL;

	mutex_lock(&set->lock);
	pss_mmio_block_locked(pss);
	ret = pss_reset_function(pss->pdev);
	pss_mmio_unblock(pss);
	mutex_unlock(&set->lock);

	if (!ret)
		pss_hook_count(pss, PSS_COUNT_FUNC_RESET);
	return ret;
}

/* ---- the scope as a whole ---- */

/*
 * Reset every function of @scope, whose functions pss_scope_match_locked()
 * found to be members of the locked set. User access to each is blocked
 * across the reset; a member that is closed has none, and blocking it
 * costs nothing.
 */
static int pss_scope_reset_locked(struct pss_scope *scope)
{
	unsigned int i;
	int ret;

	for (i = 0; i < scope->nr; i++)
		pss_mmio_block_locked(scope->fn[i].member);
	ret = pci_reset_bus(scope->target);
	for (i = 0; i < scope->nr; i++) {
		struct pss_dev *member = scope->fn[i].member;

		if (!ret)
			member->needs_reset = false;
		pss_mmio_unblock(member);
	}
	return ret;
}

/* Count a reset of the scope on each of its members. */
static void pss_scope_count(struct pss_scope *scope, enum pss_count what)
{
	unsigned int i;

	for (i = 0; i < scope->nr; i++)
		pss_hook_count(scope->fn[i].member, what);
}

/**
 * pss_reset_set_on_close_locked() - reset the slot or bus at last close
 * @pss: the device being closed
 *
 * Resets the scope of @pss when no other member of its set is open, a
 * member of the scope closed without a function reset, and every function
 * of the scope is a member. The device being closed still counts in the
 * set's open count while close_device runs, so "no other" is "at most
 * one". Called last in close_device, with the device set lock held.
 */
void pss_reset_set_on_close_locked(struct pss_dev *pss)
{
	struct vfio_device_set *set = pss->vdev.dev_set;
	struct pss_scope *scope;
	bool needed = false;
	unsigned int i;

	lockdep_assert_held(&set->lock);
	if (vfio_device_set_open_count(set) > 1)
		return;

	scope = pss_scope_get(pss->pdev);
	if (IS_ERR(scope))
		return;
	if (pss_scope_match_locked(scope, set)) {
		for (i = 0; i < scope->nr; i++)
			needed |= scope->fn[i].member->needs_reset;
	}
	if (needed && !pss_scope_reset_locked(scope))
		pss_scope_count(scope, PSS_COUNT_CLOSE_RESET);
	pss_scope_put(scope);
}

/* ---- VFIO_DEVICE_GET_PCI_HOT_RESET_INFO ---- */

/*
 * Who owns one function, in the form the caller's open mode asks for: a
 * group-opened caller gets the function's IOMMU group (a function without
 * one, here one that no VFIO driver has bound, cannot be proven owned:
 * -EPERM); a cdev-opened caller gets the function's device id in its
 * iommufd context, or "owned"/"not owned".
 */
static int pss_info_owner(struct pss_dev *pss, const struct pss_scope_fn *fn,
			  struct vfio_pci_dependent_device *dep, u32 *flags)
{
	struct iommu_group *group;
	int id;

	if (pss_compat_cdev_opened(&pss->vdev)) {
		id = fn->member ? pss_compat_iommufd_dev_id(&pss->vdev,
							    &fn->member->vdev) :
				  -ENODEV;
		if (id == -ENOENT)
			id = VFIO_PCI_DEVID_OWNED;
		else if (id < 0)
			id = VFIO_PCI_DEVID_NOT_OWNED;
		if (id == VFIO_PCI_DEVID_NOT_OWNED)
			*flags &= ~VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED;
		pss_compat_set_devid(dep, id);
		return 0;
	}

	group = iommu_group_get(&fn->pdev->dev);
	if (!group)
		return -EPERM;
	dep->group_id = iommu_group_id(group);
	iommu_group_put(group);
	return 0;
}

/*
 * The reply's entries, one per function of @scope: where it is and who
 * owns it. Members are matched under the set lock, which keeps them bound
 * while their device ids are read; the entries are copied out after.
 */
static int pss_info_entries(struct pss_dev *pss, struct pss_scope *scope,
			    struct vfio_pci_dependent_device __user *udeps,
			    u32 *flags)
{
	struct vfio_device_set *set = pss->vdev.dev_set;
	struct vfio_pci_dependent_device *deps;
	unsigned int i;
	int ret = 0;

	deps = kcalloc(scope->nr, sizeof(*deps), GFP_KERNEL);
	if (!deps)
		return -ENOMEM;

	mutex_lock(&set->lock);
	pss_scope_match_locked(scope, set);
	for (i = 0; i < scope->nr && !ret; i++) {
		struct pci_dev *pdev = scope->fn[i].pdev;

		deps[i].segment = pci_domain_nr(pdev->bus);
		deps[i].bus = pdev->bus->number;
		deps[i].devfn = pdev->devfn;
		ret = pss_info_owner(pss, &scope->fn[i], &deps[i], flags);
	}
	mutex_unlock(&set->lock);

	if (!ret && copy_to_user(udeps, deps, scope->nr * sizeof(*deps)))
		ret = -EFAULT;
	kfree(deps);
	return ret;
}

/**
 * pss_ioctl_hot_reset_info() - VFIO_DEVICE_GET_PCI_HOT_RESET_INFO
 * @pss: the device, open
 * @arg: user struct vfio_pci_hot_reset_info, followed by room for entries
 *
 * Lists every function a hot reset of this one would reach. When argsz
 * leaves no room for all of them the call fails with -ENOSPC and count
 * says how many there are, so that the caller can ask again. Takes the
 * device set lock.
 *
 * Return: 0 or -errno: -EINVAL short argsz, -ENODEV no slot or bus reset,
 * -ENOSPC no room, -EPERM a function without an IOMMU group, -EFAULT,
 * -ENOMEM.
 */
long pss_ioctl_hot_reset_info(struct pss_dev *pss, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_pci_hot_reset_info, count);
	struct vfio_pci_hot_reset_info __user *uinfo = arg;
	struct vfio_pci_hot_reset_info hdr;
	struct pss_scope *scope;
	long ret;

	if (copy_from_user(&hdr, uinfo, minsz))
		return -EFAULT;
	if (hdr.argsz < minsz)
		return -EINVAL;

	scope = pss_scope_get(pss->pdev);
	if (IS_ERR(scope))
		return PTR_ERR(scope);

	hdr.count = scope->nr;
	hdr.flags = 0;
	if ((hdr.argsz - minsz) / sizeof(*uinfo->devices) < scope->nr) {
		ret = -ENOSPC;
	} else {
		if (pss_compat_cdev_opened(&pss->vdev))
			hdr.flags = VFIO_PCI_HOT_RESET_FLAG_DEV_ID |
				    VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED;
		ret = pss_info_entries(pss, scope, uinfo->devices, &hdr.flags);
	}
	pss_scope_put(scope);

	/* The header goes back with the entries, or with the count alone. */
	if ((!ret || ret == -ENOSPC) && copy_to_user(uinfo, &hdr, minsz))
		ret = -EFAULT;
	return ret;
}

/* ---- VFIO_DEVICE_PCI_HOT_RESET ---- */

/**
 * struct pss_proof - what a hot-reset caller shows to prove ownership
 * @caller: the device the ioctl came on
 * @groups: the group files a group-opened caller passed, held until the
 *	reset is over; NULL for a cdev-opened caller, whose proof is the
 *	iommufd context @caller is bound to
 * @nr_groups: entries of @groups
 */
struct pss_proof {
	struct pss_dev *caller;
	struct file **groups;
	u32 nr_groups;
};

static void pss_proof_put(struct pss_proof *proof)
{
	while (proof->nr_groups)
		fput(proof->groups[--proof->nr_groups]);
	kfree(proof->groups);
	proof->groups = NULL;
}

/*
 * Take the caller's @count group fds. A function has one group, so more
 * fds than the scope has functions cannot all be needed: -EINVAL, before
 * anything is read. Each fd must be an open VFIO group: -EBADF, -EINVAL.
 */
static int pss_proof_get(struct pss_proof *proof, const s32 __user *ufds,
			 u32 count, unsigned int nr_functions)
{
	struct file *file;
	s32 *fds;
	u32 i;
	int ret = 0;

	if (count > nr_functions)
		return -EINVAL;
	fds = memdup_user(ufds, count * sizeof(*fds));
	if (IS_ERR(fds))
		return PTR_ERR(fds);
	proof->groups = kcalloc(count, sizeof(*proof->groups), GFP_KERNEL);
	if (!proof->groups)
		ret = -ENOMEM;

	for (i = 0; i < count && !ret; i++) {
		file = fget(fds[i]);
		if (!file) {
			ret = -EBADF;
		} else if (!vfio_file_is_group(file)) {
			fput(file);
			ret = -EINVAL;
		} else {
			proof->groups[proof->nr_groups++] = file;
		}
	}
	kfree(fds);
	return ret;
}

static bool pss_proof_covers(const struct pss_proof *proof,
			     struct pss_dev *member)
{
	u32 i;
	int id;

	if (!proof->groups) {
		id = pss_compat_iommufd_dev_id(&proof->caller->vdev,
					       &member->vdev);
		return id > 0 || id == -ENOENT;
	}
	for (i = 0; i < proof->nr_groups; i++)
		if (vfio_file_has_dev(proof->groups[i], &member->vdev))
			return true;
	return false;
}

/*
 * Under the set lock: every function of the scope must be a member
 * (otherwise someone this driver does not know may be using it) and
 * proven owned; then the scope is reset as a whole.
 */
static int pss_hot_reset_scope(struct pss_scope *scope,
			       struct vfio_device_set *set,
			       const struct pss_proof *proof)
{
	unsigned int i;
	int ret = 0;

	mutex_lock(&set->lock);
	if (!pss_scope_match_locked(scope, set))
		ret = -EINVAL;
	for (i = 0; i < scope->nr && !ret; i++)
		if (!pss_proof_covers(proof, scope->fn[i].member))
			ret = -EINVAL;
	if (!ret)
		ret = pss_scope_reset_locked(scope);
	if (!ret)
		pss_scope_count(scope, PSS_COUNT_HOT_RESET);
	mutex_unlock(&set->lock);
	return ret;
}

/**
 * pss_ioctl_hot_reset() - VFIO_DEVICE_PCI_HOT_RESET
 * @pss: the device, open
 * @arg: user struct vfio_pci_hot_reset, followed by the group fds
 *
 * Resets the slot or bus of this function when the caller proves it owns
 * every function the reset reaches, and all of them are members of the
 * set. A group-opened caller passes one fd per group; a cdev-opened caller
 * passes none.
 *
 * Return: 0 or -errno: -EINVAL bad header, fds from a cdev-opened caller
 * or none from a group-opened one, more fds than functions, an fd that is
 * not a group, a function outside the set or not proven owned; -ENODEV no
 * slot or bus reset; -EBADF an fd that is not open; -EFAULT; or the error
 * of pci_reset_bus().
 */
long pss_ioctl_hot_reset(struct pss_dev *pss, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_pci_hot_reset, count);
	struct vfio_pci_hot_reset __user *ureset = arg;
	struct pss_proof proof = { .caller = pss };
	struct vfio_pci_hot_reset hdr;
	struct pss_scope *scope;
	bool cdev;
	int ret;

	if (copy_from_user(&hdr, ureset, minsz))
		return -EFAULT;
	if (hdr.argsz < minsz || hdr.flags)
		return -EINVAL;
	/* The proof must take the form the open mode calls for. */
	cdev = pss_compat_cdev_opened(&pss->vdev);
	if (cdev ? hdr.count : !hdr.count)
		return -EINVAL;

	scope = pss_scope_get(pss->pdev);
	if (IS_ERR(scope))
		return PTR_ERR(scope);

	ret = hdr.count ? pss_proof_get(&proof, ureset->group_fds, hdr.count,
					scope->nr) : 0;
	if (!ret)
		ret = pss_hot_reset_scope(scope, pss->vdev.dev_set, &proof);

	pss_proof_put(&proof);
	pss_scope_put(scope);
	return ret;
}
