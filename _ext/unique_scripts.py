"""Write each inline script once per page.

Sphinx 7.4 registers an inline script (one with a ``body`` and no file) that an extension adds
after the builder has started twice: once with the file name ``None`` and once with ``""``, and
its duplicate check sees two different scripts. sphinx-thebe's ``const THEBE_JS_URL = ...`` then
appears twice on every page and the browser stops at the second one with ``SyntaxError:
Identifier 'THEBE_JS_URL' has already been declared``. This extension drops the repeats.
"""


def script_key(script):
    """What makes two scripts the same: file (``None`` and ``""`` alike), priority, attributes."""
    return (script.filename or "", script.priority, tuple(sorted(script.attributes.items())))


def drop_repeated_scripts(app, pagename, templatename, context, doctree):
    """``html-page-context``: keep the first of several identical scripts."""
    seen = set()
    unique = []
    for script in context.get("script_files", []):
        key = script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    # after the theme and myst-nb have added their page scripts
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
