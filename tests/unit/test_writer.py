"""The shared HTML writer (pandoc's HTML writer over the prepared AST) and the raw-HTML repair behind it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from pubpipe.backends.render.markup import repair
from pubpipe.backends.render.writer import HtmlWriter
from pubpipe.cli import main
from pubpipe.errors import SourceRef
from pubpipe.model import Section
from pubpipe.report import Reporter
from tests.conftest import copy_project, epubcheck, fixable

HERE = SourceRef(Path("/p/source/en/text.md"), 3, 1)


def parses(fragment: str) -> bool:
    try:
        etree.fromstring('<div xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
                         + fragment + "</div>")
    except etree.XMLSyntaxError:
        return False
    return True


def text(words: str) -> list[dict]:
    out: list[dict] = []
    for word in words.split(" "):
        out += [{"t": "Str", "c": word}, {"t": "Space"}]
    return out[:-1]


def section(ident: str, title: str, blocks: list[dict], heading_extra: list[dict] | None = None) -> Section:
    heading = {"t": "Header", "c": [1, [ident, [], []], text(title) + (heading_extra or [])], "pos": HERE}
    return Section(ident, title, heading, tuple(blocks), HERE, frozenset({ident}))


def note(words: str) -> dict:
    return {"t": "Note", "c": [{"t": "Para", "c": text(words)}]}


def test_notes_are_numbered_through_the_edition_and_kept_out_of_titles() -> None:
    sections = [section("one", "First", [{"t": "Para", "c": text("a") + [note("first note")]}], [note("on head")]),
                section("two", "Second", [{"t": "Para", "c": text("b") + [note("third note")]}])]
    writer = HtmlWriter(link_href=str)
    first, second = writer.sections(sections)
    assert first.title_html == "First" and "fnref1" in first.heading_html
    assert [n.number for n in first.notes] == [1, 2] and "first note" in first.notes[1].html
    assert [n.number for n in second.notes] == [3] and 'href="#fn3"' in second.body_html


def test_footnotes_are_inline_for_print_and_headings_keep_a_plain_bookmark() -> None:
    blocks = [{"t": "Header", "c": [2, ["sub", [], []], text("Sub") + [note("head note")]], "pos": HERE},
              {"t": "Para", "c": text("a") + [note("two paragraphs")]}]
    (only,) = HtmlWriter(link_href=str, note_style="footnotes", heading_offset=1).sections([section("s", "S", blocks)])
    assert only.notes == ()
    assert '<h3 data-bookmark="Sub" id="sub">Sub<span class="footnote" id="fn1">' in only.body_html
    assert '<span class="footnote" id="fn2"><span class="note-para">two paragraphs</span></span>' in only.body_html


def test_math_is_mathml_with_alt_text_or_svg_for_print() -> None:
    para = {"t": "Para", "c": [{"t": "Math", "c": [{"t": "InlineMath"}, "x^2"]}]}
    (mathml,) = HtmlWriter(link_href=str).sections([section("m", "M", [para])])
    assert 'alttext="x^2"' in mathml.body_html and mathml.has_math
    reporter = Reporter()
    (svg,) = HtmlWriter(link_href=str, math="svg", reporter=reporter).sections([section("m", "M", [para])])
    assert '<img class="math inline" alt="x^2" src="data:image/svg+xml;base64,' in svg.body_html
    assert not svg.has_math and reporter.diagnostics == []


def test_links_resolve_from_the_section_being_written() -> None:
    link = {"t": "Link", "c": [["", [], []], text("there"), ["#one", ""]]}
    sections = [section("one", "One", [{"t": "Para", "c": [link]}]), section("two", "Two", [{"t": "Para", "c": [link]}])]
    writer = HtmlWriter(link_href=lambda target: f"file{writer.section_index}.xhtml{target}", xhtml=True)
    first, second = writer.sections(sections)
    assert 'href="file0.xhtml#one"' in first.body_html and 'href="file1.xhtml#one"' in second.body_html


def test_loose_raw_html_is_repaired_for_xhtml() -> None:
    para = {"t": "Para", "c": text("Hello") + [{"t": "RawInline", "c": ["html", "<b>"]}] + text("world")}
    comment = {"t": "RawBlock", "c": ["html", "<!-- a remark -- to be removed -->"], "pos": HERE}
    loose = {"t": "RawBlock", "c": ["html", "<p>A<br>B &rarr; <span class=x>C</span>"]}
    (page,) = HtmlWriter(link_href=str).sections([section("s", "S", [para, comment, loose])])
    (book,) = HtmlWriter(link_href=str, xhtml=True).sections([section("s", "S", [para, comment, loose])])
    assert "<p>Hello<b>world</b></p>" in page.body_html and "<br>" in page.body_html
    assert parses(book.body_html) and "remark" not in book.body_html
    assert '<br/>B → <span class="x">C</span>' in book.body_html


def test_presentational_attributes_become_css_or_are_dropped_with_a_warning() -> None:
    reporter = Reporter()
    raw = [(HERE, '<table cellpadding="3" align="center"><tr><td valign=top bgcolor="eeeeee" width=40>x')]
    html = repair(raw[0][1], xhtml=True, raw=raw, reporter=reporter)
    assert parses(html)
    assert '<table style="margin-left: auto; margin-right: auto">' in html
    assert '<td style="vertical-align: top; background-color: #eeeeee; width: 40px">x</td>' in html
    assert [(d.code, d.where) for d in reporter.diagnostics] == [("W101", HERE)]
    assert "cellpadding" in reporter.diagnostics[0].message


def test_details_keep_their_content_and_get_a_summary() -> None:
    reporter = Reporter()
    html = repair("<details>\n<p>inside</p>\n</details><p>after</p>", xhtml=True, reporter=reporter,
                  summary="Details")
    assert html.startswith("<details><summary>Details</summary>\n<p>inside</p>\n</details>")
    assert [d.code for d in reporter.diagnostics] == ["W102"]
    assert repair("<details><summary>S</summary>x</details>", xhtml=False) == "<details><summary>S</summary>x</details>"



def test_a_style_in_the_body_goes_and_paragraphs_inside_pre_become_its_text() -> None:
    reporter = Reporter()
    raw = [(HERE, '<style>code { color: red }</style>'), (HERE, '<div><pre id="e">a = 1')]
    html = repair('<p>x</p><style>code { color: red }</style>tail<div><pre id="e">a = 1\n<p>b = ’’’</p>'
                  '<p>c</p></pre></div>', xhtml=True, raw=raw, reporter=reporter)
    assert parses(html)
    assert html == '<p>x</p>tail<div><pre id="e">a = 1\n\n\nb = ’’’\n\nc</pre></div>'
    assert [(d.code, d.where) for d in reporter.diagnostics] == [("R110", HERE), ("R111", HERE)]

@pytest.mark.slow  # an EPUB build (its page list lays the book out) and EPUBCheck
def test_epub_with_loose_raw_html_is_clean(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    root = copy_project("book", tmp_path)
    chapter = root / "source/en/03-end.md"
    chapter.write_text(chapter.read_text() + "\n<!-- an editor's remark -- to be removed -->\n\n"
                       "Hello <b>world and <i>more\n\n<div class=\"x\"><p>unclosed\n\n"
                       "<details>\n\nHidden &rarr; text.\n\n</details>\n\n<p align=center>A<br>B</p>\n")
    result = runner.invoke(main, ["build", "-C", str(root), "-f", "epub"])
    assert result.exit_code == 0, result.output
    assert fixable(epubcheck(root / "build/en/sample-book.epub")) == []


def test_nodes_other_steps_make_are_written_by_pandoc() -> None:
    """What the semantics transforms put in the AST (captions, figures, citations, callouts, line blocks)."""
    cell = lambda words: [["", [], []], {"t": "AlignDefault"}, 1, 1, [{"t": "Plain", "c": text(words)}]]
    table = {"t": "Table", "c": [["tbl-x", [], []], [None, [{"t": "Plain", "c": text("A caption")}]],
                                 [[{"t": "AlignRight"}, {"t": "ColWidthDefault"}]],
                                 [["", [], []], [[["", [], []], [cell("Head")]]]],
                                 [[["", [], []], 0, [[["", [], []], [cell("Sub head")]]], [[["", [], []], [cell("1")]]]]],
                                 [["", [], []], []]]}
    image = {"t": "Image", "c": [["", [], []], text("alt"), ["pic.png", ""]]}
    figure = {"t": "Figure", "c": [["fig-a", [], []], [None, [{"t": "Plain", "c": text("Fig caption")}]],
                                   [{"t": "Plain", "c": [image]}]]}
    cite = {"t": "Cite", "c": [[{"citationId": "doe", "citationPrefix": [], "citationSuffix": [],
                                 "citationMode": {"t": "NormalCitation"}, "citationNoteNum": 1, "citationHash": 0}],
                               text("(Doe 2020)")]}
    callout = {"t": "Div", "c": [["", ["callout", "callout-note"], []], [{"t": "Para", "c": [cite]}]]}
    lines = {"t": "LineBlock", "c": [text("first line"), text("second line")]}
    (done,) = HtmlWriter(link_href=str, image_src=lambda href: f"images/{href}", xhtml=True).sections(
        [section("s", "S", [table, figure, callout, lines])])
    html = done.body_html
    assert "<caption>A caption</caption>" in html and '<table id="tbl-x">' in html
    assert '<th style="text-align: right;">Sub head</th>' in html  # a head row inside the body stays a head row
    assert '<figure id="fig-a">' in html and "<figcaption>Fig caption</figcaption>" in html
    assert 'src="images/pic.png"' in html
    assert '<div class="callout callout-note">' in html and '<span class="citation" data-cites="doe">' in html
    assert '<div class="line-block">first line<br />\nsecond line</div>' in html
    assert parses(html)


def test_pandoc_writes_only_the_parts_it_has_not_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With build/.cache, each part's HTML is kept by its JSON: an edit of one section's text sends that
    part alone to pandoc, and the HTML is what one run over everything gives."""
    from dataclasses import replace

    from pubpipe.backends.render import writer as writer_module
    from pubpipe.reading.prepare import prepare_edition
    from pubpipe.reading.project import load_project

    edition = prepare_edition(load_project(copy_project("constructs", tmp_path)), "en")
    assert edition is not None

    def written(sections: tuple[Section, ...], cache: Path | None) -> list:
        return HtmlWriter(link_href=lambda target: target, image_src=lambda href: href, math="svg",
                          cache_dir=cache).sections(list(sections))

    sent: list[int] = []
    real = writer_module._write_html

    def counted(blocks: list, math: str) -> str:
        sent.append(sum(1 for block in blocks if block.get("c") == ["html", writer_module.PART]))
        return real(blocks, math)  # type: ignore[arg-type]

    monkeypatch.setattr(writer_module, "_write_html", counted)
    cache = tmp_path / "cache"
    assert written(edition.sections, cache) == written(edition.sections, None)
    parts = sent[0]
    sent.clear()
    assert written(edition.sections, cache) == written(edition.sections, None) and sent == [parts]  # the uncached run
    edited = list(edition.sections)
    edited[0] = replace(edited[0], blocks=(*edited[0].blocks, {"t": "Para", "c": [{"t": "Str", "c": "Added."}]}))
    sent.clear()
    assert written(tuple(edited), cache) == written(tuple(edited), None)
    assert sent[0] == 1 and "Added." in written(tuple(edited), cache)[0].body_html


