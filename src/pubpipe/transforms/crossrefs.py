"""Cross-references in Quarto's syntax: `@fig-x`, `@tbl-x`, `@eq-x`, `@sec-x` become numbered links.

Figures (`{#fig-…}`), tables (`{#tbl-…}`) and equations (`{#eq-…}`) are numbered in reading order
through the whole edition, each kind on its own; captions get "Figure 1: " before them and
equations "(1)" beside them, in the edition's language (catalogues: figure, table, equation).
A reference to a section (`{#sec-…}` on a heading) is written as the section's title, since
pubpipe does not number sections. A capital first letter (`@Fig-x`) capitalises the word.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..errors import SourceRef
from ..model import Edition, Node, Section, ast
from .citations import CROSSREF

if TYPE_CHECKING:
    from . import TransformContext

KINDS = {"fig": "figure", "tbl": "table", "eq": "equation", "sec": "section"}
NUMBERED = frozenset({"Cite", "Figure", "Table", "Div"})
"""The nodes number_crossrefs may change: references, and labelled figures, tables and equations."""


@dataclass(frozen=True, slots=True)
class Target:
    """Something a cross-reference can point at."""

    kind: str
    """figure, table, equation or section."""
    number: int
    """Its number among the others of its kind (1-based)."""
    title: str
    """For a section, its heading's text."""


def _targets(edition: Edition) -> dict[str, Target]:
    """Every labelled figure, table, equation and section, numbered in reading order."""
    found: dict[str, Target] = {}
    counts = dict.fromkeys(KINDS.values(), 0)
    for section in edition.sections:
        blocks = ([section.heading] if section.heading else []) + list(section.blocks)
        for node in ast.children(blocks):
            attr = ast.attr_of(node)
            if not attr or not attr[0] or attr[0] in found:
                continue
            prefix = attr[0].split("-", 1)[0]
            kind = KINDS.get(prefix) if "-" in attr[0] else None
            expected = {"figure": "Figure", "table": "Table", "equation": "Div", "section": "Header"}
            if kind is None or node["t"] != expected[kind]:
                continue
            if kind == "equation" and "equation" not in attr[1]:
                continue
            counts[kind] += 1
            title = ast.plain_text(node["c"][2]) if kind == "section" else ""
            found[attr[0]] = Target(kind, counts[kind], title)
    return found


def _word(target: Target, strings: dict[str, str], capital: bool) -> str:
    """How a reference to *target* reads, e.g. "Figure 1" (a section: its title)."""
    if target.kind == "section":
        text = target.title
    else:
        text = strings[target.kind].format(n=target.number)
    return text[:1].upper() + text[1:] if capital else text


