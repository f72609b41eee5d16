"""Fixed strings per language: one small YAML catalogue per language, English as the fallback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from .numerals import localise_digits

FALLBACK = "en"


def _load(name: str) -> dict[str, Any]:
    resource = resources.files("pubpipe").joinpath("catalogues", f"{name}.yaml")
    if not resource.is_file():
        return {}
    data: dict[str, Any] = yaml.safe_load(resource.read_text(encoding="utf-8")) or {}
    return data


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The strings of one language, falling back to the base language and then to English."""

    lang: str
    strings: Mapping[str, Any]

    def __call__(self, key: str, **values: str) -> str:
        text = str(self.strings[key])
        return text.format(**values) if values else text

    def __getitem__(self, key: str) -> Any:
        return self.strings[key]

    def date(self, value: dt.date) -> str:
        """A date written the way the language writes it, in the digits its page numbers have (numerals)."""
        months = self.strings["months"]
        text = str(self.strings["date_format"]).format(day=value.day, month=months[value.month - 1],
                                                       year=value.year)
        return localise_digits(text, self.lang)

    def names(self, names: tuple[str, ...]) -> str:
        return ", ".join(names)


def catalogue(lang: str) -> Catalogue:
    """The catalogue for *lang* (e.g. `pt-BR` → pt-BR, then pt, then English)."""
    strings: dict[str, Any] = dict(_load(FALLBACK))
    base = lang.split("-")[0]
    if base != FALLBACK:
        strings.update(_load(base))
    if lang != base:
        strings.update(_load(lang))
    return Catalogue(lang, strings)


def language_name(lang: str) -> str:
    """The language's name in itself, e.g. ru → Русский."""
    base = lang.split("-")[0]
    own = _load(lang) or _load(base)
    return str(own.get("language_name", lang))
