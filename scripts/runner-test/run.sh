#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-runner: show that the VM runner fails a run, with a message
# that names the cause, when a test fails, when a module warns at load,
# when the guest hangs, and when it freezes (ended early by the watchdog);
# and that it passes a clean run.
#
#   run.sh KERNEL OUT
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
kernel=$1 out=$2
kdir=$("$top/scripts/kernel.sh" "$kernel" kdir) || exit 1
t=$out/runner-test
rm -rf "$t"
mkdir -p "$t/src" "$t/build/$kernel" "$t/selftests"

cp "$top"/scripts/runner-test/{canary.c,Kbuild} "$t/src/"
make -s -C "$kdir" M="$t/src" modules >"$t/build.log" 2>&1 || { cat "$t/build.log"; exit 1; }
cp "$t/src/canary.ko" "$t/build/$kernel/"
make -s -C "$top/selftests" OUTDIR="$t/selftests" "$t/selftests/lib/vfio_lib.o" >/dev/null
ksrc=$("$top/scripts/ksource.sh")
gcc -static -O2 -Wall -Werror -D_GNU_SOURCE -D__user= -I"$ksrc/include/uapi" \
	-I"$ksrc/tools/testing/selftests" -I"$top/selftests/lib" \
	-o "$t/selftests/canary_test" "$top/scripts/runner-test/canary_test.c" \
	"$t/selftests/lib/vfio_lib.o" || exit 1

bad=0
# scenario  modprobe options  timeout  what the runner must say
scenarios=(
	"clean|canary|120|0 failed"
	"fail|canary fail=1|120|canary_test: not ok global.canary"
	"warn|canary warn=1|120|WARNING: CPU:"
	"hang|canary hang=1|60|the VM timed out after 60 s"
	# The watchdog, with its limits cut to 20 s: it must end the VM long
	# before the 600 s timeout.
	"stall|canary stall=1|600|the runner ended the VM: the guest stalled"
	"silent|canary silent=1|600|the runner ended the VM: the guest said nothing"
)
for s in "${scenarios[@]}"; do
	IFS='|' read -r name opts secs expect <<<"$s"
	log=$t/$name.log
	cut=
	case $name in stall | silent) cut=20 ;; esac
	VM_SILENCE=$cut VM_STALL_GRACE=$cut \
		"$top/scripts/vm.sh" --kernel "$kernel" --mode check --out "$t" \
		--tests canary_test --options "$opts" --timeout "$secs" >"$log" 2>&1
	rc=$?
	want_rc=1
	[ "$name" = clean ] && want_rc=0
	if [ "$rc" -eq "$want_rc" ] && grep -qF "$expect" "$log"; then
		echo "ok      $name: exit $rc, says: $(grep -F "$expect" "$log" | head -n 1 | sed 's/^ *//')"
	else
		echo "FAIL    $name: exit $rc (wanted $want_rc), '$expect' not found; see $log"
		bad=$((bad + 1))
	fi
done
[ "$bad" -eq 0 ]
