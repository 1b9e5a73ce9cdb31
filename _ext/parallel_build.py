"""Make ``sphinx-build -j 2`` read (and so execute) two pages at a time, evenly.

Two things stand in the way with Jupyter Book's extensions; this extension removes both.

1. Three extensions return no parallel-safety metadata, and Sphinx then reads every page one
   after another without saying so. They are declared safe once every extension is loaded
   (at ``config-inited``). Why that holds for each:

   - ``sphinx_multitoc_numbering`` replaces ``TocTreeCollector.assign_section_numbers``, which
     runs in the main process after the environments of the read workers are merged;
   - ``sphinx_jupyterbook_latex`` sets its flags on the environment at ``builder-inited``, before
     the workers are forked, and otherwise adds per-document transforms (LaTeX builder only);
   - ``sphinx-mathjax-offline`` only copies MathJax at ``build-finished`` in the main process.

2. Sphinx hands each worker a run of up to ``sqrt(5 * pages)`` pages in alphabetical order, so
   the slow pages of neighbouring chapters queue behind each other in one worker while the
   other idles. Here every page is its own task: a worker takes the next page as soon as it is
   free. (Each task costs a fork and one pickled environment, small next to executing a page.)

3. jupyter-cache (1.0), behind ``execute_notebooks: cache``, is not safe for two processes writing
   at once: each write ends by pruning the oldest records, and it lists the records to keep and the
   records to delete in two queries, so a record the other worker adds in between is deleted,
   and the build stops with "Notebook file does not exist for cache record" when its notebook
   file is not yet written (a CI build did), or a cached notebook is silently lost when it is.
   Here each write of an executed notebook holds an exclusive lock on a file in the cache folder.

With ``-j`` above 1, an extension added later that does not declare itself safe for parallel
reading stops the build with its name, instead of letting Sphinx fall back to serial reading.

Loaded through ``sphinx: local_extensions`` of ``_config.yml``. Written for Sphinx 7.4, which
Jupyter Book 1.x holds.
"""

from __future__ import annotations

import functools
from pathlib import Path

import sphinx.builders
from jupyter_cache.cache.main import JupyterCacheBase
from sphinx.errors import ExtensionError

try:
    import fcntl
except ImportError:  # Windows, where Sphinx reads serially: one writer only
    fcntl = None

PARALLEL_UNDECLARED = ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex", "sphinx-mathjax-offline")


def one_page_per_task(pages: list[str], nproc: int, maxbatch: int = 10) -> list[list[str]]:
    """Replacement of ``sphinx.util.parallel.make_chunks``: one chunk per page."""
    return [[page] for page in pages]


def serialise_cache_writes() -> None:
    """Make ``JupyterCacheBase.cache_notebook_bundle`` hold an exclusive lock while it writes."""
    write = JupyterCacheBase.cache_notebook_bundle
    if getattr(write, "serialised", False):
        return

    @functools.wraps(write)
    def locked_write(cache, *args, **kwargs):
        with open(Path(cache.path) / "write.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            return write(cache, *args, **kwargs)

    locked_write.serialised = True
    JupyterCacheBase.cache_notebook_bundle = locked_write


def _declare_parallel_safe(app, config) -> None:
    missing = [name for name in PARALLEL_UNDECLARED if name not in app.extensions]
    if missing:
        raise ExtensionError(f"parallel_build: {', '.join(missing)} no longer loaded; remove from PARALLEL_UNDECLARED")
    for name in PARALLEL_UNDECLARED:
        extension = app.extensions[name]
        extension.parallel_read_safe = True
        extension.parallel_write_safe = True
    if app.parallel > 1:
        serial = [extension.name for extension in app.extensions.values() if not extension.parallel_read_safe]
        if serial:
            raise ExtensionError(
                f"parallel_build: {', '.join(serial)} would make sphinx-build -j read serially; "
                "return parallel_read_safe from their setup() (or, once checked, list them in "
                "PARALLEL_UNDECLARED)"
            )


def setup(app):
    """Sphinx entry point."""
    if not hasattr(sphinx.builders, "make_chunks"):
        raise ExtensionError("parallel_build: sphinx.builders.make_chunks is gone; update this extension")
    sphinx.builders.make_chunks = one_page_per_task
    if fcntl is not None:
        serialise_cache_writes()
    app.connect("config-inited", _declare_parallel_safe)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
