"""`pubpipe clean`: remove build/, or only its cache."""

from __future__ import annotations

from pathlib import Path

import click

from .common import CONTEXT, fail, human_size


@click.command(context_settings=CONTEXT)
@click.option("-C", "--directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Run as if started in DIR.")
@click.option("--cache", "cache_only", is_flag=True, help="Remove only build/.cache; the outputs stay.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def clean(directory: Path | None, cache_only: bool, debug: bool) -> None:
    """Remove the outputs and the build cache (build/), or only the cache.

    It waits for a build running in the same project to finish. The cache keeps itself within
    3 times the size of the outputs; after `--cache` the next build makes every output again (and
    fetches the web images again, which the cache kept for offline rebuilds).

    \b
    Example:
      pubpipe clean --cache          # build/.cache only
      pubpipe clean -C path/to/book  # all of build/
    """
    from ..building.cache import CACHE_DIR
    from ..building.cache import clean as remove
    from ..building.lock import build_lock
    from ..errors import PubpipeError
    from ..reading.project import find_project, load_project

    root: Path | None = None
    try:
        root = find_project(directory or Path.cwd())
        build_dir = load_project(root).build_dir
        if not build_dir.is_dir():
            click.echo("nothing to clean")
            return
        with build_lock(build_dir, on_wait=lambda message: click.echo(f"pubpipe: {message}", err=True)):
            removed = remove(build_dir, cache_only)
    except PubpipeError as error:
        fail(error, root, debug)
    where = build_dir / CACHE_DIR if cache_only else build_dir
    click.echo(f"removed {where.relative_to(root).as_posix() if root else where}/ ({human_size(removed)})")
