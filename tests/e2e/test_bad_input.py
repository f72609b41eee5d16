"""Bad input: each gets one line `file:line:col: error CODE: …; hint`, a non-zero exit, no traceback,
and leaves the previous outputs in build/ byte-for-byte as they were; a build says every problem at once."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PROJECTS, PUBPIPE

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}

CONFIG = """\
slug: tiny
identifier: urn:uuid:0f9a3c52-8d36-4a8e-9a43-6a3cbbd3c0de
title: A Tiny Book
authors: [Ada Example]
language: en
rights: CC BY 4.0
editions:
  - lang: en
  - lang: ru
"""
# Line numbers matter: tests point at them.
ARTICLE_EN = """\
---
description: A tiny text for bad-input tests.
---

# Opening {#start}

Some text with a [link to the end](#the-end) and to [the Russian edition](../ru/article.md).

![A red square](images/square.png)

# The end

Last words.
"""
ARTICLE_RU = """\
# Начало

Немного текста.
"""


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PUBPIPE, "build", "-C", str(root), *args], capture_output=True, text=True,
                          env=env or ENV, timeout=300, check=False)


def snapshot(root: Path) -> dict[str, str]:
    """sha256 of every output under build/ (the build's own hidden lock and cache files left aside)."""
    build = root / "build"
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(build.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(build).parts)}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny two-edition project, built once successfully in every format."""
    root = tmp_path_factory.mktemp("tiny") / "tiny"
    (root / "source" / "en" / "images").mkdir(parents=True)
    (root / "source" / "ru").mkdir(parents=True)
    (root / "source" / "publication.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "source" / "en" / "article.md").write_text(ARTICLE_EN, encoding="utf-8")
    (root / "source" / "ru" / "article.md").write_text(ARTICLE_RU, encoding="utf-8")
    shutil.copyfile(PROJECTS / "book" / "source" / "en" / "images" / "square.png",
                    root / "source" / "en" / "images" / "square.png")
    done = run(root)
    assert done.returncode == 0, done.stderr
    assert len(snapshot(root)) >= 6
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project, previous outputs included."""
    root = tmp_path / "tiny"
    shutil.copytree(built, root, symlinks=True)
    return root


def edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        file = root / path
        text = file.read_text(encoding="utf-8")
        assert old in text, old
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def write(path: str, data: bytes) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        (root / path).write_bytes(data)
    return change


def symlink_image(root: Path) -> None:
    outside = root.parent / "outside.png"
    shutil.copyfile(root / "source/en/images/square.png", outside)
    (root / "source/en/images/evil.png").symlink_to(outside)
    edit("source/en/article.md", "images/square.png", "images/evil.png")(root)


def remove_folder(root: Path) -> None:
    shutil.rmtree(root / "source" / "ru")


EN = "source/en/article.md"
YAML = "source/publication.yaml"

# (id, change, extra arguments, exit code, code, the place and words the line must show)
CASES = [
    ("yaml-syntax", edit(YAML, "title: A Tiny Book", "title: A: Tiny: Book"), (), 1, "C101", f"{YAML}:3:"),
    ("yaml-wrong-type", edit(YAML, "authors: [Ada Example]", "authors: 5"), (), 1, "C104", f"{YAML}:4:"),
    ("yaml-unknown-key", edit(YAML, "title:", "titel:"), (), 1, "C103", "did you mean 'title'"),
    ("yaml-missing-required", edit(YAML, "rights: CC BY 4.0\n", ""), (), 1, "C105", "'rights' is missing"),
    ("yaml-not-mapping", write(YAML, b"- just\n- a list\n"), (), 1, "C104", f"{YAML}:1:"),
    ("yaml-not-utf8", write(YAML, b"slug: tiny\ntitle: \xff\xfe\n"), (), 1, "C102", "byte 18"),
    ("front-matter-yaml", edit(EN, "description: A tiny", "description: [A tiny"), (), 1, "S102", f"{EN}:"),
    ("not-utf8", write(EN, ARTICLE_EN.encode("utf-8").replace(b"Last words.", b"Last \xe9 words.")), (), 1,
     "S101", f"{EN}:13: error S101: not valid UTF-8 (byte {ARTICLE_EN.encode().index(b'Last words.') + 5}, line 13)"),
    ("empty-document", write(EN, b"---\ntitle: Empty\n---\n\n"), (), 1, "S104", f"{EN}:1:"),
    ("lang-not-bcp47", edit(YAML, "- lang: ru", "- lang: russian_1"), (), 1, "C107", f"{YAML}:9:"),
    ("edition-no-folder", remove_folder, (), 1, "C109", "source/ru/"),
    ("image-missing", edit(EN, "images/square.png", "images/map.png"), (), 1, "P012",
     f"{EN}:9:1: error P012: image 'images/map.png' not found (looked in source/en/images/)"),
    ("image-dotdot", edit(EN, "images/square.png", "../../../../../../etc/passwd"), (), 1, "P014", f"{EN}:9:1:"),
    ("image-absolute", edit(EN, "images/square.png", "/etc/passwd"), (), 1, "P014", f"{EN}:9:1:"),
    ("image-symlink-outside", symlink_image, (), 1, "P014", f"{EN}:9:1:"),
    ("image-url", edit(EN, "images/square.png", "file:///etc/passwd"), (), 1, "P013", f"{EN}:9:1:"),
    ("image-fake", write("source/en/images/square.png", b"GIF89a not a png"), (), 1, "P015", f"{EN}:9:1:"),
    ("anchor-missing", edit(EN, "#the-end", "#the-middle"), (), 1, "P020", f"{EN}:7:"),
    ("anchor-near-strict", edit(EN, "#the-end", "#the-end-of-it"), ("--strict",), 1, "P024", f"{EN}:7:"),
    ("file-link-outside-strict", edit(EN, "(#the-end)", "(notes.txt)"), ("--strict",), 1, "P021", f"{EN}:7:"),
    ("edition-link-missing", edit(EN, "../ru/article.md", "../de/article.md"), (), 1, "P023", f"{EN}:7:"),
    ("duplicate-id-strict", edit(EN, "# The end", "# The end {#start}"), ("--strict",), 1, "P022", f"{EN}:11:1:"),
    # A raw <img> of a web image is the text's image: H101 like ![](https://…) (it was P030, left out).
    ("remote-raw-html-strict", edit(EN, "Last words.", 'Last <img src="https://example.org/t.png"> words.'),
     ("--strict",), 1, "H101", f"{EN}:13:"),
    ("unknown-format", lambda root: None, ("-f", "mobi"), 2, "U101", "unknown format 'mobi'; choose from: "),
    ("unknown-language", lambda root: None, ("-l", "de"), 2, "U102", "choose from: en, ru"),
    ("bad-template", write("templates/html/page.html", b"{{ no_such_value }}"), (), 1, "B100", "Jinja2 failed"),
]


@pytest.mark.parametrize("change, args, exit_code, code, shown",
                         [pytest.param(*case[1:], id=case[0]) for case in CASES])
def test_bad_input(project: Path, change: Callable[[Path], None], args: tuple[str, ...], exit_code: int,
                   code: str, shown: str) -> None:
    before = snapshot(project)
    (project / "templates" / "html").mkdir(parents=True, exist_ok=True)
    change(project)
    done = run(project, *args)
    assert done.returncode == exit_code, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    lines = [line for line in done.stderr.splitlines() if f"error {code}:" in line]
    assert lines, done.stderr
    assert shown in done.stderr
    assert "; " in lines[0]  # every error line carries a hint
    assert snapshot(project) == before


def test_every_problem_in_one_run_sorted_by_place(project: Path) -> None:
    """Errors and warnings of both editions come in one run, one line each, sorted by file and line;
    with an error nothing is written."""
    before = snapshot(project)
    edit(EN, "images/square.png", "images/map.png")(project)
    edit(EN, "(#the-end)", "(#the-middle)")(project)
    edit(EN, "Last words.", "Last words, see [the notes](notes.txt) and [more](#nowhere).")(project)
    edit("source/ru/article.md", "Немного текста.", "Немного [текста](#нет).")(project)
    done = run(project)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if not line.startswith("pubpipe:")]
    assert [line.split(": ")[1].split(" ")[1] for line in lines] == ["P020", "P012", "P021", "P020", "P020"]
    places = [line.split(": ")[0] for line in lines]
    assert places[:4] == [f"{EN}:7:18", f"{EN}:9:1", f"{EN}:13:17", f"{EN}:13:44"]
    assert places[4].startswith("source/ru/article.md:3:")
    assert "pubpipe: build failed: 4 errors, 1 warning; nothing was written" in done.stderr
    assert snapshot(project) == before


