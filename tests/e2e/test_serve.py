"""`pubpipe serve`: the real server on a free port sees a change, rebuilds and tells the page to reload."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import PUBPIPE


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen[str]]]:
    """A new project, previewed by the installed command on a free port (--port 0)."""
    root = tmp_path / "book"
    subprocess.run([str(PUBPIPE), "init", str(root), "--title", "Live"], check=True, capture_output=True)
    server = subprocess.Popen([str(PUBPIPE), "serve", "-C", str(root), "--port", "0"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    assert server.stdout is not None
    line = server.stdout.readline()  # the first build happens before this line
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    assert match, line + server.stderr.read() if server.stderr else line
    try:
        yield root, match.group(0), server
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.read().decode("utf-8")


REBUILT = 90.0
"""Seconds to wait for a rebuild to be served: a rebuild takes about a second, but a test is not a
benchmark, and the suite runs beside other work (the speed is measured in benchmarks/)."""


def within(seconds: float, check: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_change_is_served(served: tuple[Path, str, subprocess.Popen[str]]) -> None:
    root, base, server = served
    page = base + "en/live.html"
    first = fetch(page)
    assert "A quotation stands apart" in first and 'new EventSource("/_pubpipe/events")' in first
    assert fetch(base).count("A quotation stands apart") == 1  # / leads to the original edition

    chapter = root / "source" / "en" / "01-chapter.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("a third", "a freshly saved third item"),
                       encoding="utf-8")
    assert within(REBUILT, lambda: "a freshly saved third item" in fetch(page))

    extra = root / "styles" / "html-extra.css"
    extra.write_text("blockquote { border-color: rgb(9, 8, 7); }\n", encoding="utf-8")
    assert within(REBUILT, lambda: "rgb(9, 8, 7)" in fetch(page))  # a style change rebuilds too

    # The page learns of the new build through server-sent events and reloads itself.
    with urllib.request.urlopen(base + "_pubpipe/events", timeout=10) as events:
        assert events.headers["Content-Type"] == "text/event-stream"
        assert events.readline().decode() == "event: build\n"
        generation = int(events.readline().decode().removeprefix("data: "))
        assert generation >= 2

    server.send_signal(signal.SIGINT)
    out, _ = server.communicate(timeout=15)
    assert server.returncode == 0 and "stopped" in out


def test_error_is_shown_and_last_good_page_stays(served: tuple[Path, str, subprocess.Popen[str]]) -> None:
    root, base, _server = served
    page = base + "en/live.html"
    chapter = root / "source" / "en" / "01-chapter.md"
    good = chapter.read_text(encoding="utf-8")
    chapter.write_text(good.replace("title: Live", "title: [Live"), encoding="utf-8")
    assert within(REBUILT, lambda: "error S102" in fetch(page))
    shown = fetch(page)
    assert re.search(r"source/en/01-chapter\.md:\d+: error S102: invalid YAML", shown)
    assert "A quotation stands apart" in shown  # the last good build, still readable

    chapter.write_text(good, encoding="utf-8")
    assert within(REBUILT, lambda: "error S102" not in fetch(page))


def test_pdf_and_epub_on_request(served: tuple[Path, str, subprocess.Popen[str]]) -> None:
    _root, base, _server = served
    with urllib.request.urlopen(base + "_pubpipe/build/en/pdf", timeout=120) as response:
        assert response.url.endswith("/en/live.pdf")
        assert response.read(5) == b"%PDF-"
    with urllib.request.urlopen(base + "_pubpipe/build/en/epub", timeout=120) as response:
        assert response.headers["Content-Type"] == "application/epub+zip"
        assert response.read(2) == b"PK"


def test_warnings_reach_the_author(served: tuple[Path, str, subprocess.Popen[str]]) -> None:
    """A rebuild's warnings are printed by the preview too, as `file:line:col: warning CODE: …`."""
    root, base, server = served
    page = base + "en/live.html"
    chapter = root / "source" / "en" / "01-chapter.md"
    before = json.loads(fetch(base + "_pubpipe/status"))["generation"]
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nSee [the licence](LICENCE.txt) for reuse.\n",
                       encoding="utf-8")
    assert within(REBUILT, lambda: "for reuse" in fetch(page))
    # The page is served as soon as it is in build/; the rebuild has said its warnings when it is published.
    assert within(REBUILT, lambda: json.loads(fetch(base + "_pubpipe/status"))["generation"] > before)
    server.send_signal(signal.SIGINT)
    _, err = server.communicate(timeout=15)
    assert re.search(r"source/en/01-chapter\.md:\d+:\d+: warning P021: link to 'LICENCE\.txt'", err), err


def test_the_pages_view_shows_the_pdf_rebuilt_after_a_save(tmp_path: Path) -> None:
    """`serve --pages`: the printed pages beside the text, and the PDF rebuilt (and announced) after each save."""
    from pypdf import PdfReader

    from tests.conftest import copy_project

    root = copy_project("book", tmp_path / "book")
    server = subprocess.Popen([str(PUBPIPE), "serve", "-C", str(root), "--port", "0", "--pages"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+/)_pubpipe/pages/en", line)
        assert match, line
        base = match.group(1)
        view = fetch(match.group(0))
        assert 'src="/en/sample-book.html"' in view and 'src="/en/sample-book.pdf?v=1"' in view
        pdf = root / "build" / "en" / "sample-book.pdf"
        assert "The book starts here" in PdfReader(pdf).pages[2].extract_text()
        chapter = root / "source" / "en" / "01-opening.md"
        chapter.write_text(chapter.read_text(encoding="utf-8").replace("The book starts here", "The book begins here"),
                           encoding="utf-8")
        assert within(240, lambda: '"pages": 2' in fetch(base + "_pubpipe/status")), fetch(base + "_pubpipe/status")
        assert "The book begins here" in PdfReader(pdf).pages[2].extract_text()
        assert 'src="/en/sample-book.pdf?v=2"' in fetch(match.group(0))
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
