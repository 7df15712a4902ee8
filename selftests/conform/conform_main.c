// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_conform: find the devices under test, run every check on each, in
 * a child process with a time limit, and print KTAP and a table.
 *
 *   vfio_conform [--types LIST] [--devices LIST] [--modules LIST]
 *                [--checks LIST] [--list]
 *
 * LISTs are comma-separated. The devices under test:
 *  - every type of every mdev parent (--types, or VFIO_SUITE_TYPES, keeps
 *    only the types it names: TYPE, PARENT or PARENT/TYPE); each check
 *    gets a new instance of the type, removed after it;
 *  - the devices named by --devices (VFIO_CONFORM_DEVICES), or else every
 *    device with an IOMMU group bound to a driver of a module named by
 *    --modules (VFIO_CONFORM_MODULES).
 * --checks (VFIO_CONFORM_CHECKS) runs only the checks it names; --list
 * prints the devices and the checks with their rules, and runs nothing.
 *
 * A check passes, fails or skips (with the reason: a check that cannot
 * apply to a device says why, it never passes for nothing). It fails too
 * when the kernel logs a report while it runs, when it crashes or does not
 * end in time, or when its device cannot be removed after it. The exit
 * status is KSFT_FAIL if any check failed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "conform.h"
#include "kreport.h"
#include "leftovers.h"
#include "mdev_types.h"

#define CF_MAX_DEVS		64
#define CF_DEFAULT_TIMEOUT	60
#define CF_REMOVE_MS		10000
#define CF_REASON_LEN		200
#define KMEMLEAK		"/sys/kernel/debug/kmemleak"

/* ---- verdicts: the check's child writes, the runner reads ---- */

/**
 * struct cf_result - the verdict of the check that runs, shared with it
 * @verdict: CF_PASS until cf_fail() or cf_skip()
 * @reason: the first failure's (or the skip's) message
 */
struct cf_result {
	enum cf_verdict verdict;
	char reason[CF_REASON_LEN];
};

static struct cf_result *cf_res;

static void cf_verdict(enum cf_verdict v, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	printf("# %s%s\n", v == CF_SKIP ? "SKIP: " : v == CF_FAIL ? "FAIL: " : "",
	       msg);
	fflush(stdout);
	if (v == CF_PASS || cf_res->verdict == CF_FAIL)
		return;
	if (v == CF_SKIP && cf_res->verdict == CF_SKIP)
		return;
	cf_res->verdict = v;
	snprintf(cf_res->reason, sizeof(cf_res->reason), "%s", msg);
}

void cf_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cf_verdict(CF_FAIL, fmt, ap);
	va_end(ap);
}

void cf_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cf_verdict(CF_SKIP, fmt, ap);
	va_end(ap);
}

void cf_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cf_verdict(CF_PASS, fmt, ap);
	va_end(ap);
}

bool cf_failed(void)
{
	return cf_res->verdict == CF_FAIL;
}

bool cf_expect_errno(int want, int want2, long ret, int err, const char *what)
{
	if (ret == -1 && (err == want || (want2 && err == want2)))
		return true;
	if (ret == -1)
		cf_fail("%s: %s, want %s%s%s", what, strerrorname_np(err),
			strerrorname_np(want), want2 ? " or " : "",
			want2 ? strerrorname_np(want2) : "");
	else
		cf_fail("%s: succeeded (%ld), want %s", what, ret,
			strerrorname_np(want));
	return false;
}

/* ---- finding the devices ---- */

static bool cf_listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	if (!list || !*list)
		return true;
	for (p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ',') && (!p[n] || p[n] == ','))
			return true;
	return false;
}

static void cf_link_name(const char *dir, const char *link, char *out, size_t len)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s", dir, link);
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	snprintf(out, len, "%s", strrchr(target, '/') ? strrchr(target, '/') + 1 : target);
}

