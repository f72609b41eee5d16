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
