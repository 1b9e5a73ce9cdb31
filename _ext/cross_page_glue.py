"""Re-read a page that pastes glued values of other pages whenever one of those pages is re-read.

myst-nb pastes a value glued on another page (``{glue:text}`exercises/ex05-1.md::key```) when
the page is written, from that page's executed outputs. Sphinx re-reads and re-writes only the
pages whose source changed, so after an exercise page re-executes, a page that pastes its
numbers (the results page) would keep the old ones. This extension records which pages each
page pastes from and marks it outdated whenever one of them is re-read.
"""

from myst_nb.ext.glue.utils import PendingGlueReference


def record_sources(app, doctree):
    """``doctree-read``: the pages this page pastes glued values from."""
    env = app.env
    sources = {node.refdoc for node in doctree.findall(PendingGlueReference) if node.refdoc != env.docname}
    if sources:
        env.cross_page_glue = getattr(env, "cross_page_glue", {})
        env.cross_page_glue[env.docname] = sources


def purge(app, env, docname):
    getattr(env, "cross_page_glue", {}).pop(docname, None)


def merge(app, env, docnames, other):
    """``env-merge-info``: the records of a parallel reader."""
    env.cross_page_glue = getattr(env, "cross_page_glue", {})
    env.cross_page_glue.update({name: sources for name, sources in getattr(other, "cross_page_glue", {}).items()
                                if name in docnames})


def outdated_pasters(pastes: dict[str, set[str]], changed: set[str]) -> list[str]:
    """The pages of ``pastes`` (page -> pages it pastes from) that paste from a ``changed`` page."""
    return sorted(page for page, sources in pastes.items() if sources & changed and page not in changed)


def add_outdated(app, env, added, changed, removed):
    """``env-get-outdated``: pages that paste from a page that is re-read."""
    return outdated_pasters(getattr(env, "cross_page_glue", {}), set(added) | set(changed))


def setup(app):
    app.connect("doctree-read", record_sources)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-get-outdated", add_outdated)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
