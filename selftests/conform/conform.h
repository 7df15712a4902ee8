/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio_conform: the contract every VFIO device driver that uses
 * open_device/close_device and device sets should meet, checked black box
 * through the uAPI alone, on any driver: no debugfs, no module parameter,
 * no knowledge of a device model.
 *
 * A run finds the devices under test (conform_main.c), then runs every
 * check of cf_checks[] (conform_rules.c: what each checks, and where the
 * conversion guide explains it) on each device, each check in a child
 * process of its own with a time limit, and prints KTAP and a table.
 */
#ifndef CONFORM_H
#define CONFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <linux/vfio.h>

#include "vfio_lib.h"

/**
 * struct cf_dev - a device under test
 * @label: its name in the log and the table (mdev type, or device name)
 * @is_mdev: an mdev type: each check gets a new instance of it
 * @parent: mdev parent device name
 * @type: mdev type name
 * @uuid: the current instance, "" when there is none
 * @sysfs: the device's sysfs directory (an mdev's once created)
 * @bus: a bound device's bus (for unbind and bind)
 * @driver: a bound device's driver
 * @module: the module of its driver, "" when unknown
 */
struct cf_dev {
	char label[64];
	bool is_mdev;
	char parent[64];
	char type[64];
	char uuid[UUID_STR_LEN];
	char sysfs[256];
	char bus[32];
	char driver[64];
	char module[64];
};

/* A check's verdict, as it goes into KTAP and the table. */
enum cf_verdict { CF_PASS, CF_FAIL, CF_SKIP };

/**
 * struct cf_check - one contract check
 * @name: short name, the table's row
 * @fn: runs it on @dev (instance created); says its verdict through cf_fail()
 *	and cf_skip(), and passes when it returns without either
 * @rule: the rule it checks, one sentence
 * @guide: the section of Documentation/conversion-guide.rst that explains it
 * @timeout: seconds it may take on a fast kernel (three times that on a
 *	     slow one); 0: the default
 * @own_instance: an mdev check that creates and removes its instances itself
 */
struct cf_check {
	const char *name;
	void (*fn)(struct cf_dev *dev);
	const char *rule;
	const char *guide;
	unsigned int timeout;
	bool own_instance;
};

extern const struct cf_check cf_checks[];
extern const unsigned int cf_nr_checks;
/* The kmemleak row: run once, after every device (conform_main.c). */
extern const struct cf_check cf_kmemleak_check;

/*
 * Verdicts, from inside a check: the first cf_fail() or cf_skip() sets the
 * verdict and its reason (the table shows the reason); every call prints
 * its message as a KTAP diagnostic. cf_fail() carries on, so that one run
 * reports every broken case; cf_skip() is for when the check cannot apply.
 */
__printf(1, 2) void cf_fail(const char *fmt, ...);
__printf(1, 2) void cf_skip(const char *fmt, ...);
__printf(1, 2) void cf_note(const char *fmt, ...);
/* Whether the check has failed so far. */
bool cf_failed(void);

/* Fail unless @expr (an int syscall result) is -1 with errno @err. */
#define CF_EXPECT_ERRNO(err, expr, what)				\
	CF_EXPECT_ERRNO2(err, 0, expr, what)
/* The same, with a second errno also allowed. */
#define CF_EXPECT_ERRNO2(err, err2, expr, what)			\
	({								\
		long __ret = (expr);					\
		cf_expect_errno(err, err2, __ret, errno, what);		\
	})
bool cf_expect_errno(int want, int want2, long ret, int err, const char *what);

/* ---- the device ---- */

/* Whether the kernel is slow (the sanitizer kernel): fewer rounds. */
bool cf_slow(void);
/* @fast rounds on a fast kernel, @slow on a slow one. */
unsigned int cf_rounds(unsigned int fast, unsigned int slow);

/* Open the device through its group: 0 or -errno. */
int cf_open(struct cf_dev *dev, struct vfio_dev *vd);
/*
 * What a VMM asks of a device fd it just got: GET_INFO, every region's and
 * interrupt's info, the display probes. A second fd in a check does this
 * first, as a second user would.
 */
void cf_user_setup(int fd);
/* Make a new instance of an mdev type (@dev->uuid, @dev->sysfs): 0 or -errno. */
int cf_create(struct cf_dev *dev);
/*
 * Take the device away, waiting at most @ms: an mdev is removed (0 or
 * -errno, -ETIMEDOUT if it is still waiting for its users); a bound device
 * is unbound from its driver.
 */
