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
