"""`pubpipe build --release`, `pubpipe verify` and `pubpipe manifest merge` on a real build."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from pubpipe.cli import main
from pubpipe.release import schema


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new project released once as version 1.0 (the real validators run)."""
    root = tmp_path_factory.mktemp("release") / "book"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(root), "--title", "Release Test"]).exit_code == 0
    result = runner.invoke(main, ["build", "-C", str(root), "--release", "--version-label", "1.0"])
    assert result.exit_code == 0, result.output
    return root


def test_release_names_manifest_and_sums(released: Path) -> None:
    build = released / "build"
    names = ["release-test-1.0-en.epub", "release-test-1.0-en.html.zip", "release-test-1.0-en.pdf"]
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    jsonschema.validate(manifest, schema())
    assert [entry["file"] for entry in manifest["outputs"]] == names
    assert manifest["version"] == "1.0" and manifest["slug"] == "release-test"
    by_format = {entry["format"]: entry for entry in manifest["outputs"]}
    assert by_format["pdf"]["pages"] >= 1
    assert [v["tool"] for v in by_format["epub"]["validation"]] == ["epubcheck"]
    assert by_format["epub"]["validation"][0]["passed"] is True
    assert [v["tool"] for v in by_format["html"]["validation"]] == ["nu-html-checker"]
    assert set(by_format["pdf"]["tools"]) >= {"pubpipe", "pandoc", "weasyprint", "ebooklib"}
    sums = (build / "SHA256SUMS").read_text(encoding="utf-8")
    # The same format `sha256sum -c` reads: the system tool agrees with the manifest.
    done = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=build, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sums.count("\n") == 3


def test_verify_passes_then_fails_after_one_byte(released: Path, tmp_path: Path, runner: CliRunner) -> None:
    build = tmp_path / "build"
    shutil.copytree(released / "build", build)
    ok = runner.invoke(main, ["verify", str(build), "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output) == {"ok": True, "checked": 3, "problems": []}

    pdf = build / "release-test-1.0-en.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))
    bad = runner.invoke(main, ["verify", str(build)])
    assert bad.exit_code == 1
    assert "release-test-1.0-en.pdf: error R100: sha256 differs from the manifest" in bad.output

    pdf.unlink()
    gone = runner.invoke(main, ["verify", str(build), "--json"])
    assert gone.exit_code == 1
    assert json.loads(gone.output)["problems"] == [{"file": "release-test-1.0-en.pdf", "message": "missing"}]


def test_verify_without_a_manifest_is_one_line(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["verify", str(tmp_path)])
    assert result.exit_code == 2 and "error R102" in result.output and "Traceback" not in result.output


def test_release_needs_a_version(tmp_path: Path, runner: CliRunner) -> None:
    root = tmp_path / "book"
    assert runner.invoke(main, ["init", str(root)]).exit_code == 0
    result = runner.invoke(main, ["build", "-C", str(root), "--release"])
    assert result.exit_code == 2 and "error U109" in result.output
    assert not (root / "build" / "manifest.json").exists()


def test_release_version_from_git_tag(tmp_path: Path, runner: CliRunner) -> None:
    root = tmp_path / "book"
    assert runner.invoke(main, ["init", str(root)]).exit_code == 0
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "start"], check=True)
    subprocess.run([*git, "tag", "v2.3"], check=True)
    result = runner.invoke(main, ["build", "-C", str(root), "--release", "-f", "pdf", "--json"])
    assert result.exit_code == 0, result.output
    assert (root / "build" / "my-publication-v2.3-en.pdf").is_file()
    # --json carries the release manifest beside the outputs, for CI.
    report = json.loads(result.output)
    assert report["ok"] and report["release"]["version"] == "v2.3"
    assert [e["file"] for e in report["release"]["outputs"]] == ["my-publication-v2.3-en.pdf"]


def test_matrix_parts_merge_into_one_manifest(tmp_path: Path, runner: CliRunner) -> None:
    """Two machines each release one format; the merged manifest verifies over the joined files."""
    root = tmp_path / "book"
    assert runner.invoke(main, ["init", str(root), "--title", "Matrix"]).exit_code == 0
    parts = []
    for fmt in ("pdf", "epub"):
        result = runner.invoke(main, ["build", "-C", str(root), "--release", "--version-label", "3", "-f", fmt])
        assert result.exit_code == 0, result.output
        part = tmp_path / f"part-{fmt}"
        shutil.copytree(root / "build", part, ignore=shutil.ignore_patterns("en"))
        parts.append(part)
        shutil.rmtree(root / "build")
    joined = tmp_path / "joined"
    joined.mkdir()
    for part in parts:
        for file in part.glob("matrix-3-*"):
            shutil.copy(file, joined)
    merged = runner.invoke(main, ["manifest", "merge", *(str(p / "manifest.json") for p in parts),
                                  "-o", str(joined)])
    assert merged.exit_code == 0, merged.output
    manifest = json.loads((joined / "manifest.json").read_text(encoding="utf-8"))
    jsonschema.validate(manifest, schema())
    assert [e["file"] for e in manifest["outputs"]] == ["matrix-3-en.epub", "matrix-3-en.pdf"]
    assert runner.invoke(main, ["verify", str(joined)]).exit_code == 0


def test_release_is_reproducible(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """With SOURCE_DATE_EPOCH, two releases list the same checksums (the HTML zip included)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path / "book"
    assert runner.invoke(main, ["init", str(root)]).exit_code == 0
    sums = []
    for _ in range(2):
        result = runner.invoke(main, ["build", "-C", str(root), "--release", "--version-label", "2", "-f", "html",
                                      "--force"])
        assert result.exit_code == 0, result.output
        sums.append((root / "build" / "SHA256SUMS").read_text(encoding="utf-8"))
        manifest = json.loads((root / "build" / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["created"] == "2023-11-14T22:13:20Z"
    assert sums[0] == sums[1] and "my-publication-2-en.html.zip" in sums[0]
