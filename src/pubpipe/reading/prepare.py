"""An edition made ready for every command: parsed, then through the one pipeline of transforms (PIPELINE)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import SourceRef
from ..model import Edition
from .parse import parse_edition
from .project import SOURCE_DIR, Project

if TYPE_CHECKING:
    from ..report import Reporter


def prepare_edition(project: Project, lang: str, reporter: Reporter | None = None,
                    allow_remote: bool | None = None, raise_first: bool = False,
                    until: str | None = None) -> Edition | None:
    """Parse one edition and run the transforms of the pipeline in order; every problem goes to *reporter*.

    Every command prepares its editions here: `build` and `serve` (through building/editions.py),
    `check --outputs` with the whole pipeline, `check` up to *until*: the name of a transform of
    PIPELINE (see transforms/__init__.py) before which to stop, so its rules read the text as the
    author wrote it, ids settled. The glyph check (G101), the pipeline's last step, runs only on a
    fully prepared edition.
    *allow_remote*: fetch web images (None: as publication.yaml's `allow_remote` says).

    Returns None when the edition cannot be read at all (the reason is an error in *reporter*);
    otherwise the edition, which may still carry errors the build reports before writing anything.
    With *raise_first* (`--debug`, and `pubpipe check`, which reports only what stops the reading)
    the first problem that stops the reading is raised instead, with its traceback. Raises
    ValueError for an *until* that names no transform.
    """
    from ..errors import PubpipeError
    from ..report import Reporter
    from ..transforms import TransformContext, apply_all

    reporter = reporter if reporter is not None else Reporter()
    config = project.edition(lang)
    for skipped in config.skipped:
        name = skipped.relative_to(project.root / SOURCE_DIR / lang).as_posix()
        reporter.warn("P040", f"{name} is not published: beside other Markdown files it is taken for "
                      "notes about the text", SourceRef(skipped),
                      f"to publish it, list it under 'files' of the '{lang}' edition in publication.yaml")
    allow_remote = project.allow_remote if allow_remote is None else allow_remote
    original = None
    if lang != project.original_lang and project.original_lang in project.languages:
        original = (project.original_lang, _ids_of(project, project.original_lang))
    context = TransformContext(project.root, project.languages, reporter, allow_remote, project.settings, original)
    try:
        # The first problem raised where it is found, with its traceback (see raise_first).
        return apply_all(parse_edition(project, lang, None if raise_first else reporter, allow_remote), context,
                         until)
    except RecursionError:
        # pandoc nests without limit; Python's walks over the tree do not.
        reporter.error("S106", "the text is nested too deeply to process", SourceRef(config.files[0]),
                       "flatten deeply nested lists or block quotes")
    except PubpipeError as error:
        if raise_first:
            raise
        reporter.exception(error)
    return None


def _ids_of(project: Project, lang: str) -> Callable[[], tuple[str, ...]]:
    """A function giving the heading ids of edition *lang* in order (parsed when first called, at most once;
    an edition that cannot be read has none: its own build reports why)."""
    found: list[tuple[str, ...]] = []

    def ids() -> tuple[str, ...]:
        if not found:
            from ..report import Reporter
            from ..transforms.ids import heading_ids

            # The ids as the pipeline assigns them (its own build reports the original's problems).
            original = prepare_edition(project, lang, Reporter(), until="anchors")
            found.append(heading_ids(original) if original is not None else ())
        return found[0]

    return ids
