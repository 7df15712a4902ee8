// SPDX-License-Identifier: GPL-2.0
/*
 * pci_slot_stub: the VFIO glue.
 *
 * Lifecycle: .init fills what lives as long as the vfio_device, .release
 * frees it; open_device/close_device enable the function, claim its BARs
 * and reset it, for exactly as long as some fd is open. Regions follow
 * vfio-pci's layout (index << 40): BARs 0-5, an empty ROM, config space
 * and an empty VGA region.
 *
 * Two ops tables, which differ only in the iommufd ops: pss_vfio_ops for a
 * function that a real IOMMU isolates (its own group), and
 * pss_vfio_emulated_ops for one without an IOMMU group. pss_main.c picks
 * one at probe.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "pss_compat.h"
#include "pss.h"

/* ---- lifecycle ---- */

/**
 * pss_init_dev() - vfio_device_ops.init: set up what lives with the device
 * @vdev: the device, just allocated by vfio_alloc_device() in probe
 *
 * The core skips .release when .init fails, so a failure here undoes what
 * was done before it.
 *
 * Return: 0 or -errno.
 */
static int pss_init_dev(struct vfio_device *vdev)
{
	struct pss_dev *pss = pss_from_vdev(vdev);
	int ret;

	pss->pdev = to_pci_dev(vdev->dev);
	ret = pss_mmap_dev_init(pss);
	if (ret)
		return ret;
	pss_config_init(&pss->config, pss->pdev);
	pss_bars_init(&pss->bars, pss->pdev);
	mutex_init(&pss->irq_lock);
	return 0;
}

/**
 * pss_release_dev() - vfio_device_ops.release: undo pss_init_dev()
 * @vdev: the device; its last reference is gone
 */
static void pss_release_dev(struct vfio_device *vdev)
{
	struct pss_dev *pss = pss_from_vdev(vdev);

	mutex_destroy(&pss->irq_lock);
	pss_mmap_dev_release(pss);
	pss_compat_free_device(vdev);
}

/**
 * pss_open_device() - vfio_device_ops.open_device
 * @vdev: the device
 *
 * Called with the device set lock held, once per first open. Enables the
 * function, resets it if it has a function reset, saves its config state
 * for close, and maps its BARs.
 *
 * Return: 0 or -errno, with everything undone.
 */
static int pss_open_device(struct vfio_device *vdev)
{
	struct pss_dev *pss = pss_from_vdev(vdev);
	struct pci_dev *pdev = pss->pdev;
	int ret;

	lockdep_assert_held(&vdev->dev_set->lock);

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;

	ret = pss_reset_on_open_locked(pss);
	if (ret)
		goto out_disable;

	pci_save_state(pdev);
	pss->saved_state = pci_store_saved_state(pdev);

	ret = pss_bars_map(&pss->bars);
	if (ret)
		goto out_free_state;

	pss_hook_count(pss, PSS_COUNT_OPEN);
	return 0;

out_free_state:
	kfree(pss->saved_state);
	pss->saved_state = NULL;
out_disable:
	pci_disable_device(pdev);
	return ret;
}

/**
 * pss_close_device() - vfio_device_ops.close_device
 * @vdev: the device
 *
 * Called with the device set lock held, once per last close; no user
 * mapping is left, as each held the device open. Undoes
 * pss_open_device(), resets the function, and resets the slot or bus if
 * this was the last open member of the set and a member needs it.
 */
static void pss_close_device(struct vfio_device *vdev)
{
	struct pss_dev *pss = pss_from_vdev(vdev);
	struct pci_dev *pdev = pss->pdev;

	lockdep_assert_held(&vdev->dev_set->lock);

	pss_hook_count(pss, PSS_COUNT_CLOSE);
	pss_irq_release(pss);
	pss_bars_unmap(&pss->bars);

	pss_reset_function_on_close_locked(pss);
	if (pss->saved_state) {
		pci_load_and_free_saved_state(pdev, &pss->saved_state);
		pci_restore_state(pdev);
	}
	pci_disable_device(pdev);

	pss_reset_set_on_close_locked(pss);
}

/**
 * pss_request() - vfio_device_ops.request: ask the user to let go
 * @vdev: the device being unregistered
 * @count: how many times the core has asked so far
 *
 * Called by vfio_unregister_group_dev() from the unbind path, without the
 * device set lock, while the device is open; the core asks again every
 * ten seconds until the last fd closes.
 */
static void pss_request(struct vfio_device *vdev, unsigned int count)
{
	struct pss_dev *pss = pss_from_vdev(vdev);

	pss_hook_count(pss, PSS_COUNT_REQUEST);
	if (pss_irq_request(pss)) {
		if (!count)
			pci_notice(pss->pdev, "asking the user to release the device\n");
	} else if (!count) {
		pci_notice(pss->pdev,
			   "no request eventfd: blocked until the user closes the device\n");
	}
}

/* ---- regions ---- */

