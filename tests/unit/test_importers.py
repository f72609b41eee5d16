"""Importers: SUMMARY.md, nav and defaults parsing, mdBook includes, nesting, links — on the sample projects."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pubpipe.importers import detect, project_files
from pubpipe.importers.common import Book, Chapter, Origin
from pubpipe.importers.includes import _select, resolve_directives
from pubpipe.importers.mdbook import read_mdbook
from pubpipe.importers.mkdocs import TolerantLoader, read_mkdocs
from pubpipe.importers.pandoc import read_pandoc
from tests.conftest import PROJECTS


@pytest.fixture(scope="module")
def mdbook() -> Book:
    return read_mdbook(PROJECTS / "mdbook-sample")


@pytest.fixture(scope="module")
def mkdocs() -> Book:
    return read_mkdocs(PROJECTS / "mkdocs-sample")


@pytest.fixture(scope="module")
def pandoc() -> Book:
    return read_pandoc(PROJECTS / "pandoc-sample")


def chapter(book: Book, name: str) -> str:
    return next(c.text for c in book.chapters if c.name == name)


def codes(book: Book) -> list[tuple[str, str, int | None]]:
    return [(d.code, d.where.path.name if d.where else "", d.where.line if d.where else None)
            for d in book.warnings]


def test_detects_each_kind() -> None:
    assert detect(PROJECTS / "mdbook-sample") == "mdbook"
    assert detect(PROJECTS / "mkdocs-sample") == "mkdocs"
    assert detect(PROJECTS / "mkdocs-sample" / "mkdocs.yml") == "mkdocs"
    assert detect(PROJECTS / "pandoc-sample") == "pandoc"
    assert detect(PROJECTS / "pandoc-sample" / "defaults.yaml") == "pandoc"


def test_summary_order_parts_nesting_and_drafts(mdbook: Book) -> None:
    assert (mdbook.title, mdbook.authors, mdbook.lang) == ("The Sample mdBook", ["Ada Example", "Ben Sample"], "en")
    assert mdbook.description.startswith("A small mdBook")
    # Prefix chapter, part titles (files of their own), nested numbered chapters, suffix chapter;
    # the draft chapter is left out.
    assert [(c.name, c.depth) for c in mdbook.chapters] == [
        ("preface.md", 0), ("part-01-getting-started.md", 0), ("installation.md", 1),
        ("basics/linux.md", 2), ("basics/packages.md", 3), ("part-02-writing-code.md", 0),
        ("listings.md", 1), ("hidden.md", 1), ("afterword.md", 0)]
    assert ("I107", "SUMMARY.md", 10) in codes(mdbook)


def test_nested_chapters_are_demoted_and_parts_are_level_one(mdbook: Book) -> None:
    assert chapter(mdbook, "part-01-getting-started.md").startswith("# Getting Started\n")
    assert chapter(mdbook, "installation.md").startswith("## Installation\n")
    assert "\n### Checking the version\n" in chapter(mdbook, "installation.md")
    assert chapter(mdbook, "basics/linux.md").startswith("### On Linux\n")
    packages = chapter(mdbook, "basics/packages.md")  # setext headings become ATX ones
    assert packages.startswith("#### Packages\n") and "\n##### Debian\n" in packages
    # A chapter without a heading gets SUMMARY.md's title as one.
    assert chapter(mdbook, "afterword.md").startswith("# Afterword\n\nThanks for reading.")


def test_every_kind_of_include(mdbook: Book) -> None:
    listings = chapter(mdbook, "listings.md")
    assert "{{" not in listings
    blocks = listings.split("```rust\n")[1:]
    code = [block.split("```")[0].strip().splitlines() for block in blocks]
    assert len(code[0]) == 7  # the whole file
    assert code[1] == ["fn line_two_marker() {}", "fn line_three_marker() {}", "fn line_four_marker() {}"]
    assert code[2] == ["fn line_six_marker() {}", "fn line_seven_marker() {}"]
    assert code[3] == ["// hello.rs line 1", "fn line_two_marker() {}", "fn line_five_marker() {}"]
    assert code[4] == ["fn setup_anchor_marker() -> io::Result<()> {", "    Ok(())", "}"]  # markers left out
    assert [line.strip() for line in code[5]] == ["let main_body_marker = setup_anchor_marker();"]
    assert code[6] == ["fn playground_marker() {}"]
    assert "sample-installer-marker" in chapter(mdbook, "installation.md")
    assert "comes from an included file" in chapter(mdbook, "basics/packages.md")  # a Markdown include


def test_title_directive_sets_the_title_and_is_removed(mdbook: Book) -> None:
    found = next(c for c in mdbook.chapters if c.name == "installation.md")
    assert found.title == "Installing the Sample" and "#title" not in found.text


def test_rust_hidden_lines_are_dropped(mdbook: Book) -> None:
    hidden = chapter(mdbook, "hidden.md")
    assert "HashMap::new()" in hidden and "use std::collections" not in hidden and "fn main" not in hidden
    assert "#[derive(Debug)]" in hidden  # an attribute is not a hidden line
    assert "\n# escaped_hash_line_stays();" in hidden  # `##` is an escaped `#`
    assert "rustdoc_visible_marker" in hidden and "rustdoc_hidden_marker" not in hidden


def test_text_that_looks_like_a_tag_stays_text(mdbook: Book) -> None:
    hidden = chapter(mdbook, "hidden.md")
    assert "A `Mutex<T>` in code" in hidden and "so does a Mutex\\<T> written" in hidden
    assert ("I117", "hidden.md", 24) in codes(mdbook)


def test_links_follow_the_new_layout(mdbook: Book) -> None:
    preface = chapter(mdbook, "preface.md")
    assert "[the listings](listings.md#whole-files)" in preface  # .html becomes the chapter's .md
    assert "is not linked." in preface and "future.md" not in preface  # a link to a draft becomes text
    assert ("I112", "preface.md", 6) in codes(mdbook)
    assert "[preface](preface.md)" in chapter(mdbook, "hidden.md")
    assert mdbook.assets == {"images/penguin.png": PROJECTS / "mdbook-sample" / "src" / "images" / "penguin.png"}


@pytest.mark.parametrize(("spec", "expected"), [
    ("", [0, 1, 2, 3, 4]), ("2", [1]), ("2:4", [1, 2, 3]), ("2:", [1, 2, 3, 4]), (":3", [0, 1, 2]),
    ("4:99", [3, 4]),
], ids=["whole", "one-line", "range", "from", "to", "past-the-end"])
def test_line_ranges_follow_mdbook(spec: str, expected: list[int]) -> None:
    # What follows the file name's first colon: `file:2:4` gives "2:4", `file::3` gives ":3".
    lines = ["a", "b", "c", "d", "e"]
    assert _select(lines, spec)[0] == expected


def test_anchor_markers_are_left_out_and_first_region_wins() -> None:
    lines = ["x", "// ANCHOR: a", "one", "// ANCHOR: b", "two", "// ANCHOR_END: b", "// ANCHOR_END: a",
             "// ANCHOR: a", "three", "// ANCHOR_END: a"]
    picked, anchor = _select(lines, "a")
    assert anchor == "a" and [lines[i] for i in picked] == ["one", "two"]


def test_missing_include_and_unknown_directive_warn(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("a {{#include nothere.rs}} b\n{{#template x.md}}\n\\{{#include kept.rs}}\n", encoding="utf-8")
    book = Book("mdbook", tmp_path, "t", ["a"], "en")
    found = Chapter("page.md", "Page", 0, page, page.read_text().splitlines(),
                    [Origin(page, n) for n in (1, 2, 3)])
    resolve_directives(found, book)
    assert found.lines == ["a  b", "", "{{#include kept.rs}}"]
    assert [(d.code, d.where.line, d.where.column) for d in book.warnings] == [("I121", 1, 3), ("I120", 2, 1)]


def test_mkdocs_nav_sections_and_metadata(mkdocs: Book) -> None:
    assert (mkdocs.title, mkdocs.authors, mkdocs.lang) == ("The Sample Manual", ["Ada Example"], "en")
    assert mkdocs.rights == "Copyright © 2026 Ada Example"  # HTML in `copyright` becomes text
    assert [(c.name, c.depth) for c in mkdocs.chapters] == [
        ("index.md", 0), ("section-01-user-guide.md", 0), ("guide/install.md", 1),
        ("section-02-configuring.md", 1), ("guide/config.md", 2), ("guide/advanced.md", 2), ("about.md", 0)]
    assert chapter(mkdocs, "section-02-configuring.md").startswith("## Configuring\n")
    assert chapter(mkdocs, "guide/config.md").startswith("### Basics\n")
    assert ("I132", "mkdocs.yml", None) in codes(mkdocs)


def test_mkdocs_yaml_tags_are_read_as_data_and_never_run() -> None:
    data = yaml.load("a: !!python/name:os.system\nb: !ENV [HOME, x]\nc: !relative $config_dir\n",
                     Loader=TolerantLoader)
    assert data == {"a": "", "b": ["HOME", "x"], "c": "$config_dir"}


def test_admonitions_become_callouts(mkdocs: Book) -> None:
    index = chapter(mkdocs, "index.md")
    assert '::: {.callout-note}\n## Read this first\n\nThe admonition body becomes a callout.' in index
    install = chapter(mkdocs, "guide/install.md")
    assert "::: {.callout-warning}\n## Warning\n" in install  # no title: the type is the title
    assert '::: {.callout-tip collapse="true"}\n## Collapsed by default' in install
    assert "::: {.callout-caution}\n## Nested\n\nAn admonition inside another one." in install
    advanced = chapter(mkdocs, "guide/advanced.md")
    assert "::: {.callout-important}\nAn admonition with an empty title" in advanced
    assert '```markdown\n!!! note "Not an admonition"\n    This is inside' in advanced  # code stays code


def test_mkdocs_extension_syntax_degrades_with_warnings(mkdocs: Book) -> None:
    index, install = chapter(mkdocs, "index.md"), chapter(mkdocs, "guide/install.md")
    assert "[TOC]" not in index and "{width=\"120\"}" in index
    assert "*[HTML]" not in install and "**Linux**\n\n\nUse the package manager." in install
    assert "#### The configuration file {#the-configuration-file}" in chapter(mkdocs, "guide/config.md")
    assert "comes from a snippet file" in chapter(mkdocs, "guide/config.md")
    assert [c for c in codes(mkdocs) if c[0] == "I131"] == [
        ("I131", "install.md", 20), ("I131", "install.md", 22), ("I131", "install.md", 26), ("I131", "index.md", 7)]


def test_pandoc_defaults_metadata_and_inputs(pandoc: Book) -> None:
    assert (pandoc.title, pandoc.subtitle, pandoc.authors) == (
        "The Sample Pandoc Book", "Written for pandoc, published by pubpipe", ["Ada Example", "Ben Sample"])
    assert pandoc.rights == "CC BY 4.0" and pandoc.description.startswith("A short book")
    assert [c.name for c in pandoc.chapters] == ["chapters/01-intro.md", "chapters/02-tables.md", "chapters/03-end.md"]
    assert pandoc.dialect == "pandoc"  # read by pubpipe as pandoc's Markdown: the text stays as written
    assert pandoc.citations == {"bibliography": ["refs.bib"], "csl": ["style.csl"]}
    assert "blockquote { font-style: italic; }" in pandoc.styles["html-extra.css"]
    source = PROJECTS / "pandoc-sample" / "chapters"
    assert chapter(pandoc, "chapters/02-tables.md") == (source / "02-tables.md").read_text(encoding="utf-8")
    intro = chapter(pandoc, "chapters/01-intro.md")
    assert "![A red triangle](../figures/triangle.png)" in intro  # found through resource-path
    assert intro.replace("../figures/", "") == (source / "01-intro.md").read_text(encoding="utf-8")
    assert {c[0] for c in codes(pandoc)} == {"I141", "I142", "I143"}


def test_pandoc_inputs_in_another_dialect_are_converted(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# One\n\nText with ~~strike~~.\n\n+---+---+\n| a | b |\n+===+===+\n| 1 | 2 |\n"
                                  "+---+---+\n", encoding="utf-8")
    (tmp_path / "d.yaml").write_text("from: markdown_strict\ninput-files: [a.md]\nshift-heading-level-by: 1\n",
                                     encoding="utf-8")
    book = read_pandoc(tmp_path / "d.yaml")
    assert book.dialect == ""
    assert chapter(book, "a.md").startswith("## One\n")  # shifted by pandoc, written as CommonMark


def test_publication_yaml_lists_the_reading_order(mdbook: Book) -> None:
    files = project_files(mdbook)
    config = yaml.safe_load(files["source/publication.yaml"])
    assert config["editions"] == [{"lang": "en", "files": [c.name for c in mdbook.chapters]}]
    assert config["title"] == "The Sample mdBook" and config["extra"] == {"imported_from": "mdbook"}
    assert "markdown" not in config and "bibliography" not in config
    assert "source/en/images/penguin.png" in files


def test_publication_yaml_names_the_dialect_and_the_bibliography(pandoc: Book) -> None:
    config = yaml.safe_load(project_files(pandoc)["source/publication.yaml"])
    assert (config["markdown"], config["bibliography"], config["csl"]) == ("pandoc", "en/refs.bib", "en/style.csl")


def test_images_and_links_that_cannot_be_carried_over(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "book.toml").write_text('[book]\ntitle = "T"\n', encoding="utf-8")
    (tmp_path / "src" / "SUMMARY.md").write_text("- [A](a.md)\n", encoding="utf-8")
    (tmp_path / "src" / "a.md").write_text(
        "# A\n\n<img src=\"nope.png\" alt=\"gone\">\n\n![far](https://example.org/x.png)\n\n"
        "[rooted](/api/) [nowhere](#nowhere) [here](#a) [std](../std/index.html)\n\n"
        "```rust\n[not a link](x.md)\n```\n", encoding="utf-8")
    book = read_mdbook(tmp_path)
    text = chapter(book, "a.md")
    assert "\ngone\n" in text and "![far](https://example.org/x.png)" in text
    assert "rooted nowhere [here](#a) [std](../std/index.html)" in text
    assert "[not a link](x.md)" in text  # code is never edited
    assert codes(book) == [("I114", "a.md", 3), ("I113", "a.md", 5), ("I110", "a.md", 7), ("I111", "a.md", 7)]
    assert book.outside_links and book.outside_links[0][0] == "../std/index.html"


def test_lang_overrides_the_source_language_and_the_source_is_never_written(tmp_path: Path) -> None:
    from pubpipe.importers import import_project

    source = PROJECTS / "pandoc-sample"
    before = {p: p.stat().st_mtime_ns for p in source.rglob("*")}
    _book, written = import_project(source / "defaults.yaml", tmp_path / "new", lang="de")
    config = yaml.safe_load((tmp_path / "new" / "source" / "publication.yaml").read_text(encoding="utf-8"))
    assert config["language"] == "de" and config["editions"][0]["lang"] == "de"
    assert (tmp_path / "new" / "source" / "de" / "chapters" / "01-intro.md").is_file()
    assert (tmp_path / "new" / "source" / "de" / "figures" / "triangle.png").is_file()
    assert all(tmp_path in path.parents for path in written)
    assert {p: p.stat().st_mtime_ns for p in source.rglob("*")} == before


def test_style_blocks_move_to_the_stylesheet_and_scripts_go(mkdocs: Book) -> None:
    about = chapter(mkdocs, "about.md")
    assert "<style" not in about and "<script" not in about and "test suite." in about
    assert "code.about-label { color: #336; }" in mkdocs.styles["base-extra.css"]
    assert [c for c in codes(mkdocs) if c[0] == "I118"] == [("I118", "about.md", 5), ("I118", "about.md", 9)]


def test_the_language_brings_its_faces_as_init_lang_does(mdbook: Book) -> None:
    from dataclasses import replace

    files = project_files(replace(mdbook, lang="ja"))
    assert b"font-family" in files["styles/base-extra.css"]
    assert b"font-family" not in project_files(mdbook)["styles/base-extra.css"]
