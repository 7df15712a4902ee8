#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make demo: create one mdpy display of each type, save what it shows as a
# PNG in the output directory (read back the way QEMU's display=on reads
# it: the graphics plane query, then the region it names), and remove it.
# A fresh display shows the test pattern of mdpy/mdpy_defs.h: an orange
# frame, eight colour bars, a grey ramp.
parent=/sys/class/mdev_bus/mdpy/mdev_supported_types
out=/out

for type in mdpy-vga mdpy-xga mdpy-fhd; do
	t=$parent/$type
	uuid=$(cat /proc/sys/kernel/random/uuid)
	echo "mdpy: type $type: $(cat "$t/description")"
	echo "$uuid" >"$t/create" || { echo "mdpy: create failed"; continue; }
	/selftests/mdpy_snapshot "$uuid" "$out/$type.png" ||
		echo "mdpy: snapshot of $type failed"
	echo 1 >/sys/bus/mdev/devices/$uuid/remove
done
ls -l "$out"/mdpy-*.png
