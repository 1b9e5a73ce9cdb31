"""Alt text for every content image, from the caption or the gallery title.

Without it a notebook output image gets its file path as alt text, sphinx-gallery thumbnails an
empty one, and sphinx-gallery figures their file name or axes titles in raw LaTeX. Rules, first
match wins:

1. an image that already has a real alt text (``mystnb: image: alt:`` in the cell metadata,
   ``:alt:`` of ``{glue:figure}`` or ``{figure}``) keeps it;
2. an image in a captioned figure gets the caption's first sentence;
3. a gallery thumbnail gets "<example title> (gallery thumbnail)", a gallery figure the
   example's title, followed by the first sentence of the text above it when the example draws
   several figures;
4. anything else is reported as a warning, which fails the ``-W`` build.
"""

import html
import re

from docutils import nodes
from sphinx.util import logging
from sphinx_gallery.directives import imgsgnode

from plain_text import first_sentence, plain_text

logger = logging.getLogger(__name__)
GALLERY_IMAGE = re.compile(r"sphx_glr_(?P<stem>.+?)(?:_thumb|_\d{3})\.\w+$")


def has_real_alt(node):
    """Whether the alt text is written by an author: not empty, no file name, no LaTeX."""
    alt = node.get("alt", "").strip()
    uri = node.get("uri", "")
    generated = GALLERY_IMAGE.search(uri)
    return bool(alt) and alt != uri and "\\" not in alt and "$" not in alt and not generated


def caption_alt(node):
    """First sentence of the caption of the figure that holds ``node``, or ``None``."""
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.figure):
        parent = parent.parent
    if parent is None:
        return None
    caption = next(iter(parent.findall(nodes.caption)), None)
    return first_sentence(plain_text(caption)) if caption is not None else None


def gallery_alt(env, node):
    """Alt text of a sphinx-gallery image from its example's title, or ``None``."""
    found = GALLERY_IMAGE.search(node.get("uri", ""))
    if not found:
        return None
    gallery_dirs = getattr(env.config, "sphinx_gallery_conf", {}).get("gallery_dirs", [])
    gallery_dirs = [gallery_dirs] if isinstance(gallery_dirs, str) else gallery_dirs
    titles = [env.titles[f"{folder}/{found.group('stem')}"] for folder in gallery_dirs
              if f"{folder}/{found.group('stem')}" in env.titles]
    if not titles:
        return None
    title = titles[0]
    suffix = " (gallery thumbnail)" if found.group(0).rsplit(".", 1)[0].endswith("_thumb") else ""
    return plain_text(title) + suffix


def paragraph_before(doctree):
    """For each sphinx-gallery image, the text block written just above it (or ``None``)."""
    last, before = None, {}
    for node in doctree.findall(lambda n: isinstance(n, (nodes.paragraph, imgsgnode))):
        if isinstance(node, nodes.paragraph):
            last = node
        else:
            before[id(node)] = last
    return before


def set_alt_text(app, doctree, docname):
    """``doctree-resolved``: give every image an alt text by the rules of the module."""
    before = paragraph_before(doctree)
    several = len(before) > 1
    for node in doctree.findall(lambda n: isinstance(n, (nodes.image, imgsgnode))):
        if has_real_alt(node):
            continue
        alt = caption_alt(node) or gallery_alt(app.env, node)
        if alt and several and before.get(id(node)) is not None:
            # several figures on one example page: say which one, from the text above it
            alt = f"{alt}: {first_sentence(plain_text(before[id(node)]))}"
        if alt:
            # sphinx-gallery writes its image tag by hand, without escaping the alt text
            node["alt"] = html.escape(alt) if isinstance(node, imgsgnode) else alt
        else:
            logger.warning("image %s has no alt text and no caption; give its figure a caption "
                           "or its cell `mystnb: image: alt:`", node.get("uri"),
                           location=node, type="dlpbook", subtype="alt")


def setup(app):
    app.connect("doctree-resolved", set_alt_text)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
