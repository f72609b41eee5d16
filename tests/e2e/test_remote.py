"""Real-world Markdown: web images (badges), raw HTML that runs code, names in any script, in every format."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from pubpipe.release import check_html
from tests.conftest import PUBPIPE, epubcheck, fixable
from tests.imageserver import image_server, png_bytes

ENV = {name: value for name, value in os.environ.items() if "proxy" not in name.lower()}
ENV["SOURCE_DATE_EPOCH"] = "1767225600"

README = """\
# Überblick

[![Build](https://ci.example.org/x.svg)](https://ci.example.org/x) and ![Coverage 99%](https://ci.example.org/cov.png)

<p><a href="https://ci.example.org/y"><img src="https://ci.example.org/y.svg" alt="Raw badge"></a></p>

![My picture](images/my%20picture.png)

![Café terrace](<images/café.png>)

See [the overview](#überblick), [the review](#обзор), [in capitals](#Überblick),
[encoded](#%D0%BE%D0%B1%D0%B7%D0%BE%D1%80) and [GitHub's id](#1-install).

## Обзор

Text.

## 1. Install

Text.
"""


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PUBPIPE, *args[:1], "-C", str(root), *args[1:]], capture_output=True, text=True,
                          env=ENV, timeout=600, check=False)


def new_project(tmp_path: Path, text: str, config: str = "") -> Path:
    root = tmp_path / "book"
    created = subprocess.run([PUBPIPE, "init", str(root)], capture_output=True, text=True, env=ENV, timeout=300,
                             check=False)
    assert created.returncode == 0, created.stderr
    en = root / "source" / "en"
    for path in en.glob("*.md"):
        path.unlink()
    (en / "README.md").write_text(text, encoding="utf-8")
    (en / "chapter.md").write_text(text, encoding="utf-8")
    for name in ("my picture.png", "café.png"):
        (en / "images" / name).write_bytes(png_bytes((20, 90, 200)))
    yaml = root / "source" / "publication.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("- {lang: en}", "- {lang: en, files: [chapter.md]}")
                    + config, encoding="utf-8")
    return root


def warnings(done: subprocess.CompletedProcess[str], code: str) -> list[str]:
    return [line for line in done.stderr.splitlines() if f"warning {code}:" in line]


def pdf_links(path: Path) -> tuple[list[str], list[str], set[str]]:
    """The PDF's web links, its internal links' destination names, and the names it defines."""
    reader = PdfReader(path)
    uris, dests = [], []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            action = annot.get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
            elif action is not None and "/D" in action:
                dests.append(str(action["/D"]))
            elif "/Dest" in annot:
                dests.append(str(annot["/Dest"]))
    return uris, dests, set(reader.named_destinations)


def test_a_readme_with_badges_and_names_in_any_script(tmp_path: Path) -> None:
    root = new_project(tmp_path, README)
    done = run(root, "build")
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr and "Traceback" not in done.stderr
    h101 = warnings(done, "H101")
    assert len(h101) == 3, done.stderr
    assert h101[0].startswith("source/en/chapter.md:3:2: warning H101: web image 'https://ci.example.org/x.svg' "
                              "not fetched; its alt text is shown, linked to it; pass --allow-remote")
    assert "allow_remote: true" in h101[0]
    out = root / "build" / "en"

    page = lxml_html.parse(str(out / "my-publication.html")).getroot()
    # The badge's link stays the link, with the alt text; a lone image becomes a link to itself.
    assert page.xpath("//a[@href='https://ci.example.org/x'][normalize-space()='Build']")
    assert page.xpath("//a[@href='https://ci.example.org/cov.png'][normalize-space()='Coverage 99%']")
    assert page.xpath("//a[@href='https://ci.example.org/y'][normalize-space()='Raw badge']")
    assert not page.xpath("//a//a") and not page.xpath("//img[contains(@src, 'example.org')]")
    sources = page.xpath("//main//img/@src")
    assert sources == ["en/images/my%20picture.png", "en/images/caf%C3%A9.png"]
    assert (out / "en" / "images" / "my picture.png").is_file() and (out / "en" / "images" / "café.png").is_file()
    assert page.xpath("//h2[@id='überblick']") and page.xpath("//h3[@id='обзор']") and page.xpath("//h3[@id='1-install']")
    hrefs = page.xpath("//main//p[contains(., 'See')]/a/@href")
    assert hrefs == ["#überblick", "#обзор", "#überblick", "#обзор", "#1-install"]
    nu = check_html([out / "my-publication.html"])[(out / "my-publication.html").resolve()]
    assert nu["errors"] == 0, nu["messages"]

    assert fixable(epubcheck(out / "my-publication.epub")) == []
    with zipfile.ZipFile(out / "my-publication.epub") as book:
        chapter = book.read("EPUB/text/chapter-001.xhtml").decode("utf-8")
        images = [name for name in book.namelist() if name.startswith("EPUB/images/en/")]
        assert len(images) == 2 and all(book.read(name) == png_bytes((20, 90, 200)) for name in images)
    assert 'href="#обзор"' in chapter and 'id="überblick"' in chapter and "https://ci.example.org/x" in chapter

    text = " ".join(page.extract_text() for page in PdfReader(out / "my-publication.pdf").pages)
    assert "Build" in text and "Raw badge" in text
    uris, dests, names = pdf_links(out / "my-publication.pdf")
    assert {"https://ci.example.org/x", "https://ci.example.org/cov.png", "https://ci.example.org/y"} <= set(uris)
    assert len(dests) >= 5 and set(dests) <= names, (dests, names)
    images = sum(len(page.images) for page in PdfReader(out / "my-publication.pdf").pages)
    assert images >= 2  # the two pictures (and whatever the page templates draw)

    strict = run(root, "build", "-f", "html", "--strict", "--force")
    assert strict.returncode == 1 and "H101" in strict.stderr


def test_web_images_are_fetched_once_and_embedded(tmp_path: Path) -> None:
    with image_server() as server:
        text = (f"# Fetched\n\n[![Build]({server.url('/badge.svg')})](https://ci.example.org/x)\n\n"
                f"![Screenshot]({server.url('/badge.png')})\n\n"
                f'<p><img src="{server.url("/to-badge.png")}" alt="Raw HTML image"></p>\n\n'
                f"![Wrong type]({server.url('/page.png')}) ![To a file]({server.url('/to-file.png')})\n")
        root = new_project(tmp_path, text)
        done = run(root, "build", "--allow-remote")
        assert done.returncode == 0, done.stderr
        assert sorted(set(server.requests)) == ["/badge.png", "/badge.svg", "/page.png", "/to-badge.png",
                                                "/to-file.png"]
    h102 = warnings(done, "H102")
    assert len(h102) == 2 and not warnings(done, "H101") and not warnings(done, "P030"), done.stderr
    assert "sent 'text/html', not a PNG" in h102[0] and "redirected to 'file:///etc/passwd'" in h102[1]
    cache = sorted(path.name for path in (root / "build" / ".cache" / "remote").iterdir())
    assert len(cache) == 3 and [name.rsplit(".", 1)[1] for name in cache].count("png") == 2

    def check(out: Path) -> None:
        page = lxml_html.parse(str(out / "my-publication.html")).getroot()
        sources = page.xpath("//main//img/@src")
        assert len(sources) == 3 and all(src.startswith("remote/") for src in sources)
        assert all((out / src).is_file() for src in sources)
        assert page.xpath("//a[@href='https://ci.example.org/x']/img")  # the badge stays a link
        assert page.xpath(f"//a[@href='{server.url('/page.png')}'][normalize-space()='Wrong type']")
        with zipfile.ZipFile(out / "my-publication.epub") as book:
            embedded = [book.read(name) for name in book.namelist() if name.startswith("EPUB/images/remote/")]
        assert sorted(data[:4] for data in embedded) == [b"<?xm", b"\x89PNG", b"\x89PNG"]
        assert fixable(epubcheck(out / "my-publication.epub")) == []
        assert sum(len(p.images) for p in PdfReader(out / "my-publication.pdf").pages) >= 2  # PNGs (SVG is drawn)

    check(root / "build" / "en")
    # The server is gone: a rebuild from scratch, with the permission now in publication.yaml, works offline.
    yaml = root / "source" / "publication.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "allow_remote: true\n", encoding="utf-8")
    shutil.rmtree(root / "build" / "en")
    again = run(root, "build", "--force")
    assert again.returncode == 0, again.stderr
    assert not warnings(again, "H101") and len(warnings(again, "H102")) == 2
    check(root / "build" / "en")


CODE = """\
# Guest chapter

<p onclick="steal()">Click <a href="javascript:alert(1)">here</a> or <a href="https://example.org/">there</a>.</p>

<script>
alert(document.cookie)
</script>

Inline <script>alert(2)</script> code, a [link](javascript:alert(3)) and [a span]{onmouseover="alert(4)"}.

<details>
<summary>More</summary>

Hidden text.

</details>
"""


@pytest.mark.parametrize("trusted", [False, True], ids=["untrusted", "trusted"])
def test_raw_html_that_runs_code(tmp_path: Path, trusted: bool) -> None:
    root = new_project(tmp_path, CODE, "trust_raw_html: true\n" if trusted else "")
    done = run(root, "build", *(["-f", "html"] if trusted else []))
    assert done.returncode == 0, done.stderr
    out = root / "build" / "en"
    html = (out / "my-publication.html").read_text(encoding="utf-8")
    if trusted:
        assert not warnings(done, "H103")
        assert "<script>" in html and 'onclick="steal()"' in html and "javascript:alert(1)" in html
        return
    lines = warnings(done, "H103")
    assert [line.split(": warning")[0] for line in lines] == [
        "source/en/chapter.md:3:1", "source/en/chapter.md:5:1", "source/en/chapter.md:9:8",
        "source/en/chapter.md:9:42", "source/en/chapter.md:9:74"], done.stderr
    assert "the onclick attribute, a javascript: URL" in lines[0] and "trust_raw_html: true" in lines[0]
    with zipfile.ZipFile(out / "my-publication.epub") as book:
        epub = "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xhtml"))
    for text in (html, epub):
        for code in ("<script", "steal()", "javascript:", "alert(", "onmouseover"):
            assert code not in text, code
        assert 'href="https://example.org/"' in text and "<details>" in text and "Hidden text." in text
    pdf = " ".join(page.extract_text() for page in PdfReader(out / "my-publication.pdf").pages)
    assert "alert" not in pdf and "Hidden text." in pdf and "a link" in pdf
    assert fixable(epubcheck(out / "my-publication.epub")) == []
