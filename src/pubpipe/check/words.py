"""Word rules: repeated words in any language, and an English modal verb followed by a past form."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .registry import rule
from .source import Finding, Fix, SourceFile

REPEATED = re.compile(r"\b([^\W\d_]+)(\s+)(\1)\b", re.IGNORECASE)
# Doubled words that are grammatical ("had had", "that that"; Russian "что что-то" is hyphenated).
ALLOWED_REPEATS = {"en": {"had", "that"}}
MODALS = r"can|could|may|might|must|shall|should|will|would"
# Irregular past forms that are never the bare infinitive a modal wants ("could came").
PAST = {"came", "went", "took", "gave", "did", "was", "were", "had", "ate", "began", "broke",
        "brought", "bought", "caught", "chose", "drew", "drank", "drove", "fell", "felt", "fought",
        "flew", "forgot", "got", "grew", "heard", "held", "kept", "knew", "led", "left", "lost",
        "made", "meant", "met", "paid", "ran", "rang", "rose", "said", "sang", "sat", "sent", "shook",
        "sold", "spoke", "spent", "stood", "stole", "struck", "swam", "taught", "thought", "threw", "told",
        "understood", "woke", "won", "wore", "wrote"}
MODAL_PAST = re.compile(rf"\b({MODALS})(\s+(?:not\s+)?)([a-z]+)\b", re.IGNORECASE)


@rule("K141", "repeated-word", "error", """
    The same word twice in a row (`the the`), in every language; across a line break too. English
    "had had" and "that that" are grammatical and allowed. `--fix` drops the second word when both
    are on one line.""", fixable=True)
def repeated_word(source: SourceFile) -> Iterator[Finding]:
    allowed = ALLOWED_REPEATS.get(source.lang.split("-")[0], set())
    for paragraph in source.paragraphs():
        # Join the paragraph's lines, remembering where each starts, so "the\nthe" is caught too.
        joined, starts = "", []
        for number, text in paragraph:
            starts.append((len(joined), number))
            joined += text + "\n"
        for match in REPEATED.finditer(joined):
            if match.group(1).lower() in allowed:
                continue
            offset, number = max(s for s in starts if s[0] <= match.start())
            column = match.start() - offset
            fix = None
            if "\n" not in match.group(2):
                fix = Fix(number, match.end(1) - offset, match.end(3) - offset, "")
            yield Finding("K141", number, column + 1, f"repeated word: '{match.group(0).strip()}'",
                          "delete one of them", fix)


@rule("K142", "modal-with-past", "error", """
    English only: a modal verb followed by a past-tense form (`could came`, `would went`) where the
    bare infinitive belongs. The past forms checked are irregular ones that are never infinitives.""",
      languages=("en",))
def modal_with_past(source: SourceFile) -> Iterator[Finding]:
    for number, text in source.prose_lines():
        for match in MODAL_PAST.finditer(text):
            if match.group(3).lower() in PAST:
                yield Finding("K142", number, match.start() + 1, f"modal verb with a past form: '{match.group(0)}'",
                              f"use the infinitive after '{match.group(1)}' (e.g. 'could come')")
