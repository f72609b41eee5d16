"""The pdf backend: WeasyPrint renders the edition with the print stylesheets."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BackendError, MissingDependency
from ..installed import version
from ..model import Edition
from .base import Backend, BuildContext, BuildResult

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
    from .pdf_chapters import Sheet
    from .render.pagelist import PrintLayout

# The writer, the glyph check and the templates' helpers are imported where used: a build with
# nothing to do asks a backend only for its name, styles and fingerprint.

VARIANTS = ("pdf/ua-1", "pdf/a-3b")


def safe_fetcher(roots: tuple[Path, ...], allow_remote: bool) -> Any:
    """A WeasyPrint URL fetcher that serves files inside *roots* only (and the web only if allowed)."""
    from weasyprint.urls import URLFetcher

    roots = tuple(root.resolve() for root in roots)

    class ProjectFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                from urllib.request import url2pathname

                path = Path(url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
                if any(path == root or root in path.parents for root in roots):
                    return super().fetch(url, headers)
                raise ValueError(f"{path} is outside the project; not read")
            if allow_remote and url.startswith(("http:", "https:")):
                return super().fetch(url, headers)
            raise ValueError(f"{url} not fetched (remote resources need --allow-remote)")

    return ProjectFetcher()


def list_counters(html: str) -> str:
    """Lists that start at another number than 1 count from it in WeasyPrint too: its default style sheet
    does not read `<ol start>`, so `7.` would print as 1. (browsers and e-readers read it)."""
    import re

    return re.sub(r'<ol start="(-?\d+)"', lambda m: f'<ol start="{m.group(1)}" '
                  f'style="counter-reset: list-item {int(m.group(1)) - 1}"', html)


def image_widths(html: str) -> str:
    """`<img width="200">` (the author's raw HTML) is drawn 200 px wide in the PDF as in a browser: WeasyPrint
    reads no presentational attributes unless asked, and asking also changes its lists. As in a browser,
    the height follows the image's ratio (base.css: `height: auto`), so a height attribute alone does nothing."""
    import re

    def sized(match: re.Match[str]) -> str:
        tag = match.group(0)
        width = re.search(r'\swidth="(\d+(?:\.\d+)?)(%|px)?"', tag)
        if width is None or re.search(r'\sstyle="[^"]*(?<![-\w])width\s*:', tag):
            return tag
        value = width.group(1) + (width.group(2) or "px")
        if ' style="' in tag:
            return tag.replace(' style="', f' style="width: {value}; ', 1)
        return f'<img style="width: {value}"{tag[4:]}'

    return re.sub(r"<img\b[^>]*>", sized, html)


def add_page_labels(document: Any, pdf: Any) -> None:
    """Page labels equal to the folios printed in the footer (decimal from 1), so a viewer's page box,
    the printed number and the EPUB's page list all say the same."""
    import pydyf

    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array([0, pydyf.Dictionary({"S": "/D"})])})


def relative_file_links(base: Path) -> Any:
    """A finisher turning WeasyPrint's absolute file:// links (to other editions) back into links relative
    to *base*: they keep working wherever build/ is copied, and no absolute path gets into the PDF."""
    import os
    from urllib.parse import unquote, urlsplit

    import pydyf

    def finish(document: Any, pdf: Any) -> None:
        for item in pdf.objects:
            action = item.get("A") if isinstance(item, pydyf.Dictionary) else None
            if not isinstance(action, pydyf.Dictionary) or action.get("S") != "/URI":
                continue
            url = action["URI"].string if isinstance(action["URI"], pydyf.String) else ""
            if not url.startswith("file:"):
                continue
            parts = urlsplit(url)
            target = os.path.relpath(unquote(parts.path), base).replace(os.sep, "/")
            target += f"#{parts.fragment}" if parts.fragment else ""
            action["URI"] = pydyf.String(target)
            if "Contents" in item:
                item["Contents"] = pydyf.String(target)

    return finish


