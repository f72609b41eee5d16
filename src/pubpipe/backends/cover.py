"""A cover image drawn from the metadata with the bundled fonts (PNG, 1600 × 2560)."""

from __future__ import annotations

import io
from pathlib import Path

from ..model import Metadata

WIDTH, HEIGHT = 1600, 2560
BACKGROUND = (122, 24, 24)
INK = (250, 244, 232)
RULE = (232, 196, 120)


def _font(fonts: list[Path], preferred: str, size: int):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    for font in fonts:
        if font.stem == preferred:
            return ImageFont.truetype(str(font), size)
    if fonts:
        return ImageFont.truetype(str(fonts[0]), size)
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


def render_cover(meta: Metadata, fonts: list[Path], footer: str) -> bytes:
    """The cover as PNG bytes: title, subtitle and author centred on a plain field."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = 160
    title_font = _font(fonts, "PTSans-Bold", 150)
    small_font = _font(fonts, "PTSerif-Italic", 72)
    author_font = _font(fonts, "PTSerif-Regular", 84)
    y = 520
    draw.rectangle([margin, y - 80, WIDTH - margin, y - 68], fill=RULE)
    for line in _wrap(draw, meta.title, title_font, WIDTH - 2 * margin):
        draw.text((WIDTH / 2, y), line, font=title_font, fill=INK, anchor="ma")
        y += 180
    if meta.subtitle:
        for line in _wrap(draw, meta.subtitle, small_font, WIDTH - 2 * margin):
            y += 20
            draw.text((WIDTH / 2, y), line, font=small_font, fill=INK, anchor="ma")
            y += 90
    draw.rectangle([margin, y + 40, WIDTH - margin, y + 52], fill=RULE)
    if meta.authors:
        draw.text((WIDTH / 2, HEIGHT - 520), ", ".join(meta.authors), font=author_font, fill=INK, anchor="ma")
    draw.text((WIDTH / 2, HEIGHT - 260), footer, font=small_font, fill=RULE, anchor="ma")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
