#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turn bench.jsonl (from bench/run.sh in the VM) into a table on the
terminal, bench.json and two charts in the same directory: bench.png, the
ours/upstream ratio of every measurement (or its multiple of the syscall
floor when the run had no baseline), and bench-cost.png, cost against the
number of instances alive and against the framebuffer's size.

    report.py BENCHDIR [VMDIR]

Each of the suite's figures is shown with its spread, next to the upstream
sample's when the run had a baseline, as a ratio (ours / upstream: below 1
is faster), and every time as a multiple of the syscall floor measured in
the same VM. Derived rows: how the per-instance cost at the largest n
compares with the smallest (flat is 1), and an mdpy display's open/close
after a mapping against mtty's open/close and against the smallest
display's.

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
IOCTL_FLOOR = {'open_close', 'open_close_at_n', 'open_close_mapped',
               'open_close_ref', 'dmabuf_get_close'}
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
    w = r.get('written')
    return (name(r), r['what'] + (f' n={n}' if n else '') +
            (f' w={w}' if w else ''))


def same_types(rows):
    """Name the samples' display types after ours of the same BAR size:
    upstream's mdpy calls 1920x1080 "hd" where ours says "fhd"."""
    ours = {(r['driver'], r['bar_kib']): r['device'] for r in rows
            if r['impl'] == 'ours' and 'bar_kib' in r}
    for r in rows:
        if r['impl'] != 'ours' and 'bar_kib' in r:
            r['device'] = ours.get((r['driver'], r['bar_kib']), r['device'])


def display_ratios(rows, impl):
    """A display's open/close after a mapping over mtty's open/close, and
    each display's over the smallest one's, for the same pages written.
    Against mtty, the median of the per-round ratios to an mtty port
    measured in the same rounds when the run has them (plain, and with
    the same mapping and writes made on /dev/zero in its cycle); else the
    two medians, measured at different times of the run."""
    out = {}
    mapped = [r for r in rows if r['impl'] == impl and usable(r) and
              r['what'] == 'open_close_mapped']
    mtty = [r for r in rows if r['impl'] == impl and usable(r) and
            r['driver'] == 'mtty' and r['what'] == 'open_close']
    for r in mapped:
        if 'over_ref' in r:
            out[(name(r), f"open_close_mapped w={r['written']} / "
                 f"{r['ref']} open_close, same rounds")] = {
                'impl': impl, 'unit': 'x', 'rounds': 1, 'display': True,
                'median': r['over_ref']}
        if 'over_ref_mapped' in r and r['written'] != 'unmapped':
            out[(name(r), f"open_close_mapped w={r['written']} / "
                 f"{r['ref']} open_close mapping /dev/zero alike")] = {
                'impl': impl, 'unit': 'x', 'rounds': 1, 'display': True,
                'median': r['over_ref_mapped']}
        elif mtty and mtty[0]['median'] and r['written'] == '0':
            out[(name(r), 'open_close_mapped w=0 / mtty open_close')] = {
                'impl': impl, 'unit': 'x', 'rounds': 1, 'display': True,
                'median': r['median'] / mtty[0]['median']}
    # Largest display over smallest: each over the reference port of its
    # own rounds when there is one, which takes out the load between them.
    for w in sorted({r['written'] for r in mapped}):
        rs = sorted((r for r in mapped if r['written'] == w),
                    key=lambda r: r['bar_kib'])
        lo, hi = rs[0], rs[-1]
        fig = 'over_ref' if 'over_ref' in lo and 'over_ref' in hi else 'median'
        if hi['bar_kib'] > lo['bar_kib'] and lo[fig]:
            out[(hi['driver'], f"open_close_mapped w={w} "
                 f"{hi['device']}/{lo['device']}")] = {
                'impl': impl, 'unit': 'x', 'rounds': 1, 'display': True,
                'median': hi[fig] / lo[fig]}
    return out


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


def time_us(r):
    return r['median'] * TO_NS[r['unit']] / 1000


