// SPDX-License-Identifier: GPL-2.0
/*
 * fsl_mc_stub: what the device set gives a driver whose devices share a
 * container.  Two containers, each holding the variant's number of objects:
 * the members of one container share a set and an interrupt pool, the two
 * containers do not.  Covers membership, open_device/close_device once
 * each, the pool's lifecycle, open failure unwind, removal while open, the
 * portal region, and bad input to every ioctl and to create/destroy.
 * Concurrency is in fsl_mc_stub_stress.c.
 */
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "fsl_mc_stub_util.h"

#define NR_CONTS	2
#define MAX_OBJS	4
#define NAME_LEN	FSL_MC_STUB_NAME_MAX

/*
 * Child types in order: interrupts 2, 1, 0 and 1.  The variants are one
 * object (the smallest set that is more than its container) and four (every
 * child type, a member without interrupts included).
 */
static const char * const child_types[MAX_OBJS] = {
	"dpni", "dpio", "dpbp", "dpcon",
};

FIXTURE(fmc) {
	/* member 0 of each container is the container itself */
	char names[NR_CONTS][MAX_OBJS + 1][NAME_LEN];
	unsigned int nr_members;
};

FIXTURE_VARIANT(fmc) {
	unsigned int objs_per_container;
};

FIXTURE_VARIANT_ADD(fmc, one_object) {
	.objs_per_container = 1,
};

FIXTURE_VARIANT_ADD(fmc, four_objects) {
	.objs_per_container = 4,
};

#define CONT(c)		(self->names[c][0])

FIXTURE_SETUP(fmc)
{
	unsigned int c, i;

	if (!fmc_loaded())
		SKIP(return, "fsl_mc_stub and vfio_fsl_mc_stub are not loaded");

	self->nr_members = variant->objs_per_container + 1;
	for (c = 0; c < NR_CONTS; c++) {
		snprintf(self->names[c][0], NAME_LEN, "dprc.%u", 10 * (c + 1));
		fmc_create(FSL_MC_STUB_ROOT_NAME, self->names[c][0]);
		for (i = 1; i < self->nr_members; i++) {
			snprintf(self->names[c][i], NAME_LEN, "%s.%u",
				 child_types[i - 1], 10 * (c + 1) + i);
			fmc_create(self->names[c][0], self->names[c][i]);
		}
	}
}

/* In the parent, so that it runs however the test ends. */
FIXTURE_TEARDOWN_PARENT(fmc)
{
	unsigned int c, i;

	for (c = 0; c < NR_CONTS; c++) {
		for (i = self->nr_members; i-- > 0;) {
			if (self->names[c][i][0] && fmc_exists(self->names[c][i]))
				fmc_destroy(self->names[c][i]);
		}
	}
	for (c = 0; c < NR_CONTS; c++) {
		for (i = 0; i < self->nr_members; i++) {
			if (self->names[c][i][0])
				__fmc_dev_write(self->names[c][i], "fail_open", "0");
		}
	}
	fmc_knobs_reset();
}

/*
 * Every member of a container is in one set with it, and the other
 * container's members are not: ask the core through each member how many
 * fds its set has open, while one member of the first container is open.
 * The members also report the same set key and struct (hashed address),
 * and the core lists exactly the container's members in the set.
 */
TEST_F_TIMEOUT(fmc, membership, FMC_TIMEOUT)
{
	char set[NR_CONTS][64], buf[64], key[NAME_LEN + 1];
	char want[(MAX_OBJS + 1) * (NAME_LEN + 1)], members[sizeof(want)];
	struct vfio_dev dev;
	unsigned int c, i;
	int fd2, n;

	fmc_open(self->names[0][self->nr_members - 1], &dev);
	fd2 = vfio_dev_fd(&dev);
	for (c = 0; c < NR_CONTS; c++) {
		for (i = 0; i < self->nr_members; i++)
			EXPECT_EQ(c ? 0 : 2, fmc_dev_read(self->names[c][i],
							  "set_open_count"));
	}
	EXPECT_EQ(1, fmc_set_read(CONT(0), "open_count"));
	EXPECT_EQ(0, fmc_set_read(CONT(1), "open_count"));
	close(fd2);
	vfio_dev_close(&dev);
	EXPECT_EQ(1, fmc_set_read(CONT(0), "close_count"));
	EXPECT_EQ(0, fmc_set_read(CONT(1), "close_count"));
	EXPECT_EQ(0, fmc_dev_read(CONT(0), "set_open_count"));

	for (c = 0; c < NR_CONTS; c++) {
		fmc_dev_text(CONT(c), "dev_set", set[c], sizeof(set[c]));
		n = sscanf(set[c], "%16s", key);
		ASSERT_EQ(1, n);
		/* a container keys its set with its own device */
		EXPECT_STREQ(CONT(c), key);
		for (i = 1; i < self->nr_members; i++) {
			fmc_dev_text(self->names[c][i], "dev_set", buf, sizeof(buf));
			EXPECT_STREQ(set[c], buf);
		}
	}
	EXPECT_STRNE(set[0], set[1]);

	for (c = 0; c < NR_CONTS; c++) {
		want[0] = '\0';
		for (i = 0; i < self->nr_members; i++)
			snprintf(want + strlen(want), sizeof(want) - strlen(want),
				 "%s ", self->names[c][i]);
		fmc_sort_words(want);
		for (i = 0; i < self->nr_members; i++) {
			fmc_set_members(self->names[c][i], members, sizeof(members));
			EXPECT_STREQ(want, members);
		}
		EXPECT_EQ(self->nr_members,
			  fmc_dev_read(CONT(c), "set_device_count"));
	}

	/* A nested container starts its own set, shared with its children. */
	fmc_create(CONT(0), "dprc.30");
	fmc_create("dprc.30", "dpio.31");
	fmc_open("dpio.31", &dev);
	EXPECT_EQ(1, fmc_dev_read("dprc.30", "set_open_count"));
	EXPECT_EQ(0, fmc_dev_read(CONT(0), "set_open_count"));
	vfio_dev_close(&dev);
	fmc_dev_text("dprc.30", "dev_set", buf, sizeof(buf));
	EXPECT_EQ(0, strncmp(buf, "dprc.30 ", 8));
	fmc_dev_text("dpio.31", "dev_set", set[1], sizeof(set[1]));
	EXPECT_STREQ(buf, set[1]);
	fmc_set_members("dpio.31", members, sizeof(members));
	EXPECT_STREQ("dpio.31 dprc.30", members);
	/* and the outer container's set doesn't grow */
	EXPECT_EQ(self->nr_members, fmc_dev_read(CONT(0), "set_device_count"));
	fmc_destroy("dpio.31");
	fmc_destroy("dprc.30");
}

