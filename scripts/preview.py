"""`make preview`: images of every output under build/preview/ for a person to look at.

For each edition: the PDF's first two pages (title page, contents) and a page of the body, the EPUB's cover,
and the HTML page in headless Chromium at 375 and 1280 px wide (plus the dark scheme at 375 px).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def pdf_pages(pdf: Path, out: Path, stem: str) -> list[Path]:
    """Pages 1 and 2 and one from the middle of the body, as PNG at 80 dpi."""
    from pypdf import PdfReader

    count = len(PdfReader(pdf).pages)
    written = []
    for number in sorted({1, min(2, count), max(1, (count + 3) // 2)}):
        target = out / f"{stem}-page-{number}"
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", "-f", str(number), "-l", str(number),
                        str(pdf), str(target)], check=True)
        written.append(target.with_suffix(".png"))
    return written


def epub_cover(epub: Path, out: Path, stem: str) -> Path:
    """The EPUB's cover image (the manifest item with the cover-image property), scaled to 800 px high."""
    from lxml import etree
    from PIL import Image

    with zipfile.ZipFile(epub) as book:
        container = etree.fromstring(book.read("META-INF/container.xml"))
        opf_path = container.xpath("//*[local-name()='rootfile']/@full-path")[0]
        opf = etree.fromstring(book.read(opf_path))
        href = opf.xpath("//*[local-name()='item'][contains(@properties, 'cover-image')]/@href")[0]
        with book.open(str(Path(opf_path).parent / href)) as data:
            image = Image.open(data)
            image.load()
    image.thumbnail((800, 800))
    target = out / f"{stem}-cover.png"
    image.save(target)
    return target


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def html_shots(build: Path, pages: list[Path], out: Path) -> list[Path]:
    """Screenshots of each HTML page served from build/ on 127.0.0.1, in Debian's chromium."""
    executable = shutil.which("chromium")
    if executable is None:
        print("preview: chromium is missing (apt-get install chromium); HTML screenshots skipped", file=sys.stderr)
        return []
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(build)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            for page_path in pages:
                url = f"{base}/{page_path.relative_to(build).as_posix()}"
                stem = f"{page_path.parent.name}-html"
                for width, scheme in ((375, "light"), (1280, "light"), (375, "dark")):
                    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
                    page = context.new_page()
                    page.goto(url, wait_until="networkidle")
                    page.evaluate("document.fonts.ready")
                    target = out / f"{stem}-{width}{'-dark' if scheme == 'dark' else ''}.png"
                    # The first screens only: enough to judge type, measure and colour without a huge image.
                    page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": width, "height": 1800},
                                    full_page=True)
                    written.append(target)
                    context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return written


def main(build: Path) -> int:
    out = build / "preview"
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if shutil.which("pdftoppm") is None:
        print("preview: pdftoppm is missing (apt-get install poppler-utils); PDF pages skipped", file=sys.stderr)
    for edition in sorted(p for p in build.iterdir() if p.is_dir() and p.name != "preview"):
        if shutil.which("pdftoppm"):
            for pdf in sorted(edition.glob("*.pdf")):
                written += pdf_pages(pdf, out, f"{edition.name}-pdf")
        for epub in sorted(edition.glob("*.epub")):
            written.append(epub_cover(epub, out, f"{edition.name}-epub"))
    pages = sorted(p for edition in build.iterdir() if edition.is_dir() and edition.name != "preview"
                   for p in edition.glob("*.html"))
    written += html_shots(build, pages, out)
    for path in written:
        print(path)
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "build").resolve()))
