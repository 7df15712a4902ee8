#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check's conformance step: the kit (scripts/conform.sh) on the suite's
# five drivers, built as a copied directory builds (without their test
# hooks, so the run shows the kit needs none of their debugfs), on each
# kernel; and, for information, on the kernel's own samples (mtty, mdpy,
# mbochs from the installed linux-source, as make bench BASELINE=upstream
# builds them) on the kernel that source matches.
#
#   conform-check.sh --out DIR [--build-only | --prebuilt] KERNEL...
#
# --build-only builds the drivers and notes their modules; a later run with
# --prebuilt uses those instead of building again.
# Writes DIR/conform.result: pass when every section of the conversion
# guide the checks cite exists, and every run on the suite's drivers
# passed. The samples' table is printed and never fails the step; their
# kernel reports are listed as theirs. Runs VM_JOBS (default 2) VMs at a
# time.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out='' build_only=0 prebuilt=0
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift 2 ;;
	--build-only) build_only=1; shift ;;
	--prebuilt) prebuilt=1; shift ;;
	*) break ;;
	esac
done
[ -n "$out" ] || { echo "conform-check.sh: --out is required" >&2; exit 2; }
jobs=${VM_JOBS:-2}
# The kernel the installed linux-source (and so the samples) matches.
samples_kernel=6.12
# In make check, the generic programs get a short budget per device.
export VFIO_CONFORM_FUZZ_SECS=${VFIO_CONFORM_FUZZ_SECS:-1}
export VFIO_CONFORM_STRESS_SECS=${VFIO_CONFORM_STRESS_SECS:-2}
# One type of each mdev parent (a parent's types share its code and
# differ in sizes), and one device of each set shape the bound drivers
# have: a lone PCI function and a slot's (pci_slot_stub), a container and
# an object (fsl_mc_stub). make conform on them tests every type.
ours_types="mtty-1 mdpy-vga mbochs-small"
ours_devices="0000:00:10.0 0000:01:00.0 dprc.60 dpni.61"

# The suite's module directories, each copied alone and built without
# VFIO_SUITE_TEST_HOOKS. Prints the modules' paths.
build_ours() {
	local k=$1 kdir dir d src=$out/conform/$1/src
	kdir=$("$top/scripts/kernel.sh" "$k" kdir) || return 1
	rm -rf "$src"
	mkdir -p "$src"
	for d in "$top"/*/Kbuild; do
		dir=$(dirname "$d")
		cp -r "$dir" "$src/"
	done
	for d in "$src"/*/Kbuild; do
		dir=$(dirname "$d")
		nice make -s -C "$kdir" M="$dir" modules >"$dir/build.log" 2>&1 ||
			{ cat "$dir/build.log" >&2; return 1; }
	done
	find "$src" -name '*.ko' | sort
}

# The order the guest loads them in: the bus model before its VFIO driver.
order() {
	sort -t/ -k1 | awk '/\/fsl_mc_stub\.ko$/ { print; next } { rest[++n] = $0 }
		END { for (i = 1; i <= n; i++) print rest[i] }'
}

runs=() rc=0
ours_kernels=()
# Every check cites a section of the conversion guide by its title: each
# title must be one the guide has.
mkdir -p "$out/conform"
if ! "$out/selftests/vfio_conform" --list >"$out/conform/checks.list" 2>/dev/null ||
	! "$top/scripts/conform_table.py" --guide "$top/Documentation/conversion-guide.rst" \
		"$out/conform/checks.list"; then
	echo "  FAIL    conform: a check cites a section the conversion guide does not have"
	rc=1
fi
for k in "$@"; do
	if [ "$prebuilt" = 1 ] && [ -f "$out/conform/$k/modules" ]; then
		mods=$(cat "$out/conform/$k/modules")
	elif ! mods=$(build_ours "$k"); then
		echo "  FAIL    conform-ours-$k: the suite's drivers do not build as copied directories"
		rc=1
		continue
	fi
	mods=$(order <<<"$mods")
	[ "$build_only" = 1 ] && { echo "$mods" >"$out/conform/$k/modules"; continue; }
	ours_kernels+=("$k")
	runs+=("ours $k $(echo $mods)")
done
[ "$build_only" = 1 ] && exit $rc
for k in "$@"; do
	[ "$k" = "$samples_kernel" ] || continue
	if "$top/scripts/upstream-samples.sh" "$k" "$out/upstream/$k" >/dev/null 2>&1; then
		runs+=("theirs $k $out/upstream/$k/mtty.ko $out/upstream/$k/mdpy.ko $out/upstream/$k/mbochs.ko")
	else
		echo "  NOTE    the kernel's samples do not build for $k: no samples table"
	fi
done

run_one() {
	local who=$1 k=$2
	shift 2
	if [ "$who" = ours ]; then
		"$top/scripts/conform.sh" --quiet --kernel "$k" --out "$out" \
			--name "conform-ours-$k" --modules "$*" --types "$ours_types" \
			--devices "$ours_devices" \
			--setup "$top/scripts/guest/conform-ours-setup" \
			>"$out/vm/conform-ours-$k.summary" 2>&1
	else
		"$top/scripts/conform.sh" --quiet --theirs --kernel "$k" --out "$out" \
			--name "conform-upstream-$k" --modules "$*" \
			>"$out/vm/conform-upstream-$k.summary" 2>&1
	fi
	local r=$?
	flock "$out/vm/.print" cat "$out/vm/conform-$([ "$who" = theirs ] && echo upstream || echo ours)-$k.summary"
	return $r
}

mkdir -p "$out/vm"
start=$(date +%s)
running=0
for r in "${runs[@]}"; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n || rc=1
		running=$((running - 1))
	fi
	# shellcheck disable=SC2086 # the run's words on purpose
	run_one $r &
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	wait -n || rc=1
	running=$((running - 1))
done
echo "  CONFORM ${ours_kernels[*]}: $(($(date +%s) - start)) s for the kit's VMs"
if [ "$rc" -eq 0 ]; then echo pass; else echo fail; fi >"$out/conform.result"
exit $rc
