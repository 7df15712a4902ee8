#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Copy what DKMS needs to build the suite, and nothing else (no out/, no
# .git), to DEST: dkms.conf, the top Kbuild, every module directory and
# dkms.conf's POST_BUILD script.
#
#   dkms-tree.sh DEST
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:?usage: dkms-tree.sh DEST}

mkdir -p "$dest/scripts"
cp -r "$top/dkms.conf" "$top/Kbuild" "$dest/"
cp "$top/scripts/dkms-post-build.sh" "$dest/scripts/"
for kb in "$top"/*/Kbuild; do
	cp -r "$(dirname "$kb")" "$dest/"
done