def chart_ratios(plt, d, table, floor):
    """bench.png: one bar per measurement, ours over upstream (or over
    the syscall floor without a baseline), on a log axis centred on 1."""
    # The displays' own ratios (against mtty, against the smallest
    # display) are read in the table; over upstream's they mean little.
    rows = [e for e in table if 'ratio' in e and
            not e['ours'].get('display')]
    baseline = bool(rows)
    if baseline:
        vals = [e['ratio'] for e in rows]
        title = ('ours / upstream sample, same VM run: below 1 ours is '
                 'faster (a speed-up: above 1 ours gains more)\n'
                 'dotted lines: 1.05 and 1.2')
    else:
        rows = [e for e in table if 'x_floor' in e]
        vals = [e['x_floor'] for e in rows]
        title = ('no baseline in this run (make bench BASELINE=upstream): '
                 'each time as a multiple of the syscall floor')
    if not rows:
        return
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.26 * len(rows)))
    y = list(range(len(rows)))[::-1]
    if baseline:
        colors = ['tab:green' if v <= 1.05 else 'tab:orange' if v <= 1.2
                  else 'tab:red' for v in vals]
        ax.axvline(1, color='black', lw=1)
        for x in (1.05, 1.2):
            ax.axvline(x, color='grey', lw=0.8, ls=':')
        ax.barh(y, [v - 1 for v in vals], left=1, color=colors)
    else:
        ax.barh(y, vals, color='tab:blue')
    for yi, v in zip(y, vals):
        # Three significant digits: a ratio far below 1 stays readable.
        ax.text(v, yi, f' {v:.3g}', va='center', fontsize=7)
    ax.set_xscale('log')
    ax.set_yticks(y)
    ax.set_yticklabels([f"{e['driver']}  {e['what']}" for e in rows],
                       fontsize=7)
    ax.set_title(title, fontsize=9)
    ax.grid(axis='x', which='both', alpha=0.3)
    fig.suptitle(f"make bench ({os.path.basename(d)}); floor: pread "
                 f"{floor.get('pread_4B_devzero', 0):.0f} ns, ioctl "
                 f"{floor.get('empty_ioctl', 0):.0f} ns", fontsize=10)
    fig.tight_layout()
    fig.savefig(os.path.join(d, 'bench.png'), dpi=110)
    plt.close(fig)


def err(rs):
    return [[time_us(r) - r['min'] * TO_NS[r['unit']] / 1000 for r in rs],
            [r['max'] * TO_NS[r['unit']] / 1000 - time_us(r) for r in rs]]


