"""Chapter-parallel print layout: each chapter file of a book laid out on its own, joined into one PDF.

How (docs/PERFORMANCE.md, "Books at speed"):

1. The book's HTML is cut into pieces: the front matter (title page, contents) and one piece per
   chapter file (its sections start on a new page: print.css `section.file-start`).
2. Every chapter piece is laid out by WeasyPrint in a worker of the executor, with the footnote
   counter starting where the chapters before it leave off, and without the margin boxes that show a
   page number (`counter(page)`): those are the only things on a page that depend on where the
   chapter falls, so a chapter's layout never has to wait for the chapters before it.
3. The front matter is laid out last, with the contents' page numbers filled in from the chapters'
   anchors, and a "folio" document of empty pages draws the page-number margin boxes of every page
   (same @page rules, same page names), laid out at once.
4. pdfjoin.join() stacks the pieces' pages, draws each folio page over its page, and joins outlines,
   named destinations, the tagged structure, page labels and the font programs.

Each piece's layout is kept in build/.cache/chapters/ (pdf_cache.py) under a key of everything it
reads, so after an edit only the chapter that changed is laid out again (with the contents and the folios).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic
from ..model import Edition

FILE_START = "file-start"
"""The class of a section that begins a chapter file (print.css starts it on a new page)."""
PAGE_ATTRIBUTE = "data-pubpipe-page"
"""On a piece's links to other pieces: the page number their target-counter() would print."""
PAGE_COUNTER = "pubpipe-page"
"""A counter each such link resets to that number, so the page shows in the counter style the
target-counter() names (`target-counter(attr(href), page, arabic-indic)` → `counter(pubpipe-page, arabic-indic)`)."""
COUNTER = re.compile(r"\bcounters?\(\s*pages?\b")
# target-counter(attr(href), page) with an optional counter style (a name or a var()): group 1.
TARGET = re.compile(r"target-counter\(\s*attr\(\s*href\s*\)\s*,\s*page\s*(?:,\s*((?:[^()]|\([^()]*\))+?))?\s*\)")


def page_counter(value: str) -> str:
    """*value* (CSS) with each target-counter() of a link's page as the counter its link resets (PAGE_COUNTER)."""
    return TARGET.sub(lambda match: f"counter({PAGE_COUNTER}" + (f", {match.group(1)})" if match.group(1) else ")"),
                      value)


@dataclass(frozen=True, slots=True)
class Sheet:
    """A stylesheet as a worker rebuilds it: a file, or CSS text with the base URL its url()s need."""

    path: str = ""
    text: str = ""
    base_url: str = ""


@dataclass(frozen=True, slots=True)
class PieceTask:
    """One piece of the book for a worker to lay out and write as a PDF (picklable, bytes only)."""

    html: str
    base_url: str
    roots: tuple[str, ...]
    allow_remote: bool
    sheets: tuple[Sheet, ...]
    override: str
    """CSS after the book's own: footnote counter, margin boxes left out or kept, target-counter()."""
    keep: str
    """`front` (title page and contents), `chapter` (the main text) or `folio` (page-number pages)."""
    first_section: int = 0
    pages: tuple[tuple[str, str], ...] = ()
    """For `front`: (anchor, printed page number) of the targets in other pieces."""
    foreign: tuple[str, ...] = ()
    """Anchors this piece links to that other pieces hold (kept as named destinations for the join)."""
    identifier: bytes = b""
    link_base: str = ""
    strings: tuple[tuple[str, str], ...] = ()
    """PageRules.strings: for a chapter, the named strings the front matter sets are carried in."""
    named_pages: tuple[tuple[str, str], ...] = ()
    """PageRules.named_pages: which elements start a named page, to tell each page's name."""

    def key(self, version: str) -> str:
        """The cache key of this piece's layout: *version* (cache_version) and every field, each by name
        (building/hashing.Hasher: the same on every Python version and machine)."""
        from ..building.hashing import Hasher

        hasher = Hasher("pdf-piece-task", version)
        hasher.text("html").text(self.html).text("base_url").text(self.base_url)
        hasher.text("roots").json(list(self.roots)).text("allow_remote").json(self.allow_remote)
        hasher.text("sheets").json([[sheet.path, sheet.text, sheet.base_url] for sheet in self.sheets])
        hasher.text("override").text(self.override).text("keep").text(self.keep)
        hasher.text("first_section").json(self.first_section).text("pages").json([list(p) for p in self.pages])
        hasher.text("foreign").json(list(self.foreign)).text("identifier").bytes(self.identifier)
        hasher.text("link_base").text(self.link_base).text("strings").json([list(s) for s in self.strings])
        hasher.text("named_pages").json([list(n) for n in self.named_pages])
        return hasher.hexdigest()


