"""Gettext PO export and import of a translated edition, for translators' tools (Poedit, Weblate)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import MissingDependency, SourceError, SourceRef
from ..reading.project import Project
from .status import STALE, TRANSLATED, EditionStatus, edition_status, record


def _polib():  # type: ignore[no-untyped-def]
    try:
        import polib
    except ImportError:  # pragma: no cover - depends on the installation
        raise MissingDependency("polib is not installed", hint="pip install polib", code="D105") from None
    return polib


def export_po(project: Project, lang: str) -> str:
    """The edition as a PO catalogue: one entry per original segment, stale ones fuzzy with the previous original."""
    polib = _polib()
    status = edition_status(project, lang)
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = {
        "Project-Id-Version": project.slug,
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": "pubpipe",
    }
    for row in status.rows:
        if row.original is None:
            continue  # obsolete: nothing to translate
        done = row.state in (TRANSLATED, STALE) and row.translation is not None
        entry = polib.POEntry(
            msgctxt=row.id, msgid=row.original.text,
            msgstr=row.translation.text if done and row.translation is not None else "",
            occurrences=[(row.original.path.relative_to(project.root).as_posix(), str(row.original.line))],
            comment=row.original.kind,
        )
        if row.state == STALE and row.entry is not None:
            entry.flags.append("fuzzy")
            entry.previous_msgid = row.entry.source
        catalogue.append(entry)
    return str(catalogue)


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import changed."""

    translated: tuple[str, ...]
    """Segments recorded as translated."""
    updated: int
    """Segments whose translation text was replaced."""
    skipped: tuple[str, ...]
    """Messages about entries that could not be applied (one line each)."""


def import_po(project: Project, lang: str, path: Path) -> Imported:
    """Apply a PO catalogue to the edition: its translations replace the segments' text.

    Entries still fuzzy are written but stay stale; an empty translation leaves the segment alone.
    """
    polib = _polib()
    try:
        catalogue = polib.pofile(str(path), wrapwidth=0)
    except (OSError, ValueError) as exc:
        raise SourceError(f"cannot read the PO file: {exc}", SourceRef(path), "export a fresh one with "
                          f"`pubpipe translate export {lang}`", code="T104") from None
    status: EditionStatus = edition_status(project, lang)
    rows = {row.id: row for row in status.rows}
    texts: dict[str, str] = {}
    wanted: set[str] = set()
    skipped: list[str] = []
    for entry in catalogue:
        if entry.obsolete or not entry.msgstr:
            continue
        where = SourceRef(path, getattr(entry, "linenum", None)).display(project.root)
        row = rows.get(entry.msgctxt or "")
        if row is None or row.original is None:
            skipped.append(f"{where}: segment '{entry.msgctxt}' is no longer in the original; not applied")
            continue
        if row.translation is None:
            skipped.append(f"{where}: segment '{entry.msgctxt}' has no place in the translation yet; "
                           "add it to the Markdown by hand, then run `pubpipe translate mark`")
            continue
        if entry.msgid != row.original.text:
            skipped.append(f"{where}: the original of '{entry.msgctxt}' changed after the export; "
                           "export again")
            continue
        if entry.msgstr != row.translation.text:
            texts[row.id] = entry.msgstr
        if "fuzzy" not in entry.flags and row.state != TRANSLATED:
            wanted.add(row.id)
    if not texts and not wanted:
        return Imported((), 0, tuple(skipped))
    marked = record(project, status, wanted, texts)
    return Imported(tuple(marked), len(texts), tuple(skipped))
