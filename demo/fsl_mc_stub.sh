#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make demo: build a small fsl-mc topology at runtime, show that a container
# and its objects share one VFIO device set and one interrupt pool, and that
# a nested container has its own, then take it all down again.
bus=/sys/devices/fsl_mc_stub
dbg=/sys/kernel/debug/fsl_mc_stub
[ -w $bus/create ] || { echo "fsl_mc_stub: not loaded"; exit 0; }

create() {
	echo "$1 $2" >$bus/create && echo "fsl_mc_stub: created $2 in $1"
}

create dprc.1 dprc.2
create dprc.2 dpni.3
create dprc.2 dpio.4
create dprc.2 dpbp.5
create dprc.2 dprc.6
create dprc.6 dpcon.7
echo "fsl_mc_stub: bad requests get clean errors:"
echo "dprc.9 dpni.8" >$bus/create || echo "  (missing parent)"
echo "dprc.2 dpni.03" >$bus/create || echo "  (bad name)"
echo "dprc.2" >$bus/destroy || echo "  (container still has objects)"

echo "fsl_mc_stub: the device set of each object (key, core set; its members):"
for d in dprc.2 dpni.3 dpio.4 dpbp.5 dprc.6 dpcon.7; do
	echo "  $d: $(cat $dbg/$d/dev_set); $(tr '\n' ' ' <$dbg/$d/set_members)"
done

/selftests/fsl_mc_stub_demo dprc.2 dprc.2 dpni.3 dpio.4 dpbp.5

for d in dpcon.7 dprc.6 dpbp.5 dpio.4 dpni.3 dprc.2; do
	echo $d >$bus/destroy && echo "fsl_mc_stub: destroyed $d"
done
