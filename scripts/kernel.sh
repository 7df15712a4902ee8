#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Resolve a kernel named in kernels.conf to the paths the build and the VM
# runner need. This is the only place that knows how each kind of kernel is
# laid out on disk.
#
#   kernel.sh list [KIND]           the default list's names, in order
#                                   (only those of KIND if given)
#   kernel.sh NAME release|kdir|image|moddir|kind
#   kernel.sh NAME prepare          make the kernel available (may build it)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
conf=$top/kernels.conf

entries() {
	grep -v '^[[:space:]]*\(#\|$\)' "$conf"
}

if [ "${1:-}" = list ]; then
	entries | awk -v kind="${2:-}" '$4 != "optional" && (kind == "" || $2 == kind) { print $1 }'
	exit 0
fi

name=${1:?usage: kernel.sh list | kernel.sh NAME release|kdir|image|moddir|prepare}
field=${2:?usage: kernel.sh NAME release|kdir|image|moddir}
line=$(entries | awk -v n="$name" '$1 == n')
[ -n "$line" ] || { echo "kernel.sh: no kernel '$name' in kernels.conf" >&2; exit 1; }
read -r _ kind pattern _ <<<"$line"

if [ "$field" = kind ]; then
	echo "$kind"
	exit 0
fi

if [ "$field" = prepare ]; then
	case $kind in
	# A fresh machine builds it once (12-15 min), later runs hit the cache.
	sankernel) SANKERNEL_FRAG=$top/$pattern "$top/scripts/sankernel.sh" build >/dev/null ;;
	esac
	exit 0
fi

case $kind in
debian)
	# shellcheck disable=SC2086 # the pattern is a glob on purpose
	release=$(cd /lib/modules 2>/dev/null && ls -d $pattern 2>/dev/null | sort -V | tail -n 1)
	[ -n "$release" ] || { echo "kernel.sh: kernel $name ($pattern) is not installed; run scripts/setup.sh" >&2; exit 1; }
	kdir=/lib/modules/$release/build
	image=/boot/vmlinuz-$release
	moddir=/lib/modules/$release
	;;
sankernel)
	# Built by scripts/sankernel.sh from the fragment named by the pattern;
	# "path" never builds nor uses the network.
	dir=$(SANKERNEL_FRAG=$top/$pattern "$top/scripts/sankernel.sh" path) ||
		{ echo "kernel.sh: kernel $name is not built; run make setup" >&2; exit 1; }
	release=$(cat "$dir/kernel.release")
	kdir=$dir/linux
	image=$dir/bzImage
	moddir=$dir/modules/lib/modules/$release
	;;
*)
	echo "kernel.sh: unknown kind '$kind' for kernel $name" >&2
	exit 1
	;;
esac

case $field in
release) echo "$release" ;;
kdir) echo "$kdir" ;;
image) echo "$image" ;;
moddir) echo "$moddir" ;;
*) echo "kernel.sh: unknown field '$field'" >&2; exit 1 ;;
esac
