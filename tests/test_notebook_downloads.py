"""_ext/notebook_downloads.py: chapter and exercise pages as notebooks that run on their own.

A two-page MyST-NB project is built in a temporary folder with the book's theme; its chapter
page literalincludes package source, glues a number and a figure, and collapses a solution in a
dropdown with tabs, as the book's pages do.
"""

import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("myst_nb")
pytest.importorskip("sphinx_book_theme")
nbformat = pytest.importorskip("nbformat")

EXTENSIONS = Path(__file__).resolve().parents[1] / "_ext"
sys.path.insert(0, str(EXTENSIONS))

import notebook_downloads  # noqa: E402

# A 1x1 PNG, the glued "figure".
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a3d8a3ad0000000049454e44ae426082"
)

CHAPTER = '''\
---
file_format: mystnb
kernelspec:
  name: python3
  display_name: Python 3
---

# 1. Squares

(sec-squares)=
The {term}`loss <Loss function>` of {cite}`someone2020` is shown in {numref}`fig-ch01-dot`;
see also {doc}`intro`.

```{code-cell} ipython3
:tags: [hide-cell]

import sys
sys.path.insert(0, SRC)
from IPython.display import Image
from myst_nb import glue
from squares import square

print("three squared is", square(3))
glue("answer", square(1.5), display=False)
glue("dot", Image(data=bytes.fromhex(PNG_HEX)), display=False)
```

::::::{dropdown} Solution
:::::{tab-set}
::::{tab-item} PyTorch
The answer is {glue:text}`answer:.3f`, computed by

```{literalinclude} ../src/squares.py
:pyobject: square
```

```{glue:figure} dot
:name: fig-ch01-dot

A single dot. Drawn by hand.
```
::::
:::::
::::::

:::{admonition} Erratum
The book prints {math}`x^3`.
:::
'''


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build the project; return the output folder."""
    from sphinx.application import Sphinx

    source = tmp_path_factory.mktemp("site")
    (source / "book").mkdir()
    (source / "src").mkdir()
    (source / "src" / "squares.py").write_text(textwrap.dedent('''\
        def square(x):
            """The square of x."""
            return x * x


        def cube(x):
            return x**3
    '''))
    chapter = CHAPTER.replace("SRC", repr(str(source / "src"))).replace("PNG_HEX", repr(PNG.hex()))
    (source / "book" / "ch01-squares.md").write_text(chapter)
    (source / "book" / "intro.md").write_text("# Intro\n\nNo code here.\n")
    (source / "book" / "ch02-glossary.md").write_text(
        "# 2. Glossary\n\n```{glossary}\nLoss function\n  What is minimised, see {doc}`intro`.\n```\n")
    (source / "index.md").write_text("# Site\n\n```{toctree}\nbook/intro\nbook/ch01-squares\nbook/ch02-glossary\n```\n")
    (source / "conf.py").write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(EXTENSIONS)!r})
        extensions = ["myst_nb", "sphinx_design", "notebook_downloads"]
        html_theme = "sphinx_book_theme"
        numfig = True
        nb_execution_mode = "force"
        nb_execution_raise_on_error = True
        suppress_warnings = ["myst.domains"]
        myst_enable_extensions = ["colon_fence", "dollarmath"]
    """))
    output = source / "_build" / "html"
    app = Sphinx(str(source), str(source), str(output), str(source / "_build" / ".doctrees"), "html",
                 status=None, warningiserror=False, keep_going=True)
    app.build()
    assert app.statuscode == 0
    return output


@pytest.fixture(scope="module")
def notebook(built):
    return nbformat.read(built / "_sources" / "book" / "ch01-squares.ipynb", as_version=4)


def markdown(notebook):
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def test_chapter_page_links_its_notebook_and_other_pages_do_not(built):
    chapter = (built / "book" / "ch01-squares.html").read_text()
    assert 'href="../_sources/book/ch01-squares.ipynb"' in chapter
    assert ".ipynb" not in (built / "book" / "intro.html").read_text()
    assert not (built / "_sources" / "book" / "intro.ipynb").exists()


def test_notebook_is_valid_and_keeps_the_outputs_of_the_build(notebook):
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    assert "file_format" not in notebook.metadata  # a notebook, not MyST text
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert len(code) == 1
    assert code[0].metadata.tags == ["hide-cell"]
    assert "three squared is 9" in "".join(output.get("text", "") for output in code[0].outputs)