/* However many fds, open_device and close_device run once per device. */
TEST_F_TIMEOUT(fmc, open_close_once, FMC_TIMEOUT)
{
	const char *obj = self->names[0][1];
	struct vfio_dev dev, cont;
	int fd2, fd3;

	EXPECT_EQ(0, fmc_dev_read(obj, "open_count"));
	fmc_open(obj, &dev);
	fd2 = vfio_dev_fd(&dev);
	fd3 = vfio_dev_fd(&dev);
	EXPECT_EQ(1, fmc_dev_read(obj, "open_count"));
	EXPECT_EQ(1, fmc_set_read(CONT(0), "first_open"));

	/* a second device of the set: not a first open of the set */
	fmc_open(CONT(0), &cont);
	EXPECT_EQ(1, fmc_dev_read(CONT(0), "open_count"));
	EXPECT_EQ(2, fmc_set_read(CONT(0), "open_count"));
	EXPECT_EQ(1, fmc_set_read(CONT(0), "first_open"));

	close(fd2);
	close(fd3);
	EXPECT_EQ(0, fmc_dev_read(obj, "close_count"));
	close(dev.fd);
	dev.fd = -1;
	EXPECT_EQ(1, fmc_dev_read(obj, "close_count"));
	/* the container is still open: not the last close of the set */
	EXPECT_EQ(0, fmc_set_read(CONT(0), "last_close"));

	vfio_dev_close(&cont);
	EXPECT_EQ(1, fmc_dev_read(CONT(0), "close_count"));
	EXPECT_EQ(1, fmc_set_read(CONT(0), "last_close"));

	/* and again after the last close */
	dev.fd = vfio_dev_fd(&dev);
	EXPECT_EQ(2, fmc_dev_read(obj, "open_count"));
	EXPECT_EQ(2, fmc_set_read(CONT(0), "first_open"));
	vfio_dev_close(&dev);
	EXPECT_EQ(2, fmc_dev_read(obj, "close_count"));
	EXPECT_EQ(2, fmc_set_read(CONT(0), "last_close"));
	EXPECT_EQ(0, fmc_set_read(CONT(1), "open_count"));
}

/* Check that each of @names holding interrupts draws from pool @serial. */
static void check_members_in_pool(struct __test_metadata *_metadata,
				  char (*names)[NAME_LEN], unsigned int nr,
				  unsigned int serial)
{
	char buf[64], want[32];
	unsigned int i;

	snprintf(want, sizeof(want), "pool %u hwirq ", serial);
	for (i = 0; i < nr; i++) {
		fmc_dev_text(names[i], "irqs", buf, sizeof(buf));
		EXPECT_TRUE(!strcmp(buf, "none") ||
			    !strncmp(buf, want, strlen(want)));
	}
}

/*
 * The pool: created at the first need and shared by every member, kept
 * while any member is open, freed after the last close, created again on
 * the next open.
 */
