"""`pubpipe init`: a new project that builds at once into three valid outputs, and never overwrites."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from lxml import html as lxml_html
from pypdf import PdfReader

from pubpipe.cli import main
from pubpipe.release import check_html
from tests.conftest import epubcheck, fixable


def test_init_builds_three_valid_outputs(tmp_path: Path, runner: CliRunner) -> None:
    root = tmp_path / "x"
    created = runner.invoke(main, ["init", str(root), "--title", "Field Notes: A Test", "--lang", "en"])
    assert created.exit_code == 0, created.output
    assert (root / ".gitignore").read_text(encoding="utf-8").count("build/") == 1
    assert sorted(p.name for p in (root / "styles").iterdir()) == [
        "base-extra.css", "epub-extra.css", "html-extra.css", "print-extra.css"]

    built = runner.invoke(main, ["build", "-C", str(root)])
    assert built.exit_code == 0, built.output
    out = root / "build" / "en"
    page = lxml_html.parse(str(out / "field-notes-a-test.html")).getroot()
    body = page.find("body")
    # The sample chapter shows each thing Markdown writers use.
    assert body.xpath("//h1[contains(., 'Field Notes: A Test')]") or body.xpath("//h2[contains(., 'Field Notes')]")
    assert body.xpath("//ul/li") and body.xpath("//blockquote") and body.xpath("//img[@alt]")
    assert body.xpath("//*[contains(@class, 'footnote') or @role='doc-endnotes' or @role='doc-footnote']")
    image = out / body.xpath("//img/@src")[0]
    assert image.read_bytes().startswith(b"\x89PNG")

    assert fixable(epubcheck(out / "field-notes-a-test.epub")) == []
    nu = check_html([out / "field-notes-a-test.html"])[(out / "field-notes-a-test.html").resolve()]
    assert nu["passed"] and nu["errors"] == 0, nu["messages"]
    reader = PdfReader(out / "field-notes-a-test.pdf")
    assert "quotation stands apart" in " ".join(p.extract_text() for p in reader.pages)


def test_extra_stylesheet_adds_to_the_defaults(tmp_path: Path, runner: CliRunner) -> None:
    root = tmp_path / "x"
    assert runner.invoke(main, ["init", str(root)]).exit_code == 0
    (root / "styles" / "html-extra.css").write_text("blockquote { color: rgb(1, 2, 3); }\n", encoding="utf-8")
    assert runner.invoke(main, ["build", "-C", str(root), "-f", "html"]).exit_code == 0
    css = (root / "build" / "en" / "my-publication.html").read_text(encoding="utf-8")
    # Both the default rules and the project's extra rule, the extra one last.
    assert "@font-face" in css and css.rindex("rgb(1, 2, 3)") > css.index("@font-face")


def test_init_refuses_to_overwrite(tmp_path: Path, runner: CliRunner) -> None:
    root = tmp_path / "x"
    assert runner.invoke(main, ["init", str(root)]).exit_code == 0
    config = root / "source" / "publication.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    again = runner.invoke(main, ["init", str(root), "--title", "Other"])
    assert again.exit_code != 0
    assert "error U108" in again.output and "Traceback" not in again.output
    assert config.read_text(encoding="utf-8").endswith("# mine\n")


def test_init_rejects_a_bad_language(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["init", str(tmp_path / "y"), "--lang", "english!"])
    assert result.exit_code == 2 and "error U107" in result.output
    assert not (tmp_path / "y" / "source").exists()


def test_a_new_project_passes_its_own_check(tmp_path: Path, runner: CliRunner) -> None:
    """`pubpipe check` on what `init` made says nothing: 'pubpipe' is in the new words.txt, and the
    English sample text of a Russian project is not spelled by the Russian dictionary."""
    for lang in ("en", "ru"):
        root = tmp_path / lang
        assert runner.invoke(main, ["init", str(root), "--lang", lang]).exit_code == 0
        checked = runner.invoke(main, ["check", "-C", str(root)])
        assert checked.exit_code == 0 and checked.output == "", checked.output
        assert runner.invoke(main, ["check", "-C", str(root), f"source/{lang}"]).exit_code == 0
    missing = runner.invoke(main, ["check", "-C", str(tmp_path / "en"), "source/xx"])
    assert missing.exit_code == 2 and "error U001" in missing.output
