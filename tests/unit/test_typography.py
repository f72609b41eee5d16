"""Language typography: the same characters reach every format."""

from __future__ import annotations

import pytest

from pubpipe.transforms.typography import NBSP, rules_for, set_inlines, set_text


def inl(*parts: object) -> list[dict]:
    nodes: list[dict] = []
    for part in parts:
        if part == " ":
            nodes.append({"t": "Space"})
        elif isinstance(part, dict):
            nodes.append(part)
        else:
            nodes.append({"t": "Str", "c": part})
    return nodes


def text(nodes: list[dict]) -> str:
    return "".join(n.get("c", " ") if n["t"] == "Str" else " " for n in nodes)


@pytest.mark.parametrize("lang, expected", [("en", "“a ‘b’ c”"), ("ru", "«a „b“ c»")], ids=["en", "ru"])
def test_nested_quotes(lang: str, expected: str) -> None:
    inner = {"t": "Quoted", "c": [{"t": "DoubleQuote"}, inl("b")]}
    outer = {"t": "Quoted", "c": [{"t": "DoubleQuote"}, inl("a", " ", inner, " ", "c")]}
    assert text(set_inlines([outer], rules_for(lang))) == expected


def test_english_dashes_and_ranges() -> None:
    result = text(set_inlines(inl("war", " ", "(1918-21)", " ", "-", " ", "and"), rules_for("en")))
    assert result == "war (1918–21) – and"


def test_russian_dash_and_ties() -> None:
    result = text(set_inlines(inl("Сталинизм", " ", "-", " ", "это", " ", "в", " ", "1917", " ", "году"),
                              rules_for("ru")))
    assert result == f"Сталинизм{NBSP}— это в{NBSP}1917{NBSP}году"


def test_plain_text_rules_for_titles() -> None:
    assert set_text("Socialism didn't fail", "en") == "Socialism didn’t fail"
    assert set_text('Он сказал "нет" - и ушёл', "ru") == f"Он сказал «нет»{NBSP}— и{NBSP}ушёл"


@pytest.mark.parametrize("lang, markdown, expected", [
    ("en", "He said 'quote' and \"double 'inner' x\".", "He said ‘quote’ and “double ‘inner’ x”."),
    ("en", "rock 'n' roll in the '90s", "rock ’n’ roll in the ’90s"),
    ("en", "don't, it's", "don’t, it’s"),
    ("ru", "Он сказал 'слово' и \"фраза 'внутри'\".", "Он сказал «слово» и «фраза „внутри“»."),
], ids=["en-single", "en-elisions", "en-apostrophes", "ru-single"])
def test_quotes_as_pandoc_reads_them(lang: str, markdown: str, expected: str) -> None:
    """Single quotes stay single in English (‘…’), apostrophes are ’, each language nests its own way."""
    from pathlib import Path

    from pubpipe.errors import SourceRef
    from pubpipe.model.ast import find
    from pubpipe.reading.pandoc import run_pandoc
    from pubpipe.reading.sections import LineMap, from_sourcepos

    lines = LineMap()
    lines.add(1, Path("x.md"))
    blocks = from_sourcepos({"t": "Document", "c": run_pandoc(markdown, SourceRef(Path("x.md")))["blocks"]}, lines)["c"]
    para = next(find(blocks, "Para"))["c"]
    assert text(set_inlines(para, rules_for(lang))).replace(NBSP, " ") == expected


def test_title_strings_keep_apostrophes_for_decades() -> None:
    assert set_text("Back to the '90s, 'quote'", "en") == "Back to the ’90s, ‘quote’"


@pytest.mark.parametrize(("words", "expected"), [
    (("#", "–acd-encoding"), "# --acd-encoding"),          # pandoc's smart made the option's -- an en dash
    (("see", "--help", "(or", "-h)"), "see --help (or -h)"),
    (("war", "–", "peace"), "war – peace"),
    (("1914--18", "and", "then--later"), "1914–18 and then–later"),
], ids=["heading", "prose", "spaced-dash", "unspaced"])
def test_a_command_line_options_hyphens_are_not_a_dash(words: tuple[str, ...], expected: str) -> None:
    parts: list[object] = []
    for word in words:
        parts += [word, " "]
    assert text(set_inlines(inl(*parts[:-1]), rules_for("en"))) == expected
    assert set_text(" ".join(words), "en") == expected


def test_an_option_in_pieces_is_found_in_the_whole_word() -> None:
    link = {"t": "Link", "c": [["", [], []], inl("–", "no", "-", "traverse"), ["https://rclone.org/docs/", ""]]}
    assert set_inlines(inl("See", " ", link), rules_for("en"))[2]["c"][1] == inl("--no-traverse")
