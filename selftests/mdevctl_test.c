// SPDX-License-Identifier: GPL-2.0
/*
 * mdevctl: drive the distribution's unmodified mdevctl binary against every
 * mdev type the suite's modules register, and check what it says and does
 * against sysfs. This is the admin's view of our parents: if mdevctl can't
 * list, start, stop and persist our devices, neither can libvirt.
 *
 * The types are discovered from /sys/class/mdev_bus/ at run time, so every
 * mdev parent the suite grows is covered without editing this file. The
 * test runs without udev or systemd; mdevctl only needs its scripts.d
 * directories, which the fixture creates when they are missing.
 */
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "mdev_types.h"
#include "vfio_lib.h"

#define MDEVCTL_OUT_LEN		65536
#define MDEVCTL_CONF_DIR	"/etc/mdevctl.d"
/* "UUID PARENT TYPE manual", as list prints it */
#define MDEVCTL_LINE_LEN	(UUID_STR_LEN + 2 * (NAME_MAX + 1) + 16)

/* Devices a test started or defined; the teardown undoes them. */
struct mdevctl_created {
	char uuid[MDEV_TYPES_MAX * 3][UUID_STR_LEN];
	unsigned int nr;
};

static void track(struct mdevctl_created *c, const char *uuid)
{
	if (c->nr < ARRAY_SIZE(c->uuid)) {
		memcpy(c->uuid[c->nr], uuid, UUID_STR_LEN - 1);
		c->uuid[c->nr++][UUID_STR_LEN - 1] = '\0';
	}
}

