#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Judge one VM run: count the KTAP results, find kernel reports in the
kernel's logs, print a summary and write VMDIR/result.

A run fails when a test fails, a planned test never reports, a program
crashes, the VM times out, dies or freezes (scripts/vm-watchdog.sh ends
it), or the kernel logs any report: WARNING, BUG, Oops, KASAN, UBSAN,
lockdep, kmemleak, refcount_t, hung tasks."""
import argparse
import os
import re
import sys

# Lines that mean the kernel found something wrong. Each is specific enough
# not to match the suite's own messages.
REPORTS = [
    r'WARNING: CPU: \d+ PID: \d+',
    # 7.x: "WARNING: drivers/x.c:510 at func+0x1/0x2 [mod], CPU#1: comm/99"
    r'WARNING: \S+:\d+ at \S+',
    r'------------\[ cut here \]------------',
    r'\bBUG: ',
    r'kernel BUG at',
    r'\bOops\b',
    r'general protection fault',
    r'Kernel panic',
    r'KASAN: ',
    r'UBSAN: ',
    r'possible circular locking dependency',
    r'possible recursive locking',
    r'inconsistent lock state',
    r'suspicious RCU usage',
    r'DEBUG_LOCKS_WARN_ON',
    r'unreferenced object 0x',
    r'kmemleak: \d+ new suspected memory leaks',
    r'refcount_t: ',
    r'blocked for more than \d+ seconds',
    r'list_(add|del) corruption',
    r'ODEBUG: ',
    r'sleeping function called from invalid context',
]
REPORT_RE = re.compile('|'.join(REPORTS))

# KTAP result lines: top level from the guest runner, and one level of "# "
# nesting from each kselftest_harness program.
TOP_RE = re.compile(r'^(ok|not ok) (\d+) (selftests: \S+: (\S+))(.*)$')
SUB_RE = re.compile(r'^# (ok|not ok) (\d+) (\S+)(.*)$')
PLAN_RE = re.compile(r'^# 1\.\.(\d+)$')
# The guest's per-program wall time, printed after each program.
TIME_RE = re.compile(r'^# vfio-suite-time: (\S+) ([0-9.]+)$')
RUNNING_RE = re.compile(r'^vfio-suite: # selftests: vfio-suite: (\S+)|'
                        r'# selftests: vfio-suite: (\S+)')


def read(path):
    try:
        with open(path, errors='replace') as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


# The guest logs each program's start and end, and each test's start with
# its program's name, to the kernel log.
MARK_RE = re.compile(r'^\[ *([0-9.]+)\] vfio-suite: (?:# selftests: vfio-suite: '
                     r'(\S+)|(\S+): #  RUN +(\S+)|# done: (\S+))')


def test_times(vmdir):
    """Write VMDIR/test-times: each test's wall time, slowest first, from
    the console's timestamps of the markers. A test ends where the next
    test of its program starts, or where its program ends."""
    started = {}
    rows = []
    for line in read(os.path.join(vmdir, 'console.log')):
        m = MARK_RE.match(line)
        if not m:
            continue
        t = float(m.group(1))
        prog = m.group(2) or m.group(3) or m.group(5)
        if prog in started:
            t0, test = started.pop(prog)
            rows.append((t - t0, f'{prog}: {test}'))
        if m.group(3):
            started[prog] = (t, m.group(4))
    rows.sort(key=lambda r: -r[0])
    with open(os.path.join(vmdir, 'test-times'), 'w') as f:
        for secs, name in rows:
            f.write(f'{secs:8.1f} {name}\n')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--kernel', required=True)
    ap.add_argument('--vmdir', required=True)
    ap.add_argument('--timed-out', type=int, default=0)
    ap.add_argument('--timeout', default='?')
    ap.add_argument('--seconds', type=float, default=0)
    # Why scripts/vm-watchdog.sh ended a guest that had stopped, if it did.
    ap.add_argument('--frozen', default='')
    a = ap.parse_args()

    ktap = read(os.path.join(a.vmdir, 'ktap.log'))
    tests_list = [w for line in read(os.path.join(a.vmdir,
                                                  'root/selftests/tests.list'))
                  for w in line.split()]
    passed = failed = skipped = 0
    problems = []

    # Per program: its planned count, its sub-results, its verdict.
    prog = None
    plan = None
    subs = 0
    sub_failed = 0
    seen = set()
    last_started = None
    times = []
    for line in ktap:
        m = TIME_RE.match(line)
        if m:
            times.append((m.group(1), float(m.group(2))))
            continue
        m = RUNNING_RE.match(line)
        if m and line.startswith('# selftests:'):
            prog, plan, subs, sub_failed = m.group(2), None, 0, 0
            last_started = prog
            continue
        m = PLAN_RE.match(line)
        if m and prog and plan is None:
            plan = int(m.group(1))
            continue
        m = SUB_RE.match(line)
        if m and prog:
            subs += 1
            rest = m.group(4)
            if m.group(1) == 'ok':
                # An expected failure of a known bug is not a pass; an
                # unexpected pass means the XFAIL mark is stale.
                if '# XPASS' in rest:
                    failed += 1
                    sub_failed += 1
                    problems.append(f'{prog}: XPASS {m.group(3)}: drop its XFAIL mark')
                elif '# SKIP' in rest or '# XFAIL' in rest:
                    skipped += 1
                else:
                    passed += 1
            else:
                failed += 1
                sub_failed += 1
                problems.append(f'{prog}: not ok {m.group(3)}')
            continue
        m = TOP_RE.match(line)
        if m:
            name = m.group(4)
            seen.add(name)
            rest = m.group(5)
            missing = (plan or 0) - subs
            if missing > 0:
                failed += missing
                problems.append(f'{name}: {missing} planned test(s) never reported')
            if m.group(1) == 'not ok' and not sub_failed and missing <= 0:
                failed += 1
                problems.append(f'{name}: program failed ({rest.strip("# ")})')
            elif m.group(1) == 'ok' and '# SKIP' in rest and subs == 0:
                skipped += 1
            prog = None

    for name in tests_list:
        if name not in seen:
            failed += 1
            problems.append(f'{name}: never ran')
    for line in ktap:
        if line.startswith(('# modprobe failed:', '# setup failed:')):
            failed += 1
            problems.append(line[2:])

    where = f' while {last_started} ran' if last_started else ''
    if a.frozen:
        failed += 1
        problems.append(f'the runner ended the VM{where}: {a.frozen}')
    elif a.timed_out:
        failed += 1
        problems.append(f'the VM timed out after {a.timeout} s{where}')

    reports = []
    for log in ('console.log', 'dmesg.log', 'kmemleak.log'):
        for line in read(os.path.join(a.vmdir, log)):
            if REPORT_RE.search(line):
                reports.append(f'{log}: {line.strip()}')
    if reports:
        failed += 1
        problems.append(f'{len(reports)} kernel report line(s); the first ones:')
        problems.extend('  ' + r for r in reports[:15])

    with open(os.path.join(a.vmdir, 'result'), 'w') as f:
        f.write(f'passed={passed} failed={failed} skipped={skipped} '
                f'seconds={a.seconds:.1f}\n')
    # Every program's wall time, slowest first, for whoever makes the
    # suite faster; the three slowest are also printed. test-times has
    # each test's.
    times.sort(key=lambda t: -t[1])
    with open(os.path.join(a.vmdir, 'times'), 'w') as f:
        for name, secs in times:
            f.write(f'{secs:8.1f} {name}\n')
    test_times(a.vmdir)
    for p in problems:
        print(f'  FAIL    {a.kernel}: {p}')
    if times:
        print(f'  TIME    {a.kernel}: slowest ' +
              ', '.join(f'{n} {s:.0f} s' for n, s in times[:3]) +
              f' (all: {a.vmdir}/times)')
    print(f'  VM      {a.kernel}: {passed} passed, {failed} failed, '
          f'{skipped} skipped in {a.seconds:.1f} s (logs: {a.vmdir})')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
