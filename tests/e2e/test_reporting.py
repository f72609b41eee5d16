"""Reporting across processes: a backend's warning in a worker reaches the user, with the rest, sorted."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.conftest import PUBPIPE, copy_project

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}


def test_a_backends_warning_in_a_worker_is_printed(tmp_path: Path) -> None:
    """Two editions built with -j 2: the HTML and EPUB backends (in worker processes) add a summary to a
    <details> that has none and say so (W102); the parse's warning (P021) comes in the same sorted list."""
    root = copy_project("article", tmp_path)
    ru = root / "source/ru/article.md"
    ru.write_text(ru.read_text(encoding="utf-8") + "\n<details>\n\nСкрытый текст.\n\n</details>\n",
                  encoding="utf-8")
    en = root / "source/en/article.md"
    en.write_text(en.read_text(encoding="utf-8") + "\nSee [the notes](NOTES.txt).\n", encoding="utf-8")
    done = subprocess.run([PUBPIPE, "build", "-C", str(root), "-j", "2", "-f", "html", "-f", "epub"],
                          capture_output=True, text=True, env=ENV, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if " warning " in line]
    assert [line.split(" warning ")[1][:4] for line in lines] == ["P021", "W102"], done.stderr
    assert lines[0].startswith("source/en/article.md:") and lines[1].startswith("source/ru/article.md:")
    assert "pubpipe: 2 warnings" in done.stderr
    # Said again by a build with nothing to do (the cache keeps each output's warnings), and under --json.
    again = subprocess.run([PUBPIPE, "build", "-C", str(root), "-j", "2", "-f", "html", "-f", "epub", "--json"],
                           capture_output=True, text=True, env=ENV, timeout=600, check=False)
    report = json.loads(again.stdout)
    assert {o["status"] for o in report["outputs"]} == {"current"}
    assert [d["code"] for d in report["diagnostics"]] == ["P021", "W102"]
    strict = subprocess.run([PUBPIPE, "build", "-C", str(root), "-f", "html", "--strict"],
                            capture_output=True, text=True, env=ENV, timeout=600, check=False)
    assert strict.returncode == 1 and "error W102" in strict.stderr


def test_strict_says_the_outputs_warnings_too_and_writes_nothing(tmp_path: Path) -> None:
    """Under --strict a warning of the reading (P021) does not hide the outputs' own (the HTML's W102,
    WeasyPrint's A301): all are said in one run, as errors, and build/ keeps the previous good outputs,
    the HTML's fonts included."""
    root = copy_project("article", tmp_path)
    assert subprocess.run([PUBPIPE, "build", "-C", str(root), "-l", "en", "-f", "html", "-f", "pdf"],
                          capture_output=True, text=True, env=ENV, timeout=600, check=False).returncode == 0
    before = {path: path.read_bytes() for path in (root / "build" / "en").rglob("*") if path.is_file()}
    assert any(path.parent.name == "fonts" for path in before)
    en = root / "source/en/article.md"
    en.write_text(en.read_text(encoding="utf-8") + "\nSee [the notes](NOTES.txt). Bold: **ʕ•ᴥ•ʔ**\n\n"
                  "<details>\n\nHidden.\n\n</details>\n", encoding="utf-8")
    extra = root / "styles" / "print-extra.css"
    extra.parent.mkdir(exist_ok=True)
    extra.write_text((extra.read_text(encoding="utf-8") if extra.exists() else "") + "p { colr: red; }\n",
                     encoding="utf-8")
    done = subprocess.run([PUBPIPE, "build", "-C", str(root), "-l", "en", "-f", "html", "-f", "pdf", "--strict"],
                          capture_output=True, text=True, env=ENV, timeout=600, check=False)
    assert done.returncode == 1, done.stderr
    codes = [line.split(" error ")[1][:4] for line in done.stderr.splitlines() if " error " in line]
    assert {"P021", "W102", "A301"} <= set(codes), done.stderr
    after = {path: path.read_bytes() for path in (root / "build" / "en").rglob("*") if path.is_file()}
    assert after == before
    assert not [path for path in (root / "build").rglob("*") if path.name.endswith((".part", ".extra"))]
