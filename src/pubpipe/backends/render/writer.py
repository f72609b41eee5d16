"""Write an edition's prepared AST as HTML with pandoc's own HTML writer: one pandoc run per output."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ...errors import BackendError, SourceRef
from ...model import Node, Section
from ...model.ast import plain_text

if TYPE_CHECKING:
    from ...report import Reporter

NoteStyle = Literal["endnotes", "footnotes"]
MathStyle = Literal["mathml", "svg"]
PANDOC_API = [1, 23, 1, 1]
PANDOC_TIMEOUT = 600  # seconds, as for parsing
# pandoc writes the whole edition at once; these comments mark where one part ends and the next begins.
PART = "<!--pubpipe-part-->"
# pandoc's empty link before each numbered code line (`.numberLines`): a line number, not a link a
# screen reader should announce (Ace: link-name), so it is hidden from assistive technology.
LINE_ANCHOR = re.compile(r'<a href="#(cb\d+-\d+)"></a>')
FOOTNOTE = re.compile(r"<!--pubpipe-footnote-(\d+)-->")
RAW_FORMATS = ("html", "html5", "html4")
# Task list items: pandoc's commonmark_x leaves `[ ]`/`[x]` as text when fancy_lists is on (pandoc 3.9);
# its HTML writer makes a checkbox of an item starting with ☐ or ☒.
TASK_MARKS = {"[ ]": "☐", "[x]": "☒", "[X]": "☒"}
# pandoc's MathML carries the TeX as an annotation; `alttext` gives it to readers that want a text alternative.
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(/?)>")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
INLINE_HOLDERS = {"Para", "Plain", "Header"}
PARENS = {"OneParen": "paren", "TwoParens": "parens"}
MARKER_STYLES = {"LowerAlpha": "lower-alpha", "UpperAlpha": "upper-alpha", "LowerRoman": "lower-roman",
                 "UpperRoman": "upper-roman"}
LEAVES = frozenset({"Str", "Space", "SoftBreak", "LineBreak", "Code", "HorizontalRule"})
MATH_TEX = re.compile(r'<math ([^>]*)>(.*?)<annotation encoding="application/x-tex">(.*?)</annotation>', re.DOTALL)


@dataclass
class Note:
    """A footnote met while writing: its number and its content as HTML."""

    number: int
    html: str


@dataclass(frozen=True, slots=True)
class RenderedSection:
    """One section written as HTML: ids, titles, body, the notes it called and what its markup needs."""

    id: str
    """The section's id (its heading's id)."""
    title_html: str
    """The heading's inlines without notes or links, for contents and running heads."""
    title: str
    """The heading as plain text."""
    body_html: str
    """The blocks after the heading."""
    notes: tuple[Note, ...]
    """Endnotes this section called, in order (empty with footnotes: they are inline)."""
    heading_html: str = ""
    """The heading's inlines as the text shows them, note calls included."""
    has_math: bool = False
    """Whether body or notes hold MathML (an EPUB marks such files `mathml`)."""
    has_svg: bool = False
    """Whether body or notes hold inline SVG (an EPUB marks such files `svg`)."""


@dataclass
class _Part:
    """One piece of the pandoc document, written back to its place after the run."""

    raw: list[tuple[SourceRef | None, str]] = field(default_factory=list)
    """The author's raw HTML inside it, with places: it is parsed again as HTML5 (markup.repair)."""
    html: str = ""


