"""The pdf backend: WeasyPrint renders the edition with the print stylesheets."""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BackendError, MissingDependency
from ..installed import version
from ..model import Edition
from .base import Backend, BuildContext, BuildResult

if TYPE_CHECKING:
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


def print_layout(edition: Edition, ctx: BuildContext) -> PrintLayout:
    """The edition laid out for print by WeasyPrint, and where its pages begin (pagelist.PrintLayout).

    The pdf backend writes it; the epub backend's page list follows it. When the build runs an
    edition's pdf and epub jobs together it gives both the same ctx.layouts, so the edition is laid
    out once. Raises MissingDependency when WeasyPrint cannot be loaded.
    """
    shared: PrintLayout | None = ctx.layouts.get(edition.lang) if ctx.layouts is not None else None
    if shared is not None:
        return shared
    try:
        from weasyprint import CSS, HTML
        from weasyprint.css.counters import CounterStyle
        from weasyprint.text.fonts import FontConfiguration
    except (ImportError, OSError) as exc:
        raise MissingDependency(f"WeasyPrint cannot be loaded: {exc}",
                                hint="install Pango (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)",
                                code="D103") from None
    from .render.pagelist import PrintLayout, anchor_blocks, forget_added, page_starts
    from .render.subset import design_rules

    fonts = FontConfiguration()
    # One set of @counter-style rules for all the sheets (base.css defines `a)`-style list markers):
    # WeasyPrint keeps a sheet's counter styles to itself unless they share this.
    counters = CounterStyle()
    fetcher = safe_fetcher((ctx.root, *ctx.styles.folders), ctx.allow_remote)
    # The design fonts by the names their files give; the fallback faces come from fontconfig.
    sheets = [CSS(string=design_rules(ctx.styles.fonts(), ""), base_url=str(ctx.styles.fonts()[0].parent) + "/",
                  font_config=fonts, url_fetcher=fetcher)] if ctx.styles.fonts() else []
    sheets += [CSS(filename=str(path), font_config=fonts, counter_style=counters, url_fetcher=fetcher)
               for path in ctx.styles.layers(PdfBackend.styles)]
    sheets.append(CSS(string=f"@page {{ size: {edition.metadata.page_size}; }}", font_config=fonts))
    html = HTML(string=PdfBackend().html(edition, ctx), base_url=str(edition.source_dir.parent) + "/",
                url_fetcher=fetcher)
    # Anchors on the blocks, read back from the pages (Page.anchors), then taken out again.
    anchors = anchor_blocks(html.etree_element)
    document = html.render(stylesheets=sheets, font_config=fonts, counter_style=counters, pdf_tags=True)
    layout = PrintLayout(document, tuple(page_starts(document, anchors)))
    forget_added(document, anchors)
    if ctx.layouts is not None:
        ctx.layouts.put(edition.lang, layout)
    return layout


class PdfBackend(Backend):
    name = "pdf"
    suffix = ".pdf"
    description = "print-ready PDF through WeasyPrint"
    styles = ("base.css", "code.css", "print.css")

    def fingerprint(self) -> dict[str, str]:
        from .render.fonts import fonts_fingerprint

        return {"pubpipe": version("pubpipe"), "weasyprint": version("weasyprint"), "system fonts": fonts_fingerprint(),
                "pandoc": version("pypandoc-binary"), "ziamath": version("ziamath")}

    def html(self, edition: Edition, ctx: BuildContext) -> str:
        """The edition as one HTML document for print."""
        # Images go in as data: URLs: WeasyPrint names each image in the PDF by a hash of its URL, and a
        # file URL would put the project's absolute path into the bytes (same input, same bytes).
        from .content import edition_link, render_sections, template_values
        from .render.writer import HtmlWriter

        assets = {asset.href: asset for asset in edition.assets}

        def image_src(href: str) -> str:
            asset = assets.get(href)
            if asset is None:
                return href
            return f"data:{asset.media_type};base64,{base64.b64encode(asset.source.read_bytes()).decode('ascii')}"

        writer = HtmlWriter(link_href=lambda target: edition_link(ctx, self.suffix, target),
                            image_src=image_src, note_style="footnotes", heading_offset=1, math="svg",
                            reporter=ctx.reporter, details_summary=ctx.catalogue("details"))
        sections = [replace(section, body_html=image_widths(list_counters(section.body_html)))
                    for section in render_sections(edition, writer)]
        rendered: str = ctx.templates.get_template("pdf/book.html").render(
            **template_values(edition, ctx), sections=sections, suffix=self.suffix, slug=ctx.slug)
        return rendered

    def render(self, edition: Edition, ctx: BuildContext) -> Any:
        """Lay the edition out with WeasyPrint; returns its Document (pages, anchors)."""
        return print_layout(edition, ctx).document

    def build(self, edition: Edition, ctx: BuildContext) -> BuildResult:
        # From --pdf-variant, else publication.yaml's `page: pdf_variant` (the build merges the two).
        variant = ctx.options.get("pdf_variant")
        if variant is not None and variant not in VARIANTS:
            raise BackendError(f"unknown PDF variant '{variant}'", hint=f"choose from: {', '.join(VARIANTS)}",
                               code="B101")
        document = self.render(edition, ctx)
        links = relative_file_links(edition.source_dir.parent)  # the base_url render() gives WeasyPrint

        def finish(document: Any, pdf: Any) -> None:
            add_page_labels(document, pdf)
            links(document, pdf)

        document.write_pdf(str(ctx.output), pdf_variant=variant, pdf_tags=True, finisher=finish,
                           pdf_identifier=edition.metadata.identifier.encode("utf-8"))
        return BuildResult(ctx.output, len(document.pages))
