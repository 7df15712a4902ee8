// SPDX-License-Identifier: GPL-2.0
/*
 * pci_slot_stub: BAR access for userspace.
 *
 * read()/write() go through a kernel mapping with every access bounds
 * checked against the BAR. mmap() is offered only where it is safe: a
 * memory BAR covering whole pages, so a mapping can never reach another
 * function's registers. Instead of zapping mappings around a reset as
 * vfio-pci does, the stub refuses to reset while a mapping exists (-EBUSY):
 * a user never touches a BAR that a reset has disabled.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/uaccess.h>

#include "pss_bar.h"
#include "pss_chunk.h"

#define PSS_BAR_REGIONS_NAME	"pci_slot_stub"

/**
 * pss_bars_init() - set up the locks of a function's BAR state
 * @bars: state to initialise
 *
 * Called once from the vfio_device .init op.
 */
void pss_bars_init(struct pss_bars *bars)
{
	init_rwsem(&bars->memory_lock);
	atomic_set(&bars->mmap_count, 0);
}

/**
 * pss_bars_map() - claim and map every BAR of an opening function
 * @bars: state of the function
 * @pdev: the function, already enabled
 *
 * Called from open_device, with the device set lock held.
 *
 * Return: 0 or -errno, with nothing claimed on error.
 */
int pss_bars_map(struct pss_bars *bars, struct pci_dev *pdev)
{
	int bar, ret;

	ret = pci_request_regions(pdev, PSS_BAR_REGIONS_NAME);
	if (ret)
		return ret;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		if (!pci_resource_len(pdev, bar))
			continue;
		bars->map[bar] = pci_iomap(pdev, bar, 0);
		if (!bars->map[bar]) {
			ret = -ENOMEM;
			goto out_unmap;
		}
	}
	return 0;

out_unmap:
	pss_bars_unmap(bars, pdev);
	return ret;
}

/**
 * pss_bars_unmap() - undo pss_bars_map()
 * @bars: state of the function
 * @pdev: the function
 *
 * Called from close_device, with the device set lock held. No user access
 * can be in flight: the last device fd is gone.
 */
void pss_bars_unmap(struct pss_bars *bars, struct pci_dev *pdev)
{
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		if (bars->map[bar])
			pci_iounmap(pdev, bars->map[bar]);
		bars->map[bar] = NULL;
	}
	pci_release_regions(pdev);
}

static int pss_bar_read_one(void __iomem *io, unsigned int size,
			    char __user *ubuf)
{
	__le32 le;

	switch (size) {
	case 4:
		le = cpu_to_le32(ioread32(io));
		break;
	case 2:
		le = cpu_to_le32(ioread16(io));
		break;
	default:
		le = cpu_to_le32(ioread8(io));
		break;
	}
	return copy_to_user(ubuf, &le, size) ? -EFAULT : 0;
}

static int pss_bar_write_one(void __iomem *io, unsigned int size,
			     const char __user *ubuf)
{
	__le32 le = 0;

	if (copy_from_user(&le, ubuf, size))
		return -EFAULT;

	switch (size) {
	case 4:
		iowrite32(le32_to_cpu(le), io);
		break;
	case 2:
		iowrite16(le32_to_cpu(le), io);
		break;
	default:
		iowrite8(le32_to_cpu(le), io);
		break;
	}
	return 0;
}

/**
 * pss_bar_rw() - read or write a BAR for userspace
 * @bars: state of the open function
 * @pdev: the function
 * @bar: BAR index, already checked to be below PCI_STD_NUM_BARS
 * @buf: user buffer, little endian
 * @count: bytes requested
 * @pos: offset in the BAR
 * @write: direction
 *
 * Accesses are split into naturally aligned 4, 2 and 1 byte accesses. A
 * BAR that is absent, or an access starting at or past its end, is -EINVAL;
 * one that runs past the end is cut short. Takes @bars->memory_lock for
 * read, so it waits for a reset in progress.
 *
 * Return: bytes transferred or -errno.
 */
ssize_t pss_bar_rw(struct pss_bars *bars, struct pci_dev *pdev, int bar,
		   char __user *buf, size_t count, loff_t pos, bool write)
{
	resource_size_t len = pci_resource_len(pdev, bar);
	size_t done = 0;
	int ret = 0;

	if (!bars->map[bar] || pos < 0 || pos >= len)
		return -EINVAL;
	count = min_t(u64, count, len - pos);

	down_read(&bars->memory_lock);
	while (done < count) {
		unsigned int size = pss_chunk(pos, count - done);
		void __iomem *io = bars->map[bar] + pos;

		if (write)
			ret = pss_bar_write_one(io, size, buf + done);
		else
			ret = pss_bar_read_one(io, size, buf + done);
		if (ret)
			break;
		pos += size;
		done += size;
	}
	up_read(&bars->memory_lock);

	return ret ? ret : done;
}

