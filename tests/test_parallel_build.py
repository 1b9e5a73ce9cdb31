"""_ext/parallel_build.py: the local Sphinx extension behind `make book`'s two parallel workers."""

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("sphinx")
from sphinx.errors import ExtensionError  # noqa: E402
from sphinx.extension import Extension  # noqa: E402

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
