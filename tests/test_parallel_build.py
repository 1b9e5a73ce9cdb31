"""_ext/parallel_build.py: the local Sphinx extension behind `make book`'s two parallel workers."""

import fcntl
import importlib.util
import multiprocessing
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("sphinx")
from sphinx.errors import ExtensionError  # noqa: E402
from sphinx.extension import Extension  # noqa: E402

jupyter_cache = pytest.importorskip("jupyter_cache")
nbformat = pytest.importorskip("nbformat")
from jupyter_cache.base import CacheBundleIn  # noqa: E402

SOURCE = Path(__file__).resolve().parents[1] / "_ext" / "parallel_build.py"


@pytest.fixture(scope="module")
def parallel_build():
    spec = importlib.util.spec_from_file_location("parallel_build", SOURCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _app(parallel, **declared):
    """A Sphinx application as the extension sees it: loaded extensions and the -j value."""
    extensions = {name: Extension(name, None, parallel_read_safe=safe) for name, safe in declared.items()}
    return SimpleNamespace(extensions=extensions, parallel=parallel)


def test_one_page_per_task(parallel_build):
    pages = [f"page{i}" for i in range(25)]
    assert parallel_build.one_page_per_task(pages, 2) == [[page] for page in pages]


def test_declares_the_three_extensions_safe(parallel_build):
    app = _app(2, myst_nb=True, **dict.fromkeys(parallel_build.PARALLEL_UNDECLARED))
    parallel_build._declare_parallel_safe(app, None)
    for name in parallel_build.PARALLEL_UNDECLARED:
        assert app.extensions[name].parallel_read_safe is True
        assert app.extensions[name].parallel_write_safe is True


def test_another_undeclared_extension_stops_a_parallel_build(parallel_build):
    app = _app(2, new_extension=None, **dict.fromkeys(parallel_build.PARALLEL_UNDECLARED))
    with pytest.raises(ExtensionError, match="new_extension would make sphinx-build -j read serially"):
        parallel_build._declare_parallel_safe(app, None)


def test_a_serial_build_accepts_it(parallel_build):
    app = _app(1, new_extension=None, **dict.fromkeys(parallel_build.PARALLEL_UNDECLARED))
    parallel_build._declare_parallel_safe(app, None)
    assert app.extensions["new_extension"].parallel_read_safe is None


def test_an_extension_no_longer_loaded_is_named(parallel_build):
    app = _app(2, sphinx_multitoc_numbering=None)
    with pytest.raises(ExtensionError, match="sphinx_jupyterbook_latex, sphinx-mathjax-offline no longer loaded"):
        parallel_build._declare_parallel_safe(app, None)


def _executed_notebook(text):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"x = {text!r}", execution_count=1)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def _cache_notebooks(folder, tag, count, failures):
    """One build worker: cache `count` distinct executed notebooks, count the failed writes."""
    cache = jupyter_cache.get_cache(folder)
    failed = 0
    for i in range(count):
        try:
            cache.cache_notebook_bundle(CacheBundleIn(_executed_notebook(f"{tag}{i}"), f"{tag}{i}.md"), overwrite=True)
        except KeyError:
            failed += 1
    failures.put(failed)


def test_two_workers_writing_the_cache_lose_nothing(parallel_build, tmp_path):
    # unserialised, 2 x 150 writes lose about 10 % of the records and raise the KeyError of a
    # CI build ("Notebook file does not exist for cache record") a few times
    parallel_build.serialise_cache_writes()
    jupyter_cache.get_cache(tmp_path).list_cache_records()  # the database exists before the fork
    fork = multiprocessing.get_context("fork")
    failures = fork.Queue()
    workers = [fork.Process(target=_cache_notebooks, args=(tmp_path, tag, 150, failures)) for tag in "ab"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    assert failures.get() + failures.get() == 0
    cache = jupyter_cache.get_cache(tmp_path)
    records = cache.list_cache_records()
    assert sorted(record.uri for record in records) == sorted(f"{tag}{i}.md" for tag in "ab" for i in range(150))
    assert all(cache.get_cache_bundle(record.pk).nb.cells for record in records)


def test_a_cache_write_waits_for_the_lock(parallel_build, tmp_path):
    parallel_build.serialise_cache_writes()
    parallel_build.serialise_cache_writes()  # a second setup() does not lock twice (would deadlock)
    cache = jupyter_cache.get_cache(tmp_path)
    writer = threading.Thread(target=cache.cache_notebook_bundle, args=(CacheBundleIn(_executed_notebook("x"), "x.md"),))
    with open(cache.path / "write.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        writer.start()
        writer.join(timeout=0.5)
        assert writer.is_alive() and not cache.list_cache_records()
    writer.join(timeout=10)
    assert [record.uri for record in cache.list_cache_records()] == ["x.md"]
