#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install every Debian package the suite needs. Idempotent: when everything
# is already installed it does nothing and says so.
#
# The Debian 6.12 kernel's ABI number changes with each point release, so it
# is resolved here, at install time, to the newest one the archive serves.
set -euo pipefail

PKGS=(
	# Debian 6.1: the bookworm default kernel.
	linux-image-amd64 linux-headers-amd64
	# Lint and kselftest_harness.h come from this source tarball.
	linux-source-6.12
	# The test VM.
	qemu-system-x86 busybox-static cpio xz-utils zstd kmod
	# Build and lint.
	build-essential sparse perl python3
	# make bench's chart.
	python3-matplotlib
	# The sanitizer kernel build (scripts/sankernel.sh).
	bc bison flex libelf-dev libssl-dev dwarves debian-archive-keyring
	# Real clients and packaging: the docs, DKMS, mdevctl.
	python3-sphinx dkms mdevctl
)

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		echo "setup.sh: installing packages needs root; run as root or install sudo" >&2
		exit 1
	fi
}

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done

# The 6.12 kernel: take the newest +deb12 generic image the archive serves,
# unless one is installed already.
if ! ls /boot/vmlinuz-6.12.*+deb12-amd64 >/dev/null 2>&1; then
	if ! apt-cache show linux-source-6.12 >/dev/null 2>&1; then
		as_root apt-get update -q
	fi
	abi=$(apt-cache search --names-only '^linux-image-6\.12\..*\+deb12-amd64-unsigned$' |
		sed -n 's/^linux-image-\(6\.12\.[0-9]*+deb12\)-amd64-unsigned .*/\1/p' |
		sort -V | tail -n 1)
	if [ -z "$abi" ]; then
		echo "setup.sh: no linux-image-6.12.*+deb12-amd64-unsigned in the archive" >&2
		exit 1
	fi
	missing+=("linux-image-$abi-amd64-unsigned" "linux-headers-$abi-amd64")
fi

if [ ${#missing[@]} -eq 0 ]; then
	# Nothing to do: stay quiet, every make target runs this.
	exit 0
fi

echo "setup.sh: installing ${missing[*]}"
[ -n "${abi:-}" ] || as_root apt-get update -q
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	--no-install-recommends "${missing[@]}"
