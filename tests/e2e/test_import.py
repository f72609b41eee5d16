"""`pubpipe init --from`: each sample project becomes a publication that builds, EPUBCheck-clean, in
SUMMARY.md's / nav's order, with every include resolved, and the source stays byte-for-byte the same."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from pubpipe.cli import main
from tests.conftest import PROJECTS, epubcheck, fixable

# For each sample: its outline as (depth, title), in order, and text that must reach every format.
EXPECTED = {
    "mdbook-sample": {
        "slug": "the-sample-mdbook",
        "outline": [
            (0, "Preface"), (0, "Getting Started"), (1, "Installation"), (2, "Checking the version"),
            (2, "On Linux"), (3, "The package manager"), (3, "Packages"), (4, "Debian"), (0, "Writing Code"),
            (1, "Listings"), (2, "Whole files"), (2, "Line ranges"), (2, "Anchors"), (2, "Rustdoc includes"),
            (2, "Playground"), (1, "Hidden Lines"), (0, "Afterword")],
        "present": ["sample-installer-marker", "line_seven_marker", "setup_anchor_marker", "main_body_marker",
                    "playground_marker", "rustdoc_visible_marker", "comes from an included file"],
        "absent": ["{{#", "rustdoc_hidden_marker", "hidden_in_anchor", "ANCHOR"],
    },
    "mkdocs-sample": {
        "slug": "the-sample-manual",
        "outline": [
            (0, "Welcome to the Sample Manual"), (0, "User Guide"), (1, "Installing"), (1, "Configuring"),
            (2, "Basics"), (3, "The configuration file"), (2, "Advanced"), (0, "About")],
        "present": ["sample-mkdocs-install-marker", "The admonition body becomes a callout",
                    "comes from a snippet file"],
        "absent": ["!!! warning", "??? tip", "[TOC]", "--8<--", "*[HTML]"],
    },
    "pandoc-sample": {
        "slug": "the-sample-pandoc-book",
        "outline": [(0, "Introduction"), (0, "Tables"), (0, "The End"), (0, "References")],
        "present": ["grid-cell-mark", "simple-table-mark", "pandoc_code_marker", "Inline notes are pandoc",
                    "Knuth 1984", "The TeXbook"],
        "absent": ["+-----", "@knuth1984", "newpage"],
    },
}


def digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under *folder*, by relative path."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def outline(path: Path) -> list[tuple[int, str]]:
    """The PDF's bookmarks as (depth, title), in order."""
    found: list[tuple[int, str]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title))

    walk(PdfReader(path).outline, 0)
    return found


def texts(out: Path, slug: str) -> dict[str, str]:
    """The text of the HTML, of the EPUB's documents and of the PDF."""
    with zipfile.ZipFile(out / f"{slug}.epub") as epub:
        xhtml = " ".join(epub.read(name).decode("utf-8") for name in epub.namelist() if name.endswith(".xhtml"))
    pdf = " ".join(page.extract_text() for page in PdfReader(out / f"{slug}.pdf").pages)
    return {"html": (out / f"{slug}.html").read_text(encoding="utf-8"), "epub": xhtml, "pdf": pdf}


@pytest.mark.parametrize("sample", sorted(EXPECTED))
def test_import_builds_in_order_with_includes_and_leaves_the_source_alone(
        sample: str, tmp_path: Path, runner: CliRunner) -> None:
    source = tmp_path / sample
    shutil.copytree(PROJECTS / sample, source)
    before = digest(source)
    destination = tmp_path / "new"
    created = runner.invoke(main, ["init", str(destination), "--from", str(source)])
    assert created.exit_code == 0, created.output
    assert "next: pubpipe build" in created.output
    built = runner.invoke(main, ["build", "-C", str(destination)])
    assert built.exit_code == 0, built.output
    assert digest(source) == before

    expected = EXPECTED[sample]
    out = destination / "build" / "en"
    assert fixable(epubcheck(out / f"{expected['slug']}.epub")) == []
    # Callout titles (`## Title` inside `::: {.callout-…}`) are the callouts' own, not the outline's.
    assert outline(out / f"{expected['slug']}.pdf") == expected["outline"]
    for kind, text in texts(out, expected["slug"]).items():
        flat = re.sub(r"\s+", " ", text)
        for needle in expected["present"]:
            assert needle in flat, (kind, needle)
        for needle in expected["absent"]:
            assert needle not in flat, (kind, needle)


