#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make seeded-bug: show that the bounded fuzz run of make check catches a
# real driver bug. A copy of the source tree (the files git knows, as they
# are in the work tree) loses mtty's region index check: the glue takes
# any BAR index up to 5 as a port, and the UART model no longer checks the
# port. vfio_fuzz then runs on it exactly as make check runs it. The run
# must fail with a kernel report; the script passes only then.
#
#   seeded-bug.sh KERNEL OUT
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kernel=$1 out=$2
t=$out/seeded-bug
rm -rf "$t"
mkdir -p "$t/src"

(cd "$top" && git ls-files -co --exclude-standard -z | tar -c --null -T - -f -) |
	tar -x -C "$t/src" || exit 1
# The two checks, as one sed each; a sed that changes nothing is an error,
# so the demo cannot pass against a tree where the check moved.
mutate() {
	local file=$1 from=$2 to=$3
	grep -qF "$from" "$t/src/$file" || {
		echo "seeded-bug: '$from' is not in $file any more" >&2
		exit 1
	}
	sed -i "s/$(printf '%s' "$from" | sed 's/[][\.*^$/]/\\&/g')/$to/" "$t/src/$file"
}
mutate mtty/mtty_vfio.c 'if (port >= mtty->nr_ports)' \
	'if (port > VFIO_PCI_BAR5_REGION_INDEX)'
mutate mtty/mtty_uart.c 'if (port >= uart->nr_ports || reg >= MTTY_BAR_SIZE)' \
	'if (reg >= MTTY_BAR_SIZE)'

log=$t/run.log
echo "  SEEDED  mtty without its port index check, vfio_fuzz on $kernel (log: $log)"
make -C "$t/src" --no-print-directory vm-check KERNELS="$kernel" TESTS=vfio_fuzz \
	OUT="$t/out" >"$log" 2>&1
rc=$?
grep -E '^  (FAIL|VM) ' "$log"
if [ "$rc" -ne 0 ] && grep -qE 'FAIL +[^ ]+: +(console|dmesg)\.log: .*(UBSAN|KASAN|BUG|Oops|general protection)' "$log"; then
	echo "  SEEDED  pass: the bounded run failed on a kernel report"
	exit 0
fi
echo "  SEEDED  FAIL: the seeded bug was not caught (rc=$rc); see $log"
exit 1
