"""The "next:" lines of init and import name pubpipe the way the user ran it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pubpipe.commands.common import command_name


def test_a_pubpipe_not_on_path_is_named_by_the_path_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "pubpipe").write_text("#!/bin/sh\n", encoding="utf-8")
    (venv / "pubpipe").chmod(0o755)
    monkeypatch.setattr(sys, "argv", [".venv/bin/pubpipe", "init"])
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert command_name() == ".venv/bin/pubpipe"
    monkeypatch.setenv("PATH", str(venv))  # the same one is on PATH: its short name will do
    assert command_name() == "pubpipe"
    monkeypatch.setattr(sys, "argv", ["/usr/lib/python3/pytest"])  # not run as pubpipe (CliRunner, -m)
    assert command_name() == "pubpipe"


def test_a_wrong_executor_is_a_usage_error_before_any_work(tmp_path: Path) -> None:
    """--executor is checked with the command line: exit 2, whatever the formats or the state of build/."""
    from click.testing import CliRunner

    from pubpipe.cli import main

    for value in ("ray://x:1", "dask://nohostport"):
        result = CliRunner().invoke(main, ["build", "-C", str(tmp_path), "-f", "html", "--executor", value])
        assert result.exit_code == 2 and "dask://HOST:PORT" in result.output, result.output
