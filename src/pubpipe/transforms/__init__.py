"""Pure Edition → Edition steps, applied in one fixed, visible order."""

from __future__ import annotations

from typing import Callable

from ..model import Edition
from .ids import unique_ids
from .links import resolve_links
from .typography import typography

Transform = Callable[[Edition], Edition]

# Ids first (links check against them), then links, then the language's typography.
PIPELINE: tuple[Transform, ...] = (unique_ids, resolve_links, typography)


def apply_all(edition: Edition) -> Edition:
    for transform in PIPELINE:
        edition = transform(edition)
    return edition
