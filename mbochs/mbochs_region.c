// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs region access: read() and write() on the device fd.
 *
 * The fd offset selects a region (offset >> MBOCHS_REGION_SHIFT) and an
 * offset inside it. Every access must lie wholly inside its region and
 * acts at exactly the offset asked for. User memory is only touched
 * outside state_lock, through a bounce buffer, because the user buffer
 * may itself be a mapping of BAR0 whose fault handler takes state_lock.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "mbochs.h"

#define MBOCHS_REGION_OFFSET_MASK	((1ULL << MBOCHS_REGION_SHIFT) - 1)
/* Accesses up to this size bounce through the stack. */
#define MBOCHS_REGION_SMALL_IO		64

static_assert(VFIO_PCI_NUM_REGIONS == MBOCHS_EDID_REGION_INDEX);
static_assert(sizeof(struct vfio_region_gfx_edid) <= MBOCHS_EDID_REGS_SIZE);

/**
 * mbochs_region_size() - the size of a region, 0 if it does not exist
 * @mb: the device
 * @index: region index
 *
 * Return: size in bytes.
 */
u64 mbochs_region_size(struct mbochs_device *mb, unsigned int index)
{
	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		return MBOCHS_PCI_CFG_SIZE;
	case VFIO_PCI_BAR0_REGION_INDEX:
		return mb->model.vram_size;
	case VFIO_PCI_BAR2_REGION_INDEX:
		return MBOCHS_MMIO_SIZE;
	case MBOCHS_EDID_REGION_INDEX:
		return MBOCHS_EDID_REGION_SIZE;
	default:
		return 0;
	}
}

/* ---- the EDID region's registers (struct vfio_region_gfx_edid) ---- */

static u32 mbochs_edid_reg_read_locked(struct mbochs_device *mb, u32 off)
{
	struct mbochs_model *m = &mb->model;

	lockdep_assert_held(&mb->state_lock);
	switch (off) {
	case offsetof(struct vfio_region_gfx_edid, edid_offset):
		return MBOCHS_EDID_BLOB_OFFSET;
	case offsetof(struct vfio_region_gfx_edid, edid_max_size):
		return MBOCHS_EDID_BLOB_MAX;
	case offsetof(struct vfio_region_gfx_edid, edid_size):
		return m->edid_size;
	case offsetof(struct vfio_region_gfx_edid, max_xres):
		return m->max_xres;
	case offsetof(struct vfio_region_gfx_edid, max_yres):
		return m->max_yres;
	case offsetof(struct vfio_region_gfx_edid, link_state):
		return m->link_up ? VFIO_DEVICE_GFX_LINK_STATE_UP :
				    VFIO_DEVICE_GFX_LINK_STATE_DOWN;
	default:
		return 0;
	}
}

