// SPDX-License-Identifier: GPL-2.0
/*
 * mdpy_fb: a framebuffer driver for the guest side of an mdpy display.
 *
 * A guest that QEMU gives an mdpy mdev (-device vfio-pci,sysfsdev=...,
 * display=on) sees a PCI display whose BAR0 is the framebuffer and whose
 * vendor capability gives the mode (see mdpy_defs.h). This driver checks
 * the capability, maps the frame and registers an fbdev on it; there is
 * no mode setting, the mode is whatever the mdev type is.
 *
 * Teardown: unregister_framebuffer() in remove drops the driver's
 * reference; the fbdev core calls mdpy_fb_destroy() when the last user
 * of /dev/fbN has gone too, and only that unmaps the frame and frees
 * the fb_info. Nothing is unmapped twice.
 */
#include <linux/fb.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "mdpy_defs.h"
#include "mdpy_compat.h"

#define MDPY_FB_NAME		"mdpy_fb"
#define MDPY_FB_PALETTE_SIZE	16

/**
 * struct mdpy_fb_par - driver data behind &fb_info.par
 * @palette: the 16-entry pseudo palette the fbdev console draws with
 */
struct mdpy_fb_par {
	u32 palette[MDPY_FB_PALETTE_SIZE];
};

/**
 * struct mdpy_fb_mode - the mode the device's capability announces
 * @width: visible pixels per line
 * @height: visible lines
 */
struct mdpy_fb_mode {
	u32 width;
	u32 height;
};

/* ---- fbdev ops ---- */

static int mdpy_fb_setcolreg(unsigned int regno, unsigned int red,
			     unsigned int green, unsigned int blue,
			     unsigned int transp, struct fb_info *info)
{
	u32 *palette = info->pseudo_palette;

	if (regno >= MDPY_FB_PALETTE_SIZE)
		return -EINVAL;

	/* fbdev passes 16-bit components; XRGB8888 keeps the top 8 bits. */
	palette[regno] = (red >> 8) << info->var.red.offset |
			 (green >> 8) << info->var.green.offset |
			 (blue >> 8) << info->var.blue.offset;
	return 0;
}

/**
 * mdpy_fb_destroy() - free the framebuffer once nobody uses it
 * @info: the framebuffer
 *
 * Called by the fbdev core, without our locks, when the last reference
 * to @info is dropped: at unregister_framebuffer() if /dev/fbN is not
 * open, else at its last close. The only place the frame is unmapped.
 */
static void mdpy_fb_destroy(struct fb_info *info)
{
	iounmap(info->screen_base);
	framebuffer_release(info);
}

static const struct fb_ops mdpy_fb_ops = {
	.owner		= THIS_MODULE,
	MDPY_COMPAT_FB_IOMEM_OPS,
	.fb_setcolreg	= mdpy_fb_setcolreg,
	.fb_destroy	= mdpy_fb_destroy,
};

/* ---- device ---- */

/* Read and check the mode in the vendor capability. */
static int mdpy_fb_read_mode(struct pci_dev *pdev, struct mdpy_fb_mode *mode)
{
	u32 format, stride;

	if (pci_find_capability(pdev, PCI_CAP_ID_VNDR) != MDPY_VENDORCAP_OFFSET) {
		pci_err(pdev, "no mdpy capability at 0x%x\n",
			MDPY_VENDORCAP_OFFSET);
		return -ENODEV;
	}
	pci_read_config_dword(pdev, MDPY_FORMAT_OFFSET, &format);
	pci_read_config_dword(pdev, MDPY_WIDTH_OFFSET, &mode->width);
	pci_read_config_dword(pdev, MDPY_HEIGHT_OFFSET, &mode->height);

	if (format != MDPY_FORMAT_XRGB8888) {
		pci_err(pdev, "format 0x%08x is not XRGB8888\n", format);
		return -ENODEV;
	}
	if (mode->width < MDPY_MIN_WIDTH || mode->width > MDPY_MAX_WIDTH ||
	    mode->height < MDPY_MIN_HEIGHT || mode->height > MDPY_MAX_HEIGHT) {
		pci_err(pdev, "mode %ux%u out of range\n", mode->width,
			mode->height);
		return -ENODEV;
	}
	stride = mode->width * MDPY_BYTES_PER_PIXEL;
	if (!(pci_resource_flags(pdev, 0) & IORESOURCE_MEM) ||
	    pci_resource_len(pdev, 0) < (resource_size_t)stride * mode->height) {
		pci_err(pdev, "BAR0 cannot hold a %ux%u frame\n", mode->width,
			mode->height);
		return -ENODEV;
	}
	return 0;
}

