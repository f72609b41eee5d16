"""Callouts: Quarto's and GitHub's forms become one titled box; their headings are titles, not sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from pubpipe.model import ast
from tests.unit.markdown_edition import blocks, edition_of

KINDS = ("note", "tip", "warning", "important", "caution")


def callouts(edition) -> list[tuple[list[str], str, str]]:
    """(classes, title, body text) of each callout."""
    found = []
    for div in ast.find(blocks(edition), "Div"):
        if "callout" in div["c"][0][1]:
            title, *body = div["c"][1]
            assert title["c"][0][1] == ["callout-title"] and ("role", "note") in map(tuple, div["c"][0][2])
            found.append((div["c"][0][1], ast.plain_text(title["c"][1]), " | ".join(map(ast.plain_text, body))))
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_quarto_and_github_forms_are_one_structure(tmp_path: Path, kind: str) -> None:
    text = f"# Text\n\n::: {{.callout-{kind}}}\nQuarto.\n:::\n\n> [!{kind.upper()}]\n> GitHub.\n"
    edition, _ = edition_of(tmp_path, text)
    title = kind.capitalize()
    assert callouts(edition) == [(["callout", f"callout-{kind}"], title, "Quarto."),
                                 (["callout", f"callout-{kind}"], title, "GitHub.")]


def test_titles_in_the_edition_language(tmp_path: Path) -> None:
    text = "# Текст\n\n::: {.callout-warning}\nОсторожно.\n:::\n\n> [!TIP]\n> Совет.\n"
    edition, _ = edition_of(tmp_path, text, lang="ru")
    assert [title for _, title, _ in callouts(edition)] == ["Внимание", "Совет"]


def test_a_heading_becomes_the_title_and_leaves_the_outline(tmp_path: Path) -> None:
    text = ("# Chapter\n\n::: {.callout-tip}\n# Not a chapter\nTip.\n:::\n\n"
            "::: {.callout-note .wide title=\"Given\"}\n## Kept as text\nNote.\n:::\n\n## Real section\n")
    edition, _ = edition_of(tmp_path, text)
    assert [s.title for s in edition.sections] == ["Chapter"]
    headings = [ast.plain_text(h["c"][2]) for h in ast.find(blocks(edition), "Header")]
    assert headings == ["Chapter", "Kept as text", "Real section"]
    assert callouts(edition) == [(["callout", "callout-tip"], "Not a chapter", "Tip."),
                                 (["callout", "callout-note", "wide"], "Given", "Kept as text | Note.")]
    # A link to the heading's id still lands: the title keeps it.
    title = next(div for div in ast.find(blocks(edition), "Div") if div["c"][0][1] == ["callout-title"])
    assert title["c"][0][0] == "not-a-chapter"


def test_other_divs_are_left_alone(tmp_path: Path) -> None:
    edition, _ = edition_of(tmp_path, "::: {.note}\nA plain div.\n:::\n\n::: {.callout-other}\nB.\n:::\n")
    assert callouts(edition) == []
    assert [div["c"][0][1] for div in ast.find(blocks(edition), "Div")] == [["note"], ["callout-other"]]
