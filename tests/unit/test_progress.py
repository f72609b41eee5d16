"""Build output: plain lines in a log, -q and -v, a transient bar on a terminal, NO_COLOR."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pubpipe.building.progress import NORMAL, QUIET, VERBOSE, BuildProgress, wants_color
from pubpipe.cli import main
from tests.conftest import copy_project


def run(progress: BuildProgress, pause: float = 0.0) -> None:
    with progress.running(2):
        time.sleep(pause)
        progress.advance("en/html")
        progress.line("build/en/book.html  1 KiB")
        progress.advance("en/pdf")


@pytest.mark.parametrize("verbosity, expected", [(QUIET, 0), (NORMAL, 1), (VERBOSE, 5)],
                         ids=["quiet", "normal", "verbose"])
def test_plain_lines_by_verbosity(verbosity: int, expected: int) -> None:
    out = io.StringIO()
    run(BuildProgress(verbosity, out, terminal=False))
    lines = out.getvalue().splitlines()
    assert len(lines) == expected
    assert "\x1b" not in out.getvalue()  # never a control sequence in a log
    if verbosity == VERBOSE:
        assert lines[0].endswith("plan: 2 outputs") and "en/pdf done (2/2)" in lines[3]


def test_terminal_shows_a_transient_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    out = io.StringIO()
    run(BuildProgress(NORMAL, out, terminal=True), pause=2.0)  # the bar waits a moment; a loaded machine is slow
    text = out.getvalue()
    assert "building" in text and "build/en/book.html  1 KiB" in text
    assert "\x1b[3" not in text and "\x1b[9" not in text  # NO_COLOR: no colour codes, only cursor moves


def test_a_quick_build_shows_no_bar() -> None:
    out = io.StringIO()
    run(BuildProgress(NORMAL, out, terminal=True))
    assert out.getvalue() == "build/en/book.html  1 KiB\n"


def test_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert wants_color(Tty()) and not wants_color(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "")
    assert not wants_color(Tty())


def test_build_quiet_and_verbose(tmp_path: Path) -> None:
    root = copy_project("book", tmp_path)
    runner = CliRunner()
    quiet = runner.invoke(main, ["build", "-C", str(root), "-f", "html", "-q"])
    assert quiet.exit_code == 0 and quiet.output == ""
    verbose = runner.invoke(main, ["build", "-C", str(root), "-f", "html", "-v", "--force"])
    assert verbose.exit_code == 0
    assert "plan: 1 output" in verbose.output and "en/html (built) done (1/1)" in verbose.output
    assert "build/en/sample-book.html" in verbose.output
