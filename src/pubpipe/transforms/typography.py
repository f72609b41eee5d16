"""Typography by language: quotes, dashes and no-break spaces, applied to the model for every format."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..model import Edition, Metadata, Node
from ..model.ast import merge_strings, plain_text

if TYPE_CHECKING:
    from . import TransformContext

NBSP = "\u00a0"
DASHES = {"-", "--", "---", "–", "—"}
INLINE_TAGS = {"Str", "Space", "SoftBreak", "LineBreak", "Emph", "Strong", "Strikeout", "Superscript",
               "Subscript", "SmallCaps", "Underline", "Quoted", "Cite", "Code", "Math", "RawInline", "Link",
               "Image", "Note", "Span"}


@dataclass(frozen=True, slots=True)
class Rules:
    """How one language sets quotes, dashes and spaces."""

    outer: tuple[str, str]
    """Quotation marks at the first level."""
    inner: tuple[str, str]
    """Quotation marks inside a quotation."""
    dash: str
    """The dash between words, written with spaces around it."""
    nbsp_before_dash: bool = False
    """Tie the dash to the word before it, so a line never starts with a dash."""
    short_words: str = ""
    """Letters that, standing alone as a word, are tied to the next word."""
    nbsp_after_numbers: bool = False
    """Tie a number to the word that follows it (what it counts)."""
    single_as_outer: bool = False
    """A quotation the author wrote in single quotes takes the outer marks at the first level (the
    language has no single quotation marks of its own, e.g. Russian); else it takes the inner marks."""


ENGLISH = Rules(outer=("“", "”"), inner=("‘", "’"), dash="–")
RULES: dict[str, Rules] = {
    "en": ENGLISH,
    "ru": Rules(outer=("«", "»"), inner=("„", "“"), dash="—", nbsp_before_dash=True,
                short_words="авиксоуяжбАВИКСОУЯЖБ", nbsp_after_numbers=True, single_as_outer=True),
    "uk": Rules(outer=("«", "»"), inner=("„", "“"), dash="—", nbsp_before_dash=True,
                short_words="авіїкоуйзАВІЇКОУЙЗ", nbsp_after_numbers=True, single_as_outer=True),
    "de": Rules(outer=("„", "“"), inner=("‚", "‘"), dash="–"),
    "he": Rules(outer=("”", "”"), inner=("’", "’"), dash="–"),
    "ar": Rules(outer=("«", "»"), inner=("“", "”"), dash="–"),
}


def rules_for(lang: str) -> Rules:
    return RULES.get(lang, RULES.get(lang.split("-")[0], ENGLISH))


APOSTROPHE = "’"
# Words that begin with an elided letter ('n', 'em, 'til, 'tis) and decades ('90s): pandoc's `smart`
# reads the apostrophe before them as an opening single quote. The Chicago Manual of Style (6.115)
# and every English style guide set them with an apostrophe (’), never with an opening quote (‘).
ELISION = re.compile(r"^(?:\d\ds?\b|(?:n|em|til|tis|twas|cause)\b)", re.IGNORECASE)


def _elided(content: list[Node]) -> bool:
    """Whether a single-quoted run really begins with an apostrophe ('90s, 'n')."""
    return bool(content) and content[0]["t"] == "Str" and bool(ELISION.match(content[0]["c"]))


def _quote_marks(node: Node, rules: Rules, depth: int) -> tuple[str, str]:
    """The marks for a Quoted node: double quotes take the outer marks at the first level, single
    quotes the inner ones (unless the language has none); an elision gets apostrophes."""
    single = node["c"][0]["t"] == "SingleQuote"
    if single and _elided(node["c"][1]):
        return APOSTROPHE, APOSTROPHE
    outer = depth == 0 and (not single or rules.single_as_outer)
    return rules.outer if outer else rules.inner


def _is_inline_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(
        isinstance(item, dict) and item.get("t") in INLINE_TAGS for item in value)


# A command-line option written in prose (`#### --acd-encoding`, `see --help`): pandoc's smart punctuation
# (and the rule below) make its two hyphens an en dash. A dash that opens a word and runs straight into a
# Latin letter is not prose's dash (that stands between words, spaced or not): it is given back its hyphens.
OPTION = re.compile(r"(?:^|(?<=[\s(\[{/]))–(?=[A-Za-z])")


def _text(text: str) -> str:
    """Rules that need no context: number ranges, ellipses, double hyphens (not a command-line option's)."""
    text = re.sub(r"(?<=\d)-(?=\d)", "–", text)
    text = text.replace("...", "…").replace("---", "—").replace("--", "–")
    return OPTION.sub("--", text)


def set_inlines(inlines: list[Node], rules: Rules, depth: int = 0) -> list[Node]:
    """The inlines with quotes, dashes and ties set for the language (a new list)."""
    expanded: list[Node] = []
    for node in inlines:
        tag = node["t"]
        if tag == "Quoted":
            marks = _quote_marks(node, rules, depth)
            expanded.append({"t": "Str", "c": marks[0]})
            expanded.extend(set_inlines(node["c"][1], rules, depth + 1))
            expanded.append({"t": "Str", "c": marks[1]})
        elif tag == "Str":
            expanded.append({"t": "Str", "c": _text(node["c"])})
        else:
            expanded.append(_set_children(node, rules, depth))
    out: list[Node] = []
    for index, node in enumerate(expanded):
        before = expanded[index - 1] if index else None
        after = expanded[index + 1] if index + 1 < len(expanded) else None
        if node["t"] == "Str" and node["c"] in DASHES and _space(before) and _space(after):
            node = {"t": "Str", "c": rules.dash}
            if rules.nbsp_before_dash and out and out[-1]["t"] == "Space":
                out[-1] = {"t": "Str", "c": NBSP}
        elif node["t"] == "Space" and before is not None and before["t"] == "Str" and _ties(before["c"], after, rules) or (node["t"] == "Space" and rules.nbsp_before_dash and after is not None and after["t"] == "Str"
              and after["c"].startswith(("—", "–")) and before is not None):
            node = {"t": "Str", "c": NBSP}
        out.append(node)
    # A word may come in pieces (`–`, `no`, `-`, `traverse` in a link's text): options are found in whole words.
    return [{"t": "Str", "c": OPTION.sub("--", node["c"])} if node["t"] == "Str" else node
            for node in merge_strings(out)]


def _space(node: Node | None) -> bool:
    return node is not None and node["t"] in ("Space", "SoftBreak")


def _ties(word: str, after: Node | None, rules: Rules) -> bool:
    """Whether the space after *word* should not break."""
    if after is None or after["t"] != "Str":
        return False
    if rules.short_words and re.search(rf"(^|[\s(«„\u00a0])[{rules.short_words}]$", word):
        return True
    return rules.nbsp_after_numbers and bool(re.search(r"(^|[\s(\u00a0])\d+$", word)) and after["c"][:1].isalpha()


def _set_children(node: Node, rules: Rules, depth: int) -> Node:
    """A copy of *node* whose nested inline lists are set (code is left alone)."""
    if node["t"] in ("Code", "CodeBlock", "RawInline", "RawBlock", "Math"):
        return node
    if "c" not in node:
        return node

    def walk(value: Any) -> Any:
        if _is_inline_list(value):
            return set_inlines(value, rules, depth)
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict) and "t" in value:
            return _set_children(value, rules, depth)
        return value

    result = dict(node)
    result["c"] = walk(node["c"])
    return result


