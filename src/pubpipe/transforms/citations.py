"""Citations: `[@key, p. 12]` and `@key` read as pandoc Cites, then rendered by pandoc's citeproc."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import SourceError, SourceRef
from ..model import Node, ast
from ..reading.positions import locate

if TYPE_CHECKING:
    from ..report import Reporter

# Keys with these prefixes are cross-references (transforms/crossrefs.py), never bibliography entries.
CROSSREF = re.compile(r"^(fig|tbl|eq|sec)-", re.IGNORECASE)
# pandoc's citation key: starts with a letter, digit or _, goes on with letters, digits and internal
# punctuation; punctuation at its end belongs to the sentence (pandoc manual, "Citation syntax").
KEY = r"[\w][\w:.#$%&\-+?<>~/]*"
KEY_TAIL = ":.#$%&-+?<>~/"
IN_TEXT = re.compile(rf"^(?P<pre>(?:.*[^\w@-])?)(?P<minus>-?)@(?P<key>{KEY})(?P<post>.*)$", re.DOTALL)
ONE_CITATION = re.compile(rf"^(?P<prefix>.*?)(?P<minus>-?)@(?P<key>{KEY})(?P<suffix>.*)$", re.DOTALL)
WARNING = re.compile(r"^\[WARNING\] Citeproc: citation (?P<key>\S+) not found")
PANDOC_API = [1, 23, 1]


def _split_key(key: str, post: str) -> tuple[str, str]:
    """The key without the sentence's punctuation at its end, and that punctuation put back after it."""
    stripped = key.rstrip(KEY_TAIL)
    return stripped, key[len(stripped):] + post


def _tokens(text: str) -> list[Node]:
    """Text as pandoc inlines: words as Str, runs of spaces as Space."""
    out: list[Node] = []
    for part in re.split(r"(\s+)", text):
        if not part:
            continue
        out.append({"t": "Space"} if part.isspace() else {"t": "Str", "c": part})
    return out


def _citation(key: str, mode: str, prefix: str = "", suffix: str = "") -> dict[str, Any]:
    return {"citationId": key, "citationPrefix": _tokens(prefix.strip()), "citationSuffix": _tokens(suffix.rstrip()),
            "citationMode": {"t": mode}, "citationNoteNum": 0, "citationHash": 0}


def _bracketed(inner: str) -> list[dict[str, Any]] | None:
    """The citations of `[inner]` (`see @a, p. 3; -@b`), or None if it is not a citation."""
    citations = []
    for part in inner.split(";"):
        match = ONE_CITATION.match(part)
        if not match or (match.group("prefix") and match.group("prefix")[-1:].isalnum()):
            return None
        key, suffix = _split_key(match.group("key"), match.group("suffix"))
        mode = "SuppressAuthor" if match.group("minus") else "NormalCitation"
        citations.append(_citation(key, mode, match.group("prefix"), suffix))
    return citations or None


def _text_of(node: Node) -> str | None:
    if node["t"] == "Str":
        return str(node["c"])
    return " " if node["t"] in ("Space", "SoftBreak") else None


