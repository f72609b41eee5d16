"""The pieces of a chapter-parallel PDF: their cache keys, and which page names their elements start."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from typing import Any

from pubpipe.backends.pdf_chapters import PieceTask, Sheet, page_rules
from pubpipe.backends.render.pagenames import named_page_anchors

TASK = PieceTask(html="<p>x</p>", base_url="/b/", roots=("/r",), allow_remote=False, sheets=(Sheet(path="/s.css"),),
                 override="", keep="chapter")
OTHER: dict[str, Any] = {
    "html": "<p>y</p>", "base_url": "/c/", "roots": ("/r", "/s"), "allow_remote": True,
    "sheets": (Sheet(text="p {}"),), "override": "a {}", "keep": "front", "first_section": 2,
    "pages": (("a", "3"),), "foreign": ("b",), "identifier": b"urn:x", "link_base": "/l",
    "strings": ((".t", "title"),), "named_pages": ((".t", "title"),),
}


def test_every_field_of_a_piece_is_in_its_key() -> None:
    """A field left out of the key would give a changed piece an old layout: each one changes it."""
    assert set(OTHER) == {field.name for field in dataclasses.fields(PieceTask)}
    key = TASK.key("v1")
    assert key == PieceTask(**{f.name: getattr(TASK, f.name) for f in dataclasses.fields(PieceTask)}).key("v1")
    assert len(key) == 64 and TASK.key("v2") != key
    changed = {name: dataclasses.replace(TASK, **{name: value}).key("v1") for name, value in OTHER.items()}
    assert all(value != key for value in changed.values()), [n for n, v in changed.items() if v == key]
    assert len(set(changed.values())) == len(changed)


def test_the_key_is_the_same_on_every_run() -> None:
    """Hashed from the fields by name (building/hashing.Hasher), not from a pickle of the object."""
    assert TASK.key("v1") == "cfed9e9fb81a3f5380ee2302e16d1edd599f0574231b2f9af029a69a83e111b7"


def test_the_elements_that_start_a_named_page() -> None:
    css = ".titlepage { page: title; } nav.toc { page: contents; } nav.toc.plain { page: auto; }\np { color: red; }"
    rules = page_rules([css])
    assert rules.named_pages == ((".titlepage", "title"), ("nav.toc", "contents"), ("nav.toc.plain", "auto"))
    root = ET.fromstring('<html><body><section class="titlepage" id="t"><p>Title</p></section>'
                         '<nav class="toc"><p>Contents</p></nav><nav class="toc plain"/>'
                         '<div style="page: wide">Table</div><main><p>Text</p></main></body></html>')
    named, added = named_page_anchors(root, rules.named_pages)
    assert named == [("t", "title"), ("pubpipe-page-0", "contents"), ("pubpipe-page-1", "wide")]
    assert added == {"pubpipe-page-0", "pubpipe-page-1"}
    assert [element.get("id") for element in root.iter("nav")] == ["pubpipe-page-0", None]
