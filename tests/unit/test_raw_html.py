"""Raw HTML: code it would run is removed token by token, fragments stay fragments, <img> become images."""

from __future__ import annotations

from pathlib import Path

import pytest

from pubpipe.errors import SourceRef
from pubpipe.transforms.raw_html import extract_images, runs_code, sanitize

# (id, raw HTML, what is left, what the warning names)
CASES = [
    ("script-block", "<script>\nalert(1)\n</script>", "", ["a <script> element"]),
    ("script-with-tags-inside", "<p>a</p><script>if (a<b) document.write('</p>')</script><p>b</p>",
     "<p>a</p><p>b</p>", ["a <script> element"]),
    ("event-attribute", '<b onclick="alert(1)" class="x">bold</b>', '<b class="x">bold</b>',
     ["the onclick attribute"]),
    ("event-attribute-any-case", "<img src=a.png OnError=alert(1)>", '<img src="a.png">', ["the onerror attribute"]),
    ("javascript-href", '<a href="javascript:alert(1)">x</a>', "<a>x</a>", ["a javascript: URL"]),
    ("javascript-hidden", '<a href="  jav&#x09;ascript&#58;alert(1)">x</a>', "<a>x</a>", ["a javascript: URL"]),
    ("vbscript", "<a href='VBScript:msgbox(1)'>x</a>", "<a>x</a>", ["a vbscript: URL"]),
    ("svg-xlink", '<svg><a xlink:href="javascript:alert(1)"><text>t</text></a></svg>',
     "<svg><a><text>t</text></a></svg>", ["a javascript: URL"]),
    ("srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>', "<iframe></iframe>", ["a <script> element"]),
    ("fragment-left-open", '<details onclick="x()">\n<summary>More</summary>',
     "<details>\n<summary>More</summary>", ["the onclick attribute"]),
]


@pytest.mark.parametrize("text, left, removed", [pytest.param(*case[1:], id=case[0]) for case in CASES])
def test_code_is_removed(text: str, left: str, removed: list[str]) -> None:
    result, found, still_open = sanitize(text)
    assert (result, found, still_open) == (left, removed, False)


@pytest.mark.parametrize("text", [
    "<details>\n<summary>More</summary>",  # a fragment: its end tag is in a later node
    "</details>",
    '<p align="center">a &amp; b <!-- note --> <a href="https://example.org/?a=1&amp;b=2">x</a>',
    "<style>p > a { color: red }</style>",
    '<a href="#onboarding" title="javascript: the good parts">on</a>',
])
def test_harmless_html_stays_byte_for_byte(text: str) -> None:
    assert sanitize(text) == (text, [], False)


def test_a_script_split_over_inline_nodes() -> None:
    opened = sanitize("<script>")
    assert opened == ("", ["a <script> element"], True)
    # The closing node: everything up to </script> goes, what follows stays.
    assert sanitize("</script><b>after</b>", in_script=True) == ("<b>after</b>", [], False)


def test_runs_code() -> None:
    assert runs_code("javascript:x") and runs_code(" \x01JavaScript:x") and runs_code("java\tscript:x")
    assert not runs_code("https://example.org/javascript:x") and not runs_code("#javascript")


def test_raw_images_become_image_nodes(tmp_path: Path) -> None:
    (tmp_path / "source" / "en").mkdir(parents=True)
    where = SourceRef(tmp_path / "source" / "en" / "a.md", 3, 1)
    raw = ('<p align="center"><a href="https://ci.example.org/x"><img src="https://ci.example.org/x.svg" '
           'alt="Build status"></a> <img src="logo.png" width="200" alt="Logo"> '
           '<img src="file:///etc/passwd"> <img src="data:image/png;base64,AAAA"></p>')
    blocks = extract_images([{"t": "RawBlock", "c": ["html", raw], "pos": where}], tmp_path, where)
    assert [node["t"] for node in blocks] == ["Plain"]
    pieces = blocks[0]["c"]
    assert [node["t"] for node in pieces] == ["RawInline", "Image", "RawInline", "Image", "RawInline"]
    badge, logo = pieces[1], pieces[3]
    assert badge["c"][2] == ["https://ci.example.org/x.svg", ""] and badge.get("in_link") is True
    assert [n["c"] for n in badge["c"][1] if n["t"] == "Str"] == ["Build", "status"]
    assert logo["c"][2][0] == "logo.png" and ["width", "200"] in logo["c"][0][2] and "in_link" not in logo
    # Each image is placed where its address is written (for its warnings), not at the block's start.
    assert badge["pos"] == SourceRef(where.path, 3, raw.index("https://ci.example.org/x.svg") + 1)
    assert logo["pos"] == SourceRef(where.path, 3, raw.index("logo.png") + 1)
    # What is not the text's own image stays raw, for guard_raw_html to judge.
    assert "file:///etc/passwd" in pieces[4]["c"][1] and "data:image/png" in pieces[4]["c"][1]
    assert pieces[0]["c"][1].endswith('<a href="https://ci.example.org/x">')


def test_html_without_images_is_left_as_it_is(tmp_path: Path) -> None:
    where = SourceRef(tmp_path / "a.md", 1)
    node = {"t": "RawInline", "c": ["html", "<kbd>Ctrl</kbd>"]}
    para = {"t": "Para", "c": [node]}
    assert extract_images([para], tmp_path, where) == [{"t": "Para", "c": [node]}]


PIECES = ["<", ">", "<script>", "</script>", "<b onclick=x>", "<a href='javascript:x'>", '"', "'", "=", " ",
          "a", "<!--", "-->", "<svg>", "</b>", "&#106;", "<img src=x onerror=y>", "\n", "/", "<style>",
          "</style>", "<textarea>", "java", "script:", "<a href=", "on", "load=", "<iframe srcdoc='", "&lt;"]


def test_sanitized_html_runs_nothing_whatever_the_input() -> None:
    """Whatever raw HTML an author writes, what is left has no script, event attribute or code URL
    as a browser's tokenizer reads it, and reads back as the same tokens it was written from."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from pubpipe.reading.html_tokens import tokenize
    from pubpipe.transforms.raw_html import URL_ATTRIBUTES

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(PIECES), max_size=25))
    def check(pieces: list[str]) -> None:
        text, _, _ = sanitize("".join(pieces))
        tokens = list(tokenize(text))
        for token in tokens:
            if token.kind == "start":
                assert token.name != "script"
                assert not any(name.startswith("on") for name in token.attrs)
                assert not any(runs_code(value) for name, value in token.attrs.items() if name in URL_ATTRIBUTES)
        assert sanitize(text)[0] == text  # nothing more to remove: the written text reads back the same

    check()


def test_raw_anchors_are_ids_of_the_edition(tmp_path: Path) -> None:
    """`<a name>` and `id` in raw HTML are numbered with the other ids, and links to them are sound."""
    from pubpipe.model import ast
    from tests.unit.markdown_edition import blocks, edition_of

    markdown = ('## Intro\n\n<a name="intro"></a>Text, see [the old place](#old) and [intro](#intro).\n\n'
                '<a name="old"></a><span id="kept">Old text.</span>\n')
    edition, reporter = edition_of(tmp_path, markdown)
    assert edition is not None
    assert [d.code for d in reporter.diagnostics] == ["P022"], reporter.diagnostics  # no P020 for #old
    assert "id 'intro' is used twice" in reporter.diagnostics[0].message
    raw = "".join(node["c"][1] for node in ast.find(blocks(edition), "RawInline"))
    assert '<a name="intro-2">' in raw and '<a name="old">' in raw
    assert {"intro", "intro-2", "old", "kept"} <= edition.sections[-1].ids | {s.id for s in edition.sections}
