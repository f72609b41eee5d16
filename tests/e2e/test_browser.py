"""The HTML editions in a real headless Chromium: no errors, no outside requests, no overflow, working links."""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

SLUG = "socialism-didnt-fail"
LANGS = ("en", "ru")
# Debian's chromium, never a downloaded browser; flags that keep it from calling home.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(article_build: Path) -> Iterator[str]:
    """build/ served on 127.0.0.1 (a free port) for the module's tests."""
    handler = functools.partial(QuietHandler, directory=str(article_build / "build"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is missing: run `make test` as root, or `apt-get install chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """One page opened at one width, with everything the browser complained about or fetched."""

    def __init__(self, browser: Any, site: str, lang: str, width: int, scheme: str = "light") -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        self.page.on("request", lambda r: None if r.url.startswith(site) else self.outside.append(r.url))
        self.page.goto(f"{site}/{lang}/{SLUG}.html", wait_until="networkidle")
        self.page.evaluate("document.fonts.ready")

    def close(self) -> None:
        self.context.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [375, 1280])
def test_loads_cleanly_without_overflow(browser: Any, site: str, article_build: Path, lang: str, width: int) -> None:
    visit = Visit(browser, site, lang, width)
    try:
        assert visit.errors == []
        assert visit.outside == []
        overflow = visit.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{overflow}px of horizontal overflow at {width}px"
        # The bundled fonts are in use, not a fallback.
        assert visit.page.evaluate("document.fonts.check('16px \"PT Serif\"')")
        # A readable measure: body text lines between about 30 and 90 characters' width.
        size, measure = visit.page.evaluate(
            "(() => { const p = document.querySelector('main p');"
            " return [parseFloat(getComputedStyle(p).fontSize), p.getBoundingClientRect().width]; })()")
        assert 30 <= measure / (size * 0.5) <= 90 and size >= 16
        shots = article_build / "build" / "preview"
        shots.mkdir(parents=True, exist_ok=True)
        shot = shots / f"html-{lang}-{width}.png"
        visit.page.screenshot(path=str(shot), full_page=True)
        assert Image.open(shot).size[0] == width
    finally:
        visit.close()


@pytest.mark.parametrize("lang", LANGS)
def test_contents_links_land_on_their_sections(browser: Any, site: str, lang: str) -> None:
    visit = Visit(browser, site, lang, 375)
    try:
        links = visit.page.locator("nav#toc a")
        assert links.count() >= 6
        for index in range(links.count()):
            link = links.nth(index)
            target = link.get_attribute("href")
            link.click()
            # location.hash is percent-encoded: the Russian edition's ids are Cyrillic.
            visit.page.wait_for_function(f"decodeURIComponent(location.hash) === {target!r}")
            top = visit.page.evaluate(f"document.getElementById({target[1:]!r}).getBoundingClientRect().top")
            height = visit.page.evaluate("window.innerHeight")
            assert -2 <= top < height / 2, (target, top)  # at the top, give or take subpixel rounding
            assert visit.page.locator(target).inner_text() == link.inner_text()
            visit.page.evaluate("window.scrollTo(0, 0)")
        assert visit.errors == []
    finally:
        visit.close()


@pytest.mark.parametrize("lang,other", [("en", "ru"), ("ru", "en")])
def test_language_switcher_reaches_the_other_edition(browser: Any, site: str, lang: str, other: str) -> None:
    visit = Visit(browser, site, lang, 375)
    try:
        visit.page.locator(f"nav.languages a[hreflang='{other}']").click()
        visit.page.wait_for_url(f"**/{other}/{SLUG}.html")
        assert visit.page.evaluate("document.documentElement.lang") == other
        assert visit.page.locator(f"nav.languages a[hreflang='{lang}']").count() == 1
        assert visit.errors == [] and visit.outside == []
    finally:
        visit.close()


def relative_luminance(rgb: str) -> float:
    channels = [int(v) / 255 for v in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("lang", LANGS)
def test_dark_scheme_and_print_styles(browser: Any, site: str, lang: str) -> None:
    visit = Visit(browser, site, lang, 1280, scheme="dark")
    try:
        background, ink = visit.page.evaluate(
            "[getComputedStyle(document.documentElement).backgroundColor,"
            " getComputedStyle(document.querySelector('main p')).color]")
        dark, light = relative_luminance(background), relative_luminance(ink)
        assert dark < 0.05 and (light + 0.05) / (dark + 0.05) >= 4.5
        visit.page.emulate_media(media="print")
        assert visit.page.evaluate("getComputedStyle(document.querySelector('nav.languages')).display") == "none"
    finally:
        visit.close()
