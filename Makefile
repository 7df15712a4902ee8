# SPDX-License-Identifier: GPL-2.0
#
# The VFIO open_device/close_device reference suite.
#
#   make                    build every module for every kernel in kernels.conf
#   make KDIR=<tree>        build for one kernel tree
#   make KDIR=<tree> modules_install
#   make check              lint, build and run the suite in a VM on every kernel
#   make check-copies       build each driver directory copied alone (a step of check)
#   make check-doc-code     compile the conversion guide's code (a step of check)
#   make check-e2e          a Linux guest (L2) drives the devices through a
#                           nested QEMU in the test VM (not part of check)
#   make demo               boot a VM and use one device of every type
#   make shell              boot a VM with everything loaded, interactively
#   make fuzz               a long fuzz + stress run before a release
#   make seeded-bug         show the bounded fuzz run failing on a seeded bug
#   make bench [BASELINE=upstream]   measure every driver in a VM
#   make conform MODULES="path/foo.ko ..."   the conformance kit on a driver
#                           of your own, in the test VM (Documentation/conformance.rst)
#   make htmldocs           build Documentation/ into OUT/htmldocs (-W)
#   make dkms-check         as root: dkms add/build/install/remove on every kernel
#   make clean
#
# KERNELS="6.12" narrows the kernels, TESTS="mtty_test" the test programs,
# and OUT=<dir> moves every output (default: ./out). The check VMs run
# VM_JOBS (default 2) at a time (scripts/vm-all.sh); VM_JOBS=1 streams one.
# The sanitizer kernel's programs are split over VM_SPLIT (default VM_JOBS)
# VMs of their own.

OUT ?= $(CURDIR)/out
TOP := $(CURDIR)
SHELL := /bin/bash

# The module directories: every top-level directory with a Kbuild file.
MODDIRS := $(patsubst %/Kbuild,%,$(wildcard */Kbuild))

ifneq ($(KDIR),)
# One tree given on the command line: name its build after its release.
KNAMES := kdir
kdir_of = $(KDIR)
else
KERNELS ?= $(shell $(TOP)/scripts/kernel.sh list 2>/dev/null)
KNAMES := $(KERNELS)
kdir_of = $(shell $(TOP)/scripts/kernel.sh $(1) kdir)
endif

# The one kernel that shell, demo, fuzz and check-runner boot, and the only
# one they build for: the last of KERNELS when it is given, else the last
# Debian kernel (the sanitizer kernel boots and runs many times slower, and
# a fresh machine would have to build it first).
ifeq ($(origin KERNELS),command line)
VM_KERNEL ?= $(lastword $(KNAMES))
else
VM_KERNEL ?= $(lastword $(shell $(TOP)/scripts/kernel.sh list debian 2>/dev/null))
endif

.PHONY: all modules modules_install clean setup kernels selftests lint check \
	vm-check check-e2e check-runner seeded-bug shell demo bench htmldocs dkms-check dkms-add fuzz \
	conform check-copies check-doc-code

all: modules

setup:
	@$(TOP)/scripts/setup.sh

# Kernels that are built rather than installed (the sanitizer kernel) are
# built here, once per machine; later runs hit the cache.
kernels: setup
	@$(if $(KDIR),true,set -e; for k in $(KNAMES); do \
		$(TOP)/scripts/kernel.sh $$k prepare; done)

# Kbuild writes its objects next to the sources, so each kernel builds in a
# tree of symlinks to the sources under $(OUT)/build/<kernel>. Kbuild runs
# on every core (JOBS, default nproc) unless make -j already shares them.
JOBS ?= $(shell nproc)

# The suite's own build turns on each driver's test hooks (debugfs
# counters and failure knobs, compiled out of a plain copy of a directory).
TEST_HOOKS := VFIO_SUITE_TEST_HOOKS=y

