// SPDX-License-Identifier: GPL-2.0
/*
 * pci_slot_stub: function reset, hot reset, and reset on last close.
 *
 * A function reset touches one function and is used whenever the function
 * has one. A slot or bus reset touches every function in its scope, so it
 * runs only under the device set lock (one lock over exactly that scope),
 * only when every function in the scope is a member of the set, and only
 * when the caller owns every member or nobody uses any of them:
 *  - VFIO_DEVICE_PCI_HOT_RESET: the user proves ownership of each member by
 *    passing a group fd holding it (or, for a cdev-opened device, by the
 *    iommufd context it is bound to). Errnos follow vfio-pci.
 *  - reset on last close: when the last open member of a set closes and a
 *    member was left without a clean function reset, the set is reset once.
 *    The closing device still counts as open while close_device() runs, so
 *    "nobody else" is vfio_device_set_open_count() <= 1.
 */
#include <linux/file.h>
#include <linux/iommu.h>
#include <linux/lockdep.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vfio_suite_compat.h"
#include "pss.h"

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
 * As vfio-pci does, try a function reset at open; whether it worked also
 * tells whether VFIO_DEVICE_RESET is offered. Called from open_device with
 * the device set lock held, before any user access exists.
 *
 * Return: 0, or -EAGAIN if the PCI device lock was contended.
 */
int pss_reset_on_open_locked(struct pss_device *pss)
{
	int ret;

	lockdep_assert_held(&pss->vdev.dev_set->lock);

	ret = pss_reset_function(pss->pdev);
	if (ret == -EAGAIN)
		return ret;

	pss->reset_works = !ret;
	if (!ret)
		pss->stats.func_reset_count++;
	return 0;
}

/**
 * pss_reset_close_function_locked() - reset a closing function alone
 * @pss: the device being closed
 *
 * A function reset is used when there is one; otherwise the function is
 * marked as needing the set reset that pss_reset_close_set_locked() does
 * once the whole set is closed. Called from close_device with the device set
 * lock held, after the last user access is gone and before the open-time
 * config state is restored (the reset saves and restores what it finds).
 */
void pss_reset_close_function_locked(struct pss_device *pss)
{
	lockdep_assert_held(&pss->vdev.dev_set->lock);

	pss->needs_reset = true;
	if (pss->reset_works && !pss_reset_function(pss->pdev)) {
		pss->needs_reset = false;
		pss->stats.func_reset_count++;
	}
}

/**
 * pss_reset_close_set_locked() - reset the slot or bus on last close
 * @set: the set of the device being closed
 *
 * Resets when nobody else in the set has it open, a member needs a reset,
 * and every function the reset hits is a member. The device being closed
 * still counts as open, hence "> 1" (the 6.1 fix to vfio-pci). Called last
 * in close_device, with the device set lock held.
 */
void pss_reset_close_set_locked(struct vfio_device_set *set)
{
	struct vfio_device *vdev;
	struct pci_dev *pdev;
	bool needed = false;

	lockdep_assert_held(&set->lock);

	if (vfio_device_set_open_count(set) > 1)
		return;
	if (!pss_set_is_ours_locked(set))
		return;

	list_for_each_entry(vdev, &set->device_list, dev_set_list)
		needed |= pss_from_vdev(vdev)->needs_reset;
	if (!needed)
		return;

	pdev = pss_set_resettable_locked(set);
	if (!pdev || pci_reset_bus(pdev))
		return;

	list_for_each_entry(vdev, &set->device_list, dev_set_list) {
		struct pss_device *member = pss_from_vdev(vdev);

		member->needs_reset = false;
		member->stats.set_reset_count++;
	}
}

/**
 * pss_ioctl_reset() - VFIO_DEVICE_RESET: reset this function alone
 * @pss: the device
 *
 * Offered only when a function reset worked at open, as in vfio-pci. Takes
 * the device set lock so that it never overlaps a hot reset of the set.
 *
 * User mappings of the BARs are zapped first and fault back in afterwards.
 *
 * Return: 0, -EINVAL if there is no function reset, -EAGAIN if the PCI
 * device lock was contended.
 */
long pss_ioctl_reset(struct pss_device *pss)
{
	struct vfio_device_set *set = pss->vdev.dev_set;
	int ret;

	if (!pss->reset_works)
		return -EINVAL;

	mutex_lock(&set->lock);
	ret = pss_bars_lock_for_reset(&pss->bars, true);
	if (ret)
		goto out_unlock_set;

	ret = pss_reset_function(pss->pdev);
	if (!ret)
		pss->stats.func_reset_count++;

	pss_bars_unlock_after_reset(&pss->bars);
out_unlock_set:
	mutex_unlock(&set->lock);
	return ret;
}

/* ---- VFIO_DEVICE_GET_PCI_HOT_RESET_INFO ---- */

static int pss_count_one(struct pci_dev *pdev, void *data)
{
	(*(u32 *)data)++;
	return 0;
}

struct pss_fill {
	struct pss_device *pss;
	struct vfio_pci_dependent_device *devices;
	u32 max;
	u32 count;
	u32 flags;
};

