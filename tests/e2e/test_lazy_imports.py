"""Starting fast: --help, formats and a build with nothing to do never import WeasyPrint or ebooklib."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_project

ENGINES = ("weasyprint", "ebooklib")
# Runs the real command line in a fresh interpreter, then lists the engine modules it imported.
PROBE = """
import json, sys
from pubpipe.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print(json.dumps({"exit": code, "engines": sorted(m for m in sys.modules if m.split(".")[0] in ENGINES)}))
""".replace("ENGINES", repr(ENGINES))


def engines_imported(*args: str, env: dict[str, str] | None = None) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=300,
                          env=env, check=False)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["exit"] in (0, None), done.stdout + done.stderr
    return list(result["engines"])


@pytest.mark.parametrize("args", [["--help"], ["formats"], ["build", "--help"]], ids=" ".join)
def test_commands_start_without_the_engines(args: list[str]) -> None:
    assert engines_imported(*args) == []


def test_noop_build_imports_no_engine(tmp_path: Path) -> None:
    import shutil

    import pubpipe

    root = copy_project("article", tmp_path)
    # pubpipe's code is part of every cache key: run a copy, so edits to the working tree made
    # while the test runs cannot turn the second build into a real one.
    shutil.copytree(Path(pubpipe.__file__).parent, tmp_path / "code" / "pubpipe",
                    ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONPATH": str(tmp_path / "code")}
    # The first build does import them (in its worker processes), so the probe can tell.
    first = subprocess.run([sys.executable, "-c", PROBE, "build", "-C", str(root), "-j", "1"], capture_output=True,
                           text=True, timeout=600, env=env, check=False)
    assert set(json.loads(first.stdout.strip().splitlines()[-1])["engines"]) >= {"weasyprint", "ebooklib"}
    # -j 1: were anything rebuilt, the engines would be imported in this very process.
    assert engines_imported("build", "-C", str(root), "-j", "1", env=env) == []
