"""What a build is asked to do: its options, its jobs (edition × format), their outputs, the build's time."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..backends.base import Backend
from ..errors import UsageError
from ..reading.project import Project
from ..report import Reporter

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
    from ..model import Edition


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
    status: str = "built"
    """`built` (a backend ran), `restored` (copied back from build/.cache) or `current` (already in build/)."""
    extra: tuple[str, ...] = ()
    """Files written beside the output (fonts, images), relative to build/."""
    note: str = ""
    """BuildResult.note of the backend that built it (none for an output restored or current)."""


@dataclass
class BuildOptions:
    """What the command line asked for."""

    formats: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    allow_remote: bool = False
    backend_options: dict[str, Any] = field(default_factory=dict)
    reporter: Reporter = field(default_factory=Reporter)
    """Collects warnings (and stops at the first one under --strict)."""
    force: bool = False
    """Run every job, even those whose inputs have not changed."""
    jobs: int | None = None
    """How many jobs run at once (worker processes); None: one per core."""
    debug: bool = False
    """--debug: let an engine's exception through with its traceback instead of reporting it (B100)."""
    executor: str | None = None
    """--executor: where a book's chapters are laid out (executors.executor_for); None: local processes."""
    prepared: PreparedEditions | None = None
    """Editions kept between the builds of one process (`pubpipe serve` builds the HTML, then the PDF of
    the same text); None: each build prepares its editions."""


class PreparedEditions:
    """The last prepared edition of each language, with what it was prepared from, for the next build
    of the same process: the edition key (building/keys.py: publication.yaml, the Markdown, pubpipe's
    code…), how it was read (web images, --debug) and the size and time of each image it uses."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[tuple[Any, ...], Edition, tuple[Diagnostic, ...]]] = {}

    def get(self, lang: str, state: tuple[Any, ...]) -> tuple[Edition, tuple[Diagnostic, ...]] | None:
        """The (edition, its findings) prepared from *state*, or None."""
        kept = self.kept.get(lang)
        if kept is None or kept[0] != state + (_image_state(kept[1]),):
            return None
        return kept[1], kept[2]

    def put(self, lang: str, state: tuple[Any, ...], edition: Edition, findings: tuple[Diagnostic, ...]) -> None:
        self.kept[lang] = (state + (_image_state(edition),), edition, findings)


def _image_state(edition: Edition) -> tuple[tuple[str, int, int] | None, ...]:
    """Each image's file: its path, size and time (None when gone), so a replaced image is read again."""
    found: list[tuple[str, int, int] | None] = []
    for asset in edition.assets:
        try:
            stat = Path(asset.source).stat()
            found.append((str(asset.source), stat.st_size, stat.st_mtime_ns))
        except OSError:
            found.append(None)
    return tuple(found)


def build_time(root: Path) -> dt.datetime:
    """SOURCE_DATE_EPOCH if set, else the last git commit's time, else now — always UTC, whole seconds."""
    return build_time_source(root)[0]


def build_time_source(root: Path) -> tuple[dt.datetime, bool]:
    """The build time, and whether it is reproducible (from SOURCE_DATE_EPOCH or git rather than the clock).

    Only a reproducible time enters the cache keys: the clock would make every build look changed.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None and in_git_checkout(root):
        import subprocess

        try:
            done = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True,
                                  text=True, timeout=10, check=False)
            epoch = done.stdout.strip() or None
        except OSError:
            epoch = None
    if epoch is not None and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC), True
    return dt.datetime.now(dt.UTC).replace(microsecond=0), False


def in_git_checkout(root: Path) -> bool:
    """Whether git could know this project's last commit (checked first: starting git costs every build)."""
    root = root.resolve()
    return "GIT_DIR" in os.environ or any((folder / ".git").exists() for folder in (root, *root.parents))


def plan(project: Project, options: BuildOptions, known: dict[str, Any] | None = None) -> list[Job]:
    """The jobs a build runs, after checking the formats and languages asked for exist."""
    from ..backends.base import installed_backends

    known = installed_backends() if known is None else known
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


def output_path(project: Project, job: Job, backend: Backend) -> Path:
    return project.build_dir / job.lang / f"{project.slug}{backend.suffix}"


def cost(job: Job) -> int:
    """A rough relative cost, so the slowest jobs start first and both cores stay busy to the end."""
    return {"pdf": 3, "epub": 2}.get(job.format, 1)
