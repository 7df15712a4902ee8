#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run checkpatch --strict over every C file and header of the suite. Any
# error, warning or check fails the lint.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
ksrc=$("$top/scripts/ksource.sh") || exit 1
cd "$top" || exit 1

if git rev-parse --git-dir >/dev/null 2>&1; then
	mapfile -t files < <(git ls-files -co --exclude-standard -- '*.c' '*.h')
else
	mapfile -t files < <(find . -path ./out -prune -o -name '*.[ch]' -print | sed 's|^\./||')
fi

# A compat header (<driver>/<prefix>_compat.h) exists to test the kernel
# version, which checkpatch rightly warns about in any other file. It is
# exempt from those two checks and nothing else.
compat_ignore="--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON"

bad=0
for f in "${files[@]}"; do
	[ -f "$f" ] || continue
	extra=
	case $f in *_compat.h) extra=$compat_ignore ;; esac
	# shellcheck disable=SC2086 # extra holds several words on purpose
	out=$(perl "$ksrc/scripts/checkpatch.pl" --no-tree --strict \
		--show-types --terse $extra -f "$f" 2>&1)
	if grep -qE ': (ERROR|WARNING|CHECK):' <<<"$out"; then
		echo "$out"
		bad=$((bad + 1))
	fi
done

echo "  LINT    ${#files[@]} files, $bad with checkpatch --strict findings"
[ "$bad" -eq 0 ]