/* Fill in a bound device's bus, driver and module from its sysfs dir. */
static int cf_bound_resolve(struct cf_dev *d)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/iommu_group", d->sysfs);
	if (!path_exists(path))
		return -ENODEV;
	cf_link_name(d->sysfs, "subsystem", d->bus, sizeof(d->bus));
	cf_link_name(d->sysfs, "driver", d->driver, sizeof(d->driver));
	snprintf(path, sizeof(path), "%s/driver", d->sysfs);
	cf_link_name(path, "module", d->module, sizeof(d->module));
	snprintf(d->label, sizeof(d->label), "%s",
		 strrchr(d->sysfs, '/') + 1);
	return d->driver[0] ? 0 : -ENODEV;
}

/* A device named on the command line: NAME on any bus, or a sysfs path. */
static int cf_find_named(struct cf_dev *d, const char *name)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *dir;

	memset(d, 0, sizeof(*d));
	if (name[0] == '/') {
		snprintf(d->sysfs, sizeof(d->sysfs), "%s", name);
		return cf_bound_resolve(d);
	}
	dir = opendir("/sys/bus");
	while (dir && (de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/%s/devices/%s", de->d_name, name);
		if (path_exists(path)) {
			snprintf(d->sysfs, sizeof(d->sysfs), "%.250s", path);
			break;
		}
	}
	if (dir)
		closedir(dir);
	return d->sysfs[0] ? cf_bound_resolve(d) : -ENOENT;
}

/*
 * The devices bound to the drivers of module @mod: /sys/module/MOD/drivers
 * has a "BUS:DRIVER" link per driver. mdev drivers are left out: their
 * devices are the instances the mdev checks create.
 */
static int cf_find_module(struct cf_dev *devs, int n, int max, const char *mod)
{
	char dir[PATH_MAX], drvdir[PATH_MAX];
	struct dirent *de, *dd;
	DIR *md, *dv;

	snprintf(dir, sizeof(dir), "/sys/module/%s/drivers", mod);
	md = opendir(dir);
	while (md && (de = readdir(md))) {
		char *colon = strchr(de->d_name, ':');

		if (!colon || !strncmp(de->d_name, "mdev:", 5))
			continue;
		snprintf(drvdir, sizeof(drvdir), "/sys/bus/%.*s/drivers/%s",
			 (int)(colon - de->d_name), de->d_name, colon + 1);
		dv = opendir(drvdir);
		while (dv && (dd = readdir(dv)) && n < max) {
			struct cf_dev *d = &devs[n];
			char path[PATH_MAX];

			snprintf(path, sizeof(path), "%s/%s/iommu_group", drvdir, dd->d_name);
			if (dd->d_name[0] == '.' || !path_exists(path))
				continue;
			memset(d, 0, sizeof(*d));
			snprintf(d->sysfs, sizeof(d->sysfs), "/sys/bus/%.*s/devices/%.200s",
				 (int)(colon - de->d_name), de->d_name, dd->d_name);
			if (!cf_bound_resolve(d))
				n++;
		}
		if (dv)
			closedir(dv);
	}
	if (md)
		closedir(md);
	return n;
}

static int cf_label_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cf_dev *)a)->label,
		      ((const struct cf_dev *)b)->label);
}

static int cf_discover(struct cf_dev *devs, int max, const char *devices,
		       const char *modules)
{
	struct mdev_type_id ids[MDEV_TYPES_MAX];
	char list[1024], *tok, *save;
	int i, nt, n = 0, bound;

	nt = mdev_list_types(ids, MDEV_TYPES_MAX);
	for (i = 0; i < nt && n < max; i++) {
		struct cf_dev *d = &devs[n++];

		memset(d, 0, sizeof(*d));
		d->is_mdev = true;
		snprintf(d->parent, sizeof(d->parent), "%s", ids[i].parent);
		snprintf(d->type, sizeof(d->type), "%s", ids[i].type);
		snprintf(d->label, sizeof(d->label), "%s", ids[i].type);
	}
	bound = n;
	if (devices && *devices) {
		snprintf(list, sizeof(list), "%s", devices);
		for (tok = strtok_r(list, ",", &save); tok && n < max;
		     tok = strtok_r(NULL, ",", &save)) {
			if (cf_find_named(&devs[n], tok))
				printf("# %s: not found, or not a VFIO device bound to a driver\n",
				       tok);
			else
				n++;
		}
	} else if (modules && *modules) {
		snprintf(list, sizeof(list), "%s", modules);
		for (tok = strtok_r(list, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save))
			n = cf_find_module(devs, n, max, tok);
		qsort(devs + bound, n - bound, sizeof(*devs), cf_label_cmp);
	}
	return n;
}

