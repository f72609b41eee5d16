"""The Reporter: warnings found during a build, collected in order (and raised at once under --strict)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .diagnostics import Diagnostic
from .errors import PubpipeError, SourceRef


@dataclass
class Reporter:
    """Collects the diagnostics of one build; with `strict`, the first warning stops the build as an error."""

    strict: bool = False
    """--strict: a warning is an error (raised before anything is written)."""
    on_diagnostic: Callable[[Diagnostic], None] | None = None
    """Called with each diagnostic as it is found (the CLI prints warnings as they come)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Everything reported so far, in order."""

    def warn(self, code: str, message: str, where: SourceRef | None = None, hint: str | None = None) -> None:
        """Report a warning; under --strict it becomes an error with the same code."""
        if self.strict:
            raise PubpipeError(message, where, f"{hint} (--strict makes this warning an error)"
                               if hint else "--strict makes this warning an error", code=code)
        self.add(Diagnostic(code, "warning", message, where, hint))

    def add(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)
        if self.on_diagnostic is not None:
            self.on_diagnostic(diagnostic)

    def extend(self, diagnostics: list[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            if diagnostic.severity == "warning":
                self.warn(diagnostic.code, diagnostic.message, diagnostic.where, diagnostic.hint)
            else:
                self.add(diagnostic)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]
