#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the path of a directory holding the few files the suite takes from
# the installed linux-source-6.12 tarball at build time: the kselftest
# harness, checkpatch and its data files, kernel-doc for the documentation,
# and the uapi headers the selftests compile against. Nothing from it is ever
# committed.
#
# The files are extracted once into a cache keyed by the package version, so
# that every clone and every concurrent build shares one copy.
set -euo pipefail

tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n 1)
[ -n "$tarball" ] || { echo "ksource.sh: linux-source-6.12 is not installed; run scripts/setup.sh" >&2; exit 1; }
version=$(dpkg-query -W -f='${Version}' linux-source-6.12)

cache=${XDG_CACHE_HOME:-/var/cache}/vfio-suite
mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ] || cache=$HOME/.cache/vfio-suite
files=(
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest.h
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
	include/uapi/linux/vfio.h
	include/uapi/linux/iommufd.h
	include/uapi/linux/vfio_zdev.h
	scripts/kernel-doc
	# make bench BASELINE=upstream builds these; they are never copied
	# into the repository.
	samples/vfio-mdev/mtty.c
	samples/vfio-mdev/mdpy.c
	samples/vfio-mdev/mdpy-defs.h
	samples/vfio-mdev/mbochs.c
)

# Keyed by the package version and the file list, so that adding a file
# extracts again.
key=$(printf '%s\n' "${files[@]}" | md5sum | cut -c1-8)
dest=$cache/linux-source-6.12-$version-$key

exec 9>"$cache/.ksource.lock"
flock 9
if [ ! -e "$dest/.done" ]; then
	rm -rf "$dest.tmp"
	mkdir -p "$dest.tmp"
	tar -xf "$tarball" -C "$dest.tmp" --strip-components=1 \
		"${files[@]/#/linux-source-6.12/}" >&2
	touch "$dest.tmp/.done"
	rm -rf "$dest"
	mv "$dest.tmp" "$dest"
fi
echo "$dest"
