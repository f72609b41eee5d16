"""`pubpipe translate`: add an edition, see where translations stand, record work, exchange PO files."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .common import CONTEXT, fail

DIRECTORY = click.option("-C", "--directory", type=click.Path(file_okay=False, path_type=Path), default=None,
                         help="Run as if started in DIR.")
DEBUG = click.option("--debug", is_flag=True, help="Show tracebacks.")


def run(directory: Path | None, debug: bool, work: Callable[[Any, Path], None]) -> None:
    """Find and load the project, run *work*, and report a PubpipeError as its one line."""
    from ..errors import PubpipeError
    from ..reading.project import find_project, load_project

    root: Path | None = None
    try:
        root = find_project(directory or Path.cwd())
        work(load_project(root), root)
    except PubpipeError as error:
        fail(error, root, debug)


@click.group(context_settings=CONTEXT)
def translate() -> None:
    """Keep translated editions in step with the original.

    \b
    Example:
      pubpipe translate status --check   # exit 1 if anything is untranslated or stale
    """


@translate.command(context_settings=CONTEXT)
@click.argument("lang")
@DIRECTORY
@DEBUG
def add(lang: str, directory: Path | None, debug: bool) -> None:
    """Create source/LANG/ from the original, every segment marked untranslated.

    \b
    Example:
      pubpipe translate add de
    """
    from ..translate.status import add as add_edition

    def work(project: Any, root: Path) -> None:
        added = add_edition(project, lang)
        for path in added.files:
            click.echo(f"created {path.relative_to(root)}")
        click.echo(f"{added.segments} segments to translate; the record is "
                   f"{(added.folder / 'translation.json').relative_to(root)}")
        if added.config_changed:
            click.echo(f"declared the edition '{lang}' in source/publication.yaml")

    run(directory, debug, work)


@translate.command(context_settings=CONTEXT)
@click.argument("lang", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.option("--check", is_flag=True, help="Exit 1 when any segment is untranslated, stale or obsolete.")
@DIRECTORY
@DEBUG
def status(lang: str | None, as_json: bool, check: bool, directory: Path | None, debug: bool) -> None:
    """Segments in total, translated, untranslated and stale, per translated edition.

    \b
    Example:
      pubpipe translate status ru --json
    """
    from ..translate.status import edition_status, translated_languages

    def work(project: Any, root: Path) -> None:
        results = [edition_status(project, code) for code in translated_languages(project, lang)]
        if as_json:
            click.echo(json.dumps({"editions": [r.to_json(root) for r in results]}, ensure_ascii=False, indent=2))
        else:
            for result in results:
                summary = result.to_json(root)
                click.echo(f"{result.lang}: {summary['total']} segments, {summary['translated']} translated "
                           f"({summary['percent']} %), {summary['untranslated']} untranslated, "
                           f"{summary['stale']} stale, {summary['obsolete']} obsolete")
                for row in summary["segments"]:
                    where = row["original"] or row["translation"]
                    click.echo(f"  {where}: {row['state']} {row['id']}")
        if check and not all(result.complete for result in results):
            sys.exit(1)

    run(directory, debug, work)


@translate.command(context_settings=CONTEXT)
@click.argument("lang")
@click.argument("segments", nargs=-1)
@DIRECTORY
@DEBUG
def mark(lang: str, segments: tuple[str, ...], directory: Path | None, debug: bool) -> None:
    """Record that SEGMENTS (all, if none are named) are translated from the current original.

    \b
    Example:
      pubpipe translate mark ru p-1c0ffee2
    """
    from ..translate.status import mark as mark_segments
    from ..translate.status import translated_languages

    def work(project: Any, root: Path) -> None:
        translated_languages(project, lang)
        marked = mark_segments(project, lang, segments)
        click.echo(f"{lang}: {len(marked)} segment(s) recorded as translated")

    run(directory, debug, work)


@translate.command("export", context_settings=CONTEXT)
@click.argument("lang")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the PO file here (default: standard output).")
@DIRECTORY
@DEBUG
def export(lang: str, output: Path | None, directory: Path | None, debug: bool) -> None:
    """Write the edition as a gettext PO file; stale segments are fuzzy, with the previous original.

    \b
    Example:
      pubpipe translate export ru -o ru.po
    """
    from ..translate.po import export_po
    from ..translate.status import translated_languages

    def work(project: Any, root: Path) -> None:
        translated_languages(project, lang)
        text = export_po(project, lang)
        if output is None:
            click.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")

    run(directory, debug, work)


@translate.command("import", context_settings=CONTEXT)
@click.argument("lang")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@DIRECTORY
@DEBUG
def import_(lang: str, file: Path, directory: Path | None, debug: bool) -> None:
    """Apply a PO file's translations to source/LANG/; entries that are not fuzzy are recorded as translated.

    \b
    Example:
      pubpipe translate import ru ru.po
    """
    from ..translate.po import import_po
    from ..translate.status import translated_languages

    def work(project: Any, root: Path) -> None:
        translated_languages(project, lang)
        done = import_po(project, lang, file.resolve())
        for line in done.skipped:
            click.echo(line, err=True)
        click.echo(f"{lang}: {done.updated} segment(s) updated, {len(done.translated)} recorded as translated")

    run(directory, debug, work)
