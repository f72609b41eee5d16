"""Embedded fonts cut to the glyphs an output uses (fontTools.subset), with @font-face rules for them."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .fonts import FontChain, FontFace, css_stacks, plan

# Text an output may draw that its documents do not spell out: list markers, counters, the hyphen an
# e-reader's hyphenation adds, the ellipsis of a truncated title, a reader's page numbers. A face
# that is shipped anyway keeps these glyphs if it has them; they never bring in a face of their own.
ALWAYS = frozenset(range(0x20, 0x7F)) | frozenset(map(ord, "\u00a0\u2010\u2011\u2013\u2014\u2022\u25e6\u25aa\u2026"))
CODE_TAGS = ("code", "pre", "kbd", "samp", "tt")
EXTRA_FEATURES = ("smcp", "c2sc", "onum", "lnum", "tnum", "pnum", "frac", "ordn", "sups", "subs", "dlig")


@dataclass(frozen=True, slots=True)
class EmbeddedFont:
    """One subset font file an output ships, and the face it stands for."""

    face: FontFace
    name: str
    """File name, e.g. "PTSerif-Regular.woff2"."""
    data: bytes
    media_type: str


def woff2_available() -> bool:
    """Whether fontTools can write WOFF2 (it needs the brotli module)."""
    try:
        import brotli  # noqa: F401
    except ImportError:
        return False
    return True


def text_of(markup: Iterable[bytes | str]) -> tuple[set[int], set[int]]:
    """The code points of the text of (X)HTML documents: all of it, and what code elements hold.

    Parsed with lxml's HTML parser (it reads XHTML too); attributes are left out, but `alt` text is
    kept (a reader shows it when an image cannot be)."""
    import lxml.html

    text: set[int] = set()
    code: set[int] = set()
    for document in markup:
        markup_text = document.decode("utf-8") if isinstance(document, bytes) else document
        # As text (every output is UTF-8), without the XML declaration lxml refuses on a str.
        markup_text = re.sub(r"^\s*<\?xml[^>]*\?>", "", markup_text)
        if not markup_text.strip():
            continue
        tree = lxml.html.fromstring(markup_text)
        for element in tree.iter():
            if not isinstance(element.tag, str) or element.tag in ("style", "script"):
                continue
            if element.tag in ("head", "title", "meta"):
                continue
            pieces = [element.text or "", element.tail or "", element.get("alt") or ""]
            text.update(ord(char) for piece in pieces for char in piece)
        for element in tree.iter(*CODE_TAGS):
            code.update(ord(char) for char in element.text_content())
    controls = {char for char in text | code if unicodedata.category(chr(char)) == "Cc"}  # newlines, tabs
    return text - controls, code - controls


def _file_name(face: FontFace, cff: bool, flavor: str | None) -> str:
    from fontTools.ttLib import TTFont

    with TTFont(str(face.path), lazy=True, fontNumber=face.index) as font:
        postscript = font["name"].getDebugName(6) or f"{face.family}-{face.weight}"
    stem = re.sub(r"[^A-Za-z0-9-]+", "", postscript) or "font"
    return f"{stem}.{flavor or ('otf' if cff else 'ttf')}"


def subset_settings(flavor: str | None) -> dict[str, object]:
    """The fontTools.subset options pubpipe sets (on top of fontTools' defaults), as a dict: what
    subset_font applies and what stored_subset's key covers.

    fontTools' default features (every one shaping needs: Arabic joining, Indic conjuncts, marks,
    ligatures, kerning, localised forms) and those the stylesheets may ask for; not "*", whose
    alternates (aalt, salt, ssXX) triple a CJK subset. The name table stays whole (the licence travels
    with the font); hinting is dropped (screens and e-readers do not need it); FFTM (FontForge's
    timestamp, in DejaVu) is dropped, as fontTools cannot subset it; the head table's dates stay."""
    from fontTools import subset

    defaults = subset.Options()
    return {"layout_features": [*defaults.layout_features, *EXTRA_FEATURES], "name_IDs": ["*"],
            "name_languages": ["*"], "notdef_outline": True, "hinting": False, "desubroutinize": True,
            "recalc_timestamp": False, "flavor": flavor, "drop_tables": [*defaults.drop_tables, "FFTM"]}


@functools.lru_cache(maxsize=128)
def subset_font(path: Path, index: int, codepoints: frozenset[int], flavor: str | None) -> tuple[bytes, bool]:
    """The font at *path* (font *index* of a collection) with only the glyphs for *codepoints* and
    what its layout features reach from them (ligatures, Arabic joining forms, localised forms).
    Cached per process: an edition's html and epub jobs in one worker cut the same faces.

    Returns the font's bytes (TrueType/CFF, or WOFF2 with flavor="woff2") and whether it is CFF.
    Options: subset_settings. The head table's dates are the original's: same input, same bytes.
    """
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    for name, value in subset_settings(flavor).items():
        setattr(options, name, value)
    font = TTFont(str(path), fontNumber=index, recalcTimestamp=False, lazy=True)  # a CJK font: 20 MB
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(codepoints))
        subsetter.subset(font)
        out = io.BytesIO()
        subset.save_font(font, out, options)
        return out.getvalue(), "CFF " in font or "CFF2" in font
    finally:
        font.close()


@functools.lru_cache(maxsize=256)
def _font_sha256(path: Path, size: int, mtime_ns: int) -> str:
    from ...building.files import file_sha256

    return file_sha256(path) or ""