def test_kept_parts_number_their_code_blocks_as_one_run_does(tmp_path: Path) -> None:
    """pandoc numbers highlighted code blocks through what it writes (`cb1`, `cb2`…): parts written apart
    or kept from an earlier build are numbered again, so an edit that adds a code block leaves no id twice."""
    from dataclasses import replace

    from tests.unit.markdown_edition import edition_of

    text = "".join(f"# Part {n}\n\n```python\nx = {n}\n```\n\nText {n}.\n\n" for n in range(3))
    edition, _ = edition_of(tmp_path, text)
    assert edition is not None and len(edition.sections) == 3
    cache = tmp_path / "cache"

    def written(sections: tuple[Section, ...], kept: Path | None) -> str:
        rendered = HtmlWriter(link_href=lambda target: target, image_src=lambda href: href,
                              cache_dir=kept).sections(list(sections))
        return "".join(section.body_html for section in rendered)

    assert written(edition.sections, cache) == written(edition.sections, None)
    code = next(block for block in edition.sections[0].blocks if block["t"] == "CodeBlock")
    edited = (replace(edition.sections[0], blocks=(*edition.sections[0].blocks, code)), *edition.sections[1:])
    html = written(edited, cache)
    assert html == written(edited, None)
    ids = re.findall(r'id="(cb\d+)"', html)
    assert ids == ["cb1", "cb2", "cb3", "cb4"]
