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