@dataclass
class HtmlWriter:
    """Turns an edition's sections into HTML through pandoc. One writer per output, so notes are numbered
    through the whole edition."""

    link_href: Callable[[str], str]
    """Maps a canonical link target (see transforms.links) to the href this output uses ("" = no link)."""
    image_src: Callable[[str], str] = lambda href: href
    """Maps an asset href to the src this output uses."""
    xhtml: bool = False
    """Write XHTML (EPUB): the author's raw HTML is parsed as HTML5 and written back as XML."""
    note_style: NoteStyle = "endnotes"
    """`endnotes`: references now, notes gathered for later; `footnotes`: notes inline for CSS to float."""
    allow_raw_html: bool = True
    """Pass raw HTML through (repaired as a browser would)."""
    heading_offset: int = 0
    """Added to every heading level (a page whose title is the h1 shifts the text's headings down)."""
    math: MathStyle = "mathml"
    """`mathml` (browsers, e-readers) or `svg` (drawn by ziamath, for WeasyPrint, which has no MathML)."""
    reporter: Reporter | None = None
    """Where warnings about the author's raw HTML go (none: not reported)."""
    details_summary: str = "Details"
    """The summary given to a `<details>` without one."""
    table_label: str | None = None
    """Wrap each table in a box that scrolls sideways (the html page on a narrow screen), named by the
    table's caption or else by this word; None: tables are not wrapped (print, e-books)."""
    cache_dir: Path | None = None
    """build/.cache, where each part's HTML is kept (run_writer); None: pandoc writes every part."""
    section_index: int = 0
    """The section being prepared, for a link_href that depends on it (the EPUB's one file per section)."""
    counter: int = 0
    """Notes numbered so far."""
    notes: list[Note] = field(default_factory=list)
    _parts: list[_Part] = field(default_factory=list)
    _current: _Part = field(default_factory=_Part)
    _notes: list[tuple[int, _Part, list[Node]]] = field(default_factory=list)
    _title_only: bool = False
    _where: SourceRef | None = None

    def take_notes(self) -> list[Note]:
        """The notes gathered since the last call, for the caller to place."""
        notes, self.notes = self.notes, []
        return notes

    # The whole edition ---------------------------------------------------------------------------
    def sections(self, sections: Sequence[Section]) -> list[RenderedSection]:
        """Every section written in one pandoc run; raises BackendError if pandoc fails."""
        self._parts = []
        blocks: list[Node] = []
        layout: list[tuple[int, int, int, range]] = []  # each section's parts and the notes it calls
        for index, section in enumerate(sections):
            self.section_index = index
            heading = section.heading["c"][2] if section.heading else []
            title = self._part(blocks, [{"t": "Plain", "c": heading}], title_only=True)
            first_note = self.counter
            head = self._part(blocks, [{"t": "Plain", "c": heading}])
            body = self._part(blocks, list(section.blocks))
            layout.append((title, head, body, range(first_note + 1, self.counter + 1)))
        # Notes come last, one part each, in the order they were called.
        note_parts: dict[int, int] = {}
        for number, part, content in self._notes:
            self._parts.append(part)
            blocks.append({"t": "RawBlock", "c": ["html", PART]})
            blocks.extend(content)
            note_parts[number] = len(self._parts) - 1
        self._notes = []
        html = LINE_ANCHOR.sub(r'<a href="#\1" aria-hidden="true" tabindex="-1"></a>', run_writer(blocks, self.math, self.cache_dir))
        pieces = html.split(PART)
        if len(pieces) != len(self._parts) + 1:
            raise BackendError(f"pandoc's HTML has {len(pieces) - 1} parts where {len(self._parts)} were sent",
                               hint="run with --debug and report it with the input", code="B100")
        for part, text in zip(self._parts, pieces[1:]):
            part.html = text.strip("\n")
        written = {number: self._finish(self._parts[index]) for number, index in note_parts.items()}
        result = []
        for section, (title, head, body, numbers) in zip(sections, layout):
            notes = tuple(Note(number, written[number]) for number in numbers)
            body_html = self._finish(self._parts[body], written)
            heading_html = self._finish(self._parts[head], written)
            inline_notes = self.note_style == "footnotes"
            all_html = body_html + heading_html + ("" if inline_notes else "".join(n.html for n in notes))
            result.append(RenderedSection(
                section.id, self._finish(self._parts[title]), section.title, body_html,
                () if inline_notes else notes, heading_html, "<math" in all_html, "<svg" in all_html))
            if not inline_notes:
                self.notes.extend(notes)
        return result

    def _part(self, blocks: list[Node], content: list[Node], title_only: bool = False) -> int:
        """Prepare *content* and add it as the next part; returns its index."""
        self._current = _Part()
        self._parts.append(self._current)
        self._title_only = title_only
        blocks.append({"t": "RawBlock", "c": ["html", PART]})
        blocks.extend(self._walk_list(content))
        self._title_only = False
        return len(self._parts) - 1

    def _finish(self, part: _Part, notes: dict[int, str] | None = None) -> str:
        """A part's HTML as this output wants it: alt text on formulas, footnotes placed, raw HTML repaired."""
        html = part.html
        if self.math == "mathml" and "<math" in html:
            html = MATH_TEX.sub(lambda m: f'<math {m.group(1)} alttext="{m.group(3)}">{m.group(2)}'
                                f'<annotation encoding="application/x-tex">{m.group(3)}</annotation>', html)
        if notes is not None and self.note_style == "footnotes":
            html = FOOTNOTE.sub(lambda m: footnote(int(m.group(1)), notes[int(m.group(1))]), html)
        if part.raw:
            from .markup import repair

            html = repair(html, xhtml=self.xhtml, raw=part.raw, reporter=self.reporter,
                          summary=self.details_summary)
        return html

    # Preparing the AST ---------------------------------------------------------------------------
    def _walk_list(self, items: list[Any]) -> list[Any]:
        out: list[Any] = []
        for item in items:
            if isinstance(item, dict) and "t" in item:
                mapped = self._node(item)
                if isinstance(mapped, list):
                    out.extend(mapped)
                else:
                    out.append(mapped)
            elif isinstance(item, list):
                out.append(self._walk_list(item))
            else:
                out.append(item)
        return out

    def _node(self, original: Node) -> Node | list[Node]:
        """A prepared copy of *original* (the edition's AST stays as it is), or what replaces it."""
        tag = original["t"]
        if tag in LEAVES:  # most nodes: words and spaces, which nothing here changes
            return original
        self._where = original.get("pos") or self._where
        node: Node = {"t": tag}
        if tag == "Note":
            if self._title_only:
                return []
            self.counter += 1
            number = self.counter
            # Prepared now, while links resolve from this section; written as a part of its own.
            outer, self._current = self._current, _Part()
            self._notes.append((number, self._current, self._walk_list(original["c"])))
            self._current = outer
            if self.note_style == "footnotes":
                return {"t": "RawInline", "c": ["html", f"<!--pubpipe-footnote-{number}-->"]}
            epub_type = ' epub:type="noteref"' if self.xhtml else ""
            return {"t": "RawInline", "c": ["html", (f'<a class="noteref" href="#fn{number}" id="fnref{number}" '
                                                     f'role="doc-noteref"{epub_type}><sup>{number}</sup></a>')]}
        if "c" in original:
            node["c"] = self._walk_list(original["c"]) if isinstance(original["c"], list) else original["c"]
        content: Any = node.get("c")
        if tag in INLINE_HOLDERS and self.allow_raw_html:
            self._close_inline_tags(node)
        if tag in ("RawBlock", "RawInline"):
            if content[0] not in RAW_FORMATS or not self.allow_raw_html:
                return []
            self._current.raw.append((self._where, content[1]))
            return {"t": tag, "c": ["html", content[1]]}
        if tag == "Link":
            attr, inlines, (target, _title) = content
            href = "" if self._title_only else self.link_href(target)
            if not href:  # a target this output cannot reach, or a title in the contents (no nested links)
                return {"t": "Span", "c": [attr, inlines]}
            content[2][0] = href
        elif tag == "Image":
            content[2][0] = self.image_src(content[2][0])
        elif tag == "Header":
            content[0] = min(6, content[0] + self.heading_offset)
            if any(n.get("t") == "RawInline" and "pubpipe-footnote" in n["c"][1] for n in content[2]):
                # The outline and running heads take the plain title, not the floated note's text.
                content[1][2].append(["bookmark", plain_text(content[2])])
        elif tag == "Math" and self.math == "svg":
            from .mathsvg import formula

            return {"t": "RawInline", "c": ["html", formula(content[1], content[0]["t"] == "DisplayMath",
                                                             self.reporter, self._where)]}
        elif tag == "CodeBlock":
            if not any(key == "dir" for key, _ in content[0][2]):
                content[0][2].append(["dir", "ltr"])  # code reads left to right in every edition
            if not content[0][1] and all(key == "dir" for key, _ in content[0][2]):
                return {"t": "RawBlock", "c": ["html", plain_code(content[0], content[1])]}
        elif tag == "BulletList":
            for item in content:
                _task_mark(item)
        elif tag == "OrderedList" and content[0][2]["t"] in PARENS:
            # pandoc's HTML says the style (`type="a"`) but not `a)` or `(a)`: a class lets CSS draw the marker.
            style = MARKER_STYLES.get(content[0][1]["t"], "decimal")
            return {"t": "Div", "c": [["", [f"marker-{PARENS[content[0][2]['t']]}-{style}"], []], [node]]}
        elif tag == "Table":
            columns = len(content[2])
            if columns >= 6:  # print shrinks the type of wide tables (print.css)
                content[0][1].append("wide" if columns < 9 else "widest")
            if self.table_label is not None:
                # A focusable, named region: a keyboard can scroll it too (axe: scrollable-region-focusable).
                label = plain_text(content[1][1]) or self.table_label
                return {"t": "Div", "c": [["", ["table-scroll"], [["role", "region"], ["tabindex", "0"],
                                                                  ["aria-label", label]]], [node]]}
        return node


    def _close_inline_tags(self, node: Node) -> None:
        """Close at the end of a paragraph the inline tags the author's raw HTML opened in it (`Hello <b>world`),
        as Markdown keeps inline HTML inside its paragraph; an HTML parser would carry them on (W104)."""
        inlines = node["c"][2] if node["t"] == "Header" else node["c"]
        open_tags: list[str] = []
        for item in inlines:
            if item.get("t") != "RawInline" or item["c"][0] not in RAW_FORMATS:
                continue
            for closing, name, self_closed in TAG.findall(item["c"][1]):
                name = name.lower()
                if closing:
                    if name in open_tags:
                        del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name):]
                elif not self_closed and name not in VOID:
                    open_tags.append(name)
        if not open_tags:
            return
        inlines.append({"t": "RawInline", "c": ["html", "".join(f"</{name}>" for name in reversed(open_tags))]})
        if self.reporter is not None:
            self.reporter.warn("W104", f"raw HTML <{open_tags[0]}> is not closed in its paragraph; closed at its end",
                               self._where, f"close it with </{open_tags[0]}> in the same paragraph")


