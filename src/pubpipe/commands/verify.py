"""`pubpipe verify`: check every released file against build/manifest.json and SHA256SUMS."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .common import CONTEXT, fail


@click.command(context_settings=CONTEXT)
@click.argument("build_dir", type=click.Path(file_okay=False, path_type=Path), default="build")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def verify(build_dir: Path, as_json: bool, debug: bool) -> None:
    """Check the files in BUILD_DIR (default: build/) against its manifest; exit 1 on any difference.

    \b
    Example:
      pubpipe build --release --version-label 1.0
      pubpipe verify build/ --json
    """
    from ..errors import PubpipeError
    from ..release import MANIFEST, read_manifest
    from ..release import verify as check

    try:
        problems = check(build_dir)
        checked = len(read_manifest(build_dir / MANIFEST)["outputs"])
    except PubpipeError as error:
        if as_json and not debug:
            click.echo(json.dumps({"ok": False, "checked": 0, "problems": [],
                                   "error": error.render(Path.cwd())}, indent=2))
            sys.exit(error.exit_code)
        fail(error, Path.cwd(), debug)
    if as_json:
        click.echo(json.dumps({"ok": not problems, "checked": checked,
                               "problems": [p.to_json() for p in problems]}, indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            click.echo(f"{build_dir / problem.file}: error R100: {problem.message}", err=True)
        click.echo(f"{checked} file(s) checked, {len(problems)} problem(s)" if problems
                   else f"{checked} file(s) match the manifest")
    sys.exit(1 if problems else 0)
