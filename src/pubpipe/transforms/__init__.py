"""Pure Edition → Edition steps, applied in one fixed, visible order."""

from __future__ import annotations

from typing import Callable

from ..model import Edition
from .callouts import callouts
from .crossrefs import number_crossrefs
from .dialects import normalize
from .ids import unique_ids
from .links import resolve_links
from .typography import typography

Transform = Callable[[Edition], Edition]

# Dialects first (every dialect's figures, captions and equations in one form) and callouts (their
# headings become titles), then ids (cross-references and links check against them), the numbers
# and cross-references (they make links), links, and last the language's typography.
PIPELINE: tuple[Transform, ...] = (normalize, callouts, unique_ids, number_crossrefs, resolve_links, typography)


def apply_all(edition: Edition) -> Edition:
    for transform in PIPELINE:
        edition = transform(edition)
    return edition
