"""Math, highlighted code, tables, lists, notes and raw HTML (tests/projects/render) in all three formats."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import copy_project, epubcheck, fixable
from tests.e2e.test_quality_html import nu_checker

OPF = "{http://www.idpf.org/2007/opf}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from pubpipe.cli import main

    root = copy_project("render", tmp_path_factory.mktemp("render"))
    result = CliRunner().invoke(main, ["build", "-C", str(root)])
    assert result.exit_code == 0, result.output
    return root / "build" / "en"


def pdf_text(path: Path, mode: str = "plain") -> str:
    """The text of the pages: in reading order, or as laid out (list markers beside their items)."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text(extraction_mode=mode) for page in PdfReader(str(path)).pages)


def test_epub_is_clean_and_marks_its_mathml(built: Path) -> None:
    assert fixable(epubcheck(built / "constructs.epub")) == []
    with zipfile.ZipFile(built / "constructs.epub") as book:
        opf = etree.fromstring(book.read("EPUB/content.opf"))
        items = {item.get("href"): item.get("properties") or "" for item in opf.iter(f"{OPF}item")}
        raw = book.read("EPUB/text/chapter-005.xhtml").decode("utf-8")
    assert items["text/chapter-001.xhtml"] == "mathml" and "mathml" not in items["text/chapter-002.xhtml"]
    # The comment holding `--` is gone; the details keep their text inside them, under a summary.
    assert "editor" not in raw
    assert re.search(r"<details><summary>Details</summary>\s*<p>The hidden text stays inside the details.</p>\s*"
                     r"</details>", raw)
    assert 'style="text-align: center"' in raw and "align=" not in raw


def test_html_is_clean_for_the_nu_checker(built: Path) -> None:
    assert nu_checker(built / "constructs.html") == []


def test_html_has_the_constructs(built: Path) -> None:
    from lxml import html

    page = html.fromstring((built / "constructs.html").read_bytes())
    assert [m.get("alttext") for m in page.iter("{http://www.w3.org/1998/Math/MathML}math", "math")][:2] == [
        r"A = \pi r^2", r"e^{i\pi} + 1 = 0"]
    assert page.xpath("//code[contains(@class, 'python')]//span[@class='kw']")
    assert [cell.get("style") for cell in page.xpath("//table[1]/thead//th")][:3] == [
        "text-align: left;", "text-align: right;", "text-align: center;"]
    assert page.xpath("//ol[@start='7']") and page.xpath("//ol[@type='i'][@start='4']")
    assert len(page.xpath("//ul[@class='task-list']//input[@type='checkbox']")) == 2
    assert page.xpath("//td[@rowspan='2']") and page.xpath("//th[@colspan='2']")
    contents = page.xpath("//nav[@id='toc']//a")
    assert "A note in a heading" in [a.text_content() for a in contents]  # no note number in the contents


def test_pdf_shows_every_column_the_list_numbers_and_the_notes(built: Path) -> None:
    from pypdf import PdfReader

    text = pdf_text(built / "constructs.pdf")
    flat = re.sub(r"[\s\-\u00ad\u2010]", "", text)
    assert "Lastcolumnwordthatmustshow" in flat and "Yankeezulutailend" in flat
    assert "item.created_at))" in flat  # the long code line wraps instead of leaving the page
    text = pdf_text(built / "constructs.pdf", "layout")
    assert re.search(r"7\.\s*seventh", text) and re.search(r"8\.\s*eighth", text)
    assert re.search(r"iv\.\s*fourth", text) and re.search(r"a\.\s*first by letter", text)
    assert re.search(r"1\.\s*The heading", text) and re.search(r"2\.\s*The text", text)
    outline = [item.title for item in PdfReader(str(built / "constructs.pdf")).outline if not isinstance(item, list)]
    assert "A note in a heading" in outline


def test_pdf_draws_formulas_as_pictures_with_their_tex(built: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(str(built / "constructs.pdf"))
    alts = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if "/Alt" in node:
                alts.append(str(node["/Alt"]))
            for key in ("/K",):
                if key in node:
                    walk(node[key])
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert r"A = \pi r^2" in alts and r"\sum_{k=1}^{n} k = \frac{n(n+1)}{2}" in alts
