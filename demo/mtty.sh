#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make demo: create one mtty device of each type, show what the mdev core
# and the driver report about it, and remove it.
parent=/sys/class/mdev_bus/mtty/mdev_supported_types

for type in mtty-1 mtty-2; do
	t=$parent/$type
	uuid=$(cat /proc/sys/kernel/random/uuid)
	echo "mtty: type $type: $(cat "$t/description"), available: $(cat "$t/available_instances")"
	echo "$uuid" >"$t/create" || { echo "mtty: create failed"; continue; }
	echo "mtty: created $uuid; available now: $(cat "$t/available_instances")"
	echo "mtty: iommu group $(basename "$(readlink /sys/bus/mdev/devices/$uuid/iommu_group)")," \
		"opened $(cat /sys/kernel/debug/mtty/$uuid/open_count) time(s)"
	echo 1 >/sys/bus/mdev/devices/$uuid/remove
	echo "mtty: removed $uuid; available again: $(cat "$t/available_instances")"
done
