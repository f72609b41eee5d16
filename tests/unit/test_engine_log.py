"""WeasyPrint's own warnings become A301 warnings at the stylesheet's line, and only while asked."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from pubpipe.backends.render.engine_log import engine_warnings
from pubpipe.report import Reporter

pytestmark = pytest.mark.slow  # WeasyPrint reads the stylesheets: not for the fast tier


def test_an_invalid_declaration_is_reported_at_its_place(tmp_path: Path) -> None:
    from weasyprint import CSS

    sheet = tmp_path / "print-extra.css"
    sheet.write_text("p {\n  colr: red;\n}\n@page { size: bogus; }\n", encoding="utf-8")
    reporter = Reporter()
    with engine_warnings(reporter) as engine:
        with engine.reading(sheet):
            CSS(filename=str(sheet))
            CSS(filename=str(sheet))  # the same problems again: said once
        CSS(string="a { colour: blue; }")  # no file known: no place
    found = [(d.code, d.where.line if d.where else None, d.message) for d in reporter.diagnostics]
    assert found == [
        ("A301", 2, "the PDF engine (WeasyPrint) reported: Ignored `colr: red`, unknown property"),
        ("A301", 4, "the PDF engine (WeasyPrint) reported: Ignored `size: bogus`, invalid value"),
        ("A301", None, "the PDF engine (WeasyPrint) reported: Ignored `colour: blue` at 1:5, unknown property"),
    ]
    assert reporter.diagnostics[0].where is not None and reporter.diagnostics[0].where.path == sheet


def test_the_handler_is_gone_afterwards() -> None:
    from weasyprint import CSS

    reporter = Reporter()
    with engine_warnings(reporter):
        pass
    CSS(string="a { colour: blue }")
    assert reporter.diagnostics == []
    assert not [h for h in logging.getLogger("weasyprint").handlers if type(h).__name__ == "EngineLog"]
