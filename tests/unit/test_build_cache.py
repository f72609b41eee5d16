"""Cache keys, the result store and the build lock, without running a build."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from pubpipe.backends.base import Styles, load_backend
from pubpipe.building.cache import BuildCache, JobRecord, Produced
from pubpipe.building.files import file_sha256
from pubpipe.building.hashing import Hasher
from pubpipe.building.jobs import warm_modules
from pubpipe.building.keys import KeyInputs, edition_key, edition_title, job_key
from pubpipe.building.lock import build_lock
from pubpipe.reading.project import load_project
from tests.conftest import copy_project


def inputs_for(root: Path) -> KeyInputs:
    return KeyInputs(load_project(root), "code", "", Styles.for_project(root), {})


def all_keys(root: Path) -> dict[str, str]:
    """Every job key of the article, by `lang/format`."""
    inputs = inputs_for(root)
    project = inputs.project
    titles = {lang: edition_title(project, lang) for lang in project.languages}
    keys = {}
    for lang in project.languages:
        edition = edition_key(inputs, lang, titles)
        for name in ("html", "pdf", "epub"):
            keys[f"{lang}/{name}"] = job_key(inputs, edition, [], load_backend(name))
    return keys


@pytest.fixture
def article(tmp_path: Path) -> Path:
    return copy_project("article", tmp_path)


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {job for job in before if before[job] != after[job]}


def test_parts_are_framed() -> None:
    assert Hasher().text("ab").text("c").hexdigest() != Hasher().text("a").text("bc").hexdigest()


def test_keys_are_stable(article: Path) -> None:
    assert all_keys(article) == all_keys(article)


def test_russian_text_changes_only_russian_keys(article: Path) -> None:
    before = all_keys(article)
    path = article / "source" / "ru" / "article.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nЕщё один абзац.\n", encoding="utf-8")
    assert changed(before, all_keys(article)) == {"ru/html", "ru/pdf", "ru/epub"}


def test_a_title_reaches_the_other_editions(article: Path) -> None:
    """The language switcher shows the other editions' titles, so a title change rebuilds them too."""
    before = all_keys(article)
    path = article / "source" / "en" / "article.md"
    text = path.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    path.write_text(text.replace(title, 'title: "Another title"', 1), encoding="utf-8")
    assert changed(before, all_keys(article)) == {f"{lang}/{fmt}" for lang in ("en", "ru")
                                                  for fmt in ("html", "pdf", "epub")}


def layout_readers() -> set[str]:
    """Formats whose output follows the PDF layout (the EPUB's page list, issue 4) and so reads print.css."""
    return {name for name in ("html", "epub") if "print.css" in getattr(load_backend(name), "layout_styles", ())}


PRINT = {"en/pdf", "ru/pdf"} | {f"{lang}/{fmt}" for lang in ("en", "ru") for fmt in layout_readers()}


@pytest.mark.parametrize(("name", "jobs"), [
    ("print.css", PRINT),
    ("epub.css", {"en/epub", "ru/epub"}),
    ("html.css", {"en/html", "ru/html"}),
    ("base.css", {f"{lang}/{fmt}" for lang in ("en", "ru") for fmt in ("html", "pdf", "epub")}),
    ("print-extra.css", PRINT),
])
def test_a_stylesheet_changes_the_formats_that_use_it(article: Path, name: str, jobs: set[str]) -> None:
    before = all_keys(article)
    with (article / "styles" / name).open("a", encoding="utf-8") as css:
        css.write("\np { widows: 3; }\n")
    assert changed(before, all_keys(article)) == jobs


def test_a_project_template_changes_only_its_format(article: Path) -> None:
    before = all_keys(article)
    (article / "templates" / "epub").mkdir(parents=True)
    (article / "templates" / "epub" / "chapter.xhtml").write_text("{{ section }}", encoding="utf-8")
    assert changed(before, all_keys(article)) == {"en/epub", "ru/epub"}


def test_the_reproducible_time_and_options_are_in_the_key(article: Path) -> None:
    inputs = inputs_for(article)
    backend = load_backend("pdf")
    plain = job_key(inputs, "e", [], backend)
    timed = KeyInputs(inputs.project, "code", "2026-01-01T00:00:00+00:00", inputs.styles, {})
    variant = KeyInputs(inputs.project, "code", "", inputs.styles, {"pdf_variant": "pdf/ua-1"})
    assert len({plain, job_key(timed, "e", [], backend), job_key(variant, "e", [], backend)}) == 3


