#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a kernel from kernels.conf in QEMU (TCG) with the suite loaded.
#
#   vm.sh --kernel NAME --mode check|shell|demo|bench [--out DIR]
#         [--tests "a b"] [--timeout SECONDS]
#         [--options "MODULE PARAM=VALUE ...; ..."] [--baseline DIR]
#         [--env "NAME=VALUE ..."] [--name NAME]
#         [--modules "a.ko b.ko"] [--setup FILE] [--oops panic|continue]
#
# check: run the selftests, stream their KTAP, scan the kernel log for
#        reports, and write OUT/vm/NAME/result. Exits non-zero on failure.
# shell: an interactive shell on the serial console.
# demo:  run demo/*.sh in the guest; files it writes to /out land in
#        OUT/demo/NAME on the host.
# bench: run bench/run.sh; its results land in OUT/bench/NAME. --baseline
#        adds the upstream sample modules in DIR for comparison.
#
# --env exports variables to the guest's tests (make fuzz uses it to give
# the fuzzer its budget). --modules boots with those modules, loaded in
# that order, instead of the suite's (make conform); --setup runs FILE, a
# shell script, in the guest once the modules are loaded. --oops continue
# lets the guest go on after an oops instead of ending the run (make
# conform: someone else's driver, whose every check should be reported). --name names the run's directories and messages
# (default: the kernel's name); scripts/vm-all.sh runs parts of one
# kernel's tests as NAME.1, NAME.2.
#
# Logs are kept in OUT/vm/NAME: console.log (the kernel's console, ttyS0),
# ktap.log (the tests' output, ttyS1) and dmesg.log (the whole kernel log at
# the end of the run).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kernel='' name='' mode=check out=$top/out tests='' timeout='' options='' baseline='' env=''
modules='' setup='' oops=panic
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--name) name=$2; shift 2 ;;
	--mode) mode=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--tests) tests=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--env) env=$2; shift 2 ;;
	--options) options=$2; shift 2 ;;
	--baseline) baseline=$2; shift 2 ;;
	--modules) modules=$2; shift 2 ;;
	--setup) setup=$2; shift 2 ;;
	--oops) oops=$2; shift 2 ;;
	*) echo "vm.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$kernel" ] || { echo "vm.sh: --kernel is required" >&2; exit 2; }
name=${name:-$kernel}
# The sanitizer kernel runs everything several times slower (KASAN,
# lockdep, kmemleak under TCG) and adds the fail_nth sweeps: more time for
# the whole run and for each test program.
slow=1
[ "$("$top/scripts/kernel.sh" "$kernel" kind)" = sankernel ] && slow=3
prog_timeout=$((600 * slow))
case $mode in
check) timeout=${timeout:-$((1200 * slow))} ;;
demo) timeout=${timeout:-$((600 * slow))} ;;
bench) timeout=${timeout:-2400} ;;
shell) timeout=${timeout:-0} ;;
*) echo "vm.sh: unknown mode $mode" >&2; exit 2 ;;
esac

release=$("$top/scripts/kernel.sh" "$kernel" release)
image=$("$top/scripts/kernel.sh" "$kernel" image)
moddir=$("$top/scripts/kernel.sh" "$kernel" moddir)
build=$out/build/$kernel
vmdir=$out/vm/$name
root=$vmdir/root
rm -rf "$vmdir"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,out,etc,selftests,demo,bench}

# --- the initramfs ---

cp /bin/busybox "$root/bin/busybox"
cp "$top/scripts/guest/init" "$root/init"
chmod +x "$root/init"

# --- real clients the tests drive ---
# Host binaries copied at their host paths with the shared libraries ldd
# lists. One that is not installed is left out; its test then skips.
EXTRA_BINARIES=(/usr/bin/mdevctl)
# Other files they open, copied at their host paths when present.
EXTRA_FILES=()
# A nested QEMU as the VFIO user (selftests/qemu_user_test.c, and
# selftests/e2e_test.c of make check-e2e): the binary, its TCG accelerator
# module (loaded with dlopen, so ldd does not list it) and the firmware it
# loads, -kernel's option ROM included. It adds about 20 MB to the
# initramfs, so only a run whose test list needs it carries it.
if [ -n "$tests" ]; then
	test_list=$tests
