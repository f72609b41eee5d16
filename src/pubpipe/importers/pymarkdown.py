"""Python-Markdown and PyMdown syntax as MkDocs sites use it, turned into what pandoc reads."""

# Admonitions (`!!! type "Title"`, collapsible `???`/`???+`) become Quarto-style callouts
# (`::: {.callout-note}` with a `## Title` heading inside); heading attribute lists (`{: #id}`) become
# pandoc attributes; snippets (`--8<-- "file"`) are included. What has no counterpart — `[TOC]`,
# abbreviation definitions, stand-alone attribute lists, content tabs, Jinja macros — degrades to
# readable text with a warning.

from __future__ import annotations

import re
from pathlib import Path

from ..errors import SourceRef
from .common import Book, Chapter, Origin, read_text

ADMONITION = re.compile(r"^( {0,3})(!!!|\?\?\?\+?)[ \t]+([\w-]+)((?:[ \t]+[\w-]+)*)[ \t]*(?:\"(.*)\")?[ \t]*$")
TAB = re.compile(r"^( {0,3})===\+?[ \t]+\"(.*)\"[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HEADING_ATTRS = re.compile(r"^(#{1,6}[ \t].*?)[ \t]*\{:?[ \t]*([^}]*)\}[ \t]*$")
BLOCK_ATTRS = re.compile(r"^ {0,3}\{:[^}]*\}[ \t]*$")
INLINE_ATTRS = re.compile(r"\{:[ \t]*([^}]*)\}")
ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:")
SNIPPET = re.compile(r"^([ \t]*)-{1,}8<-{1,}[ \t]+[\"']([^\"']+)[\"'][ \t]*$")
MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
# Python-Markdown admonition types on the five callout kinds pubpipe (and Quarto) know.
CALLOUTS = {"note": "note", "info": "note", "abstract": "note", "summary": "note", "tldr": "note",
            "question": "note", "help": "note", "faq": "note", "example": "note", "quote": "note",
            "cite": "note", "seealso": "note", "todo": "note", "tip": "tip", "hint": "tip", "success": "tip",
            "check": "tip", "done": "tip", "important": "important", "warning": "warning", "attention": "warning",
            "caution": "caution", "danger": "caution", "error": "caution", "failure": "caution",
            "fail": "caution", "missing": "caution", "bug": "caution"}

Lines = list[tuple[str, Origin]]


def convert_extensions(chapter: Chapter, book: Book, base: Path) -> None:
    """Rewrite the chapter's Python-Markdown syntax in place (see the module docstring)."""
    pairs = list(zip(chapter.lines, chapter.origins))
    pairs = _snippets(pairs, book, base, 0)
    pairs = _blocks(pairs, book)
    chapter.lines = [text for text, _ in pairs]
    chapter.origins = [origin for _, origin in pairs]


def _where(origin: Origin) -> SourceRef:
    return SourceRef(origin.path, origin.line)


def _snippets(pairs: Lines, book: Book, base: Path, depth: int) -> Lines:
    """Lines with every `--8<-- "file"` line replaced by that file (found beside the page or under the
    project's folder, as pymdownx.snippets' base_path does by default)."""
    out: Lines = []
    for text, origin in pairs:
        match = SNIPPET.match(text)
        if not match:
            out.append((text, origin))
            continue
        name = match.group(2)
        candidates = [origin.path.parent / name, base / name, book.root / name]
        path = next((p for p in candidates if p.is_file()), None)
        content = read_text(path, book) if path and depth < 10 else None
        if content is None:
            book.warn("I133", f"snippet '{name}' not found; left out", _where(origin),
                      "check the path, relative to the folder holding mkdocs.yml")
            continue
        assert path is not None  # content was read from it
        lines = content.rstrip("\n").split("\n")
        included = [(match.group(1) + line if line else "", Origin(path, n)) for n, line in enumerate(lines, 1)]
        out += _snippets(included, book, base, depth + 1)
    return out


def _indented(text: str, width: int) -> bool:
    return text.startswith((" " * width, "\t")) or not text.strip()


def _blocks(pairs: Lines, book: Book) -> Lines:
    """Convert admonitions, tabs and attribute syntax outside fenced code, recursively in bodies."""
    out: Lines = []
    fence: str | None = None
    index = 0
    while index < len(pairs):
        text, origin = pairs[index]
        index += 1
        opening = FENCE.match(text)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence) \
                    and not text.strip()[len(opening.group(1)):].strip():
                fence = None
            out.append((text, origin))
            continue
        if opening:
            fence = opening.group(1)
            out.append((text, origin))
            continue
        admonition, tab = ADMONITION.match(text), TAB.match(text)
        if admonition or tab:
            indent = (admonition or tab).group(1)  # type: ignore[union-attr]
            body: Lines = []
            while index < len(pairs) and _indented(pairs[index][0], len(indent) + 4):
                body.append((pairs[index][0][len(indent) + 4:] if pairs[index][0].strip() else "", pairs[index][1]))
                index += 1
            while body and not body[-1][0].strip():
                body.pop()
            inner = _blocks(body, book)
            if admonition:
                out += _admonition(admonition, indent, origin, inner)
            else:
                assert tab is not None  # one of the two matched
                out += _tab(tab, indent, origin, inner, book)
            continue
        out.append((_inline(text, origin, book), origin))
    return out


def _admonition(match: re.Match[str], indent: str, origin: Origin, body: Lines) -> Lines:
    """A callout in pandoc's fenced-div syntax, as Quarto writes it."""
    kind = match.group(3).lower()
    callout = CALLOUTS.get(kind, "note")
    title = match.group(5) if match.group(5) is not None else kind.capitalize()
    attrs = f".callout-{callout}"
    if match.group(2).startswith("???"):
        attrs += f' collapse="{"false" if match.group(2).endswith("+") else "true"}"'
    lines = ["", f"::: {{{attrs}}}"] + ([f"## {title}", ""] if title.strip() else [])
    result = [(indent + line if line else "", origin) for line in lines]
    result += [(indent + text if text else "", place) for text, place in body]
    result += [("", origin), (indent + ":::", origin), ("", origin)]
    return result


def _tab(match: re.Match[str], indent: str, origin: Origin, body: Lines, book: Book) -> Lines:
    """A content tab as a bold label followed by its content."""
    book.warn("I131", f"content tab '{match.group(2)}' becomes a labelled paragraph", _where(origin),
              "tabs have no printed form; check that the text reads well one tab after another")
    label = match.group(2).replace("*", r"\*")
    return [("", origin), (f"{indent}**{label}**", origin), ("", origin)] + \
        [(indent + text if text else "", place) for text, place in body] + [("", origin)]


def _inline(text: str, origin: Origin, book: Book) -> str:
    """One line outside code: attribute lists, [TOC], abbreviations and macros."""
    stripped = text.strip()
    if stripped == "[TOC]":
        book.warn("I131", "[TOC] marker removed", _where(origin),
                  "pubpipe makes the contents of the PDF and EPUB itself")
        return ""
    if ABBREVIATION.match(text):
        book.warn("I131", "abbreviation definition removed (pandoc has no abbreviations)", _where(origin),
                  "spell the abbreviation out where it is first used")
        return ""
    if BLOCK_ATTRS.match(text):
        book.warn("I131", f"attribute list '{stripped}' on its own line removed", _where(origin),
                  "put the attributes on a line of their own before the block as {#id .class}")
        return ""
    heading = HEADING_ATTRS.match(text)
    if heading and "{:" in text:
        return f"{heading.group(1)} {{{heading.group(2).strip()}}}"
    if "{:" in text:
        text = INLINE_ATTRS.sub(lambda m: "{" + m.group(1).strip() + "}", text)
    if MACRO.search(text) and "`" not in text:
        book.warn("I131", f"template syntax '{MACRO.search(text).group(0)}' kept as text", _where(origin),  # type: ignore[union-attr]
                  "replace it by the text the MkDocs macro would produce")
    return text
