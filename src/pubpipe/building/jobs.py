"""One job: an edition rendered by one backend into a temporary file beside its place, with its findings."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..backends.base import Backend, BuildContext, BuildResult, Styles, load_backend
from ..diagnostics import Diagnostic
from ..errors import PubpipeError, backend_failure
from ..model import Edition
from ..reading.project import Project
from ..report import Reporter
from .cache import CACHE_DIR, BuildCache
from .files import file_sha256, remove_staging, staging_for, temporary_beside
from .keys import layout_key
from .plan import BuildOptions, Job, Output, output_path
from .process import collector_relaxed
from .records import reused_findings, reused_output


def template_environment(project: Project) -> Any:
    """Jinja2 with autoescape on: the project's templates/ first, then the package's."""
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if (project.root / "templates").is_dir():
        loaders.append(jinja2.FileSystemLoader(str(project.root / "templates")))
    loaders.append(jinja2.PackageLoader("pubpipe", "templates"))
    return jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined)


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
    replaces: tuple[str, ...] = ()
    """BuildResult.replaces: folders beside the output its extra files fill whole."""


def job_context(project: Project, edition: Edition, job: Job, backend: Backend, options: BuildOptions,
                when: dt.datetime, templates: Any, reporter: Reporter, output: Path) -> BuildContext:
    """The BuildContext of one job: *output* is where the backend writes (a temporary name beside
    its final place, or the would-be output of a format asked only for its layout)."""
    from ..i18n import catalogue

    final = output_path(project, job, backend)
    return BuildContext(
        root=project.root, output=output, final_name=final.name, styles=Styles.for_project(project.root),
        templates=templates, catalogue=catalogue(edition.lang), build_time=when, slug=project.slug,
        reporter=reporter, allow_remote=options.allow_remote, cache_dir=project.build_dir / CACHE_DIR,
        options=MappingProxyType({**({"pdf_variant": project.pdf_variant} if project.pdf_variant else {}),
                                  **({"pdf_layout": project.pdf_layout} if project.pdf_layout else {}),
                                  **options.backend_options,
                                  # Where the work runs, not what it makes: outside the cache keys.
                                  "workers": options.jobs, "executor": options.executor}),
    )


def run_job(project: Project, edition: Edition, job: Job, backend: Backend, options: BuildOptions,
            when: dt.datetime, templates: Any, lender: Backend | None = None,
            without_layout: str | None = None) -> JobDone:
    """Build one output into a temporary file beside its final place; the build moves it there at the end.

    A backend that follows another format's layout (`layout_from`: the EPUB's page list is the PDF's)
    gets that layout's page starts first, as ctx.layout, from *lender* (the backend of that format
    the task's other jobs use, so the edition is laid out once; None: one loaded from the registry).
    With the key of everything else it reads (*without_layout*), they give the output's own key,
    and an output already made for that key is reused: a print.css change that moves no page break
    rebuilds no EPUB. A failure is reported, not raised, so the other jobs still run and every
    problem of the build is said at once.
    """
    final = output_path(project, job, backend)
    temp = temporary_beside(final)
    reporter = Reporter(strict=options.reporter.strict)
    ctx = job_context(project, edition, job, backend, options, when, templates, reporter, temp)
    own_key = None
    kept = False
    try:
        try:
            if backend.layout_from:
                if lender is None or lender.name != backend.layout_from:
                    lender = load_backend(backend.layout_from)
                lent = Job(job.lang, lender.name)
                ctx = replace(ctx, layout=lender.page_starts(edition, job_context(
                    project, edition, lent, lender, options, when, templates, reporter,
                    output_path(project, lent, lender))))
                if without_layout is not None:
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
            remove_staging(temp)
    # The extra files wait in the staging folder; their names are where commit() puts them.
    staging = staging_for(temp)
    extra = tuple(sorted((final.parent / path.relative_to(staging)).relative_to(project.build_dir).as_posix()
                         for path in result.extra_files))
    output = Output(job, final, temp.stat().st_size, file_sha256(temp) or "", result.pages, "built", extra,
                    result.note)
    return JobDone(job, output, temp, own_key, tuple(reporter.diagnostics), result.replaces)


def render_jobs(project: Project, edition: Edition, jobs: list[Job], options: BuildOptions,
                when: dt.datetime, without_layout: list[str | None] | None = None) -> list[JobDone]:
    """Jobs of one edition, one after another, as a worker runs them (backends and templates set up here).

    One backend instance per format for the whole task: a job that follows another format's layout
    (the EPUB) gets it from the instance that format's own job uses, which lays the edition out once.
    """
    templates = template_environment(project)
    backends: dict[str, Backend] = {}

    def backend_for(name: str) -> Backend:
        if name not in backends:
            backends[name] = load_backend(name)
        return backends[name]

    bases = without_layout or [None] * len(jobs)
    with collector_relaxed():
        done = []
        for job, base in zip(jobs, bases):
            backend = backend_for(job.format)
            lender = backend_for(backend.layout_from) if backend.layout_from else None
            done.append(run_job(project, edition, job, backend, options, when, templates, lender, base))
        return done


def warm_modules(backends: Iterable[Backend]) -> tuple[str, ...]:
    """The engines named in the backends' fingerprints, for each worker to import once when it starts."""
    names = dict.fromkeys(name for backend in backends for name in backend.fingerprint() if name != "pubpipe")
    return tuple(names)
