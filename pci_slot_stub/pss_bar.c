// SPDX-License-Identifier: GPL-2.0
/*
 * pci_slot_stub: BAR read() and write() for userspace.
 *
 * Every access is bounds checked against the BAR and goes through a kernel
 * mapping. User memory is copied to or from a small kernel buffer outside
 * memory_lock: the user buffer may itself be a mapping of a BAR, whose
 * fault handler takes memory_lock under mmap_lock, so copying with the lock
 * held would invert that order (and a reset waiting for the lock would
 * deadlock against the fault).
 */
#include <linux/io.h>
#include <linux/uaccess.h>

#include "pss_defs.h"
#include "pss_bar.h"
#include "pss_chunk.h"

#define PSS_BAR_REGIONS_NAME	"pci_slot_stub"

/* Bytes moved per memory_lock hold: bounds the time a reset waits. */
#define PSS_BAR_BOUNCE		64

/* edu's DMA source, destination, count and command registers. */
static const struct pss_bar_guard pss_edu_dma_guard = {
	.bar = 0,
	.start = PSS_EDU_DMA_SRC,
	.end = PSS_EDU_DMA_CMD + 8,
};

/**
 * pss_bars_init() - set up a function's BAR state
 * @bars: state to initialise
 * @pdev: the function
 *
 * Called once from the vfio_device .init op.
 */
void pss_bars_init(struct pss_bars *bars, struct pci_dev *pdev)
{
	bars->pdev = pdev;
	if (pdev->vendor == PSS_EDU_VENDOR && pdev->device == PSS_EDU_DEVICE)
		bars->guard = pss_edu_dma_guard;
	init_rwsem(&bars->memory_lock);
}

/**
 * pss_bars_map() - claim and map every BAR of an opening function
 * @bars: state of the function, already enabled
 *
 * Called from open_device, with the device set lock held.
 *
 * Return: 0 or -errno, with nothing claimed on error.
 */
int pss_bars_map(struct pss_bars *bars)
{
	struct pci_dev *pdev = bars->pdev;
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
	pss_bars_unmap(bars);
	return ret;
}

/**
 * pss_bars_unmap() - undo pss_bars_map()
 * @bars: state of the function
 *
 * Called from close_device, with the device set lock held. No user access
 * can be in flight and no user mapping exists: each mapping holds a
 * reference to the device fd, and the last one is gone.
 */
void pss_bars_unmap(struct pss_bars *bars)
{
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		if (bars->map[bar])
			pci_iounmap(bars->pdev, bars->map[bar]);
		bars->map[bar] = NULL;
	}
	pci_release_regions(bars->pdev);
}

/**
 * pss_bars_decoding() - does the function decode its memory BARs?
 * @bars: state of the function
 *
 * The user cannot clear memory decode (the config filter keeps it), but a
 * BAR access must never reach a function that does not decode: on real
 * hardware that is an Unsupported Request. Called with @bars->memory_lock
 * held, so that no reset runs meanwhile.
 *
 * Return: true if memory space decoding is on.
 */
bool pss_bars_decoding(struct pss_bars *bars)
{
	u16 cmd;

	lockdep_assert_held(&bars->memory_lock);
	if (pci_read_config_word(bars->pdev, PCI_COMMAND, &cmd))
		return false;
	return cmd & PCI_COMMAND_MEMORY;
}

static void pss_bar_read_io(void __iomem *io, u8 *buf, size_t count,
			    loff_t pos)
{
	size_t done = 0;

	while (done < count) {
		unsigned int size = pss_chunk(pos + done, count - done);
		__le32 le;

		if (size == 4)
			le = cpu_to_le32(ioread32(io + done));
		else if (size == 2)
			le = cpu_to_le32(ioread16(io + done));
		else
			le = cpu_to_le32(ioread8(io + done));
		memcpy(buf + done, &le, size);
		done += size;
	}
}

