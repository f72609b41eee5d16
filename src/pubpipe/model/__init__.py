"""The data model every backend receives: Edition, Section, Metadata, Asset, EditionLink."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SourceRef

# A pandoc AST node as decoded from pandoc's JSON: {"t": tag, "c": content}. Block nodes
# carry an extra "pos" key ([line, column]) added by reading/sections.py from pandoc's sourcepos.
Node = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Metadata:
    """An edition's resolved metadata: publication-wide values overlaid by its front matter."""

    title: str
    """Title of the work in this edition's language."""
    lang: str
    """BCP 47 language tag of the edition."""
    identifier: str
    """Stable identifier of the edition (a URN), the same on every build."""
    authors: tuple[str, ...] = ()
    """Authors as credited."""
    subtitle: str = ""
    """Optional subtitle."""
    description: str = ""
    """One-paragraph description, used as the abstract and the PDF subject."""
    translators: tuple[str, ...] = ()
    """Translators of this edition, empty for the original."""
    publisher: str = ""
    """Publisher credit."""
    rights: str = ""
    """Copyright or licence statement."""
    date: str = ""
    """Publication date, ISO 8601 (YYYY or YYYY-MM-DD)."""
    keywords: tuple[str, ...] = ()
    """Keywords for PDF and EPUB metadata."""
    direction: str = "ltr"
    """Writing direction of the edition, `ltr` or `rtl`."""
    page_size: str = "A4"
    """Page size for print, any CSS `size` value."""
    original_identifier: str = ""
    """For a translation: the identifier of the original edition."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Metadata keys pubpipe does not interpret, passed to templates as they are."""


@dataclass(frozen=True, slots=True)
class Asset:
    """A file the edition uses (an image), inside the project."""

    source: Path
    """Absolute path of the file."""
    href: str
    """Path the outputs use for it, relative to the edition's output folder."""
    media_type: str
    """MIME type, e.g. `image/png`."""


@dataclass(frozen=True, slots=True)
class Section:
    """A top-level division of an edition: the text under one level-1 heading (or before the first)."""

    id: str
    """Unique id of the section, also the id of its heading."""
    title: str
    """Plain-text title; empty for an opening section without a heading."""
    heading: Node | None
    """The pandoc Header node, or None for an opening section without a heading."""
    blocks: tuple[Node, ...]
    """The pandoc blocks after the heading."""
    source: SourceRef
    """Where the section starts."""
    ids: frozenset[str] = frozenset()
    """Every element id inside the section, so links can find the section that holds them."""


@dataclass(frozen=True, slots=True)
class EditionLink:
    """Another edition of the same work, as seen from this one."""

    lang: str
    """Its language tag."""
    title: str
    """Its title."""
    language_name: str
    """Its language's name, in its own language (e.g. "Русский")."""
    direction: str = "ltr"
    """Its writing direction, `ltr` or `rtl`: a link to it is set in that direction inside this edition's text."""


@dataclass(frozen=True, slots=True)
class Edition:
    """One language of the work, parsed once, that every backend receives."""

    slug: str
    """File name stem of every output."""
    lang: str
    """Language tag, the edition's folder name under source/."""
    is_original: bool
    """True for the edition in the work's original language."""
    metadata: Metadata
    """Resolved metadata."""
    sections: tuple[Section, ...]
    """Sections in reading order."""
    assets: tuple[Asset, ...]
    """Images and other files the text uses."""
    sources: tuple[Path, ...]
    """The Markdown files, in order."""
    source_dir: Path
    """The edition's folder, e.g. source/en."""
    others: tuple[EditionLink, ...] = ()
    """The other editions of the work."""
