"""docs/AUTHORING.md: every Markdown example on the authors' page builds without an error or a warning."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.unit.markdown_edition import edition_of
from tests.unit.test_crossrefs import PNG

PAGE = (REPO / "docs/AUTHORING.md").read_text(encoding="utf-8")
# A fence of three or more backticks with the info string `markdown`, up to the same fence.
EXAMPLE = re.compile(r"^(?P<fence>`{3,})markdown\n(?P<body>.*?)^(?P=fence)\n(?P<after>(?:\n[^\n]*)?)", re.M | re.S)
EXAMPLES = [(match.group("body"), "markdown: pandoc" in match.group("after"))
            for match in EXAMPLE.finditer(PAGE)]


def test_the_page_has_examples() -> None:
    assert len(EXAMPLES) >= 15


@pytest.mark.parametrize(("body", "pandoc_only"), EXAMPLES, ids=[f"example-{i + 1}" for i in range(len(EXAMPLES))])
@pytest.mark.parametrize("dialect", ["commonmark_x", "pandoc"])
def test_example_builds(tmp_path: Path, body: str, pandoc_only: bool, dialect: str) -> None:
    if pandoc_only and dialect != "pandoc":
        pytest.skip("the page says this example needs markdown: pandoc")
    edition, reporter = edition_of(tmp_path, body, settings=f"markdown: {dialect}\n",
                                   files={"en/images/map.png": PNG})
    assert edition is not None and [d.render() for d in reporter.diagnostics] == []
