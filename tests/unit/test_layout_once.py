"""An edition's pdf and epub jobs run together lay it out with WeasyPrint once; apart, once each."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow  # WeasyPrint lays the edition out

TEXT = "# One\n\nA paragraph.\n\n# Two\n\nAnother paragraph.\n"


def test_weasyprint_lays_an_edition_out_once_per_task(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint

    from pubpipe.building.jobs import render_jobs
    from pubpipe.building.plan import BuildOptions, Job
    from pubpipe.reading.project import load_project
    from tests.unit.markdown_edition import edition_of

    layouts: list[str] = []
    render = weasyprint.HTML.render

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        layouts.append("render")
        return render(self, *args, **kwargs)

    # The real engine, counted: every layout of an edition is one HTML.render.
    monkeypatch.setattr(weasyprint.HTML, "render", counted)
    root = tmp_path / "book"
    edition, reporter = edition_of(root, TEXT)
    assert edition is not None and not reporter.errors
    project = load_project(root)
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    options = BuildOptions(backend_options={"pdf_layout": "single"})
    epub, pdf = Job("en", "epub"), Job("en", "pdf")

    together = render_jobs(project, edition, [epub, pdf], options, when)
    assert len(layouts) == 1
    apart = [render_jobs(project, edition, [job], options, when)[0] for job in (epub, pdf)]
    assert len(layouts) == 3  # the epub's task lays it out for its page list, the pdf's for itself
    files = [done.temporary for done in [*together, *apart]]
    assert all(path is not None for path in files), [done.findings for done in [*together, *apart]]
    try:
        # The same bytes either way, and the EPUB's page list has a marker for every page of the PDF.
        assert [p.read_bytes() for p in files[:2] if p] == [p.read_bytes() for p in files[2:] if p]
        pages = together[1].output.pages if together[1].output else None
        assert pages
        with zipfile.ZipFile(files[0] or "") as package:
            nav = package.read("EPUB/nav.xhtml").decode("utf-8")
        assert nav.count('href="') and all(f'#page-{n}"' in nav for n in range(1, pages + 1))
    finally:
        for path in files:
            if path is not None:
                path.unlink()
