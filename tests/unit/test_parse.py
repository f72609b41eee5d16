"""From Markdown to one Edition: sections, positions, notes across files, assets, metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from pubpipe.errors import SourceError
from pubpipe.model import ast
from pubpipe.reading.parse import parse_edition
from pubpipe.reading.prepare import prepare_edition
from pubpipe.reading.project import load_project
from pubpipe.report import Reporter
from tests.conftest import REPO, copy_project

HEADINGS = ["Leon Trotsky", "The Russian Revolution", "A revolution betrayed", "The Left Opposition",
            "Degenerated workers’ state", "The struggle for socialism"]


def test_article_sections_and_structure() -> None:
    edition = prepare_edition(load_project(REPO), "en")
    assert edition is not None
    assert [s.title for s in edition.sections] == ["", *HEADINGS]
    assert edition.metadata.title == "Socialism didn’t fail, Stalinism did!"
    assert edition.metadata.authors == ("Anonymous",)
    blocks = [b for s in edition.sections for b in s.blocks]
    lists = [b for b in blocks if b["t"] == "BulletList"]
    assert [len(items) for items in (lst["c"] for lst in lists)] == [4, 3]
    assert sum(1 for b in blocks if b["t"] == "BlockQuote") == 2
    # Positions point into the Markdown file, front matter included.
    trotsky = edition.sections[1]
    assert trotsky.source.path.name == "article.md"
    assert (REPO / "source/en/article.md").read_text().splitlines()[trotsky.source.line - 1] == "# Leon Trotsky"


def test_translation_metadata_overlays_publication() -> None:
    edition = parse_edition(load_project(REPO), "ru")
    assert edition.metadata.translators == ("Команда pubpipe",)
    assert edition.metadata.identifier != load_project(REPO).identifier
    assert edition.metadata.original_identifier == load_project(REPO).identifier
    assert edition.metadata.title.startswith("Потерпел крах")


def test_book_notes_stay_apart_across_files(tmp_path: Path) -> None:
    root = copy_project("book", tmp_path)
    edition = prepare_edition(load_project(root), "en")
    assert edition is not None
    assert [s.title for s in edition.sections] == ["Opening", "Middle", "End"]
    notes = [ast.plain_text(n["c"]) for s in edition.sections for n in ast.find(list(s.blocks), "Note")]
    assert notes[:2] == ["The first chapter’s note, which links to the code.", "The middle chapter’s note."]
    assert [a.href for a in edition.assets] == ["en/images/square.png"]
    links = [n["c"][2][0] for s in edition.sections for n in ast.find(list(s.blocks), "Link")]
    assert "#the-table" in links and "#end" in links and "#some-code" in links


def test_missing_anchor_is_an_error_with_place(tmp_path: Path) -> None:
    root = copy_project("book", tmp_path)
    chapter = root / "source/en/02-middle.md"
    chapter.write_text(chapter.read_text().replace("(#opening)", "(#nowhere)"))
    reporter = Reporter()
    prepare_edition(load_project(root), "en", reporter)
    assert [d.code for d in reporter.errors] == ["P020"]
    assert reporter.errors[0].render(root).startswith("source/en/02-middle.md:14:")


def test_missing_image(tmp_path: Path) -> None:
    root = copy_project("book", tmp_path)
    (root / "source/en/images/square.png").unlink()
    with pytest.raises(SourceError) as caught:
        parse_edition(load_project(root), "en")
    assert caught.value.render(root) == (
        "source/en/01-opening.md:20:1: error P012: image 'images/square.png' not found "
        "(looked in source/en/images/); check the file name and path")
