"""Raw HTML: its images become the text's images; code it would run, and loads from outside the project, go."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic
from ..errors import SourceRef
from ..model import Edition, Node, ast
from ..reading.html_tokens import Token, serialize_all, tokenize

# Places in HTML and CSS where a reader (browser, WeasyPrint, e-reader) loads what a URL names;
# plain <a href> is a link the reader chooses to follow, not a load, so it is allowed.
REFERENCES = (
    re.compile(r"""\b(?:src|srcset|poster|data|background|xlink:href|formaction)\s*=\s*(["']?)([^"'\s>]+)""", re.IGNORECASE),
    re.compile(r"""<(?:link|image|use|object|embed)\b[^>]*?\bhref\s*=\s*(["']?)([^"'\s>]+)""", re.IGNORECASE),
    re.compile(r"""url\(\s*(["']?)([^"')\s]+)""", re.IGNORECASE),
    re.compile(r"""@import\s+(["'])([^"']+)""", re.IGNORECASE),
)
REMOTE = re.compile(r"^(?:(?:https?|ftp):)?//", re.IGNORECASE)
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
HTML_FORMATS = ("html", "html5", "html4")
# Attributes whose value is a URL a reader may open or load (WHATWG HTML's URL-valued attributes).
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
                            "codebase", "cite", "longdesc", "usemap", "lowsrc", "dynsrc", "ping", "manifest",
                            "icon", "archive", "classid", "profile", "srcset"})
# A URL that runs code when opened; the URL parser drops tabs and newlines and trims controls first.
CODE_URL = re.compile(r"^(?:java|vb)script:", re.IGNORECASE)
CONTROLS = re.compile(r"[\x00-\x20]")
# Nodes that may carry code: raw HTML, and those with attributes (a Link also by its target).
MAY_RUN_CODE = frozenset({"RawBlock", "RawInline", *ast.ATTR_INDEX})
# Raw <img> attributes carried over to the image node the text gets instead.
IMAGE_PAIRS = ("width", "height", "style")


def _url_as_read(url: str) -> str:
    """*url* as a browser's URL parser reads it: tabs and newlines dropped, controls and spaces trimmed."""
    return re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(33))))


def runs_code(url: str) -> bool:
    """Whether opening *url* runs code (`javascript:`, `vbscript:`), as a browser would read it."""
    if CODE_URL.match(url):
        return True
    # Only a URL with spaces or controls in it reads differently (called for every link of a book).
    return bool(CONTROLS.search(url)) and bool(CODE_URL.match(_url_as_read(url)))


def _code_url(url: str) -> str:
    """How a warning names a URL that runs code: `a javascript: URL`."""
    return f"a {_url_as_read(url).split(':')[0].lower()}: URL"


def _is_raw_html(node: Any) -> bool:
    return isinstance(node, dict) and node.get("t") in ("RawBlock", "RawInline") and node["c"][0] in HTML_FORMATS


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


# Raw <img> → image nodes --------------------------------------------------------------------------

def _image_node(tag: Token, where: SourceRef | None, in_link: bool) -> Node:
    """A pandoc Image node for a raw `<img>`, so it is resolved, fetched and embedded like `![alt](src)`."""
    alt = tag.attrs.get("alt", "")
    words: list[Node] = []
    for word in alt.split():
        words += [{"t": "Space"}, {"t": "Str", "c": word}] if words else [{"t": "Str", "c": word}]
    pairs = [[name, tag.attrs[name]] for name in IMAGE_PAIRS if tag.attrs.get(name)]
    node: Node = {"t": "Image", "c": [[tag.attrs.get("id", ""), tag.attrs.get("class", "").split(), pairs], words,
                                      [tag.attrs["src"].strip(), tag.attrs.get("title", "")]]}
    if where is not None:
        node["pos"] = where
    if in_link:
        node["in_link"] = True  # read (and removed) by parse._collect_assets: a badge's link stays the link
    return node


def _extractable(tag: Token, folder: Path, root: Path) -> bool:
    """A raw <img> that can be the text's own image: a web image, or a file inside the project,
    and nothing that runs code on it (that one stays raw for guard_raw_html to judge)."""
    src = tag.attrs.get("src", "").strip()
    if not src or any(name.startswith("on") for name in tag.attrs) or "srcset" in tag.attrs:
        return False
    if REMOTE.match(src) and not src.lower().startswith("ftp:"):
        return True
    return not SCHEME.match(src) and not _outside(src, folder, root, False)