def print_sheets(edition: Edition, ctx: BuildContext) -> list[Sheet]:
    """The print stylesheets in cascade order: the design fonts' @font-face rules, the page numbers' digits, the
    layers, the page size."""
    from ..numerals import digit_style
    from .pdf_chapters import Sheet
    from .render.subset import design_rules

    # The design fonts by the names their files give; the fallback faces come from fontconfig.
    fonts = ctx.styles.fonts()
    sheets = [Sheet(text=design_rules(fonts, ""), base_url=str(fonts[0].parent) + "/")] if fonts else []
    # Page numbers in the digits the edition's dates have (numerals), before the layers so a project's
    # print-extra.css can still choose others.
    sheets.append(Sheet(text=f"html {{ --folio-digits: {digit_style(edition.lang)}; }}"))
    sheets += [Sheet(path=str(path)) for path in ctx.styles.layers(PdfBackend.styles)]
    sheets.append(Sheet(text=f"@page {{ size: {edition.metadata.page_size}; }}"))
    return sheets


def print_layout(edition: Edition, ctx: BuildContext) -> PrintLayout:
    """The edition laid out for print by WeasyPrint, and where its pages begin (pagelist.PrintLayout).

    Laid out again on every call: PdfBackend.layout() keeps it for the backend instance. A book is
    laid out chapter by chapter when the options ask for it (pdf_parallel.chapter_layout). WeasyPrint's
    warnings go to ctx.reporter (A301). Raises MissingDependency when WeasyPrint cannot be loaded.
    """
    from .pdf_parallel import chapter_layout

    joined = chapter_layout(edition, ctx)
    if joined is not None:
        return joined
    try:
        from weasyprint import CSS, HTML
        from weasyprint.css.counters import CounterStyle
        from weasyprint.text.fonts import FontConfiguration
    except (ImportError, OSError) as exc:
        raise MissingDependency(f"WeasyPrint cannot be loaded: {exc}",
                                hint="install Pango (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)",
                                code="D103") from None
    from .render.engine_log import engine_warnings
    from .render.pagelist import PrintLayout, anchor_blocks, forget_added, page_starts

    fonts = FontConfiguration()
    # One set of @counter-style rules for all the sheets (base.css defines `a)`-style list markers):
    # WeasyPrint keeps a sheet's counter styles to itself unless they share this.
    counters = CounterStyle()
    fetcher = safe_fetcher((ctx.root, *ctx.styles.folders), ctx.allow_remote)
    with engine_warnings(ctx.reporter) as engine:
        sheets = []
        for sheet in print_sheets(edition, ctx):
            if sheet.path:
                with engine.reading(Path(sheet.path)):  # WeasyPrint's messages give line:column, not the file
                    sheets.append(CSS(filename=sheet.path, font_config=fonts, counter_style=counters,
                                      url_fetcher=fetcher))
            else:
                sheets.append(CSS(string=sheet.text, base_url=sheet.base_url or None, font_config=fonts,
                                  counter_style=counters, url_fetcher=fetcher))
        html = HTML(string=PdfBackend().html(edition, ctx), base_url=str(edition.source_dir.parent) + "/",
                    url_fetcher=fetcher)
        # Anchors on the blocks, read back from the pages (Page.anchors), then taken out again.
        anchors = anchor_blocks(html.etree_element)
        document = html.render(stylesheets=sheets, font_config=fonts, counter_style=counters, pdf_tags=True)
    layout = PrintLayout(document, tuple(page_starts(document, anchors)))
    forget_added(document, anchors)
    return layout


