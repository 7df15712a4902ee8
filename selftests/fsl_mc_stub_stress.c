// SPDX-License-Identifier: GPL-2.0
/*
 * fsl_mc_stub: the device set serialises open_device and close_device of
 * the devices in one container, and only those.  Processes and threads open
 * and close the members of two containers at once while the driver makes
 * each call take a while (debugfs open_delay_ms), and the driver counts the
 * calls in progress: within a set there is never more than one, across two
 * sets there are two at once.
 *
 * And the core's own part of the contract: devices with one set_id that
 * probe at the same time end in one set, and the set goes with its last
 * device (fmc_probe_race).
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "fsl_mc_stub_util.h"

#define NR_CONTS	2
#define MAX_OBJS	3
#define NAME_LEN	FSL_MC_STUB_NAME_MAX
#define PROCS_PER_SET	2
#define THREADS		3
#define ITERATIONS	15

static const char * const child_types[MAX_OBJS] = { "dpni", "dpio", "dpcon" };

/* The containers and their members; member 0 is the container itself. */
struct topo {
	char names[NR_CONTS][MAX_OBJS + 1][NAME_LEN];
	unsigned int nr_members;
};

FIXTURE(fmc_stress) {
	struct topo t;
};

FIXTURE_VARIANT(fmc_stress) {
	unsigned int objs_per_container;
};

FIXTURE_VARIANT_ADD(fmc_stress, one_object) {
	.objs_per_container = 1,
};

FIXTURE_VARIANT_ADD(fmc_stress, three_objects) {
	.objs_per_container = 3,
};

#define CONT(c)		(self->t.names[c][0])

/* Forget the highest concurrency seen so far, over all sets. */
static void fmc_reset_max(void)
{
	fmc_global_write("max_open_running", "0");
	fmc_global_write("max_running", "0");
}

FIXTURE_SETUP(fmc_stress)
{
	unsigned int c, i;

	if (!fmc_loaded())
		SKIP(return, "fsl_mc_stub and vfio_fsl_mc_stub are not loaded");

	self->t.nr_members = variant->objs_per_container + 1;
	for (c = 0; c < NR_CONTS; c++) {
		snprintf(CONT(c), NAME_LEN, "dprc.%u", 40 + 10 * c);
		fmc_create(FSL_MC_STUB_ROOT_NAME, CONT(c));
		for (i = 1; i < self->t.nr_members; i++) {
			snprintf(self->t.names[c][i], NAME_LEN, "%s.%u",
				 child_types[i - 1], 40 + 10 * c + i);
			fmc_create(CONT(c), self->t.names[c][i]);
		}
	}
	fmc_reset_max();
}

/* In the parent, so that it runs however the test ends. */
FIXTURE_TEARDOWN_PARENT(fmc_stress)
{
	unsigned int c, i;

	fmc_knobs_reset();
	for (c = 0; c < NR_CONTS; c++) {
		for (i = self->t.nr_members; i-- > 0;) {
			if (self->t.names[c][i][0] && fmc_exists(self->t.names[c][i]))
				fmc_destroy(self->t.names[c][i]);
		}
	}
}

/* ---- workers ------------------------------------------------------------ */

struct worker {
	struct vfio_dev *devs;
	unsigned int nr_devs;
	unsigned int id;
	int errors;
};

/*
 * Wire interrupt 0 of an open device to an eventfd, which makes the device
 * draw from its container's pool (creating it if no member holds it), ring
 * the doorbell and check the interrupt arrived.  Return 0 if it all worked.
 */
static int use_interrupt(int fd)
{
	struct vfio_irq_info info;
	__le32 irq0 = 0;
	int efd, ret = -1;

	if (__vfio_irq_info(fd, 0, &info) || info.count != 1)
		return -1;
	if (fmc_irq_count(fd) == 0)
		return 0;
	efd = eventfd(0, EFD_NONBLOCK);
	if (efd < 0)
		return -1;
	if (!__vfio_irq_set_eventfd(fd, 0, 0, efd) &&
	    __vfio_region_write(fd, FSL_MC_STUB_PORTAL_INDEX,
				FSL_MC_STUB_REG_DOORBELL, &irq0,
				sizeof(irq0)) == sizeof(irq0) &&
	    eventfd_wait(efd, 0) == 1)
		ret = 0;
	close(efd);
	return ret;
}