def _position(value: Any) -> Any:
    """JSON for what the edition's AST holds besides JSON values: a node's place (pandoc ignores it)."""
    if isinstance(value, SourceRef):
        return None
    raise TypeError(f"{type(value).__name__} in the AST")


def _task_mark(item: list[Node]) -> None:
    """`[ ]`/`[x]` opening a list item (left as text by the parser) as the ☐/☒ pandoc writes as checkboxes."""
    if not item or item[0].get("t") not in ("Plain", "Para"):
        return
    inlines = item[0]["c"]
    text, used = "", 0
    for node in inlines[:4]:
        used += 1
        text += node["c"] if node["t"] == "Str" else " " if node["t"] == "Space" else "\0"
        if text in TASK_MARKS or len(text) >= 3:
            break
    if text in TASK_MARKS and len(inlines) > used and inlines[used]["t"] == "Space":
        inlines[:used] = [{"t": "Str", "c": TASK_MARKS[text]}]


def footnote(number: int, html: str) -> str:
    """A note inline where it is called, for CSS `float: footnote`: paragraphs become spans so the call
    stays inside its paragraph."""
    body = re.sub(r"<p>(.*?)</p>", r'<span class="note-para">\1</span>', html.strip(), flags=re.DOTALL)
    return f'<span class="footnote" id="fn{number}">{body}</span>'


