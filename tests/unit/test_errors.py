"""Diagnostic codes: one registry, docs/ERRORS.md generated from it, every code in the source listed;
the Reporter, --strict, tool failures named, raw HTML guarded, duplicate ids reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pubpipe.errors import BuildFailed, SourceRef, backend_failure
from pubpipe.errors.codes import CODES, DUPLICATE_CODES, codes_markdown
from pubpipe.report import Reporter

REPO = Path(__file__).resolve().parents[2]
CODE_LITERAL = re.compile(r"""(?:code\s*=\s*|Diagnostic\(\s*|warn\(\s*)["']([A-Z]\d{3})["']""")


def test_errors_md_is_generated_from_the_registry() -> None:
    written = (REPO / "docs" / "ERRORS.md").read_text(encoding="utf-8")
    assert written == codes_markdown(), "run: .venv/bin/python -m pubpipe.errors > docs/ERRORS.md"


def test_every_code_in_the_source_is_registered() -> None:
    """K codes belong to `pubpipe check`'s own rule registry (docs/CHECKS.md); every other code is here."""
    used: dict[str, str] = {}
    for path in sorted((REPO / "src" / "pubpipe").rglob("*.py")):
        for match in CODE_LITERAL.finditer(path.read_text(encoding="utf-8")):
            used.setdefault(match.group(1), path.relative_to(REPO).as_posix())
    base_codes = {"E000", "E001", "C001", "S001", "B001", "D001", "U001"}  # class defaults, never raised bare
    missing = {code: where for code, where in used.items()
               if code not in CODES and code not in base_codes and not code.startswith("K")}
    assert not missing, f"add these to a table in src/pubpipe/errors/: {missing}"
    assert not DUPLICATE_CODES


def test_every_registered_code_is_complete() -> None:
    for code, item in CODES.items():
        assert re.fullmatch(r"[A-Z]\d{3}", code) and item.code == code
        assert item.severity in ("error", "warning")
        assert f"{item.severity} {code}:" in item.example, code
        assert item.summary and item.fix


def test_reporter_collects_warnings_in_order() -> None:
    reporter = Reporter()
    reporter.warn("P022", "id 'a' is used twice", SourceRef(Path("/p/a.md"), 3, 1), "rename it")
    reporter.warn("P030", "raw HTML refers to 'http://x'")
    seen = reporter.diagnostics
    assert [d.code for d in reporter.warnings] == ["P022", "P030"] == [d.code for d in seen]
    assert seen[0].render(Path("/p")) == "a.md:3:1: warning P022: id 'a' is used twice; rename it"
    assert seen[0].to_json(Path("/p"))["file"] == "a.md"


def test_strict_reporter_counts_warnings_and_fails_with_all_of_them_sorted() -> None:
    reporter = Reporter(strict=True)
    reporter.warn("P030", "raw HTML refers to 'http://x'", SourceRef(Path("/p/b.md"), 5), "copy it")
    reporter.warn("P021", "link to 'x.txt'", SourceRef(Path("/p/a.md"), 9, 2), "link elsewhere")
    reporter.warn("P021", "link to 'x.txt'", SourceRef(Path("/p/a.md"), 9, 2), "link elsewhere")  # said once
    assert reporter.failed and not Reporter().failed
    with pytest.raises(BuildFailed) as caught:
        reporter.check()
    assert caught.value.render(Path("/p")).splitlines() == [
        "a.md:9:2: error P021: link to 'x.txt'; link elsewhere (--strict makes this warning an error)",
        "b.md:5: error P030: raw HTML refers to 'http://x'; copy it (--strict makes this warning an error)"]
    relaxed = Reporter()
    relaxed.warn("P030", "raw HTML refers to 'http://x'")
    relaxed.check()  # warnings alone do not fail a build without --strict


def test_backend_failure_names_the_tool() -> None:
    from PIL import Image

    try:
        Image.new("RGB", (-1, 5))  # raises inside Pillow
    except ValueError as exc:
        error = backend_failure("epub", "en", exc)
    assert error.code == "B100" and error.message.startswith("Pillow failed while building the en epub: ")
    assert "\n" not in error.render()


def test_backend_failure_without_a_known_tool() -> None:
    try:
        {}["missing"]
    except KeyError as exc:
        error = backend_failure("html", "ru", exc)
    assert error.message == "the html backend failed while building the ru html: KeyError: 'missing'"


def test_pandoc_path_can_be_overridden(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from pubpipe.errors import MissingDependency
    from pubpipe.reading.pandoc import pandoc_path, run_pandoc

    monkeypatch.setenv("PUBPIPE_PANDOC", str(tmp_path / "nowhere"))
    assert pandoc_path() == str(tmp_path / "nowhere")
    with pytest.raises(MissingDependency) as caught:
        run_pandoc("text", SourceRef(tmp_path / "a.md"))
    assert caught.value.code == "D101" and "pandoc not found at" in caught.value.message
