"""WeasyPrint's warnings are pubpipe's A301 warnings whether the PDF is laid out whole or chapter by chapter."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pubpipe.cli import main
from tests.unit.markdown_edition import PUBLICATION

CHAPTER = "# {title}\n\nA paragraph of the {title} chapter.\n\nAnother paragraph.\n"


def two_chapter_book(root: Path) -> Path:
    """Two chapter files and a print stylesheet layer with a property WeasyPrint does not know."""
    (root / "source" / "en").mkdir(parents=True)
    (root / "source" / "publication.yaml").write_text(
        PUBLICATION.format(lang="en") + "    files: [one.md, two.md]\n", encoding="utf-8")
    for name, title in (("one.md", "First"), ("two.md", "Second")):
        (root / "source" / "en" / name).write_text(CHAPTER.format(title=title), encoding="utf-8")
    (root / "styles").mkdir()
    (root / "styles" / "print-extra.css").write_text("p {\n  colr: red;\n}\n", encoding="utf-8")
    return root


def engine_warnings(root: Path, *arguments: str) -> list[str]:
    result = CliRunner().invoke(main, ["build", "-C", str(root), "-f", "pdf", "-j", "2", *arguments])
    assert result.exit_code == 0, result.output
    return [line for line in result.stderr.splitlines() if "A301" in line]


@pytest.mark.parametrize("layout", ["single", "chapters"])
def test_an_unknown_css_property_is_said_once_in_either_layout(tmp_path: Path, layout: str) -> None:
    root = two_chapter_book(tmp_path / "book")
    found = engine_warnings(root, "--pdf-layout", layout)
    assert found == [("styles/print-extra.css:2:3: warning A301: the PDF engine (WeasyPrint) reported: Ignored "
                      "`colr: red`, unknown property; fix or remove what it names (a stylesheet's declaration, a "
                      "URL, an image); WeasyPrint skips it and prints the rest")], found
    # Rebuilt from the cached layouts (the pieces of the chapter layout too), it is said again.
    assert engine_warnings(root, "--pdf-layout", layout, "--force") == found
