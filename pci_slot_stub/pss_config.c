// SPDX-License-Identifier: GPL-2.0
/*
 * pci_slot_stub: config space passthrough with a write filter.
 *
 * Reads show the real device. Writes reach the device only for bits that
 * cannot hurt the host: the stub has no IOMMU, so bus mastering must stay
 * off; the kernel owns BAR placement and decoding; and the stub owns no
 * interrupts. Every other write is dropped, the way a read-only register
 * drops it, and the access still succeeds.
 */
#include <linux/uaccess.h>

#include "pss_chunk.h"
#include "pss_config.h"

/* Let writes change @mask (little endian, @size bytes) at @off. */
static void pss_config_allow(u8 *table, unsigned int off, unsigned int size,
			     u32 mask)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		table[off + i] |= mask >> (8 * i);
}

/*
 * MSI address and data are plain storage while MSI is disabled, and the
 * enable bit is never writable here, so writing them cannot raise an
 * interrupt. They are worth passing through because a device reset clears
 * them and Linux restores them only for MSI the kernel itself enabled:
 * they are the one place a user can watch a reset happen on edu, whose
 * MMIO registers survive resets.
 */
static void pss_config_init_msi(struct pss_config *cfg, struct pci_dev *pdev)
{
	u8 cap = pci_find_capability(pdev, PCI_CAP_ID_MSI);
	u16 flags;

	if (!cap || pci_read_config_word(pdev, cap + PCI_MSI_FLAGS, &flags))
		return;

	pss_config_allow(cfg->wmask, cap + PCI_MSI_ADDRESS_LO, 4, ~0U);
	if (flags & PCI_MSI_FLAGS_64BIT) {
		pss_config_allow(cfg->wmask, cap + PCI_MSI_ADDRESS_HI, 4, ~0U);
		pss_config_allow(cfg->wmask, cap + PCI_MSI_DATA_64, 2, 0xffff);
	} else {
		pss_config_allow(cfg->wmask, cap + PCI_MSI_DATA_32, 2, 0xffff);
	}
}

/**
 * pss_config_init() - build the write filter for one function
 * @cfg: filter to fill
 * @pdev: the function, used to find its MSI capability
 *
 * Called once from the vfio_device .init op.
 */
void pss_config_init(struct pss_config *cfg, struct pci_dev *pdev)
{
	memset(cfg, 0, sizeof(*cfg));

	/* INTx masking only: memory/IO decode and bus mastering stay ours. */
	pss_config_allow(cfg->wmask, PCI_COMMAND, 2, PCI_COMMAND_INTX_DISABLE);
	pss_config_allow(cfg->rw1c, PCI_STATUS, 2,
			 PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT |
			 PCI_STATUS_REC_TARGET_ABORT |
			 PCI_STATUS_REC_MASTER_ABORT |
			 PCI_STATUS_SIG_SYSTEM_ERROR |
			 PCI_STATUS_DETECTED_PARITY);
	/* No effect on the host; Linux restores them after a reset. */
	pss_config_allow(cfg->wmask, PCI_CACHE_LINE_SIZE, 1, 0xff);
	pss_config_allow(cfg->wmask, PCI_LATENCY_TIMER, 1, 0xff);
	pss_config_allow(cfg->wmask, PCI_INTERRUPT_LINE, 1, 0xff);

	pss_config_init_msi(cfg, pdev);
}

static u32 pss_config_mask(const u8 *table, loff_t pos, unsigned int size)
{
	u32 mask = 0;
	unsigned int i;

	if (pos + size > PCI_CFG_SPACE_SIZE)
		return 0;
	for (i = 0; i < size; i++)
		mask |= (u32)table[pos + i] << (8 * i);
	return mask;
}

/*
 * The stub offers no INTx (GET_IRQ_INFO says count 0), so, like vfio-pci
 * for a device without INTx, it shows interrupt pin 0: a VMM that sees a
 * pin wires up INTx and fails when SET_IRQS refuses it.
 */
static u32 pss_config_hide_pin(loff_t pos, unsigned int size, u32 val)
{
	if (pos <= PCI_INTERRUPT_PIN && PCI_INTERRUPT_PIN < pos + size)
		val &= ~(0xffU << (8 * (PCI_INTERRUPT_PIN - pos)));
	return val;
}

static int pss_config_read(struct pci_dev *pdev, loff_t pos,
			   unsigned int size, u32 *val)
{
	u16 w;
	u8 b;
	int ret;

	switch (size) {
	case 4:
		ret = pci_user_read_config_dword(pdev, pos, val);
		break;
	case 2:
		ret = pci_user_read_config_word(pdev, pos, &w);
		*val = w;
		break;
	default:
		ret = pci_user_read_config_byte(pdev, pos, &b);
		*val = b;
		break;
	}
	*val = pss_config_hide_pin(pos, size, *val);
	return ret;
}

static int pss_config_write(struct pci_dev *pdev, loff_t pos,
			    unsigned int size, u32 val)
{
	switch (size) {
	case 4:
		return pci_user_write_config_dword(pdev, pos, val);
	case 2:
		return pci_user_write_config_word(pdev, pos, val);
	default:
		return pci_user_write_config_byte(pdev, pos, val);
	}
}

/*
 * Apply one aligned write through the filter. Read-only bits are written
 * back unchanged and write-1-to-clear bits as zero unless the user sets
 * them, so a write never clears status the user did not ask to clear.
 */
static int pss_config_write_filtered(const struct pss_config *cfg,
				     struct pci_dev *pdev, loff_t pos,
				     unsigned int size, u32 val)
{
	u32 wmask = pss_config_mask(cfg->wmask, pos, size);
	u32 rw1c = pss_config_mask(cfg->rw1c, pos, size);
	u32 old;
	int ret;

	if (!wmask && !rw1c)
		return 0;

	ret = pss_config_read(pdev, pos, size, &old);
	if (ret)
		return ret;

	val = (old & ~(wmask | rw1c)) | (val & (wmask | rw1c));
	return pss_config_write(pdev, pos, size, val);
}

/**
 * pss_config_rw() - read or write config space for userspace
 * @cfg: write filter
 * @pdev: the function
 * @buf: user buffer, little endian like config space
 * @count: bytes requested
 * @pos: offset in config space
 * @write: direction
 *
 * Accesses are split into naturally aligned dwords, words and bytes. An
 * access that starts past the end of config space is -EINVAL; one that runs
 * past it is cut short. The PCI core blocks user config accesses while a
 * reset is in progress, so none needs a lock here.
 *
 * Return: bytes transferred or -errno.
 */
ssize_t pss_config_rw(const struct pss_config *cfg, struct pci_dev *pdev,
		      char __user *buf, size_t count, loff_t pos, bool write)
{
	size_t done = 0;
	int ret;

	if (pos < 0 || pos >= pdev->cfg_size)
		return -EINVAL;
	count = min_t(size_t, count, pdev->cfg_size - pos);

	while (done < count) {
		unsigned int size = pss_chunk(pos, count - done);
		__le32 le = 0;
		u32 val;

		if (write) {
			if (copy_from_user(&le, buf + done, size))
				return -EFAULT;
			ret = pss_config_write_filtered(cfg, pdev, pos, size,
							le32_to_cpu(le));
		} else {
			ret = pss_config_read(pdev, pos, size, &val);
			le = cpu_to_le32(val);
			if (!ret && copy_to_user(buf + done, &le, size))
				ret = -EFAULT;
		}
		if (ret)
			return ret;

		pos += size;
		done += size;
	}

	return done;
}