/*
 * Open and close the process's devices in turn, racing its siblings.  Each
 * device has one thread that also uses its interrupt (two threads would
 * steal each other's eventfd), so that the pool is created and freed under
 * the same race.
 */
static void *worker_thread(void *arg)
{
	struct worker *w = arg;
	unsigned int k;
	int fd;

	for (k = 0; k < ITERATIONS; k++) {
		unsigned int d = (w->id + k) % w->nr_devs;

		fd = __vfio_dev_fd(&w->devs[d]);
		if (fd < 0) {
			w->errors++;
			continue;
		}
		if (d % THREADS == w->id && use_interrupt(fd))
			w->errors++;
		close(fd);
	}
	return NULL;
}

/*
 * One process: open the groups of every PROCS_PER_SET-th member of
 * container @c starting at @first, then run THREADS threads over them.
 * Exits 0 if every open worked.
 */
static void worker_process(struct topo *t, unsigned int c, unsigned int first)
{
	struct vfio_dev devs[MAX_OBJS + 1];
	struct worker workers[THREADS];
	pthread_t threads[THREADS];
	unsigned int i, n = 0;
	int errors = 0;

	for (i = first; i < t->nr_members; i += PROCS_PER_SET) {
		if (__fmc_open(t->names[c][i], &devs[n]))
			_exit(1);
		close(devs[n].fd);
		devs[n++].fd = -1;
	}
	for (i = 0; i < THREADS; i++) {
		workers[i] = (struct worker){ .devs = devs, .nr_devs = n, .id = i };
		if (pthread_create(&threads[i], NULL, worker_thread, &workers[i]))
			_exit(1);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(threads[i], NULL);
		errors += workers[i].errors;
	}
	for (i = 0; i < n; i++)
		vfio_dev_close(&devs[i]);
	_exit(errors ? 1 : 0);
}

