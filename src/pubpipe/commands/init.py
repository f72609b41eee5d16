"""`pubpipe init`: start a new publication that builds at once."""

from __future__ import annotations

from pathlib import Path

import click

from .common import CONTEXT, command_name, fail


@click.command(context_settings=CONTEXT)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--lang", default="en", show_default=True, metavar="LANG",
              help="BCP 47 tag of the original language.")
@click.option("--title", default="My Publication", show_default=True, help="The work's title.")
@click.option("--author", default="Anonymous", show_default=True, help="The author credit.")
@click.option("--from", "from_", type=click.Path(exists=True, path_type=Path), metavar="SRC",
              help="Make the publication from an mdBook, MkDocs or pandoc project (SRC is only read; "
                   "its chapters and images are copied). See docs/IMPORTING.md.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.pass_context
def init(context: click.Context, directory: Path, lang: str, title: str, author: str, from_: Path | None,
         debug: bool) -> None:
    """Create a new publication in DIRECTORY (default: here); never overwrites one.

    \b
    Example:
      pubpipe init my-book --title "My Book" --lang en
      cd my-book && pubpipe build
      pubpipe init my-book --from path/to/mdbook   (or an MkDocs folder, or a pandoc defaults file)
    """
    if from_ is not None:
        from .importing import init_from

        explicit = context.get_parameter_source("lang") == click.core.ParameterSource.COMMANDLINE
        init_from(directory, from_, lang if explicit else None, debug)
        return
    from ..errors import PubpipeError
    from ..scaffold import NewProject, create_project

    root = directory.resolve()
    try:
        written = create_project(NewProject(root=root, title=title, lang=lang, author=author))
    except PubpipeError as error:
        fail(error, Path.cwd(), debug)
    for path in written:
        click.echo(f"created {path.relative_to(root).as_posix()}")
    name = command_name()
    if "/" in name and not Path(name).is_absolute():
        name = str(Path(name).resolve())  # the command is run from the new folder
    click.echo(f"next: cd {click.format_filename(directory)} && {name} build   (or {name} serve)")
