#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Print the module files (relative to MODDIR) that NAMES need, dependencies
first, using MODDIR/modules.dep. Names the kernel has built in, or doesn't
have, are skipped: the guest's modprobe tells those apart."""
import os
import sys


def modname(path):
    base = os.path.basename(path)
    for ext in ('.ko.xz', '.ko.zst', '.ko.gz', '.ko'):
        if base.endswith(ext):
            base = base[:-len(ext)]
    return base.replace('-', '_')


def main():
    moddir, names = sys.argv[1], sys.argv[2:]
    deps, paths = {}, {}
    with open(os.path.join(moddir, 'modules.dep')) as f:
        for line in f:
            mod, _, rest = line.partition(':')
            deps[mod] = rest.split()
            paths[modname(mod)] = mod
    order, seen = [], set()

    def visit(path):
        if path in seen:
            return
        seen.add(path)
        for d in deps.get(path, []):
            visit(d)
        order.append(path)

    for n in names:
        n = n.replace('-', '_')
        if n in paths:
            visit(paths[n])
    print('\n'.join(order))


main()
