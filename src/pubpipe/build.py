"""Plan and run a build: one job per (edition × format), atomic writes, a manifest of what was made."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .backends.base import Backend, BuildContext, BuildResult, Styles, load_backend
from .errors import PubpipeError, UsageError, backend_failure
from .i18n import catalogue
from .model import Edition
from .project import Project
from .report import Reporter


@dataclass(frozen=True, slots=True)
class Job:
    """One output: an edition in one format."""

    lang: str
    format: str

    def __str__(self) -> str:
        return f"{self.lang}/{self.format}"


@dataclass(frozen=True, slots=True)
class Output:
    """A finished output, as reported to the user and written to the manifest."""

    job: Job
    path: Path
    bytes: int
    sha256: str
    pages: int | None = None


@dataclass
class BuildOptions:
    """What the command line asked for."""

    formats: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    allow_remote: bool = False
    backend_options: dict[str, Any] = field(default_factory=dict)
    reporter: Reporter = field(default_factory=Reporter)
    """Collects warnings (and stops at the first one under --strict)."""


def build_time(root: Path) -> dt.datetime:
    """SOURCE_DATE_EPOCH if set, else the last git commit's time, else now — always UTC, whole seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        try:
            done = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True,
                                  text=True, timeout=10, check=False)
            epoch = done.stdout.strip() or None
        except OSError:
            epoch = None
    if epoch is not None and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def template_environment(project: Project) -> Any:
    """Jinja2 with autoescape on: the project's templates/ first, then the package's."""
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if (project.root / "templates").is_dir():
        loaders.append(jinja2.FileSystemLoader(str(project.root / "templates")))
    loaders.append(jinja2.PackageLoader("pubpipe", "templates"))
    return jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined)


def plan(project: Project, options: BuildOptions) -> list[Job]:
    """The jobs a build runs, after checking the formats and languages asked for exist."""
    from .backends.base import installed_backends

    known = installed_backends()
    formats = options.formats or project.formats
    for name in formats:
        if name not in known:
            raise UsageError(f"unknown format '{name}'", hint=f"choose from: {', '.join(known)}", code="U101")
    languages = options.languages or project.languages
    for lang in languages:
        if lang not in project.languages:
            raise UsageError(f"unknown language '{lang}'", hint=f"choose from: {', '.join(project.languages)}",
                             code="U102")
    return [Job(lang, name) for lang in languages for name in formats]


def load_editions(project: Project, languages: Iterable[str], options: BuildOptions | None = None) -> dict[str, Edition]:
    """Parse every edition asked for (each once) and run the transforms."""
    from .parse import link_editions, prepare_edition

    options = options or BuildOptions()
    parsed = [prepare_edition(project, lang, options.reporter, options.allow_remote)
              for lang in project.languages if lang in set(languages)]
    linked = link_editions(parsed)
    return {edition.lang: edition for edition in linked}


def output_path(project: Project, job: Job, backend: Backend) -> Path:
    return project.build_dir / job.lang / f"{project.slug}{backend.suffix}"


def run_job(project: Project, edition: Edition, job: Job, backend: Backend, options: BuildOptions,
            when: dt.datetime, templates: Any) -> Output:
    """Build one output into a temporary file beside it, then rename it into place."""
    final = output_path(project, job, backend)
    final.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent)
    os.close(handle)
    temp = Path(temp_name)
    ctx = BuildContext(
        root=project.root, output=temp, final_name=final.name, styles=Styles.for_project(project.root),
        templates=templates, catalogue=catalogue(edition.lang), build_time=when, slug=project.slug,
        allow_remote=options.allow_remote, options=dict(options.backend_options),
    )
    try:
        try:
            result: BuildResult = backend.build(edition, ctx)
        except PubpipeError:
            raise
        except Exception as exc:  # a tool's own failure: one line naming it, never a raw traceback
            raise backend_failure(job.format, job.lang, exc) from exc
        os.chmod(temp, 0o644)
        os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)
    data = final.read_bytes()
    return Output(job, final, len(data), hashlib.sha256(data).hexdigest(), result.pages)


def build(project: Project, options: BuildOptions, report: Callable[[Output], None] = lambda o: None) -> list[Output]:
    """Build every job of the plan; report each output as it is written."""
    jobs = plan(project, options)
    backends = {name: load_backend(name) for name in dict.fromkeys(job.format for job in jobs)}
    editions = load_editions(project, {job.lang for job in jobs}, options)
    when = build_time(project.root)
    templates = template_environment(project)
    outputs = []
    for job in jobs:
        output = run_job(project, editions[job.lang], job, backends[job.format], options, when, templates)
        outputs.append(output)
        report(output)
    write_manifest(project, outputs)
    return outputs


def write_manifest(project: Project, outputs: list[Output]) -> None:
    """build/manifest.json: what each output is, its size and checksum (merged with earlier entries)."""
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
    manifest = {"slug": project.slug, "outputs": [entries[k] for k in sorted(entries)]}
    atomic_write(path, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")


def atomic_write(path: Path, text: str) -> None:
    """Write text to *path* through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)