/* Where mdevctl is installed, or NULL. */
static const char *mdevctl_path(void)
{
	static const char * const paths[] = {
		"/usr/bin/mdevctl", "/usr/sbin/mdevctl", "/bin/mdevctl",
		"/sbin/mdevctl",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(paths); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

/*
 * Run mdevctl with the NULL-terminated @argv (without argv[0]) and collect
 * its standard output, NUL-terminated, in @out. Its standard error goes to
 * ours, so that its messages land in the test log. Returns its exit status,
 * or -1 if it did not exit normally.
 */
static int mdevctl_run(char *out, size_t len, const char *const *argv)
{
	const char *args[16] = { mdevctl_path() };
	size_t n = 0, i;
	int pipefd[2], status;
	ssize_t r;
	pid_t pid;

	for (i = 0; argv[i] && i + 2 < ARRAY_SIZE(args); i++)
		args[i + 1] = argv[i];
	if (pipe(pipefd))
		vfio_lib_fail("pipe: %s", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		vfio_lib_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		execv(args[0], (char *const *)args);
		_exit(127);
	}
	close(pipefd[1]);
	while (n + 1 < len && (r = read(pipefd[0], out + n, len - n - 1)) > 0)
		n += r;
	out[n] = '\0';
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) != pid)
		vfio_lib_fail("waitpid: %s", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#define MDEVCTL(out, ...)						\
	mdevctl_run(out, MDEVCTL_OUT_LEN, (const char *const []){ __VA_ARGS__, NULL })

/* Read a sysfs attribute of a type, without its trailing newline. */
static int type_attr(const struct mdev_type_id *t, const char *attr,
		     char *buf, size_t len)
{
	char path[PATH_MAX];
	int ret;

	snprintf(path, sizeof(path),
		 "/sys/class/mdev_bus/%s/mdev_supported_types/%s/%s",
		 t->parent, t->type, attr);
	ret = __sysfs_read(path, buf, len);
	if (ret < 0)
		return ret;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static long type_available(const struct mdev_type_id *t)
{
	char buf[32];

	if (type_attr(t, "available_instances", buf, sizeof(buf)))
		vfio_lib_fail("%s/%s: no available_instances", t->parent, t->type);
	return strtol(buf, NULL, 10);
}

/*
 * Find "Key: value" for @t in the output of "mdevctl types": the parent at
 * column 0, its types indented by 2, their fields by 4. Copies the value to
 * @val and returns 0, or -ENOENT.
 */
static int types_field(const char *out, const struct mdev_type_id *t,
		       const char *key, char *val, size_t len)
{
	int in_parent = 0, in_type = 0;
	const char *line, *end;
	size_t klen = strlen(key);

	for (line = out; *line; line = *end ? end + 1 : end) {
		size_t n;

		end = strchrnul(line, '\n');
		n = end - line;
		if (n && line[0] != ' ') {
			in_parent = n == strlen(t->parent) &&
				    !strncmp(line, t->parent, n);
			in_type = 0;
		} else if (n > 2 && !strncmp(line, "  ", 2) && line[2] != ' ') {
			in_type = in_parent && n - 2 == strlen(t->type) &&
				  !strncmp(line + 2, t->type, n - 2);
		} else if (in_type && n > 4 + klen + 2 &&
			   !strncmp(line + 4, key, klen) &&
			   !strncmp(line + 4 + klen, ": ", 2)) {
			n -= 4 + klen + 2;
			if (n >= len)
				n = len - 1;
			memcpy(val, line + 4 + klen + 2, n);
			val[n] = '\0';
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * Whether @out has the line @want, alone or followed by a state in
 * parentheses, as "list" marks a device that is both active and defined.
 */
static int has_line(const char *out, const char *want)
{
	size_t n = strlen(want);
	const char *p;

	for (p = out; (p = strstr(p, want)); p += n)
		if ((p == out || p[-1] == '\n') &&
		    (p[n] == '\n' || !p[n] || !strncmp(p + n, " (", 2)))
			return 1;
	return 0;
}

/* The line "list" and "list -d" print for a manually started device. */
static void list_line(char *line, size_t len, const char *uuid,
		      const struct mdev_type_id *t)
{
	snprintf(line, len, "%s %s %s manual", uuid, t->parent, t->type);
}

static int mdev_exists(const char *uuid)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s", uuid);
	return path_exists(path);
}

/* The parent and type of an existing mdev, from its mdev_type link. */
static void mdev_identity(const char *uuid, char *parent, char *type)
{
	char path[PATH_MAX], real[PATH_MAX];
	char *slash;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/mdev_type", uuid);
	if (!realpath(path, real))
		vfio_lib_fail("realpath %s: %s", path, strerror(errno));
	/* <parent device>/mdev_supported_types/<type> */
	slash = strrchr(real, '/');
	snprintf(type, NAME_MAX + 1, "%s", slash + 1);
	*slash = '\0';
	*strrchr(real, '/') = '\0';
	snprintf(parent, NAME_MAX + 1, "%s", strrchr(real, '/') + 1);
}

FIXTURE(mdevctl) {
	struct mdev_type_id types[MDEV_TYPES_MAX];
	unsigned int nr_types;
	/* The types the tests start devices of: mdev_list_types_to_start(). */
	struct mdev_type_id start[MDEV_TYPES_MAX];
	unsigned int nr_start;
	char out[MDEVCTL_OUT_LEN];
	struct mdevctl_created created;
};

static void mkdir_p(const char *path)
{
	if (mkdir(path, 0755) && errno != EEXIST)
		vfio_lib_fail("mkdir %s: %s", path, strerror(errno));
}

FIXTURE_SETUP(mdevctl)
{
	if (!mdevctl_path())
		SKIP(return, "mdevctl is not installed");

	self->nr_types = mdev_list_types(self->types, MDEV_TYPES_MAX);
	if (!self->nr_types)
		SKIP(return, "no mdev parent is registered");
	self->nr_start = mdev_list_types_to_start(self->start, MDEV_TYPES_MAX);

	/* What the Debian package ships and mdevctl refuses to run without. */
	mkdir_p(MDEVCTL_CONF_DIR);
	mkdir_p(MDEVCTL_CONF_DIR "/scripts.d");
	mkdir_p(MDEVCTL_CONF_DIR "/scripts.d/callouts");
	mkdir_p(MDEVCTL_CONF_DIR "/scripts.d/notifiers");
}

FIXTURE_TEARDOWN(mdevctl)
{
	unsigned int i;

	for (i = 0; i < self->created.nr; i++) {
		const char *uuid = self->created.uuid[i];

		char pattern[PATH_MAX];
		glob_t g;

		if (mdev_exists(uuid))
			__mdev_remove(uuid);
		snprintf(pattern, sizeof(pattern), MDEVCTL_CONF_DIR "/*/%s", uuid);
		if (!glob(pattern, 0, NULL, &g))
			MDEVCTL(self->out, "undefine", "-u", uuid);
		globfree(&g);
	}
}

/* Every type, under its parent, with sysfs's description and count. */
TEST_F(mdevctl, types)
{
	char want[256], got[256];
	unsigned int i;

	ASSERT_EQ(0, MDEVCTL(self->out, "types"));
	for (i = 0; i < self->nr_types; i++) {
		const struct mdev_type_id *t = &self->types[i];

		TH_LOG("%s/%s", t->parent, t->type);
		ASSERT_EQ(0, types_field(self->out, t, "Available instances",
					 got, sizeof(got)));
		EXPECT_EQ(type_available(t), strtol(got, NULL, 10));

		ASSERT_EQ(0, type_attr(t, "device_api", want, sizeof(want)));
		ASSERT_EQ(0, types_field(self->out, t, "Device API", got, sizeof(got)));
		EXPECT_STREQ(want, got);

		/* Both are optional in sysfs, and mdevctl omits what is absent. */
		if (!type_attr(t, "name", want, sizeof(want))) {
			ASSERT_EQ(0, types_field(self->out, t, "Name", got, sizeof(got)));
			EXPECT_STREQ(want, got);
		}
		if (!type_attr(t, "description", want, sizeof(want))) {
			ASSERT_EQ(0, types_field(self->out, t, "Description",
						 got, sizeof(got)));
			EXPECT_STREQ(want, got);
		}
	}
}

/* Start a device as mdevctl was told to and check it in sysfs. */
static void start_checked(struct __test_metadata *_metadata,
			  FIXTURE_DATA(mdevctl) * self,
			  const struct mdev_type_id *t, int with_uuid,
			  char uuid[UUID_STR_LEN])
{
	char parent[NAME_MAX + 1], type[NAME_MAX + 1];

	if (with_uuid) {
		uuid_generate_random_str(uuid);
		track(&self->created, uuid);
		ASSERT_EQ(0, MDEVCTL(self->out, "start", "-p", t->parent,
				     "-t", t->type, "-u", uuid));
	} else {
		ASSERT_EQ(0, MDEVCTL(self->out, "start", "-p", t->parent,
				     "-t", t->type));
		/* mdevctl prints the UUID it generated. */
		ASSERT_EQ(UUID_STR_LEN, strlen(self->out));
		memcpy(uuid, self->out, UUID_STR_LEN - 1);
		uuid[UUID_STR_LEN - 1] = '\0';
		track(&self->created, uuid);
	}
	ASSERT_TRUE(mdev_exists(uuid));
	mdev_identity(uuid, parent, type);
	EXPECT_STREQ(t->parent, parent);
	EXPECT_STREQ(t->type, type);
}

/* "mdevctl list" shows each of @n devices of type @t. */
static void list_checked(struct __test_metadata *_metadata,
			 FIXTURE_DATA(mdevctl) * self,
			 const struct mdev_type_id *t,
			 char uuid[][UUID_STR_LEN], unsigned int n)
{
	char line[MDEVCTL_LINE_LEN];
	unsigned int u;

	ASSERT_EQ(0, MDEVCTL(self->out, "list"));
	for (u = 0; u < n; u++) {
		list_line(line, sizeof(line), uuid[u], t);
		EXPECT_TRUE(has_line(self->out, line)) {
			TH_LOG("no \"%s\" in:\n%s", line, self->out);
		}
	}
}

static void stop_checked(struct __test_metadata *_metadata,
			 FIXTURE_DATA(mdevctl) * self, const char *uuid)
{
	ASSERT_EQ(0, MDEVCTL(self->out, "stop", "-u", uuid));
	EXPECT_FALSE(mdev_exists(uuid));
}

/*
 * Start a device of every type (one per parent on the sanitizer kernel:
 * mdev_list_types_to_start()) without and with a UUID: sysfs has each
 * with the right parent and type, and each used one instance; list shows
 * them; stop removes them and gives the instances back. Each mdevctl run
 * costs most of a second under TCG (several on the sanitizer kernel), so
 * the two devices share one list when the type has room for both; types
 * are done one at a time because a parent's types may share its
 * instances. About 40 runs: the harness's default 30 s is too short.
 */
TEST_F_TIMEOUT(mdevctl, start_list_stop, 300)
{
	char uuid[2][UUID_STR_LEN];
	unsigned int i;

	for (i = 0; i < self->nr_start; i++) {
		const struct mdev_type_id *t = &self->start[i];
		long avail = type_available(t);

		TH_LOG("%s/%s: %ld available", t->parent, t->type, avail);
		ASSERT_LT(0, avail);
		start_checked(_metadata, self, t, 0, uuid[0]);
		EXPECT_EQ(avail - 1, type_available(t));
		if (avail >= 2) {
			start_checked(_metadata, self, t, 1, uuid[1]);
			EXPECT_EQ(avail - 2, type_available(t));
			list_checked(_metadata, self, t, uuid, 2);
			stop_checked(_metadata, self, uuid[0]);
			stop_checked(_metadata, self, uuid[1]);
		} else {
			list_checked(_metadata, self, t, uuid, 1);
			stop_checked(_metadata, self, uuid[0]);
			start_checked(_metadata, self, t, 1, uuid[1]);
			list_checked(_metadata, self, t, uuid + 1, 1);
			stop_checked(_metadata, self, uuid[1]);
		}
		EXPECT_EQ(avail, type_available(t));
	}
}

/*
 * define writes a persistent config and creates nothing; start -u creates
 * the device from it; stop removes the device but keeps the config;
 * undefine removes the config. Five mdevctl runs per type.
 */
TEST_F_TIMEOUT(mdevctl, define_start_undefine, 300)
{
	char uuid[MDEV_TYPES_MAX][UUID_STR_LEN];
	char conf[PATH_MAX], line[MDEVCTL_LINE_LEN], parent[NAME_MAX + 1];
	char type[NAME_MAX + 1];
	unsigned int i;

	for (i = 0; i < self->nr_start; i++) {
		const struct mdev_type_id *t = &self->start[i];

		TH_LOG("define %s/%s", t->parent, t->type);
		uuid_generate_random_str(uuid[i]);
		track(&self->created, uuid[i]);
		ASSERT_EQ(0, MDEVCTL(self->out, "define", "-p", t->parent,
				     "-t", t->type, "-u", uuid[i]));
		snprintf(conf, sizeof(conf), MDEVCTL_CONF_DIR "/%s/%s",
			 t->parent, uuid[i]);
		EXPECT_TRUE(path_exists(conf));
		EXPECT_FALSE(mdev_exists(uuid[i]));
	}

	ASSERT_EQ(0, MDEVCTL(self->out, "list", "-d"));
	for (i = 0; i < self->nr_start; i++) {
		list_line(line, sizeof(line), uuid[i], &self->start[i]);
		EXPECT_TRUE(has_line(self->out, line)) {
			TH_LOG("no \"%s\" in:\n%s", line, self->out);
		}
	}

	/*
	 * Only the UUID: parent and type come from the definition. One type
	 * at a time, as a parent's types may share its instances.
	 */
	for (i = 0; i < self->nr_start; i++) {
		const struct mdev_type_id *t = &self->start[i];

		snprintf(conf, sizeof(conf), MDEVCTL_CONF_DIR "/%s/%s",
			 t->parent, uuid[i]);
		ASSERT_EQ(0, MDEVCTL(self->out, "start", "-u", uuid[i]));
		ASSERT_TRUE(mdev_exists(uuid[i]));
		mdev_identity(uuid[i], parent, type);
		EXPECT_STREQ(t->parent, parent);
		EXPECT_STREQ(t->type, type);
		ASSERT_EQ(0, MDEVCTL(self->out, "stop", "-u", uuid[i]));
		EXPECT_FALSE(mdev_exists(uuid[i]));
		EXPECT_TRUE(path_exists(conf));
		ASSERT_EQ(0, MDEVCTL(self->out, "undefine", "-u", uuid[i]));
		EXPECT_FALSE(path_exists(conf));
	}

	ASSERT_EQ(0, MDEVCTL(self->out, "list", "-d"));
	for (i = 0; i < self->nr_start; i++)
		EXPECT_EQ(NULL, strstr(self->out, uuid[i]));
}

/* What the kernel refuses, mdevctl reports as a failure. */
TEST_F(mdevctl, errors)
{
	const struct mdev_type_id *t = &self->types[0];
	char uuid[UUID_STR_LEN];

	uuid_generate_random_str(uuid);
	track(&self->created, uuid);
	EXPECT_NE(0, MDEVCTL(self->out, "start", "-p", "vfio-suite-no-such-parent",
			     "-t", t->type, "-u", uuid));
	EXPECT_NE(0, MDEVCTL(self->out, "start", "-p", t->parent,
			     "-t", "vfio-suite-no-such-type", "-u", uuid));
	EXPECT_FALSE(mdev_exists(uuid));
	EXPECT_NE(0, MDEVCTL(self->out, "stop", "-u", uuid));

	/* The same UUID twice: the parent's create fails with EEXIST. */
	ASSERT_EQ(0, MDEVCTL(self->out, "start", "-p", t->parent, "-t", t->type,
			     "-u", uuid));
	EXPECT_NE(0, MDEVCTL(self->out, "start", "-p", t->parent, "-t", t->type,
			     "-u", uuid));
	ASSERT_EQ(0, MDEVCTL(self->out, "stop", "-u", uuid));
	EXPECT_FALSE(mdev_exists(uuid));
}

TEST_HARNESS_MAIN