def chart_cost(plt, d, rows):
    """bench-cost.png: cost against n (instances alive) on the left,
    against the framebuffer's size on the right; ours solid, the samples
    dashed, the bars the spread of the rounds."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 7))
    style = {'ours': '-', 'upstream': '--'}
    colors = plt.rcParams['axes.prop_cycle'].by_key()['color']

    scaled = {}
    for r in rows:
        if 'n' in r and usable(r) and r['unit'] in TO_NS:
            scaled.setdefault((r['impl'], name(r), r['what']), []).append(r)
    series = sorted({(drv, what) for _, drv, what in scaled})
    for (impl, drv, what), rs in sorted(scaled.items()):
        rs.sort(key=lambda r: r['n'])
        left.errorbar([r['n'] for r in rs], [time_us(r) for r in rs],
                      yerr=err(rs), ls=style.get(impl, ':'), marker='o',
                      capsize=3, label=f'{impl}: {drv} {what}',
                      color=colors[series.index((drv, what)) % len(colors)])
    left.set_xscale('log')
    left.set_yscale('log')
    left.set_xlabel('instances alive (n)')
    left.set_ylabel('us per operation (log)')
    left.set_title('cost against n: flat is what scales', fontsize=9)

    mapped = {}
    for r in rows:
        if r['what'] == 'open_close_mapped' and usable(r):
            mapped.setdefault((r['impl'], r['written']), []).append(r)
    # Over the reference port of the same rounds when the run has it: a
    # loaded machine moves that far less than the times themselves.
    rel = mapped and all('over_ref' in r for rs in mapped.values() for r in rs)
    order = {'0': 0, '1': 1, 'all': 2, 'unmapped': 3}
    ticks = {}
    for (impl, w), rs in sorted(mapped.items(),
                                key=lambda k: (k[0][0], order.get(k[0][1], 3))):
        rs.sort(key=lambda r: r['bar_kib'])
        x = [r['bar_kib'] / 1024 for r in rs]
        label = (f'{impl}: no mapping' if w == 'unmapped' else
                 f'{impl}: {w} page(s) written')
        color = colors[order.get(w, 3)]
        if rel:
            right.plot(x, [r['over_ref'] for r in rs], ls=style.get(impl, ':'),
                       marker='o', label=label, color=color)
        else:
            right.errorbar(x, [time_us(r) for r in rs], yerr=err(rs),
                           ls=style.get(impl, ':'), marker='o', capsize=3,
                           label=label, color=color)
        for r in rs:
            if impl == 'ours':
                ticks[r['bar_kib'] / 1024] = r['device']
    mtty = [r for r in rows if r['impl'] == 'ours' and usable(r) and
            r['driver'] == 'mtty' and r['what'] in ('open_close_ref',
                                                    'open_close')]
    mtty.sort(key=lambda r: r['what'] != 'open_close_ref')
    base = 1 if rel else time_us(mtty[0]) if mtty else None
    if base:
        right.axhline(base, color='black', lw=1,
                      label='mtty open/close (no mapping)')
        right.axhline(1.2 * base, color='black', lw=0.8, ls=':',
                      label='1.2 x that')
    right.set_xscale('log', base=2)
    right.set_yscale('log')
    if ticks:
        right.set_xticks(sorted(ticks))
        right.set_xticklabels([f'{m:g} MiB\n{ticks[m]}' for m in sorted(ticks)])
        right.minorticks_off()
    right.set_xlabel('BAR0 (framebuffer) size, by display type')
    right.set_ylabel('x an mtty port\'s open + close in the same rounds (log)'
                     if rel else 'us per open + close (log)')
    right.set_title('mdpy open/close as a VMM drives it (BAR0 mapped), '
                    "against the framebuffer's size", fontsize=9)
    for ax in (left, right):
        ax.grid(which='both', alpha=0.3)
        # Below the axes, where no line runs under it.
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7, ncol=2, loc='upper center',
                      bbox_to_anchor=(0.5, -0.16))
        else:
            ax.text(0.5, 0.5, 'not measured in this run', ha='center',
                    va='center', transform=ax.transAxes)
    fig.suptitle(f'make bench ({os.path.basename(d)}): cost against n and '
                 'against framebuffer size', fontsize=10)
    fig.tight_layout()
    fig.savefig(os.path.join(d, 'bench-cost.png'), dpi=110)
    plt.close(fig)


def chart(d, table, rows, floor):
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        print('bench: python3-matplotlib is missing; no chart')
        return
    chart_ratios(plt, d, table, floor)
    chart_cost(plt, d, rows)


def main():
    d = sys.argv[1]
    rows, done = load(os.path.join(d, 'bench.jsonl'))
    same_types(rows)
    reports, up_reports = (kernel_reports(sys.argv[2]) if len(sys.argv) > 2
                           else ([], []))
    ours = {key(r): r for r in rows if r['impl'] == 'ours'}
    up = {key(r): r for r in rows if r['impl'] == 'upstream'}
    ours.update(scale_ratios(rows, 'ours'))
    up.update(scale_ratios(rows, 'upstream'))
    ours.update(display_ratios(rows, 'ours'))
    up.update(display_ratios(rows, 'upstream'))
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
    chart(d, table, rows, floor)
    print(f"bench: {d}/bench.json, {d}/bench.png and {d}/bench-cost.png")

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
