"""Render an Edition's sections to HTML fragments once per output, for the templates to place."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..model import Edition, Section
from ..numerals import localise_digits
from ..transforms.links import EDITION
from ..transforms.typography import set_text
from .base import BuildContext
from .render.writer import HtmlWriter, Note, RenderedSection

__all__ = ["Note", "RenderedSection", "edition_link", "render_section", "render_sections", "template_values"]


def edition_link(ctx: BuildContext, suffix: str, target: str) -> str:
    """Resolve a canonical link target into an href for the output with *suffix*."""
    if target.startswith(EDITION):
        lang, _, anchor = target[len(EDITION):].partition("#")
        return ctx.edition_href(lang, suffix, anchor)
    return target


def render_section(section: Section, writer: HtmlWriter) -> RenderedSection:
    """One section through *writer* (a pandoc run of its own: render_sections writes all in one)."""
    rendered = writer.sections([section])[0]
    writer.take_notes()
    return rendered


def render_sections(edition: Edition, writer: HtmlWriter) -> list[RenderedSection]:
    """Every section through *writer*, in one pandoc run; the endnotes stay in each section's `notes`."""
    rendered = writer.sections(edition.sections)
    writer.take_notes()
    return rendered


def template_values(edition: Edition, ctx: BuildContext) -> dict[str, object]:
    """Values every template uses: metadata, strings, dates, the other editions."""
    meta = edition.metadata
    t = ctx.catalogue
    published = _parse_date(meta.date)
    return {
        "edition": edition, "meta": meta, "t": t, "lang": edition.lang, "dir": meta.direction,
        "authors": ", ".join(meta.authors), "translators": ", ".join(meta.translators),
        # A date the catalogue cannot read (`2020`, `Spring 2021`) is shown as written, in the edition's digits.
        "published": t.date(published) if published else localise_digits(meta.date, edition.lang),
        "built": t.date(ctx.build_time.date()), "build_time": ctx.build_time,
        # Other editions' titles come straight from their metadata: set them by their own language's rules.
        "others": tuple(replace(other, title=set_text(other.title, other.lang)) for other in edition.others),
    }


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