# A tree named by KDIR needs nothing installed; the lab's kernels do.
ifeq ($(KDIR),)
modules: kernels
endif
modules:
	@set -e; case "$(MAKEFLAGS)" in *jobserver*) j= ;; *) j=-j$(JOBS) ;; esac; \
	for k in $(KNAMES); do \
		b=$(OUT)/build/$$k; \
		mkdir -p $$b; \
		find $$b -type l -delete; \
		cp -rs $(TOP)/Kbuild $(addprefix $(TOP)/,$(MODDIRS)) $$b/; \
		echo "  BUILD   $$k"; \
		kdir=$$( [ -n "$(KDIR)" ] && echo "$(KDIR)" || $(TOP)/scripts/kernel.sh $$k kdir ); \
		$(MAKE) $$j -C $$kdir M=$$b $(TEST_HOOKS) modules 2>&1 | tee $$b/build.log; \
		test $${PIPESTATUS[0]} -eq 0; \
	done

modules_install:
	@test -n "$(KDIR)" || { echo "modules_install needs KDIR=<tree>"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(OUT)/build/kdir modules_install

# No setup: building the tests for your own kernel installs nothing. Every
# lab target that runs them has run setup first.
selftests:
	@$(MAKE) -C $(TOP)/selftests OUTDIR=$(OUT)/selftests

lint: setup
	@$(TOP)/scripts/lint.sh

# The suite's build must be warning-free at W=1 with sparse.
build-strict: setup
	@mkdir -p $(OUT)
	@$(MAKE) --no-print-directory modules W=1 C=1 >$(OUT)/build-strict.log 2>&1 || \
		{ cat $(OUT)/build-strict.log; exit 1; }
	@if grep -E '(warning|error):' $(OUT)/build-strict.log; then \
		echo "build: warnings at W=1 C=1 (see $(OUT)/build-strict.log)"; exit 1; fi
	@echo "  BUILD   $(KNAMES): clean at W=1 C=1"

# Each driver directory, copied alone into a directory of its own, builds
# with the plain "make -C <KDIR> M=<copy>" and no test hooks, on every
# kernel (scripts/copy-check.sh; copies and logs in OUT/copies).
check-copies: $(if $(KDIR),,kernels)
	@test -n "$(KNAMES)" || { echo "  FAIL    check-copies: no kernel to build for"; exit 1; }
	@$(TOP)/scripts/copy-check.sh --out $(OUT) $(if $(KDIR),--kdir $(KDIR),$(KNAMES))

# The code of these pages compiles as a reader would copy it, on every
# kernel, without a warning at W=1 C=1, and passes checkpatch --strict
# (scripts/doc-code.py says how a block is marked; output in OUT/doc-code).
DOC_CODE_PAGES := Documentation/conversion-guide.rst Documentation/templates.rst

check-doc-code: $(if $(KDIR),,kernels)
	@cd $(TOP) && scripts/doc-code.py --out $(OUT) \
		--checkpatch "$$(scripts/ksource.sh)/scripts/checkpatch.pl" \
		$(foreach k,$(KNAMES),--kdir $(k)=$(call kdir_of,$(k))) \
		$(wildcard $(DOC_CODE_PAGES))

# The documentation, warnings as errors. -E: kernel-doc output depends on
# which driver directories exist, so every build starts from scratch.
htmldocs: setup
	@echo "  DOCS    $(OUT)/htmldocs"
	@mkdir -p $(OUT)
	@KSRC=$$($(TOP)/scripts/ksource.sh) PYTHONDONTWRITEBYTECODE=1 \
		sphinx-build -W --keep-going -E -q \
		-b html -d $(OUT)/htmldocs.doctrees $(TOP)/Documentation $(OUT)/htmldocs

# DKMS on every kernel, as root; see scripts/dkms-check.sh. DKMS_DEPMOD=1
# lets dkms run depmod too, which is slow on 6.12's compressed modules.
# It builds the whole suite twice more (1 to 2.5 min on 2 loaded cores), so
# make check runs it, as one counted step, only with WITH_DKMS=1.
dkms-check: setup
	@$(TOP)/scripts/dkms-check.sh --out $(OUT) $(if $(DKMS_DEPMOD),--depmod) $(KERNELS)

# Register the sources with DKMS, as root, for "dkms install": a copy of
# what the build needs in /usr/src/vfio-suite-VERSION (dkms add . would
# copy out/ too).
dkms-add:
	@v=$$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' $(TOP)/dkms.conf); \
		rm -rf /usr/src/vfio-suite-$$v && \
		$(TOP)/scripts/dkms-tree.sh /usr/src/vfio-suite-$$v && \
		dkms add -m vfio-suite -v $$v

vm-check: modules selftests
	@rm -f $(OUT)/vm/*/result
	@$(TOP)/scripts/vm-all.sh --out $(OUT) $(if $(TESTS),--tests "$(TESTS)") $(KNAMES); \
	$(TOP)/scripts/summary.sh $(OUT) $(KNAMES)

# Every step runs even when an earlier one fails, so that one run reports
# everything; the summary's last line is "N passed, N failed". WITH_DKMS=1
# adds dkms-check as a step. The conformance step (scripts/conform-check.sh:
# make conform on the suite's drivers built without their test hooks, and
# the kernel's own samples' table) runs unless TESTS narrows the run, or
# when CONFORM=1 asks for it anyway. A kernel that cannot be had (the sanitizer
# kernel's build failed) is left out of every step and counts as a failure;
# the others still run. OUT/kernels.ready lists the kernels that are.
RUN_CONFORM = $(if $(TESTS),$(CONFORM),1)

check: setup
	@mkdir -p $(OUT); rm -f $(OUT)/vm/*/result $(OUT)/lint.result $(OUT)/build.result \
		$(OUT)/docs.result $(OUT)/dkms.result $(OUT)/kernels.failed \
		$(OUT)/copies.result $(OUT)/doc-code.result $(OUT)/conform.result
	@for k in $(KNAMES); do \
		if $(TOP)/scripts/kernel.sh $$k prepare >&2; then echo $$k; \
		else echo "  FAIL    kernel $$k is not available" >&2; \
			echo $$k >>$(OUT)/kernels.failed; fi; \
	done >$(OUT)/kernels.ready
	@if $(MAKE) --no-print-directory lint; then echo pass >$(OUT)/lint.result; \
		else echo fail >$(OUT)/lint.result; fi
	@if $(MAKE) --no-print-directory build-strict KERNELS="$$(echo $$(cat $(OUT)/kernels.ready))"; \
		then echo pass >$(OUT)/build.result; \
		else echo fail >$(OUT)/build.result; fi
	@if $(MAKE) --no-print-directory check-copies KERNELS="$$(echo $$(cat $(OUT)/kernels.ready))"; \
		then echo pass >$(OUT)/copies.result; \
		else echo fail >$(OUT)/copies.result; fi
	@if $(MAKE) --no-print-directory check-doc-code KERNELS="$$(echo $$(cat $(OUT)/kernels.ready))"; \
		then echo pass >$(OUT)/doc-code.result; \
		else echo fail >$(OUT)/doc-code.result; fi
	@if $(MAKE) --no-print-directory htmldocs; then echo pass >$(OUT)/docs.result; \
		else echo fail >$(OUT)/docs.result; fi
	@if [ -n "$(WITH_DKMS)" ]; then \
		if $(MAKE) --no-print-directory dkms-check; then echo pass >$(OUT)/dkms.result; \
		else echo fail >$(OUT)/dkms.result; fi; fi
	@if [ "$$(cat $(OUT)/build.result)" = pass ]; then \
		$(MAKE) --no-print-directory selftests && \
		$(TOP)/scripts/vm-all.sh --out $(OUT) $(if $(TESTS),--tests "$(TESTS)") \
			$$(cat $(OUT)/kernels.ready); \
		$(if $(RUN_CONFORM),$(TOP)/scripts/conform-check.sh --out $(OUT) \
			$$(cat $(OUT)/kernels.ready);) fi; \
	$(TOP)/scripts/summary.sh $(OUT) $(KNAMES)

# ---- check-e2e: a Linux guest on the other side ----
# The test VM (L1, Debian $(E2E_KERNEL)) runs selftests/e2e_test, which boots
# the small L2 kernel (kernels/l2.config, built once per machine into the
# sanitizer kernel's cache: 44 min measured under load) in a nested QEMU
# with an mtty, an mdpy and an mbochs device assigned. See
# Documentation/e2e.rst. The L2 build counts as one step in the summary.
E2E_KERNEL ?= 6.12
E2E_TIMEOUT ?= 2400

check-e2e: setup
	@mkdir -p $(OUT); rm -f $(OUT)/vm/$(E2E_KERNEL)/result $(OUT)/l2.result
	@$(MAKE) --no-print-directory modules KERNELS=$(E2E_KERNEL)
	@$(MAKE) --no-print-directory selftests
	@if $(TOP)/scripts/e2e-l2.sh $(OUT); then echo pass >$(OUT)/l2.result; \
		else echo fail >$(OUT)/l2.result; fi
	@if [ "$$(cat $(OUT)/l2.result)" = pass ]; then \
		$(TOP)/scripts/vm.sh --kernel $(E2E_KERNEL) --mode check --out $(OUT) \
			--tests e2e_test --timeout $(E2E_TIMEOUT) \
			--env "PROG_TIMEOUT=$(E2E_TIMEOUT)"; fi; \
	SUMMARY_STEPS=l2 $(TOP)/scripts/summary.sh $(OUT) $(E2E_KERNEL)

# Show that the runner fails a run, and says why, on a failing test, a
# kernel warning and a hung guest (about 2 minutes; not part of check).
check-runner: setup
	@$(MAKE) --no-print-directory modules selftests KERNELS=$(VM_KERNEL)
	@$(TOP)/scripts/runner-test/run.sh $(VM_KERNEL) $(OUT)

# Show that the bounded fuzz run of make check fails on a seeded driver bug
# (an unchecked region index in mtty; Documentation/robustness.rst). On the
# sanitizer kernel unless KERNELS names another. About 5 min; not in check.
SEEDED_KERNEL = $(if $(filter command line,$(origin KERNELS)),$(lastword $(KNAMES)),san)

seeded-bug: setup
	@$(TOP)/scripts/seeded-bug.sh $(SEEDED_KERNEL) $(OUT)

shell: setup
	@$(MAKE) --no-print-directory modules selftests KERNELS=$(VM_KERNEL)
	@$(TOP)/scripts/vm.sh --kernel $(VM_KERNEL) --mode shell --out $(OUT)

demo: setup
	@$(MAKE) --no-print-directory modules selftests KERNELS=$(VM_KERNEL)
	@$(TOP)/scripts/vm.sh --kernel $(VM_KERNEL) --mode demo --out $(OUT)

# ---- fuzz: only the fuzzer and the stress test, with a budget ----
# FUZZ_TIME: seconds per driver for the fuzzer and for the stress test
# (default 600); FUZZ_SEED reruns a seed, FUZZ_STEPS sets steps per device
# and round. Boots $(VM_KERNEL); KERNELS=san is the run before a release.
FUZZ_TIME ?= 600
fuzz_budget = $(shell echo $$(( 7 * $(FUZZ_TIME) + 600 )))

fuzz: setup
	@$(MAKE) --no-print-directory modules selftests KERNELS=$(VM_KERNEL)
	@$(TOP)/scripts/vm.sh --kernel $(VM_KERNEL) --mode check --out $(OUT) \
		--tests "vfio_fuzz vfio_stress" --timeout $(fuzz_budget) \
		--env "PROG_TIMEOUT=$(fuzz_budget) VFIO_FUZZ_TIME=$(FUZZ_TIME) VFIO_FUZZ_DEVICE_SECS=0 \
		VFIO_STRESS_TIME=$(FUZZ_TIME) $(if $(FUZZ_SEED),VFIO_FUZZ_SEED=$(FUZZ_SEED)) \
		$(if $(FUZZ_STEPS),VFIO_FUZZ_STEPS=$(FUZZ_STEPS))"

# ---- conform: the contract tests on a driver of your own ----
# make conform MODULES="path/foo.ko ..." [KERNELS=6.12] [TYPES=...]
#   [DEVICES=...] [CHECKS=...] [SETUP=script.sh]
# boots $(VM_KERNEL) (or each of KERNELS) with those modules and none of
# the suite's, runs selftests/vfio_conform on every mdev type their
# parents register (TYPES= narrows them) and every device bound to their
# drivers (or the DEVICES= named), and prints KTAP and a table. With
# several KERNELS, "%k" in MODULES stands for the kernel's name.
# Documentation/conformance.rst says what each check means.
conform: setup
	@test -n "$(MODULES)" || { echo 'make conform MODULES="path/foo.ko ..."'; exit 1; }
	@$(MAKE) --no-print-directory selftests
	@rc=0; for k in $(if $(filter command line,$(origin KERNELS)),$(KNAMES),$(VM_KERNEL)); do \
		$(TOP)/scripts/conform.sh --kernel $$k --out $(OUT) \
			--modules "$(subst %k,$$k,$(MODULES))" \
			$(if $(TYPES),--types "$(TYPES)") $(if $(DEVICES),--devices "$(DEVICES)") \
			$(if $(CHECKS),--checks "$(CHECKS)") $(if $(SETUP),--setup "$(SETUP)") \
			|| rc=1; \
	done; exit $$rc

# make bench runs on one kernel, Debian 6.12 unless BENCH_KERNEL says
# otherwise. BASELINE=upstream also measures the kernel's own mdev samples,
# built at bench time from the installed linux-source package; that source
# matches the Debian 6.12 kernel only.
BENCH_KERNEL ?= 6.12
# Module parameters for the bench VM: mtty's port pool must hold the 4096
# instances the scaling figure needs. BENCH_OPTIONS adds more, in the same
# "MODULE PARAM=VALUE ...; ..." form; a later value of a parameter wins.
BENCH_MODULE_OPTIONS := mtty nr_ports=4096
BENCH_OPTIONS ?=

# The mbochs first touch is measured a second time in a VM of its own on
# QEMU's default CPU model (qemu64, what qemu-system-x86_64 runs without
# -cpu), where the kernel clears pages with "rep stosq": its results land
# in OUT/bench/<kernel>.qemu64.
comma := ,
BENCH_QEMU64 := $(if $(BENCH_ONLY),$(filter first-touch,$(subst $(comma), ,$(BENCH_ONLY))),first-touch)
bench_vm = $(TOP)/scripts/vm.sh --kernel $(BENCH_KERNEL) --mode bench --out $(OUT) \
	--options "$(BENCH_MODULE_OPTIONS); $(BENCH_OPTIONS)" \
	$(if $(filter upstream,$(BASELINE)),--baseline $(OUT)/upstream/$(BENCH_KERNEL))

bench: setup
	@$(MAKE) --no-print-directory modules KERNELS=$(BENCH_KERNEL)
	@$(MAKE) --no-print-directory selftests
	@$(MAKE) --no-print-directory -C $(TOP)/bench OUTDIR=$(OUT)/bench-bin
	@$(if $(filter upstream,$(BASELINE)),$(TOP)/scripts/upstream-samples.sh \
		$(BENCH_KERNEL) $(OUT)/upstream/$(BENCH_KERNEL))
	@echo "  LOAD    $$(cut -d' ' -f1-3 /proc/loadavg) (host, 1/5/15 min)"
	@$(bench_vm) $(if $(BENCH_ONLY),--env "BENCH_ONLY=$(BENCH_ONLY)")
	@$(TOP)/bench/report.py $(OUT)/bench/$(BENCH_KERNEL) $(OUT)/vm/$(BENCH_KERNEL)
	@$(if $(BENCH_QEMU64),echo "  LOAD    $$(cut -d' ' -f1-3 /proc/loadavg) (host, 1/5/15 min)"; \
		BENCH_CPU=qemu64 BENCH_APPEND= $(bench_vm) --name $(BENCH_KERNEL).qemu64 \
		--env "BENCH_ONLY=first-touch" && \
		$(TOP)/bench/report.py $(OUT)/bench/$(BENCH_KERNEL).qemu64 \
		$(OUT)/vm/$(BENCH_KERNEL).qemu64)
	@echo "  LOAD    $$(cut -d' ' -f1-3 /proc/loadavg) (host, 1/5/15 min)"

clean:
	rm -rf $(OUT)
