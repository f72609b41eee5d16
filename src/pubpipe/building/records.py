"""What a build keeps: each output's findings beside it in the cache, and build/manifest.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic
from ..errors import SourceRef
from ..reading.project import Project
from .cache import BuildCache
from .files import write_atomic
from .keys import relative
from .plan import Job, Output


def reused_output(cache: BuildCache, job: Job, key: str) -> Output | None:
    """The job's output if the cache has a record for *key* and build/ holds (or gets back) its files."""
    record = cache.record(key)
    if record is None:
        return None
    status = "current" if cache.is_current(record) else "restored" if cache.restore(record) else ""
    if not status:
        return None
    path = cache.build_dir / record.output.name
    return Output(job, path, path.stat().st_size, record.output.sha256, record.pages, status,
                  tuple(item.name for item in record.extra))


def finding_to_json(root: Path, finding: Diagnostic) -> list[Any]:
    """A diagnostic as the cache keeps it, with its file relative to the project."""
    where = finding.where
    path = relative(where.path, root) if where is not None else None
    return [finding.code, finding.severity, finding.message, finding.hint, path,
            where.line if where else None, where.column if where else None, where.key if where else None]


def reused_findings(cache: BuildCache, key: str | None, root: Path) -> list[Diagnostic]:
    """The warnings a backend reported when it made the output recorded under *key*, to say them again."""
    record = cache.record(key) if key is not None else None
    return [finding_from_json(root, item) for item in record.findings] if record is not None else []


def finding_from_json(root: Path, item: list[Any]) -> Diagnostic:
    code, severity, message, hint, path, line, column, key = item
    where = SourceRef(root / path, line, column, key) if path is not None else None
    return Diagnostic(code, severity, message, where, hint)


def write_manifest(project: Project, outputs: list[Output]) -> list[dict[str, Any]]:
    """build/manifest.json: what each output is, its size and checksum (merged with earlier entries).

    Returns its entries: {"file", "edition", "format", "bytes", "sha256", "pages"} each.
    """
    path = project.build_dir / "manifest.json"
    entries: dict[str, dict[str, Any]] = {}
    if path.is_file():
        try:
            for entry in json.loads(path.read_text(encoding="utf-8")).get("outputs", []):
                entries[entry["file"]] = entry
        except (ValueError, KeyError, AttributeError):
            entries = {}
    for output in outputs:
        name = output.path.relative_to(project.build_dir).as_posix()
        entries[name] = {"file": name, "edition": output.job.lang, "format": output.job.format,
                         "bytes": output.bytes, "sha256": output.sha256, "pages": output.pages}
    listed = [entries[k] for k in sorted(entries)]
    write_atomic(path, json.dumps({"slug": project.slug, "outputs": listed}, indent=2, ensure_ascii=False) + "\n")
    return listed
