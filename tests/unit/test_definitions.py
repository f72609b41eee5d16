"""Terms defined the CommonMark spec's way: `[term](@)` defines, `[term]`, `[term]s` and `[terms]` link to it."""

from __future__ import annotations

from pathlib import Path

from pubpipe.model import ast
from tests.unit.markdown_edition import blocks, edition_of


def test_definitions_get_ids_and_references_link_to_them(tmp_path: Path) -> None:
    text = ("# Spec\n\nA [line\nending](@) ends a [line](@).\n\n```\n[code](@)\n```\n\n"
            "Two [line endings], a [Line ending]s and [lines]; [nothing] stays.\n\n[gone](#nowhere)\n")
    edition, reporter = edition_of(tmp_path, text)
    assert edition is not None
    found = blocks(edition)
    spans = [span["c"][0] for span in ast.find(found, "Span") if "definition" in span["c"][0][1]]
    assert [attr[0] for attr in spans] == ["line-ending", "line"]
    assert [link["c"][2][0] for link in ast.find(found, "Link")] == ["#line-ending", "#line-ending", "#line",
                                                                    "#nowhere"]
    assert "[code](@)" in ast.find(found, "CodeBlock").__next__()["c"][1]
    assert "[nothing]" in ast.plain_text(found)
    # The text's own lines are kept: the broken link is reported at its line.
    assert [(d.code, d.where.line) for d in reporter.diagnostics] == [("P020", 12)]


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
