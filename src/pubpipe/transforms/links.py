"""Links: check every internal link lands somewhere, and write it in a form every backend can resolve."""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape as html_escape
from html import unescape as html_unescape
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from ..errors import SourceRef
from ..model import Edition, Node, ast

if TYPE_CHECKING:
    from . import TransformContext

# Canonical internal link forms after this transform:
#   "#id"               an element of this edition (backends map it to a file for the EPUB)
#   "edition:LANG"      another edition of the work (backends map it to that edition's output)
#   "edition:LANG#id"   an element of another edition
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
EDITION = "edition:"
OUTSIDE = "\0outside"  # canonical(): the link leaves the publication
# A folder named like a language tag (de, pt-BR): a link into it is meant for an edition (P023 if none).
LANGUAGE_FOLDER = re.compile(r"^[a-z]{2}(-[A-Za-z0-9]{2,8})*$")
# <a … href="…"> in the author's raw HTML: group 1 is everything up to the value, 3 the value.
RAW_ANCHOR = re.compile(r"""(<a\b[^>]*?\shref\s*=\s*)(["']?)([^"'\s>]*)\2""", re.IGNORECASE)


def _without_href(match: re.Match[str]) -> str:
    """The opening of an <a> tag with its href taken out (an <a> without href is a plain span of text)."""
    return re.sub(r"\s+href\s*=\s*$", "", match.group(1), flags=re.IGNORECASE)


# Web addresses a browser reads leniently but HTML and EPUB validators reject: `https:///host` and
# ASCII characters that are no URL code points (`]` in a fragment, spaces), which browsers percent-
# encode. Letters of other scripts are valid (an IRI) and stay (WHATWG URL, "URL code points").
WEB = re.compile(r"^(https?|ftp):/{3,}", re.IGNORECASE)
NOT_URL = re.compile(r"""[\x00-\x20"<>\[\]\\^`{|}\x7f]|%(?![0-9A-Fa-f]{2})""")


def web_address(url: str) -> str:
    """*url* as a browser reads an http(s) or ftp address: extra slashes after the scheme dropped, and
    ASCII characters URLs cannot hold after the host percent-encoded; other URLs as they are."""
    if not re.match(r"^(https?|ftp):", url, re.IGNORECASE):
        return url
    fixed = WEB.sub(lambda match: match.group(1) + "://", url)
    scheme, _, rest = fixed.partition("://")
    host_end = next((index for index, char in enumerate(rest) if char in "/?#"), len(rest))
    tail = NOT_URL.sub(lambda match: "".join(f"%{byte:02X}" for byte in match.group(0).encode()), rest[host_end:])
    return f"{scheme}://{rest[:host_end]}{tail}"


# Leading characters an id's spelling varies in (`#--check-access`, `#check-access`), left out when comparing.
ID_LEAD = "-_.:#"


def _bare(value: str) -> str:
    return value.lstrip(ID_LEAD).casefold()


def id_places(edition: Edition) -> dict[str, SourceRef]:
    """Every element id of *edition* → where it is: the element's block (an inline id takes its block's
    place), the section's start for an id no block carries."""
    places: dict[str, SourceRef] = {}
    for section in edition.sections:
        for block in ([section.heading] if section.heading else []) + list(section.blocks):
            where = block.get("pos") or section.source
            for value in ast.ids_in([block]):
                places.setdefault(value, where)
            attr = ast.attr_of(block)
            if attr and attr[0]:
                places.setdefault(attr[0], where)
        places.setdefault(section.id, section.source)
    return places


def nearest_ids(anchor: str, known: set[str] | dict[str, SourceRef], limit: int = 3) -> list[str]:
    """Up to *limit* ids of *known* nearest to *anchor*, best first: close by difflib's ratio as written
    or without leading punctuation and case (`#--check-acess`), or held whole in the anchor or holding it
    (`#c配置文件` for `配置文件`, `#check-access-option` for `--check-access`), and about as near as the
    nearest; [] when none is near."""
    from difflib import SequenceMatcher, get_close_matches

    bare: dict[str, str] = {}
    for value in sorted(known):
        bare.setdefault(_bare(value), value)
    wanted = _bare(anchor)
    found = set(get_close_matches(anchor, sorted(known), n=limit, cutoff=0.6))
    found |= {bare[key] for key in get_close_matches(wanted, list(bare), n=limit, cutoff=0.6)}
    if len(wanted) >= 2:
        found |= {value for key, value in bare.items()
                  if key and (key in wanted or wanted in key) and 2 * min(len(key), len(wanted)) >= max(len(key), len(wanted))}

    ratios = {value: SequenceMatcher(None, wanted, _bare(value)).ratio() for value in found}
    best = max(ratios.values(), default=0.0)
    # Another id only when it is about as near as the best: `#check-frst` names #check-first alone.
    return sorted((value for value in found if ratios[value] >= best - 0.1), key=lambda v: (-ratios[v], v))[:limit]


