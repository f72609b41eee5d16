"""Installed packages, read straight from their `.dist-info` folders on sys.path.

A build with nothing to do still asks which backends are installed (entry points) and which
versions of the engines (they are in the cache keys). importlib.metadata takes 15 ms to import
and 5 ms to answer that: a sixth of such a build. A `.dist-info` folder's name gives the
version and its `entry_points.txt` the entry points; whatever this does not find there (an egg,
a zipped package) is asked of importlib.metadata after all.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import sys
from dataclasses import dataclass
from typing import Any

SUFFIX = ".dist-info"


def normal(name: str) -> str:
    """A distribution name as its folder spells it (PEP 503 normalisation with underscores)."""
    return re.sub(r"[-_.]+", "_", name).lower()


@functools.cache
def _folders() -> dict[str, tuple[str, str]]:
    """{normalised name: (version, folder)}; the first on sys.path wins, as for imports."""
    found: dict[str, tuple[str, str]] = {}
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        for folder in names:
            if folder.endswith(SUFFIX):
                name, _, version = folder[: -len(SUFFIX)].partition("-")
                found.setdefault(normal(name), (version, os.path.join(entry or ".", folder)))
    return found


def version(name: str) -> str:
    """The installed version of a distribution (raises importlib.metadata.PackageNotFoundError)."""
    found = _folders().get(normal(name))
    if found is not None and found[0]:
        return found[0]
    from importlib.metadata import version as metadata_version

    return metadata_version(name)


@dataclass(frozen=True, slots=True)
class EntryPoint:
    """One entry point: `name = module:attribute`, and the folder of the distribution that declares it."""

    name: str
    value: str
    folder: str | None = None

    def load(self) -> Any:
        module, _, attribute = self.value.partition(":")
        target: Any = importlib.import_module(module.strip())
        for part in filter(None, attribute.strip().split(".")):
            target = getattr(target, part)
        return target

    @property
    def package(self) -> str | None:
        """The distribution's name as it spells it (the `Name:` of its METADATA)."""
        if self.folder is None:
            return None
        try:
            with open(os.path.join(self.folder, "METADATA"), encoding="utf-8") as metadata:
                for line in metadata:
                    if line.startswith("Name:"):
                        return line.removeprefix("Name:").strip()
                    if not line.strip():
                        break
        except OSError:
            pass
        return None


def entry_points(group: str) -> list[EntryPoint]:
    """The entry points of *group*, distribution by distribution in sys.path order."""
    found: list[EntryPoint] = []
    for _, folder in _folders().values():
        try:
            with open(os.path.join(folder, "entry_points.txt"), encoding="utf-8") as text:
                lines = text.read().splitlines()
        except OSError:
            continue
        section = None
        for line in map(str.strip, lines):
            if line.startswith("["):
                section = line.strip("[]").strip()
            elif section == group and "=" in line and not line.startswith(("#", ";")):
                name, _, value = line.partition("=")
                found.append(EntryPoint(name.strip(), value.split("[", 1)[0].strip(), folder))
    if not found:  # nothing in .dist-info folders: perhaps an egg or a zip that importlib.metadata reads
        from importlib.metadata import entry_points as metadata_entry_points

        found = [EntryPoint(entry.name, entry.value) for entry in metadata_entry_points(group=group)]
    return found
