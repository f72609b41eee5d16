"""The font chain and the subsetter: which face draws which character, and what a subset keeps."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from pubpipe.backends.render.fonts import FontChain, Stack, css_stacks, strip_font_faces, system_faces
from pubpipe.backends.render.subset import embed, font_face_rules, subset_font, text_of

REPO = Path(__file__).resolve().parents[2]
FONTS = REPO / "styles" / "fonts"
SERIF = FONTS / "PTSerif-Regular.ttf"
BASE_CSS = (REPO / "styles" / "base.css").read_text(encoding="utf-8")


def design() -> list[Path]:
    return sorted(FONTS.glob("*.ttf"))


def test_a_subset_maps_exactly_the_characters_asked_for() -> None:
    whole = TTFont(str(SERIF))
    wanted = frozenset(map(ord, "Stalin dд"))
    data, cff = subset_font(SERIF, 0, wanted, None)
    font = TTFont(io.BytesIO(data))
    assert not cff
    assert set(font.getBestCmap()) == wanted
    # fontTools really drops the other glyphs (the layout closure may keep a few: ligatures, .notdef).
    assert len(font.getGlyphOrder()) < 30 < len(whole.getGlyphOrder())
    assert len(data) < SERIF.stat().st_size / 5
    # The licence travels with the font, and the date is the original's: same input, same bytes.
    assert font["name"].getDebugName(13) == whole["name"].getDebugName(13)
    assert font["head"].modified == whole["head"].modified
    assert subset_font.__wrapped__(SERIF, 0, wanted, None)[0] == data


def test_woff2_subset_is_a_woff2_file() -> None:
    data, _ = subset_font(SERIF, 0, frozenset(map(ord, "abc")), "woff2")
    assert data[:4] == b"wOF2"
    assert set(TTFont(io.BytesIO(data)).getBestCmap()) == set(map(ord, "abc"))


def test_stacks_are_read_from_font_family_and_the_font_shorthand() -> None:
    css = """
    html { font-family: "PT Serif", Noto Serif, serif; }
    @page { @top-left { font: italic 8.5pt/1.2 "PT Sans", sans-serif; } }
    @media print { code { font-family: "PT Mono", monospace; } }
    @font-face { font-family: "Ignored"; src: url(x.ttf); }
    p { font-family: inherit; }
    """
    assert css_stacks(css) == [Stack(("PT Serif", "Noto Serif", "serif")), Stack(("PT Sans", "sans-serif")),
                               Stack(("PT Mono", "monospace"), mono=True)]
    assert "@font-face" not in strip_font_faces(css) and "PT Mono" in strip_font_faces(css)


def test_base_css_names_a_text_stack_and_a_mono_stack() -> None:
    stacks = css_stacks(BASE_CSS)
    assert [stack.families[0] for stack in stacks] == ["PT Serif", "PT Sans", "PT Mono"]
    assert [stack.mono for stack in stacks] == [False, False, True]


def test_characters_go_to_the_first_face_that_has_them() -> None:
    chain = FontChain(design(), css_stacks(BASE_CSS))
    serif = css_stacks(BASE_CSS)[0]
    drawn = chain.resolve(serif, 400, False, map(ord, "Aд"))
    assert {face.family for face in drawn} == {"PT Serif"}
    assert chain.best_face("PT Serif", 700, True).path.name == "PTSerif-BoldItalic.ttf"  # type: ignore[union-attr]
    # PT Sans has no italic: CSS matching takes the upright face of the same weight.
    assert chain.best_face("PT Sans", 700, True).path.name == "PTSans-Bold.ttf"  # type: ignore[union-attr]


@pytest.mark.skipif("noto naskh arabic" not in system_faces(), reason="fonts-noto-core is not installed")
def test_other_scripts_fall_back_and_fonts_without_a_character_to_draw_are_not_shipped() -> None:
    chain = FontChain(design(), css_stacks(BASE_CSS))
    fonts = embed(chain, set(map(ord, "Hello سلام")), set())
    families = {font.face.family for font in fonts}
    assert "PT Mono" not in families  # no code, no monospace face
    assert {"PT Serif", "Noto Naskh Arabic", "PT Sans", "Noto Sans Arabic"} <= families
    naskh = next(font for font in fonts if font.face.family == "Noto Naskh Arabic" and font.face.weight == 400)
    cmap = set(TTFont(io.BytesIO(naskh.data)).getBestCmap())
    assert set(map(ord, "سلام")) <= cmap and ord("H") not in cmap
    rules = font_face_rules(fonts, "fonts/")
    assert f'src: url(fonts/{naskh.name}) format("truetype")' in rules
    # The code face only when there is code.
    assert "PT Mono" in {font.face.family for font in embed(chain, set(map(ord, "x")), set(map(ord, "x = 1")))}


def test_text_of_separates_code_and_leaves_out_markup() -> None:
    text, code = text_of([("<html><head><title>Q</title><style>b{}</style></head>"
                          "<body><p title='Z'>ab<code>c\n</code></p><img alt='é'></body></html>")])
    assert text == set(map(ord, "abcé")) and code == {ord("c")}