TEST_F_TIMEOUT(fmc, irq_pool_lifecycle, FMC_TIMEOUT)
{
	struct vfio_dev dev[MAX_OBJS + 1];
	int efd[MAX_OBJS + 1];
	unsigned int i, nirq[MAX_OBJS + 1], used = 0;
	struct fmc_pool pool, first = {};
	long live0, live;
	__le32 irq0 = 0;

	ASSERT_EQ(-ENOENT, fmc_pool(CONT(0), NULL, &live0));

	/* Opening does not need the pool. */
	for (i = 0; i < self->nr_members; i++) {
		fmc_open(self->names[0][i], &dev[i]);
		nirq[i] = fmc_irq_count(dev[i].fd);
	}
	ASSERT_EQ(-ENOENT, fmc_pool(CONT(0), NULL, NULL));

	/* The first eventfd does; the rest share that pool. */
	for (i = 0; i < self->nr_members; i++) {
		efd[i] = -1;
		if (!nirq[i])
			continue;
		efd[i] = fmc_irq_eventfd(dev[i].fd, 0);
		used += nirq[i];
		ASSERT_EQ(0, fmc_pool(CONT(0), &pool, &live));
		if (used == nirq[i])
			first = pool;
		EXPECT_EQ(first.serial, pool.serial);
		EXPECT_EQ(FMC_DEFAULT_POOL_SIZE, pool.size);
		EXPECT_EQ(pool.size - used, pool.free);
		EXPECT_EQ(live0 + 1, live);
	}
	check_members_in_pool(_metadata, self->names[0], self->nr_members,
			      first.serial);
	EXPECT_EQ(-ENOENT, fmc_pool(CONT(1), NULL, NULL));

	/* Every member's interrupt arrives, from debugfs and the doorbell. */
	for (i = 0; i < self->nr_members; i++) {
		if (!nirq[i])
			continue;
		fmc_dev_write(self->names[0][i], "fire_irq", "0");
		EXPECT_EQ(1, eventfd_wait(efd[i], 0));
		vfio_region_write(dev[i].fd, FSL_MC_STUB_PORTAL_INDEX,
				  FSL_MC_STUB_REG_DOORBELL, &irq0, sizeof(irq0));
		EXPECT_EQ(1, eventfd_wait(efd[i], 0));
	}

	/* Closing members one by one keeps the pool until the last. */
	for (i = 0; i < self->nr_members; i++) {
		vfio_dev_close(&dev[i]);
		used -= nirq[i];
		if (i + 1 == self->nr_members)
			break;
		ASSERT_EQ(0, fmc_pool(CONT(0), &pool, NULL));
		EXPECT_EQ(first.serial, pool.serial);
		EXPECT_EQ(pool.size - used, pool.free);
	}
	EXPECT_EQ(-ENOENT, fmc_pool(CONT(0), NULL, &live));
	EXPECT_EQ(live0, live);
	for (i = 0; i < self->nr_members; i++) {
		if (efd[i] >= 0)
			close(efd[i]);
	}

	/* A new first need makes a new pool. */
	fmc_open(CONT(0), &dev[0]);
	efd[0] = fmc_irq_eventfd(dev[0].fd, 0);
	ASSERT_EQ(0, fmc_pool(CONT(0), &pool, NULL));
	EXPECT_NE(first.serial, pool.serial);
	EXPECT_EQ(pool.size - nirq[0], pool.free);
	vfio_dev_close(&dev[0]);
	close(efd[0]);
	EXPECT_EQ(-ENOENT, fmc_pool(CONT(0), NULL, NULL));
}

/*
 * A member that gave its interrupts back still keeps the pool alive while
 * another member is open, even one that never used an interrupt: the pool
 * goes at the set's last close, not when the last interrupt is returned.
 */
TEST_F_TIMEOUT(fmc, irq_pool_kept_while_set_open, FMC_TIMEOUT)
{
	struct vfio_dev user, idle;
	struct fmc_pool pool = {};
	unsigned int serial;
	int efd;

	fmc_open(self->names[0][1], &user);
	fmc_open(CONT(0), &idle);
	efd = fmc_irq_eventfd(user.fd, 0);
	ASSERT_EQ(0, fmc_pool(CONT(0), &pool, NULL));
	serial = pool.serial;

	/* Turning the eventfd off keeps the interrupts: they go at close. */
	ASSERT_EQ(0, __vfio_irq_set_eventfd(user.fd, 0, 0, -1));
	ASSERT_EQ(0, fmc_pool(CONT(0), &pool, NULL));
	EXPECT_GT(pool.size, pool.free);

	vfio_dev_close(&user);
	ASSERT_EQ(0, fmc_pool(CONT(0), &pool, NULL));
	EXPECT_EQ(serial, pool.serial);
	EXPECT_EQ(pool.size, pool.free);

	vfio_dev_close(&idle);
	EXPECT_EQ(-ENOENT, fmc_pool(CONT(0), NULL, NULL));
	close(efd);
}

/* A short pool fails SET_IRQS cleanly and is still freed at the close. */
TEST_F_TIMEOUT(fmc, irq_pool_exhausted, FMC_TIMEOUT)
{
	struct vfio_dev dev;
	struct fmc_pool pool = {};
	int efd = eventfd(0, EFD_NONBLOCK);

	sysfs_write(FMC_POOL_SIZE, "1");
	fmc_open(self->names[0][1], &dev);	/* a dpni: two interrupts */
	EXPECT_EQ(-ENOSPC, __vfio_irq_set_eventfd(dev.fd, 0, 0, efd));
	ASSERT_EQ(0, fmc_pool(CONT(0), &pool, NULL));
	EXPECT_EQ(1, pool.size);
	EXPECT_EQ(1, pool.free);
	vfio_dev_close(&dev);
	EXPECT_EQ(-ENOENT, fmc_pool(CONT(0), NULL, NULL));
	close(efd);
}

/*
 * A failing open_device leaves the set as it was: the counters, the other
 * members' state and the pool.  The next open succeeds.
 */
