// SPDX-License-Identifier: GPL-2.0
/*
 * mtty: VFIO migration v2. Save a device's state (FIFO contents, every
 * register, config space) and load it into a fresh device that then
 * behaves the same; refuse bad streams without touching the device;
 * PRE_COPY where the kernel has it; sessions end with the last close.
 */
#include <linux/pci_regs.h>
#include <sys/utsname.h>

#include "kselftest_harness.h"
#include "mtty_util.h"

/* ---- helpers ---- */

/* VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, get or set: 0 or -errno. */
static int mig_state_ioctl(int fd, __u32 flags,
			   struct vfio_device_feature_mig_state *st)
{
	char buf[sizeof(struct vfio_device_feature) + sizeof(*st)];
	struct vfio_device_feature *feat = (void *)buf;

	memset(buf, 0, sizeof(buf));
	feat->argsz = sizeof(buf);
	feat->flags = flags | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE;
	memcpy(feat->data, st, sizeof(*st));
	if (ioctl(fd, VFIO_DEVICE_FEATURE, feat))
		return -errno;
	memcpy(st, feat->data, sizeof(*st));
	return 0;
}

static int mig_set(int fd, __u32 state, int *data_fd)
{
	struct vfio_device_feature_mig_state st = {
		.device_state = state, .data_fd = -1,
	};
	int ret = mig_state_ioctl(fd, VFIO_DEVICE_FEATURE_SET, &st);

	if (ret)
		return ret;
	if (data_fd)
		*data_fd = st.data_fd;
	else if (st.data_fd >= 0)
		close(st.data_fd);
	return 0;
}

static __u32 mig_get(int fd)
{
	struct vfio_device_feature_mig_state st = { 0 };

	if (mig_state_ioctl(fd, VFIO_DEVICE_FEATURE_GET, &st))
		vfio_lib_fail("get mig state: %s", strerror(errno));
	return st.device_state;
}

static int mig_feature(int fd, __u32 feature, __u64 *val)
{
	char buf[sizeof(struct vfio_device_feature) + sizeof(__u64)];
	struct vfio_device_feature *feat = (void *)buf;

	memset(buf, 0, sizeof(buf));
	feat->argsz = sizeof(buf);
	feat->flags = VFIO_DEVICE_FEATURE_GET | feature;
	if (ioctl(fd, VFIO_DEVICE_FEATURE, feat))
		return -errno;
	memcpy(val, feat->data, sizeof(*val));
	return 0;
}

/* Whether the running kernel is at least @maj.@min. */
static int kernel_at_least(int maj, int min)
{
	struct utsname u;
	int a = 0, b = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &a, &b) != 2)
		return 0;
	return a > maj || (a == maj && b >= min);
}

/* Read a saving fd to its end (read() == 0). Bytes, or -errno. */
static ssize_t read_stream(int fd, __u8 *buf, size_t max)
{
	size_t got = 0;
	ssize_t n;

	for (;;) {
		n = read(fd, buf + got, max - got > 7 ? 7 : max - got);
		if (n < 0)
			return -errno;
		if (n == 0)
			return got;
		got += n;
	}
}

