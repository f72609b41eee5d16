"""Every diagnostic code in one lookup (CODES), gathered from one table per stage, and docs/ERRORS.md."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Code:
    """One diagnostic code as documented in docs/ERRORS.md."""

    code: str
    """Stable code; never reused for another meaning."""
    severity: str
    """`error` or `warning` (with --strict every warning is an error)."""
    summary: str
    """What it means, in a few words."""
    example: str
    """A line as pubpipe prints it."""
    fix: str
    """How to fix it."""


def _codes(*items: Code) -> dict[str, Code]:
    # A code listed twice is caught by tests/unit/test_errors.py (see DUPLICATE_CODES), not at import,
    # so one slip in this table cannot stop every command from starting.
    registry: dict[str, Code] = {}
    for item in items:
        if item.code in registry:
            DUPLICATE_CODES.append(item.code)
        registry[item.code] = item
    return registry


DUPLICATE_CODES: list[str] = []


def _all() -> dict[str, Code]:
    # The stage tables import Code from this module, so they are imported here, after it is defined.
    from .commands import COMMANDS
    from .importing import IMPORTING
    from .reading import READING
    from .rendering import RENDERING

    return _codes(*READING, *RENDERING, *COMMANDS, *IMPORTING)


# Every code pubpipe reports, by stage (errors/reading.py, rendering.py, commands.py, importing.py).
# docs/ERRORS.md is generated from it (`python -m pubpipe.errors`) and a test fails when the two differ
# or when the source uses a code that is not listed here.
CODES = _all()


def codes_markdown() -> str:
    """docs/ERRORS.md: every code with its meaning, an example line and the fix."""
    lines = [
        "# Diagnostic codes",
        "",
        ("<!-- Generated from pubpipe.errors.codes.CODES (one table per stage in src/pubpipe/errors/) by "
         "`python -m pubpipe.errors > docs/ERRORS.md`; a test checks it is current. -->"),
        "",
        "Every message pubpipe prints has the form `file:line:column: severity CODE: message; hint`",
        "(the place is left out when there is none; for `publication.yaml` it may be `file: key`).",
        "`pubpipe build --json` prints the same diagnostics as JSON objects with the fields `code`,",
        "`severity`, `message`, `hint`, `file`, `line`, `column` and `key`; `--strict` turns every",
        "warning into an error (exit code 1, nothing written). Exit codes: 0 success, 1 build error,",
        "2 command-line usage error. `--debug` shows the Python traceback behind an error.",
        "",
        "Letters: **C** configuration, **S** reading the sources, **P** content problems, **U** command",
        "line, **D** missing dependency, **B** output backend, **E** internal.",
        "",
    ]
    for item in CODES.values():
        lines += [f"## {item.code} — {item.summary}", "", f"Severity: {item.severity}", "",
                  "```", item.example, "```", "", f"Fix: {item.fix}", ""]
    return "\n".join(lines)
