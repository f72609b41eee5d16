"""The font chain and the subsetter: which face draws which character, and what a subset keeps."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from pubpipe.backends.render.fonts import VARIANTS, FontChain, Stack, css_stacks, strip_font_faces, system_faces
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
    assert [stack.families[0] for stack in stacks] == ["PT Serif", "PT Sans", "DejaVu Sans Mono"]
    assert [stack.mono for stack in stacks] == [False, False, True]


def test_characters_go_to_the_first_face_that_has_them() -> None:
    chain = FontChain(design(), css_stacks(BASE_CSS))
    serif = css_stacks(BASE_CSS)[0]
    drawn = chain.resolve(serif, 400, False, map(ord, "Aд"))
    assert {face.family for face in drawn} == {"PT Serif"}
    assert chain.best_face("PT Serif", 700, True).path.name == "PTSerif-BoldItalic.ttf"  # type: ignore[union-attr]
    # PT Sans has no italic: CSS matching takes the upright face of the same weight.
    assert chain.best_face("PT Sans", 700, True).path.name == "PTSans-Bold.ttf"  # type: ignore[union-attr]


@pytest.mark.skipif("dejavu sans mono" not in system_faces(), reason="fonts-dejavu-core is not installed")
def test_the_code_face_has_bold_and_italic_so_the_theme_reads_in_black_and_white() -> None:
    # code.css sets keywords bold and comments italic; a mono family without those faces would leave
    # them apart by colour only in the PDF (WeasyPrint synthesises no face).
    chain = FontChain(design(), css_stacks(BASE_CSS))
    mono = next(stack for stack in chain.stacks if stack.mono).families[0]
    faces = {(face.weight, face.italic) for face in (chain.best_face(mono, weight, italic)
                                                     for weight, italic in VARIANTS) if face is not None}
    assert faces == set(VARIANTS)


@pytest.mark.skipif("noto naskh arabic" not in system_faces(), reason="fonts-noto-core is not installed")
def test_other_scripts_fall_back_and_fonts_without_a_character_to_draw_are_not_shipped() -> None:
    chain = FontChain(design(), css_stacks(BASE_CSS))
    fonts = embed(chain, set(map(ord, "Hello سلام")), set())
    families = {font.face.family for font in fonts}
    assert "DejaVu Sans Mono" not in families  # no code, no monospace face
    assert {"PT Serif", "Noto Naskh Arabic", "PT Sans", "Noto Sans Arabic"} <= families
    naskh = next(font for font in fonts if font.face.family == "Noto Naskh Arabic" and font.face.weight == 400)
    cmap = set(TTFont(io.BytesIO(naskh.data)).getBestCmap())
    assert set(map(ord, "سلام")) <= cmap and ord("H") not in cmap
    rules = font_face_rules(fonts, "fonts/")
    assert f'src: url(fonts/{naskh.name}) format("truetype")' in rules
    # The code face only when there is code.
    assert "DejaVu Sans Mono" in {font.face.family for font in embed(chain, set(map(ord, "x")), set(map(ord, "x = 1")))}


def test_text_of_separates_code_and_leaves_out_markup() -> None:
    text, code = text_of([("<html><head><title>Q</title><style>b{}</style></head>"
                          "<body><p title='Z'>ab<code>c\n</code></p><img alt='é'></body></html>")])
    assert text == set(map(ord, "abcé")) and code == {ord("c")}


def test_a_subset_is_kept_in_the_cache_and_reused(tmp_path: Path) -> None:
    from pubpipe.backends.render.subset import stored_subset, subset_key
    from pubpipe.building.cache import SUBSETS, prune_least_used

    wanted = frozenset(map(ord, "Kept once"))
    data, cff = stored_subset(SERIF, 0, wanted, None, tmp_path)
    assert (data, cff) == subset_font(SERIF, 0, wanted, None)
    key = subset_key(SERIF, 0, wanted, None)
    kept = tmp_path / SUBSETS / key  # flat: no fan-out folders (building/cache.py)
    assert kept.read_bytes() == data
    # The key covers the characters, the flavor and the font: a change is another subset.
    assert len({key, subset_key(SERIF, 0, wanted | {ord("x")}, None), subset_key(SERIF, 0, wanted, "woff2"),
                subset_key(FONTS / "PTSans-Regular.ttf", 0, wanted, None)}) == 4
    # The html's WOFF2 is the EPUB's cut, compressed: the same bytes fontTools writes directly.
    assert stored_subset(SERIF, 0, wanted, "woff2", tmp_path)[0] == subset_font(SERIF, 0, wanted, "woff2")[0]
    # A second job reads the kept bytes instead of cutting the font again.
    kept.write_bytes(data + b"kept")
    assert stored_subset(SERIF, 0, wanted, None, tmp_path)[0] == data + b"kept"
    # Bounded: the least recently used go first.
    other = stored_subset(SERIF, 0, frozenset(map(ord, "other")), None, tmp_path)[0]
    os.utime(kept, (1, 1))
    assert prune_least_used(tmp_path / SUBSETS, len(other)) >= len(data) + 4 and not kept.exists()
