"""Spelling per language, with dictionaries that ship in packages and the edition's own word list."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from ..errors import MissingDependency
from .registry import rule
from .source import Finding, SourceFile

# A word: letters, with inner apostrophes or hyphens ("workers'", "re-establishing", "по-прежнему").
WORD = re.compile(r"(?<![\w\-])([^\W\d_]+(?:[’'\-][^\W\d_]+)*)(?![\w\-]*\d)")
SUPPORTED = ("en", "ru")
# The script each dictionary spells: a word in another script (a Latin name or command in a Russian
# text, a Russian word quoted in an English one) is left to the author, as other spell checkers do.
SCRIPT = {"en": re.compile(r"[A-Za-z\u00C0-\u024F]"), "ru": re.compile(r"[\u0400-\u04FF]")}


@cache  # one loaded dictionary per language and process; it never changes
def _dictionary(lang: str) -> tuple[Callable[[str], bool], Callable[[str], str | None]]:
    """(is_known, suggest) for *lang*."""
    if lang == "ru":
        try:
            import pymorphy3
        except ImportError:
            raise MissingDependency("the Russian dictionary is not installed", hint="pip install pymorphy3 "
                                    "pymorphy3-dicts-ru", code="D110") from None
        # OpenCorpora's dictionary knows every inflected form, which a word list would not.
        morph = pymorphy3.MorphAnalyzer(lang="ru")
        speller = _speller("ru")
        return (lambda word: morph.word_is_known(word.lower().replace("ё", "е")) or morph.word_is_known(word.lower()),
                lambda word: _suggest(speller, word))
    speller = _speller(lang)
    return (lambda word: not speller.unknown([word]), lambda word: _suggest(speller, word))


def _speller(lang: str) -> Any:
    try:
        from spellchecker import SpellChecker
    except ImportError:
        raise MissingDependency("the spelling dictionaries are not installed", hint="pip install pyspellchecker",
                                code="D110") from None
    # distance 1 keeps suggestions fast; a word further off gets none rather than a slow guess.
    return SpellChecker(language=lang, distance=1)


def _suggest(speller: Any, word: str) -> str | None:
    """The most frequent candidate, ties broken alphabetically: SpellChecker.correction() takes the
    first of equally frequent candidates in set order, which changes with each run's string hashing."""
    candidates = speller.candidates(word.lower()) or ()
    ranked = sorted((c for c in candidates if c != word.lower()), key=lambda c: (-speller[c], c))
    return ranked[0] if ranked else None


def british_variant(word: str) -> str:
    """-ise/-isation/-our spellings mapped to the American ones the English dictionary lists."""
    word = re.sub(r"is(e|ed|es|ing|ation|ations|er|ers)$", r"iz\1", word)
    word = re.sub(r"our(s|ed|ing|er|ers)?$", r"or\1", word)
    return re.sub(r"(programme)(s?)$", r"program\2", word)


def known(word: str, lang: str, words: frozenset[str]) -> bool:
    """Whether *word* is spelled right: in the word list, the dictionary, or made of known parts."""
    is_known, _ = _dictionary(lang)
    if word in words or word.lower() in words or word.capitalize() in words:
        return True
    bare = re.sub(r"['’]s?$", "", word)  # possessives: "Trotsky's", "workers'"
    if bare != word and known(bare, lang, words):
        return True
    if is_known(word) or is_known(word.lower()):
        return True
    if lang == "en" and is_known(british_variant(word.lower())):
        return True
    if "-" in word:
        return all(known(part, lang, words) for part in word.split("-") if part)
    return False


@rule("K151", "spelling", "error", """
    A word that is neither in the language's dictionary nor in the edition's word list
    (`source/<lang>/words.txt`, one word per line, `#` comments). English uses pyspellchecker's
    dictionary (British -ise/-our/-programme spellings accepted), Russian the OpenCorpora dictionary
    of pymorphy3, which knows every inflected form. Other languages are not spell-checked, nor
    words in another script than the language's (Latin words in a Russian text, Cyrillic in an English one).
    Possessives and hyphenated compounds are checked by their parts.""", languages=SUPPORTED)
def spelling(source: SourceFile) -> Iterator[Finding]:
    lang = source.lang.split("-")[0]
    _, suggest = _dictionary(lang)
    seen: dict[str, bool] = {}
    for number, text in source.prose_lines():
        for match in WORD.finditer(text):
            word = match.group(1).strip("'’-")
            if len(word) < 2 or word.isupper() and len(word) <= 5:
                continue  # single letters and short acronyms (SRs, USSR) are not words to spell
            if not SCRIPT[lang].match(word):
                continue  # another script's word: not this dictionary's to judge
            if word not in seen:
                seen[word] = known(word, lang, source.words)
            if not seen[word]:
                guess = suggest(word)
                hint = f"did you mean '{guess}'? If" if guess else "check the spelling; if"
                yield Finding("K151", number, match.start(1) + 1, f"unknown word '{word}'",
                              f"{hint} it is right, add it to source/{source.lang}/words.txt")
