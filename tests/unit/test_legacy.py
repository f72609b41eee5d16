"""Markdown.pl's and pandoc's spellings that CommonMark reads otherwise: spaced reference links, `%` title blocks."""

from __future__ import annotations

from pathlib import Path

from pubpipe.model import ast
from tests.unit.markdown_edition import blocks, edition_of


def test_markdown_pl_reference_links_with_a_space_are_links(tmp_path: Path) -> None:
    text = ("# T\n\nThe [Bulaq Press] [1] and [the licence]\t[OFL]. A [ ] [1] box, [a] [undefined] pair.\n\n"
            "```\n[code] [1]\n```\n\n[gone](#nowhere)\n\n[1]: https://example.org/bulaq\n"
            "[ofl]: https://example.org/ofl\n")
    edition, reporter = edition_of(tmp_path, text)
    assert edition is not None
    found = blocks(edition)
    links = [(ast.plain_text(link["c"][1]), link["c"][2][0]) for link in ast.find(found, "Link")]
    assert links[:2] == [("Bulaq Press", "https://example.org/bulaq"), ("the licence", "https://example.org/ofl")]
    assert "[ ] 1" in ast.plain_text(found) and "[a] [undefined]" in ast.plain_text(found)
    assert "[code] [1]" in next(ast.find(found, "CodeBlock"))["c"][1]
    assert [(d.code, d.where.line, d.where.column) for d in reporter.diagnostics] == [("P020", 9, 1)]


def test_a_pandoc_title_block_is_front_matter(tmp_path: Path) -> None:
    text = "% rclone(1) User Manual\n% Nick Craig-Wood;\n  Ada Example\n% Apr 23, 2023\n\n# Rclone\n\n[x](#nowhere)\n"
    edition, reporter = edition_of(tmp_path, text)
    assert edition is not None
    meta = edition.metadata
    assert (meta.title, meta.authors, meta.date) == ("rclone(1) User Manual", ("Nick Craig-Wood", "Ada Example"),
                                                     "2023-04-23")
    assert "%" not in ast.plain_text(blocks(edition))
    assert [(d.code, d.where.line) for d in reporter.diagnostics] == [("P020", 8)]
