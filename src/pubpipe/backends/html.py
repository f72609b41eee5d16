"""The html backend: one standalone HTML5 page per edition, with its fonts and images beside it."""

from __future__ import annotations

from ..installed import version
from ..model import Edition
from .base import Backend, BuildContext, BuildResult

# The writer and the templates' helpers are imported by build(): a build with nothing to do
# asks a backend only for its name, styles and fingerprint (docs/PERFORMANCE.md, "Starting fast").

FONTS_MARK = "/* pubpipe: @font-face rules */\n"
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")


class HtmlBackend(Backend):
    name = "html"
    suffix = ".html"
    description = "standalone HTML5 page per edition"
    styles = ("base.css", "code.css", "html.css")

    def fingerprint(self) -> dict[str, str]:
        from .render.fonts import fonts_fingerprint

        return {"pubpipe": version("pubpipe"), "jinja2": version("jinja2"), "fonttools": version("fonttools"),
                "system fonts": fonts_fingerprint(), "pandoc": version("pypandoc-binary")}

    def page(self, edition: Edition, ctx: BuildContext) -> str:
        """The edition as one HTML5 page (what build() writes, before the fonts' rules go in at FONTS_MARK)."""
        from ..reading.names import url_path
        from .content import edition_link, render_sections, template_values
        from .render.fonts import strip_font_faces
        from .render.writer import HtmlWriter

        # Images are copied under the names the author gave them; their src spells those as a URL.
        writer = HtmlWriter(link_href=lambda target: edition_link(ctx, self.suffix, target),
                            image_src=url_path, heading_offset=1, reporter=ctx.reporter,
                            details_summary=ctx.catalogue("details"), table_label=ctx.catalogue("table_region"),
                            cache_dir=ctx.written_parts(edition))
        sections = render_sections(edition, writer)
        notes = [note for section in sections for note in section.notes]
        page: str = ctx.templates.get_template("html/page.html").render(
            **template_values(edition, ctx), sections=sections, notes=notes,
            css=FONTS_MARK + strip_font_faces(ctx.styles.css(self.styles)), suffix=self.suffix, slug=ctx.slug,
        )
        return page

    def build(self, edition: Edition, ctx: BuildContext) -> BuildResult:
        import shutil

        from .render.subset import chain_for, embed, font_face_rules, text_of, woff2_available

        html = self.page(edition, ctx)
        # The fonts the page sets, cut to its characters (WOFF2 where fontTools can write it), with
        # @font-face rules for exactly those: the page makes no request outside its folder.
        text, code = text_of([html])
        fonts = embed(chain_for(ctx.styles.css(self.styles), ctx.styles.fonts()), text, code,
                      "woff2" if woff2_available() else None, ctx.cache_dir)
        ctx.output.write_text(html.replace(FONTS_MARK, font_face_rules(fonts, "fonts/"), 1), encoding="utf-8")
        from ..building.files import staging_for

        # Beside the page once the whole build succeeds; until then in the staging folder.
        folder = staging_for(ctx.output)
        extra = []
        for font in fonts:
            target = folder / "fonts" / font.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(font.data)
            extra.append(target)
        for asset in edition.assets:
            target = folder / asset.href
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(asset.source, target)
            extra.append(target)
        # The fonts folder holds this page's fonts only: an earlier build's others go at commit.
        return BuildResult(ctx.output, None, tuple(extra), replaces=("fonts",))
