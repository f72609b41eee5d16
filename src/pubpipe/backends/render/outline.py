"""The e-book's contents, nested as the PDF's outline: each section with the headings inside it."""

from __future__ import annotations

from dataclasses import dataclass, field

HEADINGS = ("h2", "h3", "h4", "h5", "h6")


@dataclass(slots=True)
class Entry:
    """One line of the contents: a link, its title and the entries under it."""

    href: str
    """Relative to the navigation document, e.g. "text/chapter-001.xhtml#method"."""
    title: str
    """Plain text: a heading's note calls are left out (they are not part of its title)."""
    children: list[Entry] = field(default_factory=list)


def subheadings(body_html: str) -> list[tuple[int, str, str]]:
    """(level, id, title) of every h2–h6 with an id in a section's body, in reading order.

    Level 2 is the highest: the section's own heading is its h1. Headings without an id (raw HTML
    the author left unnamed) cannot be linked to and are left out. A callout's title is no heading
    (transforms/callouts.py), so it is not listed, as the PDF's outline does not list it."""
    import lxml.html

    if not body_html.strip():
        return []
    root = lxml.html.fragment_fromstring(body_html, create_parent="div")
    found = []
    for heading in root.iter(*HEADINGS):
        ident = heading.get("id")
        if not ident:
            continue
        for call in heading.xpath(".//a[@role='doc-noteref' or contains(concat(' ', @class, ' '), ' noteref ')]"):
            call.drop_tree()  # keeps the text after the call
        title = " ".join(heading.text_content().split())
        if title:
            found.append((int(heading.tag[1]), ident, title))
    return found


def section_entry(href: str, title: str, file: str, headings: list[tuple[int, str, str]]) -> Entry:
    """A section's entry with its headings nested by level under it (a level skipped nests under the
    nearest higher heading, as a PDF outline does)."""
    entry = Entry(href, title)
    open_entries: list[tuple[int, Entry]] = [(1, entry)]
    for level, ident, heading_title in headings:
        while open_entries[-1][0] >= level:
            open_entries.pop()
        child = Entry(f"{file}#{ident}", heading_title)
        open_entries[-1][1].children.append(child)
        open_entries.append((level, child))
    return entry


def ebooklib_toc(entries: list[Entry], epub: object) -> list[object]:
    """The entries as ebooklib's `book.toc` (Links, or (Link, children) pairs for the NCX), with unique uids."""
    counter = iter(range(1, 1_000_000))

    def convert(entry: Entry) -> object:
        link = epub.Link(entry.href, entry.title, f"toc-{next(counter)}")  # type: ignore[attr-defined]
        return (link, [convert(child) for child in entry.children]) if entry.children else link

    return [convert(entry) for entry in entries]
