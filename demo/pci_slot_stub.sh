#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make demo: show how pci_slot_stub grouped the VM's PCI functions into
# device sets (vfio-pci's rule), what each can reset, and the request path
# when a held device is unbound.
drv=/sys/bus/pci/drivers/pci_slot_stub
dbg=/sys/kernel/debug/pci_slot_stub

[ -d "$drv" ] || { echo "pci_slot_stub: not loaded"; exit 0; }

echo "pci_slot_stub: pciehp/shpchp slots:"
for s in /sys/bus/pci/slots/*; do
	[ -e "$s/address" ] || continue
	case $(cat "$s/address") in
	*:02:*) ;;	# shpchp's 31 slots on the bridge: too many to list
	*) echo "  slot $(basename "$s") at $(cat "$s/address")" ;;
	esac
done

echo "pci_slot_stub: bound functions, their set and their reset methods:"
for d in "$drv"/0000:*; do
	[ -e "$d" ] || continue
	dev=$(basename "$d")
	echo "  $dev set=$(cat "$dbg/$dev/set_kind")" \
		"members=$(tr '\n' ' ' <"$dbg/$dev/set_members")" \
		"group=$(basename "$(readlink "$d/iommu_group")")" \
		"reset_method=$(cat "$d/reset_method" 2>/dev/null)"
done

# A set follows binding: an unbound function leaves it, and a slot or bus
# reset is then refused until it is bound again.
dev=0000:02:02.0
if [ -e "$drv/$dev" ]; then
	echo "$dev" >"$drv/unbind"
	echo "pci_slot_stub: unbound $dev; 0000:02:01.0's set is now:" \
		"$(tr '\n' ' ' <"$dbg/0000:02:01.0/set_members")"
	echo "$dev" >"$drv/bind"
	echo "pci_slot_stub: bound $dev again; the set is:" \
		"$(tr '\n' ' ' <"$dbg/0000:02:01.0/set_members")"
fi

# Hot reset and reset on last close, through VFIO (a C program: sh can't
# issue the ioctls).
[ -x /selftests/pci_slot_stub_demo ] && /selftests/pci_slot_stub_demo