static __u32 crc32_zlib(const __u8 *p, size_t len)
{
	__u32 crc = ~0u;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

/* Recompute the trailer CRC after editing a stream. */
static void stream_fix_crc(__u8 *s, int ports)
{
	struct mtty_mig_trailer *t = (void *)(s + MTTY_MIG_TRAILER_OFFSET(ports));

	t->crc = crc32_zlib(s, MTTY_MIG_TRAILER_OFFSET(ports));
}

#define SNAP_MAX	64

/*
 * Everything a guest can read from the device, in a fixed order. The
 * reads have side effects (IIR, LSR, MSR, RBR), the same on every
 * device, so two devices in the same state give the same snapshot.
 */
static int snapshot(struct mtty *m, int ports, __u8 *out)
{
	__u8 cfg[MTTY_CFG_SIZE];
	int n = 0, p, sum = 0, i;

	if (pread(m->dev.fd, cfg, sizeof(cfg), m->cfg) != sizeof(cfg))
		vfio_lib_fail("config read");
	for (i = 0; i < MTTY_CFG_SIZE; i++)
		sum = sum * 31 + cfg[i];
	out[n++] = sum;
	out[n++] = sum >> 8;
	out[n++] = sum >> 16;
	for (p = 0; p < ports; p++) {
		__u8 lcr = uart_in(m, p, UART_LCR);

		out[n++] = lcr;
		out[n++] = uart_in(m, p, UART_IER);
		out[n++] = uart_in(m, p, UART_MCR);
		out[n++] = uart_in(m, p, UART_SCR);
		uart_out(m, p, UART_LCR, lcr | UART_LCR_DLAB);
		out[n++] = uart_in(m, p, UART_DLL);
		out[n++] = uart_in(m, p, UART_DLM);
		uart_out(m, p, UART_LCR, lcr);
		out[n++] = uart_in(m, p, UART_IIR);
		out[n++] = uart_in(m, p, UART_LSR);
		out[n++] = uart_in(m, p, UART_MSR);
		while (uart_in(m, p, UART_LSR) & UART_LSR_DR && n < SNAP_MAX)
			out[n++] = uart_in(m, p, UART_RX);
	}
	return n;
}

/* A busy state: overrun, a wrapped FIFO, modem deltas, config writes. */
static void make_state(struct mtty *m, int ports)
{
	int p, i;

	cfg_out(m, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MASTER, 2);
	cfg_out(m, PCI_BASE_ADDRESS_0, 0xc000, 4);
	cfg_out(m, PCI_INTERRUPT_LINE, 11, 1);
	cfg_out(m, MTTY_PCI_MSI_CAP_OFFSET + PCI_MSI_DATA_32, 0x4021, 2);
	for (p = 0; p < ports; p++) {
		uart_setup_loop(m, p);
		uart_out(m, p, UART_FCR, UART_FCR_ENABLE_FIFO |
			 UART_FCR_TRIGGER_8);
		uart_out(m, p, UART_MCR, UART_MCR_LOOP | UART_MCR_RTS |
			 UART_MCR_OUT2);
		uart_out(m, p, UART_IER, UART_IER_RDI | UART_IER_RLSI |
			 UART_IER_MSI);
		for (i = 0; i < 20; i++)
			uart_out(m, p, UART_TX, 0x30 + i + p);
		for (i = 0; i < 5; i++)
			uart_in(m, p, UART_RX);
		for (i = 0; i < 3; i++)
			uart_out(m, p, UART_TX, 0x60 + i + p);
		uart_out(m, p, UART_SCR, 0x40 + p);
		uart_out(m, p, UART_LCR, UART_LCR_DLAB | UART_LCR_WLEN7);
		uart_out(m, p, UART_DLL, 0x34 + p);
		uart_out(m, p, UART_DLM, 0x12);
		uart_out(m, p, UART_LCR, UART_LCR_WLEN7 | UART_LCR_PARITY);
	}
}

/* Save @m (RUNNING -> STOP_COPY), return it to RUNNING. Stream length. */
static ssize_t save(struct mtty *m, __u8 *buf, size_t max)
{
	ssize_t len;
	int dfd = -1;

	if (mig_set(m->dev.fd, VFIO_DEVICE_STATE_STOP_COPY, &dfd))
		vfio_lib_fail("STOP_COPY: %s", strerror(errno));
	len = read_stream(dfd, buf, max);
	close(dfd);
	if (mig_set(m->dev.fd, VFIO_DEVICE_STATE_RUNNING, NULL))
		vfio_lib_fail("back to RUNNING: %s", strerror(errno));
	return len;
}

/* Load a stream: 0, or the -errno of the write or of RESUMING -> STOP. */
static int load(struct mtty *m, const __u8 *buf, size_t len)
{
	int dfd = -1, ret = 0;
	ssize_t n;

	if (mig_set(m->dev.fd, VFIO_DEVICE_STATE_RESUMING, &dfd))
		vfio_lib_fail("RESUMING: %s", strerror(errno));
	/* Unaligned pieces: the format must not care how it is cut. */
	while (len) {
		n = write(dfd, buf, len > 5 ? 5 : len);
		if (n < 0) {
			ret = -errno;
			break;
		}
		buf += n;
		len -= n;
	}
	if (!ret)
		ret = mig_set(m->dev.fd, VFIO_DEVICE_STATE_STOP, NULL);
	close(dfd);
	return ret;
}

/*
 * A DMA logging feature: START with one range or STOP (both SET), or
 * REPORT (a GET) of @len bytes at IOVA 0 into @bitmap; 4 KiB pages.
 * 0 or -errno.
 */
static int dirty_feature(int fd, __u32 feature, __u64 len, __u64 *bitmap)
{
	char buf[sizeof(struct vfio_device_feature) +
		 sizeof(struct vfio_device_feature_dma_logging_report)];
	struct vfio_device_feature *feat = (void *)buf;
	struct vfio_device_feature_dma_logging_range range = {
		.iova = 0, .length = len,
	};
	struct vfio_device_feature_dma_logging_control ctl = {
		.page_size = 4096, .num_ranges = 1,
		.ranges = (__u64)(uintptr_t)&range,
	};
	struct vfio_device_feature_dma_logging_report rep = {
		.iova = 0, .length = len, .page_size = 4096,
		.bitmap = (__u64)(uintptr_t)bitmap,
	};

	memset(buf, 0, sizeof(buf));
	feat->argsz = sizeof(*feat);
	feat->flags = VFIO_DEVICE_FEATURE_SET | feature;
	if (feature == VFIO_DEVICE_FEATURE_DMA_LOGGING_START) {
		memcpy(feat->data, &ctl, sizeof(ctl));
		feat->argsz += sizeof(ctl);
	} else if (feature == VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT) {
		feat->flags = VFIO_DEVICE_FEATURE_GET | feature;
		memcpy(feat->data, &rep, sizeof(rep));
		feat->argsz += sizeof(rep);
	}
	return ioctl(fd, VFIO_DEVICE_FEATURE, feat) ? -errno : 0;
}

/* ---- fixture: a source and a destination device of one type ---- */

FIXTURE(mig) {
	char src_uuid[UUID_STR_LEN];
	char dst_uuid[UUID_STR_LEN];
	struct mtty src, dst;
	int ports;
	size_t size;
};

FIXTURE_VARIANT(mig) {
	const char *type;
};

FIXTURE_VARIANT_ADD(mig, one_port) {
	.type = "mtty-1",
};

FIXTURE_VARIANT_ADD(mig, two_ports) {
	.type = "mtty-2",
};

FIXTURE_SETUP(mig)
{
	if (!path_exists(MTTY_SYSFS))
		SKIP(return, "the mtty module is not loaded");
	self->ports = mtty_ports_of(variant->type);
	self->size = MTTY_MIG_STREAM_SIZE(self->ports);
	mdev_create(MTTY_PARENT, variant->type, self->src_uuid);
	mdev_create(MTTY_PARENT, variant->type, self->dst_uuid);
	mtty_open(self->src_uuid, &self->src);
	mtty_open(self->dst_uuid, &self->dst);
}

/*
 * In the parent, after the test process has exited and so closed every
 * fd it had: removing a device that is still open would wait forever.
 */
FIXTURE_TEARDOWN_PARENT(mig)
{
	if (!self->src_uuid[0])
		return;
	__mdev_remove(self->src_uuid);
	__mdev_remove(self->dst_uuid);
}

TEST_F(mig, features)
{
	__u64 flags = 0, size = 0;
	__u64 want = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P;

	ASSERT_EQ(0, mig_feature(self->src.dev.fd,
				 VFIO_DEVICE_FEATURE_MIGRATION, &flags));
	if (kernel_at_least(6, 2)) {
		want |= VFIO_MIGRATION_PRE_COPY;
		ASSERT_EQ(0, mig_feature(self->src.dev.fd,
					 VFIO_DEVICE_FEATURE_MIG_DATA_SIZE,
					 &size));
		EXPECT_EQ(self->size, size);
	}
	EXPECT_EQ(want, flags);
	EXPECT_EQ(VFIO_DEVICE_STATE_RUNNING, mig_get(self->src.dev.fd));

	/* RUNNING_P2P is a state of its own. */
	ASSERT_EQ(0, mig_set(self->src.dev.fd, VFIO_DEVICE_STATE_RUNNING_P2P,
			     NULL));
	EXPECT_EQ(VFIO_DEVICE_STATE_RUNNING_P2P, mig_get(self->src.dev.fd));
	ASSERT_EQ(0, mig_set(self->src.dev.fd, VFIO_DEVICE_STATE_STOP, NULL));
	ASSERT_EQ(0, mig_set(self->src.dev.fd, VFIO_DEVICE_STATE_RUNNING,
			     NULL));
}

/* The stream's header and size follow mtty_defs.h. */
TEST_F(mig, stream_format)
{
	__u8 buf[512];
	struct mtty_mig_header *h = (void *)buf;
	struct mtty_mig_trailer *t;
	ssize_t len = save(&self->src, buf, sizeof(buf));

	ASSERT_EQ(self->size, len);
	EXPECT_EQ(MTTY_MIG_MAGIC, h->magic);
	EXPECT_EQ(MTTY_MIG_VERSION, h->version);
	EXPECT_EQ(self->ports, h->nr_ports);
	EXPECT_EQ(len - sizeof(*h), h->length);
	t = (void *)(buf + MTTY_MIG_TRAILER_OFFSET(self->ports));
	EXPECT_EQ(crc32_zlib(buf, MTTY_MIG_TRAILER_OFFSET(self->ports)),
		  t->crc);
}

/*
 * Save a busy device, load it into a fresh one: both then read the same
 * and behave the same, and saving did not disturb the source.
 */
TEST_F(mig, save_restore)
{
	__u8 buf[512], a[SNAP_MAX], b[SNAP_MAX];
	int na, nb, p;
	ssize_t len;

	make_state(&self->src, self->ports);
	len = save(&self->src, buf, sizeof(buf));
	ASSERT_EQ(self->size, len);

	ASSERT_EQ(0, load(&self->dst, buf, len));
	ASSERT_EQ(0, mig_set(self->dst.dev.fd, VFIO_DEVICE_STATE_RUNNING,
			     NULL));
	EXPECT_EQ(0, mtty_debugfs(self->dst_uuid, "mig_files"));

	na = snapshot(&self->src, self->ports, a);
	nb = snapshot(&self->dst, self->ports, b);
	ASSERT_EQ(na, nb);
	EXPECT_EQ(0, memcmp(a, b, na));
	/* Port 0's FIFO came across: 11 + 3 bytes after 5 were read. */
	EXPECT_EQ(0x35, a[3 + 9]);

	/* Same input, same output: 7-bit words, interrupts, FIFO order. */
	for (p = 0; p < self->ports; p++) {
		uart_out(&self->src, p, UART_TX, 0xff);
		uart_out(&self->dst, p, UART_TX, 0xff);
		EXPECT_EQ(uart_in(&self->src, p, UART_IIR),
			  uart_in(&self->dst, p, UART_IIR));
		EXPECT_EQ(0x7f, uart_in(&self->dst, p, UART_RX));
		EXPECT_EQ(0x7f, uart_in(&self->src, p, UART_RX));
	}
}

/* Every kind of bad stream is refused and the device stays as it was. */
TEST_F(mig, bad_streams)
{
	__u8 good[512], bad[520], before[SNAP_MAX], after[SNAP_MAX];
	int ports = self->ports, i, nb, na, ret;
	struct mtty_mig_stream *s = (void *)bad;
	size_t len;

	make_state(&self->src, ports);
	len = save(&self->src, good, sizeof(good));
	ASSERT_EQ(self->size, len);

	for (i = 0; i < 10; i++) {
		size_t blen = len;
		int want = -EINVAL;

		memcpy(bad, good, len);
		switch (i) {
		case 0:		/* truncated */
			blen = len - 1;
			break;
		case 1:		/* header only */
			blen = sizeof(struct mtty_mig_header);
			break;
		case 2:		/* a valid value, but the CRC disagrees */
			s->port[0].scr ^= 0x10;
			break;
		case 3:		/* foreign magic */
			bad[0] ^= 1;
			break;
		case 4:		/* a later version */
			s->hdr.version = MTTY_MIG_VERSION + 1;
			want = -EPROTONOSUPPORT;
			break;
		case 5:		/* other port count */
			s->hdr.nr_ports = 3 - ports;
			break;
		case 6:		/* trailing garbage */
			bad[len] = 0;
			blen = len + 1;
			want = -EFBIG;
			break;
		case 7:		/* valid CRC, impossible FIFO count */
			s->port[0].rx_count = MTTY_FIFO_SIZE + 1;
			stream_fix_crc(bad, ports);
			break;
		case 8:		/* valid CRC, a read-only config bit */
			s->config[PCI_CLASS_PROG] ^= 1;
			stream_fix_crc(bad, ports);
			break;
		case 9:		/* valid CRC, reserved bits */
			s->port[ports - 1].ier |= 0x80;
			stream_fix_crc(bad, ports);
			break;
		}

		/*
		 * Known state in the destination, unlike the source's in
		 * config space and UART, then the bad load.
		 */
		make_state(&self->dst, ports);
		uart_out(&self->dst, 0, UART_SCR, 0x99);
		cfg_out(&self->dst, PCI_INTERRUPT_LINE, 5, 1);
		ret = load(&self->dst, bad, blen);
		EXPECT_EQ(want, ret) {
			TH_LOG("bad stream %d", i);
		}
		EXPECT_EQ(VFIO_DEVICE_STATE_RESUMING,
			  mig_get(self->dst.dev.fd));

		/* Unchanged: same snapshot as a twin built the same way. */
		na = snapshot(&self->dst, ports, after);
		ASSERT_EQ(0, ioctl(self->dst.dev.fd, VFIO_DEVICE_RESET));
		EXPECT_EQ(VFIO_DEVICE_STATE_RUNNING,
			  mig_get(self->dst.dev.fd));
		make_state(&self->dst, ports);
		uart_out(&self->dst, 0, UART_SCR, 0x99);
		cfg_out(&self->dst, PCI_INTERRUPT_LINE, 5, 1);
		nb = snapshot(&self->dst, ports, before);
		ASSERT_EQ(nb, na);
		EXPECT_EQ(0, memcmp(before, after, na)) {
			TH_LOG("bad stream %d changed the device", i);
		}
		ASSERT_EQ(0, ioctl(self->dst.dev.fd, VFIO_DEVICE_RESET));
	}

	/* The good stream still loads after all that. */
	EXPECT_EQ(0, load(&self->dst, good, len));
}

/*
 * PRE_COPY: the header comes first, then a temporary end of data
 * (ENOMSG); STOP_COPY adds the state, and then the end is final.
 */
TEST_F(mig, precopy)
{
	struct vfio_precopy_info info = { .argsz = sizeof(info) };
	__u8 buf[512], ref[512];
	int dfd = -1, fd = self->src.dev.fd;
	ssize_t n, rest;

	if (!kernel_at_least(6, 2))
		SKIP(return, "PRE_COPY needs Linux 6.2");

	make_state(&self->src, self->ports);
	ASSERT_EQ(0, mig_set(fd, VFIO_DEVICE_STATE_PRE_COPY, &dfd));
	ASSERT_EQ(0, ioctl(dfd, VFIO_MIG_GET_PRECOPY_INFO, &info));
	EXPECT_EQ(sizeof(struct mtty_mig_header), info.initial_bytes);
	EXPECT_EQ(0, info.dirty_bytes);

	n = read(dfd, buf, sizeof(buf));
	ASSERT_EQ(sizeof(struct mtty_mig_header), n);
	EXPECT_EQ(-1, read(dfd, buf + n, sizeof(buf) - n));
	EXPECT_EQ(ENOMSG, errno);
	ASSERT_EQ(0, ioctl(dfd, VFIO_MIG_GET_PRECOPY_INFO, &info));
	EXPECT_EQ(0, info.initial_bytes);

	/* The device still runs in PRE_COPY. */
	uart_out(&self->src, 0, UART_SCR, 0x11);

	ASSERT_EQ(0, mig_set(fd, VFIO_DEVICE_STATE_PRE_COPY_P2P, NULL));
	ASSERT_EQ(0, mig_set(fd, VFIO_DEVICE_STATE_STOP_COPY, NULL));
	EXPECT_EQ(-1, ioctl(dfd, VFIO_MIG_GET_PRECOPY_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
	rest = read_stream(dfd, buf + n, sizeof(buf) - n);
	ASSERT_EQ(self->size - n, rest);
	EXPECT_EQ(0, read(dfd, buf, 1));
	close(dfd);
	ASSERT_EQ(0, mig_set(fd, VFIO_DEVICE_STATE_RUNNING, NULL));

	/* Same stream as a plain STOP_COPY save, and it loads. */
	ASSERT_EQ(self->size, save(&self->src, ref, sizeof(ref)));
	EXPECT_EQ(0, memcmp(ref, buf, self->size));
	EXPECT_EQ(0, load(&self->dst, buf, self->size));
	EXPECT_EQ(0x11, uart_in(&self->dst, 0, UART_SCR));
}

/* The last close ends a session: the data fd fails, the state resets. */
TEST_F(mig, close_ends_session)
{
	__u8 buf[16];
	int dfd = -1;

	ASSERT_EQ(0, mig_set(self->src.dev.fd, VFIO_DEVICE_STATE_STOP_COPY,
			     &dfd));
	EXPECT_EQ(1, mtty_debugfs(self->src_uuid, "mig_files"));
	close(self->src.dev.fd);
	EXPECT_EQ(0, mtty_debugfs(self->src_uuid, "mig_files"));
	EXPECT_EQ(-1, read(dfd, buf, sizeof(buf)));
	EXPECT_EQ(ENODEV, errno);
	close(dfd);

	self->src.dev.fd = vfio_dev_fd(&self->src.dev);
	EXPECT_EQ(VFIO_DEVICE_STATE_RUNNING, mig_get(self->src.dev.fd));

	/* A state that holds no session returns to RUNNING too. */
	ASSERT_EQ(0, mig_set(self->src.dev.fd, VFIO_DEVICE_STATE_STOP, NULL));
	close(self->src.dev.fd);
	self->src.dev.fd = vfio_dev_fd(&self->src.dev);
	EXPECT_EQ(VFIO_DEVICE_STATE_RUNNING, mig_get(self->src.dev.fd));
}

/*
 * Dirty tracking: the device writes no guest memory, so every report is
 * clean, but only between a start and a stop; a reset keeps tracking on
 * and the last close ends it.
 */
TEST_F(mig, dirty_tracking)
{
	const __u64 len = 1 << 20;
	__u64 bitmap[len / 4096 / 64];
	int fd = self->src.dev.fd;
	int ret;

	/* The kernel only sets the bits of dirty pages: start from zero. */
	memset(bitmap, 0, sizeof(bitmap));
	ret = dirty_feature(fd, VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT, len,
			    bitmap);
	if (ret == -EOPNOTSUPP) {
		/* The core's IOVA bitmap is built with CONFIG_IOMMUFD_DRIVER. */
		ASSERT_EQ(0, dirty_feature(fd, VFIO_DEVICE_FEATURE_DMA_LOGGING_START,
					   len, NULL));
		ASSERT_EQ(0, dirty_feature(fd, VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP,
					   0, NULL));
		SKIP(return, "this kernel has no IOVA bitmap for reports");
	}
	EXPECT_EQ(-EINVAL, ret);
	ASSERT_EQ(0, dirty_feature(fd, VFIO_DEVICE_FEATURE_DMA_LOGGING_START,
				   len, NULL));
	ASSERT_EQ(0, dirty_feature(fd, VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
				   len, bitmap));
	for (size_t i = 0; i < ARRAY_SIZE(bitmap); i++)
		EXPECT_EQ(0, bitmap[i]);
	ASSERT_EQ(0, ioctl(fd, VFIO_DEVICE_RESET));
	EXPECT_EQ(0, dirty_feature(fd, VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
				   len, bitmap));
	ASSERT_EQ(0, dirty_feature(fd, VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP,
				   0, NULL));
	EXPECT_EQ(-EINVAL, dirty_feature(fd, VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
					 len, bitmap));

	ASSERT_EQ(0, dirty_feature(fd, VFIO_DEVICE_FEATURE_DMA_LOGGING_START,
				   len, NULL));
	close(fd);
	fd = vfio_dev_fd(&self->src.dev);
	self->src.dev.fd = fd;
	EXPECT_EQ(-EINVAL, dirty_feature(fd, VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
					 len, bitmap));
}

/* Arcs the uAPI forbids, and the wrong end of each data fd. */
TEST_F(mig, bad_transitions)
{
	int fd = self->dst.dev.fd, dfd = -1;
	__u8 b = 0;

	EXPECT_EQ(-EINVAL, mig_set(fd, VFIO_DEVICE_STATE_ERROR, NULL));
	EXPECT_EQ(-EINVAL, mig_set(fd, VFIO_DEVICE_STATE_NR + 3, NULL));
	EXPECT_EQ(VFIO_DEVICE_STATE_RUNNING, mig_get(fd));

	ASSERT_EQ(0, mig_set(fd, VFIO_DEVICE_STATE_RESUMING, &dfd));
	EXPECT_EQ(-1, read(dfd, &b, 1));
	EXPECT_NE(0, mig_set(fd, VFIO_DEVICE_STATE_STOP_COPY, NULL));
	close(dfd);
	ASSERT_EQ(0, ioctl(fd, VFIO_DEVICE_RESET));

	ASSERT_EQ(0, mig_set(fd, VFIO_DEVICE_STATE_STOP_COPY, &dfd));
	EXPECT_EQ(-1, write(dfd, &b, 1));
	EXPECT_EQ(-1, ioctl(dfd, VFIO_MIG_GET_PRECOPY_INFO + 1, NULL));
	EXPECT_EQ(ENOTTY, errno);
	if (kernel_at_least(6, 2))
		EXPECT_EQ(-EINVAL, mig_set(fd, VFIO_DEVICE_STATE_PRE_COPY,
					   NULL));
	close(dfd);
	ASSERT_EQ(0, mig_set(fd, VFIO_DEVICE_STATE_RUNNING, NULL));
}

TEST_HARNESS_MAIN