/* Run the workers on the containers in @mask; return how many failed. */
static int run_workers(struct topo *t, unsigned int mask)
{
	pid_t pids[NR_CONTS * PROCS_PER_SET];
	unsigned int c, p, n = 0;
	int failed = 0, status;

	for (c = 0; c < NR_CONTS; c++) {
		if (!(mask & (1u << c)))
			continue;
		for (p = 0; p < PROCS_PER_SET && p < t->nr_members; p++) {
			pids[n] = fork();
			if (pids[n] == 0)
				worker_process(t, c, p);
			if (pids[n] > 0)
				n++;
			else
				failed++;
		}
	}
	while (n--) {
		if (waitpid(pids[n], &status, 0) != pids[n] ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	return failed;
}

/*
 * The counters of set @c are consistent, nothing is running, and the pool
 * went with the last close.
 */
static void check_set_settled(struct __test_metadata *_metadata,
			      struct topo *t, unsigned int c)
{
	const char *cont = t->names[c][0];
	struct fmc_set_counts counts = fmc_set_counts(cont);
	unsigned int i;

	EXPECT_EQ(-ENOENT, fmc_pool(cont, NULL, NULL));
	EXPECT_EQ(0, fmc_set_read(cont, "running"));
	EXPECT_EQ(0, fmc_set_read(cont, "open_running"));
	EXPECT_EQ(counts.open_count, counts.close_count);
	EXPECT_EQ(counts.first_open, counts.last_close);
	EXPECT_LE(counts.first_open, counts.open_count);
	for (i = 0; i < t->nr_members; i++)
		EXPECT_EQ(fmc_dev_read(t->names[c][i], "open_count"),
			  fmc_dev_read(t->names[c][i], "close_count"));
}

/* ---- tests -------------------------------------------------------------- */

/* Opens and closes of different members of one set never overlap. */
TEST_F_TIMEOUT(fmc_stress, serialised_within_set, FMC_TIMEOUT)
{
	fmc_global_write("open_delay_ms", "1");
	ASSERT_EQ(0, run_workers(&self->t, 1u << 0));

	EXPECT_LT(0, fmc_set_read(CONT(0), "open_count"));
	EXPECT_EQ(1, fmc_set_read(CONT(0), "max_open_running"));
	EXPECT_EQ(1, fmc_set_read(CONT(0), "max_running"));
	check_set_settled(_metadata, &self->t, 0);
	EXPECT_EQ(0, fmc_set_read(CONT(1), "open_count"));
}

/*
 * Two members of different containers open at the same time.  Each child
 * sets up its group first and says so; the parent resets the maximum and
 * lets both open.  With each open_device taking 300 ms, two run at once.
 */
TEST_F_TIMEOUT(fmc_stress, parallel_across_sets, FMC_TIMEOUT)
{
	int ready[2], go[2], status;
	pid_t pids[NR_CONTS];
	unsigned int c;
	char byte = 0;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	for (c = 0; c < NR_CONTS; c++) {
		pids[c] = fork();
		ASSERT_LE(0, pids[c]);
		if (pids[c] == 0) {
			struct vfio_dev dev;

			if (__fmc_open(self->t.names[c][self->t.nr_members - 1], &dev))
				_exit(1);
			close(dev.fd);
			if (write(ready[1], &byte, 1) != 1 ||
			    read(go[0], &byte, 1) != 1)
				_exit(1);
			dev.fd = __vfio_dev_fd(&dev);
			if (dev.fd < 0)
				_exit(1);
			vfio_dev_close(&dev);
			_exit(0);
		}
	}
	for (c = 0; c < NR_CONTS; c++)
		ASSERT_EQ(1, read(ready[0], &byte, 1));
	fmc_global_write("open_delay_ms", "300");
	fmc_reset_max();
	ASSERT_EQ(NR_CONTS, write(go[1], "gg", NR_CONTS));
	for (c = 0; c < NR_CONTS; c++) {
		ASSERT_EQ(pids[c], waitpid(pids[c], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	}

	EXPECT_EQ(NR_CONTS, fmc_global_read("max_open_running"));
	EXPECT_EQ(NR_CONTS, fmc_global_read("max_running"));
	for (c = 0; c < NR_CONTS; c++) {
		EXPECT_EQ(1, fmc_set_read(CONT(c), "max_open_running"));
		EXPECT_EQ(1, fmc_set_read(CONT(c), "max_running"));
		check_set_settled(_metadata, &self->t, c);
	}
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
}

/* Both sets at once: each stays serialised, and they never exceed two. */
TEST_F_TIMEOUT(fmc_stress, both_sets_at_once, FMC_TIMEOUT)
{
	unsigned int c;

	fmc_global_write("open_delay_ms", "1");
	ASSERT_EQ(0, run_workers(&self->t, (1u << NR_CONTS) - 1));

	for (c = 0; c < NR_CONTS; c++) {
		EXPECT_LT(0, fmc_set_read(CONT(c), "open_count"));
		EXPECT_EQ(1, fmc_set_read(CONT(c), "max_open_running"));
		EXPECT_EQ(1, fmc_set_read(CONT(c), "max_running"));
		check_set_settled(_metadata, &self->t, c);
	}
	EXPECT_LE(1, fmc_global_read("max_running"));
	EXPECT_GE(NR_CONTS, fmc_global_read("max_running"));
	EXPECT_GE(NR_CONTS, fmc_global_read("max_open_running"));
	EXPECT_EQ(0, fmc_global_read("running"));
	EXPECT_EQ(0, fmc_global_read("open_running"));
}

/* ---- many members of one set probing at once --------------------------- */

#define RACE_OBJS	8
#define RACE_MEMBERS	(RACE_OBJS + 1)

static const char * const race_types[] = { "dpni", "dpio", "dpcon", "dpmcp", "dpbp" };

/*
 * One container and RACE_OBJS objects in it: member 0 is the container,
 * which outlives the rounds, so that every round's set has the same key.
 */
FIXTURE(fmc_probe_race) {
	char names[RACE_MEMBERS][NAME_LEN];
	char want[RACE_MEMBERS * (NAME_LEN + 1)];
	bool created;
};

/*
 * How the members' probes start together: by creating the objects from
 * many threads (the bus probes each as it adds it), or by binding objects
 * that were created with the bus's autoprobe off.  Either way one more
 * thread binds the container.
 */
FIXTURE_VARIANT(fmc_probe_race) {
	bool bind;
};

FIXTURE_VARIANT_ADD(fmc_probe_race, created) {
	.bind = false,
};

FIXTURE_VARIANT_ADD(fmc_probe_race, bound) {
	.bind = true,
};

#define RACE_CONT	(self->names[0])

FIXTURE_SETUP(fmc_probe_race)
{
	unsigned int i;

	if (!fmc_loaded())
		SKIP(return, "fsl_mc_stub and vfio_fsl_mc_stub are not loaded");

	snprintf(RACE_CONT, NAME_LEN, "dprc.70");
	for (i = 1; i < RACE_MEMBERS; i++)
		snprintf(self->names[i], NAME_LEN, "%s.%u",
			 race_types[i % ARRAY_SIZE(race_types)], 70 + i);
	for (i = 0; i < RACE_MEMBERS; i++)
		snprintf(self->want + strlen(self->want),
			 sizeof(self->want) - strlen(self->want), "%s ",
			 self->names[i]);
	fmc_sort_words(self->want);

	/* The container starts every round unbound: its set doesn't exist. */
	fmc_create(FSL_MC_STUB_ROOT_NAME, RACE_CONT);
	self->created = true;
	sysfs_write(FMC_DRIVER_DIR "/unbind", RACE_CONT);
}

FIXTURE_TEARDOWN_PARENT(fmc_probe_race)
{
	unsigned int i;

	__sysfs_write(FMC_AUTOPROBE, "1");
	__sysfs_write(FMC_DEBUGFS "/init_gate", "0");
	for (i = RACE_MEMBERS; i-- > 1;) {
		if (fmc_exists(self->names[i]))
			fmc_destroy(self->names[i]);
	}
	if (self->created && fmc_exists(RACE_CONT))
		fmc_destroy(RACE_CONT);
}

/* One sysfs write, started together with the others at a barrier. */
struct race_job {
	pthread_barrier_t *barrier;
	const char *path;
	char line[2 * NAME_LEN];
	int ret;
};

static void *race_thread(void *arg)
{
	struct race_job *job = arg;

	pthread_barrier_wait(job->barrier);
	job->ret = __sysfs_write(job->path, job->line);
	return NULL;
}

/* Run the jobs, each in a thread of its own, at once.  0 if all worked. */
static int race(struct __test_metadata *_metadata, struct race_job *jobs,
		unsigned int n)
{
	pthread_t threads[RACE_MEMBERS];
	pthread_barrier_t barrier;
	unsigned int i;
	int failed = 0;

	ASSERT_EQ(0, pthread_barrier_init(&barrier, NULL, n));
	for (i = 0; i < n; i++) {
		jobs[i].barrier = &barrier;
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, race_thread,
					    &jobs[i]));
	}
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, pthread_join(threads[i], NULL));
		if (jobs[i].ret) {
			TH_LOG("%s \"%s\": %s", jobs[i].path, jobs[i].line,
			       strerror(-jobs[i].ret));
			failed++;
		}
	}
	pthread_barrier_destroy(&barrier);
	return failed;
}

