"""The contract between the pages (book/**/*.md) and the package, checked without building the site.

- Every ``literalinclude`` shows package code: a ``.py`` file under ``src/dlpbook`` that exists,
  through a ``:pyobject:`` that names a public function, class or method of that file.
- No code cell defines a function or class: algorithms live in the package.
- Every glued name a page uses (``{glue:text}`name```, ``{glue:figure} name``, ...) is set by a
  ``glue(...)`` call on the same page, or on the page it names (``other.md::name``).
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "dlpbook"
PAGES = sorted(path for path in (ROOT / "book").rglob("*.md") if "auto_examples" not in path.parts)

# Pages of other owners that still define functions in cells; strict, so the entry must go
# when the page is fixed.
FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<directive>[\w:-]+)\}\s*(?P<argument>.*)$")
OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")


def page_id(path: Path) -> str:
    return str(path.relative_to(ROOT / "book"))


def directives(path: Path, name: str):
    """(argument, options, body lines) of every ``name`` directive of a page."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for index, line in enumerate(lines):
        match = FENCE.match(line)
        if not match or match["directive"] != name:
            continue
        options, body, end = {}, [], match["fence"]
        for following in lines[index + 1:]:
            if following.strip() == end:
                break
            option = OPTION.match(following)
            if option and not body:
                options[option["key"]] = option["value"].strip()
            else:
                body.append(following)
        found.append((match["argument"].strip(), options, body))
    return found


def find_object(tree: ast.Module, dotted: str) -> ast.AST | None:
    """The function or class ``a`` or method ``A.b`` of a parsed module, or None."""
    scope: list[ast.stmt] = tree.body
    node = None
    for part in dotted.split("."):
        node = next(
            (item for item in scope
             if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and item.name == part),
            None,
        )
        if node is None:
            return None
        scope = node.body
    return node


INCLUDES = [(path, argument, options) for path in PAGES for argument, options, _ in directives(path, "literalinclude")]


def test_pages_are_found():
    names = {page_id(path) for path in PAGES}
    assert {"ch05-model-building.md", "exercises/ex05-2.md"} <= names
    assert len(INCLUDES) > 20


@pytest.mark.parametrize("path, argument, options", INCLUDES,
                         ids=[f"{page_id(p)}:{o.get('pyobject', a)}" for p, a, o in INCLUDES])
def test_literalinclude_shows_a_public_package_object(path, argument, options):
    source = (path.parent / argument).resolve()
    assert source.is_file(), f"{page_id(path)} includes {argument}, which does not exist"
    assert source.suffix == ".py" and source.is_relative_to(PACKAGE), (
        f"{page_id(path)} includes {argument}: pages show package code from src/dlpbook"
    )
    dotted = options.get("pyobject")
    assert dotted, f"{page_id(path)} includes {argument} without :pyobject:"
    assert find_object(ast.parse(source.read_text(encoding="utf-8")), dotted) is not None, (
        f"{page_id(path)}: {dotted} is not defined in {argument}"
    )
    private = [part for part in dotted.split(".") if part.startswith("_")]
    assert not private, f"{page_id(path)} shows {dotted}: pages show public objects only"


def test_find_object_resolves_functions_classes_and_methods():
    tree = ast.parse("def f():\n    pass\nclass A:\n    def m(self):\n        pass\n")
    assert isinstance(find_object(tree, "f"), ast.FunctionDef)
    assert isinstance(find_object(tree, "A"), ast.ClassDef)
    assert find_object(tree, "A.m").name == "m"
    assert find_object(tree, "A.n") is None and find_object(tree, "g") is None and find_object(tree, "f.x") is None


def definitions_in_cells(path: Path) -> list[str]:
    return [
        line for _, _, body in directives(path, "code-cell") for line in body
        if re.match(r"(async\s+def|def|class)\s", line)
    ]


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_no_code_cell_defines_a_function_or_class(path):
    assert definitions_in_cells(path) == [], f"{page_id(path)} defines code in a cell; move it into the package"


GLUE_USE = re.compile(r"\{glue(?::\w+)?\}`([^`]+)`|^(?:`{3,}|:{3,})\{glue:\w+\}\s+(\S+)", re.MULTILINE)
GLUE_SET = re.compile(r"\bglue\(\s*(f?)([\"'])(.*?)\2")


def glued_names(text: str) -> list[re.Pattern]:
    """The names set by ``glue(...)`` calls; f-string fields match any text."""
    patterns = []
    for is_f, _, name in GLUE_SET.findall(text):
        parts = re.split(r"\{[^}]*\}", name) if is_f else [name]
        patterns.append(re.compile(".+".join(re.escape(part) for part in parts)))
    return patterns


def test_glued_names_expand_f_strings():
    patterns = glued_names('glue(f"ex51-{name}-plain", x)\nglue("ex32-source", y)')
    assert patterns[0].fullmatch("ex51-torch-plain") and not patterns[0].fullmatch("ex52-torch-plain")
    assert patterns[1].fullmatch("ex32-source")


def is_set(name: str, path: Path) -> bool:
    """Whether ``name`` (``key``, or ``other-page.md::key`` from another page) is glued where it says."""
    page, _, key = name.rpartition("::")
    if page:  # the text role needs a format after a page's key: ``other.md::key:s``
        key = key.rpartition(":")[0] or key
    source = (path.parent / page) if page else path
    if not source.is_file():
        return False
    return any(pattern.fullmatch(key) for pattern in glued_names(source.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_every_glued_name_is_set_on_its_page(path):
    text = path.read_text(encoding="utf-8")
    used = {inline or block for inline, block in GLUE_USE.findall(text)}
    missing = sorted(name for name in used if not is_set(name, path))
    assert not missing, f"{page_id(path)} uses glued names that no glue() call on their page sets: {missing}"


def test_glued_names_of_other_pages_are_looked_up_there(tmp_path):
    (tmp_path / "ex.md").write_text('glue(f"ex51-{name}-loss", x)\n')
    (tmp_path / "results.md").write_text("")
    assert is_set("ex.md::ex51-torch-loss", tmp_path / "results.md")
    assert is_set("ex.md::ex51-torch-loss:s", tmp_path / "results.md")
    assert not is_set("ex.md::ex52-torch-loss", tmp_path / "results.md")
    assert not is_set("missing.md::ex51-torch-loss", tmp_path / "results.md")
    assert not is_set("ex51-torch-loss", tmp_path / "results.md")