static ssize_t pss_rw_bar(struct pss_dev *pss, unsigned int bar,
			  char __user *buf, size_t count, u64 off, bool write)
{
	return pss_bar_rw(&pss->bars, bar, buf, count, off, write);
}

static ssize_t pss_rw_config(struct pss_dev *pss, char __user *buf,
			     size_t count, u64 off, bool write)
{
	return pss_config_rw(&pss->config, pss->pdev, buf, count, off, write);
}

/*
 * Each region's access is bounded there: an offset at or past the end is
 * -EINVAL, an access running past the end is cut short. *ppos advances by
 * what was transferred, only on success.
 */
static ssize_t pss_rw(struct vfio_device *vdev, char __user *buf,
		      size_t count, loff_t *ppos, bool write)
{
	struct pss_dev *pss = pss_from_vdev(vdev);
	u64 index = PSS_OFFSET_TO_INDEX(*ppos);
	u64 off = *ppos & PSS_OFFSET_MASK;
	ssize_t ret;

	if (*ppos < 0)
		return -EINVAL;

	switch (index) {
	case VFIO_PCI_BAR0_REGION_INDEX ... VFIO_PCI_BAR5_REGION_INDEX:
		ret = pss_rw_bar(pss, index, buf, count, off, write);
		break;
	case VFIO_PCI_CONFIG_REGION_INDEX:
		ret = pss_rw_config(pss, buf, count, off, write);
		break;
	default:
		ret = -EINVAL;
		break;
	}

	if (ret > 0)
		*ppos += ret;
	return ret;
}

/**
 * pss_read() - vfio_device_ops.read: read a BAR or config space
 * @vdev: the device, open
 * @buf: user buffer
 * @count: bytes wanted
 * @ppos: region index << 40 | offset
 *
 * Called without locks, while the device is open.
 *
 * Return: bytes read or -errno.
 */
static ssize_t pss_read(struct vfio_device *vdev, char __user *buf,
			size_t count, loff_t *ppos)
{
	return pss_rw(vdev, buf, count, ppos, false);
}

/**
 * pss_write() - vfio_device_ops.write: write a BAR or config space
 * @vdev: the device, open
 * @buf: user buffer
 * @count: bytes to write
 * @ppos: region index << 40 | offset
 *
 * Called without locks, while the device is open. Config writes pass the
 * write filter of pss_config.c; BAR writes the register guard of
 * pss_bar.c.
 *
 * Return: bytes written or -errno.
 */
static ssize_t pss_write(struct vfio_device *vdev, const char __user *buf,
			 size_t count, loff_t *ppos)
{
	return pss_rw(vdev, (char __user *)buf, count, ppos, true);
}

/**
 * pss_mmap() - vfio_device_ops.mmap: map part of a memory BAR
 * @vdev: the device, open
 * @vma: the mapping; vm_pgoff encodes region index << 40 | offset
 *
 * Called with mmap_lock held for write. Pages come in on fault, see
 * pss_mmap.c.
 *
 * Return: 0 or -errno: -EINVAL for anything but a mmappable BAR range,
 * -EPERM for a writable mapping of edu's DMA register page.
 */
static int pss_mmap(struct vfio_device *vdev, struct vm_area_struct *vma)
{
	u64 index = PSS_OFFSET_TO_INDEX((u64)vma->vm_pgoff << PAGE_SHIFT);

	if (index > VFIO_PCI_BAR5_REGION_INDEX)
		return -EINVAL;
	return pss_bar_mmap(pss_from_vdev(vdev), index, vma);
}

/* ---- region info ---- */

/*
 * A BAR with guarded registers (edu's DMA block) may be mapped writably
 * everywhere but their pages: say so with a sparse mmap capability, as
 * vfio-pci does around an MSI-X table, so that a VMM traps those pages and
 * sends their accesses through write(), where the guard is.
 */
static int pss_region_info_sparse(struct pss_dev *pss,
				  struct vfio_region_info *info,
				  struct vfio_info_cap *caps)
{
	struct vfio_region_info_cap_sparse_mmap *sparse;
	u64 start, end;
	u32 nr = 0;
	int ret;

	if (!pss_bar_guard_pages(&pss->bars, info->index, &start, &end))
		return 0;

	sparse = kzalloc(struct_size(sparse, areas, 2), GFP_KERNEL);
	if (!sparse)
		return -ENOMEM;
	sparse->header.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
	sparse->header.version = 1;
	if (start) {
		sparse->areas[nr].offset = 0;
		sparse->areas[nr++].size = start;
	}
	if (end < info->size) {
		sparse->areas[nr].offset = end;
		sparse->areas[nr++].size = info->size - end;
	}
	sparse->nr_areas = nr;
	ret = vfio_info_add_capability(caps, &sparse->header,
				       struct_size(sparse, areas, nr));
	kfree(sparse);
	return ret;
}

