// SPDX-License-Identifier: GPL-2.0
/*
 * The MMIO portal of an emulated fsl-mc object: one page holding read-only
 * registers that describe the object, a doorbell that raises one of its
 * interrupts, and plain memory (see fsl_mc_stub_defs.h for the layout).
 *
 * Every access is bounds-checked here, so callers may pass offsets and
 * sizes straight from userspace.  The page is not locked: like real MMIO,
 * concurrent accesses to the same bytes may interleave, which only affects
 * the data the accessors see.
 */
#include <linux/mm.h>
#include <linux/string.h>

#include "fsl_mc_stub.h"

static bool fsl_mc_stub_portal_range_ok(loff_t off, size_t count)
{
	return off >= 0 && off < FSL_MC_STUB_PORTAL_SIZE &&
	       count && count <= FSL_MC_STUB_PORTAL_SIZE - off;
}

static bool fsl_mc_stub_portal_overlaps(loff_t off, size_t count,
					loff_t reg, size_t size)
{
	return off < reg + size && reg < off + count;
}

/**
 * fsl_mc_stub_portal_reset() - put the portal in its power-on state
 * @obj: the object
 *
 * Clears the memory and writes the read-only registers.
 */
void fsl_mc_stub_portal_reset(struct fsl_mc_stub_obj *obj)
{
	__le32 *regs = page_address(obj->portal);

	memset(regs, 0, FSL_MC_STUB_PORTAL_SIZE);
	regs[FSL_MC_STUB_REG_ID / 4] = cpu_to_le32(obj->id);
	regs[FSL_MC_STUB_REG_IRQ_COUNT / 4] =
		cpu_to_le32(obj->type->irq_count);
}
EXPORT_SYMBOL_GPL(fsl_mc_stub_portal_reset);

/**
 * fsl_mc_stub_portal_read() - read from the portal
 * @obj: the object
 * @buf: destination
 * @count: bytes to read
 * @off: offset in the portal
 *
 * Return: 0, or -EINVAL if the range is not inside the portal.
 */
int fsl_mc_stub_portal_read(struct fsl_mc_stub_obj *obj, void *buf,
			    size_t count, loff_t off)
{
	if (!fsl_mc_stub_portal_range_ok(off, count))
		return -EINVAL;
	memcpy(buf, page_address(obj->portal) + off, count);
	return 0;
}
EXPORT_SYMBOL_GPL(fsl_mc_stub_portal_read);

/**
 * fsl_mc_stub_portal_write() - write to the portal
 * @obj: the object
 * @buf: source
 * @count: bytes to write
 * @off: offset in the portal
 *
 * The doorbell takes only an aligned 32-bit write of an interrupt index,
 * and raises that interrupt; it reads back as zero.
 * Return: 0, or -EINVAL if the range is not inside the portal, touches a
 * read-only register, is a partial doorbell write or names no interrupt.
 */
int fsl_mc_stub_portal_write(struct fsl_mc_stub_obj *obj, const void *buf,
			     size_t count, loff_t off)
{
	__le32 val;

	if (!fsl_mc_stub_portal_range_ok(off, count))
		return -EINVAL;
	if (off < FSL_MC_STUB_REG_RO_END)
		return -EINVAL;

	if (fsl_mc_stub_portal_overlaps(off, count, FSL_MC_STUB_REG_DOORBELL,
					sizeof(val))) {
		if (off != FSL_MC_STUB_REG_DOORBELL || count != sizeof(val))
			return -EINVAL;
		memcpy(&val, buf, sizeof(val));
		return fsl_mc_stub_irq_raise(obj, le32_to_cpu(val));
	}

	memcpy(page_address(obj->portal) + off, buf, count);
	return 0;
}
EXPORT_SYMBOL_GPL(fsl_mc_stub_portal_write);
