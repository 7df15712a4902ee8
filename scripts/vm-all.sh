#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the check VM of several kernels, up to VM_JOBS (default 2) at a time.
#
#   vm-all.sh --out DIR [--tests "a b"] KERNEL...
#
# A TCG guest keeps about one host core busy: one VM at a time leaves the
# second core of a 2-core machine idle for the whole run. A slow
# (sanitizer) kernel's test programs are split over VM_SPLIT VMs (default
# VM_JOBS), NAME.1, NAME.2, ..., which start first: alone, its one VM ran
# 340-420 s while the Debian kernels' VMs took about 100 s each, so the
# second core sat idle for the last four minutes. Each part boots the same
# kernel with the same modules and runs its own share of the programs,
# whole and in the usual order, with its own kmemleak scan at the end; its
# results are then added up into OUT/vm/NAME/result as if one VM had run.
# The split is fixed (by the program weights below), so that a failure
# reruns in the same part with the same neighbours.
#
# Each VM's output goes to OUT/vm/NAME.log and is printed whole when that
# VM ends, so that kernels don't interleave. The exit status is non-zero
# if any VM failed.
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
split=${VM_SPLIT:-$jobs}

# Seconds each program takes on the sanitizer kernel (one VM, host load
# about 1, 2026-11-25), to split the programs into parts of about equal
# length. A program not listed weighs 20. Only the balance matters: the
# Debian kernels' VMs fill whichever slot frees first.
declare -A weight=(
	[vfio_fuzz]=25 [fail_nth_test]=40 [qemu_user_test]=24
	[fsl_mc_stub_test]=32 [mdpy_test]=28 [mtty_test]=26
	[mdevctl_test]=20 [vfio_stress]=20 [fsl_mc_stub_stress]=33
	[cdev_test]=17 [mbochs_test]=16 [pci_slot_stub_test]=15
	[mtty_uart_test]=14 [mtty_mig_test]=9 [mtty_neg_test]=5
	[mbochs_pmd_test]=3
)

# split_tests N PROGRAM...: N lines, each a part's programs in the order
# given. Heaviest first, each program goes to the lightest part so far.
split_tests() {
	local n=$1 p
	shift
	for p in "$@"; do
		echo "${weight[$p]:-20} $p"
	done | awk -v n="$n" -v order="$*" '
		{ w[NR] = $1; name[NR] = $2 }
		END {
			for (i = 1; i <= NR; i++) idx[i] = i
			# Sort by weight, heaviest first (insertion sort: NR is small).
			for (i = 2; i <= NR; i++)
				for (j = i; j > 1 && w[idx[j]] > w[idx[j - 1]]; j--) {
					t = idx[j]; idx[j] = idx[j - 1]; idx[j - 1] = t
				}
			for (i = 1; i <= NR; i++) {
				best = 1
				for (s = 2; s <= n; s++) if (load[s] < load[best]) best = s
				load[best] += w[idx[i]]
				part[name[idx[i]]] = best
			}
			cnt = split(order, o, " ")
			for (s = 1; s <= n; s++) {
				line = ""
				for (i = 1; i <= cnt; i++)
					if (part[o[i]] == s) line = line (line == "" ? "" : " ") o[i]
				print line
			}
		}'
}

# Programs that need the IOMMU machine (scripts/qemu-machine.sh) run in a
# part of their own, the kernel's last, so that every other program keeps
# the machine it always had.
# shellcheck source=scripts/qemu-machine.sh
. "$top/scripts/qemu-machine.sh"

# The runs: NAME KERNEL TESTS, slowest kernels' parts first, as they take
# the longest.
names=() kernels=() lists=() splitk=()
for pass in slow other; do
	for k in "$@"; do
		kind=$("$top/scripts/kernel.sh" "$k" kind)
		if [ "$pass" = slow ]; then
			[ "$kind" = sankernel ] || continue
		else
			[ "$kind" = sankernel ] && continue
		fi
		progs=$tests
		[ -n "$progs" ] || progs=$(cat "$out/selftests/tests.list" 2>/dev/null)
		n=1
		[ "$kind" = sankernel ] && [ "$jobs" -gt 1 ] && n=$split
		plain='' own=''
		for p in $progs; do
			if qemu_iommu_test "$p"; then
				own+=" $p"
			else
				plain+=" $p"
			fi
		done
		mapfile -t parts < <(split_tests "$n" $plain | grep -v '^$')
		[ -n "$own" ] && parts+=("${own# }")
		if [ ${#parts[@]} -le 1 ]; then
			names+=("$k") kernels+=("$k") lists+=("$tests")
			continue
		fi
		splitk+=("$k")
		for i in "${!parts[@]}"; do
			names+=("$k.$((i + 1))") kernels+=("$k") lists+=("${parts[$i]}")
		done
	done
done

run_one() {
	local name=$1 k=$2 list=$3 log=$out/vm/$1.log
	local args=(--kernel "$k" --name "$name" --mode check --out "$out")

	[ -n "$list" ] && args+=(--tests "$list")
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

# merge K: OUT/vm/K/result (and times) from the parts K.1, K.2, ...: the
# counts added up, the seconds of the longest part. A part that left no
# result counts as one failure, as a kernel does in scripts/summary.sh.
merge() {
	local k=$1 d=$out/vm/$1 f parts='' missing=0
	rm -rf "$d"
	mkdir -p "$d"
	for f in "$out/vm/$k".[0-9]*; do
		[ -d "$f" ] || continue
		parts+=" ${f##*/}"
		[ -f "$f/result" ] && continue
		echo "  FAIL    ${f##*/}: no result (the VM did not run or did not finish)"
		missing=$((missing + 1))
	done
	if [ -z "$parts" ]; then
		echo "  FAIL    $k: none of its VMs ran"
		missing=1
	fi
	cat "$out/vm/$k".[0-9]*/times 2>/dev/null | sort -rn >"$d/times"
	cat "$out/vm/$k".[0-9]*/result 2>/dev/null | tr '=' ' ' |
		awk -v x="$missing" '{ p += $2; x += $4; s += $6; if ($8 > t) t = $8 }
			END { printf "passed=%d failed=%d skipped=%d seconds=%.1f\n",
				p, x, s, t }' >"$d/result"
	read -r p x s t < <(tr -c '0-9.\n' ' ' <"$d/result")
	echo "  VM      $k: $p passed, $x failed, $s skipped in $t s" \
		"(the longest of$parts; logs: $out/vm/$k.N)"
	[ "$x" -eq 0 ]
}

mkdir -p "$out/vm"
for k in "${splitk[@]}"; do
	rm -rf "$out/vm/$k" "$out/vm/$k".[0-9]*
done
if [ "$jobs" -gt 1 ] && [ ${#names[@]} -gt 1 ]; then
	echo "  VM      ${names[*]}: $jobs at a time; each prints when it ends"
fi
rc=0
running=0
for i in "${!names[@]}"; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n || rc=1
		running=$((running - 1))
	fi
	run_one "${names[$i]}" "${kernels[$i]}" "${lists[$i]}" &
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	wait -n || rc=1
	running=$((running - 1))
done
for k in "${splitk[@]}"; do
	merge "$k" || rc=1
done
exit $rc
