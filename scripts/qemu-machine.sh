# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The test VM's machine and its extra devices, in one place. Sourced by
# scripts/vm.sh, which adds the kernel, the initramfs and the serial ports.
#
# q35 with 2 vCPUs under TCG (there is no KVM on the build machines).

QEMU_CPU=max
QEMU_MACHINE=(
	-M q35 -smp 2 -m 1024
	-nodefaults -no-user-config -display none
)

# The test VM runs both vCPUs on one TCG thread. With QEMU 7.2's default,
# one thread per vCPU, a guest that enables, resets and disables PCI
# functions on one vCPU while the other runs (two open/close loops on
# different pci_slot_stub sets) crashed QEMU within a minute (segfault at
# the same address both times, a NULL pointer in the MMIO write dispatch)
# or froze: one vCPU's local APIC timer vector stayed in service, its EOI
# lost, so no timer fired on that CPU again and msleep() in the bus reset
# never returned ("timer wakeup didn't happen" on the console), which is
# the freeze seen twice in CI. One thread ran the same loops for 3000 and
# 4000 cycles without either, and the suite no slower (README.md). make
# bench keeps a thread per vCPU, as its device-set concurrency figures need
# two vCPUs that really run at once; scripts/vm-watchdog.sh ends it if it
# freezes. VM_ACCEL=tcg,thread=multi brings the old setting back for every
# run, e.g. to reproduce the crash.
QEMU_ACCEL=${VM_ACCEL:-tcg,thread=single}
QEMU_BENCH_ACCEL=tcg,thread=multi

# make bench's CPU. TCG runs a rep-prefixed string instruction one
# iteration at a time, so once the kernel picks "rep stosb"/"rep movsb"
# (ERMS, FSRM) or "rep stosq" (REP_GOOD, which it sets itself for every CPU
# of this family) for clear_page(), memset() and memcpy(), zeroing a page
# costs more than the page fault that needs it, some 50 times its share on
# hardware, and hides every other cost (measured in Documentation/mbochs.rst).
# Without those features the kernel uses plain stores, which TCG runs at
# about their relative cost on hardware. clearcpuid= taints the kernel,
# which is why only make bench uses it. make bench BENCH_CPU=max
# BENCH_APPEND= measures on the test VM's CPU instead.
QEMU_BENCH_CPU=${BENCH_CPU-max,-erms,-fsrm}
QEMU_BENCH_APPEND=${BENCH_APPEND-clearcpuid=rep_good}

# Extra devices the suite's drivers bind to. Keep each group commented with
# the test that needs it.
QEMU_DEVICES=(
	# pci_slot_stub (selftests/pci_slot_stub_test.c): one of each kind of
	# device set vfio-pci makes. Addresses are fixed because the test and
	# Documentation/pci_slot_stub.rst name them; they start at 0x10 to stay
	# clear of devices QEMU places itself (the 9p share).
	# Without this, ACPI hotplug claims the root ports and pciehp creates
	# no pci_slot, so there would be no resettable slot.
	-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off
	# 0000:00:10.0, on the root bus: a set of its own, no slot/bus reset.
	-device edu,bus=pcie.0,addr=0x10
	# A pciehp slot (physical slot 100, bus 01) holding a two-function
	# edu: both functions share the slot's set.
	-device pcie-root-port,id=pss_rp1,bus=pcie.0,addr=0x11,chassis=1,slot=100
	-device edu,bus=pss_rp1,addr=0.0,multifunction=on
	-device edu,bus=pss_rp1,addr=0.1
	# A PCI-PCI bridge (bus 02) with two edu: its SHPC slots cannot be
	# reset, so both share the bus's set.
	-device pci-bridge,id=pss_br1,bus=pcie.0,addr=0x12,chassis_nr=2
	-device edu,bus=pss_br1,addr=0x1
	-device edu,bus=pss_br1,addr=0x2
	# A pciehp slot (physical slot 101, bus 03) with one edu: a slot set
	# of one, whose function reset is the slot reset.
	-device pcie-root-port,id=pss_rp2,bus=pcie.0,addr=0x13,chassis=3,slot=101
	-device edu,bus=pss_rp2,addr=0.0
	# 0000:00:14.0: a non-edu function (1b36:0005) for driver_override.
	-device pci-testdev,bus=pcie.0,addr=0x14
)

# An emulated IOMMU (VT-d), for the programs that bind the functions above
# to vfio-pci as well (selftests/pci_diff_test.c): vfio-pci takes only a
# function that an IOMMU has put in a group. It changes how every function
# registers with VFIO (a real group instead of an emulated one), so only a
# run whose test list holds one of QEMU_IOMMU_TESTS gets it
# (scripts/vm-all.sh gives those programs a VM of their own); VM_IOMMU=1
# turns it on for any run (make shell), VM_IOMMU=0 off.
#  - intremap=off: interrupt remapping is not under test, without it every
#    interrupt is delivered as in the other runs, and the sanitizer kernel
#    has no IRQ_REMAP. VFIO then refuses to attach a group (-EPERM, "No
#    interrupt remapping support") unless told that MSIs need no isolation
#    here: QEMU_IOMMU_OPTIONS.
#  - caching-mode stays off: it matters only when QEMU assigns a host
#    device to the guest, and the functions here are emulated.
#  - intel_iommu=on: the Debian kernels leave VT-d off by default.
#  - iommu=pt: the guest's own drivers keep identity mappings, so only
#    what VFIO owns is translated.
QEMU_IOMMU_TESTS=(pci_diff_test)
QEMU_IOMMU_DEVICES=(-device intel-iommu,intremap=off)
QEMU_IOMMU_APPEND="intel_iommu=on iommu=pt"
# vfio-pci and what it needs; it binds nothing until a test asks it to.
QEMU_IOMMU_MODULES=(vfio_pci)
# Module options, as vm.sh --options takes them.
QEMU_IOMMU_OPTIONS="vfio_iommu_type1 allow_unsafe_interrupts=1; iommufd allow_unsafe_interrupts=1"

# qemu_iommu_test PROGRAM: whether PROGRAM needs the IOMMU.
qemu_iommu_test() {
	local t
	for t in "${QEMU_IOMMU_TESTS[@]}"; do
		[ "$t" = "$1" ] && return 0
	done
	return 1
}

# qemu_iommu_wanted LIST: whether a run of the test programs in LIST (one
# string, blank-separated) gets the IOMMU.
qemu_iommu_wanted() {
	local t
	case ${VM_IOMMU:-} in
	1) return 0 ;;
	0) return 1 ;;
	esac
	for t in $1; do
		qemu_iommu_test "$t" && return 0
	done
	return 1
}
