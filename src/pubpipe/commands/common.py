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


def command_name() -> str:
    """How the user runs pubpipe: `pubpipe` when that is the one on PATH, else the path they typed
    (`.venv/bin/pubpipe` after `make build`), so a "next:" line can be pasted as it is."""
    import shutil

    typed = sys.argv[0] if sys.argv and Path(sys.argv[0]).name == "pubpipe" else ""
    found = shutil.which("pubpipe")
    if not typed or (found and Path(found).resolve() == Path(typed).resolve()):
        return "pubpipe"
    return typed


def fail(error: Any, root: Path | None, debug: bool) -> NoReturn:
    """Print a PubpipeError as its one line (or the traceback with --debug) and exit with its code."""
    if debug:
        raise error
    click.echo(error.render(root), err=True)
    sys.exit(error.exit_code)
