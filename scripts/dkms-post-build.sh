#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# dkms.conf's POST_BUILD: dkms runs it in its build directory after a build,
# before it deletes that directory. It lists every module the build made,
# installed or not, next to the build directory, so that dkms-check.sh can
# fail when the build makes a module that dkms.conf does not name.
find . -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.gz' -o -name '*.ko.zst' |
	sed 's|.*/||; s|\.ko.*||' | sort >../built-modules.list