@dataclass(frozen=True, slots=True)
class PieceLayout:
    """What a worker hands back: the piece's PDF and where things fell on its pages."""

    pdf: bytes
    page_names: tuple[str, ...]
    """The @page name of each page ("" for none), for the folio document."""
    anchors: dict[str, int] = field(default_factory=dict)
    """Each anchor (id) of the piece, by the 0-based page of the piece it is on first."""
    starts: tuple[Any, ...] = ()
    """pagelist.PageStart of each page, numbered from 1 within the piece, sections numbered in the book."""
    foreign: tuple[str, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    """What WeasyPrint reported laying the piece out and writing it (A301, engine_log), said by the build."""

    @property
    def page_count(self) -> int:
        return len(self.page_names)


@dataclass(frozen=True, slots=True)
class PageRules:
    """What the book's stylesheets say about pages, read once (tinycss2, WeasyPrint's CSS parser)."""

    counter_boxes: tuple[tuple[str, str], ...]
    """(page selector, margin box) pairs whose content shows a page number."""
    other_boxes: tuple[tuple[str, str], ...]
    """The other margin boxes."""
    targets: tuple[tuple[str, str], ...]
    """(selector, content with target-counter(attr(href), page[, style]) as counter(pubpipe-page[, style]))."""
    strings: tuple[tuple[str, str], ...] = ()
    """(selector, name) of each `string-set: name content(…)`: a chapter piece starts with the value the
    front matter left (the book's title in the running head)."""
    named_pages: tuple[tuple[str, str], ...] = ()
    """(selector, page name) of each `page: NAME` declaration, in cascade order (print.css: `.titlepage
    { page: title }`): the folio document gives each page the name its page has."""
    obstacle: str = ""
    """Why the book cannot be laid out chapter by chapter, if it cannot (empty: it can)."""


def page_rules(css_texts: Sequence[str]) -> PageRules:
    """Read the @page rules and target-counter() uses of the stylesheets (in cascade order)."""
    import tinycss2

    counter: list[tuple[str, str]] = []
    other: list[tuple[str, str]] = []
    targets: list[tuple[str, str]] = []
    strings: list[tuple[str, str]] = []
    named: list[tuple[str, str]] = []
    obstacle = ""
    for text in css_texts:
        for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
            if rule.type == "at-rule" and rule.lower_at_keyword == "page" and rule.content is not None:
                prelude = tinycss2.serialize(rule.prelude).strip()
                if re.search(r":(left|right|first|blank|nth|recto|verso)", prelude):
                    obstacle = obstacle or f"@page {prelude} depends on where a page falls in the whole book"
                for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
                    if item.type == "at-rule" and item.content is not None and item.lower_at_keyword != "footnote":
                        box = (prelude, item.lower_at_keyword)
                        content = tinycss2.serialize(item.content)
                        (counter if COUNTER.search(content) else other).append(box)
                        if COUNTER.search(content) and re.search(r"\b(string|element|content)\(", content):
                            # The folio document that draws the page numbers has no text to take a string from.
                            page = f"@page {prelude}".strip()
                            obstacle = obstacle or (f"the margin box @{item.lower_at_keyword} of {page} "
                                                    "shows a page number and a running string together")
            elif rule.type == "qualified-rule":
                body = tinycss2.serialize(rule.content)
                if re.search(r"break-(before|after)\s*:\s*(left|right|recto|verso)", body):
                    obstacle = obstacle or "a rule breaks to a left or right page"
                if "target-text" in body or ("target-counter" in body and not TARGET.search(body)):
                    obstacle = obstacle or "a target-counter() or target-text() other than the page of a link"
                for declaration in tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                                  skip_whitespace=True):
                    if declaration.type != "declaration":
                        continue
                    if declaration.lower_name == "page":
                        value = tinycss2.serialize(declaration.value).strip()
                        if re.fullmatch(r"-?[_a-zA-Z][\w-]*", value):
                            named.append((tinycss2.serialize(rule.prelude).strip(), value))
                    if declaration.lower_name == "string-set":
                        value = tinycss2.serialize(declaration.value).strip()
                        found = re.fullmatch(r"([\w-]+)\s+content\([^)]*\)", value)
                        if found:
                            strings.append((tinycss2.serialize(rule.prelude).strip(), found.group(1)))
                    if TARGET.search(tinycss2.serialize(declaration.value)):
                        value = page_counter(tinycss2.serialize(declaration.value))
                        targets.append((tinycss2.serialize(rule.prelude).strip(), value))
    counter_set = set(counter)
    return PageRules(tuple(dict.fromkeys(counter)), tuple(b for b in dict.fromkeys(other) if b not in counter_set),
                     tuple(targets), tuple(strings), tuple(named), obstacle)


