"""Run the rules over a project's editions, apply safe fixes, and turn findings into Diagnostics."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..building.files import write_atomic
from ..diagnostics import Diagnostic
from ..errors import SourceRef
from ..model import Edition
from ..reading.project import Project
from .registry import REGISTRY, Rule
from .source import Finding, Fix, SourceFile, load_file, read_words

WORD_LIST = "words.txt"
# The first transform of PIPELINE the structure rules do not want: it rewrites the links they check.
CHECKED_UNTIL = "anchors"


@dataclass(frozen=True, slots=True)
class Selection:
    """Which rules run: codes or code prefixes to select (all when empty) and to ignore."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def wants(self, code: str) -> bool:
        chosen = not self.select or any(code.startswith(prefix) for prefix in self.select)
        return chosen and not any(code.startswith(prefix) for prefix in self.ignore)


def load_rules() -> list[Rule]:
    """Every registered rule (importing the rule modules registers them)."""
    from . import clauses, punctuation, russian, spacing, spelling, structure, words  # noqa: F401

    return list(REGISTRY)


def unknown_codes(codes: Iterable[str]) -> list[str]:
    """Codes or prefixes that match no rule and no code reading reports (errors.codes.CODES), so a typo
    in --select is not silently ignored."""
    from ..errors.codes import CODES
    from .registry import OUTPUT_CODES

    known = [rule.code for rule in load_rules()] + list(OUTPUT_CODES) + list(CODES)
    return [code for code in codes if not any(k.startswith(code) for k in known)]


def _edition(project: Project, lang: str) -> tuple[Edition | None, list[Diagnostic]]:
    """The edition as the structure rules read it, and what reading it found (errors and warnings).

    Prepared the one way every command prepares an edition (prepare_edition), up to the ids
    (CHECKED_UNTIL): the later transforms rewrite links and text, and the rules judge the text as the
    author wrote it. Nothing is fetched from the web: a project that allows it (`allow_remote: true`)
    gets no H101 for its web images, which its build fetches. None when the edition cannot be read
    at all (the reason is among the findings).
    """
    from ..reading.prepare import prepare_edition
    from ..report import Reporter

    reporter = Reporter()
    edition = prepare_edition(project, lang, reporter, allow_remote=False, until=CHECKED_UNTIL)
    found = reporter.diagnostics
    if project.allow_remote:
        found = [d for d in found if d.code != "H101"]
    return edition, found


def _wanted(diagnostic: Diagnostic, paths: tuple[Path, ...]) -> bool:
    """Whether a reading finding belongs to what is checked: a place in one of *paths* (or no place)."""
    return diagnostic.where is None or _inside(diagnostic.where.path, paths)


def _inside(path: Path, paths: tuple[Path, ...]) -> bool:
    if not paths:
        return True
    resolved = path.resolve()
    return any(resolved == p or p in resolved.parents for p in paths)


def check_project(project: Project, paths: tuple[Path, ...] = (), selection: Selection = Selection(),
                  fix: bool = False) -> list[Diagnostic]:
    """Lint every Markdown file of every edition (or those under *paths*); with *fix*, repair first.

    The findings are the rules' and what reading each edition reported (a web image not fetched,
    raw HTML left out, control characters…; as `pubpipe build` says them), in one Reporter: each once,
    sorted by place (report.sorted_diagnostics). *selection* applies to both.
    """
    from ..report import Reporter, sorted_diagnostics

    rules = [rule for rule in load_rules() if selection.wants(rule.code)]
    wanted = tuple(path.resolve() for path in paths)
    if fix:
        _fix_all(project, wanted, rules)
    reporter = Reporter()
    for lang in project.languages:
        files = [path for path in project.edition(lang).files if _inside(path, wanted)]
        if not files:
            continue
        edition, found = _edition(project, lang)
        reporter.extend(d for d in found if selection.wants(d.code) and _wanted(d, wanted))
        words = read_words(project.source_dir / lang / WORD_LIST)
        for path in project.edition(lang).files:
            if path not in files:
                continue
            source = load_file(path, lang, words, edition, first=path == project.edition(lang).files[0])
            for rule, finding in _findings(source, rules):
                reporter.add(Diagnostic(finding.code, rule.severity, finding.message,
                                        SourceRef(path, finding.line, finding.column), finding.hint))
    return sorted_diagnostics(reporter.diagnostics)


def _findings(source: SourceFile, rules: list[Rule]) -> list[tuple[Rule, Finding]]:
    found = []
    for rule in rules:
        if rule.applies_to(source.lang):
            found += [(rule, finding) for finding in rule.run(source)]
    return found


def _fix_all(project: Project, paths: tuple[Path, ...], rules: list[Rule]) -> None:
    fixers = [rule for rule in rules if rule.fixable]
    for lang in project.languages:
        words = read_words(project.source_dir / lang / WORD_LIST)
        for path in project.edition(lang).files:
            if not _inside(path, paths):
                continue
            # Fixes can overlap (a doubled space inside a run-together sentence); repeat until none apply.
            for _ in range(5):
                source = load_file(path, lang, words)
                fixes = [finding.fix for _, finding in _findings(source, fixers) if finding.fix is not None]
                if not fixes:
                    break
                # Never a half-written source; the file keeps its permissions.
                write_atomic(path, apply_fixes(source.lines, fixes), mode=None)


def apply_fixes(lines: tuple[str, ...], fixes: list[Fix]) -> str:
    """The text with every non-overlapping fix applied (later ones on a line first, so columns hold)."""
    result = list(lines)
    taken: dict[int, list[tuple[int, int]]] = {}
    for fix in sorted(fixes, key=lambda f: (f.line, f.start, f.end), reverse=True):
        spans = taken.setdefault(fix.line, [])
        if any(fix.start < end and start < fix.end or fix.start == start for start, end in spans):
            continue  # overlapping fixes wait for the next round
        spans.append((fix.start, fix.end))
        line = result[fix.line - 1]
        result[fix.line - 1] = line[:fix.start] + fix.text + line[fix.end:]
    return "\n".join(result)