/* For a cdev-opened caller, report iommufd ownership instead of groups. */
static void pss_fill_devid(struct pss_fill *fill, struct pci_dev *pdev,
			   struct vfio_pci_dependent_device *dep)
{
	struct pss_device *member;
	int id = VFIO_PCI_DEVID_NOT_OWNED;

	member = pss_set_find_locked(fill->pss->vdev.dev_set, pdev);
	if (member) {
		id = vfio_suite_iommufd_dev_id(&fill->pss->vdev,
					       &member->vdev);
		if (id == -ENOENT)
			id = VFIO_PCI_DEVID_OWNED;
		else if (id <= 0)
			id = VFIO_PCI_DEVID_NOT_OWNED;
	}
	vfio_suite_dependent_set_devid(dep, id);
	if (id == VFIO_PCI_DEVID_NOT_OWNED)
		fill->flags &= ~VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED;
}

static int pss_fill_one(struct pci_dev *pdev, void *data)
{
	struct pss_fill *fill = data;
	struct vfio_pci_dependent_device *dep;
	struct iommu_group *group;

	/* The topology changed since we counted. */
	if (fill->count >= fill->max)
		return -EAGAIN;

	dep = &fill->devices[fill->count++];
	dep->segment = pci_domain_nr(pdev->bus);
	dep->bus = pdev->bus->number;
	dep->devfn = pdev->devfn;

	if (fill->flags & VFIO_PCI_HOT_RESET_FLAG_DEV_ID) {
		pss_fill_devid(fill, pdev, dep);
		return 0;
	}

	/*
	 * A function not bound to a VFIO driver has no (emulated) group here,
	 * just as a non-isolated function has none under vfio-pci.
	 */
	group = iommu_group_get(&pdev->dev);
	if (!group)
		return -EPERM;
	dep->group_id = iommu_group_id(group);
	iommu_group_put(group);
	return 0;
}

/**
 * pss_ioctl_hot_reset_info() - VFIO_DEVICE_GET_PCI_HOT_RESET_INFO
 * @pss: the device
 * @arg: user struct vfio_pci_hot_reset_info
 *
 * Lists every function a hot reset of this one would hit. A buffer too
 * small for the list gets -ENOSPC with the count needed in the header.
 *
 * Return: 0 or -errno: -EINVAL short argsz, -ENODEV no slot or bus reset,
 * -ENOSPC small buffer, -EPERM a function without a group, -EFAULT.
 */
long pss_ioctl_hot_reset_info(struct pss_device *pss, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_pci_hot_reset_info, count);
	struct vfio_pci_hot_reset_info __user *uinfo = arg;
	struct vfio_pci_hot_reset_info hdr;
	struct pss_fill fill = { .pss = pss };
	enum pss_scope scope;
	u32 count = 0;
	int ret;

	if (copy_from_user(&hdr, uinfo, minsz))
		return -EFAULT;
	if (hdr.argsz < minsz)
		return -EINVAL;
	hdr.flags = 0;

	scope = pss_scope_of(pss->pdev);
	if (scope == PSS_SCOPE_NONE)
		return -ENODEV;

	pss_scope_for_each(pss->pdev, scope, pss_count_one, &count);
	if (count > (hdr.argsz - minsz) / sizeof(*fill.devices)) {
		hdr.count = count;
		ret = -ENOSPC;
		goto out_copy_hdr;
	}

	fill.devices = kcalloc(count, sizeof(*fill.devices), GFP_KERNEL);
	if (!fill.devices)
		return -ENOMEM;
	fill.max = count;
	if (vfio_suite_cdev_opened(&pss->vdev))
		fill.flags = VFIO_PCI_HOT_RESET_FLAG_DEV_ID |
			     VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED;

	mutex_lock(&pss->vdev.dev_set->lock);
	ret = pss_scope_for_each(pss->pdev, scope, pss_fill_one, &fill);
	mutex_unlock(&pss->vdev.dev_set->lock);
	if (ret)
		goto out_free;

	if (copy_to_user(uinfo->devices, fill.devices,
			 fill.count * sizeof(*fill.devices))) {
		ret = -EFAULT;
		goto out_free;
	}
	hdr.count = fill.count;
	hdr.flags = fill.flags;

out_copy_hdr:
	if (copy_to_user(uinfo, &hdr, minsz))
		ret = -EFAULT;
out_free:
	kfree(fill.devices);
	return ret;
}

/* ---- VFIO_DEVICE_PCI_HOT_RESET ---- */

/**
 * struct pss_owner - how a hot-reset caller proves it owns the set
 * @files: group files passed by a group-opened caller, or NULL
 * @nr_files: entries in @files
 * @cdev: for a cdev-opened caller (@files NULL), the device it called on
 */
struct pss_owner {
	struct file **files;
	u32 nr_files;
	struct vfio_device *cdev;
};

static bool pss_owner_owns(const struct pss_owner *owner,
			   struct vfio_device *vdev)
{
	u32 i;
	int id;

	if (!owner->files) {
		id = vfio_suite_iommufd_dev_id(owner->cdev, vdev);
		return id > 0 || id == -ENOENT;
	}
	for (i = 0; i < owner->nr_files; i++)
		if (vfio_file_has_dev(owner->files[i], vdev))
			return true;
	return false;
}