else
	test_list=$(cat "$out/selftests/tests.list" 2>/dev/null || true)
fi
if [ "$mode" = shell ] || { [ "$mode" = check ] &&
	grep -qw -e qemu_user_test -e e2e_test <<<"$test_list"; }; then
	EXTRA_BINARIES+=(/usr/bin/qemu-system-x86_64)
	EXTRA_FILES+=(/usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so
		/usr/share/seabios/bios-256k.bin /usr/share/qemu/kvmvapic.bin
		/usr/share/qemu/linuxboot_dma.bin)
fi
# The L2 guest of make check-e2e, as scripts/e2e-l2.sh left it.
if grep -qw e2e_test <<<"$test_list" && [ -f "$out/e2e/initramfs.gz" ]; then
	mkdir -p "$root/e2e"
	cp "$out/e2e/bzImage" "$out/e2e/initramfs.gz" "$root/e2e/"
fi
# The emulated IOMMU and vfio-pci, for the runs that compare the suite's
# PCI driver with vfio-pci (scripts/qemu-machine.sh says which).
# shellcheck source=scripts/qemu-machine.sh
. "$top/scripts/qemu-machine.sh"
iommu=0
if [ "${VM_IOMMU:-}" = 1 ] || { [ "$mode" = check ] &&
	qemu_iommu_wanted "$test_list"; }; then
	iommu=1
	options="$options; $QEMU_IOMMU_OPTIONS"
fi
for bin in "${EXTRA_BINARIES[@]}"; do
	[ -x "$bin" ] || continue
	for f in "$bin" $(ldd "$bin" | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
	done
done
for f in "${EXTRA_FILES[@]}"; do
	[ -e "$f" ] || continue
	mkdir -p "$root$(dirname "$f")"
	cp -L "$f" "$root$f"
done

# The suite's modules, then the kernel modules they and the VFIO core need.
# Debian's .ko.xz are decompressed: busybox insmod can't read them.
mkdir -p "$root/lib/modules/$release/extra"
suite_modules=()
while IFS= read -r ko; do
	cp "$ko" "$root/lib/modules/$release/extra/"
	suite_modules+=("$(basename "$ko" .ko)")
done < <(if [ -n "$modules" ]; then printf '%s\n' $modules; else find "$build" -name '*.ko' | sort; fi)
[ ${#suite_modules[@]} -gt 0 ] || { echo "vm.sh: no modules in $build; run make" >&2; exit 1; }
if [ -n "$setup" ]; then
	cp "$setup" "$root/etc/suite-setup.sh"
fi

base_modules=(vfio vfio_iommu_type1 mdev vfio_virqfd virtio_pci 9p 9pnet_virtio)
[ "$iommu" = 1 ] && base_modules+=("${QEMU_IOMMU_MODULES[@]}")
mapfile -t needs < <(for ko in "$root/lib/modules/$release/extra/"*.ko; do
	modinfo -F depends "$ko" | tr ',' '\n'
done | sort -u | grep -v '^$' || true)
while IFS= read -r rel; do
	[ -n "$rel" ] || continue
	dst=$root/lib/modules/$release/$rel
	mkdir -p "$(dirname "$dst")"
	case $rel in
	*.xz) xz -dc "$moddir/$rel" >"${dst%.xz}" ;;
	*.zst) zstd -qdc "$moddir/$rel" >"${dst%.zst}" ;;
	*) cp "$moddir/$rel" "$dst" ;;
	esac
done < <("$top/scripts/modclosure.py" "$moddir" "${base_modules[@]}" "${needs[@]}")
cp "$moddir"/modules.builtin* "$moddir"/modules.order "$root/lib/modules/$release/" 2>/dev/null || true
depmod -b "$root" "$release"