TEST_F_TIMEOUT(fmc, open_failure_unwind, FMC_TIMEOUT)
{
	const char *obj = self->names[0][1];
	struct fmc_set_counts before;
	struct fmc_pool pool = {}, pool0 = {};
	struct vfio_dev holder, dev;
	int efd;

	/* First as the only opener of the set. */
	before = fmc_set_counts(CONT(0));
	fmc_dev_write(obj, "fail_open", "5");
	EXPECT_EQ(-EIO, __fmc_open(obj, &dev));
	EXPECT_EQ(1, fmc_dev_read(obj, "open_failed"));
	EXPECT_EQ(0, fmc_dev_read(obj, "open_count"));
	EXPECT_TRUE(fmc_set_counts_equal(before, fmc_set_counts(CONT(0))));
	EXPECT_EQ(-ENOENT, fmc_pool(CONT(0), NULL, NULL));
	EXPECT_EQ(0, fmc_set_read(CONT(0), "running"));

	/* Then while another member is open and holds the pool. */
	fmc_open(CONT(0), &holder);
	efd = fmc_irq_eventfd(holder.fd, 0);
	ASSERT_EQ(0, fmc_pool(CONT(0), &pool0, NULL));
	before = fmc_set_counts(CONT(0));

	EXPECT_EQ(-EIO, __fmc_open(obj, &dev));
	EXPECT_EQ(2, fmc_dev_read(obj, "open_failed"));
	EXPECT_EQ(0, fmc_dev_read(obj, "close_count"));
	EXPECT_TRUE(fmc_set_counts_equal(before, fmc_set_counts(CONT(0))));
	ASSERT_EQ(0, fmc_pool(CONT(0), &pool, NULL));
	EXPECT_EQ(pool0.serial, pool.serial);
	EXPECT_EQ(pool0.free, pool.free);
	fmc_dev_write(CONT(0), "fire_irq", "0");
	EXPECT_EQ(1, eventfd_wait(efd, 0));

	/* With the knob cleared the next open works. */
	fmc_dev_write(obj, "fail_open", "0");
	fmc_open(obj, &dev);
	EXPECT_EQ(1, fmc_dev_read(obj, "open_count"));
	EXPECT_EQ(before.open_count + 1, fmc_set_read(CONT(0), "open_count"));
	EXPECT_EQ(before.first_open, fmc_set_read(CONT(0), "first_open"));
	vfio_dev_close(&dev);
	vfio_dev_close(&holder);
	close(efd);
	EXPECT_EQ(-ENOENT, fmc_pool(CONT(0), NULL, NULL));
	EXPECT_EQ(fmc_set_read(CONT(0), "first_open"),
		  fmc_set_read(CONT(0), "last_close"));
}

/* A sysfs write that blocks until the device is let go, in a thread. */
struct remove_job {
	const char *path;
	const char *name;
	int ret;
	int done;
};

