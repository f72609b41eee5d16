"""Every construct of issue 13 in one chapter (tests/projects/constructs), built in all formats and both editions."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from pypdf import PdfReader

from pubpipe.cli import main
from tests.conftest import copy_project, epubcheck, fixable

XHTML = {"x": "http://www.w3.org/1999/xhtml"}
KINDS = ["note", "tip", "warning", "important", "caution"]


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    root = copy_project("constructs", tmp_path_factory.mktemp("constructs"))
    result = CliRunner().invoke(main, ["build", "-C", str(root)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output and "error" not in result.output, result.output
    return root / "build"


def text(tree: etree._Element, path: str) -> list[str]:
    return [" ".join(node.text_content().split()) for node in tree.xpath(path)]


def test_numbers_captions_and_references_in_english(build: Path) -> None:
    tree = lxml_html.fromstring((build / "en/constructs.html").read_bytes())
    assert text(tree, "//figure[@id='fig-hills']/figcaption") == ["Figure 1: Hills at dusk, drawn for this sample"]
    assert text(tree, "//table[@id='tbl-planets']/caption") == ["Table 1: Three planets and their moons"]
    assert text(tree, "//*[@id='eq-pyth']//*[@class='equation-number']") == ["(1)"]
    assert text(tree, "//*[@id='eq-area']//*[@class='equation-number']") == ["(2)"]
    refs = {(a.get("href"), " ".join(a.text_content().split()))
            for a in tree.xpath("//a[contains(@class, 'crossref')]")}
    assert refs == {("#sec-method", "Math and code"), ("#eq-pyth", "Equation (1)"), ("#eq-area", "Equation (2)"),
                    ("#fig-hills", "Figure 1"), ("#tbl-planets", "Table 1")}


def test_citations_and_the_reference_list(build: Path) -> None:
    tree = lxml_html.fromstring((build / "en/constructs.html").read_bytes())
    citations = text(tree, "//*[contains(@class, 'citation')]")
    assert citations == ["(Bringhurst 2004, 12)", "Knuth (1984)", "(Knuth 1984; Lamport 1989)", "(1989)"]
    entries = tree.xpath("//*[@id='refs']//*[contains(@class, 'csl-entry')]/@id")
    assert entries == ["ref-bringhurst2004", "ref-knuth1984", "ref-lamport1986"]
    # The list stands where the author put it: after the "References" heading, the last thing in the text.
    heading = tree.xpath("//*[@id='refs']/preceding::*[self::h2 or self::h3][1]")[0]
    assert heading.text_content().strip() == "References"
    for href in tree.xpath("//*[contains(@class, 'citation')]//a/@href"):
        assert tree.xpath(f"//*[@id='{href[1:]}']"), href


def test_callouts_are_titled_boxes_not_headings(build: Path) -> None:
    tree = lxml_html.fromstring((build / "en/constructs.html").read_bytes())
    boxes = tree.xpath("//div[contains(@class, 'callout ')][@role='note']")
    kinds = [next(c for c in box.get("class").split() if c.startswith("callout-")) for box in boxes]
    assert kinds == [f"callout-{k}" for k in KINDS] + [f"callout-{k}" for k in ("note", "tip", "important",
                                                                                  "warning", "caution")]
    titles = [" ".join(box.xpath("string(*[1][contains(@class, 'callout-title')])").split()) for box in boxes]
    assert titles == ["Note", "A tip with its own title", "Warning", "Important", "Mind the step",
                      "Note", "Tip", "Important", "Warning", "Caution"]
    headings = text(tree, "//h1|//h2|//h3|//h4|//h5|//h6")
    assert "A tip with its own title" not in headings


def test_lists_and_blocks(build: Path) -> None:
    tree = lxml_html.fromstring((build / "en/constructs.html").read_bytes())
    assert tree.xpath("//ol[@start='7']/li[1]")[0].text_content().strip() == "seventh"
    assert tree.xpath("//ol[@type='a']") and tree.xpath("//ol[@start='4'][@type='i']")
    assert len(tree.xpath("//input[@type='checkbox']")) == 2
    assert text(tree, "//dl/dt") == ["Term", "Another term"]
    assert "keeps its indentation" in tree.xpath("string(//*[contains(@class, 'line-block')])")
    assert len(tree.xpath("//table[.//th[.='Referable']]//th")) == 9


def test_russian_words(build: Path) -> None:
    tree = lxml_html.fromstring((build / "ru/constructs.html").read_bytes())
    assert text(tree, "//figure[@id='fig-hills']/figcaption")[0].startswith("Рис. 1.")
    assert text(tree, "//table[@id='tbl-planets']/caption")[0].startswith("Таблица 1.")
    refs = [" ".join(a.text_content().split()) for a in tree.xpath("//a[contains(@class, 'crossref')]")]
    assert {"уравнение (1)", "рис. 1", "табл. 1", "Уравнение (1)"} <= set(refs)
    titles = [" ".join(t.text_content().split()) for t in tree.xpath("//*[contains(@class, 'callout-title')]")]
    assert titles[:5] == ["Примечание", "Совет со своим заголовком", "Внимание", "Важно", "Осторожно, ступенька"]
    assert "Doe" not in tree.text_content() and "2004 г." in " ".join(text(tree, "//*[@id='refs']"))


def test_pdf_outline_and_text(build: Path) -> None:
    reader = PdfReader(build / "en/constructs.pdf")
    titles: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            walk(item) if isinstance(item, list) else titles.append(item.title)

    walk(reader.outline)
    assert "Callouts" in titles and "A tip with its own title" not in titles and "Warning" not in titles
    # A heading's note (at any level) stays out of its outline entry: the title alone, no call number.
    assert {"A heading with a note", "A deeper heading with a note"} <= set(titles), titles
    words = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for expected in ("Figure 1: Hills at dusk", "Table 1: Three planets", "Equation (1)", "Bringhurst, Robert",
                     "A tip with its own title", "Mind the step"):
        assert expected in words, expected
    # Bold keywords and italic comments are faces of their own, so the code reads in black and white.
    fonts = {str(font.get_object()["/BaseFont"]).split("+")[-1] for page in reader.pages
             for font in page["/Resources"].get("/Font", {}).values()}
    assert {"DejaVu-Sans-Mono", "DejaVu-Sans-Mono-Bold", "DejaVu-Sans-Mono-Oblique"} <= fonts, fonts


def test_epubs_are_clean_and_carry_the_numbers(build: Path) -> None:
    for lang in ("en", "ru"):
        assert fixable(epubcheck(build / lang / "constructs.epub")) == [], lang
    with zipfile.ZipFile(build / "en/constructs.epub") as epub:
        body = " ".join(epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml"))
        nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
        ncx = etree.fromstring(epub.read("EPUB/toc.ncx"))
    assert "Figure\u00a01:" in body and 'class="callout callout-warning"' in body and 'id="ref-knuth1984"' in body
    # The contents nest as the PDF's outline: the chapter, its sections, a section's own subsection.
    toc = "//x:nav[@epub:type='toc']"
    ns = {**XHTML, "epub": "http://www.idpf.org/2007/ops"}
    assert nav.xpath(f"{toc}/x:ol/x:li/x:a/text()", namespaces=ns) == ["Every construct"]
    assert "Callouts" in nav.xpath(f"{toc}/x:ol/x:li/x:ol/x:li/x:a/text()", namespaces=ns)
    assert nav.xpath(f"{toc}//x:li[x:a='A heading with a note']/x:ol/x:li/x:a/text()",
                     namespaces=ns) == ["A deeper heading with a note"]
    points = ncx.xpath("//n:navPoint[n:navLabel/n:text='A heading with a note']/n:navPoint/n:navLabel/n:text/text()",
                       namespaces={"n": "http://www.daisy.org/z3986/2005/ncx/"})
    assert points == ["A deeper heading with a note"]
