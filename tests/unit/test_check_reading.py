"""`pubpipe check` says what reading the editions found, as `pubpipe build` does, sorted with its rules' findings."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pubpipe.cli import main
from tests.unit.markdown_edition import write_project

TEXT = """# Title

A badge: ![build](https://ci.example.org/badge.svg)

![](images/dot.svg)

<p onclick="steal()">Raw HTML that would run code.</p>

Text with a control\x07character.
"""
DOT = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'


def check(root: Path, *arguments: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", str(root), *arguments])
    return result.exit_code, result.stdout.splitlines()


def test_reading_s_warnings_are_among_the_findings_sorted_and_once(tmp_path: Path) -> None:
    root = write_project(tmp_path, TEXT, files={"en/images/dot.svg": DOT})
    code, lines = check(root)
    assert code == 0  # all warnings: K164 (an image without alt text) is one, as the build's A103 is
    assert check(root, "--strict")[0] == 1
    found = [(line.split(": ")[0], line.split(": ")[1]) for line in lines]
    assert found == [
        ("source/en/text.md:3:10", "warning H101"),
        ("source/en/text.md:5:1", "warning K164"),
        ("source/en/text.md:7:1", "warning H103"),
        ("source/en/text.md:9:20", "warning H104"),
    ], lines
    assert "web image 'https://ci.example.org/badge.svg' not fetched" in lines[0]
    # The same findings as JSON, and `--select`/`--ignore` take the reading's codes too.
    result = CliRunner().invoke(main, ["check", str(root), "--json", "--ignore", "H101,K164"])
    assert [item["code"] for item in json.loads(result.stdout)] == ["H103", "H104"]
    assert check(root, "--select", "H104")[1][0].startswith("source/en/text.md:9:20: warning H104")


def test_a_project_that_fetches_web_images_gets_no_h101(tmp_path: Path) -> None:
    """check fetches nothing; with `allow_remote: true` the build fetches the image, so nothing is wrong."""
    root = write_project(tmp_path, "# Title\n\nA badge: ![build](https://ci.example.org/badge.svg)\n",
                         settings="allow_remote: true\n")
    code, lines = check(root)
    assert (code, lines) == (0, [])
    assert not (root / "build").exists()  # nothing fetched