def test_store_check_and_restore(tmp_path: Path) -> None:
    build = tmp_path / "build"
    (build / "en").mkdir(parents=True)
    output = build / "en" / "book.pdf"
    output.write_bytes(b"%PDF-1.7 first")
    cache = BuildCache(build)
    record = JobRecord(Produced("en/book.pdf", file_sha256(output) or ""), (), 3)
    cache.store("k1", record)
    assert cache.record("k1") == record and cache.record("k2") is None
    assert cache.is_current(record)
    output.write_bytes(b"%PDF-1.7 edited by hand")
    assert not cache.is_current(record)
    assert cache.restore(record) and output.read_bytes() == b"%PDF-1.7 first"
    for stored in (build / ".cache" / "objects").rglob("*"):
        if stored.is_file():
            stored.unlink()
    output.unlink()
    assert not cache.restore(record)  # the object is gone: the job has to run again


def test_a_damaged_record_means_not_cached(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "build")
    (tmp_path / "build" / ".cache" / "jobs").mkdir(parents=True)
    (tmp_path / "build" / ".cache" / "jobs" / "k.json").write_text("{not json", encoding="utf-8")
    assert cache.record("k") is None


def test_the_lock_makes_a_second_build_wait(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\nfrom pathlib import Path\nfrom pubpipe.building.lock import build_lock\n"
        f"with build_lock(Path({str(tmp_path / 'build')!r})):\n    print('held', flush=True)\n    time.sleep(1.5)\n")],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    messages: list[str] = []
    start = time.monotonic()
    with build_lock(tmp_path / "build", messages.append):
        waited = time.monotonic() - start
    holder.wait(timeout=30)
    assert len(messages) == 1 and f"pid {holder.pid}" in messages[0]
    assert waited > 0.5


def test_workers_import_the_engines_the_backends_name() -> None:
    assert set(warm_modules([load_backend("pdf"), load_backend("epub")])) >= {"weasyprint", "ebooklib"}


def test_an_epub_shares_its_edition_s_layout_when_the_workers_are_busy_anyway(article: Path) -> None:
    from pubpipe.backends.base import installed_backends
    from pubpipe.building.builder import Builder
    from pubpipe.building.plan import BuildOptions, Job, plan

    project = load_project(article)
    options = BuildOptions()
    builder = Builder(project, options, plan(project, options), lambda output: None, installed_backends())
    jobs = [Job("en", name) for name in ("html", "pdf", "epub")]
    assert load_backend("epub").layout_from == "pdf"
    shared = builder.tasks(jobs, share=True)
    assert shared == [[Job("en", "epub"), Job("en", "pdf")], [Job("en", "html")]]
    assert builder.tasks(jobs, share=False) == [[Job("en", "pdf")], [Job("en", "epub")], [Job("en", "html")]]


def du_bytes(root: Path) -> int:
    """What `du -sb root` says: the st_size of *root*, of every folder and of every file under it."""
    return sum(path.lstat().st_size for path in (root, *root.rglob("*")))


