"""Chapter-parallel layout's reading of the stylesheets (no layout here): the contents' page numbers keep
the counter style their target-counter() names."""

from __future__ import annotations

from pubpipe.backends.pdf_chapters import page_rules, piece_override

CSS = """
html:lang(ar) { --folio-digits: arabic-indic; }
@page { @bottom-center { content: counter(page, var(--folio-digits)); } }
nav.toc a::after { content: " " leader(". ") " " target-counter(attr(href), page, var(--folio-digits)); }
a.see::before, a.ref { content: "p. " target-counter(attr(href), page); }
"""


def test_a_counter_style_in_target_counter_is_kept_and_the_book_can_be_laid_out_by_chapter() -> None:
    rules = page_rules([CSS])
    assert rules.obstacle == ""
    assert rules.counter_boxes == (("", "bottom-center"),)
    assert dict(rules.targets) == {
        "nav.toc a::after": ' " " leader(". ") " " counter(pubpipe-page, var(--folio-digits))',
        "a.see::before, a.ref": ' "p. " counter(pubpipe-page)',
    }
    front = piece_override(rules, "front", 0)
    # Only links given another piece's page number take the counter; a link inside the piece keeps its own.
    assert "nav.toc a[data-pubpipe-page]::after { content:" in front
    assert "a.see[data-pubpipe-page]::before, a.ref[data-pubpipe-page] { content:" in front


def test_another_target_counter_still_rules_out_the_chapter_layout() -> None:
    rules = page_rules(["a::after { content: target-counter(attr(href), chapter); }"])
    assert rules.obstacle


def test_a_page_number_box_with_a_running_string_rules_out_the_chapter_layout() -> None:
    """The folio document draws the page numbers and has no text: a box showing a string beside the
    number would lose the string (found by the fresh review), so such a book is laid out whole."""
    rules = page_rules(['@page { @top-right { content: string(sec) " — p. " counter(page) } }'])
    assert "running string" in rules.obstacle and "@top-right" in rules.obstacle
    assert not page_rules(['@page { @top-right { content: string(sec) } @bottom-center { content: counter(page) } }']).obstacle
