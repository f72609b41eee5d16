"""Errors as values with a place: one type per kind of failure, each with a location and exit code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
