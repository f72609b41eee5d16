"""`pubpipe formats`: the installed output formats."""

from __future__ import annotations

import json

import click

from .common import CONTEXT


@click.command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Print the formats as a JSON list.")
def formats(as_json: bool) -> None:
    """List the output formats installed (built-in and from plugins).

    \b
    Example:
      pubpipe formats
      pubpipe formats --json
    """
    from ..backends.base import installed_backends
    from ..installed import distribution_name

    found = installed_backends()
    if as_json:
        # Where each backend comes from, without importing it: a broken plugin must not hide the others.
        click.echo(json.dumps([{"name": name, "entry_point": entry.value,
                                "package": distribution_name(entry)}
                               for name, entry in found.items()], indent=2))
        return
    for name, entry in found.items():
        click.echo(f"{name:8} {entry.value}")
