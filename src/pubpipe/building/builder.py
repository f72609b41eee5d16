"""One build: reuse what is current, read the stale editions, run their jobs in workers, commit the outputs."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..backends.base import Styles, load_backend
from ..diagnostics import Diagnostic
from ..model import Edition
from ..reading.project import Project
from ..report import Reporter
from .cache import BuildCache, JobRecord, Produced
from .editions import parse_editions
from .files import file_sha256, remove_staging, staging_for
from .hashing import code_digest
from .jobs import JobDone, render_jobs, warm_modules
from .keys import KeyInputs, edition_key, edition_title, job_key, relative
from .plan import BuildOptions, Job, Output, build_time_source, cost
from .records import finding_from_json, finding_to_json, reused_findings, reused_output, write_manifest


class Builder:
    """One build: find the jobs whose key changed, parse only their editions, run them, record them."""

    def __init__(self, project: Project, options: BuildOptions, jobs: list[Job],
                 report: Callable[[Output], None], known: dict[str, Any]) -> None:
        self.project = project
        self.options = options
        self.jobs = jobs
        self.report = report
        self.backends = {name: load_backend(name, known) for name in dict.fromkeys(job.format for job in jobs)}
        # The formats whose layout another follows (the pdf, for the EPUB's page list), through the registry.
        for name in [backend.layout_from for backend in self.backends.values() if backend.layout_from]:
            if name not in self.backends:
                self.backends[name] = load_backend(name, known)
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
            editions = parse_editions(self.project, languages, self.titles, self.options, found, self.edition_keys)
            # Every edition is read before any output is made: an error in one means nothing is written.
            # Warnings do not stop here, not even under --strict: the outputs' own (the PDF engine's, the
            # EPUB's repairs of raw HTML) are said in the same run, and then nothing is written.
            if self.options.reporter.errors:
                self.options.reporter.check()
            for edition in editions:
                assets = [relative(asset.source, self.project.root) for asset in edition.assets]
                self.cache.remember_edition(self.edition_keys[edition.lang], assets,
                                            [finding_to_json(self.project.root, item) for item in found[edition.lang]])
                mine = [job for job in stale if job.lang == edition.lang]
                # A book laid out chapter by chapter starts workers of its own: its jobs run here.
                own = any(self.lays_out_in_workers(job, edition) for job in mine)
                for task in self.tasks(mine, share=pool is None or own or len(languages) >= workers):
                    keys = [self.key(job, assets) for job in task]
                    bases = [self.without_layout(job, assets) for job in task]
                    if pool is None or own and any(self.lays_out_in_workers(job, edition) for job in task):
                        self.finish(keys, render_jobs(self.project, edition, task, self.options, self.when, bases))
                    else:
                        # A worker reports into a fresh Reporter of its own (what it adds to a copy of
                        # this one would stay in the worker) and hands the findings back with the job.
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

    def lays_out_in_workers(self, job: Job, edition: Edition) -> bool:
        """Whether the job starts worker processes of its own: its backend does, or the backend whose
        layout it follows (the EPUB's page list, when the PDF is laid out chapter by chapter)."""
        backend = self.backends[job.format]
        options = self.backend_options()
        return backend.lays_out_in_workers(edition, options) or bool(
            backend.layout_from and self.backends[backend.layout_from].lays_out_in_workers(edition, options))

    def backend_options(self) -> dict[str, Any]:
        """The format options a backend reads (as run_job gives them in BuildContext.options)."""
        return {**({"pdf_variant": self.project.pdf_variant} if self.project.pdf_variant else {}),
                **({"pdf_layout": self.project.pdf_layout} if self.project.pdf_layout else {}),
                **self.options.backend_options}

    def tasks(self, jobs: list[Job], share: bool) -> list[list[Job]]:
        """An edition's jobs as tasks for the workers, slowest first.

        A job that follows another format's layout (`layout_from`: the EPUB's page list follows the
        PDF) runs in one task with that format's job, before it, so WeasyPrint lays the edition out
        once (render_jobs) — when there are enough editions to keep every worker busy; with one
        edition, two workers finish sooner each doing its own layout.
        """
        formats = {job.format: job for job in jobs}
        tasks: list[list[Job]] = []
        taken: set[Job] = set()
        for job in jobs:
            lender = formats.get(self.backends[job.format].layout_from)
            if share and lender is not None and lender != job and lender not in taken and job not in taken:
                tasks.append([job, lender])
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
                remove_staging(done.temporary)
                with contextlib.suppress(OSError):  # the edition's folder, if this build made it and nothing else is in it
                    done.temporary.parent.rmdir()
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
                place_extra_files(done.temporary, output, build_dir, done.replaces)
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


def place_extra_files(temporary: Path, output: Output, build_dir: Path, replaces: tuple[str, ...]) -> None:
    """Move the files a job staged beside its *temporary* output (files.staging_for) to their places
    (output.extra, relative to *build_dir*); in each folder of *replaces* (relative to the output's
    folder) remove the files an earlier build put there and this one did not."""
    staging = staging_for(temporary)
    folder = output.path.parent
    for name in output.extra:
        target = build_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / target.relative_to(folder), target)
    kept = {build_dir / name for name in output.extra}
    for place in replaces:
        for stale in (folder / place).glob("*"):
            if stale.is_file() and stale not in kept:
                stale.unlink()
    remove_staging(temporary)
