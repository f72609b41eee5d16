"""Diagnostics: one finding with a stable code, a severity, a place and a hint; text and JSON forms."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .errors import PubpipeError, SourceRef

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A finding shown to a user: `file:line:column: severity CODE: message; hint`."""

    code: str
    """Stable code, e.g. P012; documented in docs/ERRORS.md (and docs/CHECKS.md for lint rules)."""
    severity: Severity
    """error, warning or info."""
    message: str
    """What is wrong, in one sentence."""
    where: SourceRef | None = None
    """The file and, when known, line and column or metadata key."""
    hint: str | None = None
    """How to fix it."""

    @classmethod
    def from_error(cls, error: PubpipeError) -> Diagnostic:
        return cls(error.code, "error", error.message, error.where, error.hint)

    def render(self, root: Path | None = None) -> str:
        prefix = f"{self.where.display(root)}: " if self.where else ""
        text = f"{prefix}{self.severity} {self.code}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text

    def to_json(self, root: Path | None = None) -> dict[str, Any]:
        file = None
        if self.where is not None:
            file = str(self.where.path)
            if root is not None:
                try:
                    file = self.where.path.relative_to(root).as_posix()
                except ValueError:
                    pass
        return {
            "code": self.code, "severity": self.severity, "message": self.message, "hint": self.hint,
            "file": file,
            "line": self.where.line if self.where else None,
            "column": self.where.column if self.where else None,
            "key": self.where.key if self.where else None,
        }