def _split(text: str, where: SourceRef | None, folder: Path, root: Path, depth: list[int]) -> list[Node] | None:
    """*text* cut at its `<img>` tags into raw pieces and Image nodes, or None if it has no such tag.
    *depth* counts the `<a>` elements open at this point of the text (a one-item list, carried on)."""
    tokens = list(tokenize(text))
    if not any(t.kind == "start" and t.name == "img" and _extractable(t, folder, root) for t in tokens):
        for token in tokens:
            _count_links(token, depth)
        return None
    pieces: list[Node] = []
    pending: list[Token] = []
    searched = 0
    for token in tokens:
        if token.kind == "start" and token.name == "img" and _extractable(token, folder, root):
            if pending:
                pieces.append({"t": "RawInline", "c": ["html", serialize_all(pending)]})
                pending = []
            # The image's own line, for its warnings: where its address is written in the raw text.
            found = text.find(token.attrs["src"].strip(), searched)
            place = where
            if found >= 0 and where is not None and where.line is not None:
                searched = found
                line_start = text.rfind("\n", 0, found) + 1
                lines = text.count("\n", 0, found)
                place = SourceRef(where.path, where.line + lines,
                                  found - line_start + 1 + ((where.column or 1) - 1 if not lines else 0))
            pieces.append(_image_node(token, place, depth[0] > 0))
            continue
        _count_links(token, depth)
        pending.append(token)
    if pending:
        pieces.append({"t": "RawInline", "c": ["html", serialize_all(pending)]})
    return pieces


def _count_links(token: Token, depth: list[int]) -> None:
    if token.name == "a" and token.kind == "start" and not token.self_closing:
        depth[0] += 1
    elif token.name == "a" and token.kind == "end":
        depth[0] = max(0, depth[0] - 1)


def extract_images(blocks: list[Node], root: Path, fallback: SourceRef) -> list[Node]:
    """*blocks* (changed in place) with every raw `<img>` of a web image or a project file turned into
    an Image node: a raw block holding one becomes a Plain block of raw pieces and images."""
    if not any(_is_raw_html(node) and "<img" in node["c"][1].lower() for node in ast.children(blocks)):
        return blocks  # the usual case: a look at every node, no copy
    root = root.resolve()
    depth = [0]
    place = [fallback]

    def walk(items: list[Any], in_link: bool) -> list[Any]:
        out: list[Any] = []
        for item in items:
            if isinstance(item, list):
                out.append(walk(item, in_link))
                continue
            if not isinstance(item, dict) or "t" not in item:
                out.append(item)
                continue
            place[0] = item.get("pos") or place[0]
            if _is_raw_html(item):
                if in_link:
                    depth[0] += 1
                pieces = _split(item["c"][1], place[0], place[0].path.parent, root, depth)
                if in_link:
                    depth[0] -= 1
                if pieces is None:
                    out.append(item)
                elif item["t"] == "RawBlock":
                    out.append({"t": "Plain", "c": pieces, **({"pos": item["pos"]} if "pos" in item else {})})
                else:
                    out.extend(pieces)
                continue
            if isinstance(item.get("c"), list):
                item["c"] = walk(item["c"], in_link or item["t"] == "Link")
            out.append(item)
        return out

    return walk(blocks, False)


# Code that would run ------------------------------------------------------------------------------

def sanitize(text: str, in_script: bool = False) -> tuple[str, list[str], bool]:
    """*text* without `<script>` elements, `on…` attributes and `javascript:` URLs.

    Returns the text (the same string when nothing was removed), what was removed (for the
    warning) and whether a `<script>` is still open at its end (its content follows in later nodes).
    """
    out: list[Token] = []
    removed: list[str] = []
    skipping, changed = in_script, in_script
    for token in tokenize(text):
        if skipping:
            if token.kind == "end" and token.name == "script":
                skipping = False
            continue
        if token.name == "script" and token.kind in ("start", "end"):
            changed = True
            if token.kind == "start":
                removed.append("a <script> element")
                skipping = not token.self_closing
            continue
        if token.kind == "start":
            for name, value in list(token.attrs.items()):
                if name.startswith("on"):
                    removed.append(f"the {name} attribute")
                elif name in URL_ATTRIBUTES and runs_code(value):
                    removed.append(_code_url(value))
                elif name == "srcdoc" and (inner := sanitize(value)[1]):
                    removed += inner
                else:
                    continue
                del token.attrs[name]
                changed = True
        out.append(token)
    return (serialize_all(out) if changed else text), removed, skipping


def _code_pair(pair: list[str]) -> bool:
    """Whether an attribute of a Markdown element (`{onclick=…}`) would run code in an HTML writer that keeps it."""
    name = pair[0].lower()
    return name.startswith("on") or (name in URL_ATTRIBUTES and runs_code(pair[1]))


def _runs_code(node: Node) -> bool:
    """Whether this one node (not its children) would run code: raw HTML, an attribute, a link."""
    if _is_raw_html(node):
        return bool(sanitize(node["c"][1])[1]) or "</script" in node["c"][1].lower()
    attr = ast.attr_of(node)
    if attr is not None and attr[2] and any(_code_pair(pair) for pair in attr[2]):
        return True
    return node["t"] == "Link" and runs_code(node["c"][2][0])


