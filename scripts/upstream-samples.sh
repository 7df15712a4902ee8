#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the kernel's own samples/vfio-mdev modules (mtty, mdpy, mbochs) from
# the installed linux-source package, for make bench BASELINE=upstream. The
# sources are taken from the tarball at bench time and never committed.
#
#   upstream-samples.sh KERNEL DESTDIR
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kernel=$1 dest=$2
ksrc=$("$top/scripts/ksource.sh")
kdir=$("$top/scripts/kernel.sh" "$kernel" kdir)

rm -rf "$dest"
mkdir -p "$dest"
cp "$ksrc"/samples/vfio-mdev/{mtty.c,mdpy.c,mdpy-defs.h,mbochs.c} "$dest/"
echo 'obj-m := mtty.o mdpy.o mbochs.o' >"$dest/Kbuild"
make -s -C "$kdir" M="$dest" modules 2>&1 | grep -v 'Skipping BTF' || true
ls "$dest"/{mtty,mdpy,mbochs}.ko >/dev/null
