"""Raw HTML: leave out any raw HTML that would make an output fetch from the web or read outside the project."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from .. import ast
from ..diagnostics import Diagnostic
from ..errors import SourceRef
from ..model import Edition, Node

# Places in HTML and CSS where a reader (browser, WeasyPrint, e-reader) loads what a URL names;
# plain <a href> is a link the reader chooses to follow, not a load, so it is allowed.
REFERENCES = (
    re.compile(r"""\b(?:src|srcset|poster|data|background|xlink:href|formaction)\s*=\s*(["']?)([^"'\s>]+)""", re.I),
    re.compile(r"""<(?:link|image|use|object|embed)\b[^>]*?\bhref\s*=\s*(["']?)([^"'\s>]+)""", re.I),
    re.compile(r"""url\(\s*(["']?)([^"')\s]+)""", re.I),
    re.compile(r"""@import\s+(["'])([^"']+)""", re.I),
)
REMOTE = re.compile(r"^(?:(?:https?|ftp):)?//", re.I)
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def _outside(url: str, folder: Path, root: Path, allow_remote: bool) -> bool:
    """Whether loading *url* from a file in *folder* would leave the project (or go to the web unasked)."""
    url = url.strip()
    if REMOTE.match(url):
        return not allow_remote
    if SCHEME.match(url):
        # data: is inline content; any other scheme (file:, ftp:, …) is never loaded.
        return not url.lower().startswith(("data:", "mailto:", "#"))
    if url.startswith(("/", "\\")):
        return True
    path = (folder / url.split("#")[0].split("?")[0]).resolve()
    return path != root and root not in path.parents


def _bad_url(text: str, folder: Path, root: Path, allow_remote: bool) -> str | None:
    """The first URL in raw HTML *text* that would load something from outside the project, if any."""
    for pattern in REFERENCES:
        for match in pattern.finditer(text):
            if _outside(match.group(2), folder, root, allow_remote):
                return match.group(2)
    return None


def guard_raw_html(edition: Edition, root: Path, allow_remote: bool) -> tuple[Edition, tuple[Diagnostic, ...]]:
    """The edition without raw HTML that refers outside the project; a warning (P030) for each one left out."""
    root = root.resolve()
    found: list[Diagnostic] = []
    bad: set[str] = set()
    for section in edition.sections:
        place: SourceRef | None = section.source
        for block in ([section.heading] if section.heading else []) + list(section.blocks):
            # Document order, so each raw node is reported at the nearest position before it.
            for node in (block, *ast.children(block)):
                place = node.get("pos") or place
                if node["t"] not in ("RawBlock", "RawInline") or node["c"][0] not in ("html", "html5", "html4"):
                    continue
                folder = place.path.parent if place is not None else edition.source_dir
                url = _bad_url(node["c"][1], folder, root, allow_remote)
                if url is None:
                    continue
                bad.add(node["c"][1])
                hint = "copy the file into source/ and use Markdown"
                if REMOTE.match(url.strip()) and not allow_remote:
                    hint += ", or pass --allow-remote"
                found.append(Diagnostic("P030", "warning", f"raw HTML refers to '{url}'; left out of every output",
                                        place, hint))
    if not bad:
        return edition, ()

    def drop(node: Node) -> list[Node] | None:
        return [] if node["t"] in ("RawBlock", "RawInline") and node["c"][1] in bad else None

    sections = tuple(replace(section, heading=ast.map_nodes(section.heading, drop) if section.heading else None,
                             blocks=tuple(ast.map_nodes(list(section.blocks), drop)))
                     for section in edition.sections)
    return replace(edition, sections=sections), tuple(found)
