"""`pubpipe check`: lint rules for the Markdown sources and validators for the built outputs."""

from __future__ import annotations

from .registry import REGISTRY, Rule
from .runner import Selection, check_project, load_rules

__all__ = ["REGISTRY", "Rule", "Selection", "check_project", "load_rules"]