static int pss_region_info_bar(struct pss_dev *pss,
			       struct vfio_region_info *info,
			       struct vfio_info_cap *caps)
{
	int bar = info->index;

	info->size = pci_resource_len(pss->pdev, bar);
	if (!info->size || !pss->bars.map[bar])
		return 0;
	info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
	if (!pss_bar_mmappable(pss->pdev, bar))
		return 0;
	info->flags |= VFIO_REGION_INFO_FLAG_MMAP;
	return pss_region_info_sparse(pss, info, caps);
}

/**
 * pss_region_info() - describe one region
 * @vdev: the device, open
 * @info: the header, copied in; fill in everything but argsz
 * @caps: capability chain: a sparse mmap capability for edu's BAR0
 *
 * Called without the device set lock: by the core's
 * VFIO_DEVICE_GET_REGION_INFO on 6.19 and later, from pss_ioctl() through
 * pss_compat_region_info_ioctl() before.
 *
 * Return: 0, -EINVAL for an index past the last region, or -ENOMEM.
 */
static int pss_region_info(struct vfio_device *vdev,
			   struct vfio_region_info *info,
			   struct vfio_info_cap *caps)
{
	struct pss_dev *pss = pss_from_vdev(vdev);

	if (info->index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;

	info->offset = PSS_INDEX_TO_OFFSET(info->index);
	info->flags = 0;
	info->size = 0;
	info->cap_offset = 0;

	switch (info->index) {
	case VFIO_PCI_BAR0_REGION_INDEX ... VFIO_PCI_BAR5_REGION_INDEX:
		return pss_region_info_bar(pss, info, caps);
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info->size = pss->pdev->cfg_size;
		info->flags = VFIO_REGION_INFO_FLAG_READ |
			      VFIO_REGION_INFO_FLAG_WRITE;
		return 0;
	default:
		/* ROM and VGA are not passed through: size 0, no flags. */
		return 0;
	}
}

/* ---- ioctls ---- */

static long pss_ioctl_get_info(struct pss_dev *pss, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	info.flags = VFIO_DEVICE_FLAGS_PCI;
	if (pss->reset_works)
		info.flags |= VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/**
 * pss_ioctl() - vfio_device_ops.ioctl
 * @vdev: the device, open
 * @cmd: VFIO_DEVICE_* ioctl
 * @arg: user pointer
 *
 * Called without the device set lock; the resets take it.
 *
 * Return: per ioctl; -ENOTTY for an unknown one.
 */
static long pss_ioctl(struct vfio_device *vdev, unsigned int cmd,
		      unsigned long arg)
{
	struct pss_dev *pss = pss_from_vdev(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return pss_ioctl_get_info(pss, uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return pss_compat_region_info_ioctl(vdev, uarg, pss_region_info);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return pss_ioctl_get_irq_info(pss, uarg);
	case VFIO_DEVICE_SET_IRQS:
		return pss_ioctl_set_irqs(pss, uarg);
	case VFIO_DEVICE_RESET:
		return pss_ioctl_reset(pss);
	case VFIO_DEVICE_GET_PCI_HOT_RESET_INFO:
		return pss_ioctl_hot_reset_info(pss, uarg);
	case VFIO_DEVICE_PCI_HOT_RESET:
		return pss_ioctl_hot_reset(pss, uarg);
	default:
		return -ENOTTY;
	}
}

/* Every op but the iommufd ones, which follow the function's isolation. */
#define PSS_VFIO_OPS_COMMON					\
	.name		= "pci_slot_stub",			\
	.init		= pss_init_dev,				\
	.release	= pss_release_dev,			\
	.open_device	= pss_open_device,			\
	.close_device	= pss_close_device,			\
	.read		= pss_read,				\
	.write		= pss_write,				\
	.mmap		= pss_mmap,				\
	.ioctl		= pss_ioctl,				\
	.request	= pss_request,				\
	PSS_COMPAT_REGION_INFO_OP(pss_region_info)

/* A function in a real IOMMU group: the core attaches the group's domain. */
const struct vfio_device_ops pss_vfio_ops = {
	PSS_VFIO_OPS_COMMON
	PSS_COMPAT_IOMMUFD_OPS(physical)
};

/* A function without one: an emulated IOMMU, which the stub never uses. */
const struct vfio_device_ops pss_vfio_emulated_ops = {
	PSS_VFIO_OPS_COMMON
	PSS_COMPAT_IOMMUFD_OPS(emulated)
};

/**
 * pss_dev_of() - our device behind a vfio_device, if it is one of ours
 * @vdev: any member of a device set; sets keyed by a pci_slot or pci_bus
 *	may hold other drivers' devices too
 *
 * Return: the device, or NULL for another driver's.
 */
struct pss_dev *pss_dev_of(struct vfio_device *vdev)
{
	if (vdev->ops != &pss_vfio_ops && vdev->ops != &pss_vfio_emulated_ops)
		return NULL;
	return pss_from_vdev(vdev);
}