def plain_code(attr: list[Any], text: str) -> str:
    """A code block of no language as pandoc writes it (`<pre id dir><code>`), each line in a `span.line`:
    CSS gives a line that wraps a hanging indent, as pandoc's highlighted code has its lines in spans."""
    from html import escape

    ident, _classes, pairs = attr
    attrs = f' id="{escape(ident)}"' if ident else ""
    attrs += "".join(f' {key}="{escape(value)}"' for key, value in pairs)
    lines = "\n".join(f'<span class="line">{escape(line, quote=False)}</span>' for line in text.split("\n"))
    return f"<pre{attrs}><code>{lines}</code></pre>"


def run_writer(blocks: list[Node], math: MathStyle, cache_dir: Path | None = None) -> str:
    """pandoc's HTML5 writer over *blocks*; raises BackendError when pandoc fails.

    *blocks* is a run of parts, each after a PART marker. pandoc writes a part's HTML from its blocks
    alone (notes and numbering are pubpipe's), so with *cache_dir* (build/.cache) each part's HTML is
    kept in writer/ by a SHA-256 of its JSON, and pandoc writes only the parts it has not seen: after
    an edit of one chapter of a book, that chapter's.
    """
    from ...building.cache import WRITTEN, keep_bytes, stored_bytes
    from ...reading.pandoc import pandoc_identity

    parts: list[list[Node]] = []
    for block in blocks:
        if block.get("t") == "RawBlock" and block["c"][1] == PART:
            parts.append([])
        elif parts:
            parts[-1].append(block)
    if cache_dir is None or not parts or blocks[0].get("t") != "RawBlock" or blocks[0]["c"][1] != PART:
        return _write_html(blocks, math)
    folder = cache_dir / WRITTEN
    version = f"{math}\n{pandoc_identity()}\n"
    keys = [hashlib.sha256((version + json.dumps(part, ensure_ascii=False, default=_position)).encode("utf-8"))
            .hexdigest() for part in parts]
    written: dict[int, str] = {}
    for index, key in enumerate(keys):
        data = stored_bytes(folder, key)
        if data is not None:
            with contextlib.suppress(zlib.error, UnicodeDecodeError):
                written[index] = zlib.decompress(data).decode("utf-8")
    missing = [index for index in range(len(parts)) if index not in written]
    if missing:
        marker: Node = {"t": "RawBlock", "c": ["html", PART]}
        html = _write_html([node for index in missing for node in (marker, *parts[index])], math)
        pieces = html.split(PART)[1:]
        if len(pieces) != len(missing):
            return _write_html(blocks, math)
        for index, piece in zip(missing, pieces):
            written[index] = piece.strip("\n")
            # Compressed: HTML shrinks about fourfold, and the cache is bounded by bytes.
            keep_bytes(folder, keys[index], zlib.compress(written[index].encode("utf-8"), 1))
    return "".join(f"{PART}\n{part}\n" for part in _numbered_code([written[index] for index in range(len(parts))]))


