"""Japanese and Korean quoted in another language's text are marked with their language, for their glyphs."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..model import Edition, Node
from ..model.ast import merge_strings, plain_text

# Han characters take different forms in Chinese, Japanese and Korean, and so does the punctuation (。 sits
# in the middle of the line in Chinese, low on the left in Japanese). The fonts' fallback chain draws text
# without a language in the first CJK face (Simplified Chinese), so Japanese quoted in an English chapter
# came out with Chinese forms. Kana say a run is Japanese and Hangul that it is Korean: such a run is
# wrapped in a Span with `lang`, which every engine passes to the font (OpenType `locl`: the Noto CJK faces
# carry every region's forms) and which a reader's screen reader and hyphenation use too. Han alone says
# nothing: Chinese, or Japanese without kana, keeps the chain's forms.
EAST_ASIAN = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f\u3041-\u3096\u3099-\u30ff\u3130-\u318f\u31f0-\u31ff"
    "\u3200-\u32ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uffef\U00020000-\U0003134f]")
KANA = re.compile("[\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fd-\u30ff\u31f0-\u31ff\uff66-\uff9d]")
HANGUL = re.compile("[\u1100-\u11ff\u3131-\u318e\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff]")
# A Str is cut where East Asian text meets other letters ("Tokyo（東京）"): the East Asian part may be marked.
PIECES = re.compile(f"(?:{EAST_ASIAN.pattern})+")
# Inlines that join a run when their text is East Asian, and are left as they are otherwise.
HOLDERS = {"Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Underline", "Link", "Span",
           "Quoted", "Code"}
SPACES = {"Space", "SoftBreak"}
# Nodes whose text is not the author's prose (inline code may join a run as a whole, see HOLDERS).
LEFT_ALONE = {"Code", "CodeBlock", "RawInline", "RawBlock", "Math"}


def language_of(text: str) -> str | None:
    """`ja` for East Asian text with kana, `ko` for text with Hangul (and no kana), else None."""
    if KANA.search(text):
        return "ja"
    if HANGUL.search(text):
        return "ko"
    return None


def mark_east_asian(edition: Edition) -> Edition:
    """*edition* with each run of Japanese or Korean text in a Span with `lang`, where the edition is in another
    language. Code blocks, math and elements with a `lang` of their own are left alone; inline code whose text
    is East Asian joins its run."""
    sections = []
    for section in edition.sections:
        heading = _mark_node(section.heading, edition.lang) if section.heading else None
        blocks = tuple(_mark_node(block, edition.lang) for block in section.blocks)
        sections.append(replace(section, heading=heading, blocks=blocks))
    return replace(edition, sections=tuple(sections))


def _base(lang: str) -> str:
    return lang.split("-")[0].lower()


def _own_lang(node: Node) -> str | None:
    """The `lang` a Span or Div sets, if any."""
    if node.get("t") not in ("Span", "Div"):
        return None
    for key, value in node["c"][0][2]:
        if key in ("lang", "xml:lang"):
            return str(value)
    return None


def _mark_node(node: Node, lang: str) -> Node:
    """A copy of *node* with its inline lists marked (see mark_inlines)."""
    if node.get("t") in LEFT_ALONE or "c" not in node or _own_lang(node):  # the author said what it is
        return node
    result = dict(node)
    result["c"] = _walk(node["c"], lang)
    return result


def _walk(value: Any, lang: str) -> Any:
    if isinstance(value, list) and value and all(isinstance(item, dict) and "t" in item for item in value):
        if any(item["t"] in ("Str", "Space", "SoftBreak") for item in value):
            return mark_inlines(value, lang)
        return [_mark_node(item, lang) for item in value]
    if isinstance(value, list):
        return [_walk(item, lang) for item in value]
    if isinstance(value, dict) and "t" in value:
        return _mark_node(value, lang)
    return value


def _kind(node: Node) -> str:
    """`east` for an inline of East Asian text only, `neutral` for one without letters (spaces, digits,
    punctuation), `other` for the rest."""
    tag = node["t"]
    if tag in SPACES:
        return "neutral"
    if tag == "Str":
        text = node["c"]
    elif tag in HOLDERS and not _own_lang(node):
        text = node["c"][1] if tag == "Code" else plain_text([node])
    else:
        return "other"
    if any(ch.isalpha() and not EAST_ASIAN.match(ch) for ch in text):
        return "other"
    return "east" if EAST_ASIAN.search(text) else "neutral"


def _pieces(inlines: list[Node]) -> list[Node]:
    """The inlines with each Str cut where East Asian text begins or ends."""
    out: list[Node] = []
    for node in inlines:
        if node["t"] != "Str" or not EAST_ASIAN.search(node["c"]):
            out.append(node)
            continue
        text, start = node["c"], 0
        for match in PIECES.finditer(text):
            if match.start() > start:
                out.append({"t": "Str", "c": text[start:match.start()]})
            out.append({"t": "Str", "c": match.group(0)})
            start = match.end()
        if start < len(text):
            out.append({"t": "Str", "c": text[start:]})
    return out


def mark_inlines(inlines: list[Node], lang: str) -> list[Node]:
    """The inlines (a new list) with each run of East Asian text — East Asian inlines, with spaces and
    punctuation between them — that language_of calls other than *lang* in a Span with that `lang`."""
    pieces = _pieces(inlines)
    kinds = [_kind(node) for node in pieces]
    out: list[Node] = []
    index = 0
    while index < len(pieces):
        if kinds[index] != "east":
            node = pieces[index]
            out.append(node if node["t"] == "Str" else _mark_node(node, lang))
            index += 1
            continue
        end = last = index
        while end + 1 < len(pieces) and kinds[end + 1] != "other":
            end += 1
            if kinds[end] == "east":
                last = end
        run = pieces[index:last + 1]
        found = language_of(plain_text(run))
        if found is not None and found != _base(lang):
            out.append({"t": "Span", "c": [["", [], [["lang", found]]], [_mark_node(node, found) for node in run]]})
        else:
            out.extend(node if node["t"] == "Str" else _mark_node(node, lang) for node in run)
        index = last + 1
    return merge_strings(out)