static void mdpy_fb_set_info(struct fb_info *info, struct pci_dev *pdev,
			     const struct mdpy_fb_mode *mode)
{
	struct mdpy_fb_par *par = info->par;
	u32 stride = mode->width * MDPY_BYTES_PER_PIXEL;

	strscpy(info->fix.id, MDPY_FB_NAME, sizeof(info->fix.id));
	info->fix.type = FB_TYPE_PACKED_PIXELS;
	info->fix.visual = FB_VISUAL_TRUECOLOR;
	info->fix.accel = FB_ACCEL_NONE;
	info->fix.smem_start = pci_resource_start(pdev, 0);
	info->fix.smem_len = stride * mode->height;
	info->fix.line_length = stride;

	info->var.xres = mode->width;
	info->var.yres = mode->height;
	info->var.xres_virtual = mode->width;
	info->var.yres_virtual = mode->height;
	info->var.bits_per_pixel = MDPY_BYTES_PER_PIXEL * 8;
	/* XRGB8888: the top byte is padding, not alpha. */
	info->var.red = (struct fb_bitfield){ .offset = 16, .length = 8 };
	info->var.green = (struct fb_bitfield){ .offset = 8, .length = 8 };
	info->var.blue = (struct fb_bitfield){ .offset = 0, .length = 8 };
	info->var.height = -1;
	info->var.width = -1;
	info->var.activate = FB_ACTIVATE_NOW;
	info->var.vmode = FB_VMODE_NONINTERLACED;

	info->fbops = &mdpy_fb_ops;
	info->pseudo_palette = par->palette;
	info->screen_size = info->fix.smem_len;
}

/**
 * mdpy_fb_probe() - bind an mdpy display
 * @pdev: the PCI device
 * @id: the matching entry of mdpy_fb_pci_ids
 *
 * Called by the PCI core with @pdev's device lock held.
 *
 * Return: 0, -ENODEV for a device that is not a usable mdpy, or another
 * negative errno from the PCI or fbdev core.
 */
static int mdpy_fb_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct mdpy_fb_mode mode;
	struct fb_info *info;
	int ret;

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	ret = pci_request_regions(pdev, MDPY_FB_NAME);
	if (ret)
		goto out_disable;
	ret = mdpy_fb_read_mode(pdev, &mode);
	if (ret)
		goto out_release_regions;

	info = framebuffer_alloc(sizeof(struct mdpy_fb_par), &pdev->dev);
	if (!info) {
		ret = -ENOMEM;
		goto out_release_regions;
	}
	mdpy_fb_set_info(info, pdev, &mode);

	info->screen_base = ioremap_wc(info->fix.smem_start, info->fix.smem_len);
	if (!info->screen_base) {
		ret = -ENOMEM;
		goto out_framebuffer_release;
	}

	ret = register_framebuffer(info);
	if (ret)
		goto out_iounmap;

	pci_set_drvdata(pdev, info);
	pci_info(pdev, "fb%d: %ux%u XRGB8888\n", info->node, mode.width,
		 mode.height);
	return 0;

out_iounmap:
	iounmap(info->screen_base);
out_framebuffer_release:
	framebuffer_release(info);
out_release_regions:
	pci_release_regions(pdev);
out_disable:
	pci_disable_device(pdev);
	return ret;
}

/**
 * mdpy_fb_remove() - unbind, the reverse of mdpy_fb_probe()
 * @pdev: the PCI device
 *
 * Called by the PCI core with @pdev's device lock held.
 */
static void mdpy_fb_remove(struct pci_dev *pdev)
{
	struct fb_info *info = pci_get_drvdata(pdev);

	/* The frame is unmapped in mdpy_fb_destroy(), once nobody uses it. */
	unregister_framebuffer(info);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
}

static const struct pci_device_id mdpy_fb_pci_ids[] = {
	{ PCI_DEVICE_SUB(MDPY_PCI_VENDOR_ID, MDPY_PCI_DEVICE_ID,
			 MDPY_PCI_SUBVENDOR_ID, MDPY_PCI_SUBDEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, mdpy_fb_pci_ids);

static struct pci_driver mdpy_fb_driver = {
	.name		= MDPY_FB_NAME,
	.id_table	= mdpy_fb_pci_ids,
	.probe		= mdpy_fb_probe,
	.remove		= mdpy_fb_remove,
};
module_pci_driver(mdpy_fb_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Framebuffer driver for the mdpy virtual PCI display");
