"""A third-party backend (tests/plugins/pubpipe-docx) found through the `pubpipe.backends` entry point."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PUBPIPE, REPO, copy_project

PLUGIN = REPO / "tests" / "plugins" / "pubpipe-docx"


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The plugin installed by pip, as a user would, into a folder of its own: on PYTHONPATH for these
    tests only, so the .venv's own `pubpipe` never sees a format its user did not install.

    Built from a copy (pip writes build files beside the sources) with the .venv's setuptools and no
    index: no network. importlib.metadata finds its entry point in the .dist-info pip writes there.
    """
    work = tmp_path_factory.mktemp("plugin")
    shutil.copytree(PLUGIN, work / "source", ignore=shutil.ignore_patterns("*.egg-info", "build", "__pycache__"))
    target = work / "site"
    done = subprocess.run([str(Path(PUBPIPE).parent / "python"), "-m", "pip", "install", "-q", "--no-deps",
                           "--no-build-isolation", "--no-index", "--target", str(target), str(work / "source")],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return str(target)


def run(*args: str, plugin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`.venv/bin/pubpipe ARGS`, with *plugin* (a folder the plugin is installed in) on PYTHONPATH."""
    extra = {"PYTHONPATH": os.pathsep.join(filter(None, [plugin, os.environ.get("PYTHONPATH")]))} if plugin else {}
    return subprocess.run([str(PUBPIPE), *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **extra, **(env or {})}, check=False)


def text_of(xml: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", xml).split())


def test_formats_lists_the_plugin(plugin_path: str) -> None:
    result = run("formats", plugin=plugin_path)
    assert result.returncode == 0, result.stderr
    # Name, the backend's own description, and where it comes from (the distribution and its version).
    assert re.search(r"^docx +Word document per edition, via pandoc +pubpipe-docx 0\.1\.0$", result.stdout,
                     re.MULTILINE), result.stdout
    assert re.search(r"^pdf +print-ready PDF through WeasyPrint +built-in$", result.stdout, re.MULTILINE), result.stdout
    listed = {item["name"]: item for item in json.loads(run("formats", "--json", plugin=plugin_path).stdout)}
    assert (listed["docx"]["package"], listed["docx"]["version"], listed["docx"]["builtin"]) == (
        "pubpipe-docx", "0.1.0", False)
    assert listed["docx"]["description"] == "Word document per edition, via pandoc"
    assert listed["pdf"]["package"] == "pubpipe" and listed["pdf"]["builtin"] is True


def test_the_plugin_stays_out_of_the_venv(plugin_path: str) -> None:
    """Without the tests' folder on PYTHONPATH the .venv's pubpipe has only its own formats."""
    result = run("formats")
    assert result.returncode == 0, result.stderr
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert "docx" not in names and {"epub", "html", "pdf"} <= set(names), result.stdout


def test_build_with_the_plugin(tmp_path: Path, plugin_path: str) -> None:
    root = copy_project("book", tmp_path)
    result = run("build", "-C", str(root), "-f", "docx", plugin=plugin_path, env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.returncode == 0, result.stderr
    docx = root / "build" / "en" / "sample-book.docx"
    assert "build/en/sample-book.docx" in result.stdout
    with zipfile.ZipFile(docx) as archive:
        body = text_of(archive.read("word/document.xml").decode("utf-8"))
        notes = text_of(archive.read("word/footnotes.xml").decode("utf-8"))
        media = [name for name in archive.namelist() if name.startswith("word/media/")]
    assert "Opening" in body and "A quotation standing alone, as a block." in body
    assert "The first chapter’s note" in notes  # a real Word footnote, not text
    assert len(media) == 1  # the red square

    first = docx.read_bytes()
    again = run("build", "-C", str(root), "-f", "docx", "--force", plugin=plugin_path,
                env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert again.returncode == 0, again.stderr
    assert docx.read_bytes() == first  # same input, same bytes, for a plugin too


def test_release_includes_the_plugin_output(tmp_path: Path, plugin_path: str) -> None:
    root = copy_project("book", tmp_path)
    result = run("build", "-C", str(root), "-f", "docx", "--release", "--version-label", "0.9", plugin=plugin_path)
    assert result.returncode == 0, result.stderr
    assert (root / "build" / "sample-book-0.9-en.docx").is_file()
    assert run("verify", str(root / "build"), plugin=plugin_path).returncode == 0
