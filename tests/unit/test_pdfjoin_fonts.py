"""The joined book's font programs: subsets share one only where every glyph id draws the same glyph."""

from __future__ import annotations

import io
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from pubpipe.backends.render.pdfjoin import _compatible, _merge_programs

FONT = Path(__file__).parents[2] / "src" / "pubpipe" / "styles" / "fonts" / "PTSans-Bold.ttf"


def cut(text: str, retain_gids: bool) -> bytes:
    """A subset of PT Sans Bold for *text*, as a PDF engine might embed it."""
    options = subset.Options()
    options.retain_gids = retain_gids
    options.notdef_outline = True
    font = TTFont(str(FONT))
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def outline(program: bytes, char: str) -> bytes:
    """The compiled outline the program draws under the glyph id the full font gives *char*."""
    full = TTFont(str(FONT))
    gid = full.getGlyphID(full.getBestCmap()[ord(char)])
    font = TTFont(io.BytesIO(program))
    glyph = font["glyf"][font.getGlyphOrder()[gid]]
    return glyph.compile(font["glyf"]) if glyph.numberOfContours else b""


def test_subsets_that_keep_the_fonts_ids_share_one_program_with_every_glyph() -> None:
    one, two = cut("Example", True), cut("Mutex", True)
    assert _compatible([one, two]) == [[one, two]]
    merged = _merge_programs([one, two])
    assert merged is not None
    assert outline(merged, "x") == outline(one, "x") and outline(merged, "M") == outline(two, "M")


def test_subsets_numbered_afresh_keep_their_own_programs() -> None:
    """Numbered afresh, glyph n is another letter in each subset: merged, an x would be drawn as another."""
    one, two = cut("Exa", False), cut("Mux", False)
    assert _compatible([one, two]) == [[one], [two]]
    assert _merge_programs([one, two]) is None  # and a merge asked anyway refuses
