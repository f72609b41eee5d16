"""Cache keys: what each job's output depends on, hashed from file bytes before anything is parsed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..backends.base import Backend, Styles
from ..reading.project import Project
from .files import file_sha256
from .hashing import Hasher, tree_files


def package_templates() -> Path:
    """pubpipe's own templates folder (a project's templates/ overrides files in it)."""
    return Path(__file__).resolve().parents[1] / "templates"


def edition_title(project: Project, lang: str) -> str:
    """An edition's resolved title from its front matter and publication.yaml, without running pandoc."""
    from ..reading.metadata import resolve_metadata
    from ..reading.sources import read_source

    config = project.edition(lang)
    front = read_source(config.files[0]).front_matter if config.files else {}
    return resolve_metadata(project, config, front).title


@dataclass(frozen=True, slots=True)
class KeyInputs:
    """What every key of one build shares: the project, pubpipe's code, the clock, the styles."""

    project: Project
    code: str
    """code_digest(): pubpipe's sources and catalogues."""
    when: str
    """The build time recorded in outputs when it is reproducible (SOURCE_DATE_EPOCH or git), else ""."""
    styles: Styles
    options: dict[str, Any]
    """Command-line settings that change outputs (allow_remote, backend options)."""
    digests: dict[Path, str] = field(default_factory=dict)
    """Checksums of the files hashed so far in this build: fonts and styles are read once, not per job."""
    templates: Path = field(default_factory=package_templates)

    def add_file(self, hasher: Hasher, path: Path, name: str) -> None:
        """Add a file to a key by name and checksum, reading it at most once per build."""
        if path not in self.digests:
            self.digests[path] = file_sha256(path) or "<missing>"
        hasher.text(name).text(self.digests[path])


def edition_key(inputs: KeyInputs, lang: str, titles: dict[str, str]) -> str:
    """Everything an edition's parsed text depends on: publication.yaml, its own Markdown, the other titles.

    The other editions enter only through their titles (the language switcher), so editing a
    Russian paragraph leaves the English key alone.
    """
    project = inputs.project
    hasher = Hasher("edition", lang, inputs.code)
    hasher.file(project.config_path, "publication.yaml")
    for path in project.edition(lang).files:
        hasher.file(path, relative(path, project.root))
    from ..reading.bibliography import citation_inputs  # the bibliography and CSL style the citations are rendered with

    for path in citation_inputs(project, lang):
        hasher.file(path, relative(path, project.root))
    hasher.json(sorted((other, title) for other, title in titles.items() if other != lang))
    # Whether web images are fetched changes the parsed text and its warnings (H101 or none).
    hasher.json(bool(inputs.options.get("allow_remote")))
    # The glyph check (G101) runs with the parse: it depends on the stylesheets' font stacks (not on
    # their other rules) and on the fonts.
    from ..backends.render.fonts import STYLESHEETS, font_skeleton, fonts_fingerprint

    hasher.text(font_skeleton(inputs.styles.css(STYLESHEETS)))
    for font in inputs.styles.fonts():
        inputs.add_file(hasher, font, f"fonts/{font.name}")
    hasher.json(fonts_fingerprint())
    return hasher.hexdigest()


def job_key(inputs: KeyInputs, edition: str, assets: list[str], backend: Backend, layout: bool = True) -> str:
    """Everything one output depends on: the edition, its assets, and what this backend reads.

    With layout=False, a backend that borrows another's layout (the EPUB's page list follows the
    PDF) leaves out the stylesheets and templates of that layout: see layout_key().
    """
    project = inputs.project
    hasher = Hasher("job" if layout else "job-without-layout", backend.name, edition, inputs.when)
    for name in assets:
        inputs.add_file(hasher, project.root / name, name)
    hasher.json(backend.fingerprint())
    hasher.json(inputs.options)
    # Only the stylesheets this backend names: print.css changes rebuild the PDFs and nothing else
    # (and the EPUBs, whose page list follows the PDF layout: they name it in `layout_styles`).
    borrowed = backend.layout_styles if layout else ()
    for name in dict.fromkeys((*backend.styles, *borrowed)):
        inputs.add_file(hasher, inputs.styles.path(name), name)
        # A project may add rules after a default layer in `<stem>-extra.css` (docs/STYLING.md).
        extra = f"{Path(name).stem}-extra.css"
        inputs.add_file(hasher, inputs.styles.folders[0] / extra, extra)
    for font in inputs.styles.fonts():
        inputs.add_file(hasher, font, f"fonts/{font.name}")
    for label, root in (("project", project.root / "templates"), ("package", inputs.templates)):
        for folder in (backend.name, *(backend.layout_templates if layout else ())):
            for name, path in tree_files(root / folder):
                inputs.add_file(hasher, path, f"{label}/{folder}/{name}")
    return hasher.hexdigest()


def relative(path: Path, root: Path) -> str:
    """*path* relative to the project, as a key names it (so a moved project keeps its cache)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def layout_key(without_layout: str, layout: Any) -> str:
    """The key of an output that borrows a layout, from what it reads itself and the layout's result.

    The EPUB's page list is where the PDF's pages begin. A change to print.css that leaves every
    page break where it was (a colour, say) gives the same key, so the EPUB is not
    rebuilt; one that moves a break gives a new one.
    """
    return Hasher("layout", without_layout).json(layout).hexdigest()
