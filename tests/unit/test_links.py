"""Links to files outside the publication: a warning (P021), made text or absolute — in Markdown and raw HTML."""

from __future__ import annotations

from pathlib import Path

from pubpipe.model import ast
from pubpipe.reading.prepare import prepare_edition
from pubpipe.reading.project import load_project
from pubpipe.report import Reporter
from tests.conftest import copy_project

TEXT = """# Links

[the licence](OFL.txt), [scripts](/scripts/README.md) and <a href="doc/README-ja.md">日本語</a>.
"""


def edition_with(tmp_path: Path, source_url: str | None = None) -> tuple[str, Reporter]:
    root = copy_project("seed", tmp_path)
    for page in (root / "source" / "en").glob("*.md"):
        page.unlink()
    (root / "source" / "en" / "links.md").write_text(TEXT, encoding="utf-8")
    if source_url:
        config = root / "source" / "publication.yaml"
        config.write_text(config.read_text(encoding="utf-8") + f"source_url: {source_url}\n", encoding="utf-8")
    reporter = Reporter()
    edition = prepare_edition(load_project(root), "en", reporter)
    assert edition is not None
    blocks = [block for section in edition.sections for block in section.blocks]
    raw = "".join(node["c"][1] for node in ast.find(blocks, "RawInline"))
    links = " ".join(node["c"][2][0] for node in ast.find(blocks, "Link"))
    return raw + " | " + links + " | " + ast.plain_text(blocks), reporter


def test_outside_links_become_text_with_their_address(tmp_path: Path) -> None:
    text, reporter = edition_with(tmp_path)
    assert [d.code for d in reporter.warnings] == ["P021", "P021", "P021"]
    assert not reporter.errors
    assert '<a href="doc' not in text and "OFL.txt" in text and "/scripts/README.md" in text


def test_outside_links_point_at_source_url(tmp_path: Path) -> None:
    text, reporter = edition_with(tmp_path, "https://example.org/repo/blob/main/")
    assert len(reporter.warnings) == 3
    assert "https://example.org/repo/blob/main/OFL.txt" in text
    assert "https://example.org/repo/blob/main/scripts/README.md" in text
    assert 'href="https://example.org/repo/blob/main/doc/README-ja.md"' in text


def test_a_link_to_a_chapter_file_that_begins_below_level_one_lands_on_its_first_heading(tmp_path: Path) -> None:
    """An imported nested chapter begins with `## …`: a link to its file goes to that heading, not out."""
    root = copy_project("seed", tmp_path)
    folder = root / "source" / "en"
    for page in folder.glob("*.md"):
        page.unlink()
    (folder / "01-one.md").write_text("# One\n\nSee [the dot](02-dot.md) and [more](02-dot.md#more).\n")
    (folder / "02-dot.md").write_text("## The Dot Operator\n\nText.\n\n### More\n\nx\n")
    reporter = Reporter()
    edition = prepare_edition(load_project(root), "en", reporter)
    assert edition is not None and not reporter.diagnostics
    links = [node["c"][2][0] for section in edition.sections for node in ast.find(list(section.blocks), "Link")]
    assert links == ["#the-dot-operator", "#more"]


def test_raw_anchor_to_nothing_is_an_error_and_a_language_like_folder_is_an_edition(tmp_path: Path) -> None:
    root = copy_project("seed", tmp_path)
    folder = root / "source" / "en"
    for page in folder.glob("*.md"):
        page.unlink()
    (folder / "a.md").write_text('# Using a pager\n\n<a href="#using-a-pagr">x</a> [doc](../doc/assets.md) '
                                 "[de](../de/a.md) [gone](#using-pager)\n", encoding="utf-8")
    reporter = Reporter()
    prepare_edition(load_project(root), "en", reporter)
    found = sorted((d.code, d.severity) for d in reporter.diagnostics)
    assert found == [("P020", "error"), ("P020", "error"), ("P021", "warning"), ("P023", "error")]
    assert all(d.hint == "did you mean #using-a-pager (a.md:1)?" for d in reporter.diagnostics if d.code == "P020")


def test_anchors_spelt_as_github_or_mkdocs_spell_them_land_on_the_heading(tmp_path: Path) -> None:
    from tests.unit.markdown_edition import blocks, edition_of

    text = ('## [3.0.0] - 2018-09-21\n\n## 目標と類似したOSS\n\n### --config=CONFIG_FILE\n\n'
            '[notes](#300-2018-09-21) <a href="#目標と類似したOSS">x</a> [gone](#300-2018-09) '
            '[hugo](#config-config-file)\n')
    edition, reporter = edition_of(tmp_path, text)
    assert edition is not None
    found = blocks(edition)
    assert [link["c"][2][0] for link in ast.find(found, "Link")] == ["#300---2018-09-21", "#300-2018-09",
                                                                          "#configconfig_file"]
    assert 'href="#目標と類似したoss"' in "".join(raw["c"][1] for raw in ast.find(found, "RawInline"))
    assert [(d.code, d.severity) for d in reporter.diagnostics] == [("P020", "error")]