static void *remove_thread(void *arg)
{
	struct remove_job *job = arg;

	job->ret = __sysfs_write(job->path, job->name);
	__atomic_store_n(&job->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/*
 * Write @name to @path (destroy, or the driver's unbind) while @name is
 * open: the core calls the request op, which signals the request eventfd,
 * and the write returns only after the close.
 */
static void remove_while_open(struct __test_metadata *_metadata,
			      const char *path, const char *name)
{
	struct remove_job job = { .path = path, .name = name };
	struct pollfd pfd = { .events = POLLIN };
	struct vfio_dev dev;
	pthread_t thread;
	int efd;

	fmc_open(name, &dev);
	efd = fmc_irq_eventfd(dev.fd, fmc_irq_count(dev.fd));
	ASSERT_EQ(0, pthread_create(&thread, NULL, remove_thread, &job));

	/* Wait for the request; the timeout only bounds a broken kernel. */
	pfd.fd = efd;
	ASSERT_EQ(1, poll(&pfd, 1, 30000));
	EXPECT_EQ(0, __atomic_load_n(&job.done, __ATOMIC_SEQ_CST));
	EXPECT_LE(1, fmc_dev_read(name, "request_count"));

	vfio_dev_close(&dev);
	ASSERT_EQ(0, pthread_join(thread, NULL));
	EXPECT_EQ(0, job.ret);
	close(efd);
}

TEST_F_TIMEOUT(fmc, remove_object_while_open, FMC_TIMEOUT)
{
	struct vfio_dev dev;

	remove_while_open(_metadata, FMC_ROOT_DEV "/destroy", self->names[0][1]);
	EXPECT_FALSE(fmc_exists(self->names[0][1]));
	/* the rest of the set is untouched and still opens */
	EXPECT_TRUE(fmc_exists(CONT(0)));
	fmc_open(CONT(0), &dev);
	vfio_dev_close(&dev);
}

/* Unbinding the driver from an open object takes the same path. */
TEST_F_TIMEOUT(fmc, unbind_object_while_open, FMC_TIMEOUT)
{
	const char *obj = self->names[1][1];
	char path[PATH_MAX];
	struct vfio_dev dev;

	remove_while_open(_metadata, FMC_DRIVER_DIR "/unbind", obj);
	snprintf(path, sizeof(path), FMC_DEVICES "/%s/driver", obj);
	EXPECT_TRUE(fmc_exists(obj));
	EXPECT_FALSE(path_exists(path));
	ASSERT_EQ(0, __sysfs_write(FMC_DRIVER_DIR "/bind", obj));
	fmc_open(obj, &dev);
	EXPECT_EQ(1, fmc_dev_read(obj, "open_count"));
	vfio_dev_close(&dev);
}

TEST_F_TIMEOUT(fmc, remove_container_while_open, FMC_TIMEOUT)
{
	unsigned int i;

	/* a container with members can't go; empty it first */
	EXPECT_EQ(-EBUSY, __fmc_destroy(CONT(0)));
	for (i = self->nr_members; i-- > 1;)
		fmc_destroy(self->names[0][i]);
	remove_while_open(_metadata, FMC_ROOT_DEV "/destroy", CONT(0));
	EXPECT_FALSE(fmc_exists(CONT(0)));
}

/* The portal: info, registers, memory, doorbell, reset and mmap. */
TEST_F_TIMEOUT(fmc, portal_region, FMC_TIMEOUT)
{
	const char *obj = self->names[0][1];
	struct vfio_region_info region;
	struct vfio_device_info info;
	static unsigned char page[FSL_MC_STUB_PORTAL_SIZE];
	__le32 reg, data = 0x12345678;
	struct vfio_dev dev;
	unsigned char *map;

	fmc_open(obj, &dev);
	ASSERT_EQ(0, __vfio_device_info(dev.fd, &info));
	EXPECT_TRUE(info.flags & VFIO_DEVICE_FLAGS_FSL_MC);
	EXPECT_TRUE(info.flags & VFIO_DEVICE_FLAGS_RESET);
	EXPECT_EQ(FSL_MC_STUB_NUM_REGIONS, info.num_regions);

	vfio_region_info(dev.fd, FSL_MC_STUB_PORTAL_INDEX, &region);
	EXPECT_EQ(FSL_MC_STUB_PORTAL_SIZE, region.size);
	EXPECT_EQ((__u64)FSL_MC_STUB_PORTAL_INDEX << FSL_MC_STUB_REGION_SHIFT,
		  region.offset);
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
		  VFIO_REGION_INFO_FLAG_MMAP, region.flags);

	vfio_region_read(dev.fd, 0, FSL_MC_STUB_REG_ID, &reg, sizeof(reg));
	EXPECT_EQ(11, reg);
	vfio_region_read(dev.fd, 0, FSL_MC_STUB_REG_IRQ_COUNT, &reg, sizeof(reg));
	EXPECT_EQ(info.num_irqs - 1, reg);

	/* memory, seen through the mapping both ways */
	vfio_region_write(dev.fd, 0, FSL_MC_STUB_REG_DATA, &data, sizeof(data));
	map = mmap(NULL, FSL_MC_STUB_PORTAL_SIZE, PROT_READ | PROT_WRITE,
		   MAP_SHARED, dev.fd, region.offset);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(0, memcmp(map + FSL_MC_STUB_REG_DATA, &data, sizeof(data)));
	map[FSL_MC_STUB_PORTAL_SIZE - 1] = 0xa5;
	vfio_region_read(dev.fd, 0, FSL_MC_STUB_PORTAL_SIZE - 1, &reg, 1);
	EXPECT_EQ(0xa5, reg & 0xff);

	/* the last byte and the whole page are in bounds */
	vfio_region_read(dev.fd, 0, 0, page, sizeof(page));
	EXPECT_EQ(0xa5, page[FSL_MC_STUB_PORTAL_SIZE - 1]);

	/* reset clears the memory and keeps the ID */
	ASSERT_EQ(0, ioctl(dev.fd, VFIO_DEVICE_RESET));
	EXPECT_EQ(0, map[FSL_MC_STUB_REG_DATA]);
	vfio_region_read(dev.fd, 0, FSL_MC_STUB_REG_ID, &reg, sizeof(reg));
	EXPECT_EQ(11, reg);
	munmap(map, FSL_MC_STUB_PORTAL_SIZE);
	vfio_dev_close(&dev);
}

static int irq_set(int fd, __u32 argsz, __u32 flags, __u32 index,
		   __u32 start, __u32 count, __s32 data)
{
	struct {
		struct vfio_irq_set hdr;
		__s32 data;
	} set = {
		.hdr = { .argsz = argsz, .flags = flags, .index = index,
			 .start = start, .count = count },
		.data = data,
	};

	return ioctl(fd, VFIO_DEVICE_SET_IRQS, &set) ? -errno : 0;
}

static ssize_t pread_at(int fd, __u64 index, __u64 off, void *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len, (index << FSL_MC_STUB_REGION_SHIFT) + off);

	return n < 0 ? -errno : n;
}

static ssize_t pwrite_at(int fd, __u64 index, __u64 off, const void *buf,
			 size_t len)
{
	ssize_t n = pwrite(fd, buf, len, (index << FSL_MC_STUB_REGION_SHIFT) + off);

	return n < 0 ? -errno : n;
}

