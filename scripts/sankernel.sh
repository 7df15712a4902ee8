#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The sanitizer kernel: the newest upstream source Debian ships, built small
# from tinyconfig plus kernels/sanitizer.config, cached outside the clone.
#
#   scripts/sankernel.sh [build]   ensure a cached build exists, print its dir
#   scripts/sankernel.sh path      print the cached build dir, fail if none
#                                  (never uses the network)
#   scripts/sankernel.sh check DIR verify DIR/linux/.config has the fragment
#
# SANKERNEL_FRAG=FILE builds another fragment of the same source the same
# way, into a cache directory of its own: kernels/l2.config is the small L2
# guest kernel of make check-e2e (scripts/e2e-l2.sh).
#
# Cache layout, one directory per (source version, fragment hash):
#   $CACHE/linux-$VERSION-$HASH/
#     linux/            source + build tree, usable as KDIR (Module.symvers,
#                       scripts, generated headers, modules_prepare done)
#     bzImage           the kernel image
#     modules/lib/modules/$RELEASE/   modules_install output, with modules.dep
#     kernel.release    $RELEASE
#     version           the Debian source package version
#     build.log         the build output
#     .complete         written last: a directory without it is a miss
#
# A hit needs no network: the newest complete build of $SERIES with the
# current fragment hash is used as is. SANKERNEL_REFRESH=1 asks the archive
# for a newer source version first (and builds only if there is one).
set -euo pipefail

# The one line to change for a newer series.
SERIES=7.2

