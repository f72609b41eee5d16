"""The raw seed article, made into Markdown without repairs: every repair in CORRECTIONS.md gets a finding."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pubpipe.check import check_project
from pubpipe.reading.project import load_project

from ..conftest import REPO, copy_project

SEED = REPO / "tests" / "fixtures" / "seed.txt"
CORRECTIONS = REPO / "source" / "en" / "CORRECTIONS.md"
ROW = re.compile(r"^\| (\d+) \| (\d+) \| (\w+) \| `([^`]+)`")


def repairs() -> list[tuple[int, int, str, str]]:
    """(number, seed line, kind, seed text) for every row of the corrections table."""
    rows = []
    for line in CORRECTIONS.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            text = match.group(4).replace("⍽", "\u00a0").replace("␣", " ")
            rows.append((int(match.group(1)), int(match.group(2)), match.group(3), text))
    return rows


@pytest.fixture(scope="module")
def seed_findings(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[int, int, str]]:
    root = copy_project("seed", tmp_path_factory.mktemp("seed"))
    return [(d.where.line or 0, d.where.column or 0, d.code) for d in check_project(load_project(root)) if d.where]


def test_seed_markdown_is_the_seed_with_structure_only() -> None:
    """Headings got '# ', bullets '- ', nothing else changed: no repair crept into the fixture."""
    seed = SEED.read_text(encoding="utf-8").split("\n")
    markdown = (REPO / "tests/projects/seed/source/en/article.md").read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert len(markdown) == len(seed)
    for raw, line in zip(seed, markdown):
        assert line in (raw, "# " + raw) or (raw.startswith("• ") and line == "- " + raw[2:]), line


def test_the_corrections_table_is_complete() -> None:
    assert [row[0] for row in repairs()] == list(range(1, 30))


@pytest.mark.parametrize("repair", repairs(), ids=lambda r: f"{r[0]}-{r[2]}")
def test_every_repair_has_a_finding_on_its_text(repair: tuple[int, int, str, str],
                                                 seed_findings: list[tuple[int, int, str]]) -> None:
    number, line, _, text = repair
    seed_line = SEED.read_text(encoding="utf-8").split("\n")[line - 1]
    markdown = REPO / "tests" / "projects" / "seed" / "source" / "en" / "article.md"
    markdown_line = markdown.read_text(encoding="utf-8").split("\n")[line - 1]
    offset = len(markdown_line) - len(seed_line)  # the '# ' or '- ' the Markdown added
    # Any run of spaces and no-break spaces matches any other: row 1 lists them in the other order.
    pattern = re.sub(r"[ \u00a0]+", "[ \u00a0]+", re.escape(text).replace("\\ ", " "))
    found = re.search(pattern, seed_line)
    assert found, f"repair {number}: {text!r} is not on seed line {line}"
    start = found.start() + offset + 1  # 1-based column of the damaged text
    hits = [f for f in seed_findings if f[0] == line and start <= f[1] <= start + len(found.group(0))]
    on_line = [f for f in seed_findings if f[0] == line]
    assert hits, f"repair {number} ({text!r}, line {line}) has no finding; the line has {on_line}"


def test_the_repaired_article_has_no_finding(tmp_path: Path) -> None:
    root = copy_project("article", tmp_path)
    assert [d.render(root) for d in check_project(load_project(root))] == []
