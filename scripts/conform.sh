#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the conformance kit (selftests/conform, Documentation/conformance.rst)
# in the test VM on a driver's own modules, and none of the suite's.
#
#   conform.sh --kernel NAME --modules "a.ko b.ko" [--out DIR] [--name NAME]
#              [--types LIST] [--devices LIST] [--checks LIST] [--setup FILE]
#              [--theirs] [--quiet]
#
# The modules must be built for the kernel's release (their vermagic is
# checked first); they are loaded in the order given. LISTs are comma- or
# space-separated: --types narrows the mdev types (TYPE, PARENT or
# PARENT/TYPE), --devices names bound devices (default: every device
# bound to a driver of the modules), --checks the checks. --setup runs a
# shell script in the guest once the modules are loaded, for devices that
# must be made first.
#
# Prints the table of the run (device x check) and exits non-zero when a
# check failed or the kernel logged a report. --theirs runs someone else's
# driver for information (the kernel's own samples, in make check): the
# table, the kernel's reports and a run that ended early are printed as
# theirs, and the exit status is 0. --quiet keeps the VM's stream in
# OUT/vm/NAME.log instead of printing it.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kernel='' modules='' out=$top/out name='' types='' devices='' checks='' setup=''
theirs=0 quiet=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--modules) modules=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--name) name=$2; shift 2 ;;
	--types) types=$2; shift 2 ;;
	--devices) devices=$2; shift 2 ;;
	--checks) checks=$2; shift 2 ;;
	--setup) setup=$2; shift 2 ;;
	--theirs) theirs=1; shift ;;
	--quiet) quiet=1; shift ;;
	*) echo "conform.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$kernel" ] || { echo "conform.sh: --kernel is required" >&2; exit 2; }
[ -n "$modules" ] || { echo "conform.sh: no modules: make conform MODULES=\"path/foo.ko ...\"" >&2; exit 2; }
name=${name:-conform-$kernel}
release=$("$top/scripts/kernel.sh" "$kernel" release)

# Modules as absolute paths, each built for this kernel.
mods=() names=()
for m in $modules; do
	[ -f "$m" ] || { echo "conform.sh: $m: no such module" >&2; exit 2; }
	magic=$(modinfo -F vermagic "$m" | awk '{ print $1 }')
	if [ "$magic" != "$release" ]; then
		echo "conform.sh: $m is built for $magic, not for kernel $kernel ($release)" >&2
		exit 2
	fi
	mods+=("$(cd "$(dirname "$m")" && pwd)/$(basename "$m")")
	names+=("$(basename "$m" .ko)")
done

commas() {
	tr ' ' ',' <<<"$*" | sed 's/,,*/,/g; s/^,//; s/,$//'
}
env="VFIO_CONFORM_MODULES=$(commas "${names[*]}")"
[ -n "$types" ] && env="$env VFIO_SUITE_TYPES=$(commas "$types")"
[ -n "$devices" ] && env="$env VFIO_CONFORM_DEVICES=$(commas "$devices")"
[ -n "$checks" ] && env="$env VFIO_CONFORM_CHECKS=$(commas "$checks")"
for kv in VFIO_CONFORM_FUZZ_SECS VFIO_CONFORM_STRESS_SECS; do
	[ -n "${!kv:-}" ] && env="$env $kv=${!kv}"
done

# The kit's run grows with the devices it finds: give it an hour (three on
# the sanitizer kernel) before the guest ends it; each check has its own
# limit inside. An oops of the driver under test fails that check and the
# run goes on, so that the table shows every check.
slow=1
[ "$("$top/scripts/kernel.sh" "$kernel" kind)" = sankernel ] && slow=3
limit=$((3600 * slow))
env="$env PROG_TIMEOUT=$limit"
args=(--kernel "$kernel" --name "$name" --mode check --out "$out"
	--tests vfio_conform --modules "${mods[*]}" --env "$env"
	--timeout $((limit + 600)) --oops continue)
[ -n "$setup" ] && args+=(--setup "$setup")
mkdir -p "$out/vm"
log=$out/vm/$name.log
echo "  CONFORM $name: ${names[*]} on $kernel ($release)"
set +e
if [ "$quiet" = 1 ]; then
	"$top/scripts/vm.sh" "${args[@]}" >"$log" 2>&1
else
	"$top/scripts/vm.sh" "${args[@]}" 2>&1 | tee "$log"
fi
rc=${PIPESTATUS[0]}
set -e

# The table and the failed checks, from the kit's own output.
ktap=$out/vm/$name/ktap.log
who=
[ "$theirs" = 1 ] && who=" (theirs)"
echo "  CONFORM $name$who: the table"
"$out/selftests/vfio_conform" --list >"$out/vm/$name/checks.list" 2>/dev/null
"$top/scripts/conform_table.py" "$ktap" "$out/vm/$name/checks.list"
grep -E '^# # conform: ' "$ktap" 2>/dev/null | sed 's/^# # /    /' || true
if [ "$theirs" = 1 ]; then
	# Their failures and their kernel's reports are information, not ours.
	grep -h '  FAIL ' "$log" | sed "s/  FAIL    /  THEIRS  /" || true
	grep -q '^# # conform: ' "$ktap" 2>/dev/null ||
		echo "  THEIRS  $name: the kit did not run to its end (log: $log)"
	exit 0
fi
[ "$quiet" = 1 ] && grep -h -E '^  (FAIL|TIME|VM) ' "$log" || true
exit "$rc"