/* Release the memory locks of the first @nr members of @set. */
static void pss_set_unlock_bars_locked(struct vfio_device_set *set,
				       unsigned int nr)
{
	struct vfio_device *vdev;

	list_for_each_entry(vdev, &set->device_list, dev_set_list) {
		if (!nr--)
			break;
		pss_bars_unlock_after_reset(&pss_from_vdev(vdev)->bars);
	}
}

static int pss_set_hot_reset(struct vfio_device_set *set,
			     const struct pss_owner *owner)
{
	struct vfio_device *vdev;
	unsigned int locked = 0;
	struct pci_dev *pdev;
	int ret = 0;

	mutex_lock(&set->lock);

	pdev = pss_set_resettable_locked(set);
	if (!pdev) {
		ret = -EINVAL;
		goto out_unlock_set;
	}

	/*
	 * Check ownership, then zap every member's BAR mappings and lock its
	 * BARs. Only trylock: a held lock means a user access is in flight,
	 * and vfio-pci answers that with -EBUSY rather than sleeping on one
	 * rwsem after another (and sleeping on a user's mmap_lock while
	 * holding another member's memory_lock could deadlock).
	 */
	list_for_each_entry(vdev, &set->device_list, dev_set_list) {
		if (!pss_owner_owns(owner, vdev)) {
			ret = -EINVAL;
			break;
		}
		ret = pss_bars_lock_for_reset(&pss_from_vdev(vdev)->bars,
					      false);
		if (ret)
			break;
		locked++;
	}

	if (!ret)
		ret = pci_reset_bus(pdev);
	if (!ret) {
		list_for_each_entry(vdev, &set->device_list, dev_set_list) {
			struct pss_device *member = pss_from_vdev(vdev);

			member->needs_reset = false;
			member->stats.hot_reset_count++;
		}
	}

	pss_set_unlock_bars_locked(set, locked);
out_unlock_set:
	mutex_unlock(&set->lock);
	return ret;
}

static int pss_hot_reset_groups(struct pss_device *pss, enum pss_scope scope,
				u32 nr_fds, struct vfio_pci_hot_reset __user *arg)
{
	struct pss_owner owner = {};
	s32 *fds;
	u32 count = 0, i = 0;
	int ret = 0;

	/* At most one group per affected function: bounds the copy. */
	pss_scope_for_each(pss->pdev, scope, pss_count_one, &count);
	if (nr_fds > count)
		return -EINVAL;

	fds = kcalloc(nr_fds, sizeof(*fds), GFP_KERNEL);
	owner.files = kcalloc(nr_fds, sizeof(*owner.files), GFP_KERNEL);
	if (!fds || !owner.files) {
		ret = -ENOMEM;
		goto out_free;
	}
	if (copy_from_user(fds, arg->group_fds, nr_fds * sizeof(*fds))) {
		ret = -EFAULT;
		goto out_free;
	}

	/* Hold each group file so the groups stay put across the reset. */
	for (i = 0; i < nr_fds; i++) {
		struct file *file = fget(fds[i]);

		if (!file) {
			ret = -EBADF;
			break;
		}
		if (!vfio_file_is_group(file)) {
			fput(file);
			ret = -EINVAL;
			break;
		}
		owner.files[i] = file;
	}
	owner.nr_files = i;

	if (!ret)
		ret = pss_set_hot_reset(pss->vdev.dev_set, &owner);

	while (i--)
		fput(owner.files[i]);
out_free:
	kfree(owner.files);
	kfree(fds);
	return ret;
}

/**
 * pss_ioctl_hot_reset() - VFIO_DEVICE_PCI_HOT_RESET
 * @pss: the device
 * @arg: user struct vfio_pci_hot_reset
 *
 * Resets the slot or bus when the caller owns every member of the set and
 * the set covers every function in the scope.
 *
 * Return: 0 or vfio-pci's errno: -EINVAL bad header, a group array on a cdev
 * (or none on a group) device, too many fds, a non-group fd, a function in
 * scope outside the set or a member not owned; -ENODEV no slot or bus reset;
 * -EBADF a bad fd; -EBUSY a member's BARs or mappings in use;
 * -EFAULT; or the error of pci_reset_bus().
 */
long pss_ioctl_hot_reset(struct pss_device *pss, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_pci_hot_reset, count);
	struct vfio_pci_hot_reset hdr;
	struct pss_owner owner = { .cdev = &pss->vdev };
	enum pss_scope scope;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	if (hdr.argsz < minsz || hdr.flags)
		return -EINVAL;

	/* Group-opened callers pass groups; cdev-opened ones pass none. */
	if (!!hdr.count == vfio_suite_cdev_opened(&pss->vdev))
		return -EINVAL;

	scope = pss_scope_of(pss->pdev);
	if (scope == PSS_SCOPE_NONE)
		return -ENODEV;

	if (hdr.count)
		return pss_hot_reset_groups(pss, scope, hdr.count, arg);
	return pss_set_hot_reset(pss->vdev.dev_set, &owner);
}
