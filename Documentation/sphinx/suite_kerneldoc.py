# SPDX-License-Identifier: GPL-2.0
"""Put the suite's kernel-doc comments into the documentation.

Three directives. Two run the kernel's own ``scripts/kernel-doc`` (taken
from the linux-source-6.12 tarball by ``scripts/ksource.sh`` at build time,
never committed) on the suite's sources when the documentation is built;
the third lists the driver pages:

``.. kernel-doc:: mtty/mtty_main.c``
    For a driver's page. The path is relative to the top of the suite.
    ``:identifiers: mtty_open_device mtty_close_device`` limits the output
    to those functions or types (``:functions:`` is a synonym); without it,
    every comment in the file is shown. ``:doc: Title`` shows one ``DOC:``
    section. What this directive shows is a copy: the entries that other
    pages link to live on the API reference page, so the copy is declared
    in a C namespace of its own and kept out of the general index, and a
    page may show an op that the reference shows too.

``.. suite-drivers::``
    A toctree of the driver pages that exist: ``<dir>.rst`` for each module
    directory, in the order of the ``suite_driver_order`` setting, then any
    other in name order. It takes the toctree's options. The index builds
    before every driver has landed, and a new driver's page is listed
    without an edit.

``.. suite-api::``
    For the API reference page. One section per module directory (every
    top-level directory with a Kbuild file), then the shared headers and the
    selftests library, each with the kernel-doc of every file that has any.
    It walks the tree at build time, so a driver that has not landed yet is
    simply not there, and a new one appears without an edit.

Whatever kernel-doc warns about (an undescribed parameter, a name that is
not in the file) becomes a Sphinx warning, which ``-W`` turns into a failed
build.
"""

import os
import re
import subprocess

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from docutils.statemachine import ViewList
from sphinx.directives.other import TocTree
from sphinx.util import logging
from sphinx.util.nodes import nested_parse_with_titles

__version__ = '1.0'

logger = logging.getLogger(__name__)

# Lines kernel-doc writes with -enable-lineno: the C line of what follows.
LINENO_RE = re.compile(r'^\.\. LINENO (\d+)$')
# The C domain directives kernel-doc writes, one per documented item.
C_DIRECTIVE_RE = re.compile(r'^\.\. c:[a-z]+::')

# Directories after the modules in the API reference, with their titles.
SHARED_DIRS = [
    ('include', 'Shared headers (include/)'),
    ('selftests/lib', 'Selftests library (selftests/lib/)'),
]


def run_kernel_doc(app, location, args, path):
    """Run kernel-doc -rst on one file; return its lines, [] on failure."""
    cmd = ['perl', app.config.suite_kernel_doc, '-rst', '-enable-lineno',
           '-sphinx-version', app.config.suite_sphinx_version]
    cmd += args + [path]
    proc = subprocess.run(cmd, cwd=app.config.suite_top, capture_output=True,
                          text=True, check=False)
    for line in proc.stderr.splitlines():
        if line.strip():
            logger.warning('kernel-doc: %s', line, location=location)
    if proc.returncode:
        logger.warning('kernel-doc failed (%d) on %s', proc.returncode, path,
                       location=location)
        return []
    return proc.stdout.splitlines()


def to_viewlist(lines, path, noindex):
    """kernel-doc's lines as a ViewList whose line numbers are the C file's."""
    result = ViewList()
    lineno = 0
    for line in lines:
        match = LINENO_RE.match(line)
        if match:
            lineno = int(match.group(1)) - 1
            continue
        result.append(line, path, lineno)
        if noindex and C_DIRECTIVE_RE.match(line):
            # Options go right under the directive, indented as its body.
            result.append('  :noindexentry:', path, lineno)
    return result


def parse(state, viewlist):
    """Parse generated reST, titles allowed; return the resulting nodes."""
    node = nodes.section()
    node.document = state.document
    nested_parse_with_titles(state, viewlist, node)
    return node.children