/* ---- running one check ---- */

static double cf_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Where a task that does not die sleeps in the kernel. */
static void cf_wchan(pid_t pid, char *buf, size_t len)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/wchan", pid);
	if (__sysfs_read(path, buf, len))
		snprintf(buf, len, "?");
}

/*
 * Copy what the check's processes wrote to @out (non-blocking) to our
 * output, waiting at most @ms for something to come.
 */
static void cf_relay(int out, int ms)
{
	struct pollfd pfd = { .fd = out, .events = POLLIN };
	char buf[4096];
	ssize_t n;

	if (poll(&pfd, 1, ms) <= 0)
		return;
	while ((n = read(out, buf, sizeof(buf))) > 0)
		if (fwrite(buf, 1, n, stdout) != (size_t)n)
			break;
	fflush(stdout);
}

/*
 * Wait for the check's child at most @secs, relaying its output from @out;
 * kill it (its whole process group) when it overstays. Returns its wait
 * status, or -1 when it could not be reaped: it is stuck in the kernel,
 * and is left there. A process left there holds only @out, never our own
 * output, so that whoever reads ours sees it end.
 */
static int cf_wait(pid_t pid, int out, double secs, bool *timed_out)
{
	double end = cf_now() + secs;
	char wchan[64];
	int status, i;

	*timed_out = false;
	while (waitpid(pid, &status, WNOHANG) != pid) {
		if (cf_now() < end) {
			cf_relay(out, 10);
			continue;
		}
		*timed_out = true;
		cf_wchan(pid, wchan, sizeof(wchan));
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		for (i = 0; i < 500; i++) {
			if (waitpid(pid, &status, WNOHANG) == pid) {
				cf_relay(out, 0);
				cf_fail("did not end in %.0f s (it was in %s)", secs, wchan);
				return status;
			}
			cf_relay(out, 10);
		}
		cf_fail("did not end in %.0f s, and cannot be killed: stuck in the kernel in %s",
			secs, wchan);
		return -1;
	}
	cf_relay(out, 0);
	return status;
}

struct cf_report_ctx {
	const char *label;
	const char *check;
	int printed;
};

static void cf_report_print(const char *msg, void *arg)
{
	struct cf_report_ctx *r = arg;

	if (r->printed++ < 10)
		printf("# KERNEL REPORT during %s.%s: %s\n", r->label, r->check, msg);
}

static unsigned int cf_timeout(const struct cf_check *c)
{
	unsigned int t = c->timeout ? c->timeout : CF_DEFAULT_TIMEOUT;

	return cf_slow() ? 3 * t : t;
}

