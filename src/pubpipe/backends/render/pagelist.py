"""Where the PDF edition's pages begin, read from WeasyPrint's layout, and the EPUB markers for them.

How: before the layout, every block a page can begin at gets an anchor (its `id`, or a new one,
`pubpipe-block-…`); after it, WeasyPrint's public `Page.anchors` says which anchors each page
holds. The added anchors are then taken out of the pages again, so the PDF has no destinations
that its HTML did not name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lxml import etree

# Elements a page can begin at. Rows and cells are left out: tables do not break across pages.
BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "figure",
                    "ul", "ol", "dl", "dt", "dd", "hr"})
# A marker must stay inside these (a <span> cannot be a child of a list or of a definition list).
INSIDE = frozenset({"li", "dt", "dd"})
CONTAINERS = frozenset({"ul", "ol", "dl", "blockquote", "figure"})
XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"


@dataclass(frozen=True, slots=True)
class PageStart:
    """Where one page of the PDF begins, in terms the EPUB shares: a section and a block within it."""

    number: int
    """The page number (1-based), as printed in the PDF's footer and its page labels."""
    front: str = ""
    """For a page before the text: `titlepage` or `toc`; empty for a page of the text."""
    section: int = -1
    """Index of the Edition's section the page begins in."""
    block: int = -1
    """Index, in document order, of the block (see BLOCKS) of that section the page begins at."""
    inside: bool = False
    """True when the page begins in the middle of that block (the page starts no block of its own)."""

    def to_json(self) -> dict[str, Any]:
        """The fields by name, as Backend.page_starts() hands them over (the inverse of from_json)."""
        return {"number": self.number, "front": self.front, "section": self.section, "block": self.block,
                "inside": self.inside}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PageStart:
        """A PageStart from to_json()'s value. Raises KeyError or TypeError for another shape."""
        return cls(int(data["number"]), str(data["front"]), int(data["section"]), int(data["block"]),
                   bool(data["inside"]))


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split())


def blocks(section: Any) -> list[Any]:
    """The block elements of a section in document order, leaving out footnote bodies."""
    found: list[Any] = []

    def walk(element: Any) -> None:
        for child in element:
            name = _local(child.tag)
            if "footnote" in _classes(child) or child.get(f"{{{OPS}}}type") in ("footnote", "footnotes"):
                continue  # PDF notes float to the foot of the page; the EPUB keeps them apart
            if name in BLOCKS:
                found.append(child)
            walk(child)

    walk(section)
    return found


ANCHOR_PREFIX = "pubpipe-block-"
"""The anchors added for the page list (removed from the layout before the PDF is written)."""


@dataclass(frozen=True, slots=True)
class BlockAnchors:
    """The blocks of a print document that a page can begin at, by the anchor WeasyPrint reports them by."""

    blocks: tuple[tuple[int, int, str, bool], ...]
    """(section index, block index, anchor name, is a container such as a list), in document order."""
    titlepage: str | None
    """The anchor of the title page's element, if the document has one."""
    added: frozenset[str]
    """The anchors added here (the others are ids the document has anyway, which links may use)."""


@dataclass(frozen=True, slots=True)
class PrintLayout:
    """An edition laid out for print: WeasyPrint's Document and where its pages begin."""

    document: Any
    """The weasyprint.Document (its pages carry no anchors added for the page list); None when the book
    was laid out chapter by chapter (backends/pdf_parallel.py: then `joined` holds its PDF)."""
    starts: tuple[PageStart, ...]
    """Where each page begins, in page order (page_starts)."""
    joined: bytes | None = None
    """The PDF of a book laid out chapter by chapter and joined."""
    pieces: tuple[int, int] = (0, 0)
    """For a book laid out chapter by chapter: (pieces laid out by this build, pieces taken from the cache)."""


def anchor_blocks(root: Any) -> BlockAnchors:
    """Give each block of the print document's sections (and its title page) an anchor, in place.

    *root*: the `<html>` element of the document WeasyPrint is about to lay out (`HTML.etree_element`,
    from tinyhtml5, the parser WeasyPrint uses, so the blocks counted are those it lays out). A block
    with an id keeps it; the others get `id="pubpipe-block-<section>-<block>"`.
    """
    taken = {element.get("id") for element in root.iter() if element.get("id")}
    added: set[str] = set()

    def name_of(element: Any, wanted: str) -> str:
        name = element.get("id")
        if name:
            return str(name)
        while wanted in taken:
            wanted += "-"
        element.set("id", wanted)
        taken.add(wanted)
        added.add(wanted)
        return wanted

    body = next((e for e in root if _local(e.tag) == "body"), None)
    if body is None:
        return BlockAnchors((), None, frozenset())
    main = next((e for e in body.iter() if _local(e.tag) == "main"), None)
    sections = [e for e in main if _local(e.tag) == "section"] if main is not None else []
    found = tuple((s, b, name_of(element, f"{ANCHOR_PREFIX}{s}-{b}"), _local(element.tag) in CONTAINERS)
                  for s, section in enumerate(sections) for b, element in enumerate(blocks(section)))
    titlepage = next((e for e in body if "titlepage" in _classes(e)), None)
    title = name_of(titlepage, f"{ANCHOR_PREFIX}titlepage") if titlepage is not None else None
    return BlockAnchors(found, title, frozenset(added))