def test_no_project(tmp_path: Path) -> None:
    done = run(tmp_path)
    assert done.returncode == 1
    assert "error C100: no project found" in done.stderr and "Traceback" not in done.stderr


def test_debug_shows_the_traceback(project: Path) -> None:
    edit(EN, "images/square.png", "images/map.png")(project)
    done = run(project, "--debug")
    assert done.returncode != 0 and "Traceback" in done.stderr
    assert "SourceError: image 'images/map.png' not found" in done.stderr


def test_json_reports_errors_and_outputs(project: Path) -> None:
    edit(YAML, "title:", "titel:")(project)
    edit(YAML, "authors: [Ada Example]", "authors: 5")(project)
    done = run(project, "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["ok"] is False
    found = {(d["code"], d["file"], d["line"]) for d in report["diagnostics"]}
    assert ("C103", YAML, 3) in found and ("C104", YAML, 4) in found
    assert all(d["severity"] == "error" and d["hint"] for d in report["diagnostics"])


def test_duplicate_ids_warn_and_stay_unique(project: Path) -> None:
    edit(EN, "# The end", "# The end {#start}")(project)
    edit(EN, "#the-end", "#start")(project)
    done = run(project, "--json", "-l", "en")
    assert done.returncode == 0, done.stdout
    report = json.loads(done.stdout)
    warning = [d for d in report["diagnostics"] if d["code"] == "P022"]
    assert warning and warning[0]["severity"] == "warning" and (warning[0]["file"], warning[0]["line"]) == (EN, 11)
    assert {o["format"] for o in report["outputs"]} == {"html", "pdf", "epub"}
    from lxml import html as lxml_html

    page = lxml_html.parse(str(project / "build/en/tiny.html")).getroot()
    ids = [element.get("id") for element in page.iter() if isinstance(element.tag, str) and element.get("id")]
    assert len(ids) == len(set(ids)) and "start" in ids and "start-2" in ids


def test_pandoc_missing(project: Path) -> None:
    before = snapshot(project)
    done = run(project, "--force", env={**ENV, "PUBPIPE_PANDOC": str(project / "no-such-pandoc")})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "error D101: pandoc not found at" in done.stderr and "pip install pypandoc-binary" in done.stderr
    assert snapshot(project) == before


def test_pandoc_failing(project: Path) -> None:
    fake = project / "broken-pandoc"
    fake.write_text("#!/bin/sh\necho 'pandoc: out of memory' >&2\nexit 251\n", encoding="utf-8")
    fake.chmod(0o755)
    before = snapshot(project)
    done = run(project, "--force", env={**ENV, "PUBPIPE_PANDOC": str(fake)})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "error S103: pandoc failed (exit 251): pandoc: out of memory" in done.stderr
    assert snapshot(project) == before


def test_backend_missing(project: Path, tmp_path: Path) -> None:
    """A plugin registered for the entry-point group whose module is not installed: D102 with a hint."""
    site = tmp_path / "plugins"
    info = site / "pubpipe_docx-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: pubpipe-docx\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[pubpipe.backends]\ndocx = pubpipe_docx_missing:DocxBackend\n",
                                           encoding="utf-8")
    before = snapshot(project)
    env = {**ENV, "PYTHONPATH": str(site)}
    done = run(project, "-f", "docx", env=env)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "error D102: format 'docx' cannot be loaded" in done.stderr
    assert "pip install pubpipe_docx_missing" in done.stderr
    assert snapshot(project) == before
    # The other formats still build: a broken plugin breaks only its own format.
    assert run(project, "-f", "html", env=env).returncode == 0


