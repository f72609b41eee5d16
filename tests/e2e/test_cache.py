"""The build cache through the installed command: exactly the right jobs rerun, and pandoc only when needed."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest

from tests.conftest import PUBPIPE, copy_project

ALL = {f"{lang}/{fmt}" for lang in ("en", "ru") for fmt in ("html", "pdf", "epub")}


@pytest.fixture(scope="module")
def code_snapshot(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment for running pubpipe from a copy of its code taken when this module starts.

    pubpipe's own code is part of every cache key (an edit to it must rebuild); the copy keeps
    edits made to the working tree while the tests run from invalidating the cache between two
    builds of one test. From a clean clone the copy is the same code.
    """
    import shutil

    import pubpipe

    target = tmp_path_factory.mktemp("code")
    shutil.copytree(Path(pubpipe.__file__).parent, target / "pubpipe", symlinks=False,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return {**os.environ, "PYTHONPATH": str(target), "SOURCE_DATE_EPOCH": "1700000000"}


def real_pandoc() -> str:
    import pypandoc

    return str(pypandoc.get_pandoc_path())


@pytest.fixture
def project(tmp_path: Path, code_snapshot: dict[str, str]) -> Path:
    """The article, copied, with a pandoc that writes its arguments to pandoc.log each time it runs."""
    return prepared(tmp_path, code_snapshot)


@pytest.fixture(scope="module")
def cold_build(tmp_path_factory: pytest.TempPathFactory, code_snapshot: dict[str, str]) -> Path:
    """The article built once for the module (a cold build costs the suite half a minute a test)."""
    folder = tmp_path_factory.mktemp("cold")
    root = prepared(folder, code_snapshot)
    build(root)
    return root


@pytest.fixture
def built(tmp_path: Path, cold_build: Path, code_snapshot: dict[str, str]) -> Path:
    """A copy of the article after its cold build, build/ and build/.cache included; pandoc.log starts empty."""
    import shutil

    root = prepared(tmp_path, code_snapshot)
    shutil.copytree(cold_build / "build", root / "build", symlinks=True)  # copy2: the times stay too
    return root


def prepared(folder: Path, code_snapshot: dict[str, str]) -> Path:
    """The article copied into *folder*, with a pandoc that logs its arguments to folder/pandoc.log."""
    root = copy_project("article", folder)
    wrapper = folder / "pandoc"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{folder / "pandoc.log"}"\nexec "{real_pandoc()}" "$@"\n')
    wrapper.chmod(0o755)
    (folder / "env.json").write_text(json.dumps({**code_snapshot, "PUBPIPE_PANDOC": str(wrapper)}))
    return root


def env(root: Path) -> dict[str, str]:
    """The environment the project fixture prepared: the code snapshot, the fixed date, the logging pandoc."""
    loaded: dict[str, str] = json.loads((root.parent / "env.json").read_text())
    return loaded


def build(root: Path, *args: str) -> tuple[dict[str, str], str]:
    """Run `pubpipe build --json`; the status of every output by `lang/format`, and the JSON text."""
    done = subprocess.run([PUBPIPE, "build", "-C", str(root), "--json", *args], capture_output=True, text=True,
                          env=env(root), timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    return {f"{o['edition']}/{o['format']}": o["status"] for o in report["outputs"]}, done.stdout


def pandoc_runs(root: Path, writing: bool = False) -> int:
    """How often pandoc parsed an edition (or, *writing*, wrote an output's HTML from the AST: `-f json`)."""
    log = root.parent / "pandoc.log"
    lines = log.read_text().splitlines() if log.exists() else []
    return sum(("-f json" in line) == writing for line in lines)


def ran(statuses: dict[str, str]) -> set[str]:
    return {job for job, status in statuses.items() if status == "built"}


def checksums(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "build").glob("*/*.*")}


def test_cold_build_runs_everything_and_parses_each_edition_once(project: Path) -> None:
    statuses, _ = build(project)
    assert ran(statuses) == ALL
    assert pandoc_runs(project) == 2  # two editions, three formats each: one pandoc run per edition
    assert pandoc_runs(project, writing=True) == 6  # and one per output to write its HTML


def test_nothing_changed_nothing_runs(built: Path) -> None:
    project = built
    before = checksums(project)
    statuses, _ = build(project)
    assert set(statuses.values()) == {"current"}
    assert pandoc_runs(project) == 0  # not even pandoc ran
    assert checksums(project) == before
    done = subprocess.run([PUBPIPE, "build", "-C", str(project)], capture_output=True, text=True, timeout=120,
                          env=env(project), check=False)
    assert done.returncode == 0 and done.stdout.strip() == "everything is up to date", done.stdout


def test_one_russian_paragraph_rebuilds_only_russian(built: Path) -> None:
    project = built
    article = project / "source" / "ru" / "article.md"
    text = article.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    index = next(i for i, p in enumerate(paragraphs) if len(p) > 200 and not p.startswith(("#", "-", ">")))
    paragraphs[index] += " Добавленное предложение."
    article.write_text("\n\n".join(paragraphs), encoding="utf-8")
    statuses, _ = build(project)
    assert ran(statuses) == {"ru/html", "ru/pdf", "ru/epub"}
    assert {statuses[j] for j in ALL - ran(statuses)} == {"current"}
    assert pandoc_runs(project) == 1  # the Russian edition parsed once more, the English not at all


def test_print_css_rebuilds_only_the_pdfs(built: Path) -> None:
    """The EPUBs read the PDF layout (their page list, issue 4), but they are rebuilt only if a page break moved."""
    project = built
    epubs = {p: p.read_bytes() for p in (project / "build").glob("*/*.epub")}
    with (project / "styles" / "print.css").open("a", encoding="utf-8") as css:
        css.write("\nh2 { color: #1a1a1a; }\n")  # a colour: the PDF changes, no page break moves
    statuses, _ = build(project)
    assert ran(statuses) == {"en/pdf", "ru/pdf"}
    assert {statuses["en/epub"], statuses["ru/epub"]} == {"current"}
    assert {p: p.read_bytes() for p in epubs} == epubs


def test_print_css_that_moves_page_breaks_rebuilds_the_epubs_too(built: Path) -> None:
    project = built
    with (project / "styles" / "print.css").open("a", encoding="utf-8") as css:
        css.write("\nbody { font-size: 14pt; }\n")
    statuses, _ = build(project)
    assert ran(statuses) == {"en/pdf", "ru/pdf", "en/epub", "ru/epub"}
    statuses, _ = build(project)
    assert not ran(statuses)


def test_epub_css_rebuilds_only_the_epubs(built: Path) -> None:
    project = built
    with (project / "styles" / "epub.css").open("a", encoding="utf-8") as css:
        css.write("\np { orphans: 3; }\n")
    statuses, _ = build(project)
    assert ran(statuses) == {"en/epub", "ru/epub"}


def test_force_runs_everything(built: Path) -> None:
    project = built
    statuses, _ = build(project, "--force")
    assert ran(statuses) == ALL


def test_outputs_come_back_from_the_cache_without_running_anything(built: Path) -> None:
    project = built
    article = project / "source" / "en" / "article.md"
    original = article.read_bytes()
    first = checksums(project)
    article.write_bytes(original.replace(b"\n\n", b"\n\nChanged. ", 1))
    assert ran(build(project)[0]) == {"en/html", "en/pdf", "en/epub"}
    article.write_bytes(original)  # undo the edit: the earlier outputs are still in build/.cache
    (project / "build" / "ru" / "socialism-didnt-fail.pdf").unlink()  # and a deleted output comes back
    runs = pandoc_runs(project)
    statuses, _ = build(project)
    assert not ran(statuses)
    assert {job for job, status in statuses.items() if status == "restored"} == {
        "en/html", "en/pdf", "en/epub", "ru/pdf"}
    assert pandoc_runs(project) == runs
    assert checksums(project) == first


def test_parallel_output_order_is_the_plan_order(project: Path) -> None:
    orders = []
    for jobs in ("1", "2", "2"):
        done = subprocess.run([PUBPIPE, "build", "-C", str(project), "--force", "-j", jobs], capture_output=True,
                              text=True, timeout=600, env=env(project), check=False)
        assert done.returncode == 0, done.stderr
        orders.append([line.split()[0] for line in done.stdout.splitlines()])
    expected = [f"build/{lang}/socialism-didnt-fail.{fmt}" for lang in ("en", "ru") for fmt in ("html", "pdf", "epub")]
    assert orders == [expected] * 3


def test_a_shared_layout_makes_the_same_files(project: Path) -> None:
    """-j 1 lays each edition out once for its PDF and EPUB; one edition per build on two workers, twice."""
    run = [PUBPIPE, "build", "-C", str(project), "--force"]
    assert subprocess.run([*run, "-j", "1"], env=env(project), capture_output=True, check=False).returncode == 0
    shared = checksums(project)
    for lang in ("en", "ru"):
        assert subprocess.run([*run, "-j", "2", "-l", lang], env=env(project), capture_output=True, check=False).returncode == 0
    assert checksums(project) == shared


def test_warnings_are_said_again_when_nothing_is_parsed(project: Path) -> None:
    """A no-op build reports the warnings of the editions it did not parse, and --strict still fails on them."""
    with (project / "source" / "en" / "article.md").open("a", encoding="utf-8") as article:
        article.write('\n\n<img src="https://example.org/x.png" alt="x">\n')
    run = [PUBPIPE, "build", "-C", str(project), "-f", "html"]
    first = subprocess.run(run, capture_output=True, text=True, env=env(project), timeout=300, check=False)
    again = subprocess.run(run, capture_output=True, text=True, env=env(project), timeout=300, check=False)
    strict = subprocess.run([*run, "--strict"], capture_output=True, text=True, env=env(project), timeout=300, check=False)
    assert first.returncode == 0 and "warning H101" in first.stderr
    assert again.stdout.strip() == "everything is up to date"
    assert again.stderr == first.stderr
    assert strict.returncode == 1 and "error H101" in strict.stderr
    assert pandoc_runs(project) == 2  # only the first build parsed


def test_twenty_edits_leave_a_bounded_cache(tmp_path: Path) -> None:
    """Twenty one-paragraph edits: build/.cache stays within 3 × the outputs, and still holds the last version."""
    from click.testing import CliRunner

    from pubpipe.cli import main

    root = copy_project("article", tmp_path)
    article = root / "source" / "en" / "article.md"
    paragraphs = article.read_text(encoding="utf-8").split("\n\n")
    index = next(i for i, p in enumerate(paragraphs) if len(p) > 200 and not p.startswith(("#", "-", ">")))
    run = ["build", "-C", str(root), "-l", "en", "-j", "1", "--json"]
    for number in range(1, 21):
        previous = article.read_bytes()
        paragraphs[index] += f" Edit {number}."
        article.write_text("\n\n".join(paragraphs), encoding="utf-8")
        result = CliRunner().invoke(main, run, env={"SOURCE_DATE_EPOCH": "1700000000"})
        assert result.exit_code == 0, result.output
        assert {o["status"] for o in json.loads(result.output)["outputs"]} == {"built"}

    # Measured as `du -sb build/.cache` and `du -sb --exclude=.cache build` do: files and folders
    # (a folder's own st_size, 4096 bytes on ext4), the starting folder included.
    def du(paths: Iterable[Path]) -> int:
        return sum(p.lstat().st_size for p in paths)

    build_dir = root / "build"
    outputs = du(p for p in (build_dir, *build_dir.rglob("*")) if ".cache" not in p.relative_to(build_dir).parts)
    cache = du((build_dir / ".cache", *(build_dir / ".cache").rglob("*")))
    assert cache <= 3 * outputs, (cache, outputs)
    # The version before the last edit is still there: going back to it copies, it does not build.
    article.write_bytes(previous)
    result = CliRunner().invoke(main, run, env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert {o["status"] for o in json.loads(result.output)["outputs"]} == {"restored"}, result.output
