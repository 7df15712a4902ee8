#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the check VM of several kernels, up to VM_JOBS (default 2) at a time.
#
#   vm-all.sh --out DIR [--tests "a b"] KERNEL...
#
# A TCG guest keeps about one host core busy: one VM at a time leaves the
# second core of a 2-core machine idle for the whole run. The slow
# (sanitizer) kernels start first, as they take the longest; the others
# share the second slot. Each VM's output goes to OUT/vm/NAME.log and is
# printed whole when that VM ends, so that kernels don't interleave. The
# exit status is non-zero if any VM failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out='' tests=''
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift 2 ;;
	--tests) tests=$2; shift 2 ;;
	--) shift; break ;;
	-*) echo "vm-all.sh: unknown argument $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ -n "$out" ] || { echo "vm-all.sh: --out is required" >&2; exit 2; }
jobs=${VM_JOBS:-2}

# Slowest first.
order=()
for k in "$@"; do
	[ "$("$top/scripts/kernel.sh" "$k" kind)" = sankernel ] && order+=("$k")
done
for k in "$@"; do
	[ "$("$top/scripts/kernel.sh" "$k" kind)" = sankernel ] || order+=("$k")
done

run_one() {
	local k=$1 log=$out/vm/$1.log
	local args=(--kernel "$k" --mode check --out "$out")

	[ -n "$tests" ] && args+=(--tests "$tests")
	if [ "$jobs" -le 1 ]; then
		"$top/scripts/vm.sh" "${args[@]}"
		return
	fi
	"$top/scripts/vm.sh" "${args[@]}" >"$log" 2>&1
	local rc=$?
	# One VM's whole output at a time (flock: the VMs end in any order).
	flock "$out/vm/.print" cat "$log"
	return $rc
}

mkdir -p "$out/vm"
if [ "$jobs" -gt 1 ] && [ ${#order[@]} -gt 1 ]; then
	echo "  VM      ${order[*]}: $jobs at a time; each prints when it ends"
fi
rc=0
running=0
for k in "${order[@]}"; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n || rc=1
		running=$((running - 1))
	fi
	run_one "$k" &
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	wait -n || rc=1
	running=$((running - 1))
done
exit $rc
