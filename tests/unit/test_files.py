"""Atomic writes, file checksums and installed-package metadata: the helpers every writer shares."""

from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import os
from pathlib import Path

import pytest

from pubpipe.building.files import TEMPORARY_SUFFIX, atomic_target, copy_atomic, file_sha256, write_atomic
from pubpipe.installed import distribution_name, entry_points, version


def test_write_atomic_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out" / "manifest.json"
    write_atomic(target, "first\n")
    write_atomic(target, b"second\n")
    assert target.read_bytes() == b"second\n"
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)
    assert [p.name for p in target.parent.iterdir()] == ["manifest.json"]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "book.epub"
    target.write_bytes(b"good")
    with pytest.raises(RuntimeError), atomic_target(target) as temp:
        temp.write_bytes(b"half")
        raise RuntimeError("the engine failed")
    assert target.read_bytes() == b"good"
    assert list(tmp_path.iterdir()) == [target]


def test_two_writers_never_share_a_temporary_name(tmp_path: Path) -> None:
    target = tmp_path / "book.pdf"
    with atomic_target(target) as one, atomic_target(target) as two:
        assert one != two and one.name.endswith(TEMPORARY_SUFFIX) and one.name.startswith(".book.pdf.")
        one.write_bytes(b"one")
        two.write_bytes(b"two")
    assert target.read_bytes() == b"one"  # the outer block ends last and wins


def test_mode_none_keeps_the_permissions(tmp_path: Path) -> None:
    source = tmp_path / "article.md"
    source.write_text("old")
    os.chmod(source, 0o600)
    write_atomic(source, "new", mode=None)
    assert source.read_text() == "new" and source.stat().st_mode & 0o777 == 0o600


def test_copy_and_checksum(tmp_path: Path) -> None:
    source = tmp_path / "a.bin"
    source.write_bytes(os.urandom(3 << 20))
    copy_atomic(source, tmp_path / "b" / "a.bin")
    assert file_sha256(tmp_path / "b" / "a.bin") == hashlib.sha256(source.read_bytes()).hexdigest()
    assert file_sha256(tmp_path / "missing") is None
    assert file_sha256(tmp_path) is None


def test_installed_metadata_is_importlib_metadata() -> None:
    """The entry points and versions a build uses are exactly what importlib.metadata says."""
    assert version("weasyprint") == importlib.metadata.version("weasyprint")
    ours = {(e.name, e.value) for e in entry_points("pubpipe.backends")}
    assert ours == {(e.name, e.value) for e in importlib.metadata.entry_points(group="pubpipe.backends")}
    assert {"html", "pdf", "epub"} <= {name for name, _ in ours}
    html = next(e for e in entry_points("pubpipe.backends") if e.name == "html")
    assert distribution_name(html) == "pubpipe"


def test_a_release_runs_under_the_build_lock(tmp_path: Path) -> None:
    """The hook a release uses runs while build/.lock is held: another build cannot start its clean-up."""
    from pubpipe.building.build import build
    from pubpipe.building.plan import BuildOptions
    from pubpipe.reading.project import load_project
    from tests.unit.markdown_edition import write_project

    project = load_project(write_project(tmp_path, "# Title\n\nText.\n"))
    held: list[bool] = []

    def then(outputs: list) -> None:
        descriptor = os.open(project.build_dir / ".lock", os.O_RDWR)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            held.append(False)
        except BlockingIOError:
            held.append(True)
        finally:
            os.close(descriptor)
        assert [o.job.format for o in outputs] == ["html"]

    build(project, BuildOptions(formats=("html",), jobs=1), then=then)
    assert held == [True]
