"""Formulas drawn as SVG for print (WeasyPrint draws no MathML), by ziamath, with the TeX as alt text."""

from __future__ import annotations

import base64
import re
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...errors import SourceRef
    from ...report import Reporter

SIZE = 20.0
"""The size ziamath draws at, in SVG units per em: the image is then sized in em of the text around it."""
BOX = re.compile(r'width="([\d.]+)" height="([\d.]+)" viewBox="([-\d.]+) ([-\d.]+)')


def formula(tex: str, display: bool, reporter: Reporter | None = None, where: SourceRef | None = None) -> str:
    """The formula *tex* as an `<img>` of SVG sized in em, its baseline on the text's baseline.

    Display formulas come in a `span.math.display` (print.css centres it). A formula ziamath cannot
    read is printed as its TeX in a `code.math` and reported (W103)."""
    kind = "display" if display else "inline"
    try:
        import ziamath

        # SVG 1.1 (xlink:href on <use>), which every SVG reader draws.
        ziamath.config.svg2 = False
        svg = ziamath.Latex(tex, size=SIZE, inline=not display).svg()
        box = BOX.search(svg)
        if box is None:
            raise ValueError("no size in the drawing")
    except Exception as exc:  # noqa: BLE001 - ziamath raises many kinds for TeX it does not know
        if reporter is not None:
            reporter.warn("W103", f"formula '{tex[:40]}' cannot be typeset ({type(exc).__name__}: {exc}); "
                          "printed as TeX", where, "write it with LaTeX commands that MathJax knows")
        return f'<code class="math {kind}">{escape(tex)}</code>'
    width, height, top = float(box.group(1)), float(box.group(2)), float(box.group(4))
    depth = height + top  # the part below the baseline (y = 0)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    img = (f'<img class="math{"" if display else " inline"}" alt="{escape(tex)}" src="data:image/svg+xml;base64,{data}" '
           f'style="width: {width / SIZE:.3f}em; height: {height / SIZE:.3f}em; '
           f'vertical-align: {-depth / SIZE:.3f}em"/>')
    return f'<span class="math display">{img}</span>' if display else img
