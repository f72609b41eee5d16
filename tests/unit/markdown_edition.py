"""A one-file publication written into tmp_path from a Markdown string, for the transform tests."""

from __future__ import annotations

from pathlib import Path

from pubpipe.model import Edition, Node
from pubpipe.reading.prepare import prepare_edition
from pubpipe.reading.project import load_project
from pubpipe.report import Reporter

PUBLICATION = """slug: case
identifier: urn:uuid:9a3e2c1b-5d4f-4e6a-8b7c-0d1e2f3a4b5c
title: Case
authors: [Ada Example]
rights: CC BY 4.0
language: {lang}
editions:
  - lang: {lang}
"""


def write_project(root: Path, markdown: str, lang: str = "en", settings: str = "",
                  files: dict[str, str | bytes] | None = None) -> Path:
    """*markdown* as source/<lang>/text.md of a new project under *root*; *settings* are more
    publication.yaml lines; *files* more files by path under source/."""
    (root / "source" / lang).mkdir(parents=True)
    (root / "source/publication.yaml").write_text(PUBLICATION.format(lang=lang) + settings, encoding="utf-8")
    (root / "source" / lang / "text.md").write_text(markdown, encoding="utf-8")
    for name, content in (files or {}).items():
        path = root / "source" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def edition_of(root: Path, markdown: str, lang: str = "en", settings: str = "",
               files: dict[str, str | bytes] | None = None) -> tuple[Edition | None, Reporter]:
    """The prepared edition of *markdown* (parse and every transform; None if it could not be read)
    and the errors and warnings found."""
    write_project(root, markdown, lang, settings, files)
    reporter = Reporter()
    return prepare_edition(load_project(root), lang, reporter), reporter


def blocks(edition: Edition) -> list[Node]:
    """Every block of the edition, headings included, in order."""
    found: list[Node] = []
    for section in edition.sections:
        found += ([section.heading] if section.heading else []) + list(section.blocks)
    return found
