#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print make check's summary: a line per step and per kernel, then, alone on
# the last line, "N passed, N failed" totalled over every kernel. Each step
# (lint, the build, the copied directories, the documentation's code, the
# documentation) counts as one test; a kernel whose VM left no result
# counts as one failure. SUMMARY_STEPS names the steps to list (make
# check-e2e has its own).
set -uo pipefail

out=$1
shift
passed=0 failed=0 skipped=0

field() {
	sed -n "s/.*\\b$1=\\([0-9.]*\\).*/\\1/p" "$2"
}

echo
echo "Summary"
for step in ${SUMMARY_STEPS:-lint build copies doc-code docs dkms conform}; do
	r=$(cat "$out/$step.result" 2>/dev/null || echo "not run")
	echo "  $step: $r"
	case $r in
	pass) passed=$((passed + 1)) ;;
	fail) failed=$((failed + 1)) ;;
	esac
done
for k in "$@"; do
	f=$out/vm/$k/result
	if grep -qx "$k" "$out/kernels.failed" 2>/dev/null; then
		echo "  $k: the kernel is not available (its build failed?)"
		failed=$((failed + 1))
		continue
	fi
	if [ ! -f "$f" ]; then
		echo "  $k: no result (the VM did not run or did not finish)"
		failed=$((failed + 1))
		continue
	fi
	p=$(field passed "$f") x=$(field failed "$f")
	s=$(field skipped "$f") t=$(field seconds "$f")
	echo "  $k: $p passed, $x failed, $s skipped (VM $t s)"
	passed=$((passed + p)) failed=$((failed + x)) skipped=$((skipped + s))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
