#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make demo: for each mtty type, create two devices, use the first the
# way a VMM would (PCI identity, a line through each port, an INTx on
# data ready), migrate it into the second, and remove both.
parent=/sys/class/mdev_bus/mtty/mdev_supported_types

for type in mtty-1 mtty-2; do
	t=$parent/$type
	src=$(cat /proc/sys/kernel/random/uuid)
	dst=$(cat /proc/sys/kernel/random/uuid)
	echo "mtty: type $type: $(cat "$t/description"), available: $(cat "$t/available_instances")"
	echo "$src" >"$t/create" && echo "$dst" >"$t/create" ||
		{ echo "mtty: create failed"; continue; }
	echo "mtty: created $src and $dst; available now: $(cat "$t/available_instances")," \
		"mtty-1: $(cat "$parent/mtty-1/available_instances")"
	/selftests/mtty_demo "$src" "$dst"
	echo "mtty: $src opened $(cat /sys/kernel/debug/mtty/$src/open_count) time(s)," \
		"holds $(cat /sys/kernel/debug/mtty/$src/eventfds) eventfd(s) after close"
	echo 1 >/sys/bus/mdev/devices/$src/remove
	echo 1 >/sys/bus/mdev/devices/$dst/remove
	echo "mtty: removed both; available again: $(cat "$t/available_instances")"
done