def subset_key(path: Path, index: int, codepoints: frozenset[int], flavor: str | None) -> str:
    """A SHA-256 over what a subset depends on: the font file's bytes, the font's number in its
    collection, the characters, the subsetter's options and fontTools' version."""
    from ...building.hashing import Hasher
    from ...installed import version

    info = path.stat()
    return (Hasher("font subset", version("fonttools")).text(_font_sha256(path, info.st_size, info.st_mtime_ns))
            .text(str(index)).json(sorted(codepoints)).json(subset_settings(flavor)).hexdigest())


def is_cff(data: bytes) -> bool:
    """Whether font bytes (sfnt or WOFF2) hold CFF outlines: the sfnt version (WOFF2: its flavor) is 'OTTO'."""
    return data[:4] == b"OTTO" or (data[:4] == b"wOF2" and data[4:8] == b"OTTO")


def stored_subset(path: Path, index: int, codepoints: frozenset[int], flavor: str | None,
                  cache_dir: Path | None) -> tuple[bytes, bool]:
    """subset_font, kept in *cache_dir*/subsets/ (build/.cache) across jobs and builds: the next build
    reuses a subset instead of cutting the font again (~0.6 s a face, seconds for a CJK one), and so
    does another format of the edition — the cut (TrueType/OpenType, the EPUB's) is kept, and the
    html's WOFF2 is that cut compressed (and kept too). *cache_dir* None: no store, subset_font alone."""
    if cache_dir is None:
        return subset_font(path, index, codepoints, flavor)
    from ...building.cache import SUBSETS, store_bytes, stored_bytes

    folder = cache_dir / SUBSETS
    key = subset_key(path, index, codepoints, flavor)
    data = stored_bytes(folder, key)
    if data is not None:
        return data, is_cff(data)
    if flavor is None:
        data, cff = subset_font(path, index, codepoints, None)
    else:
        sfnt, cff = stored_subset(path, index, codepoints, None, cache_dir)
        data = compressed(sfnt, flavor)
    store_bytes(folder, key, data)
    return data, cff


def compressed(sfnt: bytes, flavor: str) -> bytes:
    """A TrueType/OpenType font's bytes as WOFF2 (*flavor* "woff2") or WOFF, glyphs unchanged."""
    import io

    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(sfnt), recalcTimestamp=False)
    font.flavor = flavor
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    return out.getvalue()


def embed(chain: FontChain, text: set[int], code: set[int], flavor: str | None = None,
          cache_dir: Path | None = None) -> list[EmbeddedFont]:
    """The subset fonts an output with this *text* (and *code*) needs, in the chain's order.

    *flavor*: "woff2" (for a browser) or None (TrueType/OpenType, for EPUB readers); *cache_dir*:
    build/.cache, where subsets are kept for reuse (stored_subset), or None."""
    # Joiners, direction marks, variation selectors and other format characters (ZWNJ in Persian)
    # go with the letters around them: they never choose a face, but each face shipped keeps those it has.
    formats = {char for char in text | code if unicodedata.category(chr(char)) == "Cf"
               or 0xFE00 <= char <= 0xFE0F or 0xE0100 <= char <= 0xE01EF}  # variation selectors
    extras = ALWAYS - text - code | formats
    shipped = plan(chain, text - extras, code - extras)
    for face, chars in shipped.items():
        chars |= extras & face.codepoints
    embedded = []
    for face, chars in sorted(shipped.items(), key=lambda item: (not item[0].design, item[0].family,
                                                                 item[0].weight, item[0].italic)):
        data, cff = stored_subset(face.path, face.index, frozenset(chars), flavor, cache_dir)
        name = _file_name(face, cff, flavor)
        media_type = "font/woff2" if flavor == "woff2" else ("font/otf" if cff else "font/ttf")
        embedded.append(EmbeddedFont(face, name, data, media_type))
    return embedded


def font_face_rules(fonts: Iterable[EmbeddedFont], folder: str) -> str:
    """@font-face rules for the shipped fonts; *folder* is the URL prefix, e.g. "fonts/"."""
    formats = {"font/woff2": "woff2", "font/otf": "opentype", "font/ttf": "truetype"}
    rules = []
    for font in fonts:
        face = font.face
        rules.append(f'@font-face {{ font-family: "{face.family}"; src: url({folder}{font.name}) '
                     f'format("{formats[font.media_type]}"); font-weight: {face.weight}; '
                     f'font-style: {"italic" if face.italic else "normal"}; }}')
    return "\n".join(rules) + ("\n" if rules else "")


def design_rules(fonts: Iterable[Path], folder_url: str = "fonts/") -> str:
    """@font-face rules for the design fonts as they are (the PDF: WeasyPrint subsets them itself)."""
    from .fonts import design_face

    rules = []
    for path in fonts:
        face = design_face(path)
        rules.append(f'@font-face {{ font-family: "{face.family}"; src: url({folder_url}{path.name}); '
                     f'font-weight: {face.weight}; font-style: {"italic" if face.italic else "normal"}; }}')
    return "\n".join(rules) + ("\n" if rules else "")


def chain_for(css: str, design: list[Path]) -> FontChain:
    """The chain of faces the stylesheet's stacks reach, the design fonts first."""
    return FontChain(design, css_stacks(css))
