#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Print the conformance kit's table (device x check) from a VM run's
ktap.log, with every failed check's reason, rule and guide section.

The kit prints a table itself when it ends; this one is built from its KTAP
so that a run that ended early (an oops that took the guest down, a VM
timeout) still shows every result it reached, which check it was in, and
which checks never ran.

    conform_table.py KTAP_LOG CHECKS_LIST
    conform_table.py --guide GUIDE_RST CHECKS_LIST

CHECKS_LIST is the output of vfio_conform --list (its "check" lines give
every check's name, rule and guide section, in order). With --guide, it
prints nothing and exits 0 when every section the checks cite is a section
title of GUIDE_RST, and otherwise names the checks whose section is not."""
import re
import sys

# The guest runner indents the kit's output by "# ".
RESULT_RE = re.compile(r'^# (ok|not ok) \d+ (\S+?)\.([a-z_]+)(?: # SKIP (.*))?$')
DEVICE_RE = re.compile(r'^# # device (\S+): (.*)$')
START_RE = re.compile(r'^# # (\S+?)\.([a-z_]+): [A-Z]')
FAIL_RE = re.compile(r'^# # FAIL: (.*)$')


def read_checks(path):
    checks = []
    rule = {}
    guide = {}
    last = None
    with open(path) as f:
        for line in f:
            m = re.match(r'^check (\S+)\s+(.*)$', line)
            if m:
                last = m.group(1)
                checks.append(last)
                rule[last] = m.group(2).strip()
                continue
            m = re.match(r'^\s+guide: "(.*)"$', line)
            if m and last:
                guide[last] = m.group(1)
    return checks, rule, guide


def guide_titles(path):
    """The section titles of a reStructuredText file: a line of text
    underlined (and maybe overlined) by a line of one punctuation character
    at least as long."""
    lines = open(path).read().splitlines()
    titles = set()
    for i in range(len(lines) - 1):
        text, under = lines[i].strip(), lines[i + 1]
        if (text and under and len(set(under)) == 1 and under[0] in '=-~^"`#*+'
                and len(under) >= len(text) and not re.fullmatch(r'[=~^"`#*+-]+', text)):
            titles.add(text)
    return titles


def check_guide(guide_rst, checks_list):
    checks, _, guide = read_checks(checks_list)
    titles = guide_titles(guide_rst)
    missing = [c for c in checks if guide.get(c) not in titles]
    for c in missing:
        print(f'    {c}: cites "{guide.get(c, "(nothing)")}", not a section of {guide_rst}')
    if not checks:
        print(f'    {checks_list}: no check listed')
        return 1
    return 1 if missing else 0


def main():
    if sys.argv[1] == '--guide':
        return check_guide(sys.argv[2], sys.argv[3])
    ktap, checks_list = sys.argv[1], sys.argv[2]
    checks, rule, guide = read_checks(checks_list)
    devices = []
    cell = {}
    reason = {}
    fails = []
    started = None
    try:
        lines = open(ktap, errors='replace').read().splitlines()
    except FileNotFoundError:
        lines = []
    for line in lines:
        m = DEVICE_RE.match(line)
        if m:
            if m.group(1) not in devices:
                devices.append(m.group(1))
            continue
        m = START_RE.match(line)
        if m and m.group(2) in rule:
            started = (m.group(1), m.group(2))
            fails = []
            continue
        m = FAIL_RE.match(line)
        if m:
            fails.append(m.group(1))
            continue
        m = RESULT_RE.match(line)
        if m:
            key = (m.group(2), m.group(3))
            if m.group(1) == 'not ok':
                cell[key] = 'FAIL'
                reason[key] = fails[0] if fails else '(see the log)'
            else:
                cell[key] = 'skip' if m.group(4) is not None else 'pass'
                if m.group(4):
                    reason[key] = m.group(4)
            if started == key:
                started = None
            fails = []
    if not devices:
        print('    (the kit found no device, or did not start)')
        return 1
    if started:
        cell[started] = 'CRASH'
    width = max(18, max(len(c) for c in checks))
    head = ''.join(f'  {d:<{max(6, len(d))}}' for d in devices)
    print(f'    {"check":<{width}}{head}')
    for c in checks:
        row = ''.join(f'  {cell.get((d, c), "-"):<{max(6, len(d))}}' for d in devices)
        print(f'    {c:<{width}}{row}')
    print('    (pass, FAIL, skip; CRASH: the run ended during it; -: never ran)')
    for c in checks:
        for d in devices:
            if cell.get((d, c)) not in ('FAIL', 'CRASH'):
                continue
            why = reason.get((d, c), 'the run ended while it ran')
            print(f'    {cell[(d, c)]} {d} {c}: {why}')
            print(f'      rule: {rule.get(c, "?")}')
            print(f'      guide: Documentation/conversion-guide.rst, "{guide.get(c, "?")}"')
    return 0


if __name__ == '__main__':
    sys.exit(main())
