"""The @page name of each page of a WeasyPrint layout, read through its public Page API (Page.anchors)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def named_page_anchors(root: Any, named: Sequence[tuple[str, str]]) -> tuple[list[tuple[str, str]], set[str]]:
    """The elements of the parsed document that start a named page, in document order, each by an anchor.

    *named*: PageRules.named_pages. An element's page name is that of the most specific matching
    rule (the later one among equals), or of its own `style="page: …"`; `auto` names none. Each such
    element is known by its id, or by one added here (`pubpipe-page-N`). Returns the (anchor, page
    name) pairs and the anchors added (to be taken out of the pages before the PDF is written).
    """
    import cssselect2
    import tinycss2

    rules = []
    for order, (selector, name) in enumerate(named):
        try:
            compiled = cssselect2.compile_selector_list(selector)
        except cssselect2.SelectorError:
            continue
        rules += [(item, order, name) for item in compiled if item.pseudo_element is None]
    taken = {element.get("id") for element in root.iter() if element.get("id")}
    found: list[tuple[str, str]] = []
    added: set[str] = set()
    for element in cssselect2.ElementWrapper.from_html_root(root).iter_subtree():
        matched = [(item.specificity, order, name) for item, order, name in rules if item.test(element)]
        name = max(matched)[2] if matched else ""
        inline = element.etree_element.get("style")
        if inline and "page" in inline:
            for declaration in tinycss2.parse_blocks_contents(inline, skip_comments=True, skip_whitespace=True):
                if declaration.type == "declaration" and declaration.lower_name == "page":
                    name = tinycss2.serialize(declaration.value).strip()
        if not name or name == "auto":
            continue
        anchor = element.etree_element.get("id")
        if not anchor:
            anchor = f"pubpipe-page-{len(added)}"
            while anchor in taken:
                anchor += "-"
            element.etree_element.set("id", anchor)
            taken.add(anchor)
            added.add(anchor)
        found.append((anchor, name))
    return found, added


def page_names(document: Any, named: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """The @page name of each page of a rendered Document ("" for none), from the public `Page.anchors`.

    *named*: named_page_anchors()'s pairs. A page takes the name of the innermost named element on it
    (the last in document order: an element's anchor is on every page a box of it is on), as CSS
    gives a page the name of the element it starts with (css-page-3, "Using named pages").
    """
    names = []
    for page in document.pages:
        name = ""
        for anchor, page_name in named:
            if anchor in page.anchors:
                name = page_name
        names.append(name)
    return tuple(names)
