// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI configuration space of an mtty device
 *
 * A full 256-byte type 0 header. The IDs and class code are those of a
 * WCH CH352 16550 card, so that a Linux guest's 8250_pci binds to the
 * device; each port is an 8-byte I/O BAR. The one capability is MSI with
 * a single vector and a 32-bit address.
 *
 * A VMM such as QEMU virtualises the command register, the BAR addresses
 * and the MSI capability for its guest; this model only has to present
 * them truthfully and keep read-only bits read-only.
 */
#include <linux/pci_regs.h>
#include <linux/string.h>
#include <asm/byteorder.h>

#include "mtty_cfg.h"

/* ------------------------------------------------------------------ */
/* Layout                                                               */

/* Config space is little endian whatever the host is. */
static void mtty_cfg_set16(u8 *p, unsigned int off, u16 val)
{
	__le16 le = cpu_to_le16(val);

	memcpy(p + off, &le, sizeof(le));
}

static void mtty_cfg_set32(u8 *p, unsigned int off, u32 val)
{
	__le32 le = cpu_to_le32(val);

	memcpy(p + off, &le, sizeof(le));
}

static void mtty_cfg_layout(struct mtty_cfg *cfg, unsigned int nr_ports)
{
	const unsigned int msi = MTTY_PCI_MSI_CAP_OFFSET;
	u8 *v = cfg->reset, *w = cfg->wmask;
	unsigned int i;

	mtty_cfg_set16(v, PCI_VENDOR_ID, MTTY_PCI_VENDOR_ID);
	mtty_cfg_set16(v, PCI_DEVICE_ID, MTTY_PCI_DEVICE_ID);
	mtty_cfg_set16(w, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MASTER |
		       PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
		       PCI_COMMAND_INTX_DISABLE);
	mtty_cfg_set16(v, PCI_STATUS, PCI_STATUS_CAP_LIST);
	v[PCI_REVISION_ID] = MTTY_PCI_REVISION;
	v[PCI_CLASS_PROG] = MTTY_PCI_PROG_IF;
	mtty_cfg_set16(v, PCI_CLASS_DEVICE, MTTY_PCI_CLASS);
	w[PCI_CACHE_LINE_SIZE] = 0xff;
	w[PCI_LATENCY_TIMER] = 0xff;
	v[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_NORMAL;

	/* One I/O BAR per port; the address bits below the size are 0. */
	for (i = 0; i < nr_ports; i++) {
		unsigned int bar = PCI_BASE_ADDRESS_0 + 4 * i;

		mtty_cfg_set32(v, bar, PCI_BASE_ADDRESS_SPACE_IO);
		mtty_cfg_set32(w, bar, ~(u32)(MTTY_BAR_SIZE - 1));
	}

	mtty_cfg_set16(v, PCI_SUBSYSTEM_VENDOR_ID, MTTY_PCI_SUBSYS_VENDOR_ID);
	mtty_cfg_set16(v, PCI_SUBSYSTEM_ID, MTTY_PCI_SUBSYS_ID);
	v[PCI_CAPABILITY_LIST] = msi;
	w[PCI_INTERRUPT_LINE] = 0xff;
	v[PCI_INTERRUPT_PIN] = 1;			/* INTA# */

	/* MSI: one vector (MMC = 0, MME read-only 0), 32-bit address. */
	v[msi + PCI_CAP_LIST_ID] = PCI_CAP_ID_MSI;
	v[msi + PCI_CAP_LIST_NEXT] = 0;
	mtty_cfg_set16(w, msi + PCI_MSI_FLAGS, PCI_MSI_FLAGS_ENABLE);
	mtty_cfg_set32(w, msi + PCI_MSI_ADDRESS_LO, ~3u);
	mtty_cfg_set16(w, msi + PCI_MSI_DATA_32, 0xffff);
}

/* ------------------------------------------------------------------ */
/* Access                                                               */

static bool mtty_cfg_range_ok(unsigned int off, size_t count)
{
	return count && off < MTTY_CFG_SIZE && count <= MTTY_CFG_SIZE - off;
}

/**
 * mtty_cfg_read() - read config space
 * @cfg: the config space
 * @off: byte offset
 * @buf: destination
 * @count: bytes to read; any length that stays inside the 256 bytes
 *
 * Takes @cfg->lock.
 *
 * Return: 0, or -EINVAL if the range leaves the config space.
 */
int mtty_cfg_read(struct mtty_cfg *cfg, unsigned int off, void *buf,
		  size_t count)
{
	if (!mtty_cfg_range_ok(off, count))
		return -EINVAL;

	mutex_lock(&cfg->lock);
	memcpy(buf, cfg->data + off, count);
	mutex_unlock(&cfg->lock);
	return 0;
}

/**
 * mtty_cfg_write() - write config space
 * @cfg: the config space
 * @off: byte offset
 * @buf: source
 * @count: bytes to write; any length that stays inside the 256 bytes
 *
 * Bits that are read-only keep their value. Takes @cfg->lock.
 *
 * Return: 0, or -EINVAL if the range leaves the config space.
 */
int mtty_cfg_write(struct mtty_cfg *cfg, unsigned int off, const void *buf,
		   size_t count)
{
	const u8 *src = buf;
	size_t i;

	if (!mtty_cfg_range_ok(off, count))
		return -EINVAL;

	mutex_lock(&cfg->lock);
	for (i = 0; i < count; i++) {
		u8 w = cfg->wmask[off + i];

		cfg->data[off + i] = (cfg->data[off + i] & ~w) | (src[i] & w);
	}
	WRITE_ONCE(cfg->changed, true);
	mutex_unlock(&cfg->lock);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Lifecycle and state                                                  */

/**
 * mtty_cfg_init() - lay out the config space of a device
 * @cfg: the config space to initialise
 * @nr_ports: number of ports, one I/O BAR each
 */
void mtty_cfg_init(struct mtty_cfg *cfg, unsigned int nr_ports)
{
	mutex_init(&cfg->lock);
	memset(cfg->reset, 0, sizeof(cfg->reset));
	memset(cfg->wmask, 0, sizeof(cfg->wmask));
	mtty_cfg_layout(cfg, min_t(unsigned int, nr_ports, MTTY_MAX_PORTS));
	memcpy(cfg->data, cfg->reset, sizeof(cfg->data));
	cfg->changed = false;
}

/**
 * mtty_cfg_destroy() - release what mtty_cfg_init() set up
 * @cfg: the config space, which nobody may use any more
 */
void mtty_cfg_destroy(struct mtty_cfg *cfg)
{
	mutex_destroy(&cfg->lock);
}

/**
 * mtty_cfg_reset() - return every register to its reset value
 * @cfg: the config space
 *
 * Does nothing if no write or load came since the last reset: a reset
 * costs what the user changed. Else takes @cfg->lock.
 */
void mtty_cfg_reset(struct mtty_cfg *cfg)
{
	/*
	 * Without the lock: a write this misses is one that races with the
	 * reset, and so may come after it. It sets @changed, and the next
	 * reset undoes it.
	 */
	if (!READ_ONCE(cfg->changed))
		return;

	mutex_lock(&cfg->lock);
	memcpy(cfg->data, cfg->reset, sizeof(cfg->data));
	WRITE_ONCE(cfg->changed, false);
	mutex_unlock(&cfg->lock);
}

/**
 * mtty_cfg_save() - copy out the whole config space
 * @cfg: the config space
 * @image: MTTY_CFG_SIZE bytes to fill
 *
 * Takes @cfg->lock.
 */
void mtty_cfg_save(struct mtty_cfg *cfg, u8 *image)
{
	mtty_cfg_read(cfg, 0, image, MTTY_CFG_SIZE);
}

/**
 * mtty_cfg_image_valid() - check an image before mtty_cfg_load()
 * @cfg: the config space the image is meant for
 * @image: MTTY_CFG_SIZE bytes
 *
 * An image is valid when every read-only bit in it matches @cfg, so an
 * image from a device with other IDs or another BAR count is refused.
 *
 * Return: true if @image may be loaded into @cfg.
 */
bool mtty_cfg_image_valid(struct mtty_cfg *cfg, const u8 *image)
{
	unsigned int i;

	/* wmask and reset never change after init: no lock needed. */
	for (i = 0; i < MTTY_CFG_SIZE; i++)
		if ((image[i] ^ cfg->reset[i]) & ~cfg->wmask[i])
			return false;
	return true;
}

/**
 * mtty_cfg_load() - replace the config space with a checked image
 * @cfg: the config space
 * @image: MTTY_CFG_SIZE bytes accepted by mtty_cfg_image_valid()
 *
 * Takes @cfg->lock.
 */
void mtty_cfg_load(struct mtty_cfg *cfg, const u8 *image)
{
	mutex_lock(&cfg->lock);
	memcpy(cfg->data, image, MTTY_CFG_SIZE);
	WRITE_ONCE(cfg->changed, true);
	mutex_unlock(&cfg->lock);
}
