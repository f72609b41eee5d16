"""Mapping a line of an output back to the Markdown block whose text it prints."""

from __future__ import annotations

from pathlib import Path

from pubpipe.check.sourcemap import locate
from pubpipe.errors import SourceRef

XHTML = b"""<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><body><section>
<h1 id="one">A heading of the chapter</h1>
<p>The first paragraph,\xc2\xa0with a tie and
<em>emphasis</em> over two lines.</p>
<ul>
<li><p>An item inside a list of things</p></li>
</ul>
</section></body></html>"""

HEADING = SourceRef(Path("a.md"), 1, 1)
PARAGRAPH = SourceRef(Path("a.md"), 3, 1)
ITEM = SourceRef(Path("a.md"), 5, 3)
INDEX = {"A heading of the chapter": HEADING, "The first paragraph, with a tie and emphasis ove": PARAGRAPH,
         "An item inside a list of things": ITEM}


def test_each_line_maps_to_its_block() -> None:
    assert locate(XHTML, 3, INDEX, xml=True) == HEADING
    assert locate(XHTML, 4, INDEX, xml=True) == PARAGRAPH
    assert locate(XHTML, 5, INDEX, xml=True) == PARAGRAPH  # inside the paragraph's <em>
    assert locate(XHTML, 7, INDEX, xml=True) == ITEM


def test_lines_outside_any_block_map_to_nothing() -> None:
    assert locate(XHTML, 1, INDEX, xml=True) is None
    assert locate(b"not xml <", 1, INDEX, xml=True) is None