def test_raw_html_outside_is_left_out(project: Path) -> None:
    edit(EN, "Last words.", 'Last words.\n\n<img src="file:///etc/passwd" alt="x">\n\n'
         '<p style="background: url(https://example.org/track.png)">Tracked</p>\n\n'
         '<a href="https://example.org/">a plain link stays</a>')(project)
    done = run(project, "--json", "-l", "en")
    assert done.returncode == 0, done.stdout
    report = json.loads(done.stdout)
    warnings = [d for d in report["diagnostics"] if d["code"] == "P030"]
    assert len(warnings) == 2 and {w["line"] for w in warnings} == {15, 17}
    assert "--allow-remote" in warnings[1]["hint"]
    html = (project / "build/en/tiny.html").read_text(encoding="utf-8")
    assert "file:///etc/passwd" not in html and "example.org/track.png" not in html
    assert 'href="https://example.org/"' in html
    with zipfile.ZipFile(project / "build/en/tiny.epub") as book:
        text = b"".join(book.read(name) for name in book.namelist())
    assert b"/etc/passwd" not in text and b"track.png" not in text
    pdf = (project / "build/en/tiny.pdf").read_bytes()
    assert b"root:x:0:0" not in pdf  # /etc/passwd was not read into the PDF
    # With --allow-remote the http(s) reference is kept; file:// never is.
    done = run(project, "--json", "-l", "en", "-f", "html", "--allow-remote")
    report = json.loads(done.stdout)
    assert [d["line"] for d in report["diagnostics"] if d["code"] == "P030"] == [15]
    assert "example.org/track.png" in (project / "build/en/tiny.html").read_text(encoding="utf-8")


MARKUP = "<script>alert(1)</script> & <b>bold</b>"


def test_metadata_markup_is_escaped(project: Path) -> None:
    edit(YAML, "title: A Tiny Book", f'title: "{MARKUP}"')(project)
    edit(YAML, "authors: [Ada Example]", 'authors: ["<img src=x onerror=alert(2)>"]')(project)
    done = run(project, "-l", "en")
    assert done.returncode == 0, done.stderr
    html = (project / "build/en/tiny.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<img src=x" not in html and "&lt;script&gt;" in html
    with zipfile.ZipFile(project / "build/en/tiny.epub") as book:
        for name in book.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx")):
                text = book.read(name).decode("utf-8")
                assert "<script>" not in text and "<img src=x" not in text, name
                from lxml import etree

                etree.fromstring(book.read(name))  # still well-formed XML
        opf = next(n for n in book.namelist() if n.endswith(".opf"))
        assert "&lt;script&gt;" in book.read(opf).decode("utf-8")
    from pypdf import PdfReader

    info = PdfReader(project / "build/en/tiny.pdf").metadata
    assert info is not None and info.title is not None
    assert "<script>" in info.title  # PDF metadata is a plain string: shown as text, never run
