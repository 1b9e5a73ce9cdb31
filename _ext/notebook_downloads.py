"""Offer every chapter and exercise page as a notebook that runs on its own in Jupyter.

myst-nb writes the notebook of each page to ``_build/jupyter_execute/`` (with the outputs of the
build when the page executed in this build; those of a page taken from the execution cache are
merged in from the cache here), but its markdown cells are MyST source: ``literalinclude`` of
``../../src/...``, ``{glue:text}`` roles and ``glue:figure`` directives whose values live in a
separate ``.glue.json``, dropdowns and tab sets. In Jupyter these show as raw directives and
empty placeholders. For each chapter (``chNN-*``) and exercise (``exNN-M``) page this extension
rewrites that notebook so it stands alone (a page without code cells, such as the glossary
chapter, becomes a notebook of markdown cells):

- ``literalinclude`` becomes the included source as a code block, cut by Sphinx's own
  ``LiteralIncludeReader`` (so ``:pyobject:`` selects exactly what the page shows);
- glued values are written in: text roles as their text (with the role's format spec), glued
  figures as cell attachments with their caption and figure number, glued markdown as markdown;
- dropdowns and tab items become bold headings, admonitions block quotes, and cross-reference
  roles (``{term}``, ``{doc}``, ``{numref}``, ...) their text;
- code cells keep their source, tags and outputs.

The notebook is written to ``_sources/<page>.ipynb``, where sphinx-book-theme's download menu
links it (the theme itself copies notebooks only when a launch provider is configured, and
then copies them unchanged). Pages are handled at ``html-page-context``, one file per page, so
parallel writing is safe.

Loaded through ``sphinx: local_extensions`` of ``_config.yml``.
"""

from __future__ import annotations

import copy
import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat
from jupyter_cache import get_cache
from myst_nb.core.read import read_myst_markdown_notebook
from myst_nb.core.variables import format_plain_text
from myst_nb.ext.glue import extract_glue_data_cell
from plain_text import first_sentence
from sphinx.directives.code import LiteralIncludeReader