# The tests, in the order the selftests Makefile lists them.
cp "$out"/selftests/* "$root/selftests/" 2>/dev/null || true
[ -n "$tests" ] && printf '%s\n' $tests >"$root/selftests/tests.list"
cp "$top"/demo/*.sh "$root/demo/" 2>/dev/null || true
if [ "$mode" = bench ]; then
	cp "$top/bench/run.sh" "$out/bench-bin/vfio_bench" "$root/bench/"
	if [ -n "$baseline" ]; then
		mkdir -p "$root/upstream"
		cp "$baseline"/*.ko "$root/upstream/"
	fi
fi

# Module parameters, as modprobe.d "options" lines, one per ';'.
mkdir -p "$root/etc/modprobe.d"
tr ';' '\n' <<<"$options" | sed -n 's/^ *\([^ ].*\)$/options \1/p' \
	>"$root/etc/modprobe.d/suite.conf"

cat >"$root/etc/suite.conf" <<EOT
MODE=$mode
KERNEL=$kernel
BASE_MODULES="${base_modules[*]}"
SUITE_MODULES="${suite_modules[*]}"
PROG_TIMEOUT=$prog_timeout
EOT
# Tests run fewer rounds of loops that only buy statistics on a slow kernel
# (selftests/lib: suite_rounds()).
[ "$slow" -gt 1 ] && echo "export VFIO_SUITE_SLOW=1" >>"$root/etc/suite.conf"
for kv in $env; do
	echo "export $kv" >>"$root/etc/suite.conf"
done

# Not compressed: a TCG guest inflates gzip slowly, while QEMU loads the
# plain archive at once (6.12 reaches /init 1.7 s sooner: 4.6 s, not 6.3).
(cd "$root" && find . | cpio -o -H newc --quiet) >"$vmdir/initramfs.cpio"

# --- the VM ---

# The guest's /out: what demo and bench write there lands here.
case $mode in
demo | bench) share=$out/$mode/$name ;;
*) share=$out/share/$name ;;
esac
rm -rf "$share"
mkdir -p "$share"
cpu=$QEMU_CPU accel=$QEMU_ACCEL
[ "$mode" = bench ] && cpu=$QEMU_BENCH_CPU accel=$QEMU_BENCH_ACCEL
# make bench BENCH_ICOUNT=1: the guest's clock counts the instructions it
# runs (QEMU's -icount, one a nanosecond, on one TCG thread), so every
# time the bench reports is an instruction count that no load on the host
# disturbs. The two-thread figures then mean nothing.
icount=()
if [ "$mode" = bench ] && [ -n "${BENCH_ICOUNT:-}" ]; then
	accel=tcg,thread=single
	icount=(-icount shift=0)
fi
qemu=(qemu-system-x86_64 "${QEMU_MACHINE[@]}" -accel "$accel" -cpu "$cpu"
	"${icount[@]}" "${QEMU_DEVICES[@]}"
	-kernel "$image" -initrd "$vmdir/initramfs.cpio"
	-virtfs "local,path=$share,mount_tag=out,security_model=none,id=out"
	-no-reboot)
[ "$iommu" = 1 ] && qemu+=("${QEMU_IOMMU_DEVICES[@]}")
# oops=panic: after an oops the guest is unreliable and often hangs (an oops
# in the exit path of the task that oopsed); end the run at once, with the
# report already on the console.
cmdline="console=ttyS0 panic=-1 loglevel=5 quiet"
[ "$oops" = panic ] && cmdline="$cmdline oops=panic"
[ "$mode" = bench ] && cmdline="$cmdline $QEMU_BENCH_APPEND"
[ "$iommu" = 1 ] && cmdline="$cmdline $QEMU_IOMMU_APPEND"
# On the sanitizer kernel PCI INTx is routed from the MP table, not through
# ACPI: pci_enable_device() at a function's first open and
# pci_disable_device() at its last close each evaluate q35's 128-entry
# _PRT, 1 to 2 s there (every ACPICA allocation saves KASAN and kmemleak
# stack traces), which made pci_slot_stub_test 64-93 s. With acpi=noirq it
# takes 18 s with the same results; how an IRQ is routed is not under test.
[ "$slow" -gt 1 ] && cmdline="$cmdline acpi=noirq"
# Caches are not merged there, so that fail_nth sweeps can leave kmemleak's
# own caches out (selftests/lib/fail_nth.c), and KASAN reports name the
# cache the object came from.
[ "$slow" -gt 1 ] && cmdline="$cmdline slab_nomerge"
# tinyconfig keeps 256 legacy BSD ptys; creating their 512 devices took
# 3.3 s of each boot there (initcall_debug), and nothing uses them.
[ "$slow" -gt 1 ] && cmdline="$cmdline pty.legacy_count=0"
# 4-level paging there: with -cpu max the guest has LA57, and on this
# kernel pgtable_l5_enabled() reads the LA57 capability bit, which
# identify_cpu() clears and sets again late in boot. An interrupt in that
# window made KASAN call a direct-map address "wild-memory-access"
# (handle_edge_irq, 4 to 7 ms into boot; seen on two boots).
[ "$slow" -gt 1 ] && cmdline="$cmdline no5lvl"

if [ "$mode" = shell ]; then
	echo "vm.sh: $kernel: everything is loaded; 'poweroff -f' or Ctrl-A X quits"
	exec "${qemu[@]}" -append "$cmdline" -serial mon:stdio -serial null
fi

# A guest that froze is ended within minutes instead of at the timeout
# (scripts/vm-watchdog.sh says when). The guest ends each test program
# itself after prog_timeout, so in check mode more silence than that is a
# freeze; demo and bench steps have no such bound. VM_SILENCE and
# VM_STALL_GRACE (seconds) override, for make check-runner.
silence=$timeout
[ "$mode" = check ] && silence=$((prog_timeout + 300))
# make fuzz raises the guest's program timeout through --env.
for kv in $env; do
	case $kv in
	PROG_TIMEOUT=*) [ "$mode" = check ] && silence=$((${kv#*=} + 300)) ;;
	esac
done
"$top/scripts/vm-watchdog.sh" "$vmdir" "$vmdir/qemu.pid" \
	"${VM_SILENCE:-$silence}" "${VM_STALL_GRACE:-300}" &
watchdog=$!

start=$(date +%s.%N)
echo "  VM      $name ($release), $mode"
set +e
# Both serial ports go to files, which QEMU can always write. With the
# stream's port on a pipe, a guest on a host at load 13 once stopped for
# good in the middle of its dmesg dump while its console port (a file)
# went on, and sat there until the watchdog's silence bound, over an hour
# in make conform. The stream is followed from its file instead.
: >"$vmdir/stream.raw"
timeout --foreground -k 10 "$timeout" "${qemu[@]}" -append "$cmdline" \
	-pidfile "$vmdir/qemu.pid" \
	-serial "file:$vmdir/console.log" \
	-serial "file:$vmdir/stream.raw" </dev/null &
qemu_job=$!
# A background job ignores the terminal's Ctrl-C; pass it on.
trap 'kill "$qemu_job" 2>/dev/null' INT TERM
tail -n +1 -s 0.2 -f --pid="$qemu_job" "$vmdir/stream.raw" |
	tr -d '\r' | tee "$vmdir/stream.log" |
	sed -n '/^### [a-z]* begin/,/^### [a-z]* end/!p'
wait "$qemu_job"
rc=$?
trap - INT TERM
rm -f "$vmdir/stream.raw"
kill "$watchdog" 2>/dev/null
wait "$watchdog" 2>/dev/null
set -e
frozen=$(cat "$vmdir/frozen" 2>/dev/null || true)
secs=$(echo "$(date +%s.%N) - $start" | bc)
# Split the stream: "### NAME begin" ... "### NAME end" goes to NAME.log
# (dmesg, kmemleak), everything else is the tests' KTAP.
awk -v dir="$vmdir" '
	/^### [a-z]+ begin$/ { sect = dir "/" $2 ".log"; printf "" >sect; next }
	/^### [a-z]+ end$/ { sect = ""; next }
	sect != "" { print >sect; next }
	{ print >(dir "/ktap.log") }
' "$vmdir/stream.log"
touch "$vmdir/ktap.log"

if [ "$mode" = demo ] || [ "$mode" = bench ]; then
	if [ -n "$frozen" ]; then
		echo "  FAIL    $kernel: the runner ended the VM: $frozen"
		exit 1
	fi
	echo "  VM      $kernel: $mode output in $share"
	exit $rc
fi

timed_out=0
[ "$rc" -eq 124 ] || [ "$rc" -eq 137 ] && timed_out=1
"$top/scripts/vm_result.py" --kernel "$name" --vmdir "$vmdir" \
	--timed-out "$timed_out" --timeout "$timeout" --seconds "$secs" \
	--frozen "$frozen"