MIRROR=${SANKERNEL_MIRROR:-http://deb.debian.org/debian}
SUITE=${SANKERNEL_SUITE:-unstable}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
JOBS=${SANKERNEL_JOBS:-2}

top=$(cd "$(dirname "$0")/.." && pwd)
frag=${SANKERNEL_FRAG:-$top/kernels/sanitizer.config}
CACHE=${XDG_CACHE_HOME:-/var/cache}/vfio-suite
mkdir -p "$CACHE" 2>/dev/null && [ -w "$CACHE" ] || CACHE=$HOME/.cache/vfio-suite

log() { echo "sankernel: $*" >&2; }
die() { log "error: $*"; exit 1; }

frag_hash() { sha256sum "$frag" | cut -c1-12; }

# Newest complete build of $SERIES for the current fragment, or nothing.
cached_dir() {
	local h d best=
	h=$(frag_hash)
	for d in "$CACHE"/linux-"$SERIES".*-"$h"; do
		[ -f "$d/.complete" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$d" | sed '/^$/d' | sort -V | tail -n 1)
	done
	[ -n "$best" ] && echo "$best"
}

# A complete build of source version $1 with any fragment, or nothing.
seed_dir() {
	local d
	for d in "$CACHE"/linux-"$1"-*; do
		[ -f "$d/.complete" ] && { echo "$d"; return; }
	done
	return 0
}

# Run apt-get/apt-cache against a throwaway sources list holding only
# $SUITE. Lists, caches and the sources list live in $aptdir, so the
# system's apt state is never read for sources nor written.
apt_tmp() {
	local tool=$1
	shift
	"$tool" -q \
		-o Dir::Etc::sourcelist="$aptdir/sources.list" \
		-o Dir::Etc::sourceparts=- \
		-o Dir::State::Lists="$aptdir/lists" \
		-o Dir::Cache="$aptdir/cache" \
		-o Dir::Cache::archives="$aptdir/archives" \
		-o APT::Get::List-Cleanup=0 \
		-o APT::Sandbox::User="$(id -un)" \
		"$@"
}

# Resolve the newest linux-source-$SERIES version in $SUITE; sets $version.
resolve_version() {
	aptdir=$(mktemp -d "${TMPDIR:-/tmp}/sankernel-apt.XXXXXX")
	mkdir -p "$aptdir/lists/partial" "$aptdir/cache" "$aptdir/archives/partial"
	echo "deb [signed-by=$KEYRING] $MIRROR $SUITE main" >"$aptdir/sources.list"
	# Quiet unless it fails: make check prints what matters only.
	apt_tmp apt-get update >"$aptdir/update.log" 2>&1 || {
		cat "$aptdir/update.log" >&2
		die "apt-get update for $SUITE failed"
	}
	version=$(apt_tmp apt-cache madison "linux-source-$SERIES" |
		awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | sort -V | tail -n 1)
	[ -n "$version" ] || die "no linux-source-$SERIES in $SUITE"
	log "newest linux-source-$SERIES in $SUITE: $version"
}

# Download and unpack the source .deb into $1 (a fresh directory).
fetch_source() {
	local dst=$1 t0 deb
	t0=$(date +%s)
	(cd "$dst" && apt_tmp apt-get download "linux-source-$SERIES=$version") \
		>"$dst/download.log" 2>&1 || {
		cat "$dst/download.log" >&2
		die "apt-get download linux-source-$SERIES=$version failed"
	}
	deb=$(ls "$dst"/linux-source-"$SERIES"_*.deb)
	log "downloaded $(basename "$deb") in $(($(date +%s) - t0)) s"
	dpkg-deb -x "$deb" "$dst/deb"
	rm -f "$deb"
	mkdir "$dst/linux"
	tar -xf "$dst/deb/usr/src/linux-source-$SERIES.tar.xz" -C "$dst/linux" \
		--strip-components=1
	rm -rf "$dst/deb"
	log "fetched and unpacked in $(($(date +%s) - t0)) s"
}

# Fail loudly unless every option the fragment states is in the .config.
check_config() {
	local cfg=$1 line opt bad=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			grep -qxF -- "$line" "$cfg" || {
				log "fragment wants '$line', .config has:" \
					"'$(grep -E "^(# )?${line%%=*}[= ]" "$cfg" || echo unset)'"
				bad=1
			}
			;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }
			opt=${opt%% *}
			if grep -q "^$opt=" "$cfg"; then
				log "fragment wants $opt unset, .config has: $(grep "^$opt=" "$cfg")"
				bad=1
			fi
			;;
		esac
	done <"$frag"
	[ "$bad" -eq 0 ] || die "kernel config does not match $frag"
	log "all options in $(basename "$frag") are set as stated"
}

build() {
	local dir=$1 t0 m
	m=(nice -n 19 make -C "$dir/linux" -j"$JOBS")
	t0=$(date +%s)
	"${m[@]}" tinyconfig
	"$dir/linux/scripts/kconfig/merge_config.sh" -m -O "$dir/linux" \
		"$dir/linux/.config" "$frag"
	"${m[@]}" olddefconfig
	check_config "$dir/linux/.config"
	"${m[@]}" bzImage modules
	"${m[@]}" modules_prepare
	"${m[@]}" INSTALL_MOD_PATH="$dir/modules" INSTALL_MOD_STRIP=1 modules_install
	cp "$dir/linux/arch/x86/boot/bzImage" "$dir/bzImage"
	"${m[@]}" -s kernelrelease >"$dir/kernel.release"
	[ -f "$dir/modules/lib/modules/$(cat "$dir/kernel.release")/modules.dep" ] ||
		die "modules_install left no modules.dep"
	log "built in $(($(date +%s) - t0)) s"
}

ensure() {
	local d h seed
	mkdir -p "$CACHE"
	# One lock per fragment: building one kernel must not hold up a cache
	# hit on another (a seed tree is only ever read once it is complete).
	exec 9>"$CACHE/.lock-$(frag_hash)"
	flock 9
	d=$(cached_dir) || true
	if [ -n "$d" ] && [ "${SANKERNEL_REFRESH:-0}" != 1 ]; then
		log "cache hit: $d"
		echo "$d"
		return
	fi
	resolve_version
	h=$(frag_hash)
	d=$CACHE/linux-$version-$h
	if [ -f "$d/.complete" ]; then
		log "cache hit: $d"
		rm -rf "$aptdir"
		echo "$d"
		return
	fi
	rm -rf "$d"
	mkdir -p "$d"
	seed=$(seed_dir "$version")
	if [ -n "$seed" ]; then
		# Same source, another fragment: Kbuild rebuilds only what the
		# changed options touch, so start from that tree.
		log "cache miss: building $d from the tree of $seed"
		cp -a "$seed/linux" "$d/linux"
	else
		log "cache miss: building $d (12-15 min on 2 idle cores)"
		fetch_source "$d"
	fi
	rm -rf "$aptdir"
	echo "$version" >"$d/version"
	log "build output: $d/build.log"
	# In the background so that set -e stays in force inside build().
	build "$d" >"$d/build.log" 2>&1 &
	if ! wait $!; then
		tail -n 40 "$d/build.log" >&2
		die "the build failed; see $d/build.log"
	fi
	grep '^sankernel:' "$d/build.log" >&2 || true
	touch "$d/.complete"
	echo "$d"
}

case "${1:-build}" in
build)
	ensure
	;;
path)
	cached_dir || die "no cached build; run scripts/sankernel.sh build"
	;;
check)
	check_config "${2:?usage: sankernel.sh check DIR}/linux/.config"
	;;
*)
	die "usage: sankernel.sh [build|path|check DIR]"
	;;
esac
