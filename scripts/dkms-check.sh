#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Check that the suite installs with DKMS on every kernel named (names from
# kernels.conf; default: all of them), the way a user would:
#
#   copy the tree to /usr/src/vfio-suite-VERSION, dkms add, then per kernel
#   dkms build and dkms install; every module dkms.conf names must land under
#   /lib/modules/RELEASE, be the one modinfo finds there, and carry that
#   kernel's vermagic; every .ko the build produced must be named in
#   dkms.conf. Finally dkms remove --all, which must take every file away.
#
#   dkms-check.sh [--out DIR] [--depmod] [KERNEL...]
#
# By default dkms runs with --no-depmod: depmod over Debian 6.12's
# compressed module tree costs 10 to 25 s per call, twice per kernel, and
# tests depmod, not the suite. Without it the host's modules.dep never sees
# the modules, so removing them leaves it as it was. --depmod runs the
# full path and also checks that modinfo resolves each module to the dkms
# copy (depmod ranks updates/ above the kernel's own tree).
#
# DKMS state is machine-wide (/usr/src, /var/lib/dkms, /lib/modules), so
# runs are serialized by a lock and anything a crashed run left is removed
# first. Needs root: it re-runs itself with sudo when it can.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/out depmod=--no-depmod
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift 2 ;;
	--depmod) depmod=''; shift ;;
	*) break ;;
	esac
done
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 ||
		{ echo "dkms-check: needs root" >&2; exit 1; }
	exec sudo "$0" --out "$out" ${depmod:+--depmod} "$@"
fi
[ $# -gt 0 ] || set -- $("$top/scripts/kernel.sh" list)
# DKMS builds against /lib/modules/REL/build: installed kernels only, not
# the sanitizer kernel that lives in a cache.
kernels=()
for k in "$@"; do
	if [ "$("$top/scripts/kernel.sh" "$k" kind)" = debian ]; then
		kernels+=("$k")
	else
		echo "  DKMS    $k: skipped, not an installed kernel"
	fi
done
set -- "${kernels[@]}"

conf=$top/dkms.conf
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"$/\1/p' "$conf")
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$conf")
[ -n "$name" ] && [ -n "$version" ] ||
	{ echo "dkms-check: no PACKAGE_NAME/PACKAGE_VERSION in $conf" >&2; exit 1; }
mapfile -t modules < <(bash -c '. "$1"; printf "%s\n" "${BUILT_MODULE_NAME[@]}"' _ "$conf")
[ ${#modules[@]} -gt 0 ] || { echo "dkms-check: dkms.conf names no module" >&2; exit 1; }

src=/usr/src/$name-$version
dkms_tree=/var/lib/dkms
logdir=$out/dkms
mkdir -p "$logdir"

exec 9>/run/lock/vfio-suite-dkms.lock
flock 9

cleanup() {
	dkms remove -m "$name" -v "$version" --all >/dev/null 2>&1 || true
	rm -rf "$src" "${dkms_tree:?}/$name"
}
cleanup
trap cleanup EXIT

fail() {
	echo "  DKMS    FAIL: $*"
	exit 1
}

"$top/scripts/dkms-tree.sh" "$src"

dkms add -m "$name" -v "$version" >"$logdir/add.log" 2>&1 ||
	{ cat "$logdir/add.log"; fail "dkms add"; }

for k in "$@"; do
	rel=$("$top/scripts/kernel.sh" "$k" release)
	log=$logdir/$rel.log
	if ! dkms build -m "$name" -v "$version" -k "$rel" >"$log" 2>&1; then
		cat "$log" "$dkms_tree/$name/$version/build/make.log" 2>/dev/null
		fail "$rel: dkms build"
	fi

	# Every module the build made must be one dkms installs. POST_BUILD
	# listed them before dkms deleted its build directory.
	list=$dkms_tree/$name/$version/built-modules.list
	[ -s "$list" ] || fail "$rel: POST_BUILD left no $list"
	while IFS= read -r m; do
		printf '%s\n' "${modules[@]}" | grep -qx "$m" ||
			fail "$rel: the build made $m.ko, which dkms.conf does not name"
	done <"$list"
	rm -f "$list"

	# shellcheck disable=SC2086 # empty or one option
	dkms install $depmod -m "$name" -v "$version" -k "$rel" >>"$log" 2>&1 ||
		{ cat "$log"; fail "$rel: dkms install"; }

	# Each module is installed for this kernel, built for it, and (after
	# depmod) the one modprobe would load.
	for m in "${modules[@]}"; do
		file=$(ls "/lib/modules/$rel/updates/dkms/$m.ko"* 2>/dev/null | head -n 1)
		[ -n "$file" ] || fail "$rel: no $m.ko under /lib/modules/$rel/updates/dkms"
		vermagic=$(modinfo -F vermagic "$file")
		[ "${vermagic%% *}" = "$rel" ] ||
			fail "$rel: $file has vermagic $vermagic"
		[ -n "$depmod" ] && continue
		found=$(modinfo -k "$rel" -F filename "$m" 2>/dev/null) ||
			fail "$rel: modinfo finds no $m after dkms install"
		[ "$found" = "$file" ] || fail "$rel: $m resolves to $found, not $file"
	done
	dkms status -m "$name" -v "$version" -k "$rel" 2>/dev/null | grep -q ': installed' ||
		fail "$rel: dkms status does not say installed"
	echo "  DKMS    $rel: ${#modules[@]} modules built and installed (${modules[*]})"
done

# shellcheck disable=SC2086
dkms remove $depmod -m "$name" -v "$version" --all >"$logdir/remove.log" 2>&1 ||
	{ cat "$logdir/remove.log"; fail "dkms remove --all"; }
for k in "$@"; do
	rel=$("$top/scripts/kernel.sh" "$k" release)
	for m in "${modules[@]}"; do
		left=$(find "/lib/modules/$rel/updates/dkms" -name "$m.ko*" 2>/dev/null || true)
		[ -z "$left" ] || fail "$rel: $left is left after dkms remove"
	done
done
echo "  DKMS    removed from every kernel"