def _guard_code(edition: Edition) -> tuple[Edition, list[Diagnostic]]:
    """The edition without code its raw HTML, links and attributes would run; a warning (H103) for each."""
    found: list[Diagnostic] = []
    hint = ("if every author of the text is trusted, set 'trust_raw_html: true' in publication.yaml; "
            "else remove it from the text")

    def report(what: list[str], where: SourceRef | None, subject: str = "raw HTML") -> None:
        what = list(dict.fromkeys(what))
        found.append(Diagnostic("H103", "warning", f"{subject} would run code ({', '.join(what)}); "
                                "removed from every output", where, hint))

    def clean(items: list[Any], place: list[SourceRef | None]) -> list[Any]:
        out: list[Any] = []
        in_script = False
        for item in items:
            if isinstance(item, list):
                out.append(clean(item, place))
                continue
            if not isinstance(item, dict) or "t" not in item:
                out.append(item)
                continue
            place[0] = item.get("pos") or place[0]
            if _is_raw_html(item):
                text, removed, in_script = sanitize(item["c"][1], in_script)
                if removed:
                    report(removed, place[0])
                if text.strip() or text == item["c"][1]:
                    out.append({**item, "c": [item["c"][0], text]})
                continue
            if in_script:  # the inline text of a <script> whose end tag is a later raw node
                continue
            if isinstance(item.get("c"), list):
                item = {**item, "c": clean(item["c"], place)}  # a copy: the edition given stays as it was
            attr = ast.attr_of(item)
            if attr is not None:
                bad = [pair for pair in attr[2] if _code_pair(pair)]
                if bad:
                    report([f"the {pair[0]} attribute" for pair in bad], place[0], "an attribute")
                    attr[2] = [pair for pair in attr[2] if pair not in bad]
            if item["t"] == "Link" and runs_code(item["c"][2][0]):
                report([_code_url(item["c"][2][0])], place[0], "a link")
                item = {**item, "t": "Span", "c": [item["c"][0], item["c"][1]]}
            out.append(item)
        return out

    sections = []
    for section in edition.sections:
        place: list[SourceRef | None] = [section.source]
        heading = clean([section.heading], place)[0] if section.heading else None
        blocks = tuple(clean(list(section.blocks), place))
        sections.append(replace(section, heading=heading, blocks=blocks))
    return replace(edition, sections=tuple(sections)), found


def _outside_references(edition: Edition, root: Path, allow_remote: bool,
                        trusted: bool) -> tuple[list[Diagnostic], set[str], bool]:
    """One walk over the text: a P030 warning for each raw HTML node that refers outside the project,
    those nodes' texts, and (unless *trusted*) whether anything would run code."""
    found: list[Diagnostic] = []
    bad: set[str] = set()
    code = False
    for section in edition.sections:
        place: SourceRef | None = section.source
        for block in ([section.heading] if section.heading else []) + list(section.blocks):
            # Document order, so each raw node is reported at the nearest position before it.
            for node in (block, *ast.children(block)):
                place = node.get("pos") or place
                # Words and spaces (most nodes) can run nothing: only the others are looked at.
                if not code and not trusted and node["t"] in MAY_RUN_CODE and _runs_code(node):
                    code = True
                if not _is_raw_html(node):
                    continue
                folder = place.path.parent if place is not None else edition.source_dir
                url = _bad_url(node["c"][1], folder, root, allow_remote)
                if url is None:
                    continue
                bad.add(node["c"][1])
                hint = "copy the file into source/ and use Markdown"
                if REMOTE.match(url.strip()) and not allow_remote:
                    hint += ", or pass --allow-remote (or set 'allow_remote: true' in publication.yaml)"
                found.append(Diagnostic("P030", "warning", f"raw HTML refers to '{url}'; left out of every output",
                                        place, hint))
    return found, bad, code


def guard_raw_html(edition: Edition, root: Path, allow_remote: bool,
                   trusted: bool = False) -> tuple[Edition, tuple[Diagnostic, ...]]:
    """The edition without raw HTML that would run code (H103, unless *trusted*) or that refers outside
    the project (P030); a warning for each thing left out."""
    root = root.resolve()
    found, bad, code = _outside_references(edition, root, allow_remote, trusted)
    if code:  # rare: then the text is copied without the code, and looked at again
        edition, found = _guard_code(edition)
        more, bad, _ = _outside_references(edition, root, allow_remote, True)
        found += more
    if not bad:
        return edition, tuple(found)

    def drop(node: Node) -> list[Node] | None:
        return [] if node["t"] in ("RawBlock", "RawInline") and node["c"][1] in bad else None

    sections = tuple(replace(section, heading=ast.map_nodes(section.heading, drop) if section.heading else None,
                             blocks=tuple(ast.map_nodes(list(section.blocks), drop)))
                     for section in edition.sections)
    return replace(edition, sections=sections), tuple(found)
