"""Edits of a chapter's Markdown that keep the author's text: heading levels, link targets, hidden lines."""

from __future__ import annotations

import re
from typing import Callable

from .common import Chapter, Parsed

ATX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
# [text](target "title") and ![alt](target): one level of brackets inside the text (an image in a link).
INLINE = re.compile(r"(!?)\[((?:[^\[\]\n]|\n(?!\n)|\[[^\[\]]*\])*)\]\(\s*(<[^>\n]*>|[^)\s]+)"
                    r"((?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?)\s*\)")
DEFINITION = re.compile(r"^ {0,3}\[(?!\^)((?:[^\]\\]|\\.)+)\]:[ \t]*(<[^>\n]*>|\S+)(.*)$", re.M)
RAW_IMAGE = re.compile(r"(<img\b[^>]*?\bsrc\s*=\s*)([\"'])([^\"'<>]+)\2", re.I)
FAKE_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>\n]*>")
# HTML's element names (WHATWG), plus SVG and MathML roots: a tag with another name is text the author
# meant literally (`Mutex<T>`), which browsers hide and no EPUB may contain.
HTML_ELEMENTS = frozenset("""
a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption cite code col
colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure footer form h1 h2
h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd label legend li link main map mark menu meta
meter nav noscript object ol optgroup option output p param picture pre progress q rp rt ruby s samp script
search section select slot small source span strong style sub summary sup table tbody td template textarea tfoot
th thead time title tr track u ul var video wbr svg math center font big tt strike
""".split())
RUST_WORDS = frozenset({"rust", "ignore", "should_panic", "no_run", "compile_fail", "edition2015",
                        "edition2018", "edition2021", "edition2024", "editable", "noplayground"})

Decide = Callable[[str, str, int], "str | None"]
"""(kind `Link`/`Image`, target, line) → the new target (the same to keep it), or None to drop it."""


def shift_headings(chapter: Chapter, parsed: Parsed) -> None:
    """Demote (or promote) the chapter's top-level headings so its title sits at level depth + 1,
    and give it the title as a heading of its own when the text does not start with one.

    Setext headings become ATX ones; levels beyond 6 stay at 6. Line count is kept, so the
    positions in *parsed* stay valid; the added title heading goes in by `add_title_heading`.
    """
    if not parsed.headers:
        return
    top = min(level for level, *_ in parsed.headers)
    own_title = parsed.first_block_is_header and parsed.headers[0][0] == top
    shift = chapter.depth + 1 - top + (0 if own_title else 1)
    for level, first, last, _ in parsed.headers:
        new = max(1, min(6, level + shift))
        line = chapter.lines[first - 1]
        match = ATX.match(line)
        if match is None and first == last:
            continue  # not where pandoc said a heading is: leave the line as the author wrote it
        if match:
            chapter.lines[first - 1] = match.group(1) + "#" * new + line[match.end():]
            continue
        # A setext heading: text lines, then the underline.
        words = " ".join(chapter.lines[n].strip() for n in range(first - 1, last - 1))
        chapter.lines[first - 1] = "#" * new + " " + words
        for n in range(first, last):
            chapter.lines[n] = ""


def add_title_heading(chapter: Chapter, parsed: Parsed) -> None:
    """Put `# Title` (at the chapter's depth) on top of a chapter whose text does not start with a heading."""
    if parsed.first_block_is_header:
        return
    heading = "#" * min(6, chapter.depth + 1) + " " + chapter.title.replace("\n", " ")
    chapter.lines[:0] = [heading, ""]
    if chapter.origins:
        chapter.origins[:0] = [chapter.origins[0]] * 2


def _masked(text: str, code_lines: set[int]) -> str:
    """*text* with code blocks and code spans blanked out (same length), for searching Markdown syntax."""
    lines = text.split("\n")
    for number in code_lines:
        if 0 < number <= len(lines):
            lines[number - 1] = " " * len(lines[number - 1])
    masked = "\n".join(lines)
    return CODE_SPAN.sub(lambda m: m.group(1) + "x" * (len(m.group(0)) - 2 * len(m.group(1))) + m.group(1),
                         masked)


def _label(text: str) -> str:
    return " ".join(text.lower().split())


