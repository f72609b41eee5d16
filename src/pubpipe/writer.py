"""Write pandoc AST blocks as HTML fragments: one writer shared by the html, pdf and epub backends."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any, Literal

from .ast import plain_text
from .model import Node

NoteStyle = Literal["endnotes", "footnotes"]
# Attribute keys written as they are; any other key-value pair becomes a data- attribute.
PLAIN_ATTRIBUTES = {"lang", "dir", "title", "role", "width", "height"}


def attributes(attr: list[Any] | None, extra_classes: tuple[str, ...] = ()) -> str:
    """Render a pandoc [id, classes, pairs] triple as HTML attributes (with a leading space)."""
    if not attr:
        attr = ["", [], []]
    ident, classes, pairs = attr
    parts = []
    if ident:
        parts.append(f' id="{escape(ident)}"')
    names = [*classes, *extra_classes]
    if names:
        parts.append(f' class="{escape(" ".join(names))}"')
    for key, value in pairs:
        name = key if key in PLAIN_ATTRIBUTES or key.startswith("data-") else f"data-{key}"
        if not name.replace("-", "").isalnum():
            continue
        parts.append(f' {name}="{escape(value)}"')
    return "".join(parts)


# Blocks whose own inlines may hold raw HTML; their XHTML is checked (and repaired) one by one.
RAW_HOLDERS = {"Para", "Plain", "Header", "RawBlock", "LineBlock"}
XHTML_WRAPPER = ('<div xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">', "</div>")


def well_formed(html: str) -> str:
    """*html* as well-formed XHTML: raw HTML from the author may be loose (`Hello <b>world`), which an
    HTML page tolerates but an EPUB's XHTML must not; the HTML parser repairs it as a browser would."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        etree.fromstring(XHTML_WRAPPER[0] + html + XHTML_WRAPPER[1])
        return html
    except etree.XMLSyntaxError:
        pass
    parent = lxml_html.fragment_fromstring(html, create_parent="div")
    inner = escape(parent.text or "", False)
    inner += "".join(etree.tostring(child, method="xml", encoding="unicode") for child in parent)
    return inner


@dataclass
class Note:
    """A footnote met while writing: its number and its content as HTML."""

    number: int
    html: str


