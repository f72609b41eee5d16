"""`pubpipe check --outputs`: the three validators on real outputs, and findings mapped back to the source."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject

from pubpipe.check.outputs import check_epub, check_pdf
from pubpipe.check.sourcemap import block_index
from pubpipe.cli import main
from pubpipe.model import Edition
from pubpipe.reading.prepare import prepare_edition
from pubpipe.reading.project import Project, load_project
from pubpipe.report import Reporter


def test_outputs_of_the_article_pass_all_three_validators(article_build: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--outputs", "--json", str(article_build)])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)
    assert [f for f in findings if f["severity"] == "error"] == []


def test_missing_outputs_are_reported(tmp_path: Path) -> None:
    from ..conftest import copy_project

    root = copy_project("book", tmp_path)
    result = CliRunner().invoke(main, ["check", "--outputs", "--select", "K208", str(root)])
    assert result.exit_code == 1
    assert "error K208: epub output of the 'en' edition is missing" in result.stdout


def _prepared(project: Project) -> Edition:
    """The English edition as every command prepares it."""
    edition = prepare_edition(project, "en", Reporter())
    assert edition is not None
    return edition


def _rewrite(epub: Path, target: Path, member: str, old: str, new: str) -> None:
    """Copy *epub* with one member edited, keeping the mimetype first and stored."""
    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                text = data.decode("utf-8")
                assert old in text
                data = text.replace(old, new, 1).encode("utf-8")
            out.writestr(info, data, compress_type=info.compress_type)


def test_epubcheck_error_in_a_chapter_points_at_the_markdown_paragraph(article_build: Path, tmp_path: Path) -> None:
    project = load_project(article_build)
    index = block_index(_prepared(project))
    broken = tmp_path / "broken.epub"
    _rewrite(project.build_dir / "en" / f"{project.slug}.epub", broken, "EPUB/text/chapter-002.xhtml",
             "<p>He remained", '<p bogus="1">He remained')
    found = [d for d in check_epub(broken, index) if d.severity == "error"]
    assert found, "EPUBCheck should reject the bogus attribute"
    source = (article_build / "source" / "en" / "article.md").read_text(encoding="utf-8").split("\n")
    line = next(number for number, text in enumerate(source, 1) if text.startswith("He remained"))
    assert {(d.where.path, d.where.line) for d in found} == {(article_build / "source" / "en" / "article.md", line)}
    assert "EPUBCheck RSC-005" in found[0].message


def test_a_bare_pdf_fails_every_pdf_check(tmp_path: Path) -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    path = tmp_path / "bare.pdf"
    with path.open("wb") as stream:
        writer.write(stream)
    codes = sorted(d.code for d in check_pdf(path))
    assert codes == ["K204", "K205", "K206", "K207"]
    assert any("Helvetica" in d.message for d in check_pdf(path))


def test_a_damaged_pdf_is_reported(article_build: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.pdf"
    shutil.copy(article_build / "build" / "en" / "socialism-didnt-fail.pdf", damaged)
    damaged.write_bytes(b"not a pdf at all")
    assert [d.code for d in check_pdf(damaged)] == ["K203"]


def test_the_built_pdf_passes(article_build: Path) -> None:
    assert check_pdf(article_build / "build" / "ru" / "socialism-didnt-fail.pdf") == []


def test_nu_checker_error_in_html_points_at_the_markdown_paragraph(article_build: Path, tmp_path: Path) -> None:
    from pubpipe.check.outputs import check_html

    project = load_project(article_build)
    index = block_index(_prepared(project))
    page = tmp_path / "page.html"
    text = (project.build_dir / "en" / f"{project.slug}.html").read_text(encoding="utf-8")
    page.write_text(text.replace("<p>He remained", '<p bogus="1">He remained', 1), encoding="utf-8")
    found = [d for d in check_html([(page, index)]) if d.severity == "error"]
    source = (article_build / "source" / "en" / "article.md").read_text(encoding="utf-8").split("\n")
    line = next(number for number, text in enumerate(source, 1) if text.startswith("He remained"))
    assert [(d.where.path.name, d.where.line) for d in found] == [("article.md", line)]
    assert "bogus" in found[0].message
