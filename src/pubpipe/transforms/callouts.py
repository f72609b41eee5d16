"""Callouts: Quarto's `::: {.callout-note}` and GitHub's `> [!NOTE]` become one titled, styled box.

Every callout comes out as

    Div #id .callout .callout-KIND role=note
      Div .callout-title   (the title: the `title` attribute, else the callout's first heading,
                            else the kind's name in the edition's language)
      …the body

The callout's own heading becomes its title and stops being a heading, so it never shows in the
contents, the PDF outline or the EPUB navigation.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..model import Edition, Node, ast

if TYPE_CHECKING:
    from . import TransformContext

KINDS = ("note", "tip", "warning", "important", "caution")


def _kind(div: Node) -> str | None:
    """The callout kind of a Div (Quarto's class, or the Div pandoc makes of a GitHub alert), else None."""
    classes = div["c"][0][1]
    for name in classes:
        if name.startswith("callout-") and name[len("callout-"):] in KINDS:
            return name[len("callout-"):]
    body = div["c"][1]
    if (len(classes) == 1 and classes[0] in KINDS and body and body[0]["t"] == "Div"
            and body[0]["c"][0][1] == ["title"]):
        return str(classes[0])
    return None


def _callout(div: Node, kind: str, default_title: str) -> Node:
    """The one callout structure for *div*."""
    ident, classes, pairs = div["c"][0]
    body = list(div["c"][1])
    title_id = ""
    title: list[Node] = [{"t": "Str", "c": default_title}]
    given = dict(pairs).get("title")
    if classes == [kind] and body and body[0]["t"] == "Div" and body[0]["c"][0][1] == ["title"]:
        body = body[1:]  # GitHub alert: pandoc's English title, replaced by the language's
    if given:
        title = [{"t": "Str", "c": given}]
    elif body and body[0]["t"] == "Header":
        heading = body.pop(0)
        title_id, title = heading["c"][1][0], heading["c"][2]
    kept = [name for name in classes if name not in (kind, f"callout-{kind}", "callout")]
    attrs = [[key, value] for key, value in pairs if key not in ("title", "role")] + [["role", "note"]]
    heading_div = {"t": "Div", "c": [[title_id, ["callout-title"], []], [{"t": "Plain", "c": title}]]}
    result = {"t": "Div", "c": [[ident, ["callout", f"callout-{kind}", *kept], attrs], [heading_div, *body]]}
    if "pos" in div:
        result["pos"] = div["pos"]
        heading_div["pos"] = div["pos"]
    return result


def callout_blocks(blocks: list[Any], titles: dict[str, str]) -> list[Any]:
    """*blocks* with every callout (at any depth) in the one structure; changed in place."""
    def walk(value: Any) -> Any:
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict) and "t" in value:
            if "c" in value:
                value["c"] = walk(value["c"])
            if value["t"] == "Div":
                kind = _kind(value)
                if kind is not None:
                    return _callout(value, kind, titles[kind])
        return value

    result: list[Any] = walk(blocks)
    return result


def callouts(edition: Edition, context: TransformContext | None = None) -> Edition:
    """The edition with its callouts titled in its language (catalogue keys callout_note, …)."""
    from ..i18n import catalogue

    if not any(_kind(div) for section in edition.sections for div in ast.find(list(section.blocks), "Div")):
        return edition
    t = catalogue(edition.lang)
    titles = {kind: t(f"callout_{kind}") for kind in KINDS}
    sections = []
    for section in edition.sections:
        blocks = tuple(callout_blocks(ast.copy_tree(list(section.blocks)), titles))
        sections.append(replace(section, blocks=blocks))
    return replace(edition, sections=tuple(sections))
