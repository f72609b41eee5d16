"""Segments, ids, the record and the alignment that finds untranslated, stale and obsolete segments."""

from __future__ import annotations

from pathlib import Path

import pytest

from pubpipe.translate.segments import file_segments, segment_ids, text_hash
from pubpipe.translate.status import (
    OBSOLETE,
    STALE,
    TRANSLATED,
    UNTRANSLATED,
    Entry,
    align,
    read_record,
    record_text,
)

SAMPLE = """---
title: Sample
---

# First *heading* {#first}

A paragraph that runs
over two lines.[^n]

- item one
- item two

> A quotation.

| Left | Right |
|------|-------|
| a    | b     |

[^n]: The note's text.
"""


def write(tmp_path: Path, text: str, name: str = "doc.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_segments_are_the_translatable_pieces_in_document_order(tmp_path: Path) -> None:
    segments = file_segments(write(tmp_path, SAMPLE))
    assert [(s.kind, s.text) for s in segments] == [
        ("heading", "First *heading*"),
        ("paragraph", "A paragraph that runs\nover two lines.[^n]"),
        ("note", "The note's text."),
        ("item", "item one"),
        ("item", "item two"),
        ("quotation", "A quotation."),
        ("cell", "Left"), ("cell", "Right"), ("cell", "a"), ("cell", "b"),
    ]
    assert [s.line for s in segments[:2]] == [5, 7]


def test_segment_offsets_point_into_the_file_itself(tmp_path: Path) -> None:
    path = write(tmp_path, "---\ntitle: Ёлка\n---\n\nПервый абзац с «кавычками».\n\n# Заголовок\n")
    text = path.read_text(encoding="utf-8")
    for segment in file_segments(path):
        assert text[segment.start:segment.end] == segment.text


def test_ids_are_stable_and_unique_for_repeated_text(tmp_path: Path) -> None:
    segments = file_segments(write(tmp_path, "Same.\n\nSame.\n\n# Other\n"))
    ids = segment_ids(segments)
    assert ids[0].startswith("p-") and ids[1] == f"{ids[0]}-2" and ids[2].startswith("h-")
    assert segment_ids(file_segments(write(tmp_path, "Same.\n\nSame.\n\n# Other\n", "again.md"))) == ids


def test_rewrapping_a_paragraph_does_not_change_its_hash() -> None:
    assert text_hash("one two\nthree") == text_hash("one  two three")
    assert text_hash("one two three") != text_hash("one two four")


def recorded(original: list, translation: list) -> list[Entry]:
    """A record in which every translation segment is the translation of the original at its place."""
    return [Entry(f"p-{index}", o.kind, True, o.hash, o.text, t.hash)
            for index, (o, t) in enumerate(zip(original, translation))]


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    original = write(tmp_path, "# One\n\nAlpha.\n\nBeta.\n\nGamma.\n", "en.md")
    translation = write(tmp_path, "# Eins\n\nAlfa.\n\nBeeta.\n\nGamma-de.\n", "de.md")
    return original, translation


def states(rows: list) -> list[str]:
    return [row.state for row in rows]


def test_unchanged_original_is_all_translated(pair: tuple[Path, Path]) -> None:
    original, translation = map(file_segments, pair)
    assert states(align(original, translation, recorded(original, translation))) == [TRANSLATED] * 4


def test_a_changed_paragraph_is_the_only_stale_segment(pair: tuple[Path, Path]) -> None:
    original, translation = map(file_segments, pair)
    entries = recorded(original, translation)
    pair[0].write_text("# One\n\nAlpha.\n\nBeta, changed.\n\nGamma.\n", encoding="utf-8")
    rows = align(file_segments(pair[0]), translation, entries)
    assert states(rows) == [TRANSLATED, TRANSLATED, STALE, TRANSLATED]
    assert rows[2].id == entries[2].id and rows[2].translation.text == "Beeta."


def test_an_inserted_paragraph_is_one_untranslated_segment(pair: tuple[Path, Path]) -> None:
    original, translation = map(file_segments, pair)
    entries = recorded(original, translation)
    pair[0].write_text("# One\n\nAlpha.\n\nNew.\n\nBeta.\n\nGamma.\n", encoding="utf-8")
    rows = align(file_segments(pair[0]), translation, entries)
    assert states(rows) == [TRANSLATED, TRANSLATED, UNTRANSLATED, TRANSLATED, TRANSLATED]
    assert rows[2].translation is None and rows[2].original.text == "New."


def test_moving_a_paragraph_is_one_new_segment_not_everything_after_it(pair: tuple[Path, Path]) -> None:
    original, translation = map(file_segments, pair)
    entries = recorded(original, translation)
    pair[0].write_text("# One\n\nBeta.\n\nGamma.\n\nAlpha.\n", encoding="utf-8")
    rows = align(file_segments(pair[0]), translation, entries)
    assert states(rows).count(STALE) == 0
    assert states(rows).count(UNTRANSLATED) == 1 and states(rows).count(OBSOLETE) == 1


def test_a_removed_paragraph_leaves_its_translation_obsolete(pair: tuple[Path, Path]) -> None:
    original, translation = map(file_segments, pair)
    entries = recorded(original, translation)
    pair[0].write_text("# One\n\nAlpha.\n\nGamma.\n", encoding="utf-8")
    rows = align(file_segments(pair[0]), translation, entries)
    assert states(rows) == [TRANSLATED, TRANSLATED, TRANSLATED, OBSOLETE]
    assert rows[-1].translation.text == "Beeta."


def test_editing_the_translation_keeps_it_translated(pair: tuple[Path, Path]) -> None:
    original, translation = map(file_segments, pair)
    entries = recorded(original, translation)
    pair[1].write_text("# Eins\n\nAlfa, besser.\n\nBeeta.\n\nGamma-de.\n", encoding="utf-8")
    assert states(align(original, file_segments(pair[1]), entries)) == [TRANSLATED] * 4


def test_an_unmarked_entry_is_untranslated(pair: tuple[Path, Path]) -> None:
    original, translation = map(file_segments, pair)
    entries = recorded(original, translation)
    entries[1] = Entry(entries[1].id, "paragraph", False, entries[1].hash, entries[1].source, entries[1].target)
    assert states(align(original, translation, entries))[1] == UNTRANSLATED


def test_the_record_reads_back_what_was_written(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    original, translation = map(file_segments, pair)
    entries = recorded(original, translation)
    path = tmp_path / "translation.json"
    path.write_text(record_text(entries, "en"), encoding="utf-8")
    assert read_record(path) == entries
    assert read_record(tmp_path / "missing.json") == []


def test_a_new_translation_shares_the_original_s_images(tmp_path: Path) -> None:
    """`translate add` copies the text, not the pictures: the translation takes an image it does not
    have from the original's folder; one neither has is P012 naming both places."""
    from click.testing import CliRunner

    from pubpipe.reading.prepare import prepare_edition
    from pubpipe.reading.project import load_project
    from pubpipe.report import Reporter

    root = tmp_path / "book"
    assert CliRunner().invoke(main_cli(), ["init", str(root), "--title", "T", "--lang", "en"]).exit_code == 0
    assert CliRunner().invoke(main_cli(), ["translate", "add", "de", "-C", str(root)]).exit_code == 0
    chapter = root / "source" / "de" / "01-chapter.md"
    assert "images/sample.png" in chapter.read_text(encoding="utf-8")
    assert not (root / "source" / "de" / "images").exists()
    reporter = Reporter()
    edition = prepare_edition(load_project(root), "de", reporter)
    assert edition is not None and reporter.diagnostics == [], reporter.diagnostics
    assert [asset.source for asset in edition.assets] == [root / "source" / "en" / "images" / "sample.png"]
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("images/sample.png", "images/none.png"),
                       encoding="utf-8")
    reporter = Reporter()
    prepare_edition(load_project(root), "de", reporter)
    assert [(d.code, d.message) for d in reporter.diagnostics] == [
        ("P012", "image 'images/none.png' not found (looked in source/de/images/ and source/en/images/)")]


def main_cli():  # type: ignore[no-untyped-def]
    from pubpipe.cli import main

    return main
