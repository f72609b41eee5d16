"""`pubpipe build`: every edition in every format, into build/."""

from __future__ import annotations

from pathlib import Path

import click

from .common import CONTEXT, fail, human_size


@click.command(context_settings=CONTEXT)
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
    from ..build import BuildOptions, Output, build as run_build
    from ..errors import PubpipeError
    from ..project import find_project, load_project

    root: Path | None = None
    try:
        root = find_project(directory or Path.cwd())
        project = load_project(root)
        options = BuildOptions(formats=formats, languages=languages, allow_remote=allow_remote,
                               backend_options={"pdf_variant": pdf_variant} if pdf_variant else {})

        def report(output: Output) -> None:
            pages = f", {output.pages} pages" if output.pages else ""
            click.echo(f"{output.path.relative_to(root)}  {human_size(output.bytes)}{pages}")

        run_build(project, options, report)
    except PubpipeError as error:
        fail(error, root, debug)
