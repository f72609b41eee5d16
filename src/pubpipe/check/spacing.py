"""Spacing rules: sentences, words and list items run together; lost dashes; stray, doubled, misplaced spaces."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .registry import rule
from .source import Finding, Fix, SourceFile

NBSP = "\u00a0"
LOWER = "a-zа-яёß-öø-ÿ"
UPPER = "A-ZА-ЯЁÀ-ÖØ-Þ"
# A sentence end glued to the next sentence: two lower-case letters (so "e.g.", initials and
# "U.S." stay alone), the stop, an optional closing quote or bracket, then a capitalised word.
CLOSERS = "\"'”’»)"
RUN_SENTENCES = re.compile(rf"(?<![\w.])([{UPPER}]?[{LOWER}]*[{LOWER}]{{2}}[{CLOSERS}]?[.!?][{CLOSERS}]?)"
                           rf"([{UPPER}][{LOWER}]+)")
# A lower-case word glued to a capitalised one: "inStalin's"; names like "McDonald" or "iPhone" start
# differently, and camel-case identifiers belong in code spans.
RUN_WORDS = re.compile(rf"\b([{LOWER}]{{2,}})([{UPPER}][{LOWER}]+)")
BULLETS = "•▪‣◦●"
FUSED_BULLET = re.compile(rf"(\S)\s*([{BULLETS}])\s*")
DOUBLED = re.compile(r"(?<=\S)( {2,})(?=\S)")
# A space before , ; : ! ? or a full stop that is not an ellipsis; French keeps a (no-break) space.
SPACE_BEFORE = re.compile(r"(?<=\w)([ \u00a0]+)([,;:!?]|\.(?!\.))(?=\s|$)")
SPACE_BEFORE_LANGS_EXEMPT = {"fr": ";:!?"}


@rule("K101", "run-together-sentences", "error", """
    A sentence runs into the next without a space (`insurrection.From`, `fronts".This`). Abbreviations
    (`e.g.`), initials (`J.R.R.`), decimals, URLs and file names are left alone. `--fix` inserts the space.""",
      fixable=True)
def run_together_sentences(source: SourceFile) -> Iterator[Finding]:
    for number, text in source.prose_lines():
        for match in RUN_SENTENCES.finditer(text):
            where = match.end(1)
            found = f"{match.group(1)[-6:]}{match.group(2)}"
            yield Finding("K101", number, where + 1, f"sentences run together: '{found}'",
                          f"put a space after '{match.group(1)[-1]}'", Fix(number, where, where, " "))


@rule("K102", "run-together-words", "error", """
    A lower-case word runs into a capitalised one (`inStalin's`). Words in the edition's word list
    are allowed. `--fix` inserts the space.""", fixable=True)
def run_together_words(source: SourceFile) -> Iterator[Finding]:
    for number, text in source.prose_lines():
        for match in RUN_WORDS.finditer(text):
            word = match.group(0) + re.match(r"[\w'’]*", text[match.end():]).group(0)  # type: ignore[union-attr]
            if word in source.words or match.group(0) in source.words:
                continue
            where = match.end(1)
            yield Finding("K102", number, match.start() + 1, f"words run together: '{word}'",
                          f"put a space before '{match.group(2)}'", Fix(number, where, where, " "))


@rule("K103", "run-together-list-items", "error", """
    A bullet character (`•`) inside a line: a list item ran into the one before it
    (`ones.• Build`), or a bullet was typed instead of a Markdown list marker. `--fix` starts a new
    list item when the line is one.""", fixable=True)
def run_together_items(source: SourceFile) -> Iterator[Finding]:
    for number, text in source.prose_lines():
        item = re.match(r"^(\s*[-*+]\s+|\s*\d+[.)]\s+)", text)
        for match in FUSED_BULLET.finditer(text):
            fix = None
            if item:
                marker = item.group(1)
                fix = Fix(number, match.start(2) - (match.start(2) - match.end(1)), match.end(),
                          "\n" + marker)
            yield Finding("K103", number, match.start(2) + 1,
                          f"list items run together: '{text[max(0, match.start() - 8):match.end() + 8].strip()}'",
                          "start a new list item ('- ') on its own line", fix)
        lead = re.match(rf"^\s*([{BULLETS}])\s", text)
        if lead:
            yield Finding("K103", number, lead.start(1) + 1, f"'{lead.group(1)}' used as a list marker",
                          "write '- ' to start a Markdown list item",
                          Fix(number, lead.start(1), lead.end(1), "-"))


@rule("K111", "lost-dash", "error", """
    A no-break space standing between two words with an ordinary space beside it (`Stalinism ⍽the`),
    or alone between two lower-case words (`them⍽the`): a dash was lost in transit and left its
    no-break space behind. Which dash it was is the author's call, so there is no `--fix`.""")