# The ids pandoc gives a highlighted code block without one, and its lines: `cb3`, `cb3-1` (and `#cb3-1`).
CODE_BLOCK_ID = re.compile(r'((?:\bid="|\bhref="#)cb)(\d+)(?=["-])')


def _numbered_code(parts: list[str]) -> list[str]:
    """*parts* with their code blocks numbered through all of them, as one pandoc run numbers them.

    pandoc counts highlighted code blocks through the document it writes (`cb1`, `cb2`…): a part
    written alone, or kept from an earlier run, starts anywhere. Its numbers are renumbered in order.
    """
    total = [0]

    def renumbered(part: str) -> str:
        numbers: dict[str, int] = {}

        def renumber(match: re.Match[str]) -> str:
            if match.group(2) not in numbers:
                total[0] += 1
                numbers[match.group(2)] = total[0]
            return f"{match.group(1)}{numbers[match.group(2)]}"

        return CODE_BLOCK_ID.sub(renumber, part)

    return [renumbered(part) for part in parts]


def _write_html(blocks: list[Node], math: MathStyle) -> str:
    """One pandoc run of its HTML5 writer over *blocks*."""
    import subprocess

    from ...reading.pandoc import pandoc_path

    document = json.dumps({"pandoc-api-version": PANDOC_API, "meta": {}, "blocks": blocks},
                          ensure_ascii=False, default=_position)
    args = [pandoc_path(), "-f", "json", "-t", "html5", "--wrap=none"]
    if math == "mathml":
        args.append("--mathml")
    done = subprocess.run(args, input=document.encode("utf-8"), capture_output=True, timeout=PANDOC_TIMEOUT,
                          check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BackendError(f"pandoc could not write HTML: {message[0] if message else done.returncode}",
                           hint="run with --debug and report it with the input", code="B100")
    return done.stdout.decode("utf-8")


def pandoc_version() -> str:
    """The version of the pandoc that writes the HTML (it enters the backends' fingerprints)."""
    from ...installed import version

    return version("pypandoc-binary")


__all__ = ["HtmlWriter", "Note", "RenderedSection", "footnote", "run_writer"]
