"""Same input, same bytes: two clean builds in different folders give byte-identical HTML, PDF and EPUB."""

from __future__ import annotations

import hashlib
import os
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PUBPIPE, copy_project


def outputs(root: Path) -> dict[str, str]:
    """sha256 of every file the build wrote (its hidden lock and cache left aside)."""
    build = root / "build"
    return {p.relative_to(build).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(build.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(build).parts)}


def pdf_dates(path: Path) -> set[str]:
    from pypdf import PdfReader

    info = PdfReader(path).metadata
    assert info is not None
    return {str(info["/CreationDate"]), str(info["/ModDate"])}


def build(root: Path, env: dict[str, str]) -> dict[str, str]:
    done = subprocess.run([PUBPIPE, "build", "-C", str(root)], capture_output=True, text=True, env=env,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return outputs(root)


@pytest.mark.parametrize("name", ["article", "book"])
def test_two_clean_builds_are_identical(name: str, tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    # Different folders, so no absolute path may leak into an output.
    first = build(copy_project(name, tmp_path / "one"), env)
    second = build(copy_project(name, tmp_path / "two"), env)
    assert {Path(n).suffix for n in first} >= {".html", ".pdf", ".epub"}
    assert first == second
    epub = next((tmp_path / "one" / name / "build").rglob("*.epub"))
    with zipfile.ZipFile(epub) as book:
        infos = book.infolist()
        assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
        assert {info.date_time for info in infos} == {(2026, 1, 1, 0, 0, 0)}
        opf = next(n for n in book.namelist() if n.endswith(".opf"))
        assert b"2026-01-01T00:00:00Z" in book.read(opf)
    assert pdf_dates(next((tmp_path / "one" / name / "build").rglob("*.pdf"))) == {"D:20260101000000+00'00"}


def test_git_commit_time_is_the_default(tmp_path: Path) -> None:
    """Without SOURCE_DATE_EPOCH, a git checkout builds with its last commit's time: still identical bytes."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    git_env = {**env, "GIT_AUTHOR_DATE": "2025-06-01T12:00:00Z", "GIT_COMMITTER_DATE": "2025-06-01T12:00:00Z",
               "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@example.org"}
    results = []
    for folder in ("one", "two"):
        root = copy_project("book", tmp_path / folder)
        for command in (["init", "-q"], ["add", "source"], ["commit", "-q", "-m", "sample"]):
            subprocess.run(["git", "-C", str(root), *command], env=git_env, check=True, capture_output=True)
        results.append(build(root, env))
    assert results[0] == results[1]
    assert pdf_dates(next((tmp_path / "one" / "book" / "build").rglob("*.pdf"))) == {"D:20250601120000+00'00"}