int cf_take_away(struct cf_dev *dev, int ms);
/* Bring a bound device back to its driver after cf_take_away(). */
int cf_bring_back(struct cf_dev *dev);
/* Whether the device is there (and bound, for a bound device). */
bool cf_present(const struct cf_dev *dev);
/*
 * Start cf_take_away() in a child process that holds no fd: returns its
 * pid; cf_take_away_wait() then waits at most @ms for it and returns
 * its result, or -ETIMEDOUT (the child is then left to finish).
 */
pid_t cf_take_away_start(struct cf_dev *dev);
int cf_take_away_wait(pid_t pid, int ms);

/* The driver's debugfs counter @name, or -1 (our drivers' test hooks only). */
long cf_counter(const struct cf_dev *dev, const char *name);

/* ---- PCI config space, for devices with VFIO_DEVICE_FLAGS_PCI ---- */

#define CF_NR_BARS	6

/**
 * struct cf_cfg_state - what a check observes of a device's state
 * @cmd: the command register
 * @bar: the six BAR registers
 */
struct cf_cfg_state {
	__u16 cmd;
	__u32 bar[CF_NR_BARS];
};

bool cf_is_pci(int fd);
int cf_cfg_read(int fd, unsigned int off, void *val, size_t len);
int cf_cfg_write(int fd, unsigned int off, const void *val, size_t len);
int cf_cfg_state(int fd, struct cf_cfg_state *s);

/*
 * Change state a user can see, through @fd: bits of the command register
 * that keep what is written, and one BAR put into sizing (all ones
 * written). Fills @changed with what the device now shows. Returns false
 * when nothing kept what was written (no state to observe).
 */
bool cf_cfg_change(int fd, const struct cf_cfg_state *before,
		   struct cf_cfg_state *changed);
/*
 * Whether @now equals @want in what a reset restores: the command
 * register's I/O, memory, bus master and INTx disable bits, and the BARs.
 */
bool cf_cfg_same(const struct cf_cfg_state *now, const struct cf_cfg_state *want,
		 bool bars, char *why, size_t len);

/* Turn on I/O and memory decoding, as a VMM does before it uses BARs. */
void cf_cfg_enable(int fd);

/* ---- interrupts ---- */

/* SET_IRQS with DATA_EVENTFD | ACTION_TRIGGER of one vector: 0 or -errno. */
int cf_irq_eventfd(int fd, unsigned int index, unsigned int start, int efd);
/* SET_IRQS with @flags and no data (DATA_NONE): 0 or -errno. */
int cf_irq_none(int fd, unsigned int index, unsigned int start,
		unsigned int count, __u32 flags);

/* ---- running other programs of the suite ---- */

/*
 * Run the suite program @prog (next to vfio_conform) with @argv (NULL
 * terminated, without argv[0]) and the extra environment @env ("NAME=VALUE"
 * strings, NULL terminated), its output indented into ours. Returns its
 * exit status (KSFT_PASS, KSFT_SKIP, ...), or -errno. A kselftest that
 * passed only by skipping every test returns KSFT_SKIP, with the first
 * skip's reason in @why (@len bytes).
 */
int cf_run_program(const char *prog, const char *const *argv,
		   const char *const *env, char *why, size_t len);

/* The checks, one file per group. */
void cf_check_shared_state(struct cf_dev *dev);
void cf_check_close_one(struct cf_dev *dev);
void cf_check_last_close_resets(struct cf_dev *dev);
void cf_check_reset_ioctl(struct cf_dev *dev);

void cf_check_info(struct cf_dev *dev);
void cf_check_argsz(struct cf_dev *dev);
void cf_check_index_range(struct cf_dev *dev);
void cf_check_unknown_ioctl(struct cf_dev *dev);
void cf_check_config_size(struct cf_dev *dev);
void cf_check_region_bounds(struct cf_dev *dev);
void cf_check_bar_mmap(struct cf_dev *dev);

void cf_check_set_irqs(struct cf_dev *dev);
void cf_check_eventfd_release(struct cf_dev *dev);

void cf_check_gfx_probe(struct cf_dev *dev);
void cf_check_gfx_query(struct cf_dev *dev);
void cf_check_dmabuf_export(struct cf_dev *dev);
void cf_check_dmabuf_shared(struct cf_dev *dev);
void cf_check_dmabuf_outlives(struct cf_dev *dev);

void cf_check_remove_while_open(struct cf_dev *dev);
void cf_check_open_vs_remove(struct cf_dev *dev);
void cf_check_close_vs_open(struct cf_dev *dev);

void cf_check_leak_cycles(struct cf_dev *dev);

void cf_check_fuzz(struct cf_dev *dev);
void cf_check_stress(struct cf_dev *dev);
void cf_check_fail_nth(struct cf_dev *dev);
void cf_check_cdev(struct cf_dev *dev);

#define CF_KMEMLEAK	"kmemleak"

#endif /* CONFORM_H */