/* Run check @c on device @d; returns its verdict, the reason in cf_res. */
static enum cf_verdict cf_run_one(struct cf_dev *d, const struct cf_check *c,
				  int kmsg)
{
	struct cf_report_ctx rc = { d->label, c->name, 0 };
	bool instance = d->is_mdev && !c->own_instance;
	int status, ret, reports, out[2];
	bool timed_out;
	pid_t pid;

	memset(cf_res, 0, sizeof(*cf_res));
	kreport_scan(kmsg, NULL, NULL);
	if (instance) {
		ret = cf_create(d);
		if (ret) {
			cf_fail("cannot create an instance of %s/%s: %s", d->parent,
				d->type, strerror(-ret));
			return cf_res->verdict;
		}
	}
	fflush(stdout);
	if (pipe2(out, O_CLOEXEC)) {
		cf_fail("pipe: %s", strerror(errno));
		return cf_res->verdict;
	}
	pid = fork();
	if (pid < 0) {
		cf_fail("fork: %s", strerror(errno));
	} else if (!pid) {
		setpgid(0, 0);
		signal(SIGPIPE, SIG_IGN);
		dup2(out[1], STDOUT_FILENO);
		dup2(out[1], STDERR_FILENO);
		c->fn(d);
		fflush(stdout);
		_exit(0);
	} else {
		close(out[1]);
		out[1] = -1;
		fcntl(out[0], F_SETFL, O_NONBLOCK);
		status = cf_wait(pid, out[0], cf_timeout(c), &timed_out);
		if (status >= 0 && !timed_out && WIFSIGNALED(status))
			cf_fail("the check's process died of signal %d (%s)",
				WTERMSIG(status), strsignal(WTERMSIG(status)));
		else if (status >= 0 && !timed_out && WEXITSTATUS(status))
			cf_fail("the check's process exited with %d", WEXITSTATUS(status));
	}
	close(out[0]);
	if (out[1] >= 0)
		close(out[1]);
	/* A check may remove its instance itself (dmabuf_outlives does). */
	if (instance && cf_present(d)) {
		ret = cf_take_away(d, cf_slow() ? 3 * CF_REMOVE_MS : CF_REMOVE_MS);
		if (ret)
			cf_fail("after the check, removing its instance %s: %s",
				d->uuid, strerror(-ret));
	}
	d->uuid[0] = '\0';
	if (d->is_mdev && leftovers_sweep(false))
		cf_fail("the check left instances behind (removed above)");
	if (!d->is_mdev && !cf_present(d)) {
		ret = cf_bring_back(d);
		cf_fail("the check left the device unbound (bind again: %s)",
			ret ? strerror(-ret) : "done");
	}
	reports = kreport_scan(kmsg, cf_report_print, &rc);
	if (reports)
		cf_fail("%d kernel report line(s) while it ran", reports);
	return cf_res->verdict;
}

/* ---- kmemleak, once for the whole run ---- */

static bool cf_kmemleak_available(void)
{
	return access(KMEMLEAK, W_OK) == 0;
}

/*
 * Scan, and tell for each device whether a leak's backtrace names its
 * module ("[module]"); a leak that names no module counts for every
 * device. @verdicts gets each device's verdict.
 */
static void cf_kmemleak(struct cf_dev *devs, int n, enum cf_verdict *verdicts,
			char (*reasons)[CF_REASON_LEN])
{
	char line[512], tag[80];
	int i, leaks = 0, anon = 0, cur_named = 0;
	FILE *f;

	/* kmemleak reports an object once it has been unreferenced for 5 s. */
	sleep(6);
	for (i = 0; i < 2; i++)
		__sysfs_write(KMEMLEAK, "scan");
	for (i = 0; i < n; i++)
		verdicts[i] = CF_PASS;
	f = fopen(KMEMLEAK, "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (strstr(line, "unreferenced object")) {
			anon += leaks && !cur_named;
			leaks++;
			cur_named = 0;
		}
		if (leaks < 20)
			printf("# kmemleak: %s", line);
		for (i = 0; i < n; i++) {
			snprintf(tag, sizeof(tag), "[%s]", devs[i].module);
			if (devs[i].module[0] && strstr(line, tag)) {
				cur_named = 1;
				if (verdicts[i] == CF_PASS)
					snprintf(reasons[i], CF_REASON_LEN,
						 "kmemleak: a leak allocated by %s",
						 devs[i].module);
				verdicts[i] = CF_FAIL;
			}
		}
	}
	anon += leaks && !cur_named;
	if (f)
		fclose(f);
	for (i = 0; i < n && anon; i++) {
		if (verdicts[i] == CF_PASS)
			snprintf(reasons[i], CF_REASON_LEN,
				 "kmemleak: %d leak(s) whose backtrace names no module", anon);
		verdicts[i] = CF_FAIL;
	}
}

/* ---- output ---- */

static const char *cf_cell(enum cf_verdict v)
{
	return v == CF_PASS ? "pass" : v == CF_FAIL ? "FAIL" : "skip";
}