class PdfBackend(Backend):
    name = "pdf"
    suffix = ".pdf"
    description = "print-ready PDF through WeasyPrint"
    styles = ("base.css", "code.css", "print.css")

    def __init__(self) -> None:
        self._laid_out: dict[str, tuple[Edition, PrintLayout, tuple[Diagnostic, ...]]] = {}
        """The layout of each edition (by language) this instance made, with what it reported."""

    def fingerprint(self) -> dict[str, str]:
        from .render.fonts import fonts_fingerprint

        return {"pubpipe": version("pubpipe"), "weasyprint": version("weasyprint"), "system fonts": fonts_fingerprint(),
                "pandoc": version("pypandoc-binary"), "ziamath": version("ziamath")}

    def layout(self, edition: Edition, ctx: BuildContext) -> PrintLayout:
        """print_layout() of *edition*, made once per instance: the epub job's page_starts() and the pdf
        job's build() of one task share it. What the layout reported goes to every caller's reporter."""
        from ..report import Reporter

        kept = self._laid_out.get(edition.lang)
        if kept is None or kept[0] is not edition:
            reporter = Reporter(strict=ctx.reporter.strict)
            layout = print_layout(edition, replace(ctx, reporter=reporter))
            kept = self._laid_out[edition.lang] = (edition, layout, tuple(reporter.diagnostics))
        ctx.reporter.extend(kept[2])
        return kept[1]

    def page_starts(self, edition: Edition, ctx: BuildContext) -> list[dict[str, Any]]:
        """Where each page of the PDF begins (render/pagelist.PageStart.to_json()), for the EPUB's page list."""
        return [start.to_json() for start in self.layout(edition, ctx).starts]

    def lays_out_in_workers(self, edition: Edition, options: Mapping[str, Any]) -> bool:
        from .pdf_parallel import wants_chapters

        return wants_chapters(edition, options)

    def html(self, edition: Edition, ctx: BuildContext) -> str:
        """The edition as one HTML document for print."""
        return self.book_html(edition, ctx, self.rendered_sections(edition, ctx))

    def rendered_sections(self, edition: Edition, ctx: BuildContext) -> list[Any]:
        """Every section written for print (one pandoc run): writer.RenderedSection each."""
        # Images go in as data: URLs: WeasyPrint names each image in the PDF by a hash of its URL, and a
        # file URL would put the project's absolute path into the bytes (same input, same bytes).
        from .content import edition_link, render_sections
        from .render.writer import HtmlWriter

        assets = {asset.href: asset for asset in edition.assets}

        def image_src(href: str) -> str:
            asset = assets.get(href)
            if asset is None:
                return href
            return f"data:{asset.media_type};base64,{base64.b64encode(asset.source.read_bytes()).decode('ascii')}"

        writer = HtmlWriter(link_href=lambda target: edition_link(ctx, self.suffix, target),
                            image_src=image_src, note_style="footnotes", heading_offset=1, math="svg",
                            reporter=ctx.reporter, details_summary=ctx.catalogue("details"), cache_dir=ctx.written_parts(edition))
        return [replace(section, body_html=image_widths(list_counters(section.body_html)))
                for section in render_sections(edition, writer)]

    def book_html(self, edition: Edition, ctx: BuildContext, sections: list[Any]) -> str:
        """The print template over *sections* (all of the edition's, or a chapter's for its own layout)."""
        from .content import template_values
        from .pdf_chapters import file_starts

        rendered: str = ctx.templates.get_template("pdf/book.html").render(
            **template_values(edition, ctx), sections=sections, suffix=self.suffix, slug=ctx.slug,
            file_starts=file_starts(edition))
        return rendered

    def render(self, edition: Edition, ctx: BuildContext) -> Any:
        """Lay the edition out with WeasyPrint; returns its Document (pages, anchors)."""
        return self.layout(edition, ctx).document

    def build(self, edition: Edition, ctx: BuildContext) -> BuildResult:
        # From --pdf-variant, else publication.yaml's `page: pdf_variant` (the build merges the two).
        variant = ctx.options.get("pdf_variant")
        if variant is not None and variant not in VARIANTS:
            raise BackendError(f"unknown PDF variant '{variant}'", hint=f"choose from: {', '.join(VARIANTS)}",
                               code="B101")
        layout = self.layout(edition, ctx)
        if layout.joined is not None:
            ctx.output.write_bytes(layout.joined)
            made, kept = layout.pieces
            return BuildResult(ctx.output, len(layout.starts),
                               note=f"{made} of {made + kept} chapter pieces laid out, {kept} from the cache")
        document = layout.document
        links = relative_file_links(edition.source_dir.parent)  # the base_url render() gives WeasyPrint

        def finish(document: Any, pdf: Any) -> None:
            add_page_labels(document, pdf)
            links(document, pdf)

        from .render.engine_log import engine_warnings

        with engine_warnings(ctx.reporter):  # fonts it cannot embed, images it cannot load
            document.write_pdf(str(ctx.output), pdf_variant=variant, pdf_tags=True, finisher=finish,
                               pdf_identifier=edition.metadata.identifier.encode("utf-8"))
        return BuildResult(ctx.output, len(document.pages))
