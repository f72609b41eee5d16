"""`pubpipe manifest merge`: join the partial manifests a CI matrix made into one release manifest."""

from __future__ import annotations

from pathlib import Path

import click

from .common import CONTEXT, fail


@click.group(context_settings=CONTEXT)
def manifest() -> None:
    """Work with release manifests (build/manifest.json).

    \b
    Example:
      pubpipe manifest merge parts/*/manifest.json -o build
    """


@manifest.command(context_settings=CONTEXT)
@click.argument("parts", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="The folder to write manifest.json and SHA256SUMS into.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def merge(parts: tuple[Path, ...], output: Path, debug: bool) -> None:
    """Merge partial release manifests (one per CI machine) into one, with its SHA256SUMS.

    It writes under the folder's build lock, as a build does: if a build is running there, it
    waits for it to finish.

    \b
    Example:
      pubpipe manifest merge en/manifest.json ru/manifest.json -o release/
    """
    from ..building.lock import build_lock
    from ..errors import PubpipeError
    from ..release import merge as join
    from ..release import read_manifest, write_release

    try:
        merged = join(read_manifest(part) for part in parts)
    except PubpipeError as error:
        fail(error, Path.cwd(), debug)
    # A build in the same folder rewrites manifest.json and clears stray temporary files under this
    # lock: without it, the two could interleave.
    with build_lock(output, on_wait=lambda message: click.echo(f"pubpipe: {message}", err=True)):
        write_release(output, merged)
    click.echo(f"{output / 'manifest.json'}: {len(merged['outputs'])} output(s) from {len(parts)} manifest(s)")
