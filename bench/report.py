#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turn bench.jsonl (from bench/run.sh in the VM) into a table on the
terminal, bench.json and bench.png in the same directory.

    report.py BENCHDIR [VMDIR]

Each of the suite's figures is shown with its spread, next to the upstream
sample's when the run had a baseline, as a ratio (ours / upstream: below 1
is faster), and every time as a multiple of the syscall floor measured in
the same VM. Derived rows: how the per-instance cost at the largest n
compares with the smallest (flat is 1).

With VMDIR, the kernel's console log is searched for the same reports the
test runner fails on (a hung task, a WARNING...). Figures from a run that
did not reach its end, or in which the kernel complained while the suite's
drivers were measured, are printed but the exit status is 1. Reports after
bench/run.sh's marker come from the upstream samples: they are shown as
theirs and do not fail the run."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'scripts'))
from vm_result import REPORT_RE  # noqa: E402

# Which floor a figure is a multiple of: an ioctl-driven operation against
# the empty ioctl, everything else (reads, writes, faults) against a pread.
IOCTL_FLOOR = {'open_close', 'open_close_at_n', 'dmabuf_get_close'}
TO_NS = {'ns': 1, 'us': 1000}


def load(path):
    rows, done = [], False
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith('{'):
                continue
            r = json.loads(line)
            if r.get('done'):
                done = True
            else:
                rows.append(r)
    return rows, done


def name(r):
    dev = f" {r['device']}" if 'device' in r else ''
    return f"{r['driver']}{dev}"


def key(r):
    n = r.get('n')
    return (name(r), r['what'] + (f' n={n}' if n else ''))


def fmt(r):
    if r is None:
        return '-'
    if 'skipped' in r:
        return 'n/a'
    if r['rounds'] < 2:
        return f"{r['median']:.2f} {r['unit']}"
    spread = (r['max'] - r['min']) / r['median'] * 100 if r['median'] else 0
    return f"{r['median']:.2f} {r['unit']} ±{spread:.0f}%"


def usable(r):
    return r is not None and 'skipped' not in r


def scale_ratios(rows, impl):
    """Per-instance cost at the largest n over the smallest, per figure."""
    by = {}
    for r in rows:
        if r['impl'] == impl and 'n' in r and usable(r) and r['unit'] != 'KiB':
            by.setdefault((name(r), r['what']), []).append(r)
    out = {}
    for (drv, what), rs in by.items():
        rs.sort(key=lambda r: r['n'])
        lo, hi = rs[0], rs[-1]
        if hi['n'] > lo['n'] and lo['median']:
            out[(drv, f"{what} n={hi['n']}/n={lo['n']}")] = {
                'impl': impl, 'unit': 'x', 'rounds': 1,
                'median': hi['median'] / lo['median']}
    return out


UPSTREAM_MARK = 'vfio-suite: bench: the upstream samples from here'


def kernel_reports(vmdir):
    """The kernel's reports while ours, then the samples, were measured."""
    ours, upstream = [], []
    found = ours
    try:
        with open(os.path.join(vmdir, 'console.log'), errors='replace') as f:
            for ln in f:
                if UPSTREAM_MARK in ln:
                    found = upstream
                elif REPORT_RE.search(ln):
                    found.append(ln.rstrip())
    except FileNotFoundError:
        pass
    return ours, upstream


