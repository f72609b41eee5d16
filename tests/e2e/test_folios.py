"""Page numbers in the digits of the edition's language (print.css): Arabic-Indic for Arabic, Extended
Arabic-Indic for Persian, European for the rest, in the folios and the contents' page numbers, whether
the book is laid out whole or chapter by chapter; the dates shown to the reader (the title page's, the
EPUB's colophon) in the same digits."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pubpipe.cli import main
from pubpipe.i18n import catalogue

CHAPTERS = {
    "ar": ("الفصل الأول", "الفصل الثاني", "نص عربي قصير يملأ الصفحة. "),
    "fa": ("فصل نخست", "فصل دوم", "متنی کوتاه به فارسی. "),
    "en": ("Chapter one", "Chapter two", "A short English text. "),
}
DIGITS = {"ar": "٠١٢٣٤٥٦٧٨٩", "fa": "۰۱۲۳۴۵۶۷۸۹", "en": "0123456789"}


def page_lines(pdf: Path, page: int) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    # pdftotext marks right-to-left and embedded runs with bidi controls: left out.
    text = re.sub("[\u202a-\u202e\u2066-\u2069]", "", text)
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("layout", ["single", "chapters"])
@pytest.mark.parametrize("lang", ["ar", "fa", "en"])
def test_folios_and_contents_are_in_the_languages_digits(runner: CliRunner, tmp_path: Path, lang: str,
                                                         layout: str) -> None:
    root = tmp_path / lang
    assert runner.invoke(main, ["init", str(root), "--lang", lang]).exit_code == 0
    one, two, sentence = CHAPTERS[lang]
    folder = root / "source" / lang
    (folder / "01-chapter.md").write_text(f"# {one}\n\n{sentence * 3}\n", encoding="utf-8")
    (folder / "02-chapter.md").write_text(f"# {two}\n\n{sentence * 3}\n", encoding="utf-8")
    # 2023-11-14: the build time, shown on the title page and in the EPUB's colophon.
    built = runner.invoke(main, ["build", "-C", str(root), "-f", "pdf", "-f", "epub", "--pdf-layout", layout],
                          env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert built.exit_code == 0, built.output
    pdf = root / "build" / lang / "my-publication.pdf"
    digits = DIGITS[lang]
    # Title page (no folio), contents (page 2), the chapters on pages 3 and 4.
    contents = page_lines(pdf, 2)
    assert contents[-1] == digits[2], contents
    assert any(digits[3] in line and one in line for line in contents), contents
    assert any(digits[4] in line and two in line for line in contents), contents
    assert page_lines(pdf, 3)[-1] == digits[3]
    assert page_lines(pdf, 4)[-1] == digits[4]
    if lang != "en":
        assert not any(char in "0123456789" for line in contents for char in line), contents
    year = "".join(digits[int(n)] for n in "2023")
    label = catalogue(lang)("built").replace("\u200c", "")  # the text layer has no ZWNJ
    dated = [line for line in page_lines(pdf, 1) if label in line.replace("\u200c", "")]
    assert len(dated) == 1 and year in dated[0] and digits[4] in dated[0], page_lines(pdf, 1)
    with zipfile.ZipFile(pdf.with_suffix(".epub")) as epub:
        colophon = next(epub.read(name).decode("utf-8") for name in epub.namelist() if "colophon" in name)
    assert year in colophon and (lang == "en" or "2023" not in colophon), colophon
