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


def test_formats_says_a_second_html_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`pubpipe formats`, where a user looks first, says A101 as the build does: one line, exit 2."""
    from click.testing import CliRunner

    from pubpipe.cli import main

    fake_distribution(tmp_path, "pubpipe-fancy", "html = fancy:HtmlBackend")
    monkeypatch.setattr(sys, "path", [*sys.path, str(tmp_path)])
    for arguments in (["formats"], ["formats", "--json"]):
        result = CliRunner().invoke(main, arguments)
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "error A101: format 'html' is registered twice" in result.output
        assert "Traceback" not in result.output


def test_a_class_that_is_no_backend_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_distribution(tmp_path, "pubpipe-odd", "odd = json:JSONDecoder")
    monkeypatch.setattr(sys, "path", [*sys.path, str(tmp_path)])
    with pytest.raises(UsageError) as raised:
        load_backend("odd")
    assert raised.value.code == "A102"


def test_formats_says_what_each_backend_makes_and_where_it_comes_from(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """`pubpipe formats`: the backends' own descriptions; a plugin that cannot be loaded, or is no
    backend, is listed with what is wrong and hides none of the others."""
    import json

    from click.testing import CliRunner

    from pubpipe.cli import main

    fake_distribution(tmp_path, "pubpipe-gone", "gone = pubpipe_gone_missing:GoneBackend")
    fake_distribution(tmp_path, "pubpipe-odd", "odd = json:JSONDecoder")
    monkeypatch.setattr(sys, "path", [*sys.path, str(tmp_path)])
    result = CliRunner().invoke(main, ["formats"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: " ".join(line.split()[1:]) for line in result.output.splitlines()}
    assert lines["html"] == "standalone HTML5 page per edition built-in"
    assert lines["epub"] == "EPUB 3 e-book through ebooklib built-in"
    assert lines["gone"] == "cannot be loaded: No module named 'pubpipe_gone_missing' pubpipe-gone 1.0"
    assert lines["odd"] == "not a pubpipe backend (A102) pubpipe-odd 1.0"
    listed = {item["name"]: item for item in json.loads(CliRunner().invoke(main, ["formats", "--json"]).output)}
    assert listed["pdf"]["description"] == "print-ready PDF through WeasyPrint" and listed["pdf"]["builtin"]
    assert (listed["odd"]["package"], listed["odd"]["version"], listed["odd"]["builtin"]) == ("pubpipe-odd", "1.0", False)


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


def test_a_text_without_level_one_headings_has_no_empty_contents(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pubpipe.cli import main
    from tests.unit.markdown_edition import write_project

    root = write_project(tmp_path, "Intro.\n\n## Usage\n\nText.\n")
    result = CliRunner().invoke(main, ["build", "-C", str(root), "-f", "html", "-q"])
    assert result.exit_code == 0, result.output
    page = (root / "build/en/case.html").read_text(encoding="utf-8")
    assert 'class="toc"' not in page and "Usage" in page


LENDING = '''
import json

from pubpipe.backends.base import Backend, BuildResult


class Lender(Backend):
    """A format whose layout another follows: it counts the layouts it makes."""

    name = "lender"
    suffix = ".lent"
    layouts = 0

    def __init__(self):
        self.kept = {}

    def fingerprint(self):
        return {}

    def layout(self, edition):
        if edition.lang not in self.kept:
            type(self).layouts += 1
            self.kept[edition.lang] = [{"number": n, "section": 0} for n in range(1, len(edition.sections) + 2)]
        return self.kept[edition.lang]

    def page_starts(self, edition, ctx):
        return self.layout(edition)

    def build(self, edition, ctx):
        ctx.output.write_text(json.dumps(self.layout(edition)))
        return BuildResult(ctx.output)


class Borrower(Backend):
    """A format that follows the lender's layout: it writes what it was handed."""

    name = "borrower"
    suffix = ".borrowed"
    layout_from = "lender"

    def fingerprint(self):
        return {}

    def build(self, edition, ctx):
        ctx.output.write_text(json.dumps(ctx.layout))
        return BuildResult(ctx.output)
'''


def test_a_borrower_gets_its_lender_s_page_starts_through_the_registry(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The build finds the lender by the name in `layout_from` (an installed plugin here) and hands its
    page_starts() to the borrower as ctx.layout; one task lays the edition out once, two tasks twice."""
    import datetime as dt

    from pubpipe.building.jobs import render_jobs
    from pubpipe.building.plan import BuildOptions, Job
    from pubpipe.reading.project import load_project
    from tests.unit.markdown_edition import edition_of

    site = tmp_path / "site"
    site.mkdir()
    (site / "pubpipe_lending.py").write_text(LENDING, encoding="utf-8")
    fake_distribution(site, "pubpipe-lending", "lender = pubpipe_lending:Lender\nborrower = pubpipe_lending:Borrower")
    monkeypatch.setattr(sys, "path", [*sys.path, str(site)])
    root = tmp_path / "book"
    edition, reporter = edition_of(root, "# One\n\nText.\n\n# Two\n\nMore.\n")
    assert edition is not None and not reporter.diagnostics
    lender_class = load_backend("lender").__class__
    borrower, lender = Job("en", "borrower"), Job("en", "lender")
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    together = render_jobs(load_project(root), edition, [borrower, lender], BuildOptions(), when)
    assert [done.output is not None for done in together] == [True, True], [d.findings for d in together]
    handed = [done.temporary.read_text(encoding="utf-8") for done in together if done.temporary]
    assert handed[0] == handed[1] == '[{"number": 1, "section": 0}, {"number": 2, "section": 0}, ' \
                                     '{"number": 3, "section": 0}]'
    assert lender_class.layouts == 1  # one instance of the lender for the task: laid out once
    apart = [render_jobs(load_project(root), edition, [job], BuildOptions(), when) for job in (borrower, lender)]
    assert all(done[0].output is not None for done in apart)
    assert lender_class.layouts == 3  # each task its own lender, loaded from the registry
    for done in [*together, *(d for task in apart for d in task)]:
        assert done.temporary is not None
        done.temporary.unlink()


def test_the_epub_backend_knows_no_other_backend() -> None:
    """The EPUB follows the PDF's layout by declaring it; the build, not the EPUB, asks the pdf backend."""
    package = Path(__file__).resolve().parents[2] / "src" / "pubpipe" / "backends"
    text = (package / "epub.py").read_text(encoding="utf-8")
    assert "from .pdf" not in text and "import pdf" not in text
    html, pdf, epub = (load_backend(name) for name in ("html", "pdf", "epub"))
    assert epub.layout_from == pdf.name and epub.layout_templates == (pdf.name,)
    assert set(pdf.styles) <= set(epub.layout_styles)
    assert html.layout_from == pdf.layout_from == ""
    from pubpipe.backends.base import BuildContext

    assert "layouts" not in BuildContext.__dataclass_fields__  # nothing mutable shared through the context
