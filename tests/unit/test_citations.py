"""Citations: syntax read in CommonMark, rendered by citeproc in the edition's language, warnings with places."""

from __future__ import annotations

from pathlib import Path

import pytest

from pubpipe.model import ast
from pubpipe.transforms.citations import recognize_inlines
from tests.unit.markdown_edition import blocks, edition_of

BIB = """@book{doe2020,
  author = {Doe, Jane and Roe, Richard},
  title = {The Book of Maps},
  publisher = {Atlas Press},
  year = {2020}
}
"""


def words(text: str) -> list[dict]:
    out: list[dict] = []
    for index, word in enumerate(text.split(" ")):
        out += ([{"t": "Space"}] if index else []) + [{"t": "Str", "c": word}]
    return out


def test_bracketed_and_in_text_syntax() -> None:
    found = recognize_inlines(words("as [see @a, p. 3; -@b] and @c."), any_key=True)
    cites = [node for node in found if node["t"] == "Cite"]
    assert [[c["citationId"] for c in cite["c"][0]] for cite in cites] == [["a", "b"], ["c"]]
    first, second = cites[0]["c"][0]
    assert ast.plain_text(first["citationPrefix"]) == "see" and ast.plain_text(first["citationSuffix"]) == ", p. 3"
    assert second["citationMode"] == {"t": "SuppressAuthor"}
    assert cites[1]["c"][0][0]["citationMode"] == {"t": "AuthorInText"}
    assert found[-1] == {"t": "Str", "c": "."}  # the sentence's full stop is not part of the key


def test_not_read_in_code_or_link_text(tmp_path: Path) -> None:
    edition, reporter = edition_of(tmp_path, "Write `@fig-x` or [see @fig-x](https://example.org).\n")
    assert reporter.diagnostics == []  # no reference to a figure that does not exist
    assert ast.plain_text(blocks(edition)) == "Write @fig-x or see @fig-x."


def test_without_a_bibliography_only_cross_references_are_read() -> None:
    found = recognize_inlines(words("mail ada@example.org or @ada, see @fig-x"), any_key=False)
    assert [c["citationId"] for node in found if node["t"] == "Cite" for c in node["c"][0]] == ["fig-x"]


def test_rendered_in_the_edition_language_with_the_list_where_refs_stands(tmp_path: Path) -> None:
    text = "# Текст\n\nКарты лгут [@doe2020, с. 12].\n\n## Литература\n\n::: {#refs}\n:::\n\n## После\n\nКонец.\n"
    edition, reporter = edition_of(tmp_path, text, lang="ru", settings="bibliography: refs.bib\n",
                                   files={"refs.bib": BIB})
    assert reporter.diagnostics == []
    cite = next(ast.find(blocks(edition), "Cite"))
    # Russian terms ("и", "г."), and "с." read as the page locator (the style prints pages bare).
    assert ast.plain_text(cite["c"][1]) == "(Doe и\u00a0Roe 2020\u00a0г., 12)"
    refs = next(div for div in ast.find(blocks(edition), "Div") if div["c"][0][0] == "refs")
    assert "Doe, Jane, и\u00a0Richard Roe. 2020\u00a0г." in ast.plain_text(refs["c"][1])
    assert [s.title for s in edition.sections] == ["Текст"]  # no heading added: the author placed the list


def test_list_at_the_end_under_a_heading_in_the_language(tmp_path: Path) -> None:
    edition, _ = edition_of(tmp_path, "# Text\n\nMaps lie @doe2020.\n", lang="ru",
                            settings="bibliography: refs.bib\n", files={"refs.bib": BIB})
    assert [s.title for s in edition.sections] == ["Text", "Список литературы"]
    assert any(div["c"][0][0] == "refs" for div in ast.find(list(edition.sections[-1].blocks), "Div"))


def test_list_under_the_texts_own_closing_heading(tmp_path: Path) -> None:
    edition, _ = edition_of(tmp_path, "# Text\n\nMaps lie @doe2020.\n\n# References\n",
                            settings="bibliography: refs.bib\n", files={"refs.bib": BIB})
    assert [s.title for s in edition.sections] == ["Text", "References"]
    assert [div["c"][0][0] for div in edition.sections[-1].blocks] == ["refs"]


