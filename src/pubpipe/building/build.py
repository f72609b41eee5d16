"""Run a build: under the project's lock, with Ctrl-C handled, temporary files of killed builds removed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..reading.project import Project
from .builder import Builder
from .files import TEMPORARY_SUFFIX, remove_staging
from .lock import build_lock
from .plan import BuildOptions, Output, plan
from .process import interruptible


def remove_temporaries(build_dir: Path) -> None:
    """Delete temporary files a killed build left behind, and their staging folders (only called while
    holding the lock)."""
    for temp in build_dir.rglob(f".*{TEMPORARY_SUFFIX}"):
        temp.unlink(missing_ok=True)
    for staging in build_dir.rglob(f".*{TEMPORARY_SUFFIX}.extra"):
        remove_staging(staging.with_name(staging.name.removesuffix(".extra")))


def build(project: Project, options: BuildOptions, report: Callable[[Output], None] = lambda o: None,
          on_wait: Callable[[str], None] = lambda message: None,
          then: Callable[[list[Output]], None] | None = None) -> list[Output]:
    """Build every job of the plan that is not up to date; report every output in plan order.

    One build at a time per project (build/.lock); *on_wait* hears about it when another one holds it.
    *then*, if given, runs with the outputs while the lock is still held: a release writes its copies
    into build/, where another build's clean-up must not meet them half-written.
    """
    from ..backends.base import installed_backends

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
