"""Every Markdown construct, written as the HTML backend writes it: cases from tests/fixtures/constructs/*.md.

A fixture file holds cases in markdown-it-py's format: a description, then `.`, the Markdown, `.`, the
expected HTML, `.` (blank lines between cases). The expected HTML is what the html backend's page holds
inside `<main id="text">`, the untitled opening's `<div class="opening">` wrapper left out, and compared
after normalising whitespace (runs collapsed, none between tags). Other branches add files; this one
test reads them all.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "constructs"
PUBLICATION = """slug: case
identifier: urn:uuid:9a3e2c1b-5d4f-4e6a-8b7c-0d1e2f3a4b5c
title: Case
authors: [Ada Example]
rights: CC BY 4.0
language: en
editions:
  - lang: en
"""


@dataclass(frozen=True)
class Case:
    file: str
    line: int
    description: str
    markdown: str
    html: str

    @property
    def id(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.description.lower()).strip("-")[:60]
        return f"{self.file}:{self.line}:{slug}"


def read_cases(path: Path) -> list[Case]:
    """The cases of one fixture file; a malformed file fails loudly with its line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases, index = [], 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        start = index
        parts: list[list[str]] = [[]]
        while len(parts) < 4:
            if index >= len(lines):
                raise ValueError(f"{path.name}:{start + 1}: case without its closing '.'")
            if lines[index] == ".":
                parts.append([])
            else:
                parts[-1].append(lines[index])
            index += 1
        description, markdown, html = ("\n".join(part) for part in parts[:3])
        cases.append(Case(path.name, start + 1, description.strip(), markdown + "\n", html))
    return cases


CASES = [case for path in sorted(FIXTURES.glob("*.md")) for case in read_cases(path)]


def normalise(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def main_of(page: str) -> str:
    body = page[page.index('<main id="text">') + len('<main id="text">'):page.index("</main>")]
    opening = re.match(r'\s*<div class="opening" id="opening">(.*?)</div>\s*(?=<section|$)', body, re.DOTALL)
    return opening.group(1) + body[opening.end():] if opening else body


def render(markdown: str, root: Path) -> str:
    """*markdown* as one edition, through the real parse, transforms and html backend."""
    from pubpipe.backends.base import BuildContext, Styles
    from pubpipe.backends.html import HtmlBackend
    from pubpipe.building.jobs import template_environment
    from pubpipe.i18n import catalogue
    from pubpipe.reading.prepare import prepare_edition
    from pubpipe.reading.project import load_project

    (root / "source/en").mkdir(parents=True)
    (root / "source/publication.yaml").write_text(PUBLICATION, encoding="utf-8")
    (root / "source/en/text.md").write_text(markdown, encoding="utf-8")
    project = load_project(root)
    edition = prepare_edition(project, "en")
    ctx = BuildContext(root=root, output=root / "out.html", final_name="out.html", styles=Styles.for_project(root),
                       templates=template_environment(project), catalogue=catalogue("en"),
                       build_time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), slug="case")
    return main_of(HtmlBackend().page(edition, ctx))


def test_fixtures_are_found() -> None:
    assert len(CASES) >= 20 and len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_construct(case: Case, tmp_path: Path) -> None:
    assert normalise(render(case.markdown, tmp_path)) == normalise(case.html)
