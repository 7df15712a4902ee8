#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End a test VM that has stopped, long before the run's timeout.
#
#   vm-watchdog.sh VMDIR PIDFILE SILENCE GRACE
#
# A guest can freeze for good: under QEMU 7.2's multi-threaded TCG a vCPU
# once lost the EOI of its local APIC timer interrupt, so no timer ever
# fired on that CPU again and every task waiting on one (msleep in a bus
# reset) slept forever. The console then shows an RCU stall ("timer wakeup
# didn't happen") and goes quiet; without this the run would sit until
# its timeout. scripts/vm.sh runs this beside QEMU. It ends QEMU, and writes
# why to VMDIR/frozen for scripts/vm_result.py, when
#  - the console has shown an RCU stall, and since then neither the console
#    nor the test stream has grown for GRACE seconds while QEMU used under
#    a fifth of a core: a guest that got over a stall (a host too busy to
#    run it) starts its next test, or is busy in a long silent one;
#  - or the guest has said it powers off (scripts/guest/init: every test
#    has ended and its output is out) and the console has not grown for
#    OFF_GRACE (60) seconds: a task left stuck in the kernel by a broken
#    driver blocks the shutdown;
#  - or neither has grown for SILENCE seconds: the guest ends a program at
#    its own timeout and says so, so that much silence means it is stuck.
set -uo pipefail

vmdir=$1 pidfile=$2 silence=$3 grace=$4
logs=("$vmdir/console.log" "$vmdir/stream.log")
STALL_RE="timer wakeup didn't happen|rcu_(preempt|sched) kthread starved|"
STALL_RE+="rcu: INFO: rcu_(preempt|sched) (self-)?detected stall"
OFF_RE="vfio-suite: # power off"
off_grace=${VM_OFF_GRACE:-60}

logs_size() {
	stat -c %s "${logs[@]}" 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'
}

# CPU time QEMU has used, in clock ticks (utime + stime).
qemu_ticks() {
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null || echo 0
}
hz=$(getconf CLK_TCK)

# QEMU writes its pid file once it has started.
for _ in $(seq 120); do
	[ -s "$pidfile" ] && break
	sleep 1
done
pid=$(cat "$pidfile" 2>/dev/null) || exit 0

size=$(logs_size)
since=$(date +%s)
ticks=$(qemu_ticks)
stall=
while kill -0 "$pid" 2>/dev/null; do
	sleep 5
	now=$(date +%s)
	new=$(logs_size)
	if [ "$new" != "$size" ]; then
		size=$new
		since=$now
		ticks=$(qemu_ticks)
		[ -n "$stall" ] || stall=$(grep -m 1 -E "$STALL_RE" "${logs[0]}" |
			sed 's/^\[ *[0-9.]*\] //')
	fi
	quiet=$((now - since))
	# Percent of one core QEMU used while the guest was quiet.
	busy=$(( (($(qemu_ticks) - ticks) * 100 / hz) / (quiet > 0 ? quiet : 1) ))
	if [ -n "$stall" ] && [ "$quiet" -ge "$grace" ] && [ "$busy" -lt 20 ]; then
		why="the guest stalled (console: \"$stall\") and then said nothing for $quiet s, QEMU ${busy}% busy"
	elif [ "$quiet" -ge "$off_grace" ] && grep -q "$OFF_RE" "${logs[0]}"; then
		why="the tests ended, and the guest did not power off in $quiet s (a task stuck in the kernel blocks the shutdown)"
	elif [ "$quiet" -ge "$silence" ]; then
		why="the guest said nothing for $quiet s"
	else
		continue
	fi
	echo "$why" >"$vmdir/frozen"
	kill -TERM "$pid" 2>/dev/null
	sleep 10
	kill -KILL "$pid" 2>/dev/null
	exit 0
done
exit 0
