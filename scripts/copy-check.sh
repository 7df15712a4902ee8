#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build each driver directory the way a driver author who copied it would:
# the directory alone, in a directory of its own, with nothing else of the
# suite around it, and the plain Kbuild command
#
#	make -C <KDIR> M=<copy>
#
# with no test hooks (VFIO_SUITE_TEST_HOOKS unset: no <p>_debugfs.o may be
# built) and nothing inherited from the calling make.
#
#   copy-check.sh --out DIR [--kdir TREE] [KERNEL...]
#
# Kernels are names from kernels.conf (default: its list); --kdir builds
# for that one tree instead, named "kdir". Copies and logs are kept in
# OUT/copies/<kernel>/<dir>/ and OUT/copies/<kernel>/<dir>.log. A failure
# names the directory and the kernel and shows the first error. Exits
# non-zero if any copy failed to build.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/out kdir_arg=
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift 2 ;;
	--kdir) kdir_arg=$2; shift 2 ;;
	-*) echo "copy-check.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
if [ -n "$kdir_arg" ]; then
	set -- kdir
elif [ $# -eq 0 ]; then
	mapfile -t kernels < <("$top/scripts/kernel.sh" list)
	set -- "${kernels[@]}"
fi

# The module directories: every top-level directory with a Kbuild file.
mapfile -t dirs < <(cd "$top" && for k in */Kbuild; do dirname "$k"; done)

# The files of a directory as a clone would have them: tracked and new
# files, not build products.
list_files() {
	if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$top/$1" && git ls-files -co --exclude-standard -- .)
	else
		(cd "$top/$1" && find . -type f ! -name '*.o' ! -name '*.ko' \
			! -name '*.mod*' ! -name '.*.cmd')
	fi
}

# The first line of a build log that says what went wrong: a compiler or
# modpost error, else make's own complaint, else the last line.
first_error() {
	grep -m1 -E 'error:|ERROR:|No such file|No rule to make|undefined!' "$1" ||
		grep -m1 -E 'Error [0-9]' "$1" || tail -n 1 "$1"
}

failed=0 built=0
for k in "$@"; do
	if [ "$k" = kdir ]; then
		kdir=$kdir_arg
	else
		kdir=$("$top/scripts/kernel.sh" "$k" kdir) || { failed=$((failed + 1)); continue; }
	fi
	for d in "${dirs[@]}"; do
		copy=$out/copies/$k/$d
		log=$out/copies/$k/$d.log
		rm -rf "$copy"
		mkdir -p "$copy"
		(cd "$top/$d" && list_files "$d" | while IFS= read -r f; do
			[ -f "$f" ] || continue
			mkdir -p "$copy/$(dirname "$f")"
			cp "$f" "$copy/$f"
		done)
		# A driver author's shell: no make variables from our caller.
		if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u VFIO_SUITE_TEST_HOOKS \
			make -C "$kdir" M="$copy" -j"$(nproc)" modules >"$log" 2>&1; then
			hooks=$(cd "$copy" && find . -name '*_debugfs.o' | sed 's|^\./||')
			if [ -n "$hooks" ]; then
				echo "  FAIL    copy of $d/ on $k: test hooks built without VFIO_SUITE_TEST_HOOKS: $hooks"
				failed=$((failed + 1))
			else
				echo "  COPY    $d/ on $k: builds alone ($(cd "$copy" && echo *.ko))"
				built=$((built + 1))
			fi
		else
			echo "  FAIL    copy of $d/ on $k does not build alone (make -C $kdir M=$copy); first error:"
			echo "          $(first_error "$log")"
			echo "          whole log: $log"
			failed=$((failed + 1))
		fi
	done
done
echo "  COPY    $built copies built alone, $failed failed"
[ "$failed" -eq 0 ]