/* Every ioctl, read/write and mmap refuses bad input with a clean errno. */
TEST_F_TIMEOUT(fmc, bad_ioctl_input, FMC_TIMEOUT)
{
	const __u32 efd_trigger = VFIO_IRQ_SET_DATA_EVENTFD |
				  VFIO_IRQ_SET_ACTION_TRIGGER;
	const __u32 sz = sizeof(struct vfio_irq_set) + sizeof(__s32);
	struct vfio_region_info region = { .argsz = 8 };
	struct vfio_device_info info = { .argsz = 4 };
	struct vfio_irq_info irq = { .argsz = 4 };
	unsigned char buf[FSL_MC_STUB_PORTAL_SIZE + 1] = {};
	struct vfio_dev dev;
	unsigned int nirq;
	__le32 val;
	void *map;

	fmc_open(self->names[0][1], &dev);
	nirq = fmc_irq_count(dev.fd);

	EXPECT_EQ(-1, ioctl(dev.fd, VFIO_DEVICE_GET_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(dev.fd, VFIO_DEVICE_GET_INFO, NULL));
	EXPECT_EQ(EFAULT, errno);

	EXPECT_EQ(-1, ioctl(dev.fd, VFIO_DEVICE_GET_REGION_INFO, &region));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-EINVAL, __vfio_region_info(dev.fd, FSL_MC_STUB_NUM_REGIONS,
					      &region));
	EXPECT_EQ(-EINVAL, __vfio_region_info(dev.fd, ~0u, &region));

	EXPECT_EQ(-1, ioctl(dev.fd, VFIO_DEVICE_GET_IRQ_INFO, &irq));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-EINVAL, __vfio_irq_info(dev.fd, nirq + 1, &irq));
	EXPECT_EQ(-EINVAL, __vfio_irq_info(dev.fd, ~0u, &irq));
	EXPECT_EQ(0, __vfio_irq_info(dev.fd, nirq, &irq));

	/* SET_IRQS: argsz, index, start, count, action, data type, fd */
	EXPECT_EQ(-EINVAL, irq_set(dev.fd, 8, efd_trigger, 0, 0, 1, -1));
	EXPECT_EQ(-EINVAL, irq_set(dev.fd, sz - 1, efd_trigger, 0, 0, 1, -1));
	EXPECT_EQ(-EINVAL, irq_set(dev.fd, sz, efd_trigger, nirq + 1, 0, 1, -1));
	EXPECT_EQ(-EINVAL, irq_set(dev.fd, sz, efd_trigger, 0, 1, 1, -1));
	EXPECT_EQ(-EINVAL, irq_set(dev.fd, sz, efd_trigger, 0, 0, 2, -1));
	EXPECT_EQ(-EINVAL, irq_set(dev.fd, sz, efd_trigger, 0, ~0u, 1, -1));
	EXPECT_EQ(-EINVAL, irq_set(dev.fd, sz, VFIO_IRQ_SET_DATA_NONE |
				   VFIO_IRQ_SET_ACTION_MASK, 0, 0, 1, 0));
	EXPECT_EQ(-EINVAL, irq_set(dev.fd, sz, VFIO_IRQ_SET_DATA_NONE |
				   VFIO_IRQ_SET_ACTION_UNMASK, 0, 0, 1, 0));
	EXPECT_EQ(-EINVAL, irq_set(dev.fd, sz, VFIO_IRQ_SET_DATA_NONE |
				   VFIO_IRQ_SET_DATA_EVENTFD |
				   VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, 1, -1));
	EXPECT_EQ(-EINVAL, irq_set(dev.fd, sz, VFIO_IRQ_SET_DATA_EVENTFD |
				   VFIO_IRQ_SET_ACTION_TRIGGER |
				   VFIO_IRQ_SET_ACTION_MASK, 0, 0, 1, -1));
	EXPECT_EQ(-EINVAL, irq_set(dev.fd, sz, efd_trigger | (1u << 31), 0, 0, 1, -1));
	EXPECT_EQ(-EINVAL, irq_set(dev.fd, sz, efd_trigger, 0, 0, 0, -1));
	EXPECT_EQ(-EBADF, irq_set(dev.fd, sz, efd_trigger, 0, 0, 1, 9999));
	EXPECT_EQ(-EINVAL, irq_set(dev.fd, sz, efd_trigger, 0, 0, 1, dev.group));
	EXPECT_EQ(-EBADF, irq_set(dev.fd, sz, efd_trigger, nirq, 0, 1, 9999));
	/* the good forms of the same: off, loopback, request eventfd off */
	EXPECT_EQ(0, irq_set(dev.fd, sz, VFIO_IRQ_SET_DATA_NONE |
			     VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, 0, 0));
	EXPECT_EQ(0, irq_set(dev.fd, sz, VFIO_IRQ_SET_DATA_NONE |
			     VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, 1, 0));
	EXPECT_EQ(0, irq_set(dev.fd, sz, efd_trigger, nirq, 0, 1, -1));

	EXPECT_EQ(-1, ioctl(dev.fd, _IO(VFIO_TYPE, VFIO_BASE + 100)));
	EXPECT_EQ(ENOTTY, errno);

	/* read/write: index, offset, size, read-only registers, doorbell */
	EXPECT_EQ(-EINVAL, pread_at(dev.fd, 1, 0, buf, 4));
	EXPECT_EQ(-EINVAL, pread_at(dev.fd, 0xffffff, 0, buf, 4));
	EXPECT_EQ(-EINVAL, pread_at(dev.fd, 0, FSL_MC_STUB_PORTAL_SIZE, buf, 1));
	EXPECT_EQ(-EINVAL, pread_at(dev.fd, 0, FSL_MC_STUB_PORTAL_SIZE - 1, buf, 2));
	EXPECT_EQ(-EINVAL, pread_at(dev.fd, 0, 0, buf, FSL_MC_STUB_PORTAL_SIZE + 1));
	EXPECT_EQ(-EINVAL, pread_at(dev.fd, 0, 0, buf, 0));
	EXPECT_EQ(-EINVAL, pwrite_at(dev.fd, 1, 0, buf, 4));
	EXPECT_EQ(-EINVAL, pwrite_at(dev.fd, 0, FSL_MC_STUB_PORTAL_SIZE - 2, buf, 4));
	EXPECT_EQ(-EINVAL, pwrite_at(dev.fd, 0, FSL_MC_STUB_REG_ID, buf, 4));
	EXPECT_EQ(-EINVAL, pwrite_at(dev.fd, 0, FSL_MC_STUB_REG_IRQ_COUNT + 3, buf, 2));
	EXPECT_EQ(-EINVAL, pwrite_at(dev.fd, 0, FSL_MC_STUB_REG_DOORBELL, buf, 2));
	EXPECT_EQ(-EINVAL, pwrite_at(dev.fd, 0, FSL_MC_STUB_REG_DOORBELL + 1, buf, 4));
	EXPECT_EQ(-EINVAL, pwrite_at(dev.fd, 0, FSL_MC_STUB_REG_DOORBELL, buf, 8));
	val = nirq;
	EXPECT_EQ(-EINVAL, pwrite_at(dev.fd, 0, FSL_MC_STUB_REG_DOORBELL, &val, 4));
	/* user buffers that fault */
	map = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(-EFAULT, pread_at(dev.fd, 0, 0, map, 4));
	EXPECT_EQ(-EFAULT, pwrite_at(dev.fd, 0, FSL_MC_STUB_REG_DATA, map, 4));
	EXPECT_EQ(-1, ioctl(dev.fd, VFIO_DEVICE_GET_IRQ_INFO, map));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(dev.fd, VFIO_DEVICE_SET_IRQS, map));
	EXPECT_EQ(EFAULT, errno);
	munmap(map, 4096);

	/* mmap: private, past the region, too big, other index */
	map = mmap(NULL, FSL_MC_STUB_PORTAL_SIZE, PROT_READ, MAP_PRIVATE, dev.fd, 0);
	EXPECT_EQ(MAP_FAILED, map);
	map = mmap(NULL, FSL_MC_STUB_PORTAL_SIZE, PROT_READ, MAP_SHARED, dev.fd,
		   FSL_MC_STUB_PORTAL_SIZE);
	EXPECT_EQ(MAP_FAILED, map);
	map = mmap(NULL, 2 * FSL_MC_STUB_PORTAL_SIZE, PROT_READ, MAP_SHARED,
		   dev.fd, 0);
	EXPECT_EQ(MAP_FAILED, map);
	map = mmap(NULL, FSL_MC_STUB_PORTAL_SIZE, PROT_READ, MAP_SHARED, dev.fd,
		   1ULL << FSL_MC_STUB_REGION_SHIFT);
	EXPECT_EQ(MAP_FAILED, map);

	vfio_dev_close(&dev);
	EXPECT_EQ(0, fmc_set_read(CONT(0), "running"));
}

