"""Running pandoc: where it is, the reader for each Markdown dialect, one run with a capped heap, its JSON."""

from __future__ import annotations

import json
import os
from typing import Any

from ..errors import MissingDependency, SourceError, SourceRef
from .project import Project

PANDOC_FORMAT = "commonmark_x+sourcepos"


# The Markdown dialects an author may choose (`markdown:` in publication.yaml) and pandoc's reader for
# each. implicit_figures makes a lone image with alt text a Figure; alerts reads GitHub's `> [!NOTE]`.
# pandoc's own `markdown` reader has no sourcepos: positions are found by searching (see positions.py).
DIALECTS = {"commonmark_x": "commonmark_x+sourcepos+implicit_figures",
            "gfm": "gfm+sourcepos+implicit_figures",
            "pandoc": "markdown+alerts"}


DEFAULT_DIALECT = "commonmark_x"


PANDOC_TIMEOUT = 600  # seconds; a 5 MB text takes well under a minute


PANDOC_HEAP_PER_BYTE = 1000  # pandoc's heap limit per byte of input (5 MB text: ~2 GB used, 5 GB allowed)


def pandoc_path() -> str:
    """The pandoc executable: PUBPIPE_PANDOC if set, else the one that ships inside pypandoc-binary."""
    override = os.environ.get("PUBPIPE_PANDOC")
    if override:
        return override
    try:
        import pypandoc
        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError) as exc:  # pragma: no cover - depends on the installation
        raise MissingDependency(f"pandoc is not installed ({exc})", hint="pip install pypandoc-binary",
                                code="D101") from None


def pandoc_identity() -> str:
    """The pandoc that runs, for cache keys: its executable's path, size and time (a new
    pypandoc-binary is a new file); the path alone when it cannot be read."""
    path = pandoc_path()
    try:
        stat = os.stat(path)
    except OSError:
        return path
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"


def run_pandoc(text: str, where: SourceRef, word_positions: bool = False,
               reader: str = PANDOC_FORMAT) -> dict[str, Any]:
    """Parse Markdown with pandoc into its JSON AST (with the place of every word if asked:
    the translation workflow cuts segments out of the source by them); *reader* is pandoc's `-f`."""
    import subprocess  # here: a build with nothing to do reads this module but runs no pandoc
    pandoc = pandoc_path()
    data = text.encode("utf-8")
    # Some short inputs (runs of nested emphasis) make pandoc's parser take many GB: cap its heap
    # (a 5 MB book needs about 2 GB), so such a text fails with S105 instead of exhausting the machine.
    heap_mb = max(2048, len(data) * PANDOC_HEAP_PER_BYTE // 2**20)
    try:
        done = subprocess.run([pandoc, "+RTS", f"-M{heap_mb}m", "-RTS", "-f", reader, "-t", "json"],
                              input=data,
                              capture_output=True, timeout=PANDOC_TIMEOUT, check=False)
    except FileNotFoundError:
        raise MissingDependency(f"pandoc not found at {pandoc}", None,
                                "unset PUBPIPE_PANDOC or pip install pypandoc-binary", code="D101") from None
    except OSError as exc:
        raise MissingDependency(f"pandoc at {pandoc} could not be started: {exc.strerror}", None,
                                "unset PUBPIPE_PANDOC or reinstall pypandoc-binary", code="D101") from None
    except subprocess.TimeoutExpired:
        raise SourceError(f"pandoc did not finish within {PANDOC_TIMEOUT} s", where,
                          "split the text into several files", code="S105") from None
    if done.returncode != 0 and b"Heap exhausted" in done.stderr:
        raise SourceError(f"pandoc ran out of memory reading the text (limit {heap_mb} MB)", where,
                          "look for long runs of nested emphasis marks (***…***) or brackets, or split the text",
                          code="S105")
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SourceError(f"pandoc failed (exit {done.returncode}): {message[0] if message else 'no message'}",
                          where, "check the Markdown syntax; if pandoc itself is broken, reinstall pypandoc-binary",
                          code="S103")
    try:
        result: dict[str, Any] = json.loads(done.stdout, object_hook=None if word_positions else _drop_word_wrappers)
        result["blocks"]
    except (ValueError, KeyError, TypeError):
        raise SourceError("pandoc gave output pubpipe cannot read", where,
                          "use pandoc 3 (reinstall pypandoc-binary or fix PUBPIPE_PANDOC)", code="S105") from None
    return result


WORDS = frozenset({"Str", "Space", "SoftBreak"})


def _drop_word_wrappers(node: dict[str, Any]) -> Any:
    """Unwrap a word or a space from its sourcepos wrapper while pandoc's JSON is read.

    `sourcepos` wraps every inline in a Span with its position: four fifths of the JSON, and two
    thirds of the memory of reading a 300-page book (383 MB, 140 MB without). Nothing reports a
    place inside a paragraph by its words (links, images, code, raw HTML and emphasis keep their
    positions; the rest is found from the block's), so these wrappers go as soon as they are read.
    """
    if node.get("t") == "Span":
        attr, inlines = node["c"]
        # A wrapper with an id or classes carries the author's attributes (`word{#id}`, `{#tbl-x}`): kept.
        if (len(inlines) == 1 and inlines[0].get("t") in WORDS and attr[2][:1] == [["wrapper", "1"]]
                and not attr[0] and not attr[1]):
            return inlines[0]
    return node


def dialect_of(project: Project) -> str:
    """The Markdown dialect the publication is written in (`markdown:` in publication.yaml)."""
    return str(project.settings.get("markdown") or DEFAULT_DIALECT)
