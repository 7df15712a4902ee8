#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench, inside the VM: choose the devices and run vfio_bench on each.
# Results go to /out/bench.jsonl, one JSON object a line. When /upstream
# holds the kernel's own samples, the same measurements run on them too,
# after the suite's mdev modules are unloaded (the module names are the
# same).
B=/bench/vfio_bench
OUT=/out/bench.jsonl
: >$OUT

# BENCH_ONLY, a comma-separated list of vfio_bench commands (make bench
# BENCH_ONLY=faults), skips every other measurement.
bench() {
	case ",${BENCH_ONLY:-$1}," in
	*",$1,"*) ;;
	*) return 0 ;;
	esac
	echo "bench: $IMPL: $*"
	$B -l "$IMPL" "$@" >>$OUT || echo "bench: $IMPL: $* failed"
}

new_mdev() {
	u=$(cat /proc/sys/kernel/random/uuid)
	echo "$u" >"/sys/class/mdev_bus/$1/mdev_supported_types/$2/create" || return 1
	echo "/sys/bus/mdev/devices/$u"
}

first_type() {
	ls "/sys/class/mdev_bus/$1/mdev_supported_types" | head -n 1
}

# Each mdev parent: open/close and config space on its first type, then
# what is particular to it.
mdev_phase() {
	for p in /sys/class/mdev_bus/*; do
		[ -e "$p" ] || continue
		parent=${p##*/}
		type=$(first_type "$parent")
		dev=$(new_mdev "$parent" "$type") || continue
		bench open-close "$dev"
		bench cfg-read "$dev"
		case $parent in
		mtty) bench uart "$dev" ;;
		mbochs) bench dmabuf "$dev" ;;
		esac
		echo 1 >"$dev/remove"
		case $parent in
		mbochs) bench faults mbochs ;;
		mtty)
			for n in $SCALE_N; do
				bench scale mtty "$type" "$n"
			done
			;;
		esac
	done
	# Two devices in two sets: two mtty devices, each a set of its own.
	if [ -e /sys/class/mdev_bus/mtty ]; then
		a=$(new_mdev mtty mtty-1) && b=$(new_mdev mtty mtty-1) &&
			bench concurrency "$a" "$b" two_sets
		echo 1 >"$a/remove"
		echo 1 >"$b/remove"
	fi
}

# VFIO devices of the suite that are not mdevs: any device bound to one of
# the suite's other VFIO drivers.
other_phase() {
	for d in /sys/bus/*/drivers/pci_slot_stub/*/iommu_group \
		 /sys/bus/*/drivers/fsl_mc_stub*/*/iommu_group; do
		[ -e "$d" ] || continue
		dev=$(dirname "$d")
		bench open-close "$dev"
		case $dev in
		*/pci/*) bench cfg-read "$dev" ;;
		esac
	done
}

# The VM's CPU decides how the kernel zeroes and copies memory, which
# dominates some figures under TCG (see scripts/qemu-machine.sh).
ops=$(grep -m1 -o -w -E 'erms|fsrm|rep_good' /proc/cpuinfo | tr '\n' ' ')
echo "bench: the kernel's string-op features: ${ops:-none (plain stores)}"

IMPL=ours
SCALE_N="16 256 4096"
bench floor
mdev_phase
other_phase

if [ -d /upstream ]; then
	for m in mtty mdpy mbochs; do
		rmmod "$m" 2>/dev/null
	done
	for ko in /upstream/*.ko; do
		insmod "$ko" || echo "bench: insmod $ko failed"
	done
	IMPL=upstream
	SCALE_N="16 256"
	mdev_phase
fi