def _none(boxes: Sequence[tuple[str, str]]) -> str:
    return "".join(f"@page {prelude} {{ @{box} {{ content: none; }} }}\n" for prelude, box in boxes)


def _with_page(selector: str) -> str:
    """*selector* narrowed to the links that carry a page number from another piece (a link inside the
    piece keeps its own target-counter())."""
    parts = []
    for part in selector.split(","):
        part = part.strip()
        pseudo = re.search(r"::?(before|after|marker)\s*$", part)
        at = pseudo.start() if pseudo else len(part)
        parts.append(f"{part[:at]}[{PAGE_ATTRIBUTE}]{part[at:]}")
    return ", ".join(parts)


def piece_override(rules: PageRules, keep: str, footnotes_before: int) -> str:
    """The CSS a piece is laid out with after the book's own (see PieceTask.override)."""
    if keep == "folio":
        return _none(rules.other_boxes) + "html, body { margin: 0; padding: 0; }\n"
    css = _none(rules.counter_boxes)
    css += "".join(f"{_with_page(selector)} {{ content: {value}; }}\n" for selector, value in rules.targets)
    if footnotes_before:
        css += f"html {{ counter-reset: footnote {footnotes_before}; }}\n"
    return css


def chapter_groups(edition: Edition) -> list[list[int]]:
    """The sections of the edition grouped by chapter file: a group starts where a new file's text begins."""
    groups: list[list[int]] = []
    previous: Path | None = None
    for index, section in enumerate(edition.sections):
        path = section.source.path
        if not groups or (path != previous and index > 0):
            groups.append([])
        groups[-1].append(index)
        previous = path
    return groups


def file_starts(edition: Edition) -> frozenset[str]:
    """Ids of the sections that begin a chapter file (after the first): they start on a new page."""
    return frozenset(edition.sections[group[0]].id for group in chapter_groups(edition)[1:])


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split())


def prune(root: Any, keep: str) -> None:
    """Keep in the parsed book only what the piece lays out: the front matter, or the main text."""
    body = next((e for e in root if _local(e.tag) == "body"), None)
    if body is None:
        return
    if keep == "folio":
        return
    for element in list(body):
        is_main = _local(element.tag) == "main" or any(_local(e.tag) == "main" for e in element.iter())
        if (keep == "front") == is_main:
            body.remove(element)


def carried_strings(root: Any, strings: Sequence[tuple[str, str]]) -> str:
    """CSS setting, at a chapter's start, the named strings the front matter sets from its text (the last
    value each takes there), as a single layout would carry them over to the chapter's pages."""
    import cssselect2

    body = next((e for e in root if _local(e.tag) == "body"), None)
    if body is None or not strings:
        return ""
    front = {id(e) for child in body if not any(_local(x.tag) == "main" for x in child.iter()) for e in child.iter()}
    wrapper = cssselect2.ElementWrapper.from_html_root(root)
    values: dict[str, str] = {}
    own: set[str] = set()
    for selector, name in strings:
        try:
            compiled = cssselect2.compile_selector_list(selector)
        except cssselect2.SelectorError:
            continue
        for element in wrapper.iter_subtree():
            if any(s.test(element) for s in compiled):
                if id(element.etree_element) in front:
                    values[name] = "".join(element.etree_element.itertext()).strip()
                else:
                    own.add(name)
    # A string the chapter sets itself (the section title at its top) is not carried in: setting it on
    # the root would make it the page's first value, before the chapter's own.
    values = {name: value for name, value in values.items() if name not in own}
    quoted = {name: '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'
              for name, value in values.items()}
    return f"html {{ string-set: {', '.join(f'{n} {v}' for n, v in quoted.items())}; }}\n" if quoted else ""


