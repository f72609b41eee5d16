"""The Reporter: every error and warning of a build, collected in every process, reported sorted at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from .diagnostics import Diagnostic
from .errors import BuildFailed, PubpipeError, SourceRef


@dataclass
class Reporter:
    """Collects the diagnostics of one build (or one worker's job) instead of stopping at the first.

    Errors and warnings are both collected; the build asks `failed` at its checkpoints (after reading
    every edition, before anything is written; after the backends) and raises `BuildFailed` with all
    of them. `--strict` is counting, not a second code path: with it, any warning fails the build.
    A worker process gets its own Reporter; its diagnostics travel back with the job's result and are
    replayed here in plan order (compare Sphinx's `sphinx.util.parallel`).
    """

    strict: bool = False
    """--strict: warnings fail the build as errors do."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Everything reported so far, in the order found, without repeats."""

    def warn(self, code: str, message: str, where: SourceRef | None = None, hint: str | None = None) -> None:
        """Report something pubpipe published sensibly anyway; *message* says what it did."""
        self.add(Diagnostic(code, "warning", message, where, hint))

    def error(self, code: str, message: str, where: SourceRef | None = None, hint: str | None = None) -> None:
        """Report something that makes the publication wrong; the build fails at its next checkpoint."""
        self.add(Diagnostic(code, "error", message, where, hint))

    def exception(self, error: PubpipeError) -> None:
        """Report a raised PubpipeError (and every error inside a ConfigErrors or BuildFailed)."""
        self.extend(error_diagnostics(error))

    def add(self, diagnostic: Diagnostic) -> None:
        if diagnostic in self.diagnostics:  # the same finding from two formats of one edition
            return
        self.diagnostics.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            self.add(diagnostic)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def failed(self) -> bool:
        """Whether the build must fail: an error, or under --strict a warning."""
        return bool(self.errors) or (self.strict and bool(self.warnings))

    def check(self) -> None:
        """Raise BuildFailed with every diagnostic, sorted by place, if the build must fail."""
        if self.failed:
            raise BuildFailed(final_report(self.diagnostics, self.strict), strict=self.strict)


def error_diagnostics(error: PubpipeError) -> list[Diagnostic]:
    """The diagnostics a raised error stands for (several for ConfigErrors and BuildFailed)."""
    found = getattr(error, "diagnostics", None)
    if found is not None:
        return list(found)
    inner = getattr(error, "errors", None)
    if inner is not None:
        return [Diagnostic.from_error(item) for item in inner]
    return [Diagnostic.from_error(error)]


def sort_key(diagnostic: Diagnostic) -> tuple[int, str, int, int, str]:
    """Order of a report: project-wide findings first, then by file, line and column (as compilers do)."""
    where = diagnostic.where
    if where is None:
        return (0, "", 0, 0, diagnostic.code)
    return (1, str(where.path), where.line or 0, where.column or 0, diagnostic.code)


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """*diagnostics* sorted by place, each once."""
    return sorted(dict.fromkeys(diagnostics), key=sort_key)


STRICT_HINT = "--strict makes this warning an error"


def final_report(diagnostics: Iterable[Diagnostic], strict: bool = False) -> list[Diagnostic]:
    """What a build prints: sorted by place, each once; under --strict the warnings shown as errors
    (as a compiler's -Werror does), each saying so."""
    found = list(diagnostics)
    if strict:
        found = [replace(d, severity="error", hint=f"{d.hint} ({STRICT_HINT})" if d.hint else STRICT_HINT)
                 if d.severity == "warning" else d for d in found]
    return sorted_diagnostics(found)


def summary(diagnostics: list[Diagnostic]) -> str:
    """`2 errors, 5 warnings` — the closing line of a report (empty when there is nothing)."""
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = sum(d.severity == "warning" for d in diagnostics)
    parts = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in ((errors, "error"), (warnings, "warning")) if n]
    text = ", ".join(parts)
    return text

