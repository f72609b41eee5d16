"""Clause-shape heuristics for English: dashes lost without a trace, seen from the sentence's shape."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .registry import rule
from .source import Finding, SourceFile

SENTENCE_END = re.compile(r"(?<=[a-z0-9)\"”’][.!?])\s+(?=[\"“(]?[A-Z])")
# Two or more ", the …" items in a row, then more text in the same sentence: an enumeration that
# interrupts the sentence, which English sets off with dashes (or introduces with a colon).
INSERTED_LIST = re.compile(r"(?P<first>\w+)(?P<items>(?:,\s+the\s+[^,;:.!?()–—]+?){2,}(?:,\s+the\s+[^,;:.!?()–—]+))"
                           r"\s+(?P<after>(?:still|also|then|had|has|have|was|were|is|are|would|could|should|must|"
                           r"can|will|did|does|do|remained|remain|remains)\b)")
MARKS = re.compile(r"\s[-–—]\s|:|\(|\)|—|–")
# Demonstrative + noun, then at once a new noun phrase with "a/an": "for this task a Fifth
# International" is an apposition that lost its dash. Words after which "a" is ordinary grammar
# (verbs, pronouns, prepositions) are excluded.
APPOSITION = re.compile(r"\b(this|these|those)\s+([a-z]+)\s+(an?)\s+([A-Za-z]+)")
NOT_NOUNS = {"is", "was", "are", "were", "be", "been", "has", "had", "have", "as", "gave", "gives", "give", "made",
             "makes", "make", "became", "becomes", "become", "remains", "remained", "seems", "seemed", "offers",
             "offered", "took", "takes", "take", "meant", "means", "needs", "needed", "into", "for", "with", "like",
             "without", "from", "about", "after", "before", "in", "on", "at", "by", "of", "to", "once", "not",
             "left", "leaves", "called", "calls", "named", "found", "finds", "via", "provides", "provided"}


def _sentences(source: SourceFile) -> Iterator[tuple[list[tuple[int, int]], str]]:
    """Each sentence of each paragraph, with (offset, line) starts to map positions back to lines."""
    for paragraph in source.paragraphs():
        joined, starts = "", []
        for number, text in paragraph:
            starts.append((len(joined), number))
            joined += text + " "
        position = 0
        for match in list(SENTENCE_END.finditer(joined)) + [None]:
            end = match.start() if match else len(joined)
            yield [(offset - position, number) for offset, number in starts], joined[position:end]
            if match:
                position = match.end()


def _place(starts: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    base, number = max((s for s in starts if s[0] <= offset), default=starts[0])
    return number, offset - base + 1


@rule("K171", "inserted-list-without-dashes", "warning", """
    English: a sentence carries a run of three or more `, the …` items and then goes on with its verb
    (`recognised the existing property forms nationalised industry, the absence of a capitalist class,
    the planned economy, the monopoly of foreign trade still had to be defended`) with no dash, colon
    or bracket anywhere in it. Such an inserted enumeration is set between dashes; without them, the
    dashes were probably lost. Reported at the first item's comma and at the word after the list.""",
      languages=("en",))
def inserted_list(source: SourceFile) -> Iterator[Finding]:
    for starts, sentence in _sentences(source):
        if MARKS.search(sentence):
            continue
        for match in INSERTED_LIST.finditer(sentence):
            shown = f"{match.group('first')}{match.group('items')[:30]}… {match.group('after')}"
            number, column = _place(starts, match.end("first"))
            yield Finding("K171", number, column, f"list inside the sentence without dashes: '{shown}'",
                          "if the list is an aside, set it between dashes (' – … – ')")
            number, column = _place(starts, match.start("after"))
            yield Finding("K171", number, column, f"sentence goes on after an inserted list: "
                          f"'…{match.group('items')[-20:]} {match.group('after')}'",
                          "close the aside with a dash before this word")


@rule("K172", "apposition-without-dash", "warning", """
    English: a demonstrative noun phrase runs straight into a new one with `a`/`an` (`for this task
    a Fifth International`). An apposition like that needs a dash or a colon; without it, one was
    probably lost. Verbs and prepositions after the demonstrative (`this is a`, `this as a`) are
    not reported.""", languages=("en",))
def apposition(source: SourceFile) -> Iterator[Finding]:
    for number, text in source.prose_lines():
        for match in APPOSITION.finditer(text):
            if match.group(2) in NOT_NOUNS or match.group(2).endswith("ly"):
                continue
            yield Finding("K172", number, match.start(3), f"noun phrase runs into an apposition: '{match.group(0)}'",
                          f"put a dash or a colon after '{match.group(2)}'")
