"""The html backend: one standalone HTML5 page per edition, with its fonts and images beside it."""

from __future__ import annotations

from ..installed import version
from ..model import Edition
from .base import BuildContext, BuildResult

# The writer and the templates' helpers are imported by build(): a build with nothing to do
# asks a backend only for its name, styles and fingerprint (docs/PERFORMANCE.md, "Starting fast").


class HtmlBackend:
    name = "html"
    suffix = ".html"
    description = "standalone HTML5 page per edition"
    styles = ("base.css", "code.css", "html.css")

    def fingerprint(self) -> dict[str, str]:
        return {"pubpipe": version("pubpipe"), "jinja2": version("jinja2"), "pandoc": version("pypandoc-binary")}

    def page(self, edition: Edition, ctx: BuildContext) -> str:
        """The edition as one HTML5 page (what build() writes)."""
        from ..writer import HtmlWriter
        from .content import edition_link, render_sections, template_values

        writer = HtmlWriter(link_href=lambda target: edition_link(ctx, self.suffix, target),
                            heading_offset=1, reporter=ctx.reporter,
                            details_summary=ctx.catalogue("details"))
        sections = render_sections(edition, writer)
        notes = [note for section in sections for note in section.notes]
        page: str = ctx.templates.get_template("html/page.html").render(
            **template_values(edition, ctx), sections=sections, notes=notes,
            css=ctx.styles.css(self.styles), suffix=self.suffix, slug=ctx.slug,
        )
        return page

    def build(self, edition: Edition, ctx: BuildContext) -> BuildResult:
        import shutil

        html = self.page(edition, ctx)
        ctx.output.write_text(html, encoding="utf-8")
        folder = ctx.output.parent
        extra = []
        # Fonts and images travel with the page, so it makes no request outside its folder.
        for font in ctx.styles.fonts():
            target = folder / "fonts" / font.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(font, target)
            extra.append(target)
        for asset in edition.assets:
            target = folder / asset.href
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(asset.source, target)
            extra.append(target)
        return BuildResult(ctx.output, None, tuple(extra))
