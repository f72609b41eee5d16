"""Fuzzing: generated Markdown and metadata either build into sound HTML, PDF and EPUB, or fail with a
diagnostic — never an unhandled exception, a tool crash or a hang.

Ten examples run by default; PUBPIPE_FUZZ_EXAMPLES=500 runs a longer search."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import PUBPIPE, epubcheck, fixable

EXAMPLES = int(os.environ.get("PUBPIPE_FUZZ_EXAMPLES", "10"))
EPUBCHECK_SAMPLE = int(os.environ.get("PUBPIPE_FUZZ_EPUBCHECK", "3"))
SECONDS_PER_EXAMPLE = 300  # generous: CI machines are shared; a hang still ends
# Codes that mean pubpipe or a tool broke, not that the input was bad.
CRASH_CODES = {"E100", "B100"}

# Unicode that breaks naive code: combining marks, bidi controls, zero-width characters, emoji
# (with joiners and skin tones), CJK, Arabic and Hebrew, characters that are markup in HTML and XML.
ODD = ["\u0301", "\u0308\u0323", "\u200f", "\u202e", "\u2066", "\u200b", "\u200d", "\ufeff", "\u00ad",
       "😀", "👩‍👩‍👧", "👍🏽", "🇺🇦", "漢字", "مرحبا", "שלום", "ﷺ", "<", ">", "&", "&amp;", '"', "'", "\\",
       "`", "*", "_", "[", "]", "#", "|", "{", "}", "~", "$", "^", "\u00a0", "\t", "\U0001d54f", "\x7f"]
word = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12),
    st.sampled_from(["the", "word", "Ünïcödé", "слово", "x" * 400, "a" * 1000, "https://example.org/x"]),
    st.sampled_from(ODD),
)
line = st.lists(word, min_size=1, max_size=30).map(" ".join)


def inline(depth: int = 0) -> st.SearchStrategy[str]:
    plain = line
    if depth > 2:
        return plain
    inner = st.deferred(lambda: inline(depth + 1))
    return st.one_of(
        plain,
        inner.map(lambda t: f"*{t}*"), inner.map(lambda t: f"**{t}**"), inner.map(lambda t: f"`{t}`"),
        st.tuples(inner, st.sampled_from(["#top", "#nowhere", "https://example.org", "../ru/x.md", ""])).map(
            lambda p: f"[{p[0]}]({p[1]})"),
        inner.map(lambda t: f"{t}[^n]\n\n[^n]: {t}"),
    )


def block(depth: int) -> st.SearchStrategy[str]:
    leaves = st.one_of(
        inline(), st.tuples(st.integers(1, 7), inline()).map(lambda p: "#" * p[0] + " " + p[1]),
        inline().map(lambda t: f"```\n{t}\n```"), st.just("---"),
        st.lists(inline(), min_size=1, max_size=4).map(lambda cells: "| " + " | ".join(
            c.replace("|", " ") for c in cells) + " |\n|" + "---|" * len(cells)),
        line.map(lambda t: f"Term\n: {t}"),
    )
    if depth <= 0:
        return leaves
    nested = st.deferred(lambda: block(depth - 1))
    return st.one_of(
        leaves,
        nested.map(lambda t: "\n".join("> " + x for x in t.split("\n"))),
        st.lists(nested, min_size=1, max_size=3).map(
            lambda items: "\n".join("- " + item.replace("\n", "\n  ") for item in items)),
        st.lists(nested, min_size=1, max_size=3).map(
            lambda items: "\n".join("1. " + item.replace("\n", "\n   ") for item in items)),
    )


def deep(kind: str, levels: int) -> str:
    """Nesting deeper than any writer's recursion should meet unguarded."""
    if kind == "quote":
        return "> " * levels + "deep"
    return "\n".join("  " * level + "- item" for level in range(levels))


document = st.one_of(
    st.lists(block(3), min_size=1, max_size=12).map(lambda blocks: "# Top {#top}\n\n" + "\n\n".join(blocks)),
    st.tuples(st.sampled_from(["quote", "list"]), st.integers(10, 400)).map(lambda p: deep(*p)),
    st.text(min_size=0, max_size=300),
)
metadata = st.fixed_dictionaries({
    "title": st.one_of(line, st.just("<script>alert(1)</script>"), st.text(max_size=40)),
    "authors": st.lists(line, max_size=3),
    "rights": st.one_of(line, st.just("© & <b>")),
}, optional={"subtitle": line, "description": line, "keywords": st.lists(line, max_size=3)})


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """EPUBs of successful examples, checked with EPUBCheck in one batch at the end of the module."""
    found: list[Path] = []
    yield found
    for epub in found[:EPUBCHECK_SAMPLE]:
        problems = fixable(epubcheck(epub))
        assert not problems, (epub, problems)


