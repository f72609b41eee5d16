"""The catalogues of fixed strings: every language has every key English has, in its own words."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import pytest
import yaml

from pubpipe.i18n import catalogue, language_name
from pubpipe.scaffold import language_rules

ENGLISH = yaml.safe_load(resources.files("pubpipe").joinpath("catalogues", "en.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("lang", "contents", "name", "date"), [
    ("ja", "目次", "日本語", "2026年12月1日"),
    ("ko", "차례", "한국어", "2026년 12월 1일"),
    ("zh", "目录", "中文", "2026年12月1日"),
])
def test_cjk_catalogues_are_complete_and_native(lang: str, contents: str, name: str, date: str) -> None:
    own = yaml.safe_load(resources.files("pubpipe").joinpath("catalogues", f"{lang}.yaml").read_text(encoding="utf-8"))
    assert set(ENGLISH) <= set(own), set(ENGLISH) - set(own)
    strings = catalogue(lang)
    assert strings("contents") == contents and language_name(lang) == name
    assert strings.date(dt.date(2026, 12, 1)) == date
    assert strings("figure", n="2") != ENGLISH["figure"].format(n="2")
    # No English left in a value (the EPUB Accessibility and WCAG names aside), no space a folded
    # YAML line joined into CJK text.
    for key, value in own.items():
        text = " ".join(value) if isinstance(value, list) else str(value)
        leftover = text.replace("EPUB Accessibility", "").replace("WCAG", "").replace("AA", "")
        assert not any(word in leftover for word in ("Contents", "Page", "Figure", "Table", " the ")), key
        if lang != "ko":
            assert not any(a > "\u3000" and b == " " and c > "\u3000" for a, b, c in zip(text, text[1:], text[2:])), key
    assert catalogue(f"{lang}-x-test")("contents") == contents  # a regional tag falls back to the language


@pytest.mark.parametrize(("lang", "serif"), [("ja", "Noto Serif CJK JP"), ("ko", "Noto Serif CJK KR"),
                                            ("zh", "Noto Serif CJK SC"), ("zh-TW", "Noto Serif CJK TC")])
def test_init_sets_cjk_text_in_the_languages_own_faces(lang: str, serif: str) -> None:
    css = language_rules(lang)
    first = css.split("font-family:", 1)[1].split(",", 1)[0].strip()
    assert first == f'"{serif}"'


def test_init_sets_the_running_heads_in_the_languages_faces_and_upright() -> None:
    from pubpipe.scaffold import NewProject, project_files

    files = project_files(NewProject(Path("/nowhere"), lang="ja"))
    extra = files["styles/print-extra.css"].decode("utf-8")
    assert "@top-left { font-style: normal; }" in extra
    assert extra.split("font-family:", 1)[1].split(",", 1)[0].strip() == '"Noto Sans CJK JP"'
    assert "@page" not in project_files(NewProject(Path("/nowhere"), lang="en"))["styles/print-extra.css"].decode()


@pytest.mark.parametrize(("lang", "style", "date"), [
    ("ar", "arabic-indic", "١ ديسمبر ٢٠٢٦"),
    ("ar-EG", "arabic-indic", "١ ديسمبر ٢٠٢٦"),
    ("ar-MA", "decimal", "1 ديسمبر 2026"),
    ("fa", "persian", "۱ دسامبر ۲۰۲۶"),
    ("he", "decimal", None),
    ("en", "decimal", "1 December 2026"),
])
def test_dates_are_written_in_the_digits_of_the_page_numbers(lang: str, style: str, date: str | None) -> None:
    from pubpipe.numerals import digit_style

    assert digit_style(lang) == style
    written = catalogue(lang).date(dt.date(2026, 12, 1))
    if date is not None:
        assert written == date
    assert ("2026" in written) == (style == "decimal")
