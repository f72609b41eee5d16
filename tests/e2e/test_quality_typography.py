"""Typography in every output's text: no straight quotes, double hyphens or three-dot ellipses left."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from pypdf import PdfReader

SLUG = "socialism-didnt-fail"
# What a typesetter replaces: ' " (straight quotes), -- (a dash typed as hyphens), ... (an ellipsis as dots).
LEFTOVERS = re.compile(r"['\"]|--|\.\.\.")
CODE = {"pre", "code", "script", "style"}


def text_outside_code(root: etree._Element) -> str:
    """The text of a parsed (X)HTML document, leaving out code, scripts and styles (written as typed)."""
    parts = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        inside_code = name in CODE or any(etree.QName(a).localname in CODE for a in element.iterancestors())
        if element.text and not inside_code:
            parts.append(element.text)
        parent = element.getparent()
        parent_in_code = parent is not None and (etree.QName(parent).localname in CODE or any(
            etree.QName(a).localname in CODE for a in parent.iterancestors()))
        if element.tail and not parent_in_code:
            parts.append(element.tail)
    return " ".join(parts)


def html_text(path: Path) -> str:
    tree = lxml_html.fromstring(path.read_bytes())
    return text_outside_code(tree.xpath("//body")[0])


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def epub_text(path: Path) -> str:
    with zipfile.ZipFile(path) as epub:
        return "\n".join(text_outside_code(etree.fromstring(epub.read(name)))
                         for name in epub.namelist() if name.endswith(".xhtml"))


def leftovers(text: str) -> list[str]:
    return [text[max(0, m.start() - 30):m.end() + 30] for m in LEFTOVERS.finditer(text)]


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("kind", ["html", "pdf", "epub"])
def test_no_typewriter_marks_in_the_article(article_build: Path, lang: str, kind: str) -> None:
    path = article_build / "build" / lang / f"{SLUG}.{kind}"
    text = {"html": html_text, "pdf": pdf_text, "epub": epub_text}[kind](path)
    assert len(text) > 5000
    assert leftovers(text) == []


def test_the_checker_sees_typewriter_marks(tmp_path: Path) -> None:
    """The extraction keeps what it must check: marks typed into a page are found, code is left alone."""
    page = tmp_path / "page.html"
    page.write_text('<html><body><p>He said "no" -- twice... </p><pre>x = "code"</pre></body></html>',
                    encoding="utf-8")
    found = leftovers(html_text(page))
    assert len(found) == 4 and all("code" not in f for f in found[:1])
