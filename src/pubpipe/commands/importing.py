"""`pubpipe init --from`: print what was made and, once at the end, what could not be carried over."""

from __future__ import annotations

from pathlib import Path

import click

from .common import command_name, fail


def init_from(directory: Path, source: Path, lang: str | None, debug: bool) -> None:
    """Import *source* into a new publication at *directory*; warnings sorted by file:line, last."""
    from ..errors import PubpipeError
    from ..importers import import_project

    root = directory.resolve()
    try:
        book, written = import_project(source, root, lang)
    except PubpipeError as error:
        fail(error, Path.cwd(), debug)
    chapters = len(book.chapters)
    click.echo(f"imported the {book.kind} project {click.format_filename(source)}: "
               f"{chapters} chapter file(s), {len(book.assets)} image(s), into {click.format_filename(directory)}")
    click.echo(f"created {len(written)} files; the reading order is 'files:' in source/publication.yaml")
    if book.warnings:
        click.echo(f"{len(book.warnings)} thing(s) could not be carried over as they were:", err=True)
        for warning in book.warnings:
            click.echo(warning.render(Path.cwd()), err=True)
    name = command_name()
    click.echo(f"next: {name} build -C {click.format_filename(directory)}   (or {name} serve -C …)")
