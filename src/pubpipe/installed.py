"""Installed packages: versions and entry points, as importlib.metadata reports them.

A build with nothing to do still asks which backends are installed (entry points) and which
versions of the engines (they are in the cache keys). Both answers come from importlib.metadata,
the standard library's reading of installed distributions (eggs, zips and .dist-info folders
alike); each version is asked for once per process. docs/PERFORMANCE.md has what this costs.
"""

from __future__ import annotations

import functools
from importlib.metadata import EntryPoint, PackageNotFoundError
from importlib.metadata import entry_points as metadata_entry_points
from importlib.metadata import version as metadata_version

__all__ = ["EntryPoint", "PackageNotFoundError", "distribution_name", "distribution_version", "entry_points",
           "version"]


@functools.cache
def version(name: str) -> str:
    """The installed version of a distribution (raises importlib.metadata.PackageNotFoundError)."""
    return metadata_version(name)


def entry_points(group: str) -> list[EntryPoint]:
    """The entry points of *group*, in the order importlib.metadata finds their distributions (sys.path)."""
    return list(metadata_entry_points(group=group))


def distribution_name(entry: EntryPoint) -> str | None:
    """The name of the distribution that declares *entry*, as it spells it (None if unknown)."""
    return None if entry.dist is None else str(entry.dist.metadata["Name"])


def distribution_version(entry: EntryPoint) -> str | None:
    """The version of the distribution that declares *entry* (None if unknown)."""
    return None if entry.dist is None else str(entry.dist.version)