def set_text(text: str, lang: str) -> str:
    """The same rules for plain strings such as a title in the metadata."""
    rules = rules_for(lang)
    text = _text(text)
    text = re.sub(r"(?<=\w)'(?=\w)", "’", text)
    text = re.sub(r"(^|[\s(\[])'(?=\d\ds\b)", "\\1’", text)
    text = re.sub(r"(^|[\s(\[])'", r"\1" + rules.inner[0], text)
    text = text.replace("'", rules.inner[1] if rules.inner[1] != "“" else "’")
    text = re.sub(r'(^|[\s(\[])"', r"\1" + rules.outer[0], text)
    text = text.replace('"', rules.outer[1])
    dash = (NBSP if rules.nbsp_before_dash else " ") + rules.dash + " "
    text = re.sub(r" (?:-|--|–|—) ", dash, text)
    if rules.short_words:
        text = re.sub(rf"(^|(?<=[\s(«„]))([{rules.short_words}]) ", r"\2" + NBSP, text)
    return text


def typography(edition: Edition, context: TransformContext | None = None) -> Edition:
    """Set every section's text, and the metadata's titles, by the edition's language."""
    rules = rules_for(edition.lang)
    sections = []
    for section in edition.sections:
        heading = _set_children(section.heading, rules, 0) if section.heading else None
        blocks = tuple(_set_children(block, rules, 0) for block in section.blocks)
        title = plain_text(heading["c"][2]) if heading else section.title
        sections.append(replace(section, heading=heading, blocks=blocks, title=title))
    meta: Metadata = edition.metadata
    meta = replace(meta, title=set_text(meta.title, edition.lang), subtitle=set_text(meta.subtitle, edition.lang),
                   description=set_text(meta.description, edition.lang))
    return replace(edition, sections=tuple(sections), metadata=meta)
