// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel reports from /dev/kmsg. See kreport.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "vfio_lib.h"
#include "kreport.h"

static const char *const kreport_patterns[] = {
	"WARNING:", "BUG:", "kernel BUG at", "Oops", "general protection fault",
	"KASAN:", "UBSAN:", "possible circular locking", "possible recursive locking",
	"inconsistent lock state", "suspicious RCU usage", "DEBUG_LOCKS_WARN_ON",
	"unreferenced object", "refcount_t:", "blocked for more than",
	"list_add corruption", "list_del corruption", "ODEBUG:", "cut here",
	"sleeping function called from invalid context",
	"freeing invalid memtype",	/* x86 PAT lost track of a mapping */
};

bool kreport_match(const char *msg)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kreport_patterns); i++)
		if (strstr(msg, kreport_patterns[i]))
			return true;
	return false;
}

int kreport_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	lseek(fd, 0, SEEK_END);
	return fd;
}

int kreport_scan(int fd, void (*each)(const char *msg, void *arg), void *arg)
{
	char rec[2048], *msg;
	int found = 0;
	ssize_t n;

	while (fd >= 0) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* records were overwritten: go on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		msg[strcspn(msg, "\n")] = '\0';
		if (!kreport_match(msg))
			continue;
		found++;
		if (each)
			each(msg, arg);
	}
	return found;
}
