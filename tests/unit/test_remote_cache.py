"""Fetched web images in build/.cache/remote/: bounded with the rest of the cache, never those a build uses."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import pubpipe.building.cache
from pubpipe.building.cache import BuildCache, JobRecord, Produced
from pubpipe.building.files import file_sha256
from pubpipe.cli import main
from tests.imageserver import image_server
from tests.unit.markdown_edition import write_project


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The local server is reached directly, whatever proxy the machine is set up with."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def test_prune_keeps_the_images_the_build_used_and_the_newest_others(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pubpipe.building.cache, "REMOTE_BYTES", 250_000)
    build = tmp_path / "build"
    remote = build / ".cache" / "remote"
    remote.mkdir(parents=True)
    for number, name in enumerate(("used.png", "old.png", "newer.svg", "newest.gif")):
        (remote / name).write_bytes(b"x" * 100_000)
        os.utime(remote / name, (1_000_000 + number, 1_000_000 + number))
    output = build / "en" / "book.html"
    output.parent.mkdir()
    output.write_bytes(b"y" * 1_000_000)  # the bound: 3 MB, so REMOTE_BYTES decides
    cache = BuildCache(build)
    cache.store("k", JobRecord(Produced("en/book.html", file_sha256(output) or "")))
    cache.remember_edition("e1", ["source/en/images/a.png", "build/.cache/remote/used.png"])
    cache.prune({"en/book.html": file_sha256(output) or ""})
    # The edition of this build uses one (oldest, and it alone fills 100 kB of the 250 kB): it stays;
    # of the others, the most recently used one that fits.
    assert sorted(path.name for path in remote.iterdir()) == ["newest.gif", "used.png"]


def test_a_rebuild_works_offline_and_an_image_no_longer_used_goes(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """With no room for images nobody uses, the build's own image still stays; `clean --cache` empties all."""
    monkeypatch.setattr(pubpipe.building.cache, "REMOTE_BYTES", 0)
    with image_server() as server:
        text = f"# Title\n\n![A badge]({server.url('/badge.png')})\n\n![Another]({server.url('/badge.svg')})\n"
        root = write_project(tmp_path, text)
        build = ["build", "-C", str(root), "-f", "html", "--allow-remote", "--json", "-j", "1"]
        first = CliRunner().invoke(main, build)
        assert first.exit_code == 0, first.output
    remote = root / "build" / ".cache" / "remote"
    assert len(list(remote.iterdir())) == 2
    # The server is gone: an edit is read again with the images from the cache.
    source = root / "source" / "en" / "text.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nAn edit.\n", encoding="utf-8")
    offline = CliRunner().invoke(main, build)
    assert offline.exit_code == 0 and json.loads(offline.stdout)["diagnostics"] == [], offline.output
    assert len(list(remote.iterdir())) == 2
    # The SVG taken out of the text: no edition uses it, and there is no room for unused images.
    source.write_text(source.read_text(encoding="utf-8").replace("![Another]", "[Another]"), encoding="utf-8")
    assert CliRunner().invoke(main, build).exit_code == 0
    assert [path.suffix for path in remote.iterdir()] == [".png"]
    cache = root / "build" / ".cache"
    du = sum(path.lstat().st_size for path in (cache, *cache.rglob("*")))  # as `du -sb` counts
    cleaned = CliRunner().invoke(main, ["clean", "-C", str(root), "--cache"])
    assert cleaned.exit_code == 0 and not cache.exists()
    from pubpipe.commands.common import human_size

    assert f"({human_size(du)})" in cleaned.output, (du, cleaned.output)
    assert (root / "build" / "en" / "case.html").is_file()
