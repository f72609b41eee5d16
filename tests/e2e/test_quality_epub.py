"""EPUB quality: accessibility metadata, landmarks, front and back matter, cover, a page list matching the PDF."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image
from pypdf import PdfReader

from tests.conftest import copy_project, epubcheck, fixable

SLUG = "socialism-didnt-fail"
NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}


def squeeze(text: str) -> str:
    """Letters only: line breaks, hyphenation and spacing differ between a PDF and an EPUB, and the PDF's
    page numbers (contents, note calls, folios) fall between words."""
    return re.sub(r"[\W\d_]+", "", text)


class Epub:
    """An EPUB opened for reading: its package document and content documents by path."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.xpath("//*[local-name()='rootfile']/@full-path")[0]
        self.opf = etree.fromstring(self.zip.read(self.opf_path))
        self.base = str(Path(self.opf_path).parent)

    def doc(self, href: str) -> etree._Element:
        return etree.fromstring(self.zip.read(f"{self.base}/{href}"))

    def meta(self, prop: str) -> list[str]:
        return [m.text for m in self.opf.xpath(f"//opf:meta[@property='{prop}']", namespaces=NS)]

    def item(self, **attrs: str) -> etree._Element:
        condition = " and ".join(f"contains(@{k}, '{v}')" for k, v in attrs.items())
        return self.opf.xpath(f"//opf:manifest/opf:item[{condition}]", namespaces=NS)[0]

    def nav(self) -> etree._Element:
        return self.doc(self.item(properties="nav").get("href"))


@pytest.fixture(scope="module")
def book_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from pubpipe.cli import main

    root = copy_project("book", tmp_path_factory.mktemp("quality-book"))
    result = CliRunner().invoke(main, ["build", "-C", str(root)])
    assert result.exit_code == 0, result.output
    return root / "build" / "en"


def article_epub(article_build: Path, lang: str) -> Epub:
    return Epub(article_build / "build" / lang / f"{SLUG}.epub")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_accessibility_metadata(article_build: Path, lang: str) -> None:
    epub = article_epub(article_build, lang)
    assert set(epub.meta("schema:accessMode")) >= {"textual"}
    assert epub.meta("schema:accessModeSufficient") == ["textual"]
    features = set(epub.meta("schema:accessibilityFeature"))
    assert features >= {"structuralNavigation", "tableOfContents", "readingOrder", "alternativeText",
                        "pageBreakMarkers", "pageNavigation"}
    assert epub.meta("schema:accessibilityHazard") == ["none"]
    summary = epub.meta("schema:accessibilitySummary")
    assert len(summary) == 1 and len(summary[0]) > 40
    assert epub.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert epub.meta("a11y:certifiedBy")
    assert epub.meta("pageBreakSource")[0].startswith(epub.opf.xpath("string(//dc:identifier)", namespaces=NS))


def test_sample_book_with_a_table_and_an_image_is_clean(book_build: Path) -> None:
    path = book_build / "sample-book.epub"
    assert fixable(epubcheck(path)) == []
    epub = Epub(path)
    assert "alternativeText" in set(epub.meta("schema:accessibilityFeature"))  # its one image is described
    assert epub.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert epub.meta("schema:accessModeSufficient") == ["textual"]


def test_an_image_without_alt_text_drops_the_conformance_claim(tmp_path: Path) -> None:
    """The same book with its image's alt text left out: no text alternatives, no WCAG claim, and says so."""
    from click.testing import CliRunner

    from pubpipe.cli import main

    root = copy_project("book", tmp_path)
    chapter = root / "source" / "en" / "01-opening.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("![A red square on white]", "![]"),
                       encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-C", str(root), "-f", "epub"], env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.exit_code == 0, result.output
    assert "warning A103: 1 image(s) without alt text (first: 'en/images/square.png')" in result.output
    path = root / "build" / "en" / "sample-book.epub"
    assert fixable(epubcheck(path)) == []
    epub = Epub(path)
    [image] = epub.doc("text/chapter-001.xhtml").xpath("//x:img", namespaces=NS)
    assert not (image.get("alt") or "").strip()
    features = set(epub.meta("schema:accessibilityFeature"))
    assert "alternativeText" not in features and {"tableOfContents", "readingOrder"} <= features
    assert epub.meta("dcterms:conformsTo") == [] and epub.meta("a11y:certifiedBy") == []
    assert epub.meta("schema:accessModeSufficient") == ["textual,visual"]
    assert epub.meta("schema:accessibilityHazard") == ["none"]
    [summary] = epub.meta("schema:accessibilitySummary")
    assert "does not fully meet WCAG 2.1 level AA" in summary and "meets the requirements" not in summary


