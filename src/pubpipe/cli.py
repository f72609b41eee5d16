"""The pubpipe command line: click commands only; the library does the work."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from . import __version__

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _human_size(size: int) -> str:
    for unit in ("B", "KiB", "MiB"):
        if size < 1024 or unit == "MiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


def _fail(error: Any, root: Path | None, debug: bool) -> None:
    """Print a PubpipeError as its one line (or the traceback with --debug) and exit with its code."""
    if debug:
        raise error
    click.echo(error.render(root), err=True)
    sys.exit(error.exit_code)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="pubpipe")
def main() -> None:
    """Publish one Markdown source as HTML, PDF and EPUB 3, in every language edition.

    \b
    Example:
      pubpipe build              # every edition in every format, into build/
      pubpipe build -f pdf -l ru # the Russian PDF only
    """


@main.command(context_settings=CONTEXT)
@click.option("-f", "--format", "formats", multiple=True, metavar="FORMAT",
              help="Build only this format (repeatable). See `pubpipe formats`.")
@click.option("-l", "--lang", "languages", multiple=True, metavar="LANG",
              help="Build only this edition (repeatable).")
@click.option("-C", "--directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Run as if started in DIR.")
@click.option("--pdf-variant", type=click.Choice(["pdf/ua-1", "pdf/a-3b"]), default=None,
              help="Write a PDF/UA-1 or PDF/A-3b file.")
@click.option("--allow-remote", is_flag=True, help="Allow fetching http(s) resources named in the text.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def build(formats: tuple[str, ...], languages: tuple[str, ...], directory: Path | None,
          pdf_variant: str | None, allow_remote: bool, debug: bool) -> None:
    """Build the publication's outputs into build/<lang>/<slug>.<ext>.

    \b
    Example:
      pubpipe build -C path/to/book -f epub
    """
    from .build import BuildOptions, Output, build as run_build
    from .errors import PubpipeError
    from .project import find_project, load_project

    root: Path | None = None
    try:
        root = find_project(directory or Path.cwd())
        project = load_project(root)
        options = BuildOptions(formats=formats, languages=languages, allow_remote=allow_remote,
                               backend_options={"pdf_variant": pdf_variant} if pdf_variant else {})

        def report(output: Output) -> None:
            pages = f", {output.pages} pages" if output.pages else ""
            click.echo(f"{output.path.relative_to(root)}  {_human_size(output.bytes)}{pages}")

        run_build(project, options, report)
    except PubpipeError as error:
        _fail(error, root, debug)


@main.command(context_settings=CONTEXT)
def formats() -> None:
    """List the output formats installed (built-in and from plugins).

    \b
    Example:
      pubpipe formats
    """
    from .backends.base import installed_backends

    for name, entry in installed_backends().items():
        click.echo(f"{name:8} {entry.value}")