def page_starts(document: Any, anchors: BlockAnchors) -> list[PageStart]:
    """Where each page of a rendered WeasyPrint Document begins, from the anchors on its pages.

    *anchors*: what anchor_blocks() gave the document's tree before it was laid out. A block split
    over two pages has its anchor on both (WeasyPrint records an anchor on every page a box of it is on).
    """
    first_page: dict[str, int] = {}
    shown: list[set[str]] = []
    for number, page in enumerate(document.pages, start=1):
        on_page = set(page.anchors)
        for name in on_page:
            first_page.setdefault(name, number)
        shown.append(on_page)
    if not anchors.blocks and anchors.titlepage is None:
        return []
    starts: list[PageStart] = []
    for number, on_page in enumerate(shown, start=1):
        # The first block of the text on this page; a list or quotation carried over from the page
        # before is only a frame: what counts is the first of its children on this page.
        first = next(((s, b, name) for s, b, name, container in anchors.blocks if name in on_page
                      and not (container and first_page[name] < number)), None)
        if first is None and any(not start.front for start in starts):
            # A page after the text began with no block of its own (only notes carried over, say):
            # it belongs at the end of the last block seen.
            s, b, _, _ = [entry for entry in anchors.blocks if first_page.get(entry[2], number) < number][-1]
            starts.append(PageStart(number, section=s, block=b, inside=True))
        elif first is None:
            on_title = anchors.titlepage is not None and first_page.get(anchors.titlepage) == number
            starts.append(PageStart(number, front="titlepage" if on_title else "toc"))
        else:
            s, b, name = first
            # Begun on an earlier page: the page opens inside it, and its end is on this page.
            starts.append(PageStart(number, section=s, block=b, inside=first_page[name] < number))
    return starts


def forget_added(document: Any, anchors: BlockAnchors) -> None:
    """Take the anchors anchor_blocks() added out of every page (`Page.anchors`), before the PDF is written."""
    for page in document.pages:
        for name in anchors.added & page.anchors.keys():
            del page.anchors[name]


def marker(number: int) -> Any:
    """`<span epub:type="pagebreak" role="doc-pagebreak" id="page-N" aria-label="N"/>`."""
    span = etree.Element(f"{{{XHTML}}}span", nsmap={None: XHTML, "epub": OPS})
    span.set(f"{{{OPS}}}type", "pagebreak")
    span.set("role", "doc-pagebreak")
    span.set("id", f"page-{number}")
    span.set("aria-label", str(number))
    return span


def _prepend(parent: Any, span: Any) -> None:
    span.tail = parent.text
    parent.text = None
    parent.insert(0, span)


def mark_document(xhtml: str, starts: list[PageStart], container: str) -> str:
    """Insert the markers of *starts* into one XHTML document.

    *container* is an XPath (XHTML namespace as `x`) to the element whose blocks count: the chapter's
    section for text pages; the front pages are marked as the first child of that element.
    """
    if not starts:
        return xhtml
    tree = etree.fromstring(xhtml.encode("utf-8"))
    found = tree.xpath(container, namespaces={"x": XHTML, "epub": OPS})
    if not found:
        return xhtml
    section = found[0]
    elements = blocks(section)
    # Later markers first, so earlier insertions do not move the blocks still to be marked.
    for start in sorted(starts, key=lambda s: s.number, reverse=True):
        span = marker(start.number)
        if start.front or not elements:
            _prepend(section, span)
            continue
        element = elements[min(start.block, len(elements) - 1)]
        if start.inside:
            if _local(element.tag) in ("ul", "ol", "dl", "table"):
                element.addnext(span)  # a span cannot sit among rows or items
            else:
                element.append(span)
        elif _local(element.tag) in INSIDE:
            _prepend(element, span)
        else:
            element.addprevious(span)
    head = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
    return head + etree.tostring(tree, encoding="unicode") + "\n"
