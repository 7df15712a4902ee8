// SPDX-License-Identifier: GPL-2.0
/*
 * mbochs EDID region: how the host user sets the virtual monitor's EDID
 * and link state (VFIO_REGION_SUBTYPE_GFX_EDID). The region holds
 * struct vfio_region_gfx_edid at 0, 32-bit registers accessed whole, and
 * the EDID blob at edid_offset. The guest reads the blob through BAR2
 * (mbochs_model.c) while the link is up.
 */
#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/string.h>

#include "mbochs.h"

static_assert(VFIO_PCI_NUM_REGIONS == MBOCHS_EDID_REGION_INDEX);
static_assert(sizeof(struct vfio_region_gfx_edid) <= MBOCHS_EDID_REGS_SIZE);

static u32 mbochs_edid_reg_read_locked(struct mbochs_dev *mb, u32 off)
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
static int mbochs_edid_reg_write_locked(struct mbochs_dev *mb, u32 off,
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

/* Whole registers only: @off and @len multiples of 4, inside the area. */
static int mbochs_edid_regs_locked(struct mbochs_dev *mb, u32 off, u8 *buf,
				   u32 len, bool write)
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

/**
 * mbochs_edid_access_locked() - an access to the EDID region
 * @mb: the device
 * @off: offset in the region; @off + @len lies inside it
 * @buf: kernel buffer
 * @len: bytes
 * @write: write @buf to the region rather than read it
 *
 * Called with state_lock held, from region access.
 *
 * Return: 0, or -EINVAL for a partial register, a read-only register, a
 * bad value, or an access that spans the registers and the blob.
 */
int mbochs_edid_access_locked(struct mbochs_dev *mb, u32 off, u8 *buf,
			      u32 len, bool write)
{
	lockdep_assert_held(&mb->state_lock);
	if (off < MBOCHS_EDID_BLOB_OFFSET)
		return mbochs_edid_regs_locked(mb, off, buf, len, write);
	off -= MBOCHS_EDID_BLOB_OFFSET;
	if (write)
		return mbochs_model_edid_write(&mb->model, off, buf, len);
	return mbochs_model_edid_read(&mb->model, off, buf, len);
}