struct cf_table {
	int ndev;
	unsigned int nrows;
	const struct cf_check **rows;
	enum cf_verdict *v;			/* [row * ndev + dev] */
	char (*reason)[CF_REASON_LEN];		/* the same */
};

static void cf_print_table(const struct cf_table *t, const struct cf_dev *devs)
{
	unsigned int r;
	int i, w;

	printf("# conform table begin\n");
	printf("# %-18s", "check");
	for (i = 0; i < t->ndev; i++) {
		w = strlen(devs[i].label) < 6 ? 6 : strlen(devs[i].label);
		printf("  %-*s", w, devs[i].label);
	}
	printf("\n");
	for (r = 0; r < t->nrows; r++) {
		printf("# %-18s", t->rows[r]->name);
		for (i = 0; i < t->ndev; i++) {
			w = strlen(devs[i].label) < 6 ? 6 : strlen(devs[i].label);
			printf("  %-*s", w, cf_cell(t->v[r * t->ndev + i]));
		}
		printf("\n");
	}
	printf("# conform table end\n");
	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ndev; i++) {
			if (t->v[r * t->ndev + i] != CF_FAIL)
				continue;
			printf("# FAILED %s %s: %s\n", devs[i].label, t->rows[r]->name,
			       t->reason[r * t->ndev + i]);
			printf("#   rule: %s\n", t->rows[r]->rule);
			printf("#   guide: Documentation/conversion-guide.rst, \"%s\"\n",
			       t->rows[r]->guide);
		}
	}
}

static void cf_list(const struct cf_dev *devs, int n)
{
	unsigned int i;
	int d;

	for (d = 0; d < n; d++)
		printf("device %s: %s%s%s\n", devs[d].label,
		       devs[d].is_mdev ? "mdev type of " : devs[d].sysfs,
		       devs[d].is_mdev ? devs[d].parent : "",
		       devs[d].is_mdev ? "" : "");
	for (i = 0; i < cf_nr_checks; i++)
		printf("check %-18s %s\n      guide: \"%s\"\n", cf_checks[i].name,
		       cf_checks[i].rule, cf_checks[i].guide);
	printf("check %-18s %s\n      guide: \"%s\"\n", cf_kmemleak_check.name,
	       cf_kmemleak_check.rule, cf_kmemleak_check.guide);
}

