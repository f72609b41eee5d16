"""Plan and run a build: one job per (edition × format), atomic writes, a manifest of what was made."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .backends.base import Backend, BuildContext, BuildResult, SharedLayouts, Styles, load_backend
from .cache import BuildCache, JobRecord, Produced, code_digest
from .diagnostics import Diagnostic
from .errors import PubpipeError, SourceRef, UsageError, backend_failure
from .files import TEMPORARY_SUFFIX, file_sha256, temporary_beside, write_atomic
from .keys import KeyInputs, edition_key, edition_title, job_key, layout_key, relative
from .lock import build_lock
from .model import Edition, EditionLink
from .process import collector_paused, collector_relaxed, interruptible
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
    status: str = "built"
    """`built` (a backend ran), `restored` (copied back from build/.cache) or `current` (already in build/)."""
    extra: tuple[str, ...] = ()
    """Files written beside the output (fonts, images), relative to build/."""


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


def template_environment(project: Project) -> Any:
    """Jinja2 with autoescape on: the project's templates/ first, then the package's."""
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if (project.root / "templates").is_dir():
        loaders.append(jinja2.FileSystemLoader(str(project.root / "templates")))
    loaders.append(jinja2.PackageLoader("pubpipe", "templates"))
    return jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined)


def plan(project: Project, options: BuildOptions, known: dict[str, Any] | None = None) -> list[Job]:
    """The jobs a build runs, after checking the formats and languages asked for exist."""
    from .backends.base import installed_backends

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


def edition_links(project: Project, lang: str, titles: dict[str, str]) -> tuple[EditionLink, ...]:
    """The other editions of the work as seen from *lang* (for alternate links and the language switcher)."""
    from .i18n import language_name

    return tuple(EditionLink(other, titles[other], language_name(other)) for other in project.languages
                 if other != lang)


def parse_editions(project: Project, languages: Iterable[str], titles: dict[str, str],
                   options: BuildOptions, found: dict[str, list[Diagnostic]] | None = None) -> list[Edition]:
    """Parse the editions asked for (each once; the pandoc runs side by side), in the project's order.

    Every problem of every edition goes to the build's reporter, in edition order, so the messages
    come out the same on every run; an edition that cannot be read at all is left out of the result
    (its errors say why). The caller checks the reporter before anything is written.
    """
    from concurrent.futures import ThreadPoolExecutor

    from .parse import prepare_edition

    def load(lang: str) -> tuple[Edition | None, Reporter]:
        reporter = Reporter(strict=options.reporter.strict)
        edition = prepare_edition(project, lang, reporter, options.allow_remote, options.debug)
        if edition is None:
            return None, reporter
        return replace(edition, others=edition_links(project, lang, titles)), reporter

    wanted = [lang for lang in project.languages if lang in set(languages)]
    editions = []
    # Threads are enough: the time goes into the pandoc subprocess, which runs outside the GIL.
    with collector_paused(), ThreadPoolExecutor(max_workers=min(2, len(wanted) or 1)) as threads:
        for lang, future in [(lang, threads.submit(load, lang)) for lang in wanted]:
            edition, reporter = future.result()
            options.reporter.extend(reporter.diagnostics)
            if found is not None:
                found[lang] = list(reporter.diagnostics)
            if edition is not None:
                editions.append(edition)
    return editions


def load_editions(project: Project, languages: Iterable[str], options: BuildOptions | None = None) -> dict[str, Edition]:
    """Parse every edition asked for (each once) and run the transforms."""
    options = options or BuildOptions()
    titles = {lang: edition_title(project, lang) for lang in project.languages}
    editions = parse_editions(project, languages, titles, options)
    options.reporter.check()
    return {edition.lang: edition for edition in editions}


def output_path(project: Project, job: Job, backend: Backend) -> Path:
    return project.build_dir / job.lang / f"{project.slug}{backend.suffix}"


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


@dataclass(frozen=True, slots=True)
class JobDone:
    """What a job hands back to the build: its output (None if it failed), where its bytes wait, its findings."""

    job: Job
    output: Output | None
    """The finished output as it will stand in build/, or None when the job failed (see findings)."""
    temporary: Path | None = None
    """The file the backend wrote, moved into place only when the whole build succeeds."""
    own_key: str | None = None
    """For a backend that borrows a layout: the key that knows the layout (see run_job)."""
    findings: tuple[Diagnostic, ...] = ()
    """What the backend reported (warnings, errors), for the build's reporter."""