/* Only edid_size and link_state are writable; the rest is -EINVAL. */
static int mbochs_edid_reg_write_locked(struct mbochs_device *mb, u32 off,
					u32 val)
{
	struct mbochs_model *m = &mb->model;

	lockdep_assert_held(&mb->state_lock);
	switch (off) {
	case offsetof(struct vfio_region_gfx_edid, edid_size):
		return mbochs_model_edid_set_size(m, val);
	case offsetof(struct vfio_region_gfx_edid, link_state):
		if (val != VFIO_DEVICE_GFX_LINK_STATE_UP &&
		    val != VFIO_DEVICE_GFX_LINK_STATE_DOWN)
			return -EINVAL;
		m->link_up = val == VFIO_DEVICE_GFX_LINK_STATE_UP;
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * The registers are 32 bits wide and accessed whole: @off and @len are
 * multiples of 4, and the access stays inside the register area.
 */
static int mbochs_edid_regs_rw_locked(struct mbochs_device *mb, u32 off,
				      u8 *buf, u32 len, bool write)
{
	u32 i, val;
	int ret;

	if (off % 4 || len % 4 || len > MBOCHS_EDID_REGS_SIZE - off)
		return -EINVAL;
	for (i = 0; i < len; i += 4) {
		if (write) {
			memcpy(&val, buf + i, 4);
			ret = mbochs_edid_reg_write_locked(mb, off + i, val);
			if (ret)
				return ret;
		} else {
			val = mbochs_edid_reg_read_locked(mb, off + i);
			memcpy(buf + i, &val, 4);
		}
	}
	return 0;
}

static int mbochs_edid_rw_locked(struct mbochs_device *mb, u32 off, u8 *buf,
				 u32 len, bool write)
{
	if (off < MBOCHS_EDID_BLOB_OFFSET)
		return mbochs_edid_regs_rw_locked(mb, off, buf, len, write);
	off -= MBOCHS_EDID_BLOB_OFFSET;
	if (write)
		return mbochs_model_edid_write(&mb->model, off, buf, len);
	return mbochs_model_edid_read(&mb->model, off, buf, len);
}

/* ---- dispatch ---- */

/* One access to one region, inside its bounds, on a kernel buffer. */
static int mbochs_region_access_locked(struct mbochs_device *mb,
				       unsigned int index, u64 off, u8 *buf,
				       u32 len, bool write)
{
	lockdep_assert_held(&mb->state_lock);
	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		if (write)
			mbochs_model_cfg_write(&mb->model, off, buf, len);
		else
			mbochs_model_cfg_read(&mb->model, off, buf, len);
		return 0;
	case VFIO_PCI_BAR0_REGION_INDEX:
		return mbochs_vram_rw_locked(&mb->vram, off, buf, len, write);
	case VFIO_PCI_BAR2_REGION_INDEX:
		if (write)
			mbochs_model_mmio_write(&mb->model, off, buf, len);
		else
			mbochs_model_mmio_read(&mb->model, off, buf, len);
		return 0;
	case MBOCHS_EDID_REGION_INDEX:
		return mbochs_edid_rw_locked(mb, off, buf, len, write);
	default:
		return -EINVAL;
	}
}

/**
 * mbochs_region_rw() - read() or write() on the device fd
 * @mb: the device
 * @ubuf: user buffer
 * @count: bytes to transfer
 * @ppos: fd offset: region index and offset; advanced by what was done
 * @write: write to the device rather than read from it
 *
 * Large transfers (BAR0) go a page at a time. Only BAR0 spans more than
 * a page, so registers are always accessed in one step.
 *
 * Return: @count, or -EINVAL for a range outside the region, -EFAULT or
 * -ENOMEM.
 */
ssize_t mbochs_region_rw(struct mbochs_device *mb, char __user *ubuf,
			 size_t count, loff_t *ppos, bool write)
{
	unsigned int index = (u64)*ppos >> MBOCHS_REGION_SHIFT;
	u64 off = *ppos & MBOCHS_REGION_OFFSET_MASK;
	u64 size = mbochs_region_size(mb, index);
	u8 small[MBOCHS_REGION_SMALL_IO], *bounce = small;
	size_t done = 0;
	int ret = 0;

	if (*ppos < 0 || off >= size || count > size - off)
		return -EINVAL;

	/* Register accesses are small: spare them an allocation. */
	if (count > sizeof(small)) {
		bounce = kmalloc(min_t(size_t, count, PAGE_SIZE), GFP_KERNEL);
		if (!bounce)
			return -ENOMEM;
	}

	while (done < count) {
		u32 len = min_t(size_t, count - done, PAGE_SIZE);

		if (write && copy_from_user(bounce, ubuf + done, len)) {
			ret = -EFAULT;
			break;
		}
		mutex_lock(&mb->state_lock);
		ret = mbochs_region_access_locked(mb, index, off + done,
						  bounce, len, write);
		mutex_unlock(&mb->state_lock);
		if (ret)
			break;
		if (!write && copy_to_user(ubuf + done, bounce, len)) {
			ret = -EFAULT;
			break;
		}
		done += len;
	}
	if (bounce != small)
		kfree(bounce);
	if (ret)
		return ret;
	*ppos += done;
	return done;
}
