#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The L2 guest of make check-e2e (Documentation/e2e.rst), in OUT/e2e:
#
#   bzImage        the small L2 kernel: scripts/sankernel.sh with
#                  kernels/l2.config (same source and cache as the
#                  sanitizer kernel; the first build took 44 min under load)
#   mdpy_fb.ko     the suite's mdpy guest driver, built for that kernel
#   initramfs.gz   busybox, scripts/guest/l2-init as /init, e2e_guest
#                  (built by make selftests) and mdpy_fb.ko
#
# scripts/vm.sh puts bzImage and initramfs.gz into the test VM at /e2e/
# when e2e_test is among its tests.
#
#   e2e-l2.sh OUT
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: e2e-l2.sh OUT}
dst=$out/e2e
guest=$out/selftests/e2e_guest
[ -x "$guest" ] || { echo "e2e-l2.sh: no $guest; run make selftests" >&2; exit 1; }

kdir=$(SANKERNEL_FRAG=$top/kernels/l2.config "$top/scripts/sankernel.sh" build)
rm -rf "$dst"
mkdir -p "$dst/build/mdpy_fb" "$dst/root/bin"
cp "$kdir/bzImage" "$dst/bzImage"

# mdpy_fb alone: the rest of mdpy/ is host side and needs VFIO, which the
# L2 kernel does not have. Kbuild writes next to the sources, so it builds
# in a tree of symlinks with a Kbuild file of its own.
ln -s "$top/mdpy/mdpy_fb.c" "$top/mdpy/mdpy_defs.h" "$top/mdpy/mdpy_compat.h" \
	"$dst/build/mdpy_fb/"
echo 'obj-m += mdpy_fb.o' >"$dst/build/mdpy_fb/Kbuild"
echo "  BUILD   mdpy_fb.ko for L2 ($(cat "$kdir/kernel.release"))"
make -s -C "$kdir/linux" M="$dst/build/mdpy_fb" modules >"$dst/build.log" 2>&1 ||
	{ cat "$dst/build.log" >&2; exit 1; }
cp "$dst/build/mdpy_fb/mdpy_fb.ko" "$dst/mdpy_fb.ko"

root=$dst/root
cp /bin/busybox "$root/bin/busybox"
cp "$top/scripts/guest/l2-init" "$root/init"
cp "$guest" "$dst/mdpy_fb.ko" "$root/"
mkdir -p "$root"/{dev,proc,sys}
(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$dst/initramfs.gz"
echo "  L2      $dst: bzImage $(du -k "$dst/bzImage" | cut -f1) KiB," \
	"initramfs $(du -k "$dst/initramfs.gz" | cut -f1) KiB"
