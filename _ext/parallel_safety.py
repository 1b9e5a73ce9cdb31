"""Let ``sphinx-build -j 2`` read (and so execute) two pages at a time.

Three extensions that Jupyter Book loads return no parallel-safety metadata, and Sphinx then
reads every page one after another without saying so. This extension declares them safe once
every extension is loaded (at ``config-inited``). Why that holds for each:

- ``sphinx_multitoc_numbering`` replaces ``TocTreeCollector.assign_section_numbers``, which
  runs in the main process after the environments of the read workers are merged;
- ``sphinx_jupyterbook_latex`` sets its flags on the environment at ``builder-inited``, before
  the workers are forked, and otherwise adds per-document transforms (LaTeX builder only);
- ``sphinx-mathjax-offline`` only copies MathJax at ``build-finished`` in the main process.

Loaded through ``sphinx: local_extensions`` of ``_config.yml``.
"""

from __future__ import annotations

from sphinx.errors import ExtensionError

PARALLEL_UNDECLARED = ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex", "sphinx-mathjax-offline")


def _declare_parallel_safe(app, config) -> None:
    missing = [name for name in PARALLEL_UNDECLARED if name not in app.extensions]
    if missing:
        raise ExtensionError(f"parallel_safety: {', '.join(missing)} no longer loaded; remove from PARALLEL_UNDECLARED")
    for name in PARALLEL_UNDECLARED:
        extension = app.extensions[name]
        extension.parallel_read_safe = True
        extension.parallel_write_safe = True


def setup(app):
    """Sphinx entry point."""
    app.connect("config-inited", _declare_parallel_safe)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
