"""PDF quality: contents with right page numbers, running headers, folios, labels, tags, metadata, variants, notes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import PUBPIPE, copy_project

SLUG = "socialism-didnt-fail"


def squash(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u00ad", "").split())


def pubpipe(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = PUBPIPE
    return subprocess.run([command, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=600)


def outline_pages(reader: PdfReader) -> list[tuple[str, int]]:
    return [(squash(item.title), reader.get_destination_page_number(item) + 1)
            for item in reader.outline if not isinstance(item, list)]


def structure_types(node: object, seen: set[str] | None = None) -> set[str]:
    """Every structure type (/S) in a PDF structure tree."""
    seen = set() if seen is None else seen
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, dict):
        if "/S" in node:
            seen.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                structure_types(kid, seen)
    elif isinstance(node, list):
        for kid in node:
            structure_types(kid, seen)
    return seen


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_contents_page_numbers_are_right(article_build: Path, lang: str) -> None:
    reader = PdfReader(article_build / "build" / lang / f"{SLUG}.pdf")
    contents = reader.pages[1].extract_text()
    printed = {squash(title).rstrip(" .…"): int(number)
               for title, number in re.findall(r"^(.+?)[\s.…]*?(\d+)$", contents, flags=re.MULTILINE)
               if not title.strip().isdigit()}
    headings = outline_pages(reader)
    assert headings
    for title, page in headings:
        assert printed.get(title) == page, (title, printed)
        assert title in squash(reader.pages[page - 1].extract_text())


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_running_headers_folios_and_a_bare_title_page(article_build: Path, lang: str) -> None:
    reader = PdfReader(article_build / "build" / lang / f"{SLUG}.pdf")
    texts = [page.extract_text() for page in reader.pages]
    title = squash(reader.metadata.title)
    # The title page: the title once, no folio, no running header.
    assert squash(texts[0]).count(title) == 1
    assert not re.search(r"^\s*1\s*$", texts[0], flags=re.MULTILINE)
    for number, text in enumerate(texts[1:], start=2):
        assert re.search(rf"^\s*{number}\s*$", text, flags=re.MULTILINE), f"page {number} has no folio"
        assert title in squash(text), f"page {number} has no running title"
        # No blank page by accident: text beyond the running title and the folio.
        assert len(squash(text).replace(title, "")) > 100, f"page {number} is nearly empty"
    # A page that opens a section carries its title twice: in the running header and as the heading
    # (except the page where the text begins, whose header stays empty for the untitled opening).
    headings = outline_pages(reader)
    first_on_page = {page: heading for heading, page in reversed(headings)}
    for page, heading in first_on_page.items():
        if page > headings[0][1]:
            assert squash(texts[page - 1]).count(heading) >= 2, (heading, page)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_tagged_with_labels_metadata_and_outline(article_build: Path, lang: str) -> None:
    reader = PdfReader(article_build / "build" / lang / f"{SLUG}.pdf")
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root
    found = structure_types(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/P", "/L", "/LI", "/BlockQuote"} <= found, found
    assert root["/Lang"] == lang
    assert reader.page_labels == [str(n) for n in range(1, len(reader.pages) + 1)]
    meta = reader.metadata
    assert meta.title and meta.author and meta.subject and meta["/Keywords"]
    assert len(outline_pages(reader)) == 6


def test_pdf_variant_from_publication_yaml_and_command_line(tmp_path: Path) -> None:
    root = copy_project("book", tmp_path)
    config = root / "source" / "publication.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "page:\n  pdf_variant: pdf/ua-1\n", encoding="utf-8")
    done = pubpipe("build", "-f", "pdf", cwd=root)
    assert done.returncode == 0, done.stderr
    xmp = PdfReader(root / "build/en/sample-book.pdf").trailer["/Root"]["/Metadata"].get_data()
    assert b"pdfuaid" in xmp
    done = pubpipe("build", "-f", "pdf", "--pdf-variant", "pdf/a-3b", cwd=root)
    assert done.returncode == 0, done.stderr
    xmp = PdfReader(root / "build/en/sample-book.pdf").trailer["/Root"]["/Metadata"].get_data()
    assert b"pdfaid:part" in xmp and b"pdfuaid" not in xmp


def test_unknown_pdf_variant_in_publication_yaml_is_one_line(tmp_path: Path) -> None:
    root = copy_project("book", tmp_path)
    config = root / "source" / "publication.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "page:\n  pdf_variant: pdf/x\n", encoding="utf-8")
    done = pubpipe("build", "-f", "pdf", cwd=root)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    # One diagnostic line, then the build's one-line summary.
    assert len(lines) == 2 and re.match(r"source/publication\.yaml:\d+(:\d+)?: error C113: ", lines[0]), lines
    assert lines[1] == "pubpipe: build failed: 1 error; nothing was written"


def test_footnotes_stand_at_the_foot_of_their_page(tmp_path: Path) -> None:
    """Many notes, some on a full last page (where a footnote area with padding once made notes vanish)."""
    root = copy_project("book", tmp_path)
    folder = root / "source" / "en"
    (folder / "02-middle.md").write_text("# Middle\n\nA short chapter.\n", encoding="utf-8")
    (folder / "03-end.md").write_text("# End\n\nThe end.\n", encoding="utf-8")
    sentence = "A line of text that fills the page so that notes land on every page and on a full last page. "
    paragraphs = []
    for number in range(1, 40):
        call = f"[^n{number}]" if number % 3 == 0 else ""
        paragraphs.append(f"Paragraph {number}. " + sentence * 4 + f"End of paragraph {number}.{call}")
    notes = [f"[^n{n}]: Note number {n} says where it stands." for n in range(3, 40, 3)]
    (folder / "01-opening.md").write_text("# Notes everywhere\n\n" + "\n\n".join(paragraphs + notes) + "\n",
                                        encoding="utf-8")
    done = pubpipe("build", "-f", "pdf", cwd=root)
    assert done.returncode == 0, done.stderr
    # Letters and digits only: hyphenation and line breaks must not hide a phrase.
    pages = [re.sub(r"[\W_]+", "", page.extract_text()) for page in PdfReader(root / "build/en/sample-book.pdf").pages]
    for n in range(3, 40, 3):
        note = f"Notenumber{n}sayswhereitstands"
        holding = [i for i, text in enumerate(pages) if note in text]
        assert len(holding) == 1, f"note {n} is missing or doubled"
        page = holding[0]
        # On the page of its call — or the next one: to keep a paragraph's second line (orphans: 2),
        # WeasyPrint may carry a note already placed over to the next page.
        call = f"Endofparagraph{n}"
        assert call in pages[page] or (page > 0 and call in pages[page - 1]), n
        # At the foot: after the last line of body text on its page.
        last_body = max(pages[page].rfind(f"Endofparagraph{k}") for k in range(1, 40))
        last_body = max(last_body, pages[page].rfind("fulllastpage"))
        assert pages[page].find(note) > last_body, n


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_headings_are_kept_with_the_text_that_follows(article_build: Path, lang: str) -> None:
    reader = PdfReader(article_build / "build" / lang / f"{SLUG}.pdf")
    title = squash(reader.metadata.title)
    for heading, page in outline_pages(reader):
        text = squash(reader.pages[page - 1].extract_text())
        # The body comes first in the page's text, the running header and folio last.
        following = text[text.find(heading) + len(heading):].replace(title, "").replace(heading, "")
        assert len(re.sub(r"\s|\d", "", following)) > 80, f"'{heading}' ends page {page}"