class KernelDocDirective(Directive):
    """``.. kernel-doc:: FILE``: one file's kernel-doc, not indexed."""

    required_arguments = 1
    has_content = False
    option_spec = {
        'identifiers': directives.unchanged,
        'functions': directives.unchanged,
        'doc': directives.unchanged_required,
    }

    def run(self):
        env = self.state.document.settings.env
        app = env.app
        rel = self.arguments[0]
        path = os.path.join(app.config.suite_top, rel)
        location = (env.docname, self.lineno)
        if not os.path.isfile(path):
            logger.warning('kernel-doc: no file %s in the suite', rel,
                           location=location)
            return []
        env.note_dependency(path)

        args = []
        if 'doc' in self.options:
            args += ['-function', self.options['doc']]
        else:
            names = (self.options.get('identifiers') or
                     self.options.get('functions') or '').split()
            for name in names:
                args += ['-function', name]
        lines = run_kernel_doc(app, location, args, rel)
        # kernel-doc says nothing of a missing name when another one matched.
        heads = [line for line in lines if C_DIRECTIVE_RE.match(line)]
        for name in args[1::2]:
            if 'doc' not in self.options and not any(
                    re.search(r'\b%s\b' % re.escape(name), h) for h in heads):
                logger.warning('kernel-doc: no comment for %s in %s', name,
                               rel, location=location)
        if not lines:
            return []
        # A copy of what the API reference declares: in a scope of its own
        # so that the C domain sees no duplicate, and out of the index.
        scope = 'kdoc_%s_%d' % (re.sub(r'\W', '_', env.docname), self.lineno)
        viewlist = ViewList(['.. c:namespace-push:: %s' % scope, ''],
                            env.docname)
        viewlist.append(to_viewlist(lines, rel, noindex=True))
        viewlist.append(ViewList(['', '.. c:namespace-pop::', ''],
                                 env.docname))
        return parse(self.state, viewlist)


def documented_files(top, reldir):
    """Files of a directory that have kernel-doc: headers first, sorted."""
    absdir = os.path.join(top, reldir)
    found = []
    for name in sorted(os.listdir(absdir)):
        rel = os.path.join(reldir, name)
        if not name.endswith(('.c', '.h')) or not os.path.isfile(
                os.path.join(top, rel)):
            continue
        with open(os.path.join(top, rel), encoding='utf-8') as f:
            if '/**' in f.read():
                found.append(rel)
    return sorted(found, key=lambda rel: (not rel.endswith('.h'), rel))


def module_dirs(top):
    """Every top-level directory with a Kbuild file: the suite's modules."""
    return sorted(d for d in os.listdir(top)
                  if os.path.isfile(os.path.join(top, d, 'Kbuild')))


class SuiteApiDirective(Directive):
    """``.. suite-api::``: the kernel-doc of the whole suite, indexed."""

    has_content = False

    def run(self):
        env = self.state.document.settings.env
        app = env.app
        top = app.config.suite_top
        location = (env.docname, self.lineno)

        groups = [(d, '%s/' % d) for d in module_dirs(top)]
        groups += [(d, title) for d, title in SHARED_DIRS
                   if os.path.isdir(os.path.join(top, d))]
        result = ViewList()
        for reldir, title in groups:
            files = documented_files(top, reldir)
            if not files:
                continue
            for line in ['', title, '-' * len(title), '']:
                result.append(line, env.docname, self.lineno)
            for rel in files:
                env.note_dependency(os.path.join(top, rel))
                head = '``%s``' % rel
                for line in [head, '~' * len(head), '']:
                    result.append(line, env.docname, self.lineno)
                lines = run_kernel_doc(app, location, [], rel)
                result.append(to_viewlist(lines, rel, noindex=False))
                result.append('', env.docname, self.lineno)
        return parse(self.state, result)


class SuiteDriversDirective(TocTree):
    """``.. suite-drivers::``: a toctree of the driver pages that exist."""

    has_content = False

    def run(self):
        env = self.state.document.settings.env
        config = env.app.config
        dirs = module_dirs(config.suite_top)
        order = [d for d in config.suite_driver_order if d in dirs]
        order += [d for d in dirs if d not in order]
        self.content = ViewList([d for d in order if d in env.found_docs],
                                env.docname)
        return super().run()


def setup(app):
    top = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
    app.add_config_value('suite_top', top, 'env')
    app.add_config_value('suite_kernel_doc', '', 'env')
    app.add_config_value('suite_sphinx_version', '', 'env')
    app.add_config_value('suite_driver_order', [], 'env')
    app.add_directive('kernel-doc', KernelDocDirective)
    app.add_directive('suite-api', SuiteApiDirective)
    app.add_directive('suite-drivers', SuiteDriversDirective)
    return {'version': __version__, 'parallel_read_safe': True}
