"""The built site in a real browser: it loads cleanly, fits at 400 and 1400 px, and works."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest

from .conftest import WIDTHS, site_pages

pytestmark = pytest.mark.browser

PAGES = site_pages()
# Pages of a chapter (book/ch03-building-blocks.html) and of an exercise (book/exercises/ex03-2.html).
CHAPTER_PAGE = re.compile(r"(?:^|/)(?:ch(?P<chapter>\d\d)-[^/]*|ex(?P<exercise>\d\d)-\d+)\.html$")
# Alternative texts that only name the file: "plot.png", "../_images/abc.svg", "image".
FILE_NAME_ALT = re.compile(r"^(\S*\.(png|jpe?g|gif|svg|webp)|\S*/\S*|image|figure|img|png)$", re.IGNORECASE)


def chapter_of(page: str) -> int | None:
    """Chapter number of a chapter or exercise page, from its file name; None for other pages."""
    match = CHAPTER_PAGE.search(page)
    if match is None:
        return None
    return int(match["chapter"] or match["exercise"])


CHAPTER_PAGES = [page for page in PAGES if chapter_of(page) is not None]


def test_site_has_the_book(site_url):
    assert "index.html" in PAGES
    assert CHAPTER_PAGES, "no chapter or exercise pages (chNN-*.html, exNN-M.html) in the built site"


def test_site_root_answers_favicon_requests(site_url):
    # browsers ask the root for /favicon.ico before they read the icon link (a 404 in the console)
    with urllib.request.urlopen(site_url + "favicon.ico", timeout=10) as response:
        icon = response.read()
    assert icon[:4] == b"\x00\x00\x01\x00", "not a Windows icon file"
    assert int.from_bytes(icon[4:6], "little") >= 2, "one size only"


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_without_console_errors(site, page):
    errors = [entry["message"] for entry in site.report(page)["console"] if entry["level"] == "SEVERE"]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", PAGES)
def test_no_equation_code_or_figure_is_cut_off(site, page, width):
    found = site.report(page)[width]
    assert "error" not in found, found
    assert not found["cut"], "\n".join(found["cut"])


@pytest.mark.parametrize("page", PAGES)
def test_content_images_load_and_are_not_blank(site, page):
    images = site.report(page)[WIDTHS[-1]]["images"]
    broken = [image["src"] for image in images if not image["loaded"]]
    blank = [image["src"] for image in images if image["blank"] is not False]
    assert not broken, f"images that do not load: {broken}"
    assert not blank, f"images of a single colour (or unreadable): {blank}"


@pytest.mark.parametrize("page", PAGES)
def test_content_images_have_meaningful_alt_text(site, page):
    images = site.report(page)[WIDTHS[-1]]["images"]
    bad = [
        f"{image['src']}: alt={image['alt']!r}"
        for image in images
        if not image["thumbnail"] and (not (image["alt"] or "").strip() or FILE_NAME_ALT.match(image["alt"].strip()))
    ]
    assert not bad, "images without a description:\n" + "\n".join(bad)


@pytest.mark.parametrize("page", CHAPTER_PAGES)
def test_figure_numbers_follow_the_chapter(site, page):
    chapter = chapter_of(page)
    captions = site.report(page)[WIDTHS[-1]]["captions"]
    wrong = [caption for caption in captions if re.search(r"\d+", caption)[0] != str(chapter)]
    assert not wrong, f"captions on a chapter-{chapter} page not numbered {chapter}.n: {wrong}"


# sphinx-design keeps data-sync-group and data-sync-id on each tab's label (input, label, content).
CHOSEN_TABS = """
const chosen = {};
for (const input of document.querySelectorAll('.sd-tab-set > input:checked')) {
  const label = input.nextElementSibling;
  if (!label || !label.dataset.syncGroup) continue;
  (chosen[label.dataset.syncGroup] = chosen[label.dataset.syncGroup] || []).push(label.dataset.syncId);
}
return chosen;
"""
SWITCH_TABS = """
const switched = {};
for (const set of document.querySelectorAll('.sd-tab-set')) {
  const target = Array.from(set.querySelectorAll(':scope > label[data-sync-group]'))
    .find((label) => !document.getElementById(label.htmlFor).checked);
  if (!target || target.dataset.syncGroup in switched) continue;
  target.click();
  switched[target.dataset.syncGroup] = target.dataset.syncId;
}
return switched;
"""


def test_framework_tabs_switch_together(site):
    """A click on a framework tab switches every synced tab set, on the page and on the next."""
    tabbed = [page for page in PAGES if site.report(page)[WIDTHS[-1]]["tabs"]]
    assert len(tabbed) >= 2, f"fewer than two pages with synced tab sets: {tabbed}"
    first, second = tabbed[:2]
    site.open(first)
    switched = site.driver.execute_script(SWITCH_TABS)
    assert switched, f"{first}: no tab to switch to"
    shown = {first: site.driver.execute_script(CHOSEN_TABS)}
    site.open(second)
    shown[second] = site.driver.execute_script(CHOSEN_TABS)
    # Leave the default selection to the other tests (it is kept in the browser's storage).
    site.driver.execute_script("window.localStorage.clear();")
    for page, chosen in shown.items():
        for group, wanted in switched.items():
            if group in chosen:
                assert set(chosen[group]) == {wanted}, f"{page}: group {group!r} shows {chosen[group]}, chosen {wanted!r}"


def test_search_finds_a_term(site):
    from selenium.webdriver.support.ui import WebDriverWait

    site.open("search.html?q=Adam")
    results = WebDriverWait(site.driver, 20).until(
        lambda driver: driver.execute_script(
            "const status = document.querySelector('#search-results > p.search-summary, #search-results p');"
            "const items = document.querySelectorAll('#search-results ul.search > li');"
            "return (items.length || (status && /found|did not match/i.test(status.textContent))) ? items.length + 0.5 : 0;"
        )
    )
    assert int(results) > 0, "searching for 'Adam' found no page"


@pytest.mark.parametrize("page", CHAPTER_PAGES)
def test_notebook_download_exists(site, page):
    notebooks = site.report(page)[WIDTHS[-1]]["notebooks"]
    assert notebooks, f"{page} links no .ipynb download"
    for url in notebooks:
        with urllib.request.urlopen(url, timeout=10) as response:
            notebook = json.loads(response.read())
        assert notebook.get("cells"), f"{url} is not a notebook with cells"
