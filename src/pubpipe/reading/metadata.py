"""An edition's metadata: the publication's values, the edition's entry in publication.yaml, its front matter."""

from __future__ import annotations

import uuid
from typing import Any

from ..model import Metadata, ast
from .project import EditionConfig, Project, as_tuple

# Front-matter keys pubpipe interprets; any other key goes into Metadata.extra.
FRONT_MATTER_KEYS = {"title", "subtitle", "description", "authors", "author", "translators", "translator",
                     "keywords", "date", "rights", "publisher", "bibliography", "csl", "references"}


def resolve_metadata(project: Project, edition: EditionConfig, front: dict[str, Any]) -> Metadata:
    """Publication-wide values, overlaid by the edition's entry in publication.yaml, then its front matter."""
    settings = dict(project.settings)
    merged: dict[str, Any] = {k: settings.get(k) for k in ("title", "subtitle", "description", "authors",
                                                            "publisher", "rights", "date", "keywords")}
    if edition.lang != project.original_lang:
        merged["description"] = None  # a translation's description must be its own
    merged.update(edition.overrides)
    extra = dict(project.extra)
    for key, value in front.items():
        if key in FRONT_MATTER_KEYS:
            merged[{"author": "authors", "translator": "translators"}.get(key, key)] = value
        else:
            extra[key] = value
    identifier = project.identifier
    if edition.lang != project.original_lang:
        # Each translation is its own publication with its own stable identifier.
        base = identifier.removeprefix("urn:uuid:")
        try:
            identifier = f"urn:uuid:{uuid.uuid5(uuid.UUID(base), edition.lang)}"
        except ValueError:
            identifier = f"{identifier}-{edition.lang}"
    return Metadata(
        title=str(merged.get("title") or ""), lang=edition.lang, identifier=identifier,
        authors=as_tuple(merged.get("authors")), subtitle=str(merged.get("subtitle") or ""),
        description=" ".join(str(merged.get("description") or "").split()),
        translators=as_tuple(merged.get("translators")), publisher=str(merged.get("publisher") or ""),
        rights=str(merged.get("rights") or ""), date=str(merged.get("date") or ""),
        keywords=as_tuple(merged.get("keywords")), direction=edition.direction,
        page_size=project.page_size, extra=extra,
        original_identifier="" if identifier == project.identifier else project.identifier,
    )


def title_block(meta: dict[str, Any]) -> dict[str, Any]:
    """Title, authors and date from pandoc's `% title` block (pandoc's Markdown), as front-matter values."""
    found: dict[str, Any] = {}
    for key, name in (("title", "title"), ("author", "authors"), ("date", "date")):
        value = meta.get(key)
        if value is None:
            continue
        if value.get("t") == "MetaList":
            found[name] = [_meta_text(item) for item in value["c"]]
        else:
            found[name] = _meta_text(value)
    return found


def _meta_text(value: dict[str, Any]) -> str:
    """A metadata value of pandoc's as plain text (MetaString, MetaInlines or MetaBlocks)."""
    content = value.get("c")
    return content if isinstance(content, str) else ast.plain_text(content)