def test_myst_constructs_are_replaced_by_what_a_reader_sees(notebook):
    text = markdown(notebook)
    for myst in ("{literalinclude}", "{glue", "{dropdown}", "{tab-", "{admonition}", "{term}", "{numref}",
                 "{doc}", "(sec-squares)="):
        assert myst not in text, myst
    assert 'def square(x):\n    """The square of x."""\n    return x * x\n```' in text
    assert "def cube" not in text  # :pyobject: cut as Sphinx cuts it
    assert "The answer is 2.250" in text
    assert "The loss of [someone2020] is shown in Fig. 1;" in text
    assert "see also Intro." in text
    assert "**Solution**\n\n**PyTorch**\n\nThe answer is" in text  # one blank line between blocks
    assert "> **Erratum**\n>\n> The book prints $x^3$." in text
    assert "pip install -e" in notebook.cells[0].source


def test_a_chapter_without_code_is_a_notebook_of_its_text(built):
    notebook = nbformat.read(built / "_sources" / "book" / "ch02-glossary.ipynb", as_version=4)
    nbformat.validate(notebook)
    assert {cell.cell_type for cell in notebook.cells} == {"markdown"}
    assert "# 2. Glossary\n\n**Loss function**\nWhat is minimised, see Intro." in markdown(notebook)


def test_glued_figure_is_an_attachment_with_its_number_and_caption(notebook):
    cell = next(cell for cell in notebook.cells if "attachments" in cell)
    assert "![A single dot.](attachment:dot.png)" in cell.source  # alt text: the caption's first sentence
    assert "**Fig. 1** A single dot. Drawn by hand." in cell.source
    assert cell.attachments["dot.png"]["image/png"].startswith("iVBOR")


def test_notebook_runs_on_its_own(notebook, tmp_path):
    """Executed in a folder of its own, the downloaded notebook gives the outputs of the build."""
    nbclient = pytest.importorskip("nbclient")
    executed = nbclient.NotebookClient(nbformat.from_dict(notebook), timeout=120,
                                       resources={"metadata": {"path": str(tmp_path)}}).execute()
    code = next(cell for cell in executed.cells if cell.cell_type == "code")
    assert "three squared is 9" in code.outputs[0]["text"]


def test_unknown_directives_stay_as_written():
    page = notebook_downloads.Page(source_dir=Path("."), glue={}, config=None)
    text = "Before\n\n```{mermaid}\ngraph TD\n```\n\nAfter {abbr}`NN`"
    assert notebook_downloads.convert_markdown(text, page) == "Before\n\n```{mermaid}\ngraph TD\n```\n\nAfter NN"


def test_a_page_taken_from_the_execution_cache_keeps_its_outputs(tmp_path):
    """myst-nb writes a page served from jupyter-cache without outputs; the download has them."""
    from sphinx.application import Sphinx

    (tmp_path / "book").mkdir()
    (tmp_path / "conf.py").write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(EXTENSIONS)!r})
        extensions = ["myst_nb", "notebook_downloads"]
        html_theme = "sphinx_book_theme"
        nb_execution_mode = "cache"
    """))
    (tmp_path / "index.md").write_text("# Site\n\n```{toctree}\nbook/ch01-cached\n```\n")
    page = tmp_path / "book" / "ch01-cached.md"
    cell = "```{code-cell} ipython3\nfrom myst_nb import glue\nprint(6 * 7)\nglue('answer', 42, display=False)\n```\n"
    header = "---\nfile_format: mystnb\nkernelspec:\n  name: python3\n  display_name: Python 3\n---\n\n"
    for text in ("The answer is {glue:text}`answer`.", "The answer, from the cache, is {glue:text}`answer`."):
        page.write_text(f"{header}# 1. Cached\n\n{cell}\n{text}\n")  # the second build changes only text
        output = tmp_path / "_build" / "html"
        app = Sphinx(str(tmp_path), str(tmp_path), str(output), str(tmp_path / "_build" / ".doctrees"), "html",
                     status=None, warningiserror=False, keep_going=True)
        app.build()
        assert app.statuscode == 0
    written_by_myst_nb = nbformat.read(tmp_path / "_build" / "jupyter_execute" / "book" / "ch01-cached.ipynb", 4)
    assert not any(cell.get("outputs") for cell in written_by_myst_nb.cells)  # the behaviour worked around
    notebook = nbformat.read(output / "_sources" / "book" / "ch01-cached.ipynb", as_version=4)
    code = next(cell for cell in notebook.cells if cell.cell_type == "code")
    assert [output["text"] for output in code.outputs] == ["42\n"]  # the glued value is not an output
    assert "The answer, from the cache, is 42." in markdown(notebook)
