"""The Backend base class, the build context every backend receives, and the entry-point registry.

As Sphinx's Builder: a backend is a subclass of Backend that sets `name`, `suffix` and the
stylesheets it reads, and implements `fingerprint()` and `build()`; the optional capabilities are
class attributes and methods with no-op defaults here, so the build asks them directly and never
probes with getattr. The registry refuses a format name registered twice.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import MissingDependency, UsageError
from ..installed import EntryPoint, entry_points
from ..model import Edition
from ..report import Reporter

if TYPE_CHECKING:  # the catalogues (and YAML) are loaded by the jobs, not by a build with nothing to do
    from ..i18n import Catalogue

GROUP = "pubpipe.backends"


@dataclass(frozen=True, slots=True)
class BuildContext:
    """What a backend needs besides the Edition: where to write, the look, the clock."""

    root: Path
    """The project folder; nothing outside it is read."""
    output: Path
    """The file to write (a temporary name; the build renames it into place)."""
    final_name: str
    """The name the output will have, e.g. `article.epub`."""
    styles: Styles
    """The stylesheets and fonts."""
    templates: Any
    """The Jinja2 environment (package templates, overridable by the project's templates/)."""
    catalogue: Catalogue
    """Fixed strings in the edition's language."""
    build_time: dt.datetime
    """The moment recorded in outputs: SOURCE_DATE_EPOCH, else the last commit, else now (UTC)."""
    slug: str
    """File name stem of the outputs of every edition."""
    reporter: Reporter = field(default_factory=Reporter)
    """Where the backend reports what it published differently (`ctx.reporter.warn(code, message, where,
    hint)`) or could not publish (`.error(...)`); in a worker process the diagnostics travel back with
    the job's result and are reported with the rest of the build's."""
    allow_remote: bool = False
    """Whether remote resources may be fetched (off unless asked for)."""
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """Format-specific options from the command line and publication.yaml (e.g. pdf_variant); read-only."""
    layout: list[dict[str, Any]] | None = None
    """For a backend that follows another format's layout (`layout_from`): the page starts that format's
    backend gave for this edition (its `page_starts()`, JSON-serialisable; the build asks for them
    first, to key the output by them); None when it follows none or the lender gave none."""
    cache_dir: Path | None = None
    """build/.cache, where a backend may keep what another job can reuse (font subsets); None: keep nothing."""

    def written_parts(self, edition: Edition) -> Path | None:
        """Where pandoc's HTML of each part is kept (render/writer.run_writer): build/.cache for a book
        of several files, whose edits touch one chapter; None for one file, which one run writes as fast
        and whose cache room goes to earlier versions of the outputs."""
        return self.cache_dir if len(edition.sources) > 1 else None

    def edition_href(self, lang: str, suffix: str, anchor: str = "") -> str:
        """Relative link from this output to the same format of another edition."""
        return f"../{lang}/{self.slug}{suffix}" + (f"#{anchor}" if anchor else "")


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a backend wrote."""

    path: Path
    pages: int | None = None
    extra_files: tuple[Path, ...] = ()
    """Files that go beside the output (images, fonts for HTML), written under the staging folder
    (building/files.staging_for(ctx.output)) at their place relative to the output's folder; the
    build moves them into place with the output, only when the whole build succeeds."""
    replaces: tuple[str, ...] = ()
    """Folders beside the output (relative to its folder, e.g. `fonts`) that extra_files fill whole:
    a file in one of them that is not among extra_files is an earlier build's, removed at commit."""
    note: str = ""
    """What the user may want to know about how it was made, shown beside the output (e.g. how many of
    a book's chapter pieces were laid out again)."""


class Backend(ABC):
    """One output format. It never reads Markdown: it receives an Edition and a BuildContext.

    A subclass sets the class attributes and implements fingerprint() and build(). Two optional,
    declared capabilities let one format follow another's layout (the EPUB's page list is the PDF's):

    - a *borrower* names the format in `layout_from`, and what that layout reads in `layout_styles`
      and `layout_templates` (they enter its plan key); the build resolves the lender through the
      registry, asks it for `page_starts()` and hands the result to build() as `ctx.layout`, which
      also keys the output (building/jobs.py run_job; docs/PERFORMANCE.md);
    - a *lender* implements `page_starts()`; it may remember its layout of an edition on its
      instance (the build makes one instance per format for the jobs of an edition it runs together),
      so the edition is laid out once for both outputs.
    """

    name: ClassVar[str] = ""
    """The format's name on the command line and in the entry point (e.g. `pdf`)."""
    suffix: ClassVar[str] = ""
    """The outputs' file suffix, e.g. `.pdf`: build/<lang>/<slug><suffix>."""
    description: ClassVar[str] = ""
    """One line for `pubpipe formats`."""
    styles: ClassVar[tuple[str, ...]] = ()
    """The stylesheet names it uses, in cascade order (the planner hashes these)."""
    layout_from: ClassVar[str] = ""
    """The format whose layout it follows (its page list), e.g. `pdf`; empty: it follows none."""
    layout_styles: ClassVar[tuple[str, ...]] = ()
    """The stylesheets of the layout it follows (they enter its plan key)."""
    layout_templates: ClassVar[tuple[str, ...]] = ()
    """The template folders of the layout it follows, e.g. ("pdf",) (they enter its plan key)."""

    @property
    def borrows_layout(self) -> bool:
        """Whether it follows another format's layout (`layout_from` names one)."""
        return bool(self.layout_from)

    @abstractmethod
    def fingerprint(self) -> dict[str, str]:
        """Versions and settings its output depends on, beside the inputs (e.g. the engine's version)."""

    @abstractmethod
    def build(self, edition: Edition, ctx: BuildContext) -> BuildResult:
        """Write the edition to ctx.output."""

    def lays_out_in_workers(self, edition: Edition, options: Mapping[str, Any]) -> bool:
        """Whether building *edition* with these format options starts worker processes of its own (the
        build then runs the job in its main process, which may start them)."""
        return False

    def page_starts(self, edition: Edition, ctx: BuildContext) -> list[dict[str, Any]] | None:
        """For a format another one follows: where each page of its layout of *edition* begins, as
        JSON-serialisable values, in page order (the pdf backend: render/pagelist.PageStart.to_json()
        of each page); None (the default): it lends no layout.

        Called with a context for this format (ctx.output is its would-be output: nothing is written);
        what the layout reports goes to ctx.reporter.
        """
        return None


@dataclass(frozen=True, slots=True)
class Styles:
    """Stylesheets and fonts: each file from the project's styles/ if it has one, else pubpipe's own."""

    folders: tuple[Path, ...]
    """Where to look, first match wins: the project's styles/, then the package's default styles."""

    @classmethod
    def for_project(cls, root: Path) -> Styles:
        # pubpipe's own styles/ is package data beside this package's modules (importlib.resources
        # would say the same, for 5 ms of imports on every start).
        default = (Path(__file__).resolve().parents[1] / "styles").resolve()
        return cls(tuple(dict.fromkeys([(root / "styles").resolve(), default])))

    def path(self, name: str) -> Path:
        for folder in self.folders:
            if (folder / name).is_file():
                return folder / name
        return self.folders[-1] / name

    def layers(self, names: tuple[str, ...]) -> list[Path]:
        """The stylesheet files for *names* in cascade order: each one, then the project's `<stem>-extra.css`.

        An `-extra` file adds rules after the default layer instead of replacing it (see docs/STYLING.md).
        """
        found = []
        for name in names:
            found.append(self.path(name))
            found.append(self.folders[0] / f"{Path(name).stem}-extra.css")
        return [path for path in found if path.is_file()]

    def css(self, names: tuple[str, ...]) -> str:
        """The named stylesheets and their -extra layers joined in order (missing layers are skipped)."""
        return "\n".join(path.read_text(encoding="utf-8") for path in self.layers(names))

    def fonts(self) -> list[Path]:
        """The fonts of the first styles folder that has a fonts/ folder."""
        for folder in self.folders:
            found = sorted(p for p in (folder / "fonts").glob("*")
                           if p.suffix.lower() in (".ttf", ".otf", ".woff", ".woff2"))
            if found:
                return found
        return []


def installed_backends() -> dict[str, EntryPoint]:
    """Every backend registered in the entry-point group, by name, without importing any.

    Raises UsageError (A101) when two installed distributions register the same name: neither may
    silently shadow the other (a plugin's `html` would otherwise replace or be replaced by the built-in).
    """
    from ..installed import distribution_name

    found: dict[str, EntryPoint] = {}
    for entry in entry_points(group=GROUP):
        seen = found.setdefault(entry.name, entry)
        if seen is not entry and seen.value != entry.value:
            first, second = distribution_name(seen) or "?", distribution_name(entry) or "?"
            raise UsageError(f"format '{entry.name}' is registered twice: by {first} ({seen.value}) and by "
                             f"{second} ({entry.value})",
                             hint=f"uninstall one of them (pip uninstall {second if first == 'pubpipe' else first}), "
                             "or rename the plugin's entry point", code="A101")
    return dict(sorted(found.items()))


def backend_description(entry: EntryPoint) -> str:
    """The `description` of the Backend class *entry* names, imported but not instantiated (a backend
    module imports its engine only in build(), so this stays cheap). A class that cannot be imported,
    or is not a Backend, is described by what is wrong with it: it must not hide the other formats."""
    try:
        backend_class = entry.load()
    except Exception as exc:  # noqa: BLE001 - a plugin's import may fail in any way (build -f says D102)
        return f"cannot be loaded: {exc}"
    if not (isinstance(backend_class, type) and issubclass(backend_class, Backend)):
        return "not a pubpipe backend (A102)"
    return backend_class.description or "(no description)"


def load_backend(name: str, known: dict[str, EntryPoint] | None = None) -> Backend:
    """Import and instantiate one backend; an unknown name is a usage error listing the known ones.

    *known*: installed_backends() if the caller has it already (scanning entry points takes milliseconds).
    Raises MissingDependency (D102) if it cannot be imported, UsageError (A102) if it is not a Backend.
    """
    known = installed_backends() if known is None else known
    if name not in known:
        raise UsageError(f"unknown format '{name}'", hint=f"choose from: {', '.join(known)}", code="U101")
    try:
        backend_class = known[name].load()
    except ImportError as exc:
        raise MissingDependency(f"format '{name}' cannot be loaded: {exc}",
                                hint=f"install what it needs (pip install {exc.name or 'the missing package'})",
                                code="D102") from None
    if not (isinstance(backend_class, type) and issubclass(backend_class, Backend)):
        raise UsageError(f"format '{name}' ({known[name].value}) is not a pubpipe backend",
                         hint="its class must subclass pubpipe.backends.base.Backend (docs/PLUGINS.md)", code="A102")
    return backend_class()
