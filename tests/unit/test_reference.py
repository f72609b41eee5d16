"""docs/CONFIGURATION.md is generated from the schema the code validates with, and is current."""

from __future__ import annotations

from pubpipe.reading.metadata import FRONT_MATTER_KEYS
from pubpipe.reading.project import EDITION_KEYS, PAGE_KEYS, PUBLICATION_KEYS
from pubpipe.reading.reference import configuration_markdown
from tests.conftest import REPO


def test_configuration_reference_is_current() -> None:
    current = (REPO / "docs" / "CONFIGURATION.md").read_text(encoding="utf-8")
    assert current == configuration_markdown(), (
        "docs/CONFIGURATION.md is out of date: run .venv/bin/python -m pubpipe.reading.reference > docs/CONFIGURATION.md")


def test_every_key_is_documented() -> None:
    text = configuration_markdown()
    for key in [*PUBLICATION_KEYS, *EDITION_KEYS, *PAGE_KEYS, *FRONT_MATTER_KEYS]:
        assert f"| `{key}` |" in text, key
