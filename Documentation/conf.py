# SPDX-License-Identifier: GPL-2.0
#
# Sphinx configuration of the suite's documentation. Built by
# "make htmldocs" (warnings are errors) into OUT/htmldocs.

import os
import subprocess
import sys

import sphinx

top = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
sys.path.insert(0, os.path.join(top, 'Documentation', 'sphinx'))

project = 'VFIO open_device/close_device reference suite'
copyright = 'The suite authors; GPL-2.0'
author = 'The suite authors'

extensions = ['suite_kerneldoc']

# Only the pages are sources; nothing else in the directory is.
source_suffix = '.rst'
exclude_patterns = ['sphinx']
master_doc = 'index'
language = 'en'

# kernel-doc comes from the linux-source-6.12 tarball, extracted at build
# time. The Makefile passes it in; a bare sphinx-build finds it itself.
_ksrc = os.environ.get('KSRC') or subprocess.run(
    [os.path.join(top, 'scripts', 'ksource.sh')], check=True,
    capture_output=True, text=True).stdout.strip()
suite_top = top
suite_kernel_doc = os.path.join(_ksrc, 'scripts', 'kernel-doc')
suite_sphinx_version = sphinx.__version__
# The index lists the driver pages in this order, then any other.
suite_driver_order = ['mtty', 'mdpy', 'mbochs', 'fsl_mc_stub', 'pci_slot_stub']

# The C domain must parse kernel declarations: the kernel's annotations are
# attributes, not types.
c_id_attributes = [
    '__user', '__iomem', '__rcu', '__percpu', '__force', '__must_check',
    '__init', '__exit', '__always_inline', 'noinline', '__maybe_unused',
    '__always_unused', '__cold', '__noreturn', '__pure', 'inline',
]
c_paren_attributes = ['__printf', '__aligned', '__section', '__acquires',
                      '__releases', '__must_hold']

highlight_language = 'c'
pygments_style = 'sphinx'

html_theme = 'alabaster'
html_title = project
html_show_sourcelink = False
