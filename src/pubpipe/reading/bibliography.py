"""Which bibliography and citation style an edition uses, and its citations rendered with them at parse time."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, SourceError, SourceRef
from ..model import Node
from .project import EditionConfig, Project

if TYPE_CHECKING:
    from ..report import Reporter

BIBLIOGRAPHY_TYPES = {".bib", ".bibtex", ".json", ".yaml", ".yml", ".ris"}


def resolve_files(names: Any, base: Path, root: Path, where: SourceRef, key: str) -> tuple[Path, ...]:
    """The bibliography or CSL files named in the metadata, resolved against *base* (the folder of the
    file that names them); ConfigError (X101) for one that is missing, outside the project or of a
    kind pandoc cannot read."""
    if names is None:
        return ()
    listed = [names] if isinstance(names, str) else list(names) if isinstance(names, list) else None
    if listed is None or not all(isinstance(name, str) for name in listed):
        raise ConfigError(f"'{key}' must be a file name or a list of file names", where,
                          f"write e.g. '{key}: refs.bib'", code="X101")
    found = []
    root = root.resolve()
    for name in listed:
        path = (base / name).resolve()
        if root not in path.parents:
            raise ConfigError(f"{key} file '{name}' is outside the project", where,
                              "keep it inside the project, e.g. in source/", code="X101")
        if not path.is_file():
            raise ConfigError(f"{key} file '{name}' not found (looked in {base})", where,
                              "check the file name; paths are relative to the file that names them", code="X101")
        if key == "bibliography" and path.suffix.lower() not in BIBLIOGRAPHY_TYPES:
            raise ConfigError(f"bibliography file '{name}' is not BibTeX, CSL JSON, CSL YAML or RIS", where,
                              "use a .bib, .json, .yaml or .ris file", code="X101")
        found.append(path)
    return tuple(found)


def citation_files(project: Project, config: EditionConfig,
                   front: dict[str, Any]) -> tuple[tuple[Path, ...], Path | None]:
    """The edition's bibliography files and CSL style: the front matter's (relative to the first
    Markdown file) over publication.yaml's (relative to source/). Raises ConfigError (X101)."""
    first = config.files[0]
    found: dict[str, tuple[Path, ...]] = {}
    for key in ("bibliography", "csl"):
        if key in front:
            found[key] = resolve_files(front[key], first.parent, project.root, SourceRef(first, None, None, key), key)
        else:
            found[key] = resolve_files(project.settings.get(key), project.config_path.parent, project.root,
                                       SourceRef(project.config_path, None, None, key), key)
    return found["bibliography"], (found["csl"][0] if found["csl"] else None)


def citation_inputs(project: Project, lang: str) -> tuple[Path, ...]:
    """The bibliography and style files an edition reads (for cache keys); none when they are wrong
    (parsing reports that)."""
    config = project.edition(lang)
    if not config.files:
        return ()
    try:
        from .sources import read_source

        bibliographies, csl = citation_files(project, config, read_source(config.files[0]).front_matter)
    except (ConfigError, SourceError):
        return ()
    return (*bibliographies, *([csl] if csl else []))


def render_citations(blocks: list[Node], project: Project, config: EditionConfig, front: dict[str, Any],
                     dialect: str, reporter: Reporter | None) -> list[Node]:
    """*blocks* with citation syntax read (CommonMark has none: pubpipe reads it) and rendered by citeproc
    when the edition has a bibliography or `references`. Raises ConfigError (X101) or SourceError (X103)."""
    from ..i18n import catalogue
    from ..transforms.citations import recognize, run_citeproc

    bibliographies, csl = citation_files(project, config, front)
    references = front.get("references", project.settings.get("references"))
    if references is not None and not (isinstance(references, list)
                                       and all(isinstance(item, dict) and "id" in item for item in references)):
        where = SourceRef(config.files[0] if "references" in front else project.config_path, None, None,
                          "references")
        raise ConfigError("'references' must be a list of CSL entries, each with an 'id'", where,
                          "write e.g. '- id: doe2020' with type, title, author, issued", code="X101")
    if dialect != "pandoc":
        blocks = recognize(blocks, any_key=bool(bibliographies or references))
    if not bibliographies and not references:
        return blocks
    return run_citeproc(blocks, bibliographies, csl, config.lang, catalogue(config.lang)("references"),
                        SourceRef(config.files[0]), reporter, references)