static const char *cf_opt(const char *arg, const char *env)
{
	return arg ? arg : getenv(env);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "types", required_argument, NULL, 't' },
		{ "devices", required_argument, NULL, 'd' },
		{ "modules", required_argument, NULL, 'm' },
		{ "checks", required_argument, NULL, 'c' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *devices = NULL, *modules = NULL, *checks = NULL;
	const struct cf_check *rows[64];
	struct cf_table t = {};
	struct cf_dev *devs;
	enum cf_verdict v;
	unsigned int r, nrows = 0, num = 0, failed = 0, skipped = 0;
	bool list = false;
	int c, i, n, kmsg;
	double t0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt_long(argc, argv, "t:d:m:c:lh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			setenv("VFIO_SUITE_TYPES", optarg, 1);
			break;
		case 'd':
			devices = optarg;
			break;
		case 'm':
			modules = optarg;
			break;
		case 'c':
			checks = optarg;
			break;
		case 'l':
			list = true;
			break;
		default:
			printf("usage: vfio_conform [--types LIST] [--devices LIST]\n"
			       "        [--modules LIST] [--checks LIST] [--list]\n");
			return c == 'h' ? KSFT_PASS : KSFT_FAIL;
		}
	}
	devices = cf_opt(devices, "VFIO_CONFORM_DEVICES");
	modules = cf_opt(modules, "VFIO_CONFORM_MODULES");
	checks = cf_opt(checks, "VFIO_CONFORM_CHECKS");

	devs = calloc(CF_MAX_DEVS, sizeof(*devs));
	cf_res = mmap(NULL, sizeof(*cf_res), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!devs || cf_res == MAP_FAILED)
		return KSFT_FAIL;
	n = cf_discover(devs, CF_MAX_DEVS, devices, modules);
	if (list) {
		cf_list(devs, n);
		return KSFT_PASS;
	}
	for (r = 0; r < cf_nr_checks; r++)
		if (cf_listed(checks, cf_checks[r].name))
			rows[nrows++] = &cf_checks[r];
	if (cf_listed(checks, CF_KMEMLEAK))
		rows[nrows++] = &cf_kmemleak_check;

	printf("TAP version 13\n");
	if (!n) {
		printf("1..0 # SKIP no VFIO device found: no mdev type%s\n",
		       devices || modules ? ", and none of the devices or modules named" : "");
		return KSFT_SKIP;
	}
	printf("1..%u\n", n * nrows);
	t.ndev = n;
	t.nrows = nrows;
	t.rows = rows;
	t.v = calloc(n * nrows, sizeof(*t.v));
	t.reason = calloc(n * nrows, sizeof(*t.reason));
	if (!t.v || !t.reason)
		return KSFT_FAIL;

	kmsg = kreport_open();
	if (cf_kmemleak_available())
		__sysfs_write(KMEMLEAK, "clear");
	for (i = 0; i < n; i++) {
		struct cf_dev *d = &devs[i];

		if (d->is_mdev)
			printf("# device %s: mdev type %s of parent %s\n", d->label,
			       d->type, d->parent);
		else
			printf("# device %s: %s, bound to %s:%s (module %s)\n", d->label,
			       d->sysfs, d->bus, d->driver, d->module[0] ? d->module : "?");
		for (r = 0; r < nrows; r++) {
			if (rows[r] == &cf_kmemleak_check)
				continue;
			printf("# %s.%s: %s\n", d->label, rows[r]->name, rows[r]->rule);
			t0 = cf_now();
			v = cf_run_one(d, rows[r], kmsg);
			t.v[r * n + i] = v;
			snprintf(t.reason[r * n + i], CF_REASON_LEN, "%s", cf_res->reason);
			printf("# %s.%s: %.1f s\n", d->label, rows[r]->name, cf_now() - t0);
			printf("%s %u %s.%s%s%s\n", v == CF_FAIL ? "not ok" : "ok", ++num,
			       d->label, rows[r]->name, v == CF_SKIP ? " # SKIP " : "",
			       v == CF_SKIP ? cf_res->reason : "");
		}
	}
	leftovers_sweep(true);

	for (r = 0; r < nrows; r++) {
		if (rows[r] != &cf_kmemleak_check)
			continue;
		if (cf_kmemleak_available()) {
			enum cf_verdict kv[CF_MAX_DEVS];
			char kr[CF_MAX_DEVS][CF_REASON_LEN];

			cf_kmemleak(devs, n, kv, kr);
			for (i = 0; i < n; i++) {
				t.v[r * n + i] = kv[i];
				snprintf(t.reason[r * n + i], CF_REASON_LEN, "%s",
					 kv[i] == CF_FAIL ? kr[i] : "");
			}
		} else {
			for (i = 0; i < n; i++) {
				t.v[r * n + i] = CF_SKIP;
				snprintf(t.reason[r * n + i], CF_REASON_LEN,
					 "this kernel has no kmemleak: leak_cycles counted slab objects and references instead");
			}
		}
		for (i = 0; i < n; i++) {
			v = t.v[r * n + i];
			/* The reason where the table built from KTAP finds it. */
			if (v == CF_FAIL)
				printf("# FAIL: %s\n", t.reason[r * n + i]);
			printf("%s %u %s.%s%s%s\n", v == CF_FAIL ? "not ok" : "ok", ++num,
			       devs[i].label, CF_KMEMLEAK, v == CF_SKIP ? " # SKIP " : "",
			       v == CF_SKIP ? t.reason[r * n + i] : "");
		}
	}

	for (r = 0; r < n * nrows; r++) {
		failed += t.v[r] == CF_FAIL;
		skipped += t.v[r] == CF_SKIP;
	}
	cf_print_table(&t, devs);
	printf("# conform: %d device(s), %u check(s): %u failed, %u skipped\n", n,
	       nrows, failed, skipped);
	return failed ? KSFT_FAIL : KSFT_PASS;
}
