"""The Backend base class and the registry: capabilities with defaults, one backend per format name."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pubpipe.backends.base import Backend, installed_backends, load_backend
from pubpipe.errors import UsageError


def fake_distribution(site: Path, name: str, entry_points: str) -> None:
    """An installed distribution as importlib.metadata finds it: a .dist-info folder on sys.path."""
    info = site / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[pubpipe.backends]\n{entry_points}\n", encoding="utf-8")


def test_a_second_html_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_distribution(tmp_path, "pubpipe-fancy", "html = fancy:HtmlBackend")
    monkeypatch.setattr(sys, "path", [*sys.path, str(tmp_path)])
    with pytest.raises(UsageError) as raised:
        installed_backends()
    assert raised.value.code == "A101" and raised.value.exit_code == 2
    message = raised.value.render(None)
    assert "format 'html' is registered twice: by pubpipe (pubpipe.backends.html:HtmlBackend)" in message
    assert "pubpipe-fancy (fancy:HtmlBackend)" in message and "pip uninstall pubpipe-fancy" in message


def test_a_class_that_is_no_backend_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_distribution(tmp_path, "pubpipe-odd", "odd = json:JSONDecoder")
    monkeypatch.setattr(sys, "path", [*sys.path, str(tmp_path)])
    with pytest.raises(UsageError) as raised:
        load_backend("odd")
    assert raised.value.code == "A102"


def test_built_in_backends_declare_their_capabilities() -> None:
    html, pdf, epub = (load_backend(name) for name in ("html", "pdf", "epub"))
    assert all(isinstance(backend, Backend) for backend in (html, pdf, epub))
    assert not html.borrows_layout and not pdf.borrows_layout and html.layout_templates == ()
    assert epub.borrows_layout and epub.layout_templates == ("pdf",) and "print.css" in epub.layout_styles


def test_the_build_never_probes_a_backend() -> None:
    """No getattr on backends in the modules that drive them: the base class has every member."""
    package = Path(__file__).resolve().parents[2] / "src" / "pubpipe"
    for path in [*sorted((package / "building").glob("*.py")), package / "backends" / "base.py"]:
        text = path.read_text(encoding="utf-8")
        assert "getattr(backend" not in text and "getattr(self.backends" not in text, path.name