/* create and destroy, and the knobs, refuse bad input with a clean errno */
TEST_F_TIMEOUT(fmc, bad_create_destroy_input, FMC_TIMEOUT)
{
	static const char * const bad_names[] = {
		"", "dpni", "dpni.", ".3", "dpni.0", "dpni.07", "dpni.+7",
		"dpni.-7", "dpni.7x", "dpni.65536", "dpni.4294967297",
		"dpxx.3", "DPNI.3", "dpni 3", "dpni.3.4", "dprc.1 dprc.2",
	};
	const char *obj = self->names[0][1];
	char path[PATH_MAX];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_names); i++) {
		EXPECT_EQ(-EINVAL, __fmc_create(CONT(0), bad_names[i]))
			TH_LOG("create \"%s\"", bad_names[i]);
		EXPECT_EQ(-ENODEV, __fmc_destroy(bad_names[i][0] ? bad_names[i] : "x"))
			TH_LOG("destroy \"%s\"", bad_names[i]);
	}
	/* too long for any name, and lines that are not "PARENT NAME" */
	EXPECT_EQ(-EINVAL, __fmc_create(CONT(0), "dpnidpnidpni.123456"));
	EXPECT_EQ(-EINVAL, __fmc_destroy("dpnidpnidpni.123456"));
	EXPECT_EQ(-EINVAL, __sysfs_write(FMC_ROOT_DEV "/create", "dprc.1"));
	EXPECT_EQ(-EINVAL, __sysfs_write(FMC_ROOT_DEV "/create", "dprc.1  dpni.5"));
	EXPECT_EQ(-EINVAL, __sysfs_write(FMC_ROOT_DEV "/create", "\n"));
	EXPECT_EQ(-EINVAL, __sysfs_write(FMC_ROOT_DEV "/destroy", "\n"));

	EXPECT_EQ(-ENODEV, __fmc_create("dprc.99", "dpni.5"));
	EXPECT_EQ(-ENODEV, __fmc_create("nonsense", "dpni.5"));
	EXPECT_EQ(-ENOTDIR, __fmc_create(obj, "dpni.5"));
	EXPECT_EQ(-EEXIST, __fmc_create(CONT(0), obj));
	EXPECT_EQ(-EEXIST, __fmc_create(CONT(1), obj));
	EXPECT_EQ(-EEXIST, __fmc_create(FSL_MC_STUB_ROOT_NAME, CONT(0)));
	EXPECT_EQ(-ENODEV, __fmc_destroy("dpni.5"));
	EXPECT_EQ(-EPERM, __fmc_destroy(FSL_MC_STUB_ROOT_NAME));
	EXPECT_EQ(-EBUSY, __fmc_destroy(CONT(0)));
	EXPECT_EQ(-EPERM, __fmc_destroy(FSL_MC_STUB_ROOT_NAME "\n"));
	/* a good line with a newline works, and the name is free again after */
	EXPECT_EQ(0, __sysfs_write(FMC_ROOT_DEV "/create", "dprc.10 dpio.5\n"));
	EXPECT_EQ(0, __sysfs_write(FMC_ROOT_DEV "/destroy", "dpio.5\n"));
	EXPECT_EQ(-ENODEV, __fmc_destroy("dpio.5"));

	/* the pool size parameter */
	EXPECT_EQ(-EINVAL, __sysfs_write(FMC_POOL_SIZE, "0"));
	EXPECT_EQ(-EINVAL, __sysfs_write(FMC_POOL_SIZE, "257"));
	EXPECT_EQ(-EINVAL, __sysfs_write(FMC_POOL_SIZE, "-1"));
	EXPECT_EQ(-EINVAL, __sysfs_write(FMC_POOL_SIZE, "abc"));
	EXPECT_EQ(FMC_DEFAULT_POOL_SIZE, sysfs_read_long(FMC_POOL_SIZE));

	/* the debugfs knobs */
	EXPECT_EQ(-EINVAL, __fmc_dev_write(obj, "fail_open", "4096"));
	EXPECT_EQ(-EINVAL, __fmc_dev_write(obj, "fail_open", "-1"));
	EXPECT_EQ(0, fmc_dev_read(obj, "fail_open"));
	EXPECT_EQ(-EINVAL, __fmc_dev_write(obj, "fire_irq", "2"));
	EXPECT_EQ(-EINVAL, __fmc_dev_write(obj, "fire_irq", "-1"));
	if (self->nr_members > 3) {	/* a dpbp has no interrupt at all */
		EXPECT_EQ(-EINVAL, __fmc_dev_write(self->names[0][3], "fire_irq", "0"));
	}
	snprintf(path, sizeof(path), FMC_DEBUGFS "/open_delay_ms");
	EXPECT_EQ(-EINVAL, __sysfs_write(path, "5001"));
	EXPECT_EQ(0, fmc_global_read("open_delay_ms"));
}

