"""The PDF's layout of a small edition, read from WeasyPrint's boxes: paragraph indents, image sizes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from tests.unit.markdown_edition import edition_of

pytestmark = pytest.mark.slow  # WeasyPrint lays the edition out: not for the fast tier

# An 800 × 400 px image: drawn at its full size unless the author's width says otherwise.
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400"><rect width="800" height="400"/></svg>'
TEXT = """# Layout

First paragraph.

Second paragraph, indented: it continues the running text.

::: {.callout-note}
A callout's first paragraph.

Its second paragraph, not indented.
:::

<table><tr><td><p>A cell's first paragraph.</p><p>Its second, not indented.</p></td></tr></table>

<img src="images/wide.svg" width="200" alt="A wide picture, drawn 200 px wide">
"""


def boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", None) or []:
        yield from boxes(child)


@pytest.fixture(scope="module", params=["en", "ar"])
def laid_out(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    from pubpipe.backends.base import BuildContext, Styles
    from pubpipe.backends.pdf import print_layout
    from pubpipe.building.jobs import template_environment
    from pubpipe.i18n import catalogue
    from pubpipe.reading.project import load_project

    root = tmp_path_factory.mktemp("layout")
    lang = request.param  # Arabic: right to left, where print.css draws the indent as a ::before box
    edition, reporter = edition_of(root, TEXT, lang, files={f"{lang}/images/wide.svg": SVG})
    assert edition is not None and not reporter.errors, reporter.errors
    ctx = BuildContext(root=root, output=root / "out.pdf", final_name="out.pdf", styles=Styles.for_project(root),
                       templates=template_environment(load_project(root)), catalogue=catalogue(lang),
                       build_time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), slug="case")
    document = print_layout(edition, ctx).document
    return [box for page in document.pages for box in boxes(page._page_box)]


def paragraph_indent(found: list[Any], starts: str) -> float:
    """The paragraph's first-line indent: its text-indent, or the width of the box print.css puts
    before its first line right to left."""
    for box in found:
        if getattr(box, "element_tag", None) == "p" and "".join(box.element.itertext()).startswith(starts):
            before = [inner.width for inner in boxes(box) if getattr(inner, "element_tag", "") == "p::before"]
            return float(box.style["text_indent"].value) + sum(before)
    raise AssertionError(f"no paragraph starts with {starts!r}")


def test_only_the_running_text_indents_a_second_paragraph(laid_out: list[Any]) -> None:
    assert paragraph_indent(laid_out, "Second paragraph") > 0
    assert paragraph_indent(laid_out, "Its second paragraph") == 0
    assert paragraph_indent(laid_out, "Its second, not") == 0


def test_an_images_width_attribute_sizes_it_in_print(laid_out: list[Any]) -> None:
    image = next(box for box in laid_out if getattr(box, "element_tag", None) == "img"
                 and box.element.get("alt", "").startswith("A wide picture"))
    assert (round(image.width), round(image.height)) == (200, 100)  # the author's width, the image's ratio
