# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The test VM's machine and its extra devices, in one place. Sourced by
# scripts/vm.sh, which adds the kernel, the initramfs and the serial ports.
#
# q35 with 2 vCPUs under TCG (there is no KVM on the build machines).

QEMU_MACHINE=(
	-M q35 -cpu max -smp 2 -m 1024
	-nodefaults -no-user-config -display none
	-accel tcg
)

# Extra devices the suite's drivers bind to. Keep each group commented with
# the test that needs it.
QEMU_DEVICES=(
)