/*
 * Unloading the driver unbinds every object and removes its debugfs files;
 * loading it binds them again.  Unloading the bus destroys what is left,
 * nested containers included.  An open device pins the driver.
 */
TEST(fmc_module_reload)
{
	struct vfio_dev dev;

	if (!fmc_loaded())
		SKIP(return, "fsl_mc_stub and vfio_fsl_mc_stub are not loaded");

	fmc_create(FSL_MC_STUB_ROOT_NAME, "dprc.60");
	fmc_create("dprc.60", "dpni.61");
	fmc_create("dprc.60", "dprc.62");
	fmc_create("dprc.62", "dpio.63");

	fmc_open("dpni.61", &dev);
	EXPECT_NE(0, system("rmmod vfio_fsl_mc_stub 2>/dev/null"));
	vfio_dev_close(&dev);

	ASSERT_EQ(0, system("rmmod vfio_fsl_mc_stub"));
	EXPECT_TRUE(fmc_exists("dpni.61"));
	EXPECT_FALSE(path_exists(FMC_DEVICES "/dpni.61/driver"));
	EXPECT_FALSE(path_exists(FMC_DEBUGFS "/dpni.61"));
	EXPECT_FALSE(path_exists(FMC_DEBUGFS "/sets"));
	EXPECT_TRUE(path_exists(FMC_DEBUGFS "/irq_pools"));
	/* the bus works without a driver */
	fmc_create("dprc.60", "dpbp.64");
	fmc_destroy("dpbp.64");

	ASSERT_EQ(0, system("modprobe vfio_fsl_mc_stub"));
	EXPECT_TRUE(path_exists(FMC_DEVICES "/dpni.61/driver"));
	EXPECT_EQ(0, fmc_dev_read("dpni.61", "open_count"));
	fmc_open("dpio.63", &dev);
	EXPECT_EQ(1, fmc_set_read("dprc.62", "open_count"));
	vfio_dev_close(&dev);

	ASSERT_EQ(0, system("rmmod vfio_fsl_mc_stub fsl_mc_stub"));
	EXPECT_FALSE(path_exists(FMC_ROOT_DEV));
	EXPECT_FALSE(path_exists("/sys/bus/" FSL_MC_STUB_BUS_NAME));
	ASSERT_EQ(0, system("modprobe vfio_fsl_mc_stub"));
	EXPECT_TRUE(fmc_exists(FSL_MC_STUB_ROOT_NAME));
	EXPECT_FALSE(fmc_exists("dprc.60"));
	EXPECT_TRUE(path_exists(FMC_DEVICES "/" FSL_MC_STUB_ROOT_NAME "/driver"));
}

TEST_HARNESS_MAIN
