"""The rule registry: every lint rule with its stable code, name, severity and one-paragraph doc."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..diagnostics import Severity

if TYPE_CHECKING:
    from .source import Finding, SourceFile


@dataclass(frozen=True, slots=True)
class Rule:
    """One check on the Markdown source of an edition."""

    code: str
    """Stable code, e.g. K101; never reused for another rule."""
    name: str
    """Short kebab-case name, e.g. `run-together-sentences`."""
    severity: Severity
    """`error` fails `pubpipe check`; `warning` is a heuristic a person should look at."""
    doc: str
    """What the rule finds and why, for docs/CHECKS.md and `--help`."""
    run: Callable[[SourceFile], Iterator[Finding]]
    """Yields the findings in one source file."""
    fixable: bool = False
    """Whether `--fix` repairs what it finds (only where the repair is certain)."""
    languages: frozenset[str] = field(default_factory=frozenset)
    """Languages the rule applies to; empty means every language."""

    def applies_to(self, lang: str) -> bool:
        return not self.languages or lang.split("-")[0] in self.languages


class Registry:
    """Rules by code; refuses a duplicate code or name, like Sphinx's registry."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}

    def add(self, rule: Rule) -> Rule:
        if rule.code in self._rules:
            raise ValueError(f"duplicate rule code {rule.code}")
        if any(other.name == rule.name for other in self._rules.values()):
            raise ValueError(f"duplicate rule name {rule.name}")
        self._rules[rule.code] = rule
        return rule

    def __iter__(self) -> Iterator[Rule]:
        return iter(sorted(self._rules.values(), key=lambda rule: rule.code))

    def __contains__(self, code: object) -> bool:
        return code in self._rules

    def get(self, code: str) -> Rule:
        return self._rules[code]


REGISTRY = Registry()


def rule(code: str, name: str, severity: Severity, doc: str, *, fixable: bool = False,
         languages: tuple[str, ...] = ()) -> Callable[[Callable[[SourceFile], Iterator[Finding]]],
                                                     Callable[[SourceFile], Iterator[Finding]]]:
    """Register the decorated function as a rule."""
    def register(run: Callable[[SourceFile], Iterator[Finding]]) -> Callable[[SourceFile], Iterator[Finding]]:
        REGISTRY.add(Rule(code, name, severity, " ".join(doc.split()), run, fixable, frozenset(languages)))
        return run
    return register


# Codes of the output validators (`pubpipe check --outputs`): not source rules, documented alongside.
OUTPUT_CODES: dict[str, tuple[str, str]] = {
    "K201": ("epubcheck", ("An EPUBCheck message on an EPUB in build/, located in the Markdown source when the "
                          "message points into a chapter file, else in the EPUB member.")),
    "K202": ("nu-html-checker", ("A Nu Html Checker (vnu.jar) error on an HTML file in build/, located in the "
                                "Markdown source when the element came from a source block.")),
    "K203": ("pdf-unreadable", "pypdf cannot open the PDF in build/."),
    "K204": ("pdf-no-outline", "The PDF has no outline (bookmarks), so readers cannot navigate it."),
    "K205": ("pdf-metadata", "The PDF lacks a title or author in its document information."),
    "K206": ("pdf-no-language", "The PDF catalogue has no /Lang, so screen readers guess the language."),
    "K207": ("pdf-font-not-embedded", "A font the PDF uses is not embedded, so it renders differently elsewhere."),
    "K208": ("output-missing", "An output the publication should have is not in build/; run `pubpipe build`."),
}