def chart(d, table, floor):
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        print('bench: python3-matplotlib is missing; no chart')
        return
    # One panel per kind of figure, so that no axis mixes units.
    panels = [('time per operation (us, log; lower is better)',
               lambda e: e['ours']['unit'] in TO_NS,
               lambda r: r['median'] * TO_NS[r['unit']] / 1000, True),
              ('ratios (x)',
               lambda e: e['ours']['unit'] == 'x',
               lambda r: r['median'], False),
              ('KiB per idle instance',
               lambda e: e['ours']['unit'] == 'KiB',
               lambda r: r['median'], False)]
    shown = [[e for e in table if usable(e['ours']) and sel(e)]
             for _, sel, _, _ in panels]
    widths = [max(len(s), 1) for s in shown]
    fig, axes = plt.subplots(1, 3, figsize=(max(12, sum(widths) * 0.45), 7),
                             gridspec_kw={'width_ratios': widths})
    for ax, (title, _, val, log), rows in zip(axes, panels, shown):
        x = range(len(rows))
        o = [val(e['ours']) for e in rows]
        u = [val(e['upstream']) if usable(e.get('upstream')) else 0
             for e in rows]
        ax.bar([i - 0.2 for i in x], o, 0.4, label='ours')
        if any(u):
            ax.bar([i + 0.2 for i in x], u, 0.4, label='upstream samples')
        if log and rows:
            ax.set_yscale('log')
        ax.set_xticks(list(x))
        ax.set_xticklabels([f"{e['driver']}\n{e['what']}" for e in rows],
                           rotation=70, ha='right', fontsize=6)
        ax.set_title(title, fontsize=9)
        ax.legend(fontsize=7)
    fig.suptitle(f"make bench ({os.path.basename(d)}); floor: pread "
                 f"{floor.get('pread_4B_devzero', 0):.0f} ns, ioctl "
                 f"{floor.get('empty_ioctl', 0):.0f} ns")
    fig.tight_layout()
    fig.savefig(os.path.join(d, 'bench.png'), dpi=110)


def main():
    d = sys.argv[1]
    rows, done = load(os.path.join(d, 'bench.jsonl'))
    reports, up_reports = (kernel_reports(sys.argv[2]) if len(sys.argv) > 2
                           else ([], []))
    ours = {key(r): r for r in rows if r['impl'] == 'ours'}
    up = {key(r): r for r in rows if r['impl'] == 'upstream'}
    ours.update(scale_ratios(rows, 'ours'))
    up.update(scale_ratios(rows, 'upstream'))
    floor = {r['what']: r['median'] for r in rows if r['driver'] == 'floor'}

    table = []
    for k, r in ours.items():
        u = up.get(k)
        entry = {'driver': k[0], 'what': k[1], 'ours': r, 'upstream': u}
        if usable(u) and usable(r) and u['median'] > 0 and r['median'] > 0:
            entry['ratio'] = r['median'] / u['median']
        base = 'empty_ioctl' if r.get('what') in IOCTL_FLOOR else 'pread_4B_devzero'
        if (usable(r) and r['unit'] in TO_NS and floor.get(base) and
                k[0] != 'floor'):
            entry['x_floor'] = r['median'] * TO_NS[r['unit']] / floor[base]
        table.append(entry)
    for k, u in up.items():
        if k not in ours:
            table.append({'driver': k[0], 'what': k[1], 'ours': None,
                          'upstream': u})

    w = max([len(f"{e['driver']} {e['what']}") for e in table] + [10])
    print(f"{'measurement':<{w}}  {'ours':>20}  {'upstream':>20}  "
          f"{'ours/up':>8}  {'x floor':>8}")
    for e in table:
        ratio = f"{e['ratio']:.2f}" if 'ratio' in e else '-'
        xf = f"{e['x_floor']:.1f}" if 'x_floor' in e else '-'
        print(f"{e['driver'] + ' ' + e['what']:<{w}}  {fmt(e['ours']):>20}  "
              f"{fmt(e['upstream']):>20}  {ratio:>8}  {xf:>8}")
    print("± is (max-min)/median. ours/up: below 1 is faster for a time, "
          "above 1 is better for a speed-up. x floor: the median over the "
          "empty ioctl (open/close, dma-buf) or the 4-byte pread of "
          "/dev/zero (the rest).")

    with open(os.path.join(d, 'bench.json'), 'w') as f:
        json.dump({'floor': floor, 'complete': done,
                   'kernel_reports': reports,
                   'upstream_kernel_reports': up_reports,
                   'results': table}, f, indent=1)
    chart(d, table, floor)
    print(f"bench: {d}/bench.json and {d}/bench.png")

    if up_reports:
        print(f'bench: the upstream samples made the kernel report '
              f'{len(up_reports)} problem(s); their figures after it are '
              'suspect. First:')
        for line in up_reports[:3]:
            print(f'  {line}')
    bad = 0
    if not done:
        print('bench: the run did not reach its end; figures are missing')
        bad = 1
    if reports:
        print(f'bench: the kernel reported {len(reports)} problem(s) while '
              "the suite's drivers were measured; figures are suspect. First:")
        for line in reports[:5]:
            print(f'  {line}')
        bad = 1
    return bad


sys.exit(main())
