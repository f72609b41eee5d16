"""Cross-references: labelled figures, tables, equations and sections numbered and linked, in the edition's words."""

from __future__ import annotations

from pathlib import Path

from pubpipe.model import ast
from tests.conftest import PROJECTS
from tests.unit.markdown_edition import blocks, edition_of

PNG = (PROJECTS / "constructs/source/images/hills.png").read_bytes()
TEXT = """# Start {#sec-start}

![Hills at dusk](images/hills.png){#fig-hills}

![A second picture](images/hills.png){#fig-second}

| a | b |
|---|---|
| 1 | 2 |

: Small numbers {#tbl-small}

$$a^2 + b^2 = c^2$$ {#eq-pyth}

See @fig-second, @fig-hills, @tbl-small, @eq-pyth and @sec-start; @Fig-hills again, -@eq-pyth alone.
"""


def links(edition) -> list[tuple[str, str]]:
    return [(node["c"][2][0], ast.plain_text(node["c"][1])) for node in ast.find(blocks(edition), "Link")]


def test_numbers_captions_and_references(tmp_path: Path) -> None:
    edition, reporter = edition_of(tmp_path, TEXT, files={"en/images/hills.png": PNG})
    assert reporter.diagnostics == []
    figures = list(ast.find(blocks(edition), "Figure"))
    assert [f["c"][0][0] for f in figures] == ["fig-hills", "fig-second"]
    assert [ast.plain_text(f["c"][1][1]) for f in figures] == ["Figure\u00a01: Hills at dusk",
                                                               "Figure\u00a02: A second picture"]
    table = next(ast.find(blocks(edition), "Table"))
    assert table["c"][0][0] == "tbl-small" and ast.plain_text(table["c"][1][1]) == "Table\u00a01: Small numbers"
    equation = next(n for n in ast.find(blocks(edition), "Div") if n["c"][0][0] == "eq-pyth")
    assert equation["c"][0][1] == ["equation"] and ast.plain_text(equation["c"][1]).endswith("(1)")
    assert links(edition) == [("#fig-second", "Figure\u00a02"), ("#fig-hills", "Figure\u00a01"),
                              ("#tbl-small", "Table\u00a01"), ("#eq-pyth", "Equation\u00a0(1)"),
                              ("#sec-start", "Start"), ("#fig-hills", "Figure\u00a01"), ("#eq-pyth", "1")]


def test_russian_words(tmp_path: Path) -> None:
    text = TEXT.replace("@Fig-hills", "@Eq-pyth")
    edition, _ = edition_of(tmp_path, text, lang="ru", files={"ru/images/hills.png": PNG})
    words = [text for _, text in links(edition)]
    assert words[:4] == ["рис.\u00a02", "рис.\u00a01", "табл.\u00a01", "уравнение\u00a0(1)"]
    assert words[5] == "Уравнение\u00a0(1)"
    figure = next(ast.find(blocks(edition), "Figure"))
    assert ast.plain_text(figure["c"][1][1]).startswith("Рис.\u00a01.")


def test_unknown_labels_are_errors_at_the_references(tmp_path: Path) -> None:
    text = "Some text first.\n\nThe second line of a paragraph\nrefers to @fig-nowhere here.\n\nAnd @tbl-none.\n"
    _, reporter = edition_of(tmp_path, text)
    assert [(e.code, e.where.path.name, e.where.line, e.where.column) for e in reporter.errors] == [
        ("X105", "text.md", 4, 11), ("X105", "text.md", 6, 5)]
    assert "fig-nowhere" in reporter.errors[0].message


def test_a_label_of_another_kind_does_not_count(tmp_path: Path) -> None:
    _, reporter = edition_of(tmp_path, "## Method {#sec-method}\n\nSee @fig-method.\n")
    assert [error.code for error in reporter.errors] == ["X105"]


def test_pandoc_markdown_labels_too(tmp_path: Path) -> None:
    text = TEXT.replace("{#sec-start}", "{#sec-start}\n")
    edition, _ = edition_of(tmp_path, text, settings="markdown: pandoc\n", files={"en/images/hills.png": PNG})
    assert [target for target, _ in links(edition)][:4] == ["#fig-second", "#fig-hills", "#tbl-small", "#eq-pyth"]
    table = next(ast.find(blocks(edition), "Table"))
    assert ast.plain_text(table["c"][1][1]) == "Table\u00a01: Small numbers"


def test_a_labelled_image_without_alt_text_is_a_figure_too(tmp_path: Path) -> None:
    edition, reporter = edition_of(tmp_path, "![](a.png){#fig-bare}\n\nSee @fig-bare.\n", files={"en/a.png": PNG})
    assert reporter.errors == []
    figure = next(ast.find(blocks(edition), "Figure"))
    assert figure["c"][0][0] == "fig-bare" and ast.plain_text(figure["c"][1][1]) == "Figure\u00a01"


def test_a_table_labelled_without_caption_text(tmp_path: Path) -> None:
    edition, reporter = edition_of(tmp_path, "| a |\n|---|\n| 1 |\n\n: {#tbl-bare}\n\nSee @tbl-bare.\n")
    assert reporter.errors == []
    table = next(ast.find(blocks(edition), "Table"))
    assert table["c"][0][0] == "tbl-bare" and ast.plain_text(table["c"][1][1]) == "Table\u00a01"
    assert [block["t"] for block in blocks(edition)] == ["Table", "Para"]
