"""A font for every script: fallback faces after the design fonts, subsets in the EPUB and the HTML,
one warning for what no font draws, and `init --lang` projects set in their language's faces."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from pubpipe.backends.render.fonts import system_faces
from pubpipe.cli import main
from tests.conftest import epubcheck, fixable

pytestmark = pytest.mark.skipif(
    not {"noto naskh arabic", "noto serif cjk sc", "symbola"} <= set(system_faces()),
    reason="the fallback fonts are not installed (make build installs them)")

SLUG = "my-publication"
PERSIAN = """\
---
title: دفتر یادداشت
description: نوشته‌ای کوتاه به فارسی.
---

# آغاز

این نخستین فصل کتاب است. متن فارسی از راست به چپ نوشته می‌شود و حروفش به هم می‌پیوندند؛
عددهای فارسی مانند ۱۴۰۳ و «گیومه» هم باید درست دیده شوند.

## بخش دوم

- نخست
- دوم

> نقل‌قولی کوتاه.
"""

SCRIPTS = """\
---
title: Strings
---

# Strings in many scripts

Good job 👍. Hebrew שלום, Devanagari नमस्ते, Japanese こんにちは世界, Korean 안녕하세요,
Chinese 你好世界, Thai สวัสดีชาวโลก, Greek Καλημέρα.

```python
print("नमस्ते")
```
"""
WORDS = ["👍", "שלום", "नमस्ते", "こんにちは世界", "안녕하세요", "你好世界", "สวัสดีชาวโลก", "Καλημέρα"]


def new_project(runner: CliRunner, root: Path, lang: str, chapter: str) -> Path:
    created = runner.invoke(main, ["init", str(root), "--lang", lang])
    assert created.exit_code == 0, created.output
    (root / "source" / lang / "01-chapter.md").write_text(chapter, encoding="utf-8")
    return root


def epub_fonts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {Path(name).name: archive.read(name) for name in archive.namelist() if "/fonts/" in name}


def pdf_fonts(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_a_persian_project_builds_in_every_format_in_persian_faces(runner: CliRunner, tmp_path: Path) -> None:
    root = new_project(runner, tmp_path / "fa", "fa", PERSIAN)
    assert "Noto Naskh Arabic" in (root / "styles" / "base-extra.css").read_text(encoding="utf-8")
    built = runner.invoke(main, ["build", "-C", str(root)])
    assert built.exit_code == 0, built.output
    assert not re.search(r"warning G1\d\d", built.output), built.output
    out = root / "build" / "fa"
    page = (out / f"{SLUG}.html").read_text(encoding="utf-8")
    assert 'dir="rtl"' in page and '@font-face { font-family: "Noto Naskh Arabic"' in page
    assert fixable(epubcheck(out / f"{SLUG}.epub")) == []
    fonts = epub_fonts(out / f"{SLUG}.epub")
    assert "NotoNaskhArabic-Regular.ttf" in fonts and "DejaVuSansMono.ttf" not in fonts
    naskh = set(TTFont(io.BytesIO(fonts["NotoNaskhArabic-Regular.ttf"])).getBestCmap())
    assert set(map(ord, "فارسی۱۴۰۳")) | {0x200C} <= naskh  # the letters, the digits and the ZWNJ
    assert any(name.endswith("+Noto-Naskh-Arabic") for name in pdf_fonts(out / f"{SLUG}.pdf"))
    text = " ".join(page.extract_text() for page in PdfReader(out / f"{SLUG}.pdf").pages)
    assert "فهرست" in text  # the Persian catalogue: "Contents"


def test_every_script_builds_without_a_warning_and_reaches_the_pdf(runner: CliRunner, tmp_path: Path) -> None:
    root = new_project(runner, tmp_path / "scripts", "en", SCRIPTS)
    built = runner.invoke(main, ["build", "-C", str(root)])
    assert built.exit_code == 0, built.output
    assert "warning" not in built.output, built.output
    out = root / "build" / "en"
    # Lines may break between two Han characters: the text is compared without its line ends.
    text = "".join(page.extract_text() for page in PdfReader(out / f"{SLUG}.pdf").pages).replace("\n", "")
    for word in WORDS:
        assert word in text, word
    # Fallback faces enter the PDF as subsets only (WeasyPrint names them with a six-letter tag).
    assert all(re.match(r"^/[A-Z]{6}\+", name) for name in pdf_fonts(out / f"{SLUG}.pdf"))
    fonts = epub_fonts(out / f"{SLUG}.epub")
    for name in ("NotoSerifHebrew-Regular.ttf", "NotoSerifDevanagari-Regular.ttf", "NotoSerifCJKsc-Regular.otf",
                 "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf", "DejaVuSansMono-Oblique.ttf"):
        assert name in fonts, name
    mono = set(TTFont(io.BytesIO(fonts["DejaVuSansMono.ttf"])).getBestCmap())
    assert ord("p") in mono and ord("G") not in mono  # the code's characters only
    assert fixable(epubcheck(out / f"{SLUG}.epub")) == []


def test_the_articles_epub_is_small(article_build: Path) -> None:
    for lang in ("en", "ru"):
        epub = article_build / "build" / lang / "socialism-didnt-fail.epub"
        assert epub.stat().st_size <= 300 * 1024
        assert not any(name.startswith("DejaVuSansMono") for name in epub_fonts(epub))  # the article has no code


def test_a_character_no_font_has_is_one_warning_and_an_error_under_strict(runner: CliRunner,
                                                                          tmp_path: Path) -> None:
    chapter = "---\ntitle: T\n---\n\n# T\n\nA private \ue000 sign and \ue001 another, \ue000 again.\n"
    root = new_project(runner, tmp_path / "pua", "en", chapter)
    built = runner.invoke(main, ["build", "-C", str(root), "-f", "epub"])
    assert built.exit_code == 0, built.output
    [line] = [line for line in built.output.splitlines() if "G101" in line]
    assert line.startswith("source/en/01-chapter.md:7:11: warning G101: 2 characters")
    assert "U+E000" in line and "U+E001" in line and "01-chapter.md:7:22" in line
    strict = runner.invoke(main, ["build", "-C", str(root), "-f", "epub", "--strict", "--force"])
    assert strict.exit_code == 1, strict.output
    assert "G101" in strict.output
