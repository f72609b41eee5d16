"""The author's raw HTML as HTML5 tokens (html5lib's tokenizer) and back to text, tag by tag.

A raw HTML node of a Markdown text is often a fragment (`<details>` here, `</details>` three
paragraphs later), so it is never parsed into a tree, which would close or move tags: it is cut
into the tokens a browser's tokenizer sees, some are changed or dropped, and the rest is written
back as it was meant. Nodes that need no change keep their text byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape

# Elements whose content the HTML5 tree builder has the tokenizer read as text (WHATWG HTML §13.2.6.4).
SCRIPT = "script"
RAWTEXT = frozenset({"style", "xmp", "iframe", "noembed", "noframes", "noscript"})
RCDATA = frozenset({"textarea", "title"})


@dataclass(slots=True)
class Token:
    """One token: `start`, `end`, `text`, `comment` or `doctype`."""

    kind: str
    name: str = ""
    """The tag name, lower-case (start and end tags)."""
    attrs: dict[str, str] = field(default_factory=dict)
    """Attributes of a start tag, names lower-case, values with character references resolved."""
    data: str = ""
    """The text of a text token or comment, references resolved."""
    self_closing: bool = False
    raw: str = ""
    """For text: the context it was read in: `script`, `rawtext`, `rcdata` or ``."""


def tokenize(text: str) -> Iterator[Token]:
    """The tokens of *text* as the HTML5 tokenizer reads it from the data state, switching to script,
    raw-text and RCDATA reading after those elements' start tags as a browser's tree builder does."""
    from html5lib._tokenizer import HTMLTokenizer
    from html5lib.constants import tokenTypes

    kinds = {tokenTypes["StartTag"]: "start", tokenTypes["EmptyTag"]: "start", tokenTypes["EndTag"]: "end",
             tokenTypes["Characters"]: "text", tokenTypes["SpaceCharacters"]: "text",
             tokenTypes["Comment"]: "comment", tokenTypes["Doctype"]: "doctype"}
    tokenizer = HTMLTokenizer(text)
    context = ""
    for item in tokenizer:
        kind = kinds.get(item["type"])
        if kind is None:  # a parse error: no text of its own
            continue
        if kind == "start":
            token = Token("start", item["name"], dict(item["data"]), self_closing=bool(item.get("selfClosing")))
            if item["name"] == SCRIPT:
                tokenizer.state, context = tokenizer.scriptDataState, "script"
            elif item["name"] in RAWTEXT:
                tokenizer.state, context = tokenizer.rawtextState, "rawtext"
            elif item["name"] in RCDATA:
                tokenizer.state, context = tokenizer.rcdataState, "rcdata"
            elif item["name"] == "plaintext":
                tokenizer.state, context = tokenizer.plaintextState, "rawtext"
            yield token
        elif kind == "end":
            context = ""
            yield Token("end", item["name"])
        elif kind == "text":
            yield Token("text", data=item["data"], raw=context)
        elif kind == "comment":
            yield Token("comment", data=item["data"])
        else:
            yield Token("doctype", item.get("name") or "html")


def serialize(token: Token) -> str:
    """One token written as HTML that a browser reads back as the same token."""
    if token.kind == "start":
        attrs = "".join(f' {name}="{escape(value, quote=True)}"' if value != "" else f" {name}"
                        for name, value in token.attrs.items())
        return f"<{token.name}{attrs}{' /' if token.self_closing else ''}>"
    if token.kind == "end":
        return f"</{token.name}>"
    if token.kind == "text":
        # Text read as script or raw text is written back raw: escaping would change it.
        return token.data if token.raw in ("script", "rawtext") else escape(token.data, quote=False)
    if token.kind == "comment":
        return f"<!--{token.data}-->"
    return f"<!DOCTYPE {token.name}>"


def serialize_all(tokens: list[Token]) -> str:
    return "".join(serialize(token) for token in tokens)