def lay_out_piece(task: PieceTask) -> PieceLayout:
    """Lay out one piece with WeasyPrint and write its PDF (runs in a worker; everything it needs is in task).

    What WeasyPrint reports (a stylesheet's unknown property, an image it cannot load) travels back in
    PieceLayout.warnings, as A301 warnings at the stylesheet's place (render/engine_log.py).
    """
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle
    from weasyprint.text.fonts import FontConfiguration

    from ..report import Reporter
    from .pdf import add_page_labels, relative_file_links, safe_fetcher
    from .render.engine_log import engine_warnings
    from .render.pagelist import PageStart, anchor_blocks, forget_added, page_starts
    from .render.pagenames import named_page_anchors, page_names

    fonts = FontConfiguration()
    counters = CounterStyle()
    fetcher = safe_fetcher(tuple(Path(root) for root in task.roots), task.allow_remote)
    reporter = Reporter()
    with engine_warnings(reporter) as engine:
        sheets = []
        for sheet in task.sheets:
            if sheet.path:
                with engine.reading(Path(sheet.path)):  # WeasyPrint's messages give line:column, not the file
                    sheets.append(CSS(filename=sheet.path, font_config=fonts, counter_style=counters,
                                      url_fetcher=fetcher))
            else:
                sheets.append(CSS(string=sheet.text, base_url=sheet.base_url or None, font_config=fonts,
                                  counter_style=counters, url_fetcher=fetcher))
        sheets.append(CSS(string=task.override, font_config=fonts, counter_style=counters))
        html = HTML(string=task.html, base_url=task.base_url, url_fetcher=fetcher)
        root = html.etree_element
        if task.keep == "chapter":
            carried = carried_strings(root, task.strings)
            if carried:
                sheets.append(CSS(string=carried, font_config=fonts, counter_style=counters))
        prune(root, task.keep)
        numbers = dict(task.pages)
        if numbers:
            for element in root.iter():
                href = element.get("href") or ""
                if _local(element.tag) == "a" and href.startswith("#") and href[1:] in numbers:
                    element.set(PAGE_ATTRIBUTE, numbers[href[1:]])
                    reset = f"counter-reset: {PAGE_COUNTER} {int(numbers[href[1:]])}"
                    element.set("style", f"{element.get('style')}; {reset}" if element.get("style") else reset)
        anchors = anchor_blocks(root) if task.keep != "folio" else None
        named, added = named_page_anchors(root, task.named_pages)
        document = html.render(stylesheets=sheets, font_config=fonts, counter_style=counters, pdf_tags=True)
        names = page_names(document, named)
        for page in document.pages:
            for name in added & page.anchors.keys():
                del page.anchors[name]
        starts: list[PageStart] = []
        if anchors is not None:
            starts = [PageStart(s.number, s.front, s.section + task.first_section if s.section >= 0 else -1, s.block,
                                s.inside) for s in page_starts(document, anchors)]
            forget_added(document, anchors)
        first_page: dict[str, int] = {}
        for index, page in enumerate(document.pages):
            for name in page.anchors:
                first_page.setdefault(name, index)
        wanted = {link[1] for page in document.pages for link in page.links if link[0] == "internal"}
        foreign = tuple(sorted(name for name in wanted if name not in first_page))
        if document.pages:
            # Anchors held by other pieces: kept here as stand-ins so WeasyPrint keeps the links
            # (as named destinations); the join points the names at the real places.
            for name in foreign:
                document.pages[0].anchors[name] = (0, 0, 0, 0)
        links = relative_file_links(Path(task.link_base)) if task.link_base else None

        def finish(document: Any, pdf: Any) -> None:
            add_page_labels(document, pdf)
            if links is not None:
                links(document, pdf)

        data = document.write_pdf(pdf_tags=True, finisher=finish, pdf_identifier=task.identifier or None)
    # A link to another piece has no target here until the page numbers are known (the first round):
    # WeasyPrint's "target points to undefined anchor" is then the piecewise layout's, not the book's
    # (a link to no heading at all is P020, said while reading).
    said = tuple(d for d in reporter.diagnostics if "target points to undefined anchor" not in d.message)
    return PieceLayout(data, names, first_page, tuple(starts), foreign, said)


def folio_html(lang: str, direction: str, names: Sequence[str]) -> str:
    """A document of empty pages, one per page of the book, each with the @page name the book's page has."""
    pages = "".join(f'<div style="page: {name or "auto"};{" break-before: page;" if i else ""}"></div>'
                    for i, name in enumerate(names))
    return f'<!DOCTYPE html><html lang="{lang}" dir="{direction}"><head><meta charset="utf-8"></head><body>{pages}</body></html>'
