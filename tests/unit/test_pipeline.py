"""The one pipeline: every command prepares an edition through prepare_edition and PIPELINE; check stops early."""

from __future__ import annotations

from pathlib import Path

import pytest

from pubpipe.check import check_project
from pubpipe.model import ast
from pubpipe.reading.prepare import prepare_edition
from pubpipe.reading.project import load_project
from pubpipe.transforms import PIPELINE, STAGES

from .markdown_edition import blocks, write_project

TEXT = "# Überblick\n\nSee [the overview](#Überblick).\n"


def link_targets(root: Path, until: str | None) -> list[str]:
    edition = prepare_edition(load_project(root), "en", until=until)
    assert edition is not None
    return [link["c"][2][0] for block in blocks(edition) for link in ast.find(block, "Link")]


def test_every_transform_has_its_own_name() -> None:
    assert len(set(STAGES)) == len(STAGES) == len(PIPELINE)
    assert STAGES.index("ids") < STAGES.index("anchors")


def test_until_stops_before_the_named_transform(tmp_path: Path) -> None:
    root = write_project(tmp_path, TEXT)
    assert link_targets(root, None) == ["#überblick"]  # anchors matched the id the link meant
    assert link_targets(root, "anchors") == ["#Überblick"]  # as the author wrote it
    with pytest.raises(ValueError, match="no transform named 'anchor'"):
        link_targets(root, "anchor")


def test_check_reads_the_link_as_written(tmp_path: Path) -> None:
    """The build matches `#Überblick` to the id `überblick`; the check still points at the spelling."""
    root = write_project(tmp_path, TEXT)
    found = [d.code for d in check_project(load_project(root))]
    assert "K165" in found
