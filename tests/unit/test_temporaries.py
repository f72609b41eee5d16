"""What a killed build leaves in build/ (temporary outputs, their staging folders) goes at the next build."""

from __future__ import annotations

from pathlib import Path

from pubpipe.building.build import remove_temporaries
from pubpipe.building.files import staging_for, temporary_beside


def test_a_killed_build_s_temporary_files_and_staged_fonts_are_removed(tmp_path: Path) -> None:
    page = tmp_path / "en" / "book.html"
    temp = temporary_beside(page)
    staged = staging_for(temp) / "fonts" / "PTSerif-Regular.woff2"
    staged.parent.mkdir(parents=True)
    staged.write_bytes(b"wOF2")
    kept = tmp_path / "en" / "fonts" / "PTSerif-Regular.woff2"  # a good build's: stays
    kept.parent.mkdir()
    kept.write_bytes(b"wOF2")
    remove_temporaries(tmp_path)
    assert sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")) == [
        "en", "en/fonts", "en/fonts/PTSerif-Regular.woff2"]
