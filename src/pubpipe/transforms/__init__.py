"""Pure Edition → Edition steps, applied in one fixed, visible order by every command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import Edition
from .callouts import callouts
from .crossrefs import number_crossrefs
from .dialects import normalize
from .east_asian import mark_east_asian
from .ids import match_anchors, number_ids
from .links import check_edition_links, resolve_links
from .raw_html import guard_raw_html
from .typography import typography

if TYPE_CHECKING:
    from ..report import Reporter


@dataclass(frozen=True, slots=True)
class TransformContext:
    """What a transform may know besides the edition: the project's settings and where to report."""

    root: Path
    """The project folder; nothing outside it is read."""
    languages: tuple[str, ...]
    """Every edition of the publication, in order (links to other editions are checked against it)."""
    reporter: Reporter
    """Where warnings and errors go; a transform reports and goes on, it never stops at the first."""
    allow_remote: bool = False
    """Whether the author allowed http(s) resources (--allow-remote or `allow_remote: true`)."""
    settings: Any = None
    """The project's publication.yaml settings (a mapping), for transforms with keys of their own."""
    original: tuple[str, Callable[[], tuple[str, ...]]] | None = None
    """For a translation: the original's language, and a function giving the original's heading ids in
    order (worked out when first asked: a translator's link may keep an anchor of the original)."""


Transform = Callable[[Edition, TransformContext], Edition]


def raw_html(edition: Edition, context: TransformContext) -> Edition:
    """Leave out code raw HTML would run (H103, unless `trust_raw_html: true`) and raw HTML that would
    load from outside the project (P030)."""
    trusted = bool(context.settings and context.settings.get("trust_raw_html") is True)
    edition, found = guard_raw_html(edition, context.root, context.allow_remote, trusted)
    context.reporter.extend(found)
    return edition


def ids(edition: Edition, context: TransformContext) -> Edition:
    """Valid, unique ids, assigned once (P022 for each repeat)."""
    edition, found = number_ids(edition)
    context.reporter.extend(found)
    return edition


def anchors(edition: Edition, context: TransformContext) -> Edition:
    """Links to `#Überblick` or `#%C3%BCberblick` go to the id `überblick` when only one id matches."""
    return match_anchors(edition)


def edition_links(edition: Edition, context: TransformContext) -> Edition:
    """Links to other editions name an edition of the publication (P023)."""
    check_edition_links(edition, context)
    return edition


def east_asian(edition: Edition, context: TransformContext) -> Edition:
    """Japanese and Korean runs in text of another language marked with their `lang` (their glyph forms)."""
    return mark_east_asian(edition)


def glyphs(edition: Edition, context: TransformContext) -> Edition:
    """One warning (G101) naming every character no font of the chain draws; the text is unchanged."""
    from .glyphs import check_glyphs  # here: it reads the fonts, which a build with nothing to do does not

    check_glyphs(edition, context.root, context.reporter)
    return edition


# Raw HTML first (what it drops is not linked to); every dialect's figures, captions, equations and
# lists in one form, and callouts (their headings become titles, not sections); then ids (cross-
# references and links check against them) and the anchors links spell differently, the numbers and
# cross-references (they make links), links, the language's typography on the text that remains, then
# the marking of Japanese and Korean runs (on the Strs typography has joined); last the glyph check on
# the text as it is published (typography adds quotation marks and dashes).
PIPELINE: tuple[Transform, ...] = (raw_html, normalize, callouts, ids, anchors, number_crossrefs, resolve_links,
                                   edition_links, typography, east_asian, glyphs)


STAGES: tuple[str, ...] = tuple(transform.__name__ for transform in PIPELINE)
"""The transforms' names, in order: what `prepare_edition(..., until=NAME)` may stop before."""


def apply_all(edition: Edition, context: TransformContext, until: str | None = None) -> Edition:
    """*edition* through every transform of PIPELINE, in order; with *until* (a name in STAGES), only
    through those before it. Raises ValueError for a name that is not in STAGES."""
    if until is not None and until not in STAGES:
        raise ValueError(f"no transform named {until!r} in the pipeline: {', '.join(STAGES)}")
    for transform in PIPELINE:
        if transform.__name__ == until:
            break
        edition = transform(edition, context)
    return edition