def build(root: Path) -> tuple[int, dict]:
    done = subprocess.run([PUBPIPE, "build", "-C", str(root), "--json"], capture_output=True, text=True,
                          timeout=SECONDS_PER_EXAMPLE, check=False,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"})
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout)


def check_outputs(root: Path, report: dict) -> Path:
    from lxml import etree, html
    from pypdf import PdfReader

    files = {o["format"]: root / o["file"] for o in report["outputs"]}
    page = html.parse(str(files["html"])).getroot()
    assert page.find("body") is not None
    ids = [e.get("id") for e in page.iter() if isinstance(e.tag, str) and e.get("id")]
    assert len(ids) == len(set(ids))
    reader = PdfReader(files["pdf"])
    assert len(reader.pages) >= 1
    reader.pages[0].extract_text()
    with zipfile.ZipFile(files["epub"]) as book:
        assert book.testzip() is None
        for name in book.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx")):
                etree.fromstring(book.read(name))  # every content document is well-formed XML
    return files["epub"]


@settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("PUBPIPE_FUZZ_EXAMPLES"),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(text=document, meta=metadata)
def test_any_input_builds_or_fails_with_a_diagnostic(text: str, meta: dict, results: list[Path],
                                                     tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "source" / "en").mkdir(parents=True)
    config = {"slug": "fuzz", "identifier": "urn:uuid:7d1f6a2e-2c0b-4b8e-9f5e-0c6a9b1d2e3f", "language": "en",
              **meta, "editions": [{"lang": "en"}]}
    (root / "source" / "publication.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (root / "source" / "en" / "text.md").write_text(text, encoding="utf-8")
    code, report = build(root)
    crashes = [d for d in report["diagnostics"] if d["code"] in CRASH_CODES]
    assert not crashes, crashes
    if code == 0:
        epub = check_outputs(root, report)
        if len(results) < EPUBCHECK_SAMPLE:
            kept = Path(str(root) + ".epub")
            shutil.copyfile(epub, kept)
            results.append(kept)
        shutil.rmtree(root)
    else:
        assert code == 1
        errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
        assert errors and all(d["code"] and d["message"] and d["hint"] for d in errors), report


@pytest.mark.skipif(not os.environ.get("PUBPIPE_LARGE_MB"), reason="set PUBPIPE_LARGE_MB=5 for the large-input run")
def test_large_document_builds_in_every_format(tmp_path: Path) -> None:
    """A text of PUBPIPE_LARGE_MB megabytes (5 in docs/PERFORMANCE.md) builds, one format at a time."""
    import re
    import time

    from tests.conftest import REPO

    size = float(os.environ["PUBPIPE_LARGE_MB"]) * 1024 * 1024
    article = (REPO / "source" / "en" / "article.md").read_text(encoding="utf-8").split("---", 2)[2]
    article = re.sub(r"\[([^\]]*)\]\(\.\./ru/article\.md\)", r"\1", article)
    parts, written, number = [], 0, 0
    while written < size:
        number += 1
        chapter = re.sub(r"^(#+) (.*)$", rf"\1# \2 ({number})", article, flags=re.MULTILINE)
        chapter = re.sub(r"\[\^([^\]]+)\]", rf"[^p{number}-\1]", re.sub(r"\{#[^}]*\}", "", chapter))
        parts.append(f"\n\n# Part {number}\n\n{chapter}")
        written += len(parts[-1].encode("utf-8"))
    root = tmp_path / "large"
    (root / "source" / "en").mkdir(parents=True)
    config = {"slug": "large", "identifier": "urn:uuid:3c4f1a9e-7b2d-4e8a-9c1f-5d6e7f8a9b0c", "title": "Large",
              "authors": ["A"], "language": "en", "rights": "CC BY 4.0", "editions": [{"lang": "en"}]}
    (root / "source" / "publication.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (root / "source" / "en" / "text.md").write_text("".join(parts), encoding="utf-8")
    for fmt in ("html", "epub", "pdf"):
        start = time.monotonic()
        done = subprocess.run([PUBPIPE, "build", "-C", str(root), "-f", fmt, "-j", "1", "--json"],
                              capture_output=True, text=True, timeout=3600, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        print(f"{fmt}: {time.monotonic() - start:.0f} s, {json.loads(done.stdout)['outputs'][0]['bytes']} bytes")
