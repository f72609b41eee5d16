"""Dialects: commonmark_x, gfm and pandoc's Markdown give one AST; positions as exact as each allows."""

from __future__ import annotations

from pathlib import Path

import pytest

from pubpipe.errors import ConfigErrors
from pubpipe.model import ast
from pubpipe.reading.project import load_project
from tests.unit.markdown_edition import blocks, edition_of, write_project

PANDOC_TEXT = """% The Pandoc Dialect
% Jane Doe; John Roe
% 2024-05-06

# Start

A paragraph with an inline note^[Written inline.] and more.

+---------+--------+
| Fruit   | Price  |
+=========+========+
| Bananas | $1.34  |
+---------+--------+

: Grid table {#tbl-grid}

(@good) An example.
(@) Another.

As (@good) shows, and @tbl-grid too.

Last paragraph, with [a link](#nowhere).
"""


def test_pandoc_markdown_title_block_tables_notes_examples(tmp_path: Path) -> None:
    text = PANDOC_TEXT.replace("(#nowhere)", "(#start)")
    edition, _ = edition_of(tmp_path, text, settings="markdown: pandoc\n")
    meta = edition.metadata
    assert (meta.title, meta.authors, meta.date) == ("The Pandoc Dialect", ("Jane Doe", "John Roe"), "2024-05-06")
    found = blocks(edition)
    assert [ast.plain_text(n["c"]) for n in ast.find(found, "Note")] == ["Written inline."]
    table = next(ast.find(found, "Table"))
    assert table["c"][0][0] == "tbl-grid" and ast.plain_text(table["c"][1][1]) == "Table\u00a01: Grid table"
    examples = next(ast.find(found, "OrderedList"))
    assert examples["c"][0][1] == {"t": "Example"}
    # Each block's line is found in the text, though pandoc's reader reports none.
    lines = [(block["t"], block["pos"].line) for block in found]
    assert lines == [("Header", 5), ("Para", 7), ("Table", 10), ("OrderedList", 17), ("Para", 20), ("Para", 22)]


def test_pandoc_markdown_errors_name_the_line(tmp_path: Path) -> None:
    _, reporter = edition_of(tmp_path, PANDOC_TEXT, settings="markdown: pandoc\n")
    assert [(e.code, e.where.line) for e in reporter.errors] == [("P020", 22)]


def test_gfm_labels_written_as_text(tmp_path: Path) -> None:
    from tests.unit.test_crossrefs import PNG

    text = ("# Start {#sec-start}\n\n![Hills](a.png){#fig-hills}\n\n| a |\n|---|\n| 1 |\n\n: Caption {#tbl-x}\n\n"
            "$$x^2$$ {#eq-x}\n\nSee @fig-hills, @tbl-x, @eq-x, @sec-start.\n\n> [!NOTE]\n> Noted.\n\n- [x] done\n")
    edition, _ = edition_of(tmp_path, text, settings="markdown: gfm\n", files={"en/a.png": PNG})
    found = blocks(edition)
    assert edition.sections[0].id == "sec-start"
    assert [link["c"][2][0] for link in ast.find(found, "Link")] == ["#fig-hills", "#tbl-x", "#eq-x", "#sec-start"]
    assert any("callout-note" in div["c"][0][1] for div in ast.find(found, "Div"))
    item = next(ast.find(found, "BulletList"))["c"][0]
    assert ast.plain_text(item) == "\u2612 done"


def test_commonmark_line_blocks(tmp_path: Path) -> None:
    text = "| one\n|    two\n\nNot | a line block.\n"
    edition, _ = edition_of(tmp_path, text)
    found = blocks(edition)
    assert [block["t"] for block in found] == ["LineBlock", "Para"]
    block = next(ast.find(found, "LineBlock"))
    assert [ast.plain_text(line) for line in block["c"]] == ["one", "two"]
    assert block["c"][1][0] == {"t": "Str", "c": "\u00a0\u00a0\u00a0two"}  # the indentation after '| ' kept


def test_attributes_on_a_word_are_kept(tmp_path: Path) -> None:
    edition, _ = edition_of(tmp_path, "A word{#here .mark} and [a span]{.smallcaps}.\n")
    spans = [(s["c"][0][0], s["c"][0][1]) for s in ast.find(blocks(edition), "Span")]
    assert spans == [("here", ["mark"]), ("", ["smallcaps"])]


def test_unknown_dialect_is_a_config_error(tmp_path: Path) -> None:
    write_project(tmp_path, "Text.\n", settings="markdown: rst\n")
    with pytest.raises(ConfigErrors) as caught:
        load_project(tmp_path)
    assert [error.code for error in caught.value.errors] == ["X104"]


def test_a_labelled_equation_inside_a_paragraph_splits_it(tmp_path: Path) -> None:
    edition, _ = edition_of(tmp_path, "The sum\n$$a + b$$ {#eq-sum}\nholds, and @eq-sum is its number.\n")
    found = blocks(edition)
    assert [block["t"] for block in found] == ["Para", "Div", "Para"]
    assert ast.plain_text(found[0]["c"]) == "The sum"
    assert found[1]["c"][0] == ["eq-sum", ["equation"], []] and ast.plain_text(found[1]["c"][1]) == "a + b(1)"
    assert ast.plain_text(found[2]["c"]).startswith("holds, and Equation")
