"""The site's local Sphinx extensions (_ext/): chapter numbers, alt text, glossary tooltips.

The pure helpers are tested directly; one small Sphinx project built in a temporary folder
checks what a reader sees in the HTML.
"""

import re
import sys
import textwrap
from pathlib import Path

import pytest

sphinx = pytest.importorskip("sphinx")
pytest.importorskip("sphinx_gallery")

EXTENSIONS = Path(__file__).resolve().parents[1] / "_ext"
sys.path.insert(0, str(EXTENSIONS))

import chapter_numbers  # noqa: E402
import cross_page_glue  # noqa: E402
import plain_text  # noqa: E402
import unique_scripts  # noqa: E402


@pytest.mark.parametrize(
    ("docname", "prefix"),
    [
        ("book/ch02-models", (2,)),
        ("book/ch10-graph-networks", (10,)),
        ("book/exercises/ex03-3", ("E3", 3)),
        ("book/exercises/ex12-10", ("E12", 10)),
        ("book/intro", ()),
        ("book/auto_examples/plot_airshower_footprint", ()),
    ],
)
def test_page_prefix(docname, prefix):
    assert chapter_numbers.page_prefix(docname) == prefix


def test_number_page_counts_by_chapter_and_twins_share_a_number():
    numbers = {"figure": {"fig-ex33-torch-scan": (16,), "fig-ex33-torch-seeds": (17,),
                          "fig-ex33-keras-scan": (18,), "fig-ex33-keras-seeds": (19,),
                          "fig-ex33-summary": (20,)},
               "table": {"tab-ex33-runs": (3,)}}
    renumbered = chapter_numbers.number_page("book/exercises/ex03-3", numbers)
    assert renumbered["figure"] == {"fig-ex33-torch-scan": ("E3", 3, 1), "fig-ex33-torch-seeds": ("E3", 3, 2),
                                    "fig-ex33-keras-scan": ("E3", 3, 1), "fig-ex33-keras-seeds": ("E3", 3, 2),
                                    "fig-ex33-summary": ("E3", 3, 3)}
    assert renumbered["table"] == {"tab-ex33-runs": ("E3", 3, 1)}


def test_twin_key_removes_only_whole_framework_words():
    assert chapter_numbers.twin_key("fig-ex41-numpy") == chapter_numbers.twin_key("fig-ex41-torch") == "fig-ex41"
    assert chapter_numbers.twin_key("fig-ch04-torchlight") == "fig-ch04-torchlight"


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"f(\vec x;\theta)", "f(x;θ)"),
        (r"L = \frac1k\sum_i [f(\vec x_i) - y_i]^2", "L = 1/k Σ_i [f(x_i) - y_i]²"),
        (r"\lambda\sum W_{ij}^2", "λ Σ W_ij²"),
        (r"q_j = e^{z_j}/\sum_l e^{z_l}", "q_j = e^z_j/Σ_l e^z_l"),
        (r"10^{-5}", "10⁻⁵"),
    ],
)
def test_plain_math(latex, text):
    assert plain_text.plain_math(latex) == text


def test_first_sentence_stops_at_the_first_full_stop_before_a_new_sentence():
    text = "The step size α of an update (Sec. 4.7). Too small and training crawls."
    assert plain_text.first_sentence(text) == "The step size α of an update (Sec. 4.7)."
    assert plain_text.first_sentence("One sentence without end") == "One sentence without end"


def test_a_page_that_pastes_from_a_reread_page_is_reread_too():
    pastes = {"book/results": {"book/exercises/ex05-1", "book/exercises/ex05-2"}, "book/other": {"book/ch01-scope"}}
    assert cross_page_glue.outdated_pasters(pastes, {"book/exercises/ex05-2"}) == ["book/results"]
    assert cross_page_glue.outdated_pasters(pastes, {"book/ch02-models"}) == []
    assert cross_page_glue.outdated_pasters(pastes, {"book/results", "book/exercises/ex05-1"}) == []  # already re-read


