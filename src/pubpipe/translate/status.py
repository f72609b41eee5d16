"""Where a translation stands: the edition's record, its alignment with the original, `add` and `mark`."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import ConfigError, SourceError, SourceRef, UsageError
from ..reading.project import Project
from .segments import Segment, edition_segments, segment_ids, text_hash

RECORD_NAME = "translation.json"
RECORD_FORMAT = 1
TRANSLATED, UNTRANSLATED, STALE, OBSOLETE = "translated", "untranslated", "stale", "obsolete"


@dataclass(frozen=True, slots=True)
class Entry:
    """What the record remembers of one segment of the translation."""

    id: str
    """Stable id, kept while the segment lives (used by `mark` and as the PO context)."""
    kind: str
    translated: bool
    """Whether a translator has recorded this segment as translated."""
    hash: str
    """Hash of the original segment when it was translated (or brought in untranslated)."""
    source: str
    """The original segment's text at that moment (the PO file's previous msgid when it goes stale)."""
    target: str
    """Hash of the translation's text at that moment, to find the segment again after hand edits."""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "translated": self.translated, "hash": self.hash,
                "target": self.target, "source": self.source}


@dataclass(frozen=True, slots=True)
class Row:
    """One segment of the original (or a left-over of the translation) and its state."""

    state: str
    """translated, untranslated, stale or obsolete (in the translation, no longer in the original)."""
    id: str
    original: Segment | None
    translation: Segment | None
    entry: Entry | None


@dataclass(frozen=True, slots=True)
class EditionStatus:
    """The rows of one translated edition, in the original's order, obsolete ones last."""

    lang: str
    rows: tuple[Row, ...]
    record_path: Path

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)

    @property
    def total(self) -> int:
        return sum(1 for row in self.rows if row.original is not None)

    @property
    def complete(self) -> bool:
        return self.count(TRANSLATED) == len(self.rows)

    def to_json(self, root: Path) -> dict[str, Any]:
        def place(segment: Segment | None) -> str | None:
            return f"{segment.path.relative_to(root).as_posix()}:{segment.line}" if segment else None

        return {"lang": self.lang, "total": self.total, TRANSLATED: self.count(TRANSLATED),
                UNTRANSLATED: self.count(UNTRANSLATED), STALE: self.count(STALE), OBSOLETE: self.count(OBSOLETE),
                "percent": round(100 * self.count(TRANSLATED) / self.total, 1) if self.total else 100.0,
                "segments": [{"id": row.id, "state": row.state, "original": place(row.original),
                              "translation": place(row.translation)}
                             for row in self.rows if row.state != TRANSLATED]}


# ---------------------------------------------------------------- the record


def record_path(project: Project, lang: str) -> Path:
    return project.source_dir / lang / RECORD_NAME


