"""Headless Chromium against the built site (``_build/html``), served on 127.0.0.1.

``make test`` collects these tests too: they skip when there is no built site, or when Chromium,
chromedriver or selenium is missing. ``make browser-test`` sets ``DLPBOOK_BROWSER_TESTS=required``,
and then each of those is an error instead. ``DLPBOOK_SITE`` points to another built site.

Every page is visited once (:class:`SiteBrowser.report`) and the tests read the recorded
report, so the whole check stays within a minute or two.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("DLPBOOK_SITE", ROOT / "_build" / "html"))
REQUIRED = os.environ.get("DLPBOOK_BROWSER_TESTS") == "required"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
WIDTHS = (400, 1400)

# Folders of the build that hold no pages of the book.
NOT_PAGES = {"_static", "_sources", "_images", "_downloads", "_sphinx_design_static", "reports"}
# Sphinx's generated pages (no content of their own).
GENERATED = {"genindex.html", "search.html", "py-modindex.html"}

# Measures, in the page, everything the tests check; returns plain data.
PAGE_PROBE = (Path(__file__).with_name("probe.js")).read_text()


def _unavailable(reason: str):
    if REQUIRED:
        pytest.fail(f"browser tests required (DLPBOOK_BROWSER_TESTS=required) but {reason}", pytrace=False)
    pytest.skip(reason)


def site_pages() -> list[str]:
    """Paths (relative to the site, posix) of the book's pages in the built site."""
    if not (SITE / "index.html").exists():
        return []
    pages = []
    for path in sorted(SITE.rglob("*.html")):
        relative = path.relative_to(SITE)
        if relative.parts[0] in NOT_PAGES or relative.name in GENERATED:
            continue
        pages.append(relative.as_posix())
    return pages


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass


@pytest.fixture(scope="session")
def site_url():
    """Base URL of the built site, served by a throwaway http.server on a free port."""
    if not (SITE / "index.html").exists():
        _unavailable(f"no built site at {SITE} (run `make book`)")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def driver(site_url):
    """A headless Chromium driven through Debian's chromedriver (nothing is downloaded)."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed (pip install -e '.[test]')")
    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        _unavailable("Chromium or chromedriver is missing (apt-get install chromium chromium-driver)")
    profile = tempfile.mkdtemp(prefix="dlpbook-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1400,1000",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(30)
    browser.set_script_timeout(30)
    yield browser
    browser.quit()
    shutil.rmtree(profile, ignore_errors=True)


class SiteBrowser:
    """Visits each page once and keeps what the tests check."""

    def __init__(self, driver, base_url: str):
        self.driver = driver
        self.base_url = base_url
        self._reports: dict[str, dict] = {}

    def _set_width(self, width: int) -> None:
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        )

    def open(self, page: str, width: int = WIDTHS[-1]) -> None:
        """Load ``page`` at ``width`` px and wait until MathJax has typeset it."""
        self._set_width(width)
        self.driver.get(self.base_url + page)
        self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "const mj = window.MathJax;"
            "if (mj && mj.startup && mj.startup.promise) { mj.startup.promise.then(() => done(), () => done()); }"
            "else { done(); }"
        )

    def report(self, page: str) -> dict:
        """Console errors and, at each width, the probe's findings for ``page``."""
        if page not in self._reports:
            self.driver.get_log("browser")  # drop what earlier pages left
            self.open(page, WIDTHS[-1])
            report = {"console": self.driver.get_log("browser")}
            for width in WIDTHS:
                self._set_width(width)
                report[width] = self.driver.execute_async_script(PAGE_PROBE)
            self._reports[page] = report
        return self._reports[page]


@pytest.fixture(scope="session")
def site(driver, site_url) -> SiteBrowser:
    return SiteBrowser(driver, site_url)
