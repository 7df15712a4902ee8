// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_stress: every device of the suite, used from many threads and
 * processes at once while other threads make and unmake the devices.
 *
 * Users (threads of this process, and child processes that a manager kills
 * with SIGKILL and replaces now and then) open a device, do a few things
 * with it (info, region reads and writes, eventfd interrupts set and
 * cleared, reset, extra fds, mmap and touch) and close it, or die holding
 * it. Meanwhile churn threads create and remove mdevs, spawn and destroy
 * devices of drivers that can (fsl_mc_stub containers), and unbind and
 * rebind devices of drivers that allow it (pci_slot_stub functions), all
 * from the table in lib/vfio_discover.c. Devices vanish under their users:
 * errors such as ENODEV are expected; a kernel report is not.
 *
 * Afterwards the test checks that nothing leaked: no mdev is left, every
 * module's refcount and every mdev type's available_instances are back at
 * their start values, every rebound device is bound, every remaining device
 * saw as many close_device as open_device calls, and the kernel logged no
 * report.
 *
 * VFIO_STRESS_TIME sets the run time in seconds (default 25, 15 on a slow
 * kernel: see ST_SLOW_TIME). VFIO_STRESS_ONLY narrows the run to one
 * device (st_discover()). The test fails, too, when most opens of devices
 * that were there, or most operations on open devices, failed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "kreport.h"
#include "vfio_discover.h"
#include "vfio_lib.h"

#define ST_DEFAULT_TIME	25
/*
 * On the sanitizer kernel (VFIO_SUITE_SLOW) the churn still creates,
 * removes, binds and unbinds devices tens of times in 15 s, the users open
 * hundreds of fds, and lockdep reports an inversion once both orders have
 * been taken, not only when two threads collide.
 */
#define ST_SLOW_TIME	15
#define ST_MAX_FOUND	64
#define ST_MAX_SLOTS	96
#define ST_MDEV_SLOTS	2	/* mdevs per type the churn makes and unmakes */
#define ST_SPAWN_SLOTS	3	/* spawned devices per spawnable driver */
#define ST_THREADS	3	/* user threads in this process */
#define ST_PROCS	2	/* user processes */
#define ST_MAX_MODULES	256
#define ST_MAX_TYPES	32
#define ST_NR_ERRNO	134	/* open failures counted by errno below this */

enum st_kind { ST_MDEV, ST_BOUND, ST_SPAWN };

/**
 * struct st_slot - a place a device may be at, or not
 * @kind: who makes it: the mdev churn, the driver (bound), the spawn churn
 * @f: the discovery entry (mdev type or bound device)
 * @drv: the driver row (bound and spawned)
 * @sysfs: the device's sysfs directory
 * @name: mdev UUID, bound device name, or spawn number
 */
struct st_slot {
	enum st_kind kind;
	const struct vfio_found *f;
	const struct vfio_suite_driver *drv;
	char sysfs[256];
	char name[64];
};

/* Counters shared with the user processes: a MAP_SHARED page. */
struct st_stats {
	long opens, open_fail, open_gone, open_busy, absent, ops, op_fail, sigbus;
	long open_errno[ST_NR_ERRNO];
	long creates, create_fail, removes, remove_fail;
	long spawns, unspawns, unbinds, binds, kills;
};

struct st_ctx {
	struct vfio_found *found;
	int nfound;
	struct st_slot slots[ST_MAX_SLOTS];
	int nslots;
	double deadline;
	struct st_stats *stats;
};