def recognize_inlines(inlines: list[Node], any_key: bool) -> list[Node]:
    """Inlines with citation syntax written as text (CommonMark has no citations) turned into Cites.

    *any_key*: whether every key counts (a bibliography is set); otherwise only cross-reference keys
    do, so `@name` in a text without a bibliography stays text.
    """
    def wanted(citations: list[dict[str, Any]]) -> bool:
        return any_key or all(CROSSREF.match(c["citationId"]) for c in citations)

    from ..model.ast import merge_strings

    inlines = merge_strings(inlines)
    out: list[Node] = []
    index = 0
    while index < len(inlines):
        node = inlines[index]
        text = node.get("c") if node["t"] == "Str" else None
        if isinstance(text, str) and "[" in text and "@" in "".join(
                _text_of(n) or "" for n in inlines[index:index + 40]):
            before, _, rest = text.partition("[")
            end, joined = index, "[" + rest
            while "]" not in joined and end + 1 < len(inlines) and _text_of(inlines[end + 1]) is not None:
                end += 1
                joined += _text_of(inlines[end]) or ""
            if "]" in joined:
                inner, _, after = joined[1:].partition("]")
                citations = _bracketed(inner)
                if citations and wanted(citations):
                    out.extend(_tokens(before))
                    out.append({"t": "Cite", "c": [citations, _tokens("[" + inner + "]")]})
                    out.extend(_tokens(after))
                    index = end + 1
                    continue
        if isinstance(text, str) and "@" in text:
            match = IN_TEXT.match(text)
            if match:
                key, post = _split_key(match.group("key"), match.group("post"))
                mode = "SuppressAuthor" if match.group("minus") else "AuthorInText"
                citation = _citation(key, mode)
                if wanted([citation]) and "@" not in post:
                    out.extend(_tokens(match.group("pre")))
                    out.append({"t": "Cite", "c": [[citation], [{"t": "Str", "c": text[len(match.group("pre")):
                                                                                       len(text) - len(post)]}]]})
                    out.extend(_tokens(post))
                    index += 1
                    continue
        out.append(node)
        index += 1
    return out


def recognize(blocks: list[Node], any_key: bool) -> list[Node]:
    """*blocks* with every inline list's citation syntax turned into Cites (code and raw text left alone)."""
    def walk(value: Any) -> Any:
        if isinstance(value, list):
            items = [walk(item) for item in value]
            if items and all(isinstance(i, dict) and i.get("t") in INLINE for i in items):
                return recognize_inlines(items, any_key)
            return items
        if isinstance(value, dict) and "t" in value:
            # Not inside code, math or raw text; nor inside a link's text or an image's (a link in a link).
            if value["t"] in ("Code", "CodeBlock", "RawInline", "RawBlock", "Math", "Cite", "Link", "Image"):
                return value
            if "c" in value:
                value["c"] = walk(value["c"])
        return value

    result: list[Node] = walk(blocks)
    return result


INLINE = {"Str", "Space", "SoftBreak", "LineBreak", "Emph", "Strong", "Strikeout", "Superscript", "Subscript",
          "SmallCaps", "Underline", "Quoted", "Cite", "Code", "Math", "RawInline", "Link", "Image", "Note", "Span"}


