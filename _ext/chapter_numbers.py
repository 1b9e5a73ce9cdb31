"""Number figures, tables and listings by chapter, as the book does.

Sphinx numbers captioned figures through the whole site (Fig. 1 ... Fig. 35) unless the toctree
is numbered, and a numbered toctree would also number the site's parts, the exercise index and
the appendix. This extension keeps Sphinx's order and renumbers by the page instead:

- ``book/chNN-*``: Fig. N.1, N.2, ... (chapter 2's first figure is Fig. 2.1);
- ``book/exercises/exNN-M``: Fig. EN.M.1, ... (the figures of Exercise N.M);
- any other page: Fig. 1, 2, ... counted on that page.

Twin figures, the same result drawn once per framework in synchronised tabs, share one number:
figures whose names differ only in a framework word (``fig-ex33-torch-scan`` and
``fig-ex33-keras-scan``) get the number of the first of them, so a reader sees the same
number whichever tab is open.

Numbers are tuples that Sphinx joins with dots, both in captions and in ``{numref}``.
"""

import re

CHAPTER_PAGE = re.compile(r"(?:^|/)ch(\d+)-[^/]*$")
EXERCISE_PAGE = re.compile(r"(?:^|/)ex(\d+)-(\d+)$")
FRAMEWORK_WORD = re.compile(r"-(?:torch|keras|numpy)(?=-|$)")


def page_prefix(docname):
    """The leading part of the numbers on page ``docname``.

    Parameters
    ----------
    docname : str
        Sphinx document name, for example ``"book/ch04-optimization"``.

    Returns
    -------
    tuple
        ``(4,)`` for chapter 4, ``("E3", 3)`` for Exercise 3.3, ``()`` for any other page.
    """
    chapter = CHAPTER_PAGE.search(docname)
    if chapter:
        return (int(chapter.group(1)),)
    exercise = EXERCISE_PAGE.search(docname)
    if exercise:
        return (f"E{int(exercise.group(1))}", int(exercise.group(2)))
    return ()


def twin_key(node_id):
    """The name of a figure with its framework word removed: equal for the twins of one result."""
    return FRAMEWORK_WORD.sub("", node_id)


def number_page(docname, numbers_by_type):
    """Renumber one page's enumerable nodes by chapter, twins sharing a number.

    Parameters
    ----------
    docname : str
        Sphinx document name of the page.
    numbers_by_type : dict
        ``{figtype: {node_id: number}}`` in document order, as Sphinx collects it.

    Returns
    -------
    dict
        The same shape, with numbers ``(*page_prefix(docname), k)``.
    """
    prefix = page_prefix(docname)
    renumbered = {}
    for figtype, numbers in numbers_by_type.items():
        by_twin = {}
        renumbered[figtype] = {}
        for node_id in numbers:
            key = twin_key(node_id)
            if key not in by_twin:
                by_twin[key] = (*prefix, len(by_twin) + 1)
            renumbered[figtype][node_id] = by_twin[key]
    return renumbered


def renumber(app, env):
    """``env-get-updated`` handler: runs after Sphinx has assigned its site-wide numbers."""
    env.toc_fignumbers = {
        docname: number_page(docname, numbers) for docname, numbers in env.toc_fignumbers.items()
    }
    return []


def setup(app):
    # Sphinx's toctree collector assigns the numbers at the default priority 500.
    app.connect("env-get-updated", renumber, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