@dataclass
class HtmlWriter:
    """Turns blocks into HTML. One writer per output, so note numbers run through the whole edition."""

    link_href: Callable[[str], str]
    """Maps a canonical link target (see transforms.links) to the href this output uses."""
    image_src: Callable[[str], str] = lambda href: href
    """Maps an asset href to the src this output uses."""
    xhtml: bool = False
    """Write XHTML (EPUB): self-closed void elements and epub:type on notes."""
    note_style: NoteStyle = "endnotes"
    """`endnotes`: references now, notes gathered for later; `footnotes`: notes inline for CSS to float."""
    allow_raw_html: bool = True
    """Pass raw HTML blocks through."""
    heading_offset: int = 0
    """Added to every heading level (a page whose title is the h1 shifts the text's headings down)."""
    notes: list[Note] = field(default_factory=list)
    counter: int = 0

    def blocks(self, blocks: list[Node] | tuple[Node, ...]) -> str:
        return "\n".join(self.block(block) for block in blocks)

    def take_notes(self) -> list[Note]:
        """The notes gathered since the last call, for the caller to place."""
        notes, self.notes = self.notes, []
        return notes

    @property
    def br(self) -> str:
        return "<br/>" if self.xhtml else "<br>"

    # Blocks -------------------------------------------------------------------------------------
    def block(self, node: Node) -> str:
        html = self._block(node)
        if self.xhtml and node["t"] in RAW_HOLDERS and ("Raw" in str(node.get("c")) or node["t"] == "RawBlock"):
            return well_formed(html)
        return html

    def _block(self, node: Node) -> str:
        tag, content = node["t"], node.get("c")
        if tag == "Para":
            return f"<p>{self.inlines(content)}</p>"
        if tag == "Plain":
            return self.inlines(content)
        if tag == "Header":
            level, attr, inlines = content
            level = min(6, level + self.heading_offset)
            return f"<h{level}{attributes(attr)}>{self.inlines(inlines)}</h{level}>"
        if tag == "BlockQuote":
            return f"<blockquote>\n{self.blocks(content)}\n</blockquote>"
        if tag == "BulletList":
            items = "".join(f"<li>{self.blocks(item)}</li>\n" for item in content)
            return f"<ul>\n{items}</ul>"
        if tag == "OrderedList":
            (start, style, _delim), items = content
            start_attr = f' start="{start}"' if start != 1 else ""
            kind = {"LowerAlpha": "a", "UpperAlpha": "A", "LowerRoman": "i", "UpperRoman": "I"}.get(style["t"])
            type_attr = f' type="{kind}"' if kind else ""
            body = "".join(f"<li>{self.blocks(item)}</li>\n" for item in items)
            return f"<ol{start_attr}{type_attr}>\n{body}</ol>"
        if tag == "DefinitionList":
            body = ""
            for term, definitions in content:
                body += f"<dt>{self.inlines(term)}</dt>\n"
                body += "".join(f"<dd>{self.blocks(d)}</dd>\n" for d in definitions)
            return f"<dl>\n{body}</dl>"
        if tag == "CodeBlock":
            attr, text = content
            language = attr[1][0] if attr[1] else ""
            code_class = f' class="language-{escape(language)}"' if language else ""
            return f"<pre{attributes([attr[0], attr[1][1:], []])}><code{code_class}>{escape(text, False)}</code></pre>"
        if tag == "RawBlock":
            fmt, text = content
            return text if fmt == "html" and self.allow_raw_html else ""
        if tag == "HorizontalRule":
            return "<hr/>" if self.xhtml else "<hr>"
        if tag == "LineBlock":
            return '<div class="line-block">' + self.br.join(self.inlines(line) for line in content) + "</div>"
        if tag == "Div":
            attr, blocks = content
            return f"<div{attributes(attr)}>\n{self.blocks(blocks)}\n</div>"
        if tag == "Figure":
            attr, (_short, caption), blocks = content
            figcaption = f"<figcaption>{self.blocks(caption)}</figcaption>" if caption else ""
            return f"<figure{attributes(attr)}>\n{self.blocks(blocks)}\n{figcaption}</figure>"
        if tag == "Table":
            return self.table(content)
        return ""

    def table(self, content: list[Any]) -> str:
        attr, (_short, caption), colspecs, head, bodies, foot = content
        aligns = [spec[0]["t"] for spec in colspecs]
        parts = [f"<table{attributes(attr)}>"]
        if caption:
            parts.append(f"<caption>{self.blocks(caption)}</caption>")
        if head[1]:
            parts.append("<thead>" + "".join(self.row(row, aligns, "th") for row in head[1]) + "</thead>")
        for body in bodies:
            rows = body[2] + body[3]
            parts.append("<tbody>" + "".join(self.row(row, aligns, "td") for row in rows) + "</tbody>")
        if foot[1]:
            parts.append("<tfoot>" + "".join(self.row(row, aligns, "td") for row in foot[1]) + "</tfoot>")
        parts.append("</table>")
        return "\n".join(parts)

    def row(self, row: list[Any], aligns: list[str], cell_tag: str) -> str:
        cells = []
        for index, (attr, align, rowspan, colspan, blocks) in enumerate(row[1]):
            align_name = align["t"] if align["t"] != "AlignDefault" else (aligns[index] if index < len(aligns) else "")
            style = {"AlignLeft": "start", "AlignRight": "end", "AlignCenter": "center"}.get(align_name)
            extra = f' class="align-{style}"' if style else ""
            span = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
            cells.append(f"<{cell_tag}{attributes(attr)}{extra}{span}>{self.blocks(blocks)}</{cell_tag}>")
        return "<tr>" + "".join(cells) + "</tr>"

    # Inlines ------------------------------------------------------------------------------------
    def inlines(self, inlines: list[Node]) -> str:
        return "".join(self.inline(node) for node in inlines)

    def inline(self, node: Node) -> str:
        tag, content = node["t"], node.get("c")
        simple = {"Emph": "em", "Strong": "strong", "Strikeout": "del", "Superscript": "sup",
                  "Subscript": "sub", "Underline": "u"}
        if tag == "Str":
            return escape(content, False)
        if tag in ("Space", "SoftBreak"):
            return " "
        if tag == "LineBreak":
            return self.br
        if tag in simple:
            return f"<{simple[tag]}>{self.inlines(content)}</{simple[tag]}>"
        if tag == "SmallCaps":
            return f'<span class="smallcaps">{self.inlines(content)}</span>'
        if tag == "Quoted":
            marks = ("“", "”") if content[0]["t"] == "DoubleQuote" else ("‘", "’")
            return marks[0] + self.inlines(content[1]) + marks[1]
        if tag == "Cite":
            return self.inlines(content[1])
        if tag == "Code":
            return f"<code{attributes(content[0])}>{escape(content[1], False)}</code>"
        if tag == "Math":
            return f'<span class="math">{escape(content[1], False)}</span>'
        if tag == "RawInline":
            fmt, text = content
            return text if fmt == "html" and self.allow_raw_html else ""
        if tag == "Link":
            attr, inlines, (target, title) = content
            title_attr = f' title="{escape(title)}"' if title else ""
            href = self.link_href(target)
            if not href:  # a target this output cannot reach (e.g. another edition, from an EPUB)
                return f"<span{attributes(attr)}>{self.inlines(inlines)}</span>"
            return f'<a{attributes(attr)} href="{escape(href)}"{title_attr}>{self.inlines(inlines)}</a>'
        if tag == "Image":
            attr, inlines, (target, title) = content
            title_attr = f' title="{escape(title)}"' if title else ""
            close = "/>" if self.xhtml else ">"
            return (f'<img{attributes(attr)} src="{escape(self.image_src(target))}" '
                    f'alt="{escape(plain_text(inlines))}"{title_attr}{close}')
        if tag == "Span":
            attr, inlines = content
            return f"<span{attributes(attr)}>{self.inlines(inlines)}</span>"
        if tag == "Note":
            return self.note(content)
        return ""

    def note(self, blocks: list[Node]) -> str:
        self.counter += 1
        number = self.counter
        if self.note_style == "footnotes":
            # Inline for CSS `float: footnote`: the paragraphs become spans so the call stays inline.
            body = " ".join(self._flatten(block) for block in blocks)
            return f'<span class="footnote" id="fn{number}">{body}</span>'
        epub_type = ' epub:type="noteref"' if self.xhtml else ""
        self.notes.append(Note(number, self.blocks(blocks)))
        return (f'<a class="noteref" href="#fn{number}" id="fnref{number}" role="doc-noteref"{epub_type}>'
                f"<sup>{number}</sup></a>")

    def _flatten(self, block: Node) -> str:
        if block["t"] in ("Para", "Plain"):
            return self.inlines(block["c"])
        return self.block(block)
