#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turn bench.jsonl (from bench/run.sh in the VM) into a table on the
terminal, bench.json and bench.png in the same directory.

Each of the suite's figures is shown next to the upstream sample's, when
the run had a baseline, as a ratio (ours / upstream: below 1 is faster),
and every per-access figure also as a multiple of the syscall floor."""
import json
import os
import sys

# Figures that are one access each, compared with a syscall.
PER_ACCESS = {'cfg_read_4B': 'pread_4B_devzero'}


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith('{'):
                rows.append(json.loads(line))
    return rows


def key(r):
    n = r.get('n')
    return (r['driver'], r['what'] + (f' n={n}' if n else ''))


def fmt(r):
    if r is None:
        return '-'
    if 'skipped' in r:
        return 'n/a'
    spread = (r['max'] - r['min']) / r['median'] * 100 if r['median'] else 0
    return f"{r['median']:.2f} {r['unit']} ±{spread:.0f}%"


def main():
    d = sys.argv[1]
    rows = load(os.path.join(d, 'bench.jsonl'))
    ours = {key(r): r for r in rows if r['impl'] == 'ours'}
    up = {key(r): r for r in rows if r['impl'] == 'upstream'}
    floor = {r['what']: r['median'] for r in rows if r['driver'] == 'floor'}
    # Upstream's drivers have the same names as ours (mtty, mdpy, mbochs).
    table = []
    for k, r in ours.items():
        u = up.get(k)
        entry = {'driver': k[0], 'what': k[1], 'ours': r, 'upstream': u}
        if u and 'skipped' not in u and 'skipped' not in r and u['median']:
            entry['ratio'] = r['median'] / u['median']
        base = PER_ACCESS.get(r['what'])
        if base in floor and 'skipped' not in r:
            entry['x_floor'] = r['median'] / floor[base]
        table.append(entry)
    for k, u in up.items():
        if k not in ours:
            table.append({'driver': k[0], 'what': k[1], 'ours': None,
                          'upstream': u})

    w = max([len(f"{e['driver']} {e['what']}") for e in table] + [10])
    print(f"{'measurement':<{w}}  {'ours':>20}  {'upstream':>20}  "
          f"{'ours/up':>8}  {'x floor':>8}")
    for e in table:
        name = f"{e['driver']} {e['what']}"
        ratio = f"{e['ratio']:.2f}" if 'ratio' in e else '-'
        xf = f"{e['x_floor']:.1f}" if 'x_floor' in e else '-'
        print(f"{name:<{w}}  {fmt(e['ours']):>20}  {fmt(e['upstream']):>20}  "
              f"{ratio:>8}  {xf:>8}")

    with open(os.path.join(d, 'bench.json'), 'w') as f:
        json.dump({'floor': floor, 'results': table}, f, indent=1)

    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        print('bench: python3-matplotlib is missing; no chart')
        return 0
    shown = [e for e in table if e['ours'] and 'skipped' not in e['ours']]
    labels = [f"{e['driver']}\n{e['what']}" for e in shown]
    o = [e['ours']['median'] for e in shown]
    u = [e['upstream']['median'] if e.get('upstream') and
         'skipped' not in e['upstream'] else 0 for e in shown]
    fig, ax = plt.subplots(figsize=(max(8, len(shown) * 0.9), 6))
    x = range(len(shown))
    ax.bar([i - 0.2 for i in x], o, 0.4, label='ours')
    if any(u):
        ax.bar([i + 0.2 for i in x], u, 0.4, label='upstream samples')
    ax.set_yscale('log')
    ax.set_xticks(list(x))
    ax.set_xticklabels(labels, rotation=60, ha='right', fontsize=7)
    ax.set_ylabel('median (unit per measurement, log scale; lower is better)')
    for i, e in enumerate(shown):
        ax.annotate(e['ours']['unit'], (i, o[i]), fontsize=6, ha='center',
                    va='bottom')
    ax.set_title(f"make bench ({os.path.basename(d)}); floor: pread "
                 f"{floor.get('pread_4B_devzero', 0):.0f} ns, ioctl "
                 f"{floor.get('empty_ioctl', 0):.0f} ns")
    ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(d, 'bench.png'), dpi=110)
    print(f"bench: table above; {d}/bench.json and {d}/bench.png")
    return 0


sys.exit(main())