def run_job(project: Project, edition: Edition, job: Job, backend: Backend, options: BuildOptions,
            when: dt.datetime, templates: Any, layouts: SharedLayouts | None = None,
            without_layout: str | None = None) -> JobDone:
    """Build one output into a temporary file beside its final place; the build moves it there at the end.

    A backend that borrows a layout (the EPUB's page list is the PDF's) gets it first; with the key
    of everything else it reads (*without_layout*), that gives the output's own key, and an output
    already made for that key is reused: a print.css change that moves no page break rebuilds no
    EPUB. A failure is reported, not raised, so the other jobs still run and every problem of the
    build is said at once.
    """
    from .i18n import catalogue

    final = output_path(project, job, backend)
    temp = temporary_beside(final)
    reporter = Reporter(strict=options.reporter.strict)
    ctx = BuildContext(
        root=project.root, output=temp, final_name=final.name, styles=Styles.for_project(project.root),
        templates=templates, catalogue=catalogue(edition.lang), build_time=when, slug=project.slug,
        reporter=reporter, allow_remote=options.allow_remote, layouts=layouts,
        options=MappingProxyType({**({"pdf_variant": project.pdf_variant} if project.pdf_variant else {}),
                                  **({"pdf_layout": project.pdf_layout} if project.pdf_layout else {}),
                                  **options.backend_options,
                                  # Where the work runs, not what it makes: outside the cache keys.
                                  "workers": options.jobs, "executor": options.executor}),
    )
    own_key = None
    kept = False
    try:
        try:
            if backend.borrows_layout and without_layout is not None:
                ctx = replace(ctx, layout=backend.borrowed_layout(edition, ctx))
                own_key = layout_key(without_layout, ctx.layout)
                reused = None if options.force else reused_output(BuildCache(project.build_dir), job, own_key)
                if reused is not None:
                    findings = (*reporter.diagnostics, *reused_findings(BuildCache(project.build_dir), own_key,
                                                                         project.root))
                    return JobDone(job, reused, None, own_key, tuple(findings))
            result: BuildResult = backend.build(edition, ctx)
        except PubpipeError as error:
            reporter.exception(error)
            return JobDone(job, None, findings=tuple(reporter.diagnostics))
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # a tool's own failure: one line naming it, never a raw traceback
            if options.debug:
                raise
            reporter.exception(backend_failure(job.format, job.lang, exc))
            return JobDone(job, None, findings=tuple(reporter.diagnostics))
        os.chmod(temp, 0o644)
        kept = True
    finally:
        if not kept:
            temp.unlink(missing_ok=True)
    extra = tuple(sorted(path.relative_to(project.build_dir).as_posix() for path in result.extra_files))
    output = Output(job, final, temp.stat().st_size, file_sha256(temp) or "", result.pages, "built", extra)
    return JobDone(job, output, temp, own_key, tuple(reporter.diagnostics))


def render_jobs(project: Project, edition: Edition, jobs: list[Job], options: BuildOptions,
                when: dt.datetime, without_layout: list[str | None] | None = None) -> list[JobDone]:
    """Jobs of one edition, one after another, as a worker runs them (backends and templates set up here).

    Jobs run together share their layouts (SharedLayouts): the EPUB's page list reuses the PDF's layout.
    """
    templates = template_environment(project)
    layouts = SharedLayouts()
    bases = without_layout or [None] * len(jobs)
    with collector_relaxed():
        return [run_job(project, edition, job, load_backend(job.format), options, when, templates, layouts, base)
                for job, base in zip(jobs, bases)]


def remove_temporaries(build_dir: Path) -> None:
    """Delete temporary files a killed build left behind (only called while holding the lock)."""
    for temp in build_dir.rglob(f".*{TEMPORARY_SUFFIX}"):
        temp.unlink(missing_ok=True)


def build(project: Project, options: BuildOptions, report: Callable[[Output], None] = lambda o: None,
          on_wait: Callable[[str], None] = lambda message: None,
          then: Callable[[list[Output]], None] | None = None) -> list[Output]:
    """Build every job of the plan that is not up to date; report every output in plan order.

    One build at a time per project (build/.lock); *on_wait* hears about it when another one holds it.
    *then*, if given, runs with the outputs while the lock is still held: a release writes its copies
    into build/, where another build's clean-up must not meet them half-written.
    """
    from .backends.base import installed_backends

    known = installed_backends()
    if project.allow_remote and not options.allow_remote:  # `allow_remote: true` in publication.yaml
        options = replace(options, allow_remote=True)
    jobs = plan(project, options, known)
    with build_lock(project.build_dir, on_wait), interruptible():
        remove_temporaries(project.build_dir)
        try:
            outputs = Builder(project, options, jobs, report, known).run()
            if then is not None:
                then(outputs)
            return outputs
        finally:
            # An interrupt or a failure may stop a job after it made its temporary file.
            remove_temporaries(project.build_dir)