def meant_id(anchor: str, titled: list[str], places: dict[str, SourceRef]) -> str | None:
    """The one id a link to the missing *anchor* plainly means, or None when it is not plain: the heading
    whose title is the link's *text* (`["Использование bat в Windows"](#using-bat-on-windows)`, a
    translation that kept the original's id), else the one near id that holds the anchor whole or is held
    in it (`#c配置文件` for #配置文件, `#check-access-option` for #check-access). A near id that differs in
    a letter or digit (`#part-4` for #part-3) is never taken: that may be another heading.
    *titled*: the ids of the headings whose title is the link's text; *places*: every id's place."""
    if len(titled) == 1:
        return titled[0]
    near = nearest_ids(unquote(anchor), places)
    wanted = _bare(unquote(anchor))
    held = [value for value in near if _bare(value) in wanted or wanted in _bare(value)]
    return held[0] if len(held) == 1 and len(near) == 1 else None


def _title_key(text: str) -> str:
    return " ".join(text.strip(" \t\"'«»„“”‘’`").split()).casefold()


def heading_titles(edition: Edition) -> dict[str, list[str]]:
    """Each heading's title (casefolded, spaces collapsed) → the ids of the headings with that title."""
    titles: dict[str, list[str]] = {}
    for section in edition.sections:
        for block in ast.find([section.heading, *section.blocks] if section.heading else list(section.blocks),
                              "Header"):
            attr = ast.attr_of(block)
            if attr and attr[0]:
                titles.setdefault(_title_key(ast.plain_text(block["c"][2])), []).append(attr[0])
    return titles


def id_place(value: str, places: dict[str, SourceRef], folder: Path) -> str:
    """`#id (file.md:519)`: an id and where its element is (the file relative to the edition's *folder*)."""
    where = places[value]
    try:
        path = where.path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        path = where.path.name
    return f"#{value} ({path}:{where.line})" if where.line else f"#{value} ({path})"


def did_you_mean(anchor: str, places: dict[str, SourceRef], folder: Path) -> str:
    """The hint of a link to a missing *anchor*: `did you mean #id (file.md:519)?` naming the nearest ids and
    where their elements are (the file relative to the edition's *folder*), else how to find an id."""
    found = nearest_ids(anchor, places)
    if not found:
        return "link to a heading's id (the HTML output shows them) or give the heading that id with {#id}"
    return "did you mean " + " or ".join(id_place(value, places, folder) for value in found) + "?"


def _file_sections(edition: Edition) -> dict[Path, str]:
    """Where a link to each source file lands: the id of the file's first block when it is a heading
    (a chapter file may begin with `## …`, e.g. a nested chapter), else of the section it begins in."""
    first: dict[Path, str] = {}
    for section in edition.sections:
        first.setdefault(section.source.path.resolve(), section.id)
        for block in ([section.heading] if section.heading else []) + list(section.blocks):
            where = block.get("pos")
            if where is None:
                continue
            path = where.path.resolve()
            if path not in first:
                attr = ast.attr_of(block)
                first[path] = attr[0] if block["t"] == "Header" and attr and attr[0] else section.id
    return first


def _outside_link(node: Node, target: str, base_url: str | None) -> list[Node]:
    """A link to a file that is not part of the publication: made absolute against *base_url* (the
    author's `source_url`), else kept as its text followed by the address, so the reader still has it."""
    if base_url:
        from urllib.parse import urljoin

        node["c"][2][0] = urljoin(base_url.rstrip("/") + "/", target.lstrip("/"))
        return [node]
    text = ast.plain_text(node["c"][1])
    if text.strip() == target:
        return [{"t": "Code", "c": [["", [], []], target]}]
    return [{"t": "Span", "c": [node["c"][0], node["c"][1]]}, {"t": "Space"},
            {"t": "Str", "c": "("}, {"t": "Code", "c": [["", [], []], target]}, {"t": "Str", "c": ")"}]


