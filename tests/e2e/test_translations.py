"""Translated editions end to end: `pubpipe translate`, the Russian outputs' glyphs, and the RTL sample."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from fontTools.ttLib import TTFont
from lxml import etree
from pypdf import PdfReader

from pubpipe.cli import main
from pubpipe.transforms.glyphs import needs_glyph
from tests.conftest import REPO, copy_project, epubcheck, fixable

RU_ARTICLE = "source/ru/article.md"
EN_ARTICLE = "source/en/article.md"


def status_json(runner: CliRunner, root: Path, lang: str = "ru") -> dict:
    result = runner.invoke(main, ["translate", "status", lang, "--json", "-C", str(root)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["editions"][0]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


# ---------------------------------------------------------------- the workflow


def test_the_real_russian_edition_is_complete(runner: CliRunner) -> None:
    result = runner.invoke(main, ["translate", "status", "--check", "-C", str(REPO)])
    assert result.exit_code == 0, result.output
    summary = status_json(runner, REPO)
    assert summary["total"] > 40
    assert summary["translated"] == summary["total"] and summary["percent"] == 100.0
    assert summary["stale"] == summary["untranslated"] == summary["obsolete"] == 0


def test_changing_one_english_paragraph_makes_exactly_that_segment_stale(runner: CliRunner,
                                                                        tmp_path: Path) -> None:
    root = copy_project("article", tmp_path)
    article = root / EN_ARTICLE
    text = article.read_text(encoding="utf-8")
    old = "He kept alive the Bolshevik fight against Stalinism"
    assert text.count(old) == 1
    article.write_text(text.replace(old, "He kept the Bolshevik fight against Stalinism alive"), encoding="utf-8")
    check = runner.invoke(main, ["translate", "status", "--check", "-C", str(root)])
    assert check.exit_code == 1
    summary = status_json(runner, root)
    assert (summary["stale"], summary["untranslated"], summary["obsolete"]) == (1, 0, 0)
    [segment] = summary["segments"]
    line = text[:text.index(old)].count("\n") + 1
    assert segment["state"] == "stale" and segment["original"] == f"{EN_ARTICLE}:{line}"
    assert f"{EN_ARTICLE}:{line}: stale {segment['id']}" in check.output


def test_inserting_a_paragraph_gives_exactly_one_untranslated_segment(runner: CliRunner, tmp_path: Path) -> None:
    root = copy_project("article", tmp_path)
    article = root / EN_ARTICLE
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("# The Russian Revolution", "A new paragraph.\n\n# The Russian Revolution"),
                       encoding="utf-8")
    summary = status_json(runner, root)
    assert (summary["untranslated"], summary["stale"], summary["obsolete"]) == (1, 0, 0)
    assert summary["total"] == status_json(runner, REPO)["total"] + 1
    # The translator adds its translation in place and records it: complete again.
    russian = root / RU_ARTICLE
    russian.write_text(russian.read_text(encoding="utf-8").replace(
        "# Русская революция", "Новый абзац.\n\n# Русская революция"), encoding="utf-8")
    marked = runner.invoke(main, ["translate", "mark", "ru", summary["segments"][0]["id"], "-C", str(root)])
    assert marked.exit_code == 0, marked.output
    assert runner.invoke(main, ["translate", "status", "--check", "-C", str(root)]).exit_code == 0


def test_po_export_then_import_without_changes_is_lossless(runner: CliRunner, tmp_path: Path) -> None:
    root = copy_project("article", tmp_path)
    before = snapshot(root / "source" / "ru")
    po = tmp_path / "ru.po"
    assert runner.invoke(main, ["translate", "export", "ru", "-o", str(po), "-C", str(root)]).exit_code == 0
    catalogue = polib.pofile(str(po))
    assert len(catalogue) == status_json(runner, root)["total"] and catalogue.percent_translated() == 100
    result = runner.invoke(main, ["translate", "import", "ru", str(po), "-C", str(root)])
    assert result.exit_code == 0, result.output
    assert snapshot(root / "source" / "ru") == before


def test_stale_segments_export_as_fuzzy_and_an_import_brings_them_up_to_date(runner: CliRunner,
                                                                            tmp_path: Path) -> None:
    root = copy_project("article", tmp_path)
    article = root / EN_ARTICLE
    old = "He kept alive the Bolshevik fight against Stalinism"
    article.write_text(article.read_text(encoding="utf-8").replace(old, "He kept alive the fight against Stalinism"),
                       encoding="utf-8")
    po = tmp_path / "ru.po"
    assert runner.invoke(main, ["translate", "export", "ru", "-o", str(po), "-C", str(root)]).exit_code == 0
    catalogue = polib.pofile(str(po))
    [fuzzy] = catalogue.fuzzy_entries()
    assert fuzzy.previous_msgid.startswith(old) and fuzzy.msgid.startswith("He kept alive the fight")
    assert fuzzy.msgstr.startswith("Он не давал угаснуть")
    fuzzy.flags.remove("fuzzy")
    fuzzy.msgstr = "Он не давал угаснуть борьбе против сталинизма до 1940 года."
    catalogue.save(str(po))
    result = runner.invoke(main, ["translate", "import", "ru", str(po), "-C", str(root)])
    assert result.exit_code == 0, result.output
    assert "Он не давал угаснуть борьбе против сталинизма до 1940 года." in (root / RU_ARTICLE).read_text(
        encoding="utf-8")
    assert runner.invoke(main, ["translate", "status", "--check", "-C", str(root)]).exit_code == 0


def test_add_creates_an_untranslated_edition_from_the_original(runner: CliRunner, tmp_path: Path) -> None:
    root = copy_project("article", tmp_path)
    result = runner.invoke(main, ["translate", "add", "de", "-C", str(root)])
    assert result.exit_code == 0, result.output
    assert (root / "source/de/article.md").read_bytes() == (root / EN_ARTICLE).read_bytes()
    summary = status_json(runner, root, "de")
    assert summary["translated"] == 0 and summary["untranslated"] == summary["total"] > 40
    assert runner.invoke(main, ["translate", "status", "de", "--check", "-C", str(root)]).exit_code == 1
    again = runner.invoke(main, ["translate", "add", "de", "-C", str(root)])
    assert again.exit_code == 2 and "error U106" in again.output


# ---------------------------------------------------------------- glyphs


def embedded_pdf_fonts(path: Path) -> list[TTFont]:
    """The font files a PDF embeds (each once)."""
    fonts, seen = [], set()
    for page in PdfReader(path).pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            if font["/BaseFont"] in seen:
                continue
            seen.add(font["/BaseFont"])
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            data = descriptor["/FontFile2"].get_object().get_data()
            fonts.append(TTFont(io.BytesIO(data)))
    return fonts


def family_names(fonts: list[TTFont]) -> set[str]:
    return {font["name"].getDebugName(1) for font in fonts}


def bundled_fonts(root: Path) -> list[TTFont]:
    return [TTFont(path) for path in sorted((root / "styles" / "fonts").glob("*.ttf"))]


def covered(fonts: list[TTFont]) -> set[int]:
    found: set[int] = set()
    for font in fonts:
        found |= set(font.getBestCmap() or {})
    return found


def test_the_russian_pdf_has_its_headings_and_every_glyph_from_the_bundled_fonts(article_build: Path) -> None:
    pdf = article_build / "build/ru/socialism-didnt-fail.pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    text = text.replace("\u00a0", " ")
    headings = [line[2:].strip() for line in (article_build / RU_ARTICLE).read_text(encoding="utf-8").splitlines()
                if line.startswith("# ")]
    assert len(headings) >= 6
    for heading in headings:
        assert heading.replace("\u00a0", " ") in text
    assert "\ufffd" not in text
    fonts = embedded_pdf_fonts(pdf)
    # Only the bundled fonts are embedded: a fallback system font would mean a glyph they lack.
    assert family_names(fonts) <= family_names(bundled_fonts(article_build))
    missing = {char for char in text if needs_glyph(char) and ord(char) not in covered(fonts)}
    assert not missing


def epub_texts(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as book:
        return {name: etree.fromstring(book.read(name)) for name in book.namelist() if name.endswith(".xhtml")}


def epub_fonts(path: Path) -> list[TTFont]:
    with zipfile.ZipFile(path) as book:
        return [TTFont(io.BytesIO(book.read(name))) for name in book.namelist() if name.endswith(".ttf")]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_character_of_the_epub_is_in_its_embedded_fonts(article_build: Path, lang: str) -> None:
    epub = article_build / f"build/{lang}/socialism-didnt-fail.epub"
    cmap = covered(epub_fonts(epub))
    for name, root in epub_texts(epub).items():
        text = "".join(root.itertext())
        missing = {char for char in text if needs_glyph(char) and ord(char) not in cmap}
        assert not missing, (name, missing)


def test_the_russian_epub_passes_epubcheck(article_build: Path) -> None:
    messages = epubcheck(article_build / "build/ru/socialism-didnt-fail.epub")
    assert fixable(messages) == []


def test_a_character_the_design_fonts_lack_is_drawn_by_a_fallback_face(runner: CliRunner, tmp_path: Path) -> None:
    """Issue 12: a Han character in the Russian text is no longer an error (G101 was one): the chain
    after PT Serif draws it, and the PDF carries it."""
    root = copy_project("article", tmp_path)
    article = root / RU_ARTICLE
    lines = article.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("Многие рабочие"))
    lines[number] = lines[number].replace("вопросом", "вопросом 漢", 1)
    article.write_text("\n".join(lines), encoding="utf-8")
    result = runner.invoke(main, ["build", "-l", "ru", "-f", "pdf", "-C", str(root)])
    assert result.exit_code == 0, result.output
    assert "G101" not in result.output
    text = " ".join(page.extract_text() for page in PdfReader(root / "build/ru/socialism-didnt-fail.pdf").pages)
    assert "漢" in text


# ---------------------------------------------------------------- right to left


@pytest.fixture(scope="module")
def rtl_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project("rtl", tmp_path_factory.mktemp("rtl"))
    result = CliRunner().invoke(main, ["build", "-C", str(root)])
    assert result.exit_code == 0, result.output
    return root / "build" / "he"


def test_the_rtl_html_is_right_to_left(rtl_build: Path) -> None:
    html = etree.parse(str(rtl_build / "rtl-sample.html"), etree.HTMLParser()).getroot()
    assert html.get("dir") == "rtl" and html.get("lang") == "he"


def test_the_rtl_epub_is_right_to_left_and_valid(rtl_build: Path) -> None:
    epub = rtl_build / "rtl-sample.epub"
    with zipfile.ZipFile(epub) as book:
        opf = etree.fromstring(book.read("EPUB/content.opf"))
    spine = opf.find("{http://www.idpf.org/2007/opf}spine")
    assert spine.get("page-progression-direction") == "rtl"
    for name, root in epub_texts(epub).items():
        assert root.get("dir") == "rtl", name
        assert root.get("lang") == "he", name
    cmap = covered(epub_fonts(epub))
    for root in epub_texts(epub).values():
        assert not {char for char in "".join(root.itertext()) if needs_glyph(char) and ord(char) not in cmap}
    assert fixable(epubcheck(epub)) == []


def test_the_rtl_pdf_is_right_aligned(rtl_build: Path) -> None:
    reader = PdfReader(rtl_build / "rtl-sample.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "he"
    page = reader.pages[-1]
    width = float(page.mediabox.width)
    starts: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            starts.setdefault(text.strip(), tm[4] * cm[0] + tm[5] * cm[2] + cm[4])

    page.extract_text(visitor_text=visit)
    # Short lines (a heading, the last line of a paragraph) start right of the middle: aligned right.
    for short in ("סיום", "ובספר האלקטרוני."):
        assert starts[short] > width / 2, (short, starts[short])
    assert family_names(embedded_pdf_fonts(rtl_build / "rtl-sample.pdf")) == {"DejaVu Sans"}