# book/ch03-building-blocks, book/exercises/ex03-2
DOWNLOADABLE_PAGE = re.compile(r"(?:^|/)(?:ch\d\d-[^/]*|ex\d\d-\d+)$")
# ```{name} argument  or  :::{name} argument, possibly indented
DIRECTIVE_OPEN = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|:{3,})\{(?P<name>[^}\s]+)\}\s*(?P<argument>.*?)\s*$")
PLAIN_FENCE_OPEN = re.compile(r"^ *(?P<fence>`{3,}|~{3,})(?!.*\{)")
OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")
ROLE = re.compile(r"\{(?P<name>[\w:.-]+)\}`(?P<content>[^`]+)`")
TARGET = re.compile(r"^\((?P<label>[^)\s]+)\)=\s*$")
EXPLICIT_TITLE = re.compile(r"^(?P<title>.+?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
ADMONITIONS = {"note", "warning", "tip", "important", "caution", "attention", "hint", "danger", "error", "seealso"}
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")
TEXT_NOTE = "*{title}*: this page of the dlpbook site as a notebook."
INSTALL_NOTE = (
    "*{title}*: this page of the dlpbook site as a notebook, with the outputs of the site's build. "
    "It runs on its own in Jupyter once the package is installed, from a checkout of the dlpbook "
    "repository: `pip install -e \".[book,keras]\"` (`book` brings Jupyter and myst-nb, whose "
    "`glue` the code cells call; `keras` the Keras solutions)."
)


@dataclass
class Page:
    """What the conversion of one page needs to know about the site.

    Attributes
    ----------
    source_dir : Path
        Folder of the page's source, against which ``literalinclude`` paths are resolved.
    glue : dict
        Glued outputs of the page by key (myst-nb's ``.glue.json`` and the glued outputs of
        the cached notebook): nbformat output dicts.
    config : sphinx.config.Config
        The Sphinx configuration (``LiteralIncludeReader`` reads its source encoding).
    reference : callable
        ``reference(role, target)`` gives the text of a cross-reference (a page title, a
        figure number "Fig. 3.2"), or None when the target is unknown.
    attachments : dict
        Filled by the conversion: cell attachments (name to mime bundle) of the current cell.
    """

    source_dir: Path
    glue: dict
    config: object
    reference: Callable[[str, str], str | None] = lambda role, target: None
    attachments: dict = field(default_factory=dict)


def standalone_notebook(notebook: nbformat.NotebookNode, page: Page, title: str) -> nbformat.NotebookNode:
    """The executed notebook of a MyST page with its markdown cells made plain Jupyter markdown.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        myst-nb's executed notebook of the page (nbformat 4), left unchanged.
    page : Page
        Where the page lives and what it glued.
    title : str
        Page title, named in the first cell together with how to install the package.

    Returns
    -------
    nbformat.NotebookNode
        A new notebook: an introductory markdown cell, then the page's cells.
    """
    converted = copy.deepcopy(notebook)
    for cell in converted.cells:
        if cell.cell_type != "markdown":
            continue
        page.attachments = {}
        cell.source = convert_markdown(cell.source, page)
        if page.attachments:
            cell.attachments = page.attachments
    for key in ("file_format", "source_map"):  # they describe the MyST source, not this notebook
        converted.metadata.pop(key, None)
    has_code = any(cell.cell_type == "code" for cell in converted.cells)
    note = INSTALL_NOTE if has_code else TEXT_NOTE
    converted.cells.insert(0, nbformat.v4.new_markdown_cell(note.format(title=title)))
    converted.nbformat_minor = max(converted.get("nbformat_minor", 0), 5)
    for index, cell in enumerate(converted.cells):
        cell.id = f"cell-{index}"  # nbformat 4.5: unique ids, also for the inserted cell
    return converted


def convert_markdown(text: str, page: Page) -> str:
    """MyST markdown to Jupyter markdown: directives resolved, roles replaced by their text."""
    return "\n".join(_convert_lines(text.splitlines(), page))


def _convert_lines(lines: list[str], page: Page) -> list[str]:
    out: list[str] = []
    prose: list[str] = []

    def flush():
        if prose:
            _append_block(out, convert_roles("\n".join(prose), page).split("\n"))
            prose.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        directive = DIRECTIVE_OPEN.match(line)
        plain = PLAIN_FENCE_OPEN.match(line)
        if directive:
            end = _closing_fence(lines, index + 1, directive["fence"])
            indent = len(directive["indent"])
            body = [row[indent:] if not row[:indent].strip() else row.lstrip() for row in lines[index + 1:end]]
            flush()
            rendered = render_directive(directive["name"], directive["argument"], body, page)
            _append_block(out, lines[index:end + 1] if rendered is None else rendered)
            index = end + 1
        elif plain:
            end = _closing_fence(lines, index + 1, plain["fence"])
            flush()
            out.extend(lines[index:end + 1])
            index = end + 1
        elif TARGET.match(line) or line.startswith("% "):
            index += 1  # MyST labels and comments have no meaning in Jupyter
        else:
            prose.append(line)
            index += 1
    flush()
    return out


def _append_block(out: list[str], rows: list[str]) -> None:
    """Append the lines of a block, with at most one blank line where it meets the text before."""
    start = 0
    while start < len(rows) and not rows[start].strip() and (not out or not out[-1].strip()):
        start += 1
    out.extend(rows[start:])


def _trimmed(rows: list[str]) -> list[str]:
    """``rows`` without blank lines at either end."""
    start, end = 0, len(rows)
    while start < end and not rows[start].strip():
        start += 1
    while end > start and not rows[end - 1].strip():
        end -= 1
    return rows[start:end]


def _closing_fence(lines: list[str], start: int, fence: str) -> int:
    """Index of the line closing ``fence`` (same character, at least as long), or the last line."""
    closing = re.compile(rf"^ *{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    for index in range(start, len(lines)):
        if closing.match(lines[index]):
            return index
    return len(lines)


def _split_options(body: list[str]) -> tuple[dict[str, str], list[str]]:
    options = {}
    index = 0
    while index < len(body) and (match := OPTION.match(body[index])):
        options[match["key"]] = match["value"]
        index += 1
    return options, body[index:]


def render_directive(name: str, argument: str, body: list[str], page: Page) -> list[str] | None:
    """Jupyter markdown lines for one MyST directive; None keeps the directive as written."""
    options, content = _split_options(body)
    if name == "literalinclude":
        return included_source(argument, options, page)
    if name.startswith("glue"):
        return glued_block(name, argument, options, content, page)
    if name in ("dropdown", "tab-item"):
        return ["", f"**{convert_roles(argument, page)}**", "", *_trimmed(_convert_lines(content, page)), ""]
    if name == "tab-set":
        return _trimmed(_convert_lines(content, page))
    if name == "admonition" or name in ADMONITIONS:
        heading = argument if name == "admonition" else f"{name.capitalize()} {argument}".strip()
        inner = [f"**{convert_roles(heading, page)}**", "", *_trimmed(_convert_lines(content, page))]
        return ["", *[f"> {row}".rstrip() for row in inner], ""]
    if name == "glossary":
        entries = [f"**{row}**" if row and not row[0].isspace() else row.strip() for row in content]
        return convert_roles("\n".join(entries), page).split("\n")
    return None


def included_source(argument: str, options: dict[str, str], page: Page) -> list[str]:
    """A ``literalinclude`` as a fenced code block of the lines that Sphinx would include."""
    path = (page.source_dir / argument).resolve()
    reader_options = {key: value for key, value in options.items()
                      if key in ("pyobject", "lines", "start-after", "end-before", "start-at", "end-at",
                                 "prepend", "append", "encoding")}
    if "dedent" in options:
        reader_options["dedent"] = int(options["dedent"]) if options["dedent"] else None
    text, _ = LiteralIncludeReader(str(path), reader_options, page.config).read()
    language = options.get("language", "python" if path.suffix == ".py" else "")
    fence = "````" if "```" in text else "```"
    caption = [f"*{options['caption']}*", ""] if options.get("caption") else []
    return [*caption, f"{fence}{language}", *text.rstrip("\n").split("\n"), fence]


def glued_block(name: str, key: str, options: dict[str, str], content: list[str], page: Page) -> list[str]:
    """A glue directive (``glue:figure``, ``glue:md``, ``glue:``) with the glued value written in."""
    data = page.glue[key]["data"]
    if name == "glue:md" or (name != "glue:figure" and "text/markdown" in data):
        return [_text(data["text/markdown"])]
    if "text/latex" in data and name == "glue:math":
        return ["$$", _text(data["text/latex"]).strip("$"), "$$"]
    image = next((mime for mime in IMAGE_TYPES if mime in data), None)
    if image is None:
        return ["```", format_plain_text(_text(data["text/plain"]), ""), "```"]
    filename = f"{key}.{image.split('/')[1].split('+')[0]}"
    page.attachments[filename] = {image: data[image]}
    caption = convert_roles(" ".join(row.strip() for row in content).strip(), page)
    number = page.reference("numref", options["name"]) if "name" in options else None
    alt = options.get("alt", first_sentence(caption) if caption else key).replace("[", "(").replace("]", ")")
    lines = [f"![{alt}](attachment:{filename})"]
    if caption or number:
        lines += ["", f"**{number}** {caption}".rstrip() if number else caption]
    return lines


def convert_roles(text: str, page: Page) -> str:
    """Replace MyST roles by what a reader sees: glued values, titles, numbers, plain text."""

    def replace(match: re.Match) -> str:
        name, content = match["name"], match["content"]
        if name.startswith("glue"):
            key, _, spec = content.partition(":")
            data = page.glue[key]["data"]
            if name in ("glue", "glue:any", "glue:md") and "text/markdown" in data:
                return _text(data["text/markdown"])
            return format_plain_text(_text(data["text/plain"]), spec)
        if name == "math":
            return f"${content}$"
        if name == "eq":
            return f"({content})"
        if name == "cite":
            return "[" + ", ".join(key.strip() for key in content.split(",")) + "]"
        explicit = EXPLICIT_TITLE.match(content)
        title, target = (explicit["title"], explicit["target"]) if explicit else (None, content)
        if name in ("doc", "ref", "numref"):
            resolved = page.reference(name, target)
            if title is None:
                return resolved or target
            return title.replace("{number}", resolved or "").replace("%s", resolved or "")
        return title or target

    return ROLE.sub(replace, text)


def _text(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


def _reference_resolver(env, docname: str) -> Callable[[str, str], str | None]:
    """Cross-reference texts from Sphinx's environment: page titles, section names, figure numbers."""
    labels = env.domaindata["std"]["labels"]
    anonlabels = env.domaindata["std"]["anonlabels"]

    def reference(role: str, target: str) -> str | None:
        if role == "doc":
            name = posixpath.normpath(posixpath.join(posixpath.dirname(docname), target.removesuffix(".md")))
            title = env.titles.get(target.lstrip("/") if target.startswith("/") else name)
            return title.astext() if title is not None else None
        label = target.lower()
        if role == "ref":
            return labels[label][2] if label in labels else None
        if label not in anonlabels:
            return None
        target_doc, node_id = anonlabels[label]
        for kind, prefix in (("figure", "Fig."), ("table", "Table"), ("code-block", "Listing")):
            number = env.toc_fignumbers.get(target_doc, {}).get(kind, {}).get(node_id)
            if number:
                return f"{prefix} {'.'.join(map(str, number))}"
        return None

    return reference


def with_cached_outputs(notebook: nbformat.NotebookNode, cache_path: str, glue: dict) -> nbformat.NotebookNode:
    """``notebook`` with the outputs that jupyter-cache holds for it, if it holds any.

    myst-nb writes to ``jupyter_execute/`` the notebook it read, which carries outputs only when
    the page was executed in this build: a page taken from the cache is written without them.
    Outputs of the cache are merged in here, and what the page glued without displaying it is
    moved from the code cells into ``glue``, as myst-nb does for the page.
    """
    if not Path(cache_path).is_dir():
        return notebook
    cache = get_cache(cache_path)
    try:
        _, merged = cache.merge_match_into_notebook(notebook)
    except KeyError:  # not in the cache (executed with errors, or not executed)
        return notebook
    for cell in merged.cells:
        if cell.cell_type == "code":
            glue.update(extract_glue_data_cell(cell))
    return merged


def write_notebook(app, pagename, templatename, context, doctree) -> None:
    """At ``html-page-context``: write the page's standalone notebook and offer it for download."""
    if doctree is None or not DOWNLOADABLE_PAGE.search(pagename):
        return
    source = Path(app.env.doc2path(pagename))
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if executed.is_file():
        notebook = nbformat.read(executed, as_version=4)
    elif source.suffix == ".md":
        # A page without code (the glossary chapter): its text as markdown cells.
        notebook = read_myst_markdown_notebook(source.read_text(encoding="utf-8"))
    else:
        return
    glue_file = executed.with_name(f"{executed.stem}.glue.json")
    glue = json.loads(glue_file.read_text(encoding="utf-8")) if glue_file.is_file() else {}
    if app.env.mystnb_config.execution_mode == "cache":
        notebook = with_cached_outputs(notebook, app.env.mystnb_config.execution_cache_path, glue)
    page = Page(
        source_dir=source.parent,
        glue=glue,
        config=app.config,
        reference=_reference_resolver(app.env, pagename),
    )
    title = app.env.titles[pagename].astext()
    notebook = standalone_notebook(notebook, page, title)
    nbformat.validate(notebook)
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    nbformat.write(notebook, partial)
    partial.replace(target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app):
    """Sphinx entry point."""
    # Before sphinx-book-theme's header buttons (priority 501), which read ``ipynb_source``.
    app.connect("html-page-context", write_notebook, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