def test_unknown_key_is_a_warning_at_the_citation(tmp_path: Path) -> None:
    text = "First paragraph.\n\nSecond, with a line\nthat cites [@nobody2000] and @fig-x.\n\n![A](a.png){#fig-x}\n"
    from tests.unit.test_crossrefs import PNG

    edition, reporter = edition_of(tmp_path, text, settings="bibliography: refs.bib\n",
                                   files={"refs.bib": BIB, "en/a.png": PNG})
    [warning] = reporter.diagnostics  # the cross-reference is not the bibliography's business
    assert warning.code == "X102" and "nobody2000" in warning.message
    assert (warning.where.line, warning.where.column) == (4, 13)
    # The unknown entry is not linked to an entry that does not exist.
    assert not [link for link in ast.find(blocks(edition), "Link") if "nobody" in link["c"][2][0]]


def test_front_matter_bibliography_and_inline_references(tmp_path: Path) -> None:
    text = ("---\nbibliography: ../refs.bib\nreferences:\n- id: roe2019\n  type: book\n  title: Tables\n"
            "  author: [{family: Roe, given: Rick}]\n  issued: 2019\n---\nBoth [@doe2020; @roe2019].\n")
    edition, reporter = edition_of(tmp_path, text, files={"refs.bib": BIB})
    assert reporter.diagnostics == []
    assert ast.plain_text(next(ast.find(blocks(edition), "Cite"))["c"][1]) == "(Doe and Roe 2020; Roe 2019)"


@pytest.mark.parametrize("name", ["../../outside.bib", "missing.bib", "refs.txt"])
def test_a_bibliography_that_cannot_be_used_is_an_error(tmp_path: Path, name: str) -> None:
    (tmp_path / "outside.bib").write_text(BIB)
    edition, reporter = edition_of(tmp_path / "p", "Text [@doe2020].\n", settings=f"bibliography: {name}\n",
                                   files={"refs.txt": BIB})
    assert edition is None
    assert [(e.code, e.where.key) for e in reporter.errors] == [("X101", "bibliography")]


NUMERIC = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Numbers</title><id>numbers</id><updated>2026-01-01T00:00:00+00:00</updated></info>
  <citation><layout prefix="[" suffix="]" delimiter=", "><text variable="citation-number"/></layout></citation>
  <bibliography><layout><text variable="citation-number" suffix=". "/><text variable="title"/></layout></bibliography>
</style>
"""


def test_the_style_named_by_csl(tmp_path: Path) -> None:
    edition, reporter = edition_of(tmp_path, "Maps lie [@doe2020].\n", settings="bibliography: refs.bib\ncsl: n.csl\n",
                                   files={"refs.bib": BIB, "n.csl": NUMERIC})
    assert reporter.diagnostics == []
    assert ast.plain_text(next(ast.find(blocks(edition), "Cite"))["c"][1]) == "[1]"
    refs = next(div for div in ast.find(blocks(edition), "Div") if div["c"][0][0] == "refs")
    # pandoc reads a BibTeX title in sentence case (braces would protect its capitals).
    assert ast.plain_text(refs["c"][1]) == "1. The book of maps"


def test_a_broken_bibliography_is_an_error(tmp_path: Path) -> None:
    edition, reporter = edition_of(tmp_path, "Maps lie [@doe2020].\n", settings="bibliography: refs.bib\n",
                                   files={"refs.bib": "@book{doe2020,\n  title = {Unclosed\n"})
    assert edition is None and [e.code for e in reporter.errors] == ["X103"]
    assert reporter.errors[0].where.path.name == "refs.bib"


def test_an_edited_bibliography_rebuilds_the_edition(tmp_path: Path) -> None:
    from pubpipe.backends.base import Styles
    from pubpipe.building.keys import KeyInputs, edition_key
    from pubpipe.reading.project import load_project
    from tests.unit.markdown_edition import write_project

    root = write_project(tmp_path, "Maps lie [@doe2020].\n", settings="bibliography: refs.bib\n",
                         files={"refs.bib": BIB})

    def key() -> str:
        inputs = KeyInputs(load_project(root), "code", "", Styles.for_project(root), {})
        return edition_key(inputs, "en", {})

    before = key()
    (root / "source/refs.bib").write_text(BIB.replace("2020", "2021"))
    assert key() != before
