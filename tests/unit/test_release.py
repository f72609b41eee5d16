"""Release helpers: version labels, verify's comparisons, merging partial manifests, the schema."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from pubpipe.errors import UsageError
from pubpipe.release import VERSION_LABEL, merge, schema, verify, write_release


def entry(name: str, data: bytes, fmt: str = "pdf") -> dict:
    return {"file": name, "built_as": f"en/x.{fmt}", "edition": "en", "format": fmt, "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(), "pages": 1 if fmt == "pdf" else None, "validation": [],
            "tools": {"pubpipe": "0", "pandoc": "3", "weasyprint": "1", "ebooklib": "0"}}


def manifest(*entries: dict, version: str = "1.0") -> dict:
    return {"schema": 1, "slug": "x", "identifier": "urn:x", "version": version,
            "created": "2026-01-01T00:00:00Z", "outputs": list(entries)}


@pytest.mark.parametrize("label, ok", [("1.0", True), ("v2.0-rc.1", True), ("2026+build_7", True),
                                       ("../etc", False), ("1 0", False), ("-x", False), ("", False)])
def test_version_labels(label: str, ok: bool) -> None:
    assert bool(VERSION_LABEL.match(label)) is ok


def test_verify_finds_each_kind_of_difference(tmp_path: Path) -> None:
    files = {"x-1.0-en.pdf": b"%PDF one", "x-1.0-en.epub": b"PK two", "x-1.0-ru.pdf": b"%PDF three"}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    listed = [entry(name, data, name.rsplit(".", 1)[1]) for name, data in files.items()]
    listed.append({**entry("../outside.pdf", b""), "file": "../outside.pdf"})
    write_release(tmp_path, manifest(*listed))
    assert [p.file for p in verify(tmp_path)] == ["../outside.pdf"]

    write_release(tmp_path, manifest(*listed[:3]))
    assert verify(tmp_path) == []
    (tmp_path / "x-1.0-en.pdf").write_bytes(b"%PDF onf")  # same size, one byte changed
    (tmp_path / "x-1.0-en.epub").write_bytes(b"PK two!")
    (tmp_path / "x-1.0-ru.pdf").unlink()
    found = {p.file: p.message for p in verify(tmp_path)}
    assert found == {"x-1.0-en.pdf": "sha256 differs from the manifest",
                     "x-1.0-en.epub": "7 bytes, the manifest says 6", "x-1.0-ru.pdf": "missing"}


def test_verify_notices_an_edited_sums_file(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"a")
    write_release(tmp_path, manifest(entry("a.pdf", b"a")))
    sums = tmp_path / "SHA256SUMS"
    sums.write_text(sums.read_text().replace("a.pdf", "b.pdf"))
    assert [p.message for p in verify(tmp_path)] == ["line 1 (b.pdf) does not match the manifest"]


def test_merge_joins_sorts_and_checks(tmp_path: Path) -> None:
    one = manifest(entry("x-1.0-ru.pdf", b"r"))
    two = {**manifest(entry("x-1.0-en.pdf", b"e"), entry("x-1.0-ru.pdf", b"r")), "created": "2026-01-02T00:00:00Z"}
    merged = merge([one, two])
    jsonschema.validate(merged, schema())
    assert [e["file"] for e in merged["outputs"]] == ["x-1.0-en.pdf", "x-1.0-ru.pdf"]
    assert merged["created"] == "2026-01-02T00:00:00Z"
    with pytest.raises(UsageError, match="disagree on 'version'"):
        merge([one, manifest(version="2.0")])
    with pytest.raises(UsageError, match="two different files named x-1.0-ru.pdf"):
        merge([one, manifest(entry("x-1.0-ru.pdf", b"other"))])


def test_schema_rejects_a_wrong_manifest() -> None:
    bad = manifest({**entry("x.pdf", b""), "sha256": "nothex"})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema())
    jsonschema.Draft202012Validator.check_schema(schema())


def test_merge_waits_for_a_build_holding_the_folder_s_lock(tmp_path: Path) -> None:
    """`pubpipe manifest merge -o build` writes under build/.lock, as a build does: while another process
    holds it, the merge says so in one line, as `pubpipe build` does, writes nothing, and waits."""
    part = tmp_path / "part.json"
    part.write_text(json.dumps(manifest(entry("x-1.0-en.pdf", b"pdf"))), encoding="utf-8")
    build = tmp_path / "build"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys\nfrom pathlib import Path\nfrom pubpipe.building.lock import build_lock\n"
        f"with build_lock(Path({str(build)!r})):\n    print('held', flush=True)\n    sys.stdin.readline()\n")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline().strip() == "held"
        merging = subprocess.Popen([sys.executable, "-c", "from pubpipe.cli import main; main()", "manifest", "merge",
                                    str(part), "-o", str(build)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
        assert merging.stderr is not None
        waiting = merging.stderr.readline().strip()
        assert waiting == (f"pubpipe: another pubpipe build is running in this project (pid {holder.pid}); "
                           "waiting for it to finish")
        assert merging.poll() is None and not (build / "manifest.json").exists()
    finally:
        holder.stdin.write("done\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    _, err = merging.communicate(timeout=60)
    assert merging.returncode == 0 and err == "", err
    assert json.loads((build / "manifest.json").read_text(encoding="utf-8"))["outputs"][0]["file"] == "x-1.0-en.pdf"
    assert (build / "SHA256SUMS").read_text(encoding="utf-8").endswith("  x-1.0-en.pdf\n")
    assert not list(build.glob(".*.part"))  # written through files.write_atomic: no temporary left
