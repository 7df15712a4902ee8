#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compile the code of the documentation, as a reader would copy it.

Every ``.. code-block:: c`` of the pages given is one of:

* part of a file: its ``:caption:`` starts with the file's path,
  ``DIR/FILE`` (``mcount/mcount.c``, ``mcount/mcount_compat.h``); the
  blocks of one file are joined in page order. A ``.. code-block:: make``
  captioned ``DIR/Kbuild`` or ``DIR/Makefile`` is that file. Each DIR is built
  as an out-of-tree module directory, ``make -C KDIR M=DIR W=1 C=1``, on
  every kernel, and must build without a warning; checkpatch --strict
  checks every file.
* an excerpt: its first line starts with ``/* Fragment``;
* code for the old API (Linux 5.10 to 5.13), which none of the suite's
  kernels can build: its first line starts with ``/* Old API``.

Any other C block is an error, so that no block is left unchecked by
accident. Errors are reported at the page's line, not the extracted file's.

  doc-code.py --out DIR [--checkpatch PL] [--kdir NAME=TREE ...] PAGE...

Exits non-zero if a block is unmarked, a directory has no Kbuild, a build
fails or warns, or checkpatch finds anything.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

DIRECTIVE_RE = re.compile(r'^(\s*)\.\. code-block::\s*(\S+)\s*$')
OPTION_RE = re.compile(r'^\s*:(\w+):\s*(.*)$')
PATH_RE = re.compile(r'^([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)(?:\s|$)')
MARKERS = ('/* Fragment', '/* Old API')
# A compiler or modpost diagnostic about an extracted file.
DIAG_RE = re.compile(r'^(\S+?):(\d+):(?:(\d+):)?\s*(.*)$')


def blocks(page):
    """Yield (language, caption, first line number, lines) per code block."""
    with open(page, encoding='utf-8') as f:
        text = f.read().split('\n')
    i = 0
    while i < len(text):
        m = DIRECTIVE_RE.match(text[i])
        if not m:
            i += 1
            continue
        indent, lang = len(m.group(1)), m.group(2)
        i += 1
        options = {}
        while i < len(text) and OPTION_RE.match(text[i]):
            o = OPTION_RE.match(text[i])
            options[o.group(1)] = o.group(2).strip()
            i += 1
        while i < len(text) and not text[i].strip():
            i += 1
        start = i
        body = []
        while i < len(text):
            line = text[i]
            if line.strip() and len(line) - len(line.lstrip()) <= indent:
                break
            body.append(line)
            i += 1
        while body and not body[-1].strip():
            body.pop()
        if not body:
            continue
        cut = min(len(b) - len(b.lstrip()) for b in body if b.strip())
        yield lang, options.get('caption', ''), start + 1, \
            [b[cut:] if b.strip() else '' for b in body]


def extract(pages, dest):
    """Write the files; return ({path: [(file line, page, page line)]}, errors)."""
    files = {}
    origin = {}
    errors = []
    counts = {'file': 0, 'fragment': 0, 'old': 0}
    for page in pages:
        for lang, caption, lineno, lines in blocks(page):
            path = PATH_RE.match(caption)
            if lang == 'c':
                first = lines[0]
                if first.startswith(MARKERS[0]):
                    counts['fragment'] += 1
                    continue
                if first.startswith(MARKERS[1]):
                    counts['old'] += 1
                    continue
                if not path:
                    errors.append('%s:%d: a C block needs a caption naming '
                                  'its file (DIR/FILE) or a first line '
                                  'starting "/* Fragment" or "/* Old API"'
                                  % (page, lineno))
                    continue
            elif lang == 'make' and path and \
                    path.group(2) in ('Kbuild', 'Makefile'):
                pass
            else:
                continue
            name = '%s/%s' % (path.group(1), path.group(2))
            counts['file'] += 1
            text = files.setdefault(name, [])
            spans = origin.setdefault(name, [])
            if text:
                text.append('')
            spans.append((len(text) + 1, page, lineno))
            text.extend(lines)
    if os.path.isdir(dest):
        shutil.rmtree(dest)
    for name, lines in files.items():
        path = os.path.join(dest, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines) + '\n')
    dirs = sorted({n.split('/')[0] for n in files})
    for d in dirs:
        if '%s/Kbuild' % d not in files:
            errors.append('%s/: no "code-block:: make" captioned %s/Kbuild '
                          'in the pages' % (d, d))
    print('  DOCCODE %d blocks in %d files of %s; %d fragments and %d '
          'old-API blocks not compiled' % (
              counts['file'], len(files), ', '.join(dirs) or 'no directory',
              counts['fragment'], counts['old']))
    return origin, dirs, errors


def where(origin, name, line):
    """The page and line that a line of an extracted file came from."""
    best = None
    for start, page, pline in origin.get(name, []):
        if start <= line:
            best = (page, pline + line - start)
    return '%s:%d' % best if best else '%s:%d' % (name, line)


def translate(origin, dest, output):
    """Diagnostics with their page locations added."""
    result = []
    for line in output.splitlines():
        m = DIAG_RE.match(line)
        if m and m.group(1).startswith(dest + '/'):
            name = os.path.relpath(m.group(1), dest)
            line = '%s (%s)' % (line.replace(dest + '/', ''),
                                where(origin, name, int(m.group(2))))
        result.append(line)
    return result


def build(origin, dest, d, kname, kdir):
    """Build one directory on one kernel; return a list of problems."""
    src = os.path.join(dest, d)
    tree = os.path.join(dest, 'build', kname, d)
    if os.path.isdir(tree):
        shutil.rmtree(tree)
    shutil.copytree(src, tree)
    env = {k: v for k, v in os.environ.items()
           if k not in ('MAKEFLAGS', 'MFLAGS', 'MAKELEVEL')}
    proc = subprocess.run(['make', '-C', kdir, 'M=' + tree, 'W=1', 'C=1',
                           '-j%d' % (os.cpu_count() or 1), 'modules'],
                          capture_output=True, text=True, env=env,
                          check=False)
    output = proc.stdout + proc.stderr
    with open(os.path.join(dest, 'build', kname, d + '.log'), 'w',
              encoding='utf-8') as f:
        f.write(output)
    lines = translate(origin, os.path.dirname(tree), output)
    bad = [x for x in lines if re.search(r'(warning|error):|ERROR:', x)]
    if proc.returncode and not bad:
        bad = [x for x in lines if 'Error' in x][:1] or lines[-1:]
    return bad


def checkpatch(origin, dest, script, names):
    """checkpatch --strict on every extracted C file; return findings."""
    bad = []
    for name in names:
        if not name.endswith(('.c', '.h')):
            continue
        args = ['perl', script, '--no-tree', '--strict', '--show-types',
                '--terse']
        if name.endswith('_compat.h'):
            args += ['--ignore', 'LINUX_VERSION_CODE,CONSTANT_COMPARISON']
        proc = subprocess.run(args + ['-f', name], cwd=dest,
                              capture_output=True, text=True, check=False)
        for line in proc.stdout.splitlines():
            if re.search(r': (ERROR|WARNING|CHECK):', line):
                m = DIAG_RE.match(line)
                loc = where(origin, name, int(m.group(2))) if m else name
                bad.append('%s (%s)' % (line, loc))
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', required=True)
    ap.add_argument('--checkpatch')
    ap.add_argument('--kdir', action='append', default=[],
                    metavar='NAME=TREE')
    ap.add_argument('pages', nargs='+')
    args = ap.parse_args()

    dest = os.path.abspath(os.path.join(args.out, 'doc-code'))
    origin, dirs, errors = extract(args.pages, dest)
    for e in errors:
        print('  FAIL    ' + e)
    failed = len(errors)

    if args.checkpatch:
        bad = checkpatch(origin, dest, args.checkpatch, sorted(origin))
        for b in bad:
            print('  FAIL    checkpatch: ' + b)
        failed += len(bad)
        if not bad:
            print('  DOCCODE checkpatch --strict: clean')

    for spec in args.kdir:
        kname, kdir = spec.split('=', 1)
        for d in dirs:
            if errors:
                break
            bad = build(origin, dest, d, kname, kdir)
            if bad:
                print('  FAIL    the documentation\'s %s/ on %s (log: %s):'
                      % (d, kname, os.path.join(dest, 'build', kname,
                                                d + '.log')))
                for b in bad[:10]:
                    print('          ' + b)
                failed += 1
            else:
                print('  DOCCODE %s/ builds on %s, no warning at W=1 C=1'
                      % (d, kname))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
