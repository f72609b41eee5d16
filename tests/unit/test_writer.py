"""The shared HTML writer: XHTML for the EPUB stays well-formed whatever raw HTML the author wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from pubpipe.cli import main
from pubpipe.writer import HtmlWriter, well_formed
from tests.conftest import copy_project, epubcheck, fixable


def parses(fragment: str) -> bool:
    try:
        etree.fromstring('<div xmlns="http://www.w3.org/1999/xhtml">' + fragment + "</div>")
    except etree.XMLSyntaxError:
        return False
    return True


def test_loose_raw_html_is_repaired_for_xhtml() -> None:
    para = {"t": "Para", "c": [{"t": "Str", "c": "Hello"}, {"t": "Space"}, {"t": "RawInline", "c": ["html", "<b>"]},
                               {"t": "Str", "c": "world"}]}
    loose = HtmlWriter(link_href=str).block(para)
    assert loose == "<p>Hello <b>world</p>" and not parses(loose)  # fine in an HTML page
    strict = HtmlWriter(link_href=str, xhtml=True).block(para)
    assert strict == "<p>Hello <b>world</b></p>" and parses(strict)


def test_well_formed_leaves_sound_markup_alone() -> None:
    sound = '<p>A <a href="#x">link</a> &amp; <br/> text</p>'
    assert well_formed(sound) == sound
    assert parses(well_formed("text <br> and <img src=a.png alt=''>"))


@pytest.mark.slow  # an EPUB build (its page list lays the book out) and EPUBCheck
def test_epub_with_loose_raw_html_is_clean(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    root = copy_project("book", tmp_path)
    chapter = root / "source/en/03-end.md"
    chapter.write_text(chapter.read_text() + "\nHello <b>world and <i>more\n\n<div class=\"x\"><p>unclosed\n")
    result = runner.invoke(main, ["build", "-C", str(root), "-f", "epub"])
    assert result.exit_code == 0, result.output
    assert fixable(epubcheck(root / "build/en/sample-book.epub")) == []
