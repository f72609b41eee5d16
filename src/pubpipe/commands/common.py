"""Helpers every command shares: the one-line error report and sizes for humans."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

CONTEXT = {"help_option_names": ["-h", "--help"]}


def human_size(size: float) -> str:
    for unit in ("B", "KiB", "MiB"):
        if size < 1024 or unit == "MiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


def fail(error: Any, root: Path | None, debug: bool) -> NoReturn:
    """Print a PubpipeError as its one line (or the traceback with --debug) and exit with its code."""
    if debug:
        raise error
    click.echo(error.render(root), err=True)
    sys.exit(error.exit_code)