def test_prune_keeps_what_build_holds_and_the_newest_of_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Versions 1..5 of one output, 1 MiB each; the cache may hold 3 × the 1 MiB in build/, folders included."""
    import os

    import pubpipe.building.cache

    monkeypatch.setattr(pubpipe.building.cache, "CACHE_FLOOR", 0)
    build = tmp_path / "build"
    output = build / "en" / "book.pdf"
    output.parent.mkdir(parents=True)
    for version in range(1, 6):
        output.write_bytes(bytes([version]) * (1 << 20))
        cache = BuildCache(build)
        cache.store(f"k{version}", JobRecord(Produced("en/book.pdf", file_sha256(output) or ""), (), 1))
        path = build / ".cache" / "jobs" / f"k{version}.json"
        os.utime(path, (1_000_000 + version, 1_000_000 + version))  # stored one after another
    output.write_bytes(bytes([2]) * (1 << 20))  # build/ now holds version 2 (an edit undone)
    fresh = BuildCache(build)
    fresh.prune({"en/book.pdf": file_sha256(output) or ""})
    kept = sorted(p.stem for p in (build / ".cache" / "jobs").glob("*.json"))
    # What build/ holds, then the newest that fits: a third copy would pass 3 MiB with the records and
    # the cache's folders (.cache, jobs/, objects/: 4096 bytes each on ext4), as du counts them.
    assert kept == ["k2", "k5"]
    assert du_bytes(build / ".cache") <= 3 * output.stat().st_size
    objects = list((build / ".cache" / "objects").iterdir())
    assert len(objects) == 2 and all(p.is_file() for p in objects)  # flat: objects/<sha256>
    assert fresh.record("k1") is None and fresh.record("k5") is not None


def test_folders_count_against_the_bound(tmp_path: Path) -> None:
    """Outputs as big as the cache's folders: by the files alone an older version fits in 3 ×, but not
    once the folders count (as du counts them: 4096 bytes each on ext4)."""
    build = tmp_path / "build"
    output = build / "en" / "page.html"
    output.parent.mkdir(parents=True)
    for name in ("jobs", "objects"):
        (build / ".cache" / name).mkdir(parents=True)
    folders = sum(p.stat().st_size for p in (build / ".cache", *(build / ".cache").iterdir()))
    if folders < 1000:  # two records' bytes
        pytest.skip(f"folders of {folders} bytes on this file system: too small to tell")
    for version in (1, 2):
        output.write_bytes(bytes([version]) * folders)
        BuildCache(build).store(f"k{version}", JobRecord(Produced("en/page.html", file_sha256(output) or ""), ()))
    BuildCache(build).prune({"en/page.html": file_sha256(output) or ""})
    assert sorted(p.stem for p in (build / ".cache" / "jobs").glob("*.json")) == ["k2"]


def test_an_older_sharded_cache_is_cleared_and_rebuilt(tmp_path: Path) -> None:
    """objects/ab/<sha> and subsets/ab/<key> (the layout before the flat one): pruned, and their records
    restore nothing (the job runs again) instead of being misread."""
    build = tmp_path / "build"
    output = build / "en" / "book.pdf"
    output.parent.mkdir(parents=True)
    output.write_bytes(b"%PDF-1.7 old")
    sha = file_sha256(output) or ""
    cache = BuildCache(build)
    record = JobRecord(Produced("en/book.pdf", sha), ())
    cache.store("old", record)
    sharded = build / ".cache" / "objects" / sha[:2] / sha
    sharded.parent.mkdir()
    (build / ".cache" / "objects" / sha).rename(sharded)
    subset = build / ".cache" / "subsets" / "ab" / ("ab" + "0" * 62)
    subset.parent.mkdir(parents=True)
    subset.write_bytes(b"font")
    output.unlink()
    assert not cache.restore(record)
    removed = BuildCache(build).prune({})
    assert removed >= len(b"%PDF-1.7 old") + len(b"font")
    assert not sharded.parent.exists() and not subset.parent.exists()
    assert cache.record("old") is None  # its object is gone: the record went too


def test_a_preview_prepares_an_unchanged_edition_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`pubpipe serve` builds the HTML, then the PDF, of the same text: the second build takes the edition
    the first prepared (options.prepared), and prepares it again after an edit or when an image changes."""
    from pubpipe.building.build import build
    from pubpipe.building.plan import BuildOptions, PreparedEditions
    from pubpipe.reading import prepare
    from pubpipe.reading.project import load_project
    from tests.unit.markdown_edition import write_project

    image = (Path(__file__).parents[1] / "projects" / "book" / "source" / "en" / "images" / "square.png").read_bytes()
    root = write_project(tmp_path, "# Title\n\nText.\n\n![A plan](plan.png)\n", files={"en/plan.png": image})
    prepared = PreparedEditions()
    calls: list[str] = []
    real = prepare.prepare_edition

    def counted(project: object, lang: str, *args: object, **kwargs: object) -> object:
        calls.append(lang)
        return real(project, lang, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(prepare, "prepare_edition", counted)

    def again() -> bytes:
        build(load_project(root), BuildOptions(formats=("html",), jobs=1, force=True, prepared=prepared))
        return (root / "build" / "en" / "case.html").read_bytes()

    first = again()
    assert again() == first and len(calls) == 1
    (root / "source" / "en" / "text.md").write_text("# Title\n\nText, edited.\n\n![A plan](plan.png)\n")
    assert b"Text, edited." in again() and len(calls) == 2
    (root / "source" / "en" / "plan.png").write_bytes(image + b"\0")
    again()
    assert len(calls) == 3


def test_the_font_skeleton_keeps_what_the_glyph_check_reads() -> None:
    """The edition key hashes the stylesheets' font skeleton: the stacks css_stacks finds in it are the
    stylesheets' own; a colour leaves it as it is, a family or a selector changes it."""
    from pubpipe.backends.render.fonts import STYLESHEETS, css_stacks, font_skeleton

    css = Styles.for_project(Path(__file__).parents[2]).css(STYLESHEETS)
    assert css_stacks(font_skeleton(css)) == css_stacks(css) and len(css_stacks(css)) >= 3
    rule = 'p.note { color: red; font-size: 9pt; font-family: "PT Serif", serif }'
    assert font_skeleton(rule) == font_skeleton(rule.replace("red", "blue").replace("9pt", "8pt"))
    assert font_skeleton(rule) != font_skeleton(rule.replace("PT Serif", "Noto Serif"))
    assert font_skeleton(rule) != font_skeleton(rule.replace("p.note", "p.aside"))
