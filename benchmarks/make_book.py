"""Generate a long sample book (chapters, footnotes, tables, code) of about N printed pages, for benchmarks.

    python benchmarks/make_book.py 300 /tmp/book300

The text is pseudo-random but fixed by the seed, so every run makes the same book. The page
count is approximate (about PAGE_WORDS words of running text per A4 page with the default styles);
benchmarks/run.py reports the real count from the PDF.
"""

from __future__ import annotations

import argparse
import random
import textwrap
from pathlib import Path

WORDS = ["publication", "edition", "revolution", "theory", "history", "worker", "state", "economy", "market", "plan", "society", "question", "answer", "chapter", "argument", "evidence", "source", "reader", "printer", "language", "translation", "council", "party", "program", "bureaucracy", "planning", "production", "distribution", "analysis", "crisis", "century", "industry", "village", "city", "congress", "newspaper", "letter", "method", "critique", "principle"]
PAGE_WORDS = 390  # running text per A4 page with pubpipe's print.css, measured on this generator's output
PAGES_PER_CHAPTER = 15


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    return " ".join(words).capitalize() + rng.choice(".....?")


def paragraph(rng: random.Random, note: list[int]) -> str:
    text = " ".join(sentence(rng) for _ in range(rng.randint(3, 7)))
    if rng.random() < 0.35:
        note[0] += 1
        words = text.split(" ")
        at = rng.randint(3, len(words) - 1)
        words[at] += f"[^n{note[0]}]"
        text = " ".join(words) + f"\n\n[^n{note[0]}]: {sentence(rng)} {sentence(rng)}"
    return text


def table(rng: random.Random) -> str:
    rows = ["| Year | Output | Share | Note |", "| ---: | ---: | ---: | :--- |"]
    for year in range(1920, 1920 + rng.randint(4, 9)):
        rows.append(f"| {year} | {rng.randint(100, 9999):,} | {rng.random() * 100:.1f} % | {rng.choice(WORDS)} |")
    return "\n".join(rows)


def code(rng: random.Random) -> str:
    body = "\n".join(f"    total += {rng.choice(WORDS)}[{i}] * {rng.randint(2, 9)}" for i in range(rng.randint(3, 8)))
    return f"```python\ndef {rng.choice(WORDS)}_{rng.randint(1, 99)}(values):\n    total = 0\n{body}\n    return total\n```"


def chapter(number: int, rng: random.Random, words: int, note: list[int]) -> str:
    parts = [f"# Chapter {number}: The {rng.choice(WORDS)} and the {rng.choice(WORDS)} {{#chapter-{number}}}"]
    written = 0
    section = 0
    while written < words:
        if written >= section * 900:
            section += 1
            parts.append(f"## {rng.choice(WORDS).capitalize()} {number}.{section}")
        roll = rng.random()
        if roll < 0.06:
            parts.append(table(rng))
            written += 60
        elif roll < 0.11:
            parts.append(code(rng))
            written += 50
        else:
            text = paragraph(rng, note)
            parts.append(text)
            written += len(text.split())
    if number > 1:
        parts.append(f"See also [chapter {number - 1}](#chapter-{number - 1}).")
    return "\n\n".join(parts) + "\n"


def make_book(pages: int, root: Path, seed: int = 1917, chapters: int = 0) -> Path:
    """Write a pubpipe project of about *pages* A4 pages under *root* (in *chapters* chapter files, or one
    per PAGES_PER_CHAPTER pages); returns root."""
    rng = random.Random(seed)
    folder = root / "source" / "en"
    folder.mkdir(parents=True, exist_ok=True)
    chapters = chapters or max(1, round(pages / PAGES_PER_CHAPTER))
    words = pages * PAGE_WORDS // chapters
    note = [0]
    names = []
    for number in range(1, chapters + 1):
        name = f"{number:03d}-chapter.md"
        (folder / name).write_text(chapter(number, rng, words, note), encoding="utf-8")
        names.append(name)
    (root / "source" / "publication.yaml").write_text(textwrap.dedent(f"""\
        slug: book-{pages}
        identifier: urn:uuid:6b7c1f2e-0d3a-4b5c-8e9f-{pages:012d}
        title: A Generated Book of {pages} Pages
        authors: [Benchmark Generator]
        language: en
        rights: "CC0"
        date: "2026-01-01"
        formats: [pdf]
        editions:
          - lang: en
            files: [{", ".join(names)}]
        """), encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=int)
    parser.add_argument("target", type=Path)
    arguments = parser.parse_args()
    make_book(arguments.pages, arguments.target)


if __name__ == "__main__":
    main()