def read_record(path: Path) -> list[Entry]:
    """The entries of an edition's record, in the translation's order."""
    if not path.is_file():
        return []  # nothing recorded yet: every segment counts as untranslated until `mark`
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [Entry(str(e["id"]), str(e["kind"]), bool(e["translated"]), str(e["hash"]), str(e["source"]),
                      str(e["target"])) for e in data["segments"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"the translation record cannot be read ({exc})", SourceRef(path),
                          "restore it from version control", code="T102") from None


def record_text(entries: list[Entry], original_lang: str) -> str:
    """The record as JSON: stable key order and one entry per segment, so diffs stay readable."""
    data = {"format": RECORD_FORMAT, "original": original_lang,
            "segments": [entry.to_json() for entry in entries]}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_record(path: Path, entries: list[Entry], original_lang: str) -> bool:
    """Write the record if its text changed; True when it was written."""
    from ..building.files import write_atomic

    text = record_text(entries, original_lang)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    write_atomic(path, text)
    return True


# ---------------------------------------------------------------- alignment


def _pairs(left: list[str], right: list[str]) -> dict[int, tuple[int, bool]]:
    """Align two hash sequences: for each left index, the right index it matches and whether equal.

    Unequal runs between matches are paired in order when they are the same length (a changed
    segment); otherwise nothing in that run is paired (inserted and removed segments).
    """
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    found: dict[int, tuple[int, bool]] = {}
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            found.update({a1 + k: (b1 + k, True) for k in range(a2 - a1)})
        elif tag == "replace" and a2 - a1 == b2 - b1:
            found.update({a1 + k: (b1 + k, False) for k in range(a2 - a1)})
    return found


def align(original: list[Segment], translation: list[Segment], entries: list[Entry]) -> list[Row]:
    """Each original segment with its record entry and translated segment, and its state."""
    # The record's entries follow the translation's order: find each entry's segment by its text hash.
    entry_to_target = {e: t for e, (t, _) in _pairs([e.target for e in entries],
                                                    [s.hash for s in translation]).items()}
    entry_to_original = _pairs([e.hash for e in entries], [s.hash for s in original])
    original_to_entry = {o: (e, same) for e, (o, same) in entry_to_original.items()}
    used_targets = set(entry_to_target.values())
    ids = segment_ids(original)
    rows: list[Row] = []
    last_target = -1
    for index, segment in enumerate(original):
        if index in original_to_entry:
            e, same = original_to_entry[index]
            entry = entries[e]
            target_index = entry_to_target.get(e)
            target = translation[target_index] if target_index is not None else None
            if target_index is not None:
                last_target = target_index
            if not entry.translated or target is None:
                state = UNTRANSLATED
            else:
                state = TRANSLATED if same else STALE
            rows.append(Row(state, entry.id, segment, target, entry))
            continue
        # A segment the record does not know: new in the original. A translation segment the record
        # does not know, right after the previous matched one, is taken as its (unrecorded) translation.
        following = last_target + 1
        target = None
        if following < len(translation) and following not in used_targets:
            target = translation[following]
            used_targets.add(following)
            last_target = following
        rows.append(Row(UNTRANSLATED, ids[index], segment, target, None))
    for e, entry in enumerate(entries):
        if e not in entry_to_original:
            target_at = entry_to_target.get(e)
            if target_at is not None:
                rows.append(Row(OBSOLETE, entry.id, None, translation[target_at], entry))
    for index, segment in enumerate(translation):
        if index not in used_targets and index not in entry_to_target.values():
            rows.append(Row(OBSOLETE, f"x-{segment.hash[:8]}", None, segment, None))
    return rows


def original_files(project: Project) -> tuple[Path, ...]:
    return project.edition(project.original_lang).files


def translated_languages(project: Project, lang: str | None) -> list[str]:
    """The translated editions asked for (all of them when *lang* is None)."""
    others = [code for code in project.languages if code != project.original_lang]
    if lang is None:
        return others
    if lang == project.original_lang:
        raise UsageError(f"'{lang}' is the original language", hint=f"choose from: {', '.join(others)}",
                         code="U103")
    if lang not in others:
        raise UsageError(f"no edition '{lang}'", hint=f"add it with `pubpipe translate add {lang}`", code="U102")
    return [lang]


def edition_status(project: Project, lang: str) -> EditionStatus:
    """Where every segment of one translated edition stands."""
    path = record_path(project, lang)
    entries = read_record(path)
    rows = align(edition_segments(original_files(project)), edition_segments(project.edition(lang).files),
                 entries)
    return EditionStatus(lang, tuple(rows), path)


# ---------------------------------------------------------------- changing the record


def mark(project: Project, lang: str, ids: tuple[str, ...] = ()) -> list[str]:
    """Record segments as translated from the current original (all when *ids* is empty); the ids marked.

    The record is also brought in step with the translation's structure: segments the translator
    added by hand get entries, removed ones lose theirs.
    """
    status = edition_status(project, lang)
    known = {row.id for row in status.rows}
    unknown = [ident for ident in ids if ident not in known]
    if unknown:
        raise UsageError(f"no segment '{unknown[0]}' in the '{lang}' edition",
                         hint=f"see the ids with `pubpipe translate status {lang} --json`", code="U104")
    return record(project, status, set(ids) or known, {})


def record(project: Project, status: EditionStatus, wanted: set[str], texts: dict[str, str]) -> list[str]:
    """Rewrite the record from *status*: rows in *wanted* become translated, *texts* replace translations.

    Returns the ids that changed state. Files and record are written only where their text changes.
    """
    marked: list[str] = []
    entries: list[tuple[int, Entry]] = []
    changes: dict[Segment, str] = {}
    for row in status.rows:
        if row.translation is None or row.original is None:
            continue  # nothing to record: not in the translation yet, or gone from the original
        text = texts.get(row.id, row.translation.text)
        changes[row.translation] = text
        entry = row.entry or Entry(row.id, row.original.kind, False, row.original.hash, row.original.text,
                                   row.translation.hash)
        entry = replace(entry, target=text_hash(text))
        if row.id in wanted and (row.state != TRANSLATED or entry.hash != row.original.hash):
            marked.append(row.id)
            entry = replace(entry, translated=True, hash=row.original.hash, source=row.original.text)
        entries.append((row.translation.start + _file_rank(project, status.lang, row.translation.path), entry))
    entries.sort(key=lambda pair: pair[0])
    replace_texts(changes)
    write_record(status.record_path, [entry for _, entry in entries], project.original_lang)
    return marked


def _file_rank(project: Project, lang: str, path: Path) -> int:
    """A sort key base that puts every segment of a later file after those of earlier ones."""
    return project.edition(lang).files.index(path) * 10**12


@dataclass(frozen=True, slots=True)
class Added:
    """What `translate add` created."""

    folder: Path
    files: tuple[Path, ...]
    segments: int
    config_changed: bool = field(default=False)


def add(project: Project, lang: str) -> Added:
    """Create source/LANG/ from the original, every segment untranslated, and declare the edition."""
    from ..reading.project import BCP47

    if not BCP47.match(lang):
        raise UsageError(f"'{lang}' is not a BCP 47 language tag", hint="use a tag such as de, ru or pt-BR",
                         code="U105")
    if lang in project.languages:
        raise UsageError(f"the edition '{lang}' already exists",
                         hint=f"see where it stands with `pubpipe translate status {lang}`", code="U106")
    folder = project.source_dir / lang
    if folder.exists() and any(folder.iterdir()):
        raise UsageError(f"{folder.relative_to(project.root)}/ already exists and is not empty",
                         hint="move it away or declare it in publication.yaml", code="U106")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for path in original_files(project):
        target = folder / path.name
        target.write_bytes(path.read_bytes())
        written.append(target)
    segments = edition_segments(tuple(written))
    entries = [Entry(ident, s.kind, False, s.hash, s.text, s.hash) for ident, s in zip(segment_ids(segments),
                                                                                         segments)]
    write_record(folder / RECORD_NAME, entries, project.original_lang)
    changed = _declare_edition(project, lang)
    return Added(folder, tuple(written), len(segments), changed)


def _declare_edition(project: Project, lang: str) -> bool:
    """Append `- lang: LANG` to the editions list of publication.yaml, keeping the rest of the file."""
    lines = project.config_path.read_text(encoding="utf-8").split("\n")
    start = next((i for i, line in enumerate(lines) if re.match(r"^editions\s*:", line)), None)
    if start is None:
        return False
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][:1] in (" ", "-", "#")):
        end += 1
    while end - 1 > start and not lines[end - 1].strip():
        end -= 1
    item = next((line for line in lines[start + 1:end] if line.lstrip().startswith("- ")), "  - lang: x")
    indent = item[: len(item) - len(item.lstrip())]
    lines.insert(end, f"{indent}- lang: {lang}")
    project.config_path.write_text("\n".join(lines), encoding="utf-8")
    return True


def replace_texts(changes: dict[Segment, str]) -> list[Path]:
    """Write new text for translation segments in their files; the files that changed."""
    by_file: dict[Path, list[tuple[Segment, str]]] = {}
    for segment, text in changes.items():
        if text != segment.text:
            by_file.setdefault(segment.path, []).append((segment, text))
    changed = []
    for path, items in by_file.items():
        raw = path.read_text(encoding="utf-8")
        if raw.startswith("\ufeff") or "\r\n" in raw:
            raise SourceError("cannot rewrite a file with a byte-order mark or CRLF line ends", SourceRef(path),
                              "save it as UTF-8 with LF line ends", code="T103")
        for segment, text in sorted(items, key=lambda pair: -pair[0].start):
            raw = raw[:segment.start] + text + raw[segment.end:]
        path.write_text(raw, encoding="utf-8")
        changed.append(path)
    return changed