static void race_job(struct race_job *job, const char *path, const char *a,
		     const char *b)
{
	job->path = path;
	snprintf(job->line, sizeof(job->line), "%s%s%s", a, b ? " " : "",
		 b ? b : "");
}

static bool fmc_bound(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), FMC_DEVICES "/%s/driver", name);
	return path_exists(path);
}

/*
 * All RACE_MEMBERS devices are in one set: each reports the same core set,
 * and the core lists exactly all of them in it, and counts as many.
 */
static void check_one_set(struct __test_metadata *_metadata,
			  char (*names)[NAME_LEN], const char *want,
			  unsigned int round)
{
	char set0[64], set[64], members[RACE_MEMBERS * (NAME_LEN + 1)];
	unsigned int i, split = 0;

	for (i = 0; i < RACE_MEMBERS; i++)
		ASSERT_TRUE(fmc_bound(names[i]));
	fmc_dev_text(names[0], "dev_set", set0, sizeof(set0));
	for (i = 0; i < RACE_MEMBERS; i++) {
		fmc_dev_text(names[i], "dev_set", set, sizeof(set));
		fmc_set_members(names[i], members, sizeof(members));
		if (strcmp(set, set0) || strcmp(members, want)) {
			TH_LOG("round %u: %s is in set \"%s\" with \"%s\"",
			       round, names[i], set, members);
			split++;
		}
	}
	EXPECT_EQ(0, split);
	EXPECT_EQ(RACE_MEMBERS, fmc_dev_read(names[0], "set_device_count"));
}

