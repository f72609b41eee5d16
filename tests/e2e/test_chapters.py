"""A book laid out chapter by chapter in parallel and joined is the book one layout gives, page by page."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from pubpipe.cli import main
from tests.conftest import copy_project


def build_pdf(root: Path, *arguments: str) -> Path:
    result = CliRunner().invoke(main, ["build", "-C", str(root), "-f", "pdf", "-j", "2", *arguments])
    assert result.exit_code == 0, result.output
    return root / "build" / "en" / "sample-book.pdf"


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch_module.setenv("SOURCE_DATE_EPOCH", "1700000000")
    single = build_pdf(copy_project("book", tmp_path_factory.mktemp("single")), "--pdf-layout", "single")
    chapters = build_pdf(copy_project("book", tmp_path_factory.mktemp("chapters")), "--pdf-layout", "chapters")
    return single, chapters


@pytest.fixture(scope="module")
def monkeypatch_module() -> pytest.MonkeyPatch:
    patch = pytest.MonkeyPatch()
    yield patch
    patch.undo()


def page_texts(pdf: Path) -> list[str]:
    """The text of every page as poppler reads it, laid out as on the page."""
    pages = len(PdfReader(pdf).pages)
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout for n in range(1, pages + 1)]


def outline(reader: PdfReader, items: list | None = None, level: int = 0) -> list[tuple[int, str, int | None]]:
    found: list[tuple[int, str, int | None]] = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            found += outline(reader, item, level + 1)
        else:
            found.append((level, item.title, reader.get_destination_page_number(item)))
    return found


def structure(reader: PdfReader) -> list[tuple[int, str, int | None]]:
    """The structure tree in document order: (depth, structure type, page index) of each element."""
    found: list[tuple[int, str, int | None]] = []

    def walk(element: DictionaryObject, depth: int) -> None:
        page = element.get("/Pg")
        found.append((depth, str(element["/S"]), reader.get_page_number(page.get_object()) if page else None))
        kids = element.get("/K")
        kids = kids.get_object() if kids is not None else []
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            kid = kid.get_object() if isinstance(kid, IndirectObject) else kid
            if isinstance(kid, DictionaryObject) and "/S" in kid:
                walk(kid, depth + 1)

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"][0].get_object(), 0)
    return found


def test_the_joined_pdf_is_the_single_layout_page_by_page(books: tuple[Path, Path]) -> None:
    single, chapters = books
    assert page_texts(chapters) == page_texts(single)
    one, joined = PdfReader(single), PdfReader(chapters)
    assert [joined.page_labels[i] for i in range(len(joined.pages))] == \
        [one.page_labels[i] for i in range(len(one.pages))] == [str(n) for n in range(1, len(one.pages) + 1)]
    assert outline(joined) == outline(one)
    # Links between chapters land where they land in one layout.
    assert {name: joined.get_destination_page_number(dest) for name, dest in joined.named_destinations.items()} == \
        {name: one.get_destination_page_number(dest) for name, dest in one.named_destinations.items()}
    assert joined.metadata.title == one.metadata.title and joined.metadata.author == one.metadata.author
    assert joined.trailer["/Root"]["/Lang"] == one.trailer["/Root"]["/Lang"]
    # The tagged structure: the same elements on the same pages, every page in the parent tree.
    assert structure(joined) == structure(one)
    assert len(structure(one)) > 100
    nums = joined.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    parents = {int(nums[i]): nums[i + 1].get_object() for i in range(0, len(nums), 2)}
    keys = [int(page["/StructParents"]) for page in joined.pages]
    assert len(set(keys)) == len(keys) and all(isinstance(parents[key], ArrayObject) for key in keys)
    # The subsets of a face share a font program where they agree glyph by glyph (pdfjoin._compatible);
    # in this 5-page book the pieces' subsets disagree more than they agree (a composite's part renumbered
    # after each subset's last glyph), and their programs weigh against 5 pages of text: 1.42 ×.
    assert chapters.stat().st_size <= 1.5 * single.stat().st_size


def test_the_contents_give_the_page_each_chapter_title_is_printed_on(books: tuple[Path, Path]) -> None:
    _, chapters = books
    pages = page_texts(chapters)
    contents = next(text for text in pages if "Contents" in text)
    entries = re.findall(r"^\s*(\S.*?)\s*(?:\. )+\s*(\d+)\s*$", contents, flags=re.MULTILINE)
    assert [title for title, _ in entries] == ["Opening", "Middle", "End"]
    for title, number in entries:
        page = pages[int(number) - 1]
        assert re.search(rf"^\s*{title}\s*$", page, flags=re.MULTILINE), (title, number, page[:300])
        # and each chapter begins a page of its own: its title is the first line under the running head
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[1] == title, lines[:3]


def test_a_build_on_a_dask_cluster_gives_the_same_bytes(monkeypatch_module: pytest.MonkeyPatch,
                                                        tmp_path_factory: pytest.TempPathFactory) -> None:
    """The chapters laid out by the workers of a Dask LocalCluster (processes on this machine only)."""
    from distributed import LocalCluster

    monkeypatch_module.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = copy_project("book", tmp_path_factory.mktemp("dask"))
    local = build_pdf(root, "--pdf-layout", "chapters").read_bytes()
    shutil.rmtree(root / "build")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        address = cluster.scheduler_address.removeprefix("tcp://")
        remote = build_pdf(root, "--pdf-layout", "chapters", "--executor", f"dask://{address}").read_bytes()
    assert remote == local


def test_an_edit_in_one_chapter_lays_out_that_chapter_only(tmp_path: Path) -> None:
    """With the build time the clock's (no SOURCE_DATE_EPOCH, no git), each edit inside the middle
    chapter lays out that chapter's piece again; the other chapters come from build/.cache/chapters/
    (the pieces leave the build time to the join). Edit after edit, the cache with those piece
    layouts stays within 3 × the outputs, counted as `du -sb` does: this short book's pieces repeat
    their fonts, and the one that does not fit is the front matter's first piece (its titles only),
    laid out again."""
    root = copy_project("book", tmp_path)
    run = ["build", "-C", str(root), "-f", "pdf", "-j", "1", "--pdf-layout", "chapters"]
    build_dir = root / "build"
    pieces = build_dir / ".cache" / "chapters"
    assert CliRunner().invoke(main, run, env={"SOURCE_DATE_EPOCH": None}).exit_code == 0
    middle = root / "source" / "en" / "02-middle.md"
    for number in range(1, 7):
        before = {path.name for path in pieces.glob("*.pickle")}
        middle.write_text(middle.read_text(encoding="utf-8").replace("on purpose", f"on purpose {number}"),
                          encoding="utf-8")
        result = CliRunner().invoke(main, run, env={"SOURCE_DATE_EPOCH": None})
        assert result.exit_code == 0, result.output
        laid_out = {path.name for path in pieces.glob("*.pickle")} - before
        assert 1 <= len(laid_out) <= 2, (number, laid_out)
        # The output's line says what was laid out again.
        said = re.search(r"\((\d+) of (\d+) chapter pieces laid out, (\d+) from the cache\)", result.output)
        assert said is not None and 1 <= int(said.group(1)) <= 2 and int(said.group(3)) >= 4, result.output

        def du(paths: Iterable[Path]) -> int:
            return sum(path.lstat().st_size for path in paths)

        outputs = du(p for p in (build_dir, *build_dir.rglob("*")) if ".cache" not in p.relative_to(build_dir).parts)
        cache = du((build_dir / ".cache", *(build_dir / ".cache").rglob("*")))
        assert cache <= 3 * outputs, (number, cache, outputs)
    pdf = build_dir / "en" / "sample-book.pdf"
    assert PdfReader(pdf).metadata["/CreationDate"].startswith("D:20")
    assert "on purpose 6 5 4 3 2 1." in " ".join(" ".join(page_texts(pdf)).split())