static double st_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static __u32 st_rand(__u64 *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

static void st_add(long *counter)
{
	__atomic_add_fetch(counter, 1, __ATOMIC_RELAXED);
}

static void st_pause(__u64 *rng, unsigned int max_us)
{
	usleep(st_rand(rng) % max_us);
}

/* ---- the slots ---- */

static void st_slots(struct st_ctx *c)
{
	struct st_slot *s;
	unsigned int r;
	int i, j;

	for (i = 0; i < c->nfound; i++) {
		struct vfio_found *f = &c->found[i];

		for (j = 0; j < (f->is_mdev ? ST_MDEV_SLOTS : 1); j++) {
			if (c->nslots == ST_MAX_SLOTS)
				return;
			s = &c->slots[c->nslots++];
			s->f = f;
			s->drv = f->drv;
			if (f->is_mdev) {
				s->kind = ST_MDEV;
				char uuid[UUID_STR_LEN];

				uuid_generate_random_str(uuid);
				memcpy(s->name, uuid, sizeof(uuid));
				snprintf(s->sysfs, sizeof(s->sysfs),
					 "/sys/bus/mdev/devices/%s", uuid);
			} else {
				s->kind = ST_BOUND;
				memcpy(s->sysfs, f->sysfs, sizeof(s->sysfs));
				snprintf(s->name, sizeof(s->name), "%s",
					 strrchr(f->sysfs, '/') + 1);
			}
		}
	}
	/* One device asked for (VFIO_STRESS_ONLY): nothing spawns. */
	for (r = 0; !getenv("VFIO_STRESS_ONLY") && r < vfio_suite_nr_drivers; r++) {
		const struct vfio_suite_driver *drv = &vfio_suite_drivers[r];
		char dev[64];

		for (j = 0; drv->spawn[0].path && j < ST_SPAWN_SLOTS; j++) {
			if (c->nslots == ST_MAX_SLOTS)
				return;
			s = &c->slots[c->nslots++];
			s->kind = ST_SPAWN;
			s->drv = drv;
			snprintf(s->name, sizeof(s->name), "%d", 70 + j);
			vfio_suite_expand(drv->spawn_dev, s->name, dev, sizeof(dev));
			snprintf(s->sysfs, sizeof(s->sysfs), "/sys/bus/%s/devices/%s",
				 drv->bus, dev);
		}
	}
}

/* ---- users ---- */

static __thread sigjmp_buf st_jmp;
static __thread int st_touching;

static void st_fault(int sig)
{
	if (st_touching)
		siglongjmp(st_jmp, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Touch the first page of a mappable region; SIGBUS is legal (gone). */
static void st_mmap(struct st_ctx *c, int fd, const struct vfio_region_info *r,
		    __u64 *rng)
{
	__u8 *p;

	if (!(r->flags & VFIO_REGION_INFO_FLAG_MMAP) || r->size < 4096)
		return;
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, r->offset);
	if (p == MAP_FAILED) {
		st_add(&c->stats->op_fail);
		return;
	}
	if (sigsetjmp(st_jmp, 1)) {
		st_add(&c->stats->sigbus);
	} else {
		st_touching = 1;
		__atomic_load_n(&p[st_rand(rng) % 4096], __ATOMIC_RELAXED);
	}
	st_touching = 0;
	munmap(p, 4096);
}

/* One thing done with an open device. */
static void st_op(struct st_ctx *c, struct vfio_dev *vd, int *efd, __u64 *rng)
{
	struct vfio_region_info r;
	struct vfio_irq_info irq;
	struct vfio_device_info info;
	__u32 val = 0, idx;
	int ret = 0, fd;

	st_add(&c->stats->ops);
	if (__vfio_device_info(vd->fd, &info)) {
		st_add(&c->stats->op_fail);
		return;
	}
	/* Reset is rare: it is slow, and it holds the set against everyone. */
	switch (st_rand(rng) % 32) {
	case 0 ... 13:
		idx = st_rand(rng) % (info.num_regions ? info.num_regions : 1);
		ret = __vfio_region_info(vd->fd, idx, &r);
		if (ret || !r.size)
			break;
		if (!(r.flags & VFIO_REGION_INFO_FLAG_READ))
			break;
		/* The first dword: config space, or a register any model has. */
		ret = pread(vd->fd, &val, 4, r.offset) < 0 ? -errno : 0;
		break;
	case 14 ... 21:
		idx = st_rand(rng) % (info.num_irqs ? info.num_irqs : 1);
		ret = __vfio_irq_info(vd->fd, idx, &irq);
		if (ret || !irq.count || !(irq.flags & VFIO_IRQ_INFO_EVENTFD))
			break;
		ret = __vfio_irq_set_eventfd(vd->fd, idx, 0, *efd);
		if (!ret && st_rand(rng) % 2)
			ret = __vfio_irq_set_eventfd(vd->fd, idx, 0, -1);
		break;
	case 22:
		ret = ioctl(vd->fd, VFIO_DEVICE_RESET) ? -errno : 0;
		break;
	case 23 ... 25:
		fd = __vfio_dev_fd(vd);
		if (fd >= 0)
			close(fd);
		ret = fd < 0 ? fd : 0;
		break;
	case 26 ... 28:
		idx = st_rand(rng) % (info.num_regions ? info.num_regions : 1);
		if (!__vfio_region_info(vd->fd, idx, &r))
			st_mmap(c, vd->fd, &r, rng);
		break;
	default:
		/* Write the config command register back as it reads. */
		if (!(info.flags & VFIO_DEVICE_FLAGS_PCI))
			break;
		ret = __vfio_region_read(vd->fd, VFIO_PCI_CONFIG_REGION_INDEX, 4, &val, 2);
		if (ret == 2)
			ret = __vfio_region_write(vd->fd, VFIO_PCI_CONFIG_REGION_INDEX, 4,
						  &val, 2);
		ret = ret < 0 ? ret : 0;
		break;
	}
	if (ret)
		st_add(&c->stats->op_fail);
}

static bool st_exists(const struct st_slot *s);

/*
 * Open a random slot's device, use it, close it. A process user sometimes
 * returns with the device open: the manager kills it there.
 */
static void st_use(struct st_ctx *c, __u64 *rng, int efd, bool process)
{
	struct st_slot *s = &c->slots[st_rand(rng) % c->nslots];
	struct vfio_dev vd;
	int i, n, ret;

	/* A device the churn has taken away is not a failed open. */
	if (!st_exists(s)) {
		st_add(&c->stats->absent);
		usleep(1000);
		return;
	}
	ret = __vfio_dev_open(s->sysfs, &vd);
	if (ret) {
		/* Gone between the look and the open, or going: the churn. */
		if (ret == -ENODEV || ret == -ENOENT)
			st_add(&c->stats->open_gone);
		/*
		 * Its group is open in another user (one user at a time), or
		 * the reset at first open found the function's lock taken
		 * (an unbind or bind in flight): contention, not failure.
		 */
		else if (ret == -EBUSY || ret == -EAGAIN)
			st_add(&c->stats->open_busy);
		else
			st_add(&c->stats->open_fail);
		if (-ret < ST_NR_ERRNO)
			st_add(&c->stats->open_errno[-ret]);
		return;
	}
	st_add(&c->stats->opens);
	n = 1 + st_rand(rng) % 16;
	for (i = 0; i < n; i++)
		st_op(c, &vd, &efd, rng);
	if (process && st_rand(rng) % 4 == 0)
		st_pause(rng, 200000);	/* a likely place to be killed */
	vfio_dev_close(&vd);
}

static void st_user_loop(struct st_ctx *c, __u64 seed, bool process)
{
	struct sigaction sa = { .sa_handler = st_fault };
	__u64 rng = seed;
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	while (st_now() < c->deadline)
		st_use(c, &rng, efd, process);
	close(efd);
}

struct st_thread {
	struct st_ctx *c;
	__u64 seed;
	pthread_t tid;
};

static void *st_user_thread(void *arg)
{
	struct st_thread *t = arg;

	st_user_loop(t->c, t->seed, false);
	return NULL;
}

/*
 * The user processes' manager: a process of its own, so that it forks
 * from a single thread. It keeps ST_PROCS users running and SIGKILLs one
 * every few hundred milliseconds, with whatever it holds.
 */
static void st_manager(struct st_ctx *c, __u64 seed)
{
	pid_t pids[ST_PROCS];
	__u64 rng = seed;
	int i, status;

	for (i = 0; i < ST_PROCS; i++)
		pids[i] = -1;
	while (st_now() < c->deadline) {
		for (i = 0; i < ST_PROCS; i++) {
			if (pids[i] > 0)
				continue;
			pids[i] = fork();
			if (!pids[i]) {
				st_user_loop(c, seed + st_rand(&rng), true);
				_exit(0);
			}
		}
		st_pause(&rng, 500000);
		i = st_rand(&rng) % ST_PROCS;
		if (pids[i] > 0 && !kill(pids[i], SIGKILL)) {
			waitpid(pids[i], &status, 0);
			pids[i] = -1;
			st_add(&c->stats->kills);
		}
		for (i = 0; i < ST_PROCS; i++)
			if (pids[i] > 0 && waitpid(pids[i], &status, WNOHANG) == pids[i])
				pids[i] = -1;
	}
	for (i = 0; i < ST_PROCS; i++)
		if (pids[i] > 0)
			waitpid(pids[i], &status, 0);
}

/* ---- churn: devices come and go ---- */

static bool st_exists(const struct st_slot *s)
{
	return path_exists(s->sysfs);
}

static void st_toggle(struct st_ctx *c, struct st_slot *s)
{
	char path[PATH_MAX];
	bool there = st_exists(s);

	switch (s->kind) {
	case ST_MDEV:
		if (there) {
			/* Users hold it in other threads, and let go soon. */
			st_add(__mdev_remove_wait(s->name) ? &c->stats->remove_fail :
			       &c->stats->removes);
		} else {
			st_add(__mdev_create(s->f->parent, s->f->type, s->name) ?
			       &c->stats->create_fail : &c->stats->creates);
		}
		break;
	case ST_SPAWN:
		/* Counted when the first write (the container) worked. */
		if (there) {
			if (!vfio_suite_run_ops(s->drv->unspawn, s->name))
				st_add(&c->stats->unspawns);
		} else {
			if (!vfio_suite_run_ops(s->drv->spawn, s->name))
				st_add(&c->stats->spawns);
		}
		break;
	case ST_BOUND:
		if (!s->drv->rebind)
			break;
		snprintf(path, sizeof(path), "/sys/bus/%s/drivers/%s/%s", s->drv->bus,
			 s->drv->driver, s->name);
		there = path_exists(path);
		snprintf(path, sizeof(path), "/sys/bus/%s/drivers/%s/%s", s->drv->bus,
			 s->drv->driver, there ? "unbind" : "bind");
		__sysfs_write(path, s->name);
		st_add(there ? &c->stats->unbinds : &c->stats->binds);
		break;
	}
}

static void *st_churn_thread(void *arg)
{
	struct st_thread *t = arg;
	struct st_ctx *c = t->c;
	__u64 rng = t->seed;

	while (st_now() < c->deadline) {
		st_toggle(c, &c->slots[st_rand(&rng) % c->nslots]);
		st_pause(&rng, 100000);
	}
	return NULL;
}

/* Put every slot back: mdevs and spawned devices gone, bound ones bound. */
static void st_restore(struct st_ctx *c)
{
	char path[PATH_MAX];
	struct st_slot *s;
	int i;

	for (i = 0; i < c->nslots; i++) {
		s = &c->slots[i];
		if (s->kind == ST_BOUND) {
			snprintf(path, sizeof(path), "/sys/bus/%s/drivers/%s/%s",
				 s->drv->bus, s->drv->driver, s->name);
			if (s->drv->rebind && !path_exists(path))
				st_toggle(c, s);
		} else if (st_exists(s)) {
			st_toggle(c, s);
		}
	}
}

/* ---- what must come back ---- */

struct st_module {
	char name[64];
	long refcnt;
};

struct st_snapshot {
	struct st_module mods[ST_MAX_MODULES];
	int nmods;
	long avail[ST_MAX_TYPES];
	int nmdevs;
};

static int st_count_dir(const char *path)
{
	struct dirent *e;
	DIR *dir = opendir(path);
	int n = 0;

	if (!dir)
		return 0;
	while ((e = readdir(dir)))
		n += e->d_name[0] != '.';
	closedir(dir);
	return n;
}

static void st_snapshot(struct st_ctx *c, struct st_snapshot *snap)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *dir;
	int i, t = 0;

	memset(snap, 0, sizeof(*snap));
	dir = opendir("/sys/module");
	while (dir && (e = readdir(dir)) && snap->nmods < ST_MAX_MODULES) {
		struct st_module *m = &snap->mods[snap->nmods];

		snprintf(path, sizeof(path), "/sys/module/%.60s/refcnt", e->d_name);
		if (e->d_name[0] == '.' || __sysfs_read_long(path, &m->refcnt))
			continue;
		snprintf(m->name, sizeof(m->name), "%.60s", e->d_name);
		snap->nmods++;
	}
	if (dir)
		closedir(dir);
	for (i = 0; i < c->nfound && t < ST_MAX_TYPES; i++) {
		if (!c->found[i].is_mdev)
			continue;
		snprintf(path, sizeof(path),
			 "/sys/class/mdev_bus/%s/mdev_supported_types/%s/available_instances",
			 c->found[i].parent, c->found[i].type);
		if (__sysfs_read_long(path, &snap->avail[t]))
			snap->avail[t] = -1;
		t++;
	}
	snap->nmdevs = st_count_dir("/sys/bus/mdev/devices");
}

/* The label of the @t-th mdev type, in st_snapshot()'s order. */
static const char *st_type_label(const struct st_ctx *c, int t)
{
	int i;

	for (i = 0; i < c->nfound; i++)
		if (c->found[i].is_mdev && !t--)
			return c->found[i].label;
	return "?";
}

/* Print and count what differs between two snapshots. */
static int st_compare(const struct st_ctx *c, const struct st_snapshot *a,
		      const struct st_snapshot *b)
{
	int i, j, bad = 0;

	for (i = 0; i < a->nmods; i++) {
		for (j = 0; j < b->nmods; j++)
			if (!strcmp(a->mods[i].name, b->mods[j].name))
				break;
		if (j < b->nmods && a->mods[i].refcnt != b->mods[j].refcnt) {
			ksft_print_msg("LEAK: module %s refcnt %ld, was %ld\n",
				       a->mods[i].name, b->mods[j].refcnt,
				       a->mods[i].refcnt);
			bad++;
		}
	}
	for (i = 0; i < ST_MAX_TYPES; i++) {
		if (a->avail[i] != b->avail[i]) {
			ksft_print_msg("LEAK: %s available_instances %ld, was %ld\n",
				       st_type_label(c, i), b->avail[i], a->avail[i]);
			bad++;
		}
	}
	if (a->nmdevs != b->nmdevs) {
		ksft_print_msg("LEAK: %d mdev devices, were %d\n", b->nmdevs, a->nmdevs);
		bad++;
	}
	return bad;
}

/* Bound devices: bound again, and as many closes as opens. */
static int st_check_bound(struct st_ctx *c)
{
	char path[PATH_MAX];
	long opens, closes;
	int i, bad = 0;

	for (i = 0; i < c->nfound; i++) {
		struct vfio_found *f = &c->found[i];

		if (f->is_mdev)
			continue;
		snprintf(path, sizeof(path), "%s/driver", f->sysfs);
		if (!path_exists(path)) {
			ksft_print_msg("LEAK: %s is not bound any more\n", f->label);
			bad++;
			continue;
		}
		vfio_found_resolve(f);
		opens = vfio_found_counter(f, "open_count");
		closes = vfio_found_counter(f, "close_count");
		if (opens < 0 || closes < 0) {
			/* Not a driver of the suite built with its test hooks. */
			ksft_print_msg("%s: SKIP open/close balance: no counters\n",
				       f->label);
		} else if (opens != closes) {
			ksft_print_msg("LEAK: %s open_count %ld, close_count %ld\n",
				       f->label, opens, closes);
			bad++;
		}
	}
	return bad;
}

static void st_kmsg_print(const char *msg, void *arg)
{
	int *printed = arg;

	if ((*printed)++ < 10)
		ksft_print_msg("KERNEL REPORT: %s\n", msg);
}

/* Kernel report lines logged on @fd (/dev/kmsg) since it was opened. */
static int st_kmsg_reports(int fd)
{
	int printed = 0;

	return kreport_scan(fd, st_kmsg_print, &printed);
}

/* ---- the test ---- */

/*
 * Every device of the suite, or only the one VFIO_STRESS_ONLY names: an
 * mdev type's label (PARENT/TYPE), or the sysfs directory of a device
 * bound to any VFIO driver (the conformance kit runs it so).
 */
static int st_discover(struct vfio_found *found, int max)
{
	const char *only = getenv("VFIO_STRESS_ONLY");
	int i, n, kept = 0;

	if (only && only[0] == '/')
		return vfio_found_sysfs(&found[0], only) ? 0 : 1;
	n = vfio_discover(found, max, NULL);
	for (i = 0; i < n; i++)
		if (!only || !strcmp(found[i].label, only))
			found[kept++] = found[i];
	return kept;
}

FIXTURE(stress) {
	struct st_ctx *c;
	struct st_snapshot before, after;
	int kmsg;
};

FIXTURE_SETUP(stress)
{
	struct st_ctx *c;
	unsigned int i;

	self->kmsg = kreport_open();
	/* One device asked for: make and unmake no others. */
	for (i = 0; !getenv("VFIO_STRESS_ONLY") && i < vfio_suite_nr_drivers; i++)
		vfio_suite_run_ops(vfio_suite_drivers[i].setup, NULL);
	c = calloc(1, sizeof(*c));
	ASSERT_NE(NULL, c);
	self->c = c;
	c->found = calloc(ST_MAX_FOUND, sizeof(*c->found));
	ASSERT_NE(NULL, c->found);
	c->stats = mmap(NULL, sizeof(*c->stats), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, c->stats);
	c->nfound = st_discover(c->found, ST_MAX_FOUND);
	st_slots(c);
	if (!c->nslots)
		SKIP(return, "no devices of the suite");
	st_snapshot(c, &self->before);
}

FIXTURE_TEARDOWN(stress)
{
	unsigned int i;

	for (i = 0; !getenv("VFIO_STRESS_ONLY") && i < vfio_suite_nr_drivers; i++)
		vfio_suite_run_ops(vfio_suite_drivers[i].teardown, NULL);
	if (self->kmsg >= 0)
		close(self->kmsg);
}

TEST_F_TIMEOUT(stress, everything_at_once, 24 * 3600)
{
	struct st_thread users[ST_THREADS], churn;
	struct st_ctx *c = self->c;
	struct st_stats *st = c->stats;
	const char *env = getenv("VFIO_STRESS_TIME");
	double secs = env && *env ? atof(env) :
		      suite_rounds(ST_DEFAULT_TIME, ST_SLOW_TIME);
	__u64 seed;
	pid_t manager;
	int i, status;

	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = time(NULL);
	ksft_print_msg("%d slots, %.0f s, seed 0x%llx\n", c->nslots, secs,
		       (unsigned long long)seed);
	c->deadline = st_now() + secs;

	manager = fork();
	ASSERT_LE(0, manager);
	if (!manager) {
		st_manager(c, seed ^ 0x5eed);
		_exit(0);
	}
	for (i = 0; i < ST_THREADS; i++) {
		users[i].c = c;
		users[i].seed = seed + i;
		ASSERT_EQ(0, pthread_create(&users[i].tid, NULL, st_user_thread,
					    &users[i]));
	}
	churn.c = c;
	churn.seed = seed ^ 0xc4u;
	ASSERT_EQ(0, pthread_create(&churn.tid, NULL, st_churn_thread, &churn));

	pthread_join(churn.tid, NULL);
	for (i = 0; i < ST_THREADS; i++)
		pthread_join(users[i].tid, NULL);
	ASSERT_EQ(manager, waitpid(manager, &status, 0));

	ksft_print_msg("opens %ld; %ld failed, %ld of a device going, %ld busy, %ld of none\n",
		       st->opens, st->open_fail, st->open_gone, st->open_busy, st->absent);
	ksft_print_msg("ops %ld (%ld failed), SIGBUS %ld\n", st->ops, st->op_fail,
		       st->sigbus);
	for (i = 1; i < ST_NR_ERRNO; i++)
		if (st->open_errno[i])
			ksft_print_msg("  opens that failed with %s: %ld\n",
				       strerrorname_np(i), st->open_errno[i]);
	ksft_print_msg("mdev creates %ld (%ld failed), removes %ld (%ld failed)\n",
		       st->creates, st->create_fail, st->removes, st->remove_fail);
	ksft_print_msg("spawns %ld, unspawns %ld, unbinds %ld, binds %ld, kills %ld\n",
		       st->spawns, st->unspawns, st->unbinds, st->binds, st->kills);
	EXPECT_LT(0, st->opens);
	/*
	 * Devices vanish under their users, so some opens and operations
	 * fail; most failing means the run tested nothing.
	 */
	EXPECT_LT(st->open_fail, st->opens) {
		TH_LOG("most opens of devices there, not going and not busy, failed");
	}
	EXPECT_LT(st->op_fail, st->ops - st->op_fail) {
		TH_LOG("most operations on open devices failed");
	}

	st_restore(c);
	st_snapshot(c, &self->after);
	EXPECT_EQ(0, st_compare(c, &self->before, &self->after));
	EXPECT_EQ(0, st_check_bound(c));
	EXPECT_EQ(0, st_kmsg_reports(self->kmsg));
}

int main(int argc, char **argv)
{
	/* Each line out at once: an oops may end the machine mid-run. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	return test_harness_run(argc, argv);
}
