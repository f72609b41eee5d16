"""Code in print: a long listing starts under the text before it and breaks across pages, a short one
stays whole (print.css: orphans and widows on <pre>); a long token wraps inside the box (base.css)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tests.unit.markdown_edition import edition_of


def layout(root: Path, markdown: str) -> Any:
    """The WeasyPrint document of the edition's PDF layout."""
    from pubpipe.backends.base import BuildContext, Styles
    from pubpipe.backends.pdf import print_layout
    from pubpipe.building.jobs import template_environment
    from pubpipe.i18n import catalogue
    from pubpipe.reading.project import load_project

    edition, reporter = edition_of(root, markdown)
    assert edition is not None and not reporter.errors, reporter.errors
    ctx = BuildContext(root=root, output=root / "out.pdf", final_name="out.pdf", styles=Styles.for_project(root),
                       templates=template_environment(load_project(root)), catalogue=catalogue("en"),
                       build_time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), slug="case")
    return print_layout(edition, ctx).document


def boxes(box: Any) -> Any:
    yield box
    for child in getattr(box, "children", None) or []:
        yield from boxes(child)


def pages_of(root: Path, markdown: str) -> list[str]:
    """The text of each page of the edition's PDF layout."""
    return ["".join(getattr(box, "text", "") for box in boxes(page._page_box)) for page in layout(root, markdown).pages]


def test_a_long_listing_breaks_across_pages_and_a_short_one_stays_whole(tmp_path: Path) -> None:
    words = " ".join(["Words fill the first page of the chapter."] * 60)
    listing = "\n".join(f"line_{n:03d} = {n}" for n in range(1, 81))
    short = "\n".join(f"short_{n} = {n}" for n in range(1, 6))
    filler = " ".join(["More words."] * 330)
    pages = pages_of(tmp_path, f"# Code\n\n{words}\n\n```\n{listing}\n```\n\n{filler}\n\n```\n{short}\n```\n\nEnd.\n")
    first = next(index for index, page in enumerate(pages) if "line_001" in page)
    assert "Words fill" in pages[first], "the listing left the page of the text before it"
    assert "line_080" not in pages[first]
    assert all(f"line_{n:03d}" in pages[first] for n in range(1, 5))  # at least four lines on the page
    last = next(index for index, page in enumerate(pages) if "line_080" in page)
    assert all(f"line_{n:03d}" in pages[last] for n in range(77, 81))
    assert len({index for index, page in enumerate(pages) if "short_" in page}) == 1


def test_a_long_token_in_a_plain_code_block_wraps_inside_the_box(tmp_path: Path) -> None:
    token = '{"access_token":"' + "x" * 160 + '","token_type":"bearer"}'
    document = layout(tmp_path, f"# Code\n\n```\ntoken = {token}\nshort line\n```\n")
    pre = next(box for page in document.pages for box in boxes(page._page_box)
               if getattr(box, "element_tag", None) == "pre")
    right = pre.content_box_x() + pre.width
    texts = [box for box in boxes(pre) if getattr(box, "text", "")]
    assert "".join(box.text for box in texts).replace(" ", "").count("x") == 160  # nothing dropped
    assert all(box.position_x + box.width <= right + 0.5 for box in texts)
