"""A cover image drawn from the metadata with the edition's fonts (PNG, 1600 × 2560)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from ..model import Metadata

if TYPE_CHECKING:
    from .render.fonts import FontChain, FontFace, Stack

WIDTH, HEIGHT = 1600, 2560
BACKGROUND = (122, 24, 24)
INK = (250, 244, 232)
RULE = (232, 196, 120)


def _face(chain: FontChain, stack: Stack | None, weight: int, italic: bool, text: str) -> FontFace | None:
    """The first face of the stack that draws all of *text*, else the one that draws most of it
    (one drawing call takes one font)."""
    if stack is None:
        return None
    chars = {ord(char) for char in text if not char.isspace()}
    for name in stack.families:
        face = chain.best_face(name, weight, italic)
        if face is not None and chars <= face.codepoints:
            return face
    drawn = chain.resolve(stack, weight, italic, chars)
    return max(drawn, key=lambda face: len(drawn[face])) if drawn else None


def _font(chain: FontChain, sans: bool, weight: int, italic: bool, text: str, size: int):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    text_stacks = [stack for stack in chain.stacks if not stack.mono]
    stack = next((s for s in text_stacks if (s.families[-1] == "sans-serif") == sans), None)
    face = _face(chain, stack or (text_stacks[0] if text_stacks else None), weight, italic, text)
    if face is not None:
        try:
            return ImageFont.truetype(str(face.path), size, index=face.index)
        except OSError:  # a bitmap face (colour emoji) comes in fixed sizes only
            pass
    return ImageFont.load_default(size)


def _wrap(draw, text: str, font, width: int) -> list[str]:  # type: ignore[no-untyped-def]
    lines: list[str] = []
    # Split at plain spaces only: a no-break space (e.g. after Russian "а") keeps its words on one line.
    for word in text.split(" "):
        if not word:
            continue
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(trial, font=font) <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines


def render_cover(meta: Metadata, chain: FontChain, footer: str) -> bytes:
    """The cover as PNG bytes: title, subtitle and author centred on a plain field.

    Each line is set in the stylesheets' faces (the title in the sans stack, the rest in the serif
    one), the face chosen by the characters it has to draw."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = 160
    authors = ", ".join(meta.authors)
    title_font = _font(chain, True, 700, False, meta.title, 150)
    subtitle_font = _font(chain, False, 400, True, meta.subtitle or "", 72)
    footer_font = _font(chain, False, 400, True, footer, 72)
    author_font = _font(chain, False, 400, False, authors, 84)
    y: float = 520
    draw.rectangle([margin, y - 80, WIDTH - margin, y - 68], fill=RULE)
    bottom: float = 0  # the lowest ink so far: Arabic and Devanagari reach further below the line than Latin
    for line in _wrap(draw, meta.title, title_font, WIDTH - 2 * margin):
        draw.text((WIDTH / 2, y), line, font=title_font, fill=INK, anchor="ma")
        bottom = max(bottom, draw.textbbox((WIDTH / 2, y), line, font=title_font, anchor="ma")[3])
        y += 180
    if meta.subtitle:
        for line in _wrap(draw, meta.subtitle, subtitle_font, WIDTH - 2 * margin):
            y += 20
            draw.text((WIDTH / 2, y), line, font=subtitle_font, fill=INK, anchor="ma")
            bottom = max(bottom, draw.textbbox((WIDTH / 2, y), line, font=subtitle_font, anchor="ma")[3])
            y += 90
    y = max(y, bottom)
    draw.rectangle([margin, y + 40, WIDTH - margin, y + 52], fill=RULE)
    if meta.authors:
        draw.text((WIDTH / 2, HEIGHT - 520), authors, font=author_font, fill=INK, anchor="ma")
    draw.text((WIDTH / 2, HEIGHT - 260), footer, font=footer_font, fill=RULE, anchor="ma")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