/*
 * Many rounds: the members' probes start together, and the driver's
 * init_gate holds each .init until all of them are inside, then lets them
 * call vfio_assign_device_set() at once, so that several find no set and
 * race to create it.  They must end in one set.  Then every member goes,
 * from as many threads at once, which must take the set with them: the
 * next round's set has exactly its own members, and at the end a lone
 * member is alone in a set of one.  (A set lost or leaked on the way is
 * also what kmemleak reports on the sanitizer kernel.)
 */
TEST_F_TIMEOUT(fmc_probe_race, one_set, FMC_TIMEOUT)
{
	/* 6.12 runs 40 rounds in seconds; a round costs 10-80x on the sanitizer kernel */
	unsigned int rounds = suite_rounds(40, 6);
	struct race_job jobs[RACE_MEMBERS];
	char members[sizeof(self->want)], n[16];
	unsigned int r, i;

	snprintf(n, sizeof(n), "%u", RACE_MEMBERS);
	for (r = 0; r < rounds; r++) {
		memset(jobs, 0, sizeof(jobs));
		race_job(&jobs[0], FMC_DRIVER_DIR "/bind", RACE_CONT, NULL);
		if (variant->bind) {
			sysfs_write(FMC_AUTOPROBE, "0");
			for (i = 1; i < RACE_MEMBERS; i++)
				fmc_create(RACE_CONT, self->names[i]);
			sysfs_write(FMC_AUTOPROBE, "1");
			for (i = 1; i < RACE_MEMBERS; i++)
				race_job(&jobs[i], FMC_DRIVER_DIR "/bind",
					 self->names[i], NULL);
		} else {
			for (i = 1; i < RACE_MEMBERS; i++)
				race_job(&jobs[i], FMC_ROOT_DEV "/create",
					 RACE_CONT, self->names[i]);
		}
		fmc_global_write("init_gate", n);
		ASSERT_EQ(0, race(_metadata, jobs, RACE_MEMBERS));
		/* every .init was waiting at the gate at once: they raced */
		ASSERT_EQ(0, fmc_global_read("init_gate"));
		check_one_set(_metadata, self->names, self->want, r);

		memset(jobs, 0, sizeof(jobs));
		race_job(&jobs[0], FMC_DRIVER_DIR "/unbind", RACE_CONT, NULL);
		for (i = 1; i < RACE_MEMBERS; i++)
			race_job(&jobs[i], FMC_ROOT_DEV "/destroy",
				 self->names[i], NULL);
		ASSERT_EQ(0, race(_metadata, jobs, RACE_MEMBERS));
		for (i = 1; i < RACE_MEMBERS; i++)
			ASSERT_FALSE(fmc_exists(self->names[i]));
		ASSERT_FALSE(fmc_bound(RACE_CONT));
		/* nothing of the set is left in the driver either */
		EXPECT_FALSE(path_exists(FMC_DEBUGFS "/sets/dprc.70"));
		EXPECT_FALSE(path_exists(FMC_DEBUGFS "/dprc.70"));
		if (_metadata->exit_code)
			break;
	}

	/* A member after all went: a set of its own, one device in it. */
	sysfs_write(FMC_DRIVER_DIR "/bind", RACE_CONT);
	fmc_set_members(RACE_CONT, members, sizeof(members));
	EXPECT_STREQ(RACE_CONT, members);
	EXPECT_EQ(1, fmc_dev_read(RACE_CONT, "set_device_count"));
}

TEST_HARNESS_MAIN
