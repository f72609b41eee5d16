"""`pubpipe formats`: the installed output formats."""

from __future__ import annotations

import click

from .common import CONTEXT


@click.command(context_settings=CONTEXT)
def formats() -> None:
    """List the output formats installed (built-in and from plugins).

    \b
    Example:
      pubpipe formats
    """
    from ..backends.base import installed_backends

    for name, entry in installed_backends().items():
        click.echo(f"{name:8} {entry.value}")
