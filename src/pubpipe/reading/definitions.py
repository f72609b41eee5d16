"""Terms defined the CommonMark spec's way: `[term](@)` is where a term is defined, `[term]` refers to it."""

# The CommonMark spec (and the specs written with its tools, e.g. GitHub's GFM spec) marks the place a
# term is defined with a link to `@`; its tools give that place an id made from the term and turn every
# `[term]` of the text into a link to it. Read as plain CommonMark, the first would be a link to a file
# named `@` and the second stays as text in brackets. Here the definition becomes a span with the id
# (`[term]{#term .definition}`) and link reference definitions `[term]: #term` and `[terms]: #term` are
# added at the end of the file, so `[term]`, `[term]s` and `[terms]` link to it in every format. Lines keep
# their numbers.

from __future__ import annotations

import re

from ..importers.pymarkdown import FENCE

DEFINITION = re.compile(r"\[([^\[\]]+)\]\(@\)")


def term_definitions(body: str) -> str | None:
    """*body* with its `[term](@)` definitions made ids and references (see above); None when it has none."""
    if "](@)" not in body:
        return None
    from ..transforms.ids import github_slug

    terms: dict[str, str] = {}
    fenced = fenced_spans(body)

    def define(match: re.Match[str]) -> str:
        if any(begin <= match.start() < end for begin, end in fenced):
            return match.group(0)
        term = " ".join(match.group(1).split())  # a term may run over a line end
        slug = github_slug(term)
        terms.setdefault(term.casefold(), slug)
        return f"[{match.group(1)}]{{#{slug} .definition}}"

    text = DEFINITION.sub(define, body)
    if not terms:
        return None
    # `[spaces]` refers to `[space](@)`, as the spec's tools read it.
    plurals = {term + "s": slug for term, slug in terms.items() if not term.endswith("s") and term + "s" not in terms}
    references = [f"[{term}]: #{slug}" for term, slug in {**terms, **plurals}.items()]
    return text.rstrip("\n") + "\n\n" + "\n".join(references) + "\n"


def fenced_spans(body: str) -> list[tuple[int, int]]:
    """Where *body*'s fenced code blocks are: (first, past the last) character offsets."""
    spans: list[tuple[int, int]] = []
    fence: str | None = None
    offset = begin = 0
    for line in body.split("\n"):
        opening = FENCE.match(line)
        if fence is None and opening:
            fence, begin = opening.group(1), offset
        elif fence is not None and opening and opening.group(1)[0] == fence[0] \
                and len(opening.group(1)) >= len(fence) and not line.strip()[len(opening.group(1)):].strip():
            spans.append((begin, offset + len(line)))
            fence = None
        offset += len(line) + 1
    if fence is not None:
        spans.append((begin, offset))
    return spans