def _plain(value: Any) -> Any:
    """*value* without pubpipe's `pos` keys, for pandoc's JSON reader."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "pos"}
    return value


def _cites(blocks: list[Node]) -> list[tuple[Node, SourceRef | None]]:
    """Every bibliography Cite in document order with the nearest position before it; each citation's
    note number counts the notes and citations before it (a note style's "ibid." depends on it)."""
    found: list[tuple[Node, SourceRef | None]] = []
    place: SourceRef | None = None
    notes = 0
    for block in blocks:
        for node in (block, *ast.children(block)):
            place = node.get("pos") or place
            if node["t"] == "Note":
                notes += 1
            elif node["t"] == "Cite" and not all(CROSSREF.match(c["citationId"]) for c in node["c"][0]):
                notes += 1
                for citation in node["c"][0]:
                    citation["citationNoteNum"] = notes
                found.append((node, node.get("pos") or place))
    return found


def to_meta(value: Any) -> dict[str, Any]:
    """A YAML value as pandoc's JSON metadata (strings stay strings: citeproc reads them as text)."""
    if isinstance(value, dict):
        return {"t": "MetaMap", "c": {str(key): to_meta(item) for key, item in value.items()}}
    if isinstance(value, list):
        return {"t": "MetaList", "c": [to_meta(item) for item in value]}
    if isinstance(value, bool):
        return {"t": "MetaBool", "c": value}
    return {"t": "MetaString", "c": str(value)}


def run_citeproc(blocks: list[Node], bibliographies: tuple[Path, ...], csl: Path | None, lang: str,
                 references_title: str, where: SourceRef, reporter: Reporter | None,
                 references: list[Any] | None = None) -> list[Node]:
    """*blocks* with each Cite rendered by pandoc's citeproc in the edition's language, and the list of
    references in the Div `#refs` (or appended under *references_title*). The entries come from the
    *bibliographies* and from *references* (CSL YAML items written in the metadata). Unknown keys are
    warnings (X102) at the citation; a bibliography pandoc cannot read is an error (X103).

    Only the Cites and the `#refs` Div go through pandoc, one paragraph each, in document order, so
    the rest of the AST (and its positions) is not round-tripped.
    """
    cites = _cites(blocks)
    if not cites:
        return blocks
    refs = next((div for div in ast.find(blocks, "Div") if div["c"][0][0] == "refs"), None)
    meta = {"references": to_meta(references)} if references else {}
    document = {"pandoc-api-version": PANDOC_API, "meta": meta,
                "blocks": [{"t": "Para", "c": [_plain(cite)]} for cite, _ in cites]
                + [{"t": "Div", "c": [["refs", [], []], []]}]}
    args = ["-f", "json", "-t", "json", "--citeproc", "-M", f"lang={lang}", "-M", "link-citations=true"]
    args += [f"--bibliography={path}" for path in bibliographies]
    if csl is not None:
        args.append(f"--csl={csl}")
    done = _pandoc(args, json.dumps(document), where)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SourceError(f"citeproc could not read the bibliography or style: {message[-1] if message else ''}",
                          SourceRef(csl if csl and "csl" in (message[-1] if message else "").lower()
                                    else bibliographies[0] if bibliographies else where.path),
                          "check the file's syntax (BibTeX, CSL JSON or CSL)", code="X103")
    result = json.loads(done.stdout)["blocks"]
    first_place: dict[str, SourceRef | None] = {}
    for cite, place in cites:
        for citation in cite["c"][0]:
            first_place.setdefault(citation["citationId"], place)
    missing: list[str] = []
    for line in done.stderr.decode("utf-8", "replace").splitlines():
        match = WARNING.match(line)
        if match and match.group("key") not in missing:
            missing.append(match.group("key"))
    for key in missing:
        if reporter is not None:
            reporter.warn("X102", f"citation '@{key}' is not in the bibliography; written as '{key}?'",
                          locate(first_place.get(key, where), "@" + key),
                          "check the key against the bibliography file")
    # Each Cite in place gets the rendered one (a note style may have made it a Note); a link to the
    # entry of a missing key would lead nowhere, so only its text is kept.
    dead = {f"#ref-{key}" for key in missing}

    def unlink(node: Node) -> list[Node] | None:
        return node["c"][1] if node["t"] == "Link" and node["c"][2][0] in dead else None

    for (cite, _), para in zip(cites, result):
        rendered = next(iter(ast.find(para, "Cite")), None)
        inlines = rendered["c"][1] if rendered else para["c"]
        cite["c"][1] = ast.map_nodes(inlines, unlink) if dead else inlines
    rendered_refs = next((div for div in ast.find(result, "Div") if div["c"][0][0] == "refs"), None)
    if rendered_refs is None:
        return blocks
    if refs is not None:
        refs["c"] = rendered_refs["c"]
        return blocks
    last = blocks[-1] if blocks else None
    if last is not None and last["t"] == "Header" and \
            ast.plain_text(last["c"][2]).casefold() == references_title.casefold():
        return [*blocks, rendered_refs]  # the text ends with its own "References" heading: the list goes there
    taken = set(ast.ids_in(blocks))
    ident = next(name for name in ("references", "references-list", "references-list-2") if name not in taken)
    heading = {"t": "Header", "c": [1, [ident, ["unnumbered"], []], [{"t": "Str", "c": references_title}]]}
    if blocks and "pos" in blocks[-1]:
        heading["pos"] = blocks[-1]["pos"]
    return [*blocks, heading, rendered_refs]


def _pandoc(args: list[str], text: str, where: SourceRef) -> Any:
    import subprocess

    from ..reading.pandoc import pandoc_path

    try:
        return subprocess.run([pandoc_path(), *args], input=text.encode("utf-8"), capture_output=True,
                              timeout=600, check=False)
    except subprocess.TimeoutExpired:
        raise SourceError("citeproc did not finish within 600 s", where, "split the bibliography",
                          code="X103") from None