def test_text_without_headings_still_has_a_table_of_contents(tmp_path: Path) -> None:
    """EPUB requires at least one entry in the nav's contents and the NCX: the text itself, by its title."""
    from click.testing import CliRunner

    from pubpipe.cli import main

    (tmp_path / "source" / "en").mkdir(parents=True)
    (tmp_path / "source" / "publication.yaml").write_text(
        "slug: notes\nidentifier: urn:uuid:0b7e4c1a-5d2f-4e8a-9c3b-6f1d2e3a4b5c\nlanguage: en\n"
        "title: Loose notes\nauthors: [A. Writer]\nrights: CC BY 4.0\nformats: [epub]\n"
        "editions: [{lang: en}]\n", encoding="utf-8")
    (tmp_path / "source" / "en" / "text.md").write_text("Just a paragraph, no heading.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-C", str(tmp_path)])
    assert result.exit_code == 0, result.output
    path = tmp_path / "build" / "en" / "notes.epub"
    assert fixable(epubcheck(path)) == []
    entries = Epub(path).doc("nav.xhtml").xpath("//x:nav[@epub:type='toc']//x:a", namespaces=NS)
    assert [(a.text, a.get("href")) for a in entries] == [("Loose notes", "text/chapter-001.xhtml")]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_landmarks_sections_title_page_and_colophon(article_build: Path, lang: str) -> None:
    epub = article_epub(article_build, lang)
    nav = epub.nav()
    landmarks = nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS)
    assert landmarks == ["cover", "toc", "bodymatter"]
    title = epub.doc("text/title.xhtml")
    assert title.xpath("//x:section[@epub:type='titlepage']//x:h1", namespaces=NS)
    colophon = etree.tostring(epub.doc("text/colophon.xhtml"), method="text", encoding="unicode")
    identifier = epub.opf.xpath("string(//dc:identifier)", namespaces=NS)
    rights = epub.opf.xpath("string(//dc:rights)", namespaces=NS)
    assert identifier in colophon and rights in colophon
    assert re.search(r"\b20\d\d\b", colophon)  # the build date
    spine = [epub.opf.xpath(f"//opf:item[@id='{ref}']/@href", namespaces=NS)[0]
             for ref in epub.opf.xpath("//opf:spine/opf:itemref/@idref", namespaces=NS)]
    assert spine[:2] == ["text/cover.xhtml", "text/title.xhtml"] and spine[-1] == "text/colophon.xhtml"
    for href in spine:
        if href.startswith("text/chapter-"):
            types = epub.doc(href).xpath("//x:body/x:section/@epub:type", namespaces=NS)
            assert types and types[0] in ("chapter", "preamble"), href


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_cover_is_a_large_raster_shown_first(article_build: Path, lang: str) -> None:
    epub = article_epub(article_build, lang)
    cover = epub.item(properties="cover-image")
    assert cover.get("media-type") in ("image/png", "image/jpeg")
    image = Image.open(io.BytesIO(epub.zip.read(f"{epub.base}/{cover.get('href')}")))
    assert max(image.size) >= 1600
    page = epub.doc("text/cover.xhtml")
    assert page.xpath("//x:img/@src", namespaces=NS) == [f"../{cover.get('href')}"]
    assert page.xpath("//x:img/@alt", namespaces=NS)[0].strip()


def marker_text(span: etree._Element, top_entries_only: bool = False) -> tuple[str, str]:
    """The text just after a page marker and, when the marker closes its block, the text just before.

    *top_entries_only*: leave out nested list entries (the EPUB's contents nest the lower headings
    under each section; the printed contents page lists the sections alone)."""
    nested = "[not(ancestor::x:li/ancestor::x:li)]" if top_entries_only else ""
    after = "".join(span.xpath(f"following::text(){nested}", namespaces=NS))
    before = "".join(span.xpath("preceding::text()[ancestor::x:body]", namespaces=NS))
    return squeeze(after)[:16], squeeze(before)[-16:]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_page_list_matches_the_pdf(article_build: Path, lang: str) -> None:
    folder = article_build / "build" / lang
    check_page_list(folder / f"{SLUG}.epub", folder / f"{SLUG}.pdf")


def test_page_list_of_a_book_with_notes_tables_and_images(book_build: Path) -> None:
    check_page_list(book_build / "sample-book.epub", book_build / "sample-book.pdf")


def check_page_list(epub_path: Path, pdf_path: Path) -> None:
    epub = Epub(epub_path)
    reader = PdfReader(pdf_path)
    pages = [squeeze(page.extract_text()) for page in reader.pages]
    entries = epub.nav().xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)
    # One entry per PDF page, named as the PDF labels its pages.
    assert [a.text for a in entries] == reader.page_labels == [str(n) for n in range(1, len(pages) + 1)]
    nav_dir = Path(epub.item(properties="nav").get("href")).parent
    for number, link in enumerate(entries, start=1):
        file, _, anchor = link.get("href").partition("#")
        document = epub.doc(str(nav_dir / file))
        spans = document.xpath(f"//*[@id='{anchor}']", namespaces=NS)
        assert len(spans) == 1, link.get("href")
        span = spans[0]
        assert span.get("{http://www.idpf.org/2007/ops}type") == "pagebreak"
        assert span.get("role") == "doc-pagebreak" and span.get("aria-label") == str(number)
        after, before = marker_text(span, top_entries_only=file == "nav.xhtml")
        closes_block = span.getnext() is None and not (span.tail or "").strip()
        # The text at the marker is printed on that page of the PDF.
        expected = before if closes_block else after
        assert expected and expected in pages[number - 1], (number, expected, closes_block)
        if not closes_block and before and number > 1:
            # A marker before a block: the text just ahead of it ends the page before.
            assert before in pages[number - 2], (number, before)
