"""The EPUB's contents nest as the PDF's outline: a section's headings under it, by level."""

from __future__ import annotations

from pubpipe.backends.render.outline import Entry, section_entry, subheadings

BODY = """<p>Text.</p>
<h2 id="install">Installation<a class="noteref" href="#fn1" id="fnref1" role="doc-noteref"><sup>1</sup></a> guide</h2>
<h3 id="linux">On <em>Linux</em></h3>
<h5 id="deep">Skipped a level</h5>
<h2>No id, no entry</h2>
<div class="callout callout-tip"><div class="callout-title">A tip's title</div><p>Tips help.</p></div>
<h2 id="code">Writing code</h2>"""


def tree(entry: Entry) -> object:
    return (entry.title, entry.href, [tree(child) for child in entry.children])


def test_subheadings_give_plain_titles_without_note_calls() -> None:
    assert subheadings(BODY) == [(2, "install", "Installation guide"), (3, "linux", "On Linux"),
                                 (5, "deep", "Skipped a level"), (2, "code", "Writing code")]
    assert subheadings("") == []


def test_headings_nest_under_their_section_by_level() -> None:
    entry = section_entry("c.xhtml#start", "Getting started", "c.xhtml", subheadings(BODY))
    assert tree(entry) == ("Getting started", "c.xhtml#start", [
        ("Installation guide", "c.xhtml#install", [
            ("On Linux", "c.xhtml#linux", [("Skipped a level", "c.xhtml#deep", [])])]),
        ("Writing code", "c.xhtml#code", [])])