def test_repeated_inline_scripts_are_dropped():
    from sphinx.builders.html._assets import _JavaScript

    scripts = [_JavaScript(None, body="const A = 1"), _JavaScript("a.js"), _JavaScript("", body="const A = 1"),
               _JavaScript("a.js"), _JavaScript("", body="const B = 2")]
    context = {"script_files": scripts}
    unique_scripts.drop_repeated_scripts(None, "page", "page.html", context, None)
    assert [(s.filename, s.attributes.get("body")) for s in context["script_files"]] == [
        (None, "const A = 1"), ("a.js", None), ("", "const B = 2")]


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    """Build a four-page Sphinx project with the extensions and return its HTML by page."""
    from sphinx.application import Sphinx

    source = tmp_path_factory.mktemp("site")
    (source / "book" / "exercises").mkdir(parents=True)
    (source / "plot.png").write_bytes(PNG)
    (source / "conf.py").write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(EXTENSIONS)!r})
        extensions = ["chapter_numbers", "image_alt_text", "glossary_tooltips", "unique_scripts"]
        numfig = True
    """))
    (source / "index.rst").write_text(textwrap.dedent("""
        Site
        ====

        .. toctree::

           book/ch01-intro
           book/ch02-models
           book/exercises/ex03-3
           book/ch06-terminology
    """))
    (source / "book" / "ch01-intro.rst").write_text(textwrap.dedent("""
        1. Intro
        ========

        .. figure:: ../plot.png

           First figure of chapter one.
    """))
    (source / "book" / "ch02-models.rst").write_text(textwrap.dedent("""
        2. Models
        =========

        A :term:`loss` is minimised; see :numref:`fig-ch02-second`.

        .. figure:: ../plot.png
           :name: fig-ch02-first

           The data of chapter two. More words.

        .. figure:: ../plot.png
           :name: fig-ch02-second
           :alt: A hand-written description

           Second figure.
    """))
    (source / "book" / "exercises" / "ex03-3.rst").write_text(textwrap.dedent("""
        Exercise 3.3
        ============

        .. figure:: ../../plot.png
           :name: fig-ex33-torch-scan

           Scan (PyTorch).

        .. figure:: ../../plot.png
           :name: fig-ex33-keras-scan

           Scan (Keras).

        .. figure:: ../../plot.png
           :name: fig-ex33-summary

           Summary.
    """))
    (source / "book" / "ch06-terminology.rst").write_text(textwrap.dedent("""
        6. Terminology
        ==============

        .. glossary::

           loss
              The quantity $L$ a network minimises, :math:`L = \\frac1k\\sum_i \\Delta_i^2`. A second sentence.
    """))
    output = source / "_build"
    app = Sphinx(str(source), str(source), str(output), str(output / ".doctrees"), "html",
                 status=None, warningiserror=False, keep_going=True)
    app.build()
    return {path.relative_to(output).as_posix(): path.read_text() for path in output.rglob("*.html")}


def caption_numbers(html):
    return re.findall(r'<span class="caption-number">(Fig\. [^<]*?)\s*</span>', html)


def test_figures_are_numbered_by_chapter_and_exercise(built_site):
    assert caption_numbers(built_site["book/ch01-intro.html"]) == ["Fig. 1.1"]
    assert caption_numbers(built_site["book/ch02-models.html"]) == ["Fig. 2.1", "Fig. 2.2"]
    assert caption_numbers(built_site["book/exercises/ex03-3.html"]) == ["Fig. E3.3.1", "Fig. E3.3.1", "Fig. E3.3.2"]
    assert "Fig. 2.2" in re.search(r'href="#fig-ch02-second"[^>]*>.*?</a>', built_site["book/ch02-models.html"]).group(0)


def test_images_get_alt_text_from_their_caption_unless_written(built_site):
    alts = re.findall(r'<img alt="([^"]*)"', built_site["book/ch02-models.html"])
    assert alts == ["The data of chapter two.", "A hand-written description"]
    assert "plot.png" not in "".join(re.findall(r'<img alt="([^"]*)"', built_site["book/ch01-intro.html"]))


def test_glossary_links_carry_the_first_sentence_of_the_entry(built_site):
    link = re.search(r'<a class="reference internal" href="ch06-terminology.html#term-loss"[^>]*>',
                     built_site["book/ch02-models.html"]).group(0)
    assert 'title="The quantity $L$ a network minimises, L = 1/k Σ_i Δ_i²."' in link
