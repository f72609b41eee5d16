"""An edition made ready for every command: parsed, then through the one pipeline of transforms (PIPELINE)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import SourceRef
from ..model import Edition
from .project import Project

if TYPE_CHECKING:
    from ..report import Reporter
from .parse import parse_edition


def prepare_edition(project: Project, lang: str, reporter: Reporter | None = None,
                    allow_remote: bool = False, debug: bool = False) -> Edition | None:
    """Parse one edition and run every transform of the pipeline; every problem goes to *reporter*.

    Returns None when the edition cannot be read at all (the reason is an error in *reporter*);
    otherwise the edition, which may still carry errors the build reports before writing anything.
    With *debug* (--debug) an error that stops the reading is raised instead, with its traceback.
    """
    from ..errors import PubpipeError
    from ..report import Reporter
    from ..transforms import TransformContext, apply_all
    from .glyphs import check_glyphs

    reporter = reporter if reporter is not None else Reporter()
    config = project.edition(lang)
    for skipped in config.skipped:
        reporter.warn("P040", f"{skipped.name} is not published: beside other Markdown files it is taken for "
                      "notes about the text", SourceRef(skipped),
                      f"to publish it, list it under 'files' of the '{lang}' edition in publication.yaml")
    allow_remote = allow_remote or project.allow_remote
    context = TransformContext(project.root, project.languages, reporter, allow_remote, project.settings)
    try:
        # With --debug the first problem is raised where it is found, with its traceback.
        edition = apply_all(parse_edition(project, lang, None if debug else reporter, allow_remote), context)
        check_glyphs(edition, project.root, reporter)  # once per edition, for every format
        return edition
    except RecursionError:
        # pandoc nests without limit; Python's walks over the tree do not.
        reporter.error("S106", "the text is nested too deeply to process", SourceRef(config.files[0]),
                       "flatten deeply nested lists or block quotes")
    except PubpipeError as error:
        if debug:
            raise
        reporter.exception(error)
    return None