def rewrite_targets(chapter: Chapter, parsed: Parsed, decide: Decide) -> None:
    """Rewrite the targets of inline links, images and reference definitions outside code.

    *decide* gives each target's replacement; None drops the link (its text stays, as text) or
    the image (its description stays, as text).
    """
    text = "\n".join(chapter.lines)
    masked = _masked(text, parsed.code_lines)
    edits: list[tuple[int, int, str]] = []

    def line_of(offset: int) -> int:
        return masked.count("\n", 0, offset) + 1

    for match in INLINE.finditer(masked):
        bang, target = match.group(1), match.group(3)
        plain = target[1:-1] if target.startswith("<") else target
        kind = "Image" if bang else "Link"
        new = decide(kind, plain, line_of(match.start()))
        inner = text[match.start(2):match.end(2)]
        if kind == "Link" and "![" in inner:
            inner = _rewrite_inner(inner, decide, line_of(match.start()))
        if new is None:
            edits.append((match.start(), match.end(), inner))
        elif new != plain or inner != text[match.start(2):match.end(2)]:
            title = text[match.start(4):match.end(4)]
            edits.append((match.start(), match.end(), f"{bang}[{inner}]({_dest(new)}{title})"))
    dropped: set[str] = set()
    for match in DEFINITION.finditer(masked):
        target = match.group(2)
        plain = target[1:-1] if target.startswith("<") else target
        new = decide("Link", plain, line_of(match.start()))
        if new is None:
            dropped.add(_label(text[match.start(1):match.end(1)]))
            edits.append((match.start(), match.end(), ""))
        elif new != plain:
            edits.append((match.start(2), match.end(2), _dest(new)))
    if dropped:
        edits += _unlink_references(text, masked, dropped, {(s, e) for s, e, _ in edits})
    # Pictures in raw HTML (`<img src="…">`) are copied too.
    for match in RAW_IMAGE.finditer(_masked(text, parsed.code_lines - parsed.raw_lines)):
        new = decide("Image", match.group(3), line_of(match.start()))
        if new is None:  # as for a Markdown image: the description stays, as text
            end = text.find(">", match.end())
            alt = re.search(r"\balt\s*=\s*([\"'])(.*?)\1", text[match.start():end + 1], re.I | re.S)
            edits.append((match.start(), end + 1 if end >= 0 else match.end(), alt.group(2) if alt else ""))
        elif new != match.group(3):
            edits.append((match.start(3), match.end(3), new))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    chapter.lines = text.split("\n")


def _dest(target: str) -> str:
    return f"<{target}>" if re.search(r"[\s()<>]", target) else target


def _rewrite_inner(inner: str, decide: Decide, line: int) -> str:
    """An image inside a link's text, with its target decided too."""
    def fix(match: re.Match[str]) -> str:
        target = match.group(3).strip("<>")
        new = decide("Image", target, line)
        if new is None:
            return match.group(2)
        return f"![{match.group(2)}]({_dest(new)}{match.group(4)})"
    return INLINE.sub(fix, inner)


REFERENCE = re.compile(r"(?<![\]\\])\[(?!\^)((?:[^\[\]\n]|\[[^\[\]\n]*\])+)\](?:\[((?:[^\[\]\n])*)\])?(?![(:\[])")


def _unlink_references(text: str, masked: str, dropped: set[str],
                       taken: set[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Edits turning `[text][label]`, `[label][]` and `[label]` into plain text for dropped labels."""
    edits = []
    for match in REFERENCE.finditer(masked):
        if any(start <= match.start() < end for start, end in taken):
            continue
        label = match.group(2) if match.group(2) else match.group(1)
        if _label(text[match.start(2):match.end(2)] if match.group(2) else
                  text[match.start(1):match.end(1)]) in dropped or _label(label) in dropped:
            edits.append((match.start(), match.end(), text[match.start(1):match.end(1)]))
    return edits


def escape_fake_tags(chapter: Chapter, parsed: Parsed) -> list[tuple[str, int]]:
    """Write `<T>`-like text that is no HTML element as text (`\\<T>`); the (tag, line) of each, in order."""
    text = "\n".join(chapter.lines)
    masked = _masked(text, parsed.code_lines)
    found = []
    for match in reversed(list(FAKE_TAG.finditer(masked))):
        before = masked[max(0, match.start() - 3):match.start()]
        if match.group(1).lower() not in HTML_ELEMENTS and not before.endswith(("](", "]: ")):
            found.append((match.group(0), masked.count("\n", 0, match.start()) + 1))
            text = text[:match.start()] + "\\" + text[match.start():]
    chapter.lines = text.split("\n")
    return found[::-1]


def is_rust_block(classes: list[str]) -> bool:
    """Whether a code block is Rust as mdBook sees it (`rust`, or only rustdoc attributes like `ignore`)."""
    words = {word for item in classes for word in re.split(r"[,\s]+", item.lower()) if word}
    return "rust" in words or (bool(words) and words <= RUST_WORDS)


def hidden_line(line: str) -> bool:
    """A Rust hidden line as rustdoc and mdBook see it: `# ` after optional indentation, or `#` alone."""
    stripped = line.lstrip()
    return stripped == "#" or stripped.startswith("# ")


def drop_hidden_lines(chapter: Chapter, parsed: Parsed) -> int:
    """Remove Rust hidden lines from Rust code blocks (`##` unescapes to `#`); the number removed."""
    removed = 0
    for classes, first, last in sorted(parsed.code_blocks, key=lambda b: -b[1]):
        if not is_rust_block(classes) or last - first < 1:
            continue
        for index in range(last - 2, first - 1, -1):  # the lines between the fences, bottom up
            line = chapter.lines[index]
            if hidden_line(line):
                del chapter.lines[index]
                if index < len(chapter.origins):
                    del chapter.origins[index]
                removed += 1
            elif line.lstrip().startswith("##"):
                chapter.lines[index] = line.replace("##", "#", 1)
    return removed
