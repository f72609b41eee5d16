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