def lost_dash(source: SourceFile) -> Iterator[Finding]:
    pattern = re.compile(rf"(\w[\w)\]\"'”’]*)( ?{NBSP}+ ?)(?=[\w(\"“'‘])")
    for number, text in source.prose_lines():
        for match in pattern.finditer(text):
            before, gap = match.group(1), match.group(2)
            if text[match.start() - 1: match.start()] in (".", ",") and not gap.startswith(" "):
                continue
            spaced = gap != NBSP
            between_words = (re.fullmatch(rf"[{LOWER}]{{3,}}", before) is not None
                             and re.match(rf"[{LOWER}]{{2,}}", text[match.end():]) is not None)
            if spaced or between_words:
                shown = f"{before[-12:]}{gap}{text[match.end():match.end() + 6]}".replace(NBSP, "⍽")
                yield Finding("K111", number, match.start(2) + 1, f"no-break space where a dash was lost: '{shown}'",
                              "write a spaced dash ('–' or '—') or an ordinary space")


@rule("K112", "stray-no-break-space", "error", """
    A no-break space after punctuation (`fail,⍽ Stalinism`, `system? ⍽Is`): a stray character with
    no typographic job. After a full stop only when an ordinary space stands beside it, since
    `Mr.⍽Smith` ties an abbreviation on purpose. `--fix` leaves one ordinary space.""",
      fixable=True)
def stray_nbsp(source: SourceFile) -> Iterator[Finding]:
    pattern = re.compile(rf"([,;:.!?»”])([ {NBSP}]*{NBSP}[ {NBSP}]*)(?=\S)")
    for number, text in source.prose_lines():
        for match in pattern.finditer(text):
            if match.group(1) == "." and " " not in match.group(2):
                continue  # "Mr.⍽Smith", "p.⍽5": a tie after an abbreviation is on purpose
            shown = (text[max(0, match.start() - 6):match.end() + 6]).replace(NBSP, "⍽")
            yield Finding("K112", number, match.start(2) + 1, f"stray no-break space: '{shown}'",
                          "use one ordinary space", Fix(number, match.start(2), match.end(2), " "))


@rule("K113", "doubled-space", "error", """
    Two or more spaces between words inside a line (indentation and the two trailing spaces of a
    Markdown line break are left alone). `--fix` leaves one.""", fixable=True)
def doubled_space(source: SourceFile) -> Iterator[Finding]:
    for number, text in source.prose_lines():
        if text.lstrip().startswith("|"):
            continue  # table rows align their cells with spaces
        content_start = len(text) - len(text.lstrip())
        for match in DOUBLED.finditer(text, content_start):
            # A masked span (code, URL) is blanked to spaces; do not count those as doubled.
            if source.lines[number - 1][match.start():match.end()] != match.group(1):
                continue
            shown = text[max(0, match.start() - 8):match.end() + 8].strip()
            yield Finding("K113", number, match.start() + 1, f"doubled space: '{shown}'", "use one space",
                          Fix(number, match.start(), match.end(), " "))


@rule("K114", "space-before-punctuation", "error", """
    A space before `,` `;` `:` `!` `?` or a full stop. French, which sets a no-break space before
    `; : ! ?`, is exempt for those marks. `--fix` removes the space.""", fixable=True)
def space_before_punctuation(source: SourceFile) -> Iterator[Finding]:
    exempt = SPACE_BEFORE_LANGS_EXEMPT.get(source.lang.split("-")[0], "")
    for number, text in source.prose_lines():
        for match in SPACE_BEFORE.finditer(text):
            if match.group(2) in exempt:
                continue
            if source.lines[number - 1][match.start(1):match.end(1)] != match.group(1):
                continue  # blanked markup, not a space the author typed
            shown = text[max(0, match.start() - 8):match.end()].strip().replace(NBSP, "⍽")
            yield Finding("K114", number, match.start(1) + 1, f"space before '{match.group(2)}': '{shown}'",
                          "remove the space", Fix(number, match.start(1), match.end(1), ""))
