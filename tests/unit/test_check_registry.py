"""The rule registry: stable unique codes, a doc for every rule, and docs/CHECKS.md generated from it."""

from __future__ import annotations

import re

import pytest

from pubpipe.check.docs import render
from pubpipe.check.registry import OUTPUT_CODES, Registry, Rule
from pubpipe.check.runner import Selection, load_rules

from ..conftest import REPO


def test_docs_match_the_registry() -> None:
    written = (REPO / "docs" / "CHECKS.md").read_text(encoding="utf-8")
    assert written == render(), "regenerate with: python -m pubpipe.check.docs > docs/CHECKS.md"


def test_every_rule_has_a_code_name_and_doc() -> None:
    rules = load_rules()
    assert len({rule.code for rule in rules}) == len(rules)
    for rule in rules:
        assert re.fullmatch(r"K1\d\d", rule.code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
        assert len(rule.doc) > 20 and rule.severity in ("error", "warning")
    assert not {rule.code for rule in rules} & set(OUTPUT_CODES)


def test_registry_refuses_duplicates() -> None:
    registry = Registry()
    rule = Rule("K999", "x", "error", "doc", lambda source: iter(()))
    registry.add(rule)
    with pytest.raises(ValueError, match="duplicate rule code K999"):
        registry.add(rule)
    with pytest.raises(ValueError, match="duplicate rule name x"):
        registry.add(Rule("K998", "x", "error", "doc", lambda source: iter(())))


def test_selection_by_prefix() -> None:
    selection = Selection(("K1",), ("K15",))
    assert selection.wants("K101") and not selection.wants("K151") and not selection.wants("K201")
