"""A multi-file sample book: notes, links across chapter files, a table, code and an image."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from pypdf import PdfReader

from pubpipe.cli import main
from tests.conftest import copy_project, epubcheck, fixable

XHTML = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    root = copy_project("book", tmp_path_factory.mktemp("book"))
    result = CliRunner().invoke(main, ["build", "-C", str(root)])
    assert result.exit_code == 0, result.output
    assert "build/en/sample-book.pdf" in result.output and "pages" in result.output
    return root / "build" / "en"


def test_epub_is_clean(book: Path) -> None:
    assert fixable(epubcheck(book / "sample-book.epub")) == []


def test_epub_links_and_notes_resolve_across_files(book: Path) -> None:
    with zipfile.ZipFile(book / "sample-book.epub") as epub:
        names = epub.namelist()
        assert names[0] == "mimetype" and epub.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        chapters = {n: etree.fromstring(epub.read(n)) for n in names if n.startswith("EPUB/text/chapter-")}
        assert "EPUB/images/en/images/square.png" in names
    ids = {Path(name).name: set(tree.xpath("//@id")) for name, tree in chapters.items()}
    checked = 0
    for name, tree in chapters.items():
        for href in tree.xpath("//x:a/@href", namespaces=XHTML):
            file, _, anchor = href.partition("#")
            assert anchor in ids[file or Path(name).name], (name, href)
            checked += 1
        for ref in tree.xpath("//x:a[@epub:type='noteref']/@href", namespaces=XHTML):
            assert tree.xpath(f"//x:aside[@epub:type='footnote'][@id='{ref[1:]}']", namespaces=XHTML)
    assert checked >= 8


def test_html_renders_everything(book: Path) -> None:
    tree = lxml_html.fromstring((book / "sample-book.html").read_bytes())
    assert tree.xpath("//table//th[.='Year']") and tree.xpath("//td[@style='text-align: right;'][.='1917']")
    assert "def greet" in tree.xpath("string(//pre/code)")
    assert tree.xpath("//img[@alt='A red square on white']/@src") == ["en/images/square.png"]
    assert (book / "en/images/square.png").is_file()
    notes = tree.xpath("//section[@role='doc-endnotes']//li")
    assert len(notes) == 3
    assert tree.xpath("//a[.='the table in the middle chapter']/@href") == ["#the-table"]


def test_pdf_has_footnotes_and_outline(book: Path) -> None:
    reader = PdfReader(book / "sample-book.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "The middle chapter’s note." in text and "def greet" in text
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles == ["Opening", "Middle", "End"]
    assert reader.metadata.author == "Ada Example, Ben Sample"