def resolve_links(edition: Edition, context: TransformContext) -> Edition:
    """Rewrite links to Markdown files and anchors into canonical forms.

    A link to an anchor that does not exist is an error (P020); a link to a file that is not part of
    the publication is a warning (P021) and is made absolute against `source_url`, or kept as text.
    """
    known: set[str] = set()
    for section in edition.sections:
        known |= section.ids | {section.id}
    first = _file_sections(edition)
    source_root = edition.source_dir.parent.resolve()
    settings = context.settings or {}
    base_url = settings.get("source_url") if hasattr(settings, "get") else None
    reporter = context.reporter
    reported: set[tuple[object, ...]] = set()
    mine: list[tuple[str, ...]] = []
    places: list[dict[str, SourceRef]] = []

    titles: list[dict[str, list[str]]] = []
    files: dict[Path, list[str]] = {}

    def id_places_once() -> dict[str, SourceRef]:
        """Every id's place, looked up only when a link needs it."""
        if not places:
            places.append(id_places(edition))
        return places[0]

    def titled(node: Node) -> list[str]:
        """The ids of the headings whose title is the link's text."""
        if not titles:
            titles.append(heading_titles(edition))
        return titles[0].get(_title_key(ast.plain_text(node["c"][1])), [])

    def missing(node: Node, target: str, anchor: str, where: SourceRef) -> str | None:
        """A link to an *anchor* no element has: to the id it plainly means (P024, a warning), else P020."""
        meant = meant_id(anchor, titled(node), id_places_once())
        if meant is None:
            report(node, "error", "P020", f"link to '{target}', which does not exist", where,
                   did_you_mean(unquote(anchor), id_places_once(), edition.source_dir))
            return None
        report(node, "warn", "P024", f"link to '{target}', which does not exist; it goes to "
               f"{id_place(meant, id_places_once(), edition.source_dir)}, the one it plainly means", where,
               f"write #{meant} in the link")
        return "#" + meant

    def in_file(path: Path, anchor: str) -> str | None:
        """The id *anchor* names in the file *path*: its own, else the one pandoc numbered because an
        earlier file took it (`other.md#introduction` is `#introduction-2` when two files before have one)."""
        if not files:
            for value, place in id_places_once().items():
                files.setdefault(place.path.resolve(), []).append(value)
        ids = files.get(path, [])
        if anchor in ids:
            return anchor
        return next((value for value in ids if re.fullmatch(re.escape(anchor) + r"-\d+", value)), None)

    def headings() -> tuple[str, ...]:
        if not mine:
            from .ids import heading_ids

            mine.append(heading_ids(edition))
        return mine[0]

    def report(node: Node, kind: str, *args: str | SourceRef) -> None:
        # A link is looked at twice (to see whether its section changes, then in a copy): report it once.
        key = (kind, args[1], node.get("pos"))
        if key not in reported:
            reported.add(key)
            getattr(reporter, kind)(*args)

    def canonical(node: Node) -> str | None:
        """The link's canonical target if it must change (OUTSIDE for a link out of the publication)."""
        target: str = node["c"][2][0]
        where: SourceRef = node.get("pos") or SourceRef(edition.sources[0])
        if EXTERNAL.match(target):
            repaired = web_address(target)
            if repaired != target:
                report(node, "warn", "R121", f"'{target}' is not a valid web address; written as '{repaired}', as "
                       "browsers read it", where, "correct the address in the link")
                return repaired
            return None
        if not target:
            return None
        path_part, _, anchor = target.partition("#")
        if not path_part:
            if anchor in known:
                return None
            # A translation that kept the original's id, with its own heading's title as the link's text
            # (bat's ru README): its own heading is the one meant.
            if context.original is not None and unquote(anchor) in context.original[1]() and \
                    len(titled(node)) != 1:
                lang, theirs = context.original[0], context.original[1]()
                # A translation's headings usually follow the original's one for one: then the heading at
                # the same place is the one meant.
                ours = headings()
                same = (f", e.g. #{ours[theirs.index(unquote(anchor))]}" if len(ours) == len(theirs)
                        else " (the HTML output shows its id)")
                report(node, "warn", "R120", f"link to '#{anchor}', which is no id of this edition but one of the "
                       f"original ({lang}); it goes to the original's", where, "link to this edition's heading" + same)
                return f"{EDITION}{lang}#{unquote(anchor)}"
            return missing(node, target, anchor, where)
        resolved = (where.path.parent / unquote(path_part)).resolve()
        if resolved in first:
            own = in_file(resolved, unquote(anchor)) if anchor else None
            if own is not None:
                return "#" + own
            if anchor and anchor not in known:
                return missing(node, target, anchor, where) or "#" + anchor
            return "#" + (anchor or first[resolved])
        parts = resolved.relative_to(source_root).parts if source_root in resolved.parents else ()
        # Another edition's Markdown (source/<lang>/<file>.md); a .md file anywhere else is a file of the
        # repository the text came from, not part of the publication.
        if (resolved.suffix == ".md" and len(parts) == 2 and parts[0] != edition.lang
                and (parts[0] in context.languages or LANGUAGE_FOLDER.match(parts[0]))
                and not path_part.startswith("/")):
            return EDITION + parts[0] + (f"#{anchor}" if anchor else "")
        done = (f"made absolute against source_url ({base_url})" if base_url
                else "kept as text with its address")
        report(node, "warn", "P021", f"link to '{target}', which is not part of the publication; {done}", where,
               "link to a Markdown file of an edition, a heading's #id or a full URL"
               + ("" if base_url else ", or set source_url in publication.yaml to link to the original"))
        return OUTSIDE

    def raw_anchor(node: Node, match: re.Match[str]) -> str:
        """An <a href> in raw HTML to a file outside the publication: pointed at source_url, or its
        href dropped (the words stay, as a link's text does); anything else is left as written."""
        target = html_unescape(match.group(3))
        if target.startswith("#") and unquote(target[1:]) not in known:
            where = node.get("pos") or SourceRef(edition.sources[0])
            report(node, "error", "P020", f"link to '{target}' in raw HTML, which does not exist", where,
                   did_you_mean(unquote(target[1:]), id_places_once(), edition.source_dir))
            return match.group(0)
        if EXTERNAL.match(target) or target.startswith("#") or not target:
            return match.group(0)
        probe = {"t": "Link", "c": [["", [], []], [], [target, ""]], "pos": node.get("pos")}
        if canonical(probe) != OUTSIDE:
            return match.group(0)
        if base_url:
            from urllib.parse import urljoin

            absolute = urljoin(base_url.rstrip("/") + "/", target.lstrip("/"))
            return f'{match.group(1)}"{html_escape(absolute)}"'
        return _without_href(match)

    def fix(node: Node) -> list[Node] | None:
        if node["t"] in ("RawBlock", "RawInline") and node["c"][0] in ("html", "html5") and "href" in node["c"][1]:
            node["c"][1] = RAW_ANCHOR.sub(lambda match: raw_anchor(node, match), node["c"][1])
            return None
        if node["t"] != "Link":
            return None
        target = canonical(node)
        if target == OUTSIDE:
            return _outside_link(node, node["c"][2][0], base_url)
        if target is not None:
            node["c"][2][0] = target
        return None

    sections = []
    for section in edition.sections:
        blocks = ([section.heading] if section.heading else []) + list(section.blocks)
        # Check every link first, and copy the section only if one of its links must be rewritten.
        found = list(ast.find_any(blocks, ast.LINKING))
        raw = [node for node in found if node["t"] != "Link"
               and "href" in node["c"][1] and node["c"][0] in ("html", "html5")]
        # A list, not a generator: canonical() reports as it goes, so every link is checked, not only up to the
        # first that changes.
        if not raw and not any([canonical(link) is not None for link in found if link["t"] == "Link"]):  # noqa: C419
            sections.append(section)
            continue
        sections.append(replace(section, heading=ast.map_nodes(section.heading, fix) if section.heading else None,
                                blocks=tuple(ast.map_nodes(list(section.blocks), fix))))
    return replace(edition, sections=tuple(sections))


def check_edition_links(edition: Edition, context: TransformContext) -> None:
    """Report (P023) a link to `edition:LANG` when LANG is not an edition of the publication."""
    languages = context.languages
    for section in edition.sections:
        for node in ast.find([section.heading, *section.blocks] if section.heading else list(section.blocks),
                             "Link"):
            target: str = node["c"][2][0]
            if not target.startswith(EDITION):
                continue
            lang = target[len(EDITION):].partition("#")[0]
            if lang not in languages:
                context.reporter.error("P023", f"link to the '{lang}' edition, which is not an edition of this "
                                       "publication", node.get("pos") or SourceRef(edition.sources[0]),
                                       f"link to one of: {', '.join(languages)}")
