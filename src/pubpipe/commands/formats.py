"""`pubpipe formats`: the installed output formats, what each makes and where it comes from."""

from __future__ import annotations

import json
from typing import Any

import click

from .common import CONTEXT


@click.command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Print the formats as a JSON list.")
def formats(as_json: bool) -> None:
    """List the output formats installed (built-in and from plugins): name, what it makes, and the
    distribution that provides it with its version.

    \b
    Example:
      pubpipe formats
      pubpipe formats --json
    """
    from ..backends.base import backend_description, installed_backends
    from ..errors import PubpipeError
    from ..installed import distribution_name, distribution_version
    from .common import fail

    try:
        installed = installed_backends()
    except PubpipeError as error:  # two plugins for one format name (A101): say so as the build does
        fail(error, None, False)
    rows: list[dict[str, Any]] = []
    for name, entry in installed.items():
        package = distribution_name(entry)
        rows.append({"name": name, "description": backend_description(entry),
                     "builtin": package == "pubpipe", "package": package,
                     "version": distribution_version(entry), "entry_point": entry.value})
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    width = max((len(row["description"]) for row in rows), default=0)
    for row in rows:
        origin = "built-in" if row["builtin"] else f"{row['package'] or row['entry_point']} {row['version'] or ''}"
        click.echo(f"{row['name']:8} {row['description']:{width}}  {origin.strip()}")