def test_a_translation_keeping_the_originals_anchor_links_to_the_original(tmp_path: Path) -> None:
    from tests.unit.markdown_edition import blocks, write_project

    root = write_project(tmp_path, "# Intro\n\n## Using a pager\n\nText.\n",
                         settings="  - lang: ru\n", files={"ru/text.md": "# Введение\n\n## Пейджер\n\n"
                                                          "[см.](#using-a-pager) и [нет](#nowhere)\n"})
    reporter = Reporter()
    edition = prepare_edition(load_project(root), "ru", reporter)
    assert edition is not None
    assert [link["c"][2][0] for link in ast.find(blocks(edition), "Link")] == ["edition:en#using-a-pager",
                                                                               "#nowhere"]
    found = [(d.code, d.severity) for d in reporter.diagnostics]
    assert found == [("R120", "warning"), ("P020", "error")]
    assert "e.g. #пейджер" in (reporter.diagnostics[0].hint or "")


def test_web_addresses_validators_reject_are_written_as_browsers_read_them(tmp_path: Path) -> None:
    from tests.unit.markdown_edition import blocks, edition_of

    text = ("# T\n\n[a](https:///ecloud.example.cn/eos/) [b](https://example.org/docs/#dir]) "
            "[c](https://ru.wikipedia.org/wiki/Обзор_(x)) [d](https://example.org/a%20b)\n")
    edition, reporter = edition_of(tmp_path, text)
    assert edition is not None
    assert [link["c"][2][0] for link in ast.find(blocks(edition), "Link")] == [
        "https://ecloud.example.cn/eos/", "https://example.org/docs/#dir%5D", "https://ru.wikipedia.org/wiki/Обзор_(x)",
        "https://example.org/a%20b"]
    assert [(d.code, d.where.column) for d in reporter.diagnostics] == [("R121", 1), ("R121", 38)]


def test_a_missing_anchor_names_the_nearest_ids_and_where_their_headings_are(tmp_path: Path) -> None:
    """A near id that may be another heading (`#check-frst`, `#part-4`) is only named: P020 says which
    heading may be meant, and where it is."""
    from tests.unit.markdown_edition import edition_of

    text = ("# Part 3\n\nx\n\n## --check-access\n\nx\n\n## --check-first\n\n"
            "[none](#zzz-qqq) [here](text.md#check-frst) [next](#part-4)\n")
    edition, reporter = edition_of(tmp_path, text)
    assert edition is not None
    hints = {d.message.split("'")[1]: d.hint for d in reporter.diagnostics if d.code == "P020"}
    assert hints["text.md#check-frst"] == "did you mean #check-first (text.md:9)?"
    assert hints["#part-4"] == "did you mean #part-3 (text.md:1)?"
    assert hints["#zzz-qqq"] is not None and "did you mean" not in hints["#zzz-qqq"]
    assert [d.code for d in reporter.diagnostics] == ["P020"] * 3


def test_a_missing_anchor_that_plainly_means_one_heading_goes_there_with_a_warning(tmp_path: Path) -> None:
    """bat's zh README links `#c配置文件` for `## 配置文件`, rclone's manual `#check-access-option` for
    `#### --check-access`, bat's ru README `["Использование bat в Windows"](#using-bat-on-windows)` (the
    original's id) for its own heading: each link goes where it plainly meant to, with a warning (P024)."""
    from tests.unit.markdown_edition import edition_of

    text = ("# 配置文件\n\n用`bat`的[配置文件](#c配置文件)。\n\n## --check-access\n\nx\n\n"
            "## Использование `bat` в Windows\n\n"
            "[access](#check-access-option) [\"Использование `bat` в Windows\"](#using-bat-on-windows)\n")
    edition, reporter = edition_of(tmp_path, text)
    assert edition is not None
    assert [(d.code, d.severity) for d in reporter.diagnostics] == [("P024", "warning")] * 3
    assert reporter.diagnostics[0].message == ("link to '#c配置文件', which does not exist; it goes to #配置文件 "
                                               "(text.md:1), the one it plainly means")
    targets = [link["c"][2][0] for section in edition.sections for link in ast.find(list(section.blocks), "Link")]
    assert targets == ["#配置文件", "#check-access", "#использование-bat-в-windows"]


def test_nearest_ids_compare_without_leading_punctuation_and_keep_the_best_first() -> None:
    from pubpipe.transforms.links import nearest_ids

    known = {"--check-access", "--check-first", "config", "配置文件", "check", "install"}
    assert nearest_ids("check-access-option", known)[0] == "--check-access"
    assert nearest_ids("CHECK-FIRST", known) == ["--check-first"]
    assert nearest_ids("c配置文件", known) == ["配置文件"]
    assert nearest_ids("instal", known) == ["install"]
    assert nearest_ids("zzz", known) == []
    # Equally near ids (a heading repeated in several sections) are all named, up to three.
    assert nearest_ids("check-acces", known | {f"--check-access-{n}" for n in range(9)}) == [
        "--check-access", "--check-access-0", "--check-access-1"]
