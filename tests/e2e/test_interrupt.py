"""A build stopped by Ctrl-C or SIGTERM, and two builds at once: nothing half-written, nothing lost."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import PUBPIPE, copy_project

SLUG = "socialism-didnt-fail"


@pytest.fixture(scope="module")
def code_snapshot(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment for running pubpipe from a copy of its code taken when this module starts.

    pubpipe's own code is part of every cache key (an edit to it must rebuild); the copy keeps
    edits made to the working tree while the tests run from invalidating the cache between two
    builds of one test. From a clean clone the copy is the same code.
    """
    import shutil

    import pubpipe

    target = tmp_path_factory.mktemp("code")
    shutil.copytree(Path(pubpipe.__file__).parent, target / "pubpipe", symlinks=False,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return {**os.environ, "PYTHONPATH": str(target), "SOURCE_DATE_EPOCH": "1700000000"}


def outputs(root: Path) -> dict[str, str]:
    """sha256 of every file in build/ except the cache and the lock."""
    build = root / "build"
    return {p.relative_to(build).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(build.rglob("*")) if p.is_file() and ".cache" not in p.parts and p.name != ".lock"}


def temporaries(root: Path) -> list[Path]:
    return sorted((root / "build").rglob("*.part"))


def assert_complete(root: Path) -> None:
    """Every output in build/ is a whole, readable file."""
    for lang in ("en", "ru"):
        folder = root / "build" / lang
        assert len(PdfReader(folder / f"{SLUG}.pdf").pages) > 1
        with zipfile.ZipFile(folder / f"{SLUG}.epub") as epub:
            assert epub.testzip() is None
        assert (folder / f"{SLUG}.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    json.loads((root / "build" / "manifest.json").read_text(encoding="utf-8"))


def edit_both_editions(root: Path, note: str) -> None:
    for lang in ("en", "ru"):
        article = root / "source" / lang / "article.md"
        article.write_text(article.read_text(encoding="utf-8") + f"\n\n{note}\n", encoding="utf-8")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_interrupted_build_keeps_previous_outputs(tmp_path: Path, signum: signal.Signals,
                                                  code_snapshot: dict[str, str]) -> None:
    env = code_snapshot
    root = copy_project("article", tmp_path)
    assert subprocess.run([PUBPIPE, "build", "-C", str(root)], env=env, capture_output=True, check=False).returncode == 0
    before = outputs(root)
    edit_both_editions(root, "A late addition.")
    # A session of its own: Ctrl-C in a terminal reaches the whole process group, workers included.
    process = subprocess.Popen([PUBPIPE, "build", "-C", str(root)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    pdf_temp = None
    deadline = time.monotonic() + 60
    while pdf_temp is None and time.monotonic() < deadline and process.poll() is None:
        pdf_temp = next(iter((root / "build").glob("*/.*.pdf.*.part")), None)
        time.sleep(0.005)
    assert pdf_temp is not None, "the build never started writing a PDF"
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)  # `kill PID`: only the main process hears it
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, stdout + stderr
    assert "interrupted" in stderr and "Traceback" not in stderr, stderr
    assert temporaries(root) == []
    after = outputs(root)
    interrupted_pdf = pdf_temp.parent.name + "/" + f"{SLUG}.pdf"
    assert after[interrupted_pdf] == before[interrupted_pdf]  # the PDF being written when stopped
    # A worker may rename a finished output into place just as the signal arrives, before the main
    # process reports it; that output is new but whole. What must hold: every file is complete.
    assert_complete(root)
    # The next build finishes the work, and the cache is still sound.
    done = subprocess.run([PUBPIPE, "build", "-C", str(root)], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert_complete(root)
    done = subprocess.run([PUBPIPE, "build", "-C", str(root)], env=env, capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "everything is up to date"


def test_two_builds_at_once_wait_for_each_other(tmp_path: Path, code_snapshot: dict[str, str]) -> None:
    env = code_snapshot
    root = copy_project("article", tmp_path)
    first = subprocess.Popen([PUBPIPE, "build", "-C", str(root)], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    while not (root / "build" / ".lock").exists() and first.poll() is None:
        time.sleep(0.005)
    second = subprocess.Popen([PUBPIPE, "build", "-C", str(root)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    assert "another pubpipe build is running in this project" in err2
    assert len(out1.splitlines()) == 6  # the first built everything
    assert out2.strip() == "everything is up to date"  # the second waited, then found nothing to do
    assert temporaries(root) == []
    assert_complete(root)
    manifest = json.loads((root / "build" / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["outputs"]) == 6
