"""WeasyPrint's own warnings (bad CSS, refused URLs, images it could not load) as pubpipe warnings."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ...errors import SourceRef
from ...report import Reporter

CODE = "A301"
HINT = ("fix or remove what it names (a stylesheet's declaration, a URL, an image); "
        "WeasyPrint skips it and prints the rest")

# WeasyPrint's CSS messages give the place as `at 12:5` (line:column of the sheet it is parsing); the
# sheet itself they do not name, so the caller says which file is being read (EngineLog.reading).
PLACE = re.compile(r" at (\d+):(\d+)\b")


class EngineLog(logging.Handler):
    """A handler on the `weasyprint` logger that reports its WARNING and ERROR records as A301 warnings.

    WeasyPrint logs what it skips (weasyprint.logger: errors for unusable resources, warnings for bad
    HTML/CSS) and goes on; nothing is raised. Records from other threads are left alone: the build
    may lay out two editions at once in one process, each with its own reporter. Each message is
    reported once per handler (WeasyPrint repeats a sheet's problems for every document it styles).
    """

    def __init__(self, reporter: Reporter) -> None:
        super().__init__(level=logging.WARNING)
        self.reporter = reporter
        self.thread = threading.get_ident()
        self.source: Path | None = None
        self.seen: set[tuple[str, Path | None]] = set()

    @contextmanager
    def reading(self, path: Path | None) -> Iterator[None]:
        """Attribute the records logged inside the block to the stylesheet *path* (absolute)."""
        before, self.source = self.source, path
        try:
            yield
        finally:
            self.source = before

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        try:
            message = record.getMessage().strip().rstrip(".")
        except (TypeError, ValueError):  # a malformed record of WeasyPrint's: say what it said
            message = str(record.msg)
        key = (message, self.source)
        if key in self.seen:
            return
        self.seen.add(key)
        where = None
        if self.source is not None:
            place = PLACE.search(message)
            where = SourceRef(self.source, int(place[1]), int(place[2])) if place else SourceRef(self.source)
            message = PLACE.sub("", message, count=1)  # the place is said once, in front
        self.reporter.warn(CODE, f"the PDF engine (WeasyPrint) reported: {message}", where, HINT)


@contextmanager
def engine_warnings(reporter: Reporter) -> Iterator[EngineLog]:
    """While the block runs, WeasyPrint's warnings and errors in this thread go to *reporter* (A301).

    The handler is removed afterwards, also when the block raises.
    """
    logger = logging.getLogger("weasyprint")
    handler = EngineLog(reporter)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