class Builder:
    """One build: find the jobs whose key changed, parse only their editions, run them, record them."""

    def __init__(self, project: Project, options: BuildOptions, jobs: list[Job],
                 report: Callable[[Output], None], known: dict[str, Any]) -> None:
        self.project = project
        self.options = options
        self.jobs = jobs
        self.report = report
        self.backends = {name: load_backend(name, known) for name in dict.fromkeys(job.format for job in jobs)}
        self.when, reproducible = build_time_source(project.root)
        self.cache = BuildCache(project.build_dir)
        self.inputs = KeyInputs(project, code_digest(), self.when.isoformat() if reproducible else "",
                                Styles.for_project(project.root),
                                {"allow_remote": options.allow_remote, **options.backend_options})
        self.titles = {lang: edition_title(project, lang) for lang in project.languages}
        languages = dict.fromkeys(job.lang for job in jobs)
        self.edition_keys = {lang: edition_key(self.inputs, lang, self.titles) for lang in languages}
        self.done: dict[Job, Output] = {}
        self.pending: list[tuple[str, JobDone]] = []
        """Outputs made by this build, waiting in their temporary files for commit()."""
        self.reported = 0

    def run(self) -> list[Output]:
        stale = [job for job in self.jobs if not self.reuse(job)]
        # An edition that is not parsed again still has its warnings: say them again (and under
        # --strict fail on them), as a build that parsed it would.
        for lang, key in self.edition_keys.items():
            if lang not in {job.lang for job in stale}:
                self.options.reporter.extend([finding_from_json(self.project.root, item)
                                              for item in self.cache.edition_findings(key)])
        if stale:
            self.run_stale(stale)
        self.options.reporter.check()
        self.commit()
        outputs = [self.done[job] for job in self.jobs]
        if any(output.status != "current" for output in outputs):
            listed = write_manifest(self.project, outputs)
            # What build/ holds now stays cached; older results only as far as the bound allows.
            self.cache.prune({str(entry.get("file")): str(entry.get("sha256")) for entry in listed})
        return outputs

    def key(self, job: Job, assets: list[str]) -> str:
        return job_key(self.inputs, self.edition_keys[job.lang], assets, self.backends[job.format])

    def without_layout(self, job: Job, assets: list[str]) -> str | None:
        """For a backend that borrows a layout: the key of all it reads but that layout (see run_job)."""
        backend = self.backends[job.format]
        if not backend.borrows_layout:
            return None
        return job_key(self.inputs, self.edition_keys[job.lang], assets, backend, layout=False)

    def reuse(self, job: Job) -> bool:
        """True if the job's output is already in build/ or can be put back from the cache."""
        if self.options.force:
            return False
        assets = self.cache.edition_assets(self.edition_keys[job.lang])
        key = self.key(job, assets) if assets is not None else None
        output = reused_output(self.cache, job, key) if key is not None else None
        if output is None:
            return False
        self.done[job] = output
        self.options.reporter.extend(reused_findings(self.cache, key, self.project.root))
        return True

    def run_stale(self, stale: list[Job]) -> None:
        """Parse each edition that has a stale job once; when none has an error, run the jobs."""
        workers = min(self.options.jobs or os.cpu_count() or 1, len(stale))
        languages = {job.lang for job in stale}
        from .workers import WorkerPool

        # Even one worker pays: it imports the engines while this process waits for pandoc.
        # `-j 1` runs everything here instead (simplest to debug and to profile).
        pool = None if self.options.jobs == 1 else WorkerPool(
            workers, warm_modules(self.backends[job.format] for job in stale))
        try:
            found: dict[str, list[Diagnostic]] = {}
            editions = parse_editions(self.project, languages, self.titles, self.options, found)
            # Every edition is read before any output is made: an error in one means nothing is written.
            self.options.reporter.check()
            for edition in editions:
                assets = [relative(asset.source, self.project.root) for asset in edition.assets]
                self.cache.remember_edition(self.edition_keys[edition.lang], assets,
                                            [finding_to_json(self.project.root, item) for item in found[edition.lang]])
                mine = [job for job in stale if job.lang == edition.lang]
                # A book laid out chapter by chapter starts workers of its own: its jobs run here.
                own = any(self.backends[job.format].lays_out_in_workers(edition, self.backend_options()) for job in mine)
                for task in self.tasks(mine, share=pool is None or own or len(languages) >= workers):
                    keys = [self.key(job, assets) for job in task]
                    bases = [self.without_layout(job, assets) for job in task]
                    if pool is None or own and any(self.backends[job.format].lays_out_in_workers(
                            edition, self.backend_options()) for job in task):
                        self.finish(keys, render_jobs(self.project, edition, task, self.options, self.when, bases))
                    else:
                        # The reporter stays here: its callbacks print in this process, and cannot be
                        # pickled; each job reports into its own and hands the findings back.
                        pool.submit(keys, render_jobs, self.project, edition, task,
                                    replace(self.options, reporter=Reporter(strict=self.options.reporter.strict)),
                                    self.when, bases)
            while pool is not None and pool.pending:
                self.finish(*pool.next_result())
        except BaseException:
            if pool is not None:
                pool.stop()
            self.discard()
            raise
        if pool is not None:
            pool.close()
        if self.options.reporter.failed:
            self.discard()

    def backend_options(self) -> dict[str, Any]:
        """The format options a backend reads (as run_job gives them in BuildContext.options)."""
        return {**({"pdf_variant": self.project.pdf_variant} if self.project.pdf_variant else {}),
                **({"pdf_layout": self.project.pdf_layout} if self.project.pdf_layout else {}),
                **self.options.backend_options}

    def tasks(self, jobs: list[Job], share: bool) -> list[list[Job]]:
        """An edition's jobs as tasks for the workers, slowest first.

        A job that borrows another format's layout (the EPUB's page list follows the PDF) runs in
        one task with it, before it, so WeasyPrint lays the edition out once — when there are
        enough editions to keep every worker busy; with one edition, two workers finish sooner
        each doing its own layout.
        """
        formats = {job.format: job for job in jobs}
        tasks: list[list[Job]] = []
        taken: set[Job] = set()
        for job in jobs:
            lenders = [formats[name] for name in self.backends[job.format].layout_templates
                       if name in formats and formats[name] not in taken and formats[name] != job]
            if share and lenders and job not in taken:
                tasks.append([job, *lenders])
                taken.update(tasks[-1])
        tasks += [[job] for job in jobs if job not in taken]
        return sorted(tasks, key=lambda task: sum(cost(job) for job in task), reverse=True)

    def finish(self, keys: list[str], results: list[JobDone]) -> None:
        """Take the findings of finished jobs into the build's reporter and keep their outputs for commit()."""
        for key, done in zip(keys, results):
            self.options.reporter.extend(done.findings)
            if done.output is not None:
                self.pending.append((key, done))

    def discard(self) -> None:
        """Remove the outputs of a failed build before they reach build/ (the previous ones stay)."""
        for _, done in self.pending:
            if done.temporary is not None:
                done.temporary.unlink(missing_ok=True)
        self.pending.clear()

    def commit(self) -> None:
        """Move every new output into place and record it in the cache; then report the outputs in plan order.

        An output that borrows a layout is recorded under its own key too (the one that knows the
        layout), so the next build with other layout inputs but the same page breaks finds it.
        """
        build_dir = self.project.build_dir
        for key, done in self.pending:
            output = done.output
            assert output is not None
            if done.temporary is not None:
                os.replace(done.temporary, output.path)
            extra = tuple(Produced(name, file_sha256(build_dir / name) or "") for name in output.extra)
            findings = tuple(finding_to_json(self.project.root, item) for item in done.findings)
            record = JobRecord(Produced(output.path.relative_to(build_dir).as_posix(), output.sha256),
                               extra, output.pages, findings)
            for name in dict.fromkeys(k for k in (key, done.own_key) if k is not None):
                self.cache.store(name, record)
            self.done[output.job] = output
        self.pending.clear()
        self.flush()

    def flush(self) -> None:
        """Report the outputs that are done, in plan order, stopping at the first one still running."""
        while self.reported < len(self.jobs) and self.jobs[self.reported] in self.done:
            self.report(self.done[self.jobs[self.reported]])
            self.reported += 1


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


def cost(job: Job) -> int:
    """A rough relative cost, so the slowest jobs start first and both cores stay busy to the end."""
    return {"pdf": 3, "epub": 2}.get(job.format, 1)


def warm_modules(backends: Iterable[Backend]) -> tuple[str, ...]:
    """The engines named in the backends' fingerprints, for each worker to import once when it starts."""
    names = dict.fromkeys(name for backend in backends for name in backend.fingerprint() if name != "pubpipe")
    return tuple(names)


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
