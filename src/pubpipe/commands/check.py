"""`pubpipe check`: proofread the Markdown sources (and, with --outputs, validate build/)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .common import CONTEXT, fail


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code.strip())


@click.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-C", "--directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Run as if started in DIR.")
@click.option("--fix", is_flag=True, help="Repair what is safe to repair (written atomically), then report the rest.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as a JSON list.")
@click.option("--select", multiple=True, metavar="CODES", help="Run only these codes or prefixes (K101,K15).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these codes or prefixes.")
@click.option("--outputs", is_flag=True, help="Also validate build/: EPUBCheck, Nu Html Checker, PDF checks.")
@click.option("--list-rules", is_flag=True, help="List every rule's code, name and severity, then exit.")
@click.option("--strict", is_flag=True, help="Exit with 1 on warnings too (for CI), as `pubpipe build --strict`.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def check(paths: tuple[Path, ...], directory: Path | None, fix: bool, as_json: bool, select: tuple[str, ...], ignore: tuple[str, ...],
          outputs: bool, list_rules: bool, strict: bool, debug: bool) -> None:
    """Check every edition's Markdown for typos, lost dashes, run-together sentences and broken structure.

    Prints one line per finding, `file:line:column: severity CODE: message; hint`, sorted by place,
    then one summary line (none when nothing is found), and exits with 1 when any finding is an error (with --strict: any finding
    at all). Reading the editions' warnings (a web image not
    fetched, raw HTML left out…) are among them, as `pubpipe build` says them. See docs/CHECKS.md.

    \b
    Example:
      pubpipe check                   # every edition
      pubpipe check source/ru --fix   # the Russian edition, repairing what is safe
      pubpipe check --outputs         # and validate what build/ holds
      pubpipe check -C my-book        # the publication in my-book/
    """
    from ..check import Selection, check_project, load_rules
    from ..check.runner import unknown_codes
    from ..errors import PubpipeError, UsageError
    from ..reading.project import find_project, load_project
    from ..report import final_report

    if list_rules:
        for rule in load_rules():
            click.echo(f"{rule.code}  {rule.name:32} {rule.severity:8} {'fixable' if rule.fixable else ''}")
        return
    root: Path | None = None
    try:
        selection = Selection(_codes(select), _codes(ignore))
        unknown = unknown_codes(selection.select + selection.ignore)
        if unknown:
            raise UsageError(f"unknown rule code {', '.join(unknown)}", hint="see `pubpipe check --list-rules`")
        # As with `git -C`, PATHS are relative to DIR.
        paths = tuple(path if directory is None or path.is_absolute() else directory / path for path in paths)
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise UsageError(f"no such file or folder: {', '.join(missing)}",
                             hint="name an edition's folder or Markdown file (e.g. source/en)")
        start = paths[0] if paths else directory or Path.cwd()
        root = find_project(start if start.is_dir() else start.parent)
        project = load_project(root)
        diagnostics = check_project(project, tuple(paths), selection, fix)
        if outputs:
            from ..check.outputs import check_outputs

            diagnostics += [d for d in check_outputs(project) if selection.wants(d.code)]
        # As `pubpipe build` reports: every finding once, sorted by place (the rules', reading's, the outputs').
        diagnostics = final_report(diagnostics)
    except PubpipeError as error:
        fail(error, root, debug)
    if as_json:
        click.echo(json.dumps([d.to_json(root) for d in diagnostics], ensure_ascii=False, indent=2))
    else:
        for diagnostic in diagnostics:
            click.echo(diagnostic.render(root))
        if diagnostics:  # a clean text says nothing, as linters do
            click.echo(f"pubpipe: {summary(diagnostics)}", err=True)
    sys.exit(1 if any(d.severity == "error" or strict for d in diagnostics) else 0)


def summary(diagnostics: list[Any]) -> str:
    """`1 error, 2 warnings`: the build's wording."""
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    parts = [f"{errors} error{'s' * (errors != 1)}"] if errors else []
    parts += [f"{warnings} warning{'s' * (warnings != 1)}"] if warnings else []
    return ", ".join(parts)
