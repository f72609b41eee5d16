"""An edition's files parsed one by one and kept (reading/parsed.py) give what one parse of the whole text gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from pubpipe.model import ast
from pubpipe.reading import parse, parsed
from pubpipe.reading.project import load_project
from tests.unit.markdown_edition import PUBLICATION as MARKDOWN_PUBLICATION

# The one-file publication of the transform tests, its edition made of three files.
PUBLICATION = MARKDOWN_PUBLICATION.format(lang="en") + "    files: [one.md, two.md, three.md]\n"

# Headings that repeat across the files (pandoc numbers them in the whole text), explicit ids, a setext
# heading, headings inside a quote and a fenced div, notes with the same label in two files, a callout.
FILES = {
    "one.md": "# One\n\n## Intro\n\nText[^a].\n\n[^a]: First note.\n\n## Intro\n\nMore.\n",
    "two.md": ("# Two\n\n## Intro\n\nSee [the intro](#intro-1).\n\nIntro\n-----\n\n> ## Intro\n\n"
               "::: aside\n## Intro\n:::\n\n## Other {#intro-2}\n\nText[^a].\n\n[^a]: Second note.\n"),
    "three.md": "# Three\n\n> [!NOTE]\n> A callout.\n\n## One\n\n```\n# not a heading\n```\n",
}


def book(root: Path, files: dict[str, str] = FILES) -> Path:
    (root / "source" / "en").mkdir(parents=True)
    (root / "source" / "publication.yaml").write_text(PUBLICATION, encoding="utf-8")
    for name, text in files.items():
        (root / "source" / "en" / name).write_text(text, encoding="utf-8")
    return root


def whole(root: Path) -> tuple:
    """The sections as one pandoc run over the whole text gives them (as before the files were parsed apart)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parse, "separable", lambda files: False)
        return parse.parse_edition(load_project(root), "en").sections


def test_files_parsed_apart_give_the_whole_texts_sections(tmp_path: Path) -> None:
    root = book(tmp_path)
    apart = parse.parse_edition(load_project(root), "en").sections
    assert apart == whole(root)
    headings = [node["c"][1][0] for section in apart for node in ast.find(
        [*([section.heading] if section.heading else []), *section.blocks], "Header")]
    # pandoc's numbering across the whole text, and the places in each file.
    assert headings.count("intro") == 1 and "intro-1" in headings and "intro-5" in headings
    assert apart[1].source.path.name == "two.md" and apart[1].source.line == 1


def test_an_edit_parses_the_edited_file_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = book(tmp_path)
    parse.parse_edition(load_project(root), "en")
    assert len(list((root / "build" / ".cache" / "parses").glob("*.pickle"))) == 3
    read: list[str] = []
    real = parsed.run_pandoc

    def counted(text: str, *args: object, **kwargs: object) -> dict:
        read.append(text)
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parsed, "run_pandoc", counted)
    (root / "source" / "en" / "three.md").write_text(FILES["three.md"] + "\nA new paragraph.\n", encoding="utf-8")
    sections = parse.parse_edition(load_project(root), "en").sections
    # three.md, and the headings alone (they repeat across the files: their ids come from the whole text).
    assert len(read) == 2 and "A new paragraph." in read[0] and "A new paragraph." not in read[1]
    monkeypatch.undo()
    assert sections == whole(root)


def test_a_link_reference_defined_in_another_file_is_resolved(tmp_path: Path) -> None:
    root = book(tmp_path, {"one.md": "# One\n\n[site]: https://example.org\n",
                           "two.md": "# Two\n\nSee [the site][site].\n", "three.md": "# Three\n"})
    sections = parse.parse_edition(load_project(root), "en").sections
    assert [node["c"][2][0] for node in ast.find(list(sections[1].blocks), "Link")] == ["https://example.org"]
    assert not (root / "build" / ".cache" / "parses").exists()  # parsed whole, as it must be


def test_a_link_to_a_file_and_a_repeated_heading_goes_to_that_files_heading(tmp_path: Path) -> None:
    """`two.md#intro` is two.md's Intro, which pandoc numbered `intro-2` (one.md has two before it);
    `#intro` alone, and `one.md#intro`, stay the first."""
    from pubpipe.reading.prepare import prepare_edition
    from pubpipe.report import Reporter

    files = {**FILES, "three.md": FILES["three.md"] + "\nSee [two](two.md#intro), [one](one.md#intro), [it](#intro).\n"}
    reporter = Reporter()
    edition = prepare_edition(load_project(book(tmp_path, files)), "en", reporter)
    assert edition is not None and not reporter.errors
    links = [node["c"][2][0] for section in edition.sections for node in ast.find(list(section.blocks), "Link")
             if ast.plain_text(node["c"][1]) in ("two", "one", "it")]
    assert links == ["#intro-2", "#intro", "#intro"]
