"""Run the code cells of a book page in the quick profile, for the tests of its claims (test_chNN_*)."""

import re
from pathlib import Path

import matplotlib
import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
CELL = re.compile(r"```\{code-cell\} ipython3\n(?:---\n.*?\n---\n)?(.*?)```", re.S)


def code_cells(page: Path) -> list[str]:
    """The sources of the page's code cells, in order."""
    return CELL.findall(page.read_text(encoding="utf-8"))


def run_page(page: Path, cache: Path) -> dict:
    """The variables of ``page`` after running all its cells: quick profile, the result cache in
    ``cache``, figures drawn off screen and closed after each cell."""
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    namespace: dict = {}
    # a module-scoped fixture runs before conftest's per-test cache, so the page gets its own
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DLPBOOK_PROFILE", "quick")
        patch.setenv("DLPBOOK_CACHE", str(cache))
        for source in code_cells(page):
            exec(compile(source, str(page), "exec"), namespace)
            plt.close("all")
    return namespace


def page_fixture(page: Path):
    """A module-scoped fixture named ``page``: the variables of ``page`` after :func:`run_page`,
    with a private result cache. Use as ``page = page_fixture(PAGE)`` in a test module."""

    @pytest.fixture(scope="module", name="page")
    def variables(tmp_path_factory):
        return run_page(page, tmp_path_factory.mktemp("cache"))

    return variables
