"""A right-to-left edition's title page and colophon: Latin text in them (the rights, the other editions'
names) keeps its own order, its full stop at its end."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from click.testing import CliRunner

from pubpipe.cli import main


def test_latin_rights_and_edition_names_keep_their_order_in_an_arabic_edition(runner: CliRunner,
                                                                              tmp_path: Path) -> None:
    root = tmp_path / "pair"
    assert runner.invoke(main, ["init", str(root), "--lang", "en", "--author", "Ada Example"]).exit_code == 0
    config = root / "source" / "publication.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "- {lang: ar}\n", encoding="utf-8")
    (root / "source" / "ar").mkdir()
    (root / "source" / "ar" / "01-chapter.md").write_text("# البداية\n\nنص قصير.\n", encoding="utf-8")
    built = runner.invoke(main, ["build", "-C", str(root), "-f", "pdf", "-f", "html"])
    assert built.exit_code == 0, built.output
    out = root / "build" / "ar"
    assert "<bdi>© Ada Example, all rights reserved.</bdi>" in (out / "my-publication.html").read_text(encoding="utf-8")
    # pdftotext writes each line in the order it is seen, left to right: without the isolation the full stop
    # stood at the left end (".Ada Example, all rights reserved ©") and the edition's title before its language.
    text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(out / "my-publication.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    text = re.sub("[\u202a-\u202e\u2066-\u2069]", "", text)
    assert "© Ada Example, all rights reserved." in text, text
    assert "English — My Publication" in text, text