/**
 * pss_bar_mmappable() - may userspace mmap this BAR?
 * @pdev: the function
 * @bar: BAR index
 *
 * Return: true for a memory BAR that starts on a page boundary and spans
 * whole pages, so that no mapping can expose a neighbour's registers.
 */
bool pss_bar_mmappable(struct pci_dev *pdev, int bar)
{
	resource_size_t start = pci_resource_start(pdev, bar);
	resource_size_t len = pci_resource_len(pdev, bar);

	if (!(pci_resource_flags(pdev, bar) & IORESOURCE_MEM))
		return false;
	return len >= PAGE_SIZE && PAGE_ALIGNED(start) && PAGE_ALIGNED(len);
}

static void pss_bar_vma_open(struct vm_area_struct *vma)
{
	struct pss_bars *bars = vma->vm_private_data;

	/* A copy (fork) or split of a mapping that already counts. */
	atomic_inc(&bars->mmap_count);
}

static void pss_bar_vma_close(struct vm_area_struct *vma)
{
	struct pss_bars *bars = vma->vm_private_data;

	atomic_dec(&bars->mmap_count);
}

static const struct vm_operations_struct pss_bar_vm_ops = {
	.open = pss_bar_vma_open,
	.close = pss_bar_vma_close,
};

/**
 * pss_bar_mmap() - map part of a BAR into userspace
 * @bars: state of the open function
 * @pdev: the function
 * @bar: BAR index, already checked to be below PCI_STD_NUM_BARS
 * @vma: the user mapping; must be shared
 * @pgoff: page offset of the mapping in the BAR
 *
 * Return: 0 or -errno (-EINVAL for a BAR that is not mmappable or a range
 * outside it).
 */
int pss_bar_mmap(struct pss_bars *bars, struct pci_dev *pdev, int bar,
		 struct vm_area_struct *vma, unsigned long pgoff)
{
	u64 len = pci_resource_len(pdev, bar);
	u64 size = vma->vm_end - vma->vm_start;
	unsigned long pfn;
	int ret;

	if (!bars->map[bar] || !pss_bar_mmappable(pdev, bar))
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (pgoff >= len >> PAGE_SHIFT || size > len - (pgoff << PAGE_SHIFT))
		return -EINVAL;

	pfn = (pci_resource_start(pdev, bar) >> PAGE_SHIFT) + pgoff;
	/* remap_pfn_range() marks the VMA VM_IO | VM_PFNMAP | VM_DONTEXPAND. */
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);

	/*
	 * Map and count under the lock, so a reset sees either no mapping or
	 * a counted one. The ops go in only on success: whether the core
	 * calls ->close() for a failed mmap differs between kernels.
	 */
	down_read(&bars->memory_lock);
	ret = io_remap_pfn_range(vma, vma->vm_start, pfn, size,
				 vma->vm_page_prot);
	if (!ret) {
		vma->vm_private_data = bars;
		vma->vm_ops = &pss_bar_vm_ops;
		atomic_inc(&bars->mmap_count);
	}
	up_read(&bars->memory_lock);

	return ret;
}

/**
 * pss_bars_lock_for_reset() - keep user accesses away from a reset
 * @bars: state of the function about to be reset
 * @wait: sleep for the lock; otherwise fail with -EBUSY, which the hot reset
 *	path needs because it locks several functions at once
 *
 * Return: 0 with @bars->memory_lock held for write, or -EBUSY (contended,
 * or a user mapping exists) with nothing held.
 */
int pss_bars_lock_for_reset(struct pss_bars *bars, bool wait)
{
	if (wait)
		down_write(&bars->memory_lock);
	else if (!down_write_trylock(&bars->memory_lock))
		return -EBUSY;

	if (atomic_read(&bars->mmap_count)) {
		up_write(&bars->memory_lock);
		return -EBUSY;
	}
	return 0;
}

/**
 * pss_bars_unlock_after_reset() - undo pss_bars_lock_for_reset()
 * @bars: state of the function
 */
void pss_bars_unlock_after_reset(struct pss_bars *bars)
{
	up_write(&bars->memory_lock);
}
