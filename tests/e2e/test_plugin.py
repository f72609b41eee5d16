"""A third-party backend (tests/plugins/pubpipe-docx) found through the `pubpipe.backends` entry point."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

from tests.conftest import PUBPIPE, copy_project


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([str(PUBPIPE), *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})}, check=False)


def text_of(xml: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", xml).split())


def test_formats_lists_the_plugin() -> None:
    result = run("formats")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^docx\s+pubpipe_docx:DocxBackend$", result.stdout, re.MULTILINE), result.stdout
    listed = {item["name"]: item["package"] for item in json.loads(run("formats", "--json").stdout)}
    assert listed["docx"] == "pubpipe-docx" and listed["pdf"] == "pubpipe"


def test_build_with_the_plugin(tmp_path: Path) -> None:
    root = copy_project("book", tmp_path)
    result = run("build", "-C", str(root), "-f", "docx", env={"SOURCE_DATE_EPOCH": "1700000000"})
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
    again = run("build", "-C", str(root), "-f", "docx", "--force", env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert again.returncode == 0, again.stderr
    assert docx.read_bytes() == first  # same input, same bytes, for a plugin too


def test_release_includes_the_plugin_output(tmp_path: Path) -> None:
    root = copy_project("book", tmp_path)
    result = run("build", "-C", str(root), "-f", "docx", "--release", "--version-label", "0.9")
    assert result.returncode == 0, result.stderr
    assert (root / "build" / "sample-book-0.9-en.docx").is_file()
    assert run("verify", str(root / "build")).returncode == 0
