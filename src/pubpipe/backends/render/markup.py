"""The author's raw HTML read as a browser reads it (an HTML5 parser), written back as HTML or XHTML.

Raw HTML in Markdown is HTML, not XML: `<br>`, `<td align=center>`, `&rarr;` and comments holding
`--` are all fine in it. pandoc passes it through; this module parses each piece of output that holds
some with tinyhtml5 (html5lib's maintained fork, which WeasyPrint uses), turns the presentational
attributes HTML5 and EPUB forbid into CSS, gives `<details>` its `<summary>`, and serialises the tree:
as HTML for pages and print, as well-formed XHTML for the EPUB.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...errors import SourceRef
    from ...report import Reporter

HTML_NS = "http://www.w3.org/1999/xhtml"
XLINK_NS = "http://www.w3.org/1999/xlink"
FOREIGN = {"http://www.w3.org/1998/Math/MathML", "http://www.w3.org/2000/svg"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
RAW_TEXT = {"script", "style"}
# Elements that may keep width/height as attributes; on any other they are HTML 4 presentation.
SIZED = {"img", "video", "canvas", "iframe", "embed", "object", "input", "source", "svg"}
# Obsolete elements and what they become: a current element and the CSS that keeps their look.
OBSOLETE = {"center": ("div", "text-align: center"), "big": ("span", "font-size: larger"),
            "strike": ("s", ""), "tt": ("code", ""), "acronym": ("abbr", ""), "nobr": ("span", "white-space: nowrap"),
            "font": ("span", ""), "blink": ("span", ""), "marquee": ("span", ""), "dir": ("ul", ""),
            "listing": ("pre", ""), "xmp": ("pre", ""), "basefont": ("span", "")}
FONT_SIZES = {"1": "x-small", "2": "small", "3": "medium", "4": "large", "5": "x-large", "6": "xx-large",
              "7": "xxx-large"}
# Attributes HTML5 made obsolete (EPUBCheck rejects them) that have no CSS equivalent worth keeping.
# (Which elements: None for any.)
TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th", "col", "colgroup"})
DROPPED: dict[str, frozenset[str] | None] = {
    "cellpadding": TABLE_PARTS, "cellspacing": TABLE_PARTS, "frame": TABLE_PARTS, "rules": TABLE_PARTS,
    "summary": TABLE_PARTS, "char": TABLE_PARTS, "charoff": TABLE_PARTS, "axis": TABLE_PARTS,
    "background": None, "noshade": None, "compact": None, "clear": frozenset({"br"}),
    "language": frozenset({"script"}), "longdesc": None, "rev": frozenset({"a", "link"}),
    "charset": frozenset({"a", "link"}), "scheme": frozenset({"meta"}), "datapagesize": None,
    "alink": frozenset({"body"}), "link": frozenset({"body"}), "vlink": frozenset({"body"}),
    "text": frozenset({"body"}), "marginheight": None, "marginwidth": None, "scrolling": frozenset({"iframe"}),
    "frameborder": frozenset({"iframe"})}
XML_NAME = re.compile(r"^[A-Za-z_][\w.\-]*(:[A-Za-z_][\w.\-]*)?$")
XML_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%|px)?\s*$")


def parse(html: str) -> ET.Element:
    """*html* as a browser would read it inside a `<div>`: a fragment root holding the elements."""
    from tinyhtml5.parser import HTMLParser

    root: ET.Element = HTMLParser().parse_fragment(html, container="div")
    return root


def repair(html: str, xhtml: bool, raw: list[tuple[SourceRef | None, str]] | None = None,
           reporter: Reporter | None = None, summary: str = "Details") -> str:
    """*html* parsed as HTML5, made valid (CSS for presentation, a `<summary>` for `<details>`), serialised.

    *raw*: the author's raw HTML pieces in it with their places, for the warnings' `file:line`.
    Attributes with no CSS equivalent are dropped with a warning (W101); a summary added, W102."""
    root = parse(html)
    fixer = _Fixer(raw or [], reporter, summary, xhtml)
    for element in list(root.iter()):
        if isinstance(element.tag, str):
            fixer.element(element)
    return serialize(root, xhtml)


class _Fixer:
    def __init__(self, raw: list[tuple[SourceRef | None, str]], reporter: Reporter | None, summary: str,
                 xhtml: bool) -> None:
        self.raw, self.reporter, self.summary, self.xhtml = raw, reporter, summary, xhtml
        self.reported: set[tuple[str, str]] = set()

    def where(self, tag: str, attribute: str = "") -> SourceRef | None:
        """The raw piece that most likely wrote *tag* (with *attribute*): the first that has it."""
        pattern = re.compile(rf"<{re.escape(tag)}\b" + (rf"[^>]*\b{re.escape(attribute)}\b" if attribute else ""),
                             re.IGNORECASE)
        for where, text in self.raw:
            if pattern.search(text):
                return where
        return self.raw[0][0] if self.raw else None

    def warn(self, code: str, key: tuple[str, str], message: str, hint: str) -> None:
        if self.reporter is None or key in self.reported:
            return
        self.reported.add(key)
        self.reporter.warn(code, message, self.where(*key), hint)

    def element(self, element: ET.Element) -> None:
        ns, _, name = element.tag[1:].partition("}") if element.tag.startswith("{") else (HTML_NS, "", element.tag)
        if ns != HTML_NS:
            return
        styles: list[str] = []
        if name in OBSOLETE:
            new, style = OBSOLETE[name]
            element.tag = f"{{{HTML_NS}}}{new}"
            styles += [style] if style else []
            if name == "font":
                styles += self.font(element)
            name = new
        for attribute in list(element.attrib):
            if not isinstance(attribute, str) or attribute.startswith("{"):
                continue
            value = element.attrib[attribute]
            css = _css(name, attribute.lower(), value)
            if css is None:
                continue
            del element.attrib[attribute]
            if css:
                styles.append(css)
            elif attribute.lower() == "name" and name in ("a", "img") and "id" not in element.attrib:
                element.attrib["id"] = value
            else:
                self.warn("W101", (name, attribute), f"raw HTML attribute '{attribute}' on <{name}> is not "
                          f"HTML5 and has no CSS equivalent; left out", "remove it or say it with CSS in a "
                          "style attribute")
        if self.xhtml:
            for attribute in list(element.attrib):
                if isinstance(attribute, str) and not attribute.startswith("{") and not XML_NAME.match(attribute):
                    del element.attrib[attribute]
                    self.warn("W101", (name, attribute), f"raw HTML attribute '{attribute}' on <{name}> cannot "
                              "be written in XHTML; left out of the EPUB", "use a plain attribute name")
        if styles:
            old = element.attrib.get("style", "").strip().rstrip(";")
            element.attrib["style"] = "; ".join([s for s in styles if s] + ([old] if old else []))
        if name == "details":
            first = next((child for child in element if isinstance(child.tag, str)), None)
            if first is None or first.tag != f"{{{HTML_NS}}}summary":
                added = ET.Element(f"{{{HTML_NS}}}summary")
                added.text = self.summary
                added.tail, element.text = element.text, None
                element.insert(0, added)
                self.warn("W102", ("details", ""), f"<details> has no <summary>; one saying '{self.summary}' "
                          "was added", "begin the details with <summary>what they hold</summary>")

    @staticmethod
    def font(element: ET.Element) -> list[str]:
        found = []
        for attribute, prop in (("color", "color"), ("face", "font-family")):
            value = element.attrib.pop(attribute, None)
            if value and re.match(r"^[#\w ,'\"-]+$", value):
                found.append(f"{prop}: {value}")
        size = element.attrib.pop("size", None)
        if size and size.strip() in FONT_SIZES:
            found.append(f"font-size: {FONT_SIZES[size.strip()]}")
        return found


def _css(element: str, attribute: str, value: str) -> str | None:
    """The CSS for a presentational *attribute*; "" to drop it (warned, or `name` kept as id); None to keep it."""
    word = value.strip().lower()
    if attribute == "align":
        if element in ("img", "table", "iframe", "object", "embed") and word in ("left", "right"):
            return f"float: {word}"
        if element == "table" and word == "center":
            return "margin-left: auto; margin-right: auto"
        return f"text-align: {word}" if word in ("left", "right", "center", "justify") else ""
    if attribute == "valign":
        return f"vertical-align: {word}" if word in ("top", "middle", "bottom", "baseline") else ""
    if attribute == "bgcolor":
        if re.fullmatch(r"[0-9a-f]{6}|[0-9a-f]{3}", word):
            word = "#" + word
        return f"background-color: {word}" if re.fullmatch(r"#[0-9a-f]{3,6}|[a-z]+", word) else ""
    if attribute in ("width", "height") and element not in SIZED:
        match = LENGTH.match(value)
        return f"{attribute}: {match.group(1)}{match.group(2) or 'px'}" if match else ""
    if attribute == "nowrap" and element in ("td", "th"):
        return "white-space: nowrap"
    if attribute == "border" and element in ("table", "img", "object"):
        match = LENGTH.match(value)
        return f"border: {match.group(1)}px solid" if match and float(match.group(1)) > 0 else "border: 0"
    if attribute in ("hspace", "vspace") and element in ("img", "object", "embed", "iframe"):
        match = LENGTH.match(value)
        sides = "left" if attribute == "hspace" else "top"
        other = "right" if attribute == "hspace" else "bottom"
        return f"margin-{sides}: {match.group(1)}px; margin-{other}: {match.group(1)}px" if match else ""
    if attribute == "type" and element in ("ul", "li"):
        kinds = {"disc": "disc", "circle": "circle", "square": "square"}
        return f"list-style-type: {kinds[word]}" if word in kinds else ""
    if attribute == "scope" and element == "td" or attribute == "abbr" and element == "td":
        return ""
    if attribute == "name" and element in ("a", "img"):
        return ""
    if attribute == "size" and element == "hr" or attribute == "color" and element == "hr":
        return ""
    if attribute in DROPPED:
        elements = DROPPED[attribute]
        if elements is None or element in elements:
            return ""
    return None


def serialize(root: ET.Element, xhtml: bool) -> str:
    """The children of *root* (a fragment) as HTML, or as XHTML (well-formed); comments left out."""
    out: list[str] = [_text(root.text, xhtml)]
    for child in root:
        _write(child, out, xhtml, HTML_NS)
    return "".join(out)


def _text(text: str | None, xhtml: bool) -> str:
    if not text:
        return ""
    return escape(XML_FORBIDDEN_CHARS.sub("", text) if xhtml else text, False)


def _write(element: Any, out: list[str], xhtml: bool, parent_ns: str) -> None:
    if element.tag is ET.Comment:
        # A comment is a remark for the editors, not text for readers: left out of every output (XML forbids
        # `--` inside one, and the Nu checker warns that such a page cannot be mapped to XML).
        out.append(_text(element.tail, xhtml))
        return
    if not isinstance(element.tag, str):  # processing instructions: not HTML
        out.append(_text(element.tail, xhtml))
        return
    ns, _, name = element.tag[1:].partition("}") if element.tag.startswith("{") else (HTML_NS, "", element.tag)
    if xhtml and not XML_NAME.match(name):  # an element XML cannot name: its content stays, the tag goes
        out.append(_text(element.text, xhtml))
        for child in element:
            _write(child, out, xhtml, parent_ns)
        out.append(_text(element.tail, xhtml))
        return
    attrs = []
    if ns != parent_ns and ns in FOREIGN:
        attrs.append(f' xmlns="{ns}"')
    for key, value in element.attrib.items():
        if key.startswith("{"):
            key_ns, _, local = key[1:].partition("}")
            if key_ns != XLINK_NS:
                continue
            key = f"xlink:{local}"
            if xhtml:
                attrs.append(f' xmlns:xlink="{XLINK_NS}"')
        attrs.append(f' {key}="{escape(XML_FORBIDDEN_CHARS.sub("", value) if xhtml else value)}"')
    opening = f"<{name}{''.join(dict.fromkeys(attrs))}"
    children = list(element)
    if ns == HTML_NS and name in VOID:
        out.append(opening + ("/>" if xhtml else ">"))
    else:
        out.append(opening + ">")
        if name in RAW_TEXT and not xhtml and ns == HTML_NS:
            out.append(element.text or "")
        else:
            out.append(_text(element.text, xhtml))
        for child in children:
            _write(child, out, xhtml, ns)
        out.append(f"</{name}>")
    out.append(_text(element.tail, xhtml))
