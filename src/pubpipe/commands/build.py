"""`pubpipe build`: every edition in every format, into build/."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import click

from .common import CONTEXT, human_size


def executor_spec(context: click.Context, parameter: click.Parameter, value: str | None) -> str | None:
    """--executor checked when the command line is read (a wrong one exits 2 before any work)."""
    if value is None or value == "local" or re.fullmatch(r"(dask|tcp)://[^\s:/]+:\d+", value):
        return value
    raise click.BadParameter(f"'{value}' is neither 'local' nor 'dask://HOST:PORT' (e.g. dask://scheduler:8786)")


@click.command(context_settings=CONTEXT)
@click.option("-f", "--format", "formats", multiple=True, metavar="FORMAT",
              help="Build only this format (repeatable). See `pubpipe formats`.")
@click.option("-l", "--lang", "languages", multiple=True, metavar="LANG",
              help="Build only this edition (repeatable).")
@click.option("-C", "--directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Run as if started in DIR.")
@click.option("--pdf-variant", type=click.Choice(["pdf/ua-1", "pdf/a-3b"]), default=None,
              help="Write a PDF/UA-1 or PDF/A-3b file.")
@click.option("--pdf-layout", type=click.Choice(["auto", "chapters", "single"]), default=None,
              help="Lay a book's PDF out chapter by chapter in parallel (auto: a book of several chapter "
                   "files; default: `page: layout` in publication.yaml, else auto).")
@click.option("--executor", default=None, metavar="local|dask://HOST:PORT", callback=executor_spec,
              help="Where a book's chapters are laid out: local processes (default) or a Dask scheduler.")
@click.option("--allow-remote", is_flag=True, help="Fetch the text's web (http/https) images once into build/.cache/remote/ and embed them.")
@click.option("--strict", is_flag=True, help="Treat every warning as an error (nothing is written).")
@click.option("--json", "as_json", is_flag=True, help="Print outputs and diagnostics as one JSON object.")
@click.option("--force", is_flag=True, help="Rebuild every output, even those that are up to date.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Run N jobs at once (default: one per core).")
@click.option("--release", is_flag=True,
              help="Also write validated <slug>-<version>-<lang>.<ext> copies, manifest.json and SHA256SUMS.")
@click.option("--version-label", default=None, metavar="VERSION",
              help="The release's version (default: `version:` in publication.yaml, else the latest git tag).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors and warnings.")
@click.option("-v", "--verbose", is_flag=True, help="Also print each step and output with its timing.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def build(formats: tuple[str, ...], languages: tuple[str, ...], directory: Path | None,
          pdf_variant: str | None, pdf_layout: str | None, executor: str | None, allow_remote: bool, strict: bool, as_json: bool, force: bool,
          jobs: int | None, release: bool, version_label: str | None, quiet: bool, verbose: bool,
          debug: bool) -> None:
    """Build the publication's outputs into build/<lang>/<slug>.<ext>.

    \b
    Example:
      pubpipe build -C path/to/book -f epub
      pubpipe build --strict --json   # for CI: warnings fail the build, machine-readable report
      pubpipe build --release --version-label 1.0 && pubpipe verify
    """
    from ..building.build import build as run_build
    from ..building.plan import BuildOptions, Output, plan
    from ..building.process import Interrupted
    from ..building.progress import NORMAL, QUIET, VERBOSE, BuildProgress
    from ..diagnostics import Diagnostic
    from ..errors import BuildFailed, InternalError, PubpipeError
    from ..reading.project import find_project, load_project
    from ..report import Reporter, error_diagnostics, final_report, summary

    root: Path | None = None
    outputs: list[dict[str, Any]] = []
    released: dict[str, Any] = {}

    # Every problem of the build is said once, at the end, sorted by file and line (as a compiler does).
    reporter = Reporter(strict=strict)

    def say_diagnostics(error: PubpipeError | None = None) -> list[Diagnostic]:
        found = final_report([*reporter.diagnostics, *(error_diagnostics(error) if error else [])], strict)
        if not as_json:
            for diagnostic in found:
                click.echo(diagnostic.render(root), err=True)
            if error is not None:
                click.echo(f"pubpipe: build failed: {summary(found)}; nothing was written", err=True)
            elif found:
                click.echo(f"pubpipe: {summary(found)}", err=True)
        return found

    # On a terminal a progress bar; in a log plain lines; nothing but JSON under --json.
    progress = BuildProgress(QUIET if quiet or as_json else VERBOSE if verbose else NORMAL)

    def report(output: Output) -> None:
        assert root is not None
        progress.advance(f"{output.job} ({output.status})")
        if as_json:
            outputs.append({"file": output.path.relative_to(root).as_posix(), "edition": output.job.lang,
                            "format": output.job.format, "bytes": output.bytes, "sha256": output.sha256,
                            "pages": output.pages, "status": output.status,
                            **({"note": output.note} if output.note else {})})
            return
        if output.status == "current":
            return  # unchanged outputs are summed up in one line at the end
        pages = f", {output.pages} pages" if output.pages else ""
        cached = " (from cache)" if output.status == "restored" else f" ({output.note})" if output.note else ""
        progress.line(f"{output.path.relative_to(root)}  {human_size(output.bytes)}{pages}{cached}")

    def emit_json(error: PubpipeError | None) -> None:
        found = say_diagnostics(error)
        click.echo(json.dumps({"ok": error is None, "exit_code": error.exit_code if error else 0,
                               "outputs": outputs, "diagnostics": [d.to_json(root) for d in found],
                               **({"release": released} if released else {})},
                              indent=2, ensure_ascii=False))

    try:
        try:
            root = find_project(directory or Path.cwd())
            project = load_project(root)
            label = None
            if release:
                from ..release import version_label as release_version

                label = release_version(project, version_label)
            options = BuildOptions(formats=formats, languages=languages, allow_remote=allow_remote,
                                   backend_options={**({"pdf_variant": pdf_variant} if pdf_variant else {}),
                                                    **({"pdf_layout": pdf_layout} if pdf_layout else {})},
                                   reporter=reporter, force=force, jobs=jobs, debug=debug, executor=executor)

            def summarise(made: list[Output]) -> None:
                if not as_json:
                    say_diagnostics()
                current = sum(output.status == "current" for output in made)
                if not as_json and current:
                    progress.line("everything is up to date" if current == len(made)
                                  else f"{current} other output{'s' if current > 1 else ''} up to date")

            def release_outputs(made: list[Output]) -> None:
                # Runs inside the build's lock: another build's clean-up cannot meet the release's files.
                from ..release import release_from_build

                assert label is not None
                summarise(made)
                progress.step(f"release {label}: copying and validating")
                released.update(release_from_build(project, made, label))
                for entry in released["outputs"]:
                    progress.line(f"release: build/{entry['file']}  {human_size(entry['bytes'])}")

            with progress.running(len(plan(project, options))):
                made = run_build(project, options, report,
                                 on_wait=lambda message: click.echo(f"pubpipe: {message}", err=True),
                                 then=release_outputs if label is not None else None)
            if label is None:
                summarise(made)
        except PubpipeError:
            raise
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # a bug in pubpipe: still one line, the traceback only with --debug
            if debug:
                raise
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise InternalError(f"internal error: {type(exc).__name__}" + (f": {detail}" if detail else ""),
                                hint="run with --debug and report the traceback") from exc
    except Interrupted as stop:
        click.echo(f"pubpipe: build interrupted ({stop}); outputs from earlier builds are unchanged", err=True)
        sys.exit(128 + stop.signum)
    except PubpipeError as error:
        if as_json and not debug:
            emit_json(error)
            sys.exit(error.exit_code)
        if debug and not isinstance(error, BuildFailed):
            raise
        say_diagnostics(error)
        sys.exit(error.exit_code)
    if as_json:
        emit_json(None)
