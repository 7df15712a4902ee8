#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make demo: create an mbochs display, program a mode and draw a test
# pattern through its BARs, export the framebuffer as a dma-buf and save
# it as /out/mbochs.png (out/demo/KERNEL/mbochs.png on the host).
parent=/sys/class/mdev_bus/mbochs/mdev_supported_types

for type in mbochs-small mbochs-medium mbochs-large; do
	echo "mbochs: type $type: $(cat "$parent/$type/description" 2>/dev/null)," \
		"available: $(cat "$parent/$type/available_instances" 2>/dev/null)"
done
echo "mbochs: pool (total used available MiB): $(cat /sys/kernel/debug/mbochs/pool)"
/selftests/mbochs_demo /out/mbochs.png || echo "mbochs: demo failed"
echo "mbochs: pool after removal: $(cat /sys/kernel/debug/mbochs/pool)"
