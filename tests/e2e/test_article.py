"""The real article, built end to end with the real pandoc, WeasyPrint, ebooklib and EPUBCheck."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from tests.conftest import REPO, epubcheck, fixable

HEADINGS = {
    "en": ["Leon Trotsky", "The Russian Revolution", "A revolution betrayed", "The Left Opposition",
           "Degenerated workers’ state", "The struggle for socialism"],
    "ru": ["Лев Троцкий", "Русская революция", "Преданная революция", "Левая оппозиция",
           "Переродившееся рабочее государство", "Борьба за социализм"],
}
FIRST_LAST = {
    "en": ("The great financial crisis has revealed the instability",
           "a new world party of social revolution."),
}
SLUG = "socialism-didnt-fail"


def squash(text: str) -> str:
    """Text with line breaks, hyphenation breaks and no-break spaces evened out, for searching."""
    return " ".join(text.replace("\u00a0", " ").replace("-\n", "").replace("\u00ad", "").split())


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_output_exists(article_build: Path, lang: str) -> None:
    for suffix in ("html", "pdf", "epub"):
        path = article_build / "build" / lang / f"{SLUG}.{suffix}"
        assert path.is_file() and path.stat().st_size > 1000, path


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_epubcheck_reports_nothing(article_build: Path, lang: str) -> None:
    messages = epubcheck(article_build / "build" / lang / f"{SLUG}.epub")
    assert fixable(messages) == []


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_pdf_text_outline_and_metadata(article_build: Path, lang: str) -> None:
    reader = PdfReader(article_build / "build" / lang / f"{SLUG}.pdf")
    text = squash("\n".join(page.extract_text() for page in reader.pages))
    for heading in HEADINGS[lang]:
        assert heading in text
    if lang in FIRST_LAST:
        first, last = FIRST_LAST[lang]
        assert first in text and last in text
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert [squash(t) for t in outline] == HEADINGS[lang]
    meta = reader.metadata
    assert meta.title and meta.author
    assert reader.trailer["/Root"]["/Lang"] == lang
    # Fonts are embedded: every font on every page has a font file.
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_html_has_headings_toc_landmarks(article_build: Path, lang: str) -> None:
    page = article_build / "build" / lang / f"{SLUG}.html"
    tree = lxml_html.fromstring(page.read_bytes())
    assert tree.get("lang") == lang
    headings = [squash(h.text_content()) for h in tree.xpath("//main//h2")]
    assert headings == HEADINGS[lang]
    toc = [squash(a.text_content()) for a in tree.xpath("//nav[@id='toc']//a")]
    assert toc == HEADINGS[lang]
    for link in tree.xpath("//nav[@id='toc']//a/@href"):
        assert tree.xpath(f"//*[@id='{link[1:]}']"), link
    assert tree.xpath("//main") and tree.xpath("//header") and tree.xpath("//footer")
    # No request leaves the page's folder: every src/href is relative and stays below it.
    for url in tree.xpath("//@src | //link/@href"):
        assert not url.startswith(("http:", "https:", "/", "file:")), url
    assert (page.parent / "fonts" / "PTSerif-Regular.woff2").is_file()  # a subset (issue 12)
    assert not (page.parent / "fonts" / "DejaVuSansMono.woff2").exists()  # the article has no code


def test_article_links_to_its_translation(article_build: Path) -> None:
    english = lxml_html.fromstring((article_build / "build/en" / f"{SLUG}.html").read_bytes())
    link = english.xpath("//a[contains(., 'available in Russian')]")[0]
    assert link.get("href") == f"../ru/{SLUG}.html"
    assert english.xpath("//link[@rel='alternate']/@hreflang") == ["ru"]


def test_installed_command_rejects_unknown_format(pubpipe_command: str) -> None:
    done = subprocess.run([pubpipe_command, "build", "-f", "nosuchformat", "-C", str(REPO)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 2
    assert "unknown format 'nosuchformat'; choose from: " in done.stderr
    listed = {name.strip(",") for name in done.stderr.split("choose from: ")[1].split()}
    assert {"epub", "html", "pdf"} <= listed  # plugins installed beside them may add more
    assert "Traceback" not in done.stderr


def test_installed_command_builds(tmp_path: Path, pubpipe_command: str) -> None:
    from tests.conftest import copy_project

    root = copy_project("article", tmp_path)
    done = subprocess.run([pubpipe_command, "build", "-f", "html", "-l", "en"], cwd=root, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"build/en/{SLUG}.html")
    assert (root / "build/en" / f"{SLUG}.html").is_file()
    assert not (root / "build/ru").exists()
