"""Japanese and Korean runs in another language's text get their `lang`, so Han takes their forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from pubpipe.model.ast import find
from pubpipe.transforms.east_asian import language_of, mark_inlines

from .markdown_edition import blocks, edition_of


def inl(*parts: object) -> list[dict]:
    return [{"t": "Space"} if part == " " else part if isinstance(part, dict) else {"t": "Str", "c": part}
            for part in parts]


def marked(nodes: list[dict]) -> list[tuple[str, str]]:
    """(lang, text) of each Span the marking made."""
    from pubpipe.model.ast import plain_text

    return [(span["c"][0][2][0][1], plain_text(span["c"][1])) for span in find(nodes, "Span")
            if span["c"][0][2] and span["c"][0][2][0][0] == "lang"]


@pytest.mark.parametrize(("text", "lang"), [("直して", "ja"), ("カタカナ", "ja"), ("한국어 漢字", "ko"),
                                            ("直骨", None), ("plain", None)])
def test_kana_say_japanese_and_hangul_korean_han_alone_nothing(text: str, lang: str | None) -> None:
    assert language_of(text) == lang


def test_a_japanese_run_in_english_is_marked_with_its_punctuation_and_emphasis() -> None:
    nodes = inl("The", " ", "word", " ", "「直して」は", {"t": "Emph", "c": inl("骨")}, "です。", " ", "means", " ", "fix.")
    assert marked(mark_inlines(nodes, "en")) == [("ja", "「直して」は骨です。")]


def test_korean_words_with_spaces_are_one_run_and_latin_letters_end_it() -> None:
    nodes = inl("Say", " ", "한국어", " ", "문장입니다.", " ", "then", " ", "Tokyo（東京・とうきょう）is")
    assert marked(mark_inlines(nodes, "en")) == [("ko", "한국어 문장입니다"), ("ja", "（東京・とうきょう）")]


def test_han_alone_the_editions_own_language_and_marked_text_are_left_alone() -> None:
    assert marked(mark_inlines(inl("中文", " ", "直骨"), "en")) == []
    assert marked(mark_inlines(inl("これは", " ", "直骨"), "ja")) == []
    zh = {"t": "Span", "c": [["", [], [["lang", "zh"]]], inl("这是かな")]}
    assert mark_inlines(inl("see", " ", zh), "en")[2] == zh
    # Japanese quoted in a Chinese edition is marked (a run is one language: 日语 goes with it).
    assert marked(mark_inlines(inl("日语", "「ひらがな」"), "zh-Hans")) == [("ja", "日语「ひらがな」")]


def test_the_edition_marks_prose_and_inline_code_and_leaves_code_blocks_alone(tmp_path: Path) -> None:
    markdown = "# Strings\n\nJapanese: 直してください and `直して` in code.\n\n```\nprint(\"直して\")\n```\n"
    edition, reporter = edition_of(tmp_path, markdown)
    assert edition is not None, reporter.diagnostics
    found = blocks(edition)
    assert marked(found) == [("ja", "直してください"), ("ja", "直して")]
    assert next(find(found, "CodeBlock"))["c"][1] == 'print("直して")'
