"""Show a glossary entry's first sentence when the reader hovers over a ``{term}`` link.

The glossary (chapter 6) is linked from every page through ``{term}`` roles. Sphinx renders
those as plain links; this extension gives each link a ``title`` attribute, which every browser
shows as a tooltip, holding the first sentence of the entry it points to. Inline math in the
definition is written out in plain characters (a title cannot hold MathJax).
"""

import hashlib

from docutils import nodes
from sphinx import addnodes

from plain_text import first_sentence, plain_text


def collect_definitions(app, doctree):
    """``doctree-read``: remember the first sentence of every glossary entry of this page."""
    env = app.env
    definitions = env.glossary_tooltips = getattr(env, "glossary_tooltips", {})
    definitions.pop(env.docname, None)
    page = {}
    for glossary in doctree.findall(addnodes.glossary):
        for item in glossary.findall(nodes.definition_list_item):
            definition = next(iter(item.findall(nodes.definition)), None)
            paragraph = next(iter(definition.findall(nodes.paragraph)), None) if definition else None
            if paragraph is None:
                continue
            tip = first_sentence(plain_text(paragraph))
            for term in item.findall(nodes.term):
                for term_id in term["ids"]:
                    page[term_id] = tip
    if page:
        definitions[env.docname] = page


def purge_definitions(app, env, docname):
    getattr(env, "glossary_tooltips", {}).pop(docname, None)


def merge_definitions(app, env, docnames, other):
    env.glossary_tooltips = getattr(env, "glossary_tooltips", {})
    for docname in docnames:
        if docname in getattr(other, "glossary_tooltips", {}):
            env.glossary_tooltips[docname] = other.glossary_tooltips[docname]


def rewrite_on_change(app, env):
    """``env-get-updated``: when a definition changed, rewrite every page (their tooltips)."""
    digest = hashlib.sha256(repr(sorted(getattr(env, "glossary_tooltips", {}).items())).encode()).hexdigest()
    changed = digest != getattr(env, "glossary_tooltips_digest", None)
    env.glossary_tooltips_digest = digest
    return sorted(env.found_docs) if changed else []


def add_titles(app, doctree, docname):
    """``doctree-resolved``: give each link to a glossary term the term's first sentence."""
    tips = {}
    for page in getattr(app.env, "glossary_tooltips", {}).values():
        tips.update(page)
    for reference in doctree.findall(nodes.reference):
        if not any("std-term" in child.get("classes", []) for child in reference.children
                   if isinstance(child, nodes.Element)):
            continue
        anchor = reference.get("refid") or reference.get("refuri", "").rpartition("#")[2]
        if anchor in tips:
            reference["reftitle"] = tips[anchor]


def setup(app):
    app.connect("doctree-read", collect_definitions)
    app.connect("env-purge-doc", purge_definitions)
    app.connect("env-merge-info", merge_definitions)
    app.connect("env-get-updated", rewrite_on_change)
    app.connect("doctree-resolved", add_titles)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
