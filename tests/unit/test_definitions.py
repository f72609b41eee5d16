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

