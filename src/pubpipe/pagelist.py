"""Where the PDF edition's pages begin, read from WeasyPrint's layout, and the EPUB markers for them."""

from __future__ import annotations

from collections.abc import Iterator
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


def _boxes(page: Any) -> Iterator[Any]:
    yield from page._page_box.descendants()


def page_starts(document: Any) -> list[PageStart]:
    """Read a rendered WeasyPrint Document of the pdf backend's book.html: where each page begins."""
    first_page: dict[int, int] = {}
    shown: list[set[int]] = []
    root = None
    for number, page in enumerate(document.pages, start=1):
        on_page: set[int] = set()
        for box in _boxes(page):
            element = box.element
            if element is None:
                continue
            if root is None and _local(box.element_tag) == "html":
                root = element
            first_page.setdefault(id(element), number)
            on_page.add(id(element))
        shown.append(on_page)
    if root is None:
        return []
    body = next(e for e in root if _local(e.tag) == "body")
    main = next((e for e in body.iter() if _local(e.tag) == "main"), None)
    sections = [e for e in main if _local(e.tag) == "section"] if main is not None else []
    ordered = [(s, b, element) for s, section in enumerate(sections) for b, element in enumerate(blocks(section))]
    titlepage = next((e for e in body if "titlepage" in _classes(e)), None)
    starts: list[PageStart] = []
    for number, on_page in enumerate(shown, start=1):
        # The first block of the text on this page; a list or quotation carried over from the page
        # before is only a frame: what counts is the first of its children on this page.
        first = next(((s, b, e) for s, b, e in ordered if id(e) in on_page
                      and not (_local(e.tag) in CONTAINERS and first_page[id(e)] < number)), None)
        if first is None and any(not start.front for start in starts):
            # A page after the text began with no block of its own (only notes carried over, say):
            # it belongs at the end of the last block seen.
            s, b, _ = [entry for entry in ordered if first_page.get(id(entry[2]), number) < number][-1]
            starts.append(PageStart(number, section=s, block=b, inside=True))
        elif first is None:
            on_title = titlepage is not None and first_page.get(id(titlepage)) == number
            starts.append(PageStart(number, front="titlepage" if on_title else "toc"))
        else:
            s, b, element = first
            # Begun on an earlier page: the page opens inside it, and its end is on this page.
            starts.append(PageStart(number, section=s, block=b, inside=first_page[id(element)] < number))
    return starts


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