def test_warnings_are_listed_once_at_the_end_sorted_by_place(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["init", str(tmp_path / "new"), "--from", str(PROJECTS / "mdbook-sample")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = next(i for i, line in enumerate(lines) if "could not be carried over" in line)
    warnings = [line for line in lines if " warning I1" in line]
    assert lines[start + 1:start + 1 + len(warnings)] == warnings  # one block, right after its heading
    assert [re.match(r"(.*?):(\d+)?", w).group(1) for w in warnings] == sorted(  # type: ignore[union-attr]
        re.match(r"(.*?):(\d+)?", w).group(1) for w in warnings)  # type: ignore[union-attr]
    assert any(re.search(r"SUMMARY\.md:10: warning I107: draft chapter", w) for w in warnings)


def test_refuses_to_write_into_the_source_or_over_a_project(tmp_path: Path, runner: CliRunner) -> None:
    source = tmp_path / "book"
    shutil.copytree(PROJECTS / "mdbook-sample", source)
    before = digest(source)
    inside = runner.invoke(main, ["init", str(source / "pub"), "--from", str(source)])
    assert inside.exit_code == 2 and "error I100" in inside.output
    assert runner.invoke(main, ["init", str(tmp_path / "x")]).exit_code == 0
    again = runner.invoke(main, ["init", str(tmp_path / "x"), "--from", str(source)])
    assert again.exit_code == 2 and "error U108" in again.output
    unknown = runner.invoke(main, ["init", str(tmp_path / "y"), "--from", str(tmp_path / "x" / "styles")])
    assert unknown.exit_code == 2 and "error I100" in unknown.output and "Traceback" not in unknown.output
    assert digest(source) == before


CORPUS = os.environ.get("PUBPIPE_CORPUS")


@pytest.mark.skipif(not CORPUS, reason="set PUBPIPE_CORPUS to the practice corpus folder (holding mdbook/)")
def test_the_rustonomicon(tmp_path: Path, runner: CliRunner) -> None:
    book = next(Path(str(CORPUS), "mdbook").glob("*/book.toml")).parent
    before = digest(book)
    destination = tmp_path / "n"
    created = runner.invoke(main, ["init", str(destination), "--from", str(book)])
    assert created.exit_code == 0, created.output
    built = runner.invoke(main, ["build", "-C", str(destination)])
    assert built.exit_code == 0, built.output
    assert digest(book) == before
    out = destination / "build" / "en"
    assert fixable(epubcheck(out / "the-rustonomicon.epub")) == []
    # The outline's top level follows SUMMARY.md: each top-level entry's file starts with that heading.
    summary = (book / "src" / "SUMMARY.md").read_text(encoding="utf-8")
    top = [m.group(1) for m in re.finditer(r"^(?:\* |\[)\[?(?:[^\]]*)\]\(([^)]+)\)", summary, re.M)]
    headings = []
    for name in top:
        text = (book / "src" / name).read_text(encoding="utf-8")
        headings.append(re.search(r"^# (.+)$", text, re.M).group(1).strip())  # type: ignore[union-attr]
    found = [title for depth, title in outline(out / "the-rustonomicon.pdf") if depth == 0]
    assert found == [h.replace("`", "") for h in headings]
    for kind, text in texts(out, "the-rustonomicon").items():
        assert "{{#" not in text, kind
    assert "fn reallocate" not in texts(out, "the-rustonomicon")["pdf"]  # a hidden line