static void pss_bar_write_io(void __iomem *io, const u8 *buf, size_t count,
			     loff_t pos)
{
	size_t done = 0;

	while (done < count) {
		unsigned int size = pss_chunk(pos + done, count - done);
		__le32 le = 0;

		memcpy(&le, buf + done, size);
		if (size == 4)
			iowrite32(le32_to_cpu(le), io + done);
		else if (size == 2)
			iowrite16(le32_to_cpu(le), io + done);
		else
			iowrite8(le32_to_cpu(le), io + done);
		done += size;
	}
}

/* Move @count bytes (at most PSS_BAR_BOUNCE) between @buf and the BAR. */
static int pss_bar_io(struct pss_bars *bars, int bar, u8 *buf, size_t count,
		      loff_t pos, bool write)
{
	int ret = 0;

	down_read(&bars->memory_lock);
	if (!pss_bars_decoding(bars))
		ret = -EIO;
	else if (write)
		pss_bar_write_io(bars->map[bar] + pos, buf, count, pos);
	else
		pss_bar_read_io(bars->map[bar] + pos, buf, count, pos);
	up_read(&bars->memory_lock);
	return ret;
}

static bool pss_bar_guarded(const struct pss_bars *bars, int bar, loff_t pos,
			    size_t count)
{
	const struct pss_bar_guard *g = &bars->guard;

	return g->end && g->bar == bar && pos < g->end &&
	       pos + count > g->start;
}

/**
 * pss_bar_rw() - read or write a BAR for userspace
 * @bars: state of the open function
 * @bar: BAR index, already checked to be below PCI_STD_NUM_BARS
 * @buf: user buffer, little endian
 * @count: bytes requested
 * @pos: offset in the BAR
 * @write: direction
 *
 * Accesses are split into naturally aligned 4, 2 and 1 byte accesses. A
 * BAR that is absent, or an access starting at or past its end, is -EINVAL;
 * one that runs past the end is cut short. A write that would reach the
 * guarded registers (struct pss_bar_guard) is refused whole with -EPERM
 * before anything is written, rather than dropped: the caller must learn
 * that the DMA it tried to start will never happen. Takes
 * @bars->memory_lock for read around each device access, so it waits for a
 * reset in progress; called without locks.
 *
 * Return: bytes transferred, or -errno if nothing was (-EFAULT for a bad
 * user buffer, -EIO if the function does not decode memory).
 */
ssize_t pss_bar_rw(struct pss_bars *bars, int bar, char __user *buf,
		   size_t count, loff_t pos, bool write)
{
	resource_size_t len = pci_resource_len(bars->pdev, bar);
	u8 bounce[PSS_BAR_BOUNCE];
	size_t done = 0;
	int ret = 0;

	if (!bars->map[bar] || pos < 0 || pos >= len)
		return -EINVAL;
	count = min_t(u64, count, len - pos);
	if (write && pss_bar_guarded(bars, bar, pos, count))
		return -EPERM;

	while (done < count) {
		size_t n = min_t(size_t, count - done, sizeof(bounce));

		if (write && copy_from_user(bounce, buf + done, n)) {
			ret = -EFAULT;
			break;
		}
		ret = pss_bar_io(bars, bar, bounce, n, pos + done, write);
		if (ret)
			break;
		if (!write && copy_to_user(buf + done, bounce, n)) {
			ret = -EFAULT;
			break;
		}
		done += n;
	}

	return done ? done : ret;
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

/**
 * pss_bar_guard_pages() - the pages of a BAR holding guarded registers
 * @bars: state of the function
 * @bar: BAR index
 * @start: set to the offset of the first such page
 * @end: set to the offset just past the last one
 *
 * Those pages may only be mapped read-only: a writable mapping would let
 * the user past the write filter of pss_bar_rw().
 *
 * Return: true if @bar has guarded registers.
 */
bool pss_bar_guard_pages(struct pss_bars *bars, int bar, u64 *start,
			 u64 *end)
{
	const struct pss_bar_guard *g = &bars->guard;

	if (!g->end || g->bar != bar)
		return false;
	*start = round_down(g->start, PAGE_SIZE);
	*end = round_up(g->end, PAGE_SIZE);
	return true;
}