def number_crossrefs(edition: Edition, context: TransformContext) -> Edition:
    """Number captions and equations, and turn cross-reference Cites into links; a reference to a label
    that does not exist is an error (X105) at the reference, reported to the context (and written `??`)."""
    from ..i18n import catalogue
    from ..reading.positions import locate

    targets = _targets(edition)
    places: dict[int, SourceRef | None] = {}
    t = catalogue(edition.lang)
    strings = {kind: t(kind) for kind in ("figure", "table", "equation")}
    captions = {"figure": t("figure_caption"), "table": t("table_caption")}

    def link(citation: dict[str, object], cite: Node) -> list[Node]:
        key = str(citation["citationId"])
        lookup = key[:1].lower() + key[1:]
        target = targets.get(lookup)
        if target is None:
            where = locate(places.get(id(cite)), "@" + key)
            kind = KINDS.get(lookup.split("-", 1)[0], "label")
            known = sorted(k for k, v in targets.items() if v.kind == kind)
            hint = f"known {kind} labels: {', '.join(known[:8])}" if known else \
                f"label the {kind} with {{#{lookup}}}"
            context.reporter.error("X105", f"reference to '@{key}', but no {kind} has the label '{lookup}'",
                                   where, hint)
            return [{"t": "Strong", "c": [{"t": "Str", "c": f"??{key}"}]}]
        if citation["citationMode"] == {"t": "SuppressAuthor"} and target.kind != "section":
            text = str(target.number)
        else:
            text = _word(target, strings, key[:1].isupper())
        inlines: list[Node] = list(citation["citationPrefix"])  # type: ignore[call-overload]
        if inlines:
            inlines.append({"t": "Space"})
        inlines.append({"t": "Link", "c": [["", ["crossref"], []], [{"t": "Str", "c": text}], ["#" + lookup, ""]]})
        suffix: list[Node] = list(citation["citationSuffix"])  # type: ignore[call-overload]
        if suffix and suffix[0]["t"] == "Str" and suffix[0]["c"][:1].isalnum():
            inlines.append({"t": "Space"})
        return inlines + suffix

    def fix(node: Node) -> Node | list[Node] | None:
        tag = node["t"]
        if tag == "Cite" and all(CROSSREF.match(c["citationId"]) for c in node["c"][0]):
            out: list[Node] = []
            for index, citation in enumerate(node["c"][0]):
                if index:
                    out += [{"t": "Str", "c": ","}, {"t": "Space"}]
                out += link(citation, node)
            return out
        attr = ast.attr_of(node)
        target = targets.get(attr[0]) if attr else None
        if target is None:
            return None
        if tag in ("Figure", "Table") and target.kind in captions:
            label: Node = {"t": "Span", "c": [["", ["caption-label"], []],
                                              [{"t": "Str", "c": captions[target.kind].format(n=target.number)}]]}
            caption = node["c"][1][1]
            if caption and caption[0]["t"] in ("Plain", "Para"):
                caption[0] = {**caption[0], "c": [label, {"t": "Space"}, *caption[0]["c"]]}
            else:  # no caption text: the label alone, without its colon
                label["c"][1][0]["c"] = label["c"][1][0]["c"].rstrip(":.")
                node["c"][1] = [None, [{"t": "Plain", "c": [label]}, *caption]]
        elif tag == "Div" and target.kind == "equation":
            number = {"t": "Span", "c": [["", ["equation-number"], []], [{"t": "Str", "c": f"({target.number})"}]]}
            node["c"][1][-1]["c"].append(number)
        return None

    def touched(section: Section) -> bool:
        """Whether *section* has a reference or a numbered caption or equation (most of a book's have none)."""
        blocks = ([section.heading] if section.heading else []) + list(section.blocks)
        return any(node["t"] == "Cite" or ((attr := ast.attr_of(node)) and attr[0] in targets)
                   for node in ast.find_any(blocks, NUMBERED))

    sections = []
    for section in edition.sections:
        if not touched(section):
            sections.append(section)
            continue
        # One copy, changed in place (the edition passed in stays as it was); places noted on the copy.
        heading, blocks = ast.copy_tree((section.heading, list(section.blocks)))
        _note_places(([heading] if heading else []) + blocks, section.source, places)
        heading = _replace_in(heading, fix) if heading else None
        sections.append(replace(section, heading=heading, blocks=tuple(_replace_in(blocks, fix))))
    return replace(edition, sections=tuple(sections))


def _note_places(blocks: list[Node], first: SourceRef, places: dict[int, SourceRef | None]) -> None:
    """Each Cite's place (by object id): its own, else the nearest block's before it."""
    place: SourceRef | None = first
    for block in blocks:
        for node in (block, *ast.children(block)):
            place = node.get("pos") or place
            if node["t"] == "Cite":
                places[id(node)] = node.get("pos") or place


def _replace_in(value: Any, func: Callable[[Node], Node | list[Node] | None]) -> Any:
    """*value* with nodes replaced by *func* (bottom-up), changing lists in place (no copy)."""
    if isinstance(value, list):
        result: list[Any] = []
        for item in value:
            mapped = _replace_in(item, func)
            if isinstance(item, dict) and isinstance(mapped, list):
                result.extend(mapped)
            else:
                result.append(mapped)
        value[:] = result
        return value
    if isinstance(value, dict) and "t" in value:
        replaced = func(value)  # before its children: a Cite's place is known by its identity
        if replaced is not None:
            return replaced
        if "c" in value:
            value["c"] = _replace_in(value["c"], func)
    return value
