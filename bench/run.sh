#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench, inside the VM: choose the devices and run vfio_bench on each.
# Results go to /out/bench.jsonl, one JSON object a line; the last line says
# the run got to its end. When /upstream holds the kernel's own samples, the
# same measurements run on them too, after the suite's mdev modules are
# unloaded (the module names are the same).
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
		mtty)
			bench open-write-close "$dev"
			bench uart "$dev"
			;;
		mbochs) bench dmabuf "$dev" ;;
		esac
		echo 1 >"$dev/remove"
		case $parent in
		mbochs)
			bench first-touch mbochs
			bench faults mbochs
			;;
		mdpy)
			# Every display type, as a VMM opens it (BAR0 mapped),
			# with 0, 1 and all pages written in between, each
			# round next to an mtty port's plain open/close.
			ref=
			[ -e /sys/class/mdev_bus/mtty ] &&
				ref=$(new_mdev mtty "$(first_type mtty)")
			for t in $(ls "$p/mdev_supported_types"); do
				d=$(new_mdev "$parent" "$t") || continue
				bench mapped-open-close "$d" $ref
				echo 1 >"$d/remove"
			done
			[ -n "$ref" ] && echo 1 >"$ref/remove"
			;;
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
			bench concurrency "$a" "$b" 2_sets
		echo 1 >"$a/remove"
		echo 1 >"$b/remove"
	fi
}

# pci_slot_stub: every function bound to it (they sit in a slot of their
# own, share a slot, or share a bus, so their resets differ).
pci_phase() {
	for d in /sys/bus/pci/drivers/pci_slot_stub/*/iommu_group; do
		[ -e "$d" ] || continue
		dev=$(dirname "$d")
		bench open-close "$dev"
		bench cfg-read "$dev"
	done
}

# fsl_mc_stub: a container's device set holds the container and its
# objects. Two containers with one object each give two sets; a third
# container with two objects gives two devices of one set.
FMC=/sys/devices/fsl_mc_stub
FMC_DEV=/sys/bus/fsl_mc_stub/devices
FMC_DELAY=/sys/kernel/debug/fsl_mc_stub/open_delay_ms
# PARENT:CHILD, in creation order; destroyed in the reverse order.
FMC_TOPOLOGY="dprc.1:dprc.100 dprc.100:dpni.101 dprc.1:dprc.102
	dprc.102:dpni.103 dprc.1:dprc.104 dprc.104:dpni.105 dprc.104:dpio.106"
FMC_DESTROY="dpio.106 dpni.105 dprc.104 dpni.103 dprc.102 dpni.101 dprc.100"

fsl_mc_phase() {
	[ -e $FMC/create ] || return
	for pc in $FMC_TOPOLOGY; do
		echo "${pc%:*} ${pc#*:}" >$FMC/create ||
			{ echo "bench: fsl_mc_stub: create ${pc#*:} failed"; return; }
	done
	bench open-close $FMC_DEV/dprc.100
	bench open-close $FMC_DEV/dpni.101
	# As they come: the set mutex is held for part of each cycle only.
	bench concurrency $FMC_DEV/dpni.101 $FMC_DEV/dpni.103 2_sets
	bench concurrency $FMC_DEV/dpni.105 $FMC_DEV/dpio.106 1_set
	# With open_device and close_device sleeping 1 ms each under the set
	# mutex, that mutex dominates the cycle: the set's effect alone.
	if [ -w $FMC_DELAY ]; then
		echo 1 >$FMC_DELAY
		bench concurrency $FMC_DEV/dpni.101 $FMC_DEV/dpni.103 \
			2_sets_1ms_held 100
		bench concurrency $FMC_DEV/dpni.105 $FMC_DEV/dpio.106 \
			1_set_1ms_held 100
		echo 0 >$FMC_DELAY
	fi
	for obj in $FMC_DESTROY; do
		echo "$obj" >$FMC/destroy
	done
}

UPSTREAM_MARK="bench: the upstream samples from here"

# The VM's CPU decides how the kernel zeroes and copies memory, which
# dominates some figures under TCG (see scripts/qemu-machine.sh).
ops=$(grep -m1 -o -w -E 'erms|fsrm|rep_good' /proc/cpuinfo | tr '\n' ' ')
echo "bench: the kernel's string-op features: ${ops:-none (plain stores)}"

IMPL=ours
SCALE_N="16 256 4096"
bench floor
mdev_phase
fsl_mc_phase
pci_phase

if [ -d /upstream ]; then
	# The host's report tells the samples' kernel reports from ours by this.
	echo "vfio-suite: $UPSTREAM_MARK" >/dev/kmsg
	for m in mtty mdpy mbochs; do
		rmmod "$m" 2>/dev/null
	done
	for ko in /upstream/*.ko; do
		insmod "$ko" || echo "bench: insmod $ko failed"
	done
	# Upstream's mtty has a fixed pool of 24 ports: its larger n are
	# reported as not reached.
	IMPL=upstream
	mdev_phase
fi
echo '{"done": true}' >>$OUT
