"""The epub backend: EPUB 3 packaged by ebooklib from XHTML the templates write."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import MissingDependency, SourceRef
from ..installed import version
from ..model import Edition, ast
from .base import Backend, BuildContext, BuildResult

if TYPE_CHECKING:
    from .render.pagelist import PageStart

# The writer, the page list (lxml), the cover and the other helpers are imported by build(): a
# build with nothing to do asks a backend only for its name, styles and fingerprint.

# The section element of a chapter file: its blocks are where the print pages' markers go.
CHAPTER_SECTION = "//x:body/x:section[1]"
FRONT = {"titlepage": ("text/title.xhtml", "//x:body/x:section[1]"), "toc": ("nav.xhtml", "//x:body")}


def chapter_file(index: int) -> str:
    return f"text/chapter-{index + 1:03d}.xhtml"


def first_undescribed(edition: Edition) -> SourceRef | None:
    """Where the first image without alt text is (its block's file:line), for A103."""
    for section in edition.sections:
        for block in section.blocks:
            if any(not ast.plain_text(image["c"][1]).strip() for image in ast.find(block, "Image")):
                return block.get("pos") or section.source
    return None


class EpubBackend(Backend):
    name = "epub"
    suffix = ".epub"
    description = "EPUB 3 e-book through ebooklib"
    styles = ("base.css", "code.css", "epub.css")
    layout_from = "pdf"
    """The page list follows the PDF's pages: the build hands this backend the pdf backend's page_starts()."""
    layout_styles = ("base.css", "code.css", "print.css")
    """… so the PDF's stylesheets shape the EPUB too …"""
    layout_templates = ("pdf",)
    """… and so do the pdf backend's templates."""

    def fingerprint(self) -> dict[str, str]:
        from .render.fonts import fonts_fingerprint

        return {"pubpipe": version("pubpipe"), "ebooklib": version("ebooklib"), "pillow": version("pillow"),
                "weasyprint": version("weasyprint"), "fonttools": version("fonttools"),
                "system fonts": fonts_fingerprint(), "pandoc": version("pypandoc-binary"),
                "ziamath": version("ziamath")}

    def build(self, edition: Edition, ctx: BuildContext) -> BuildResult:
        try:
            from ebooklib import epub
        except ImportError:
            raise MissingDependency("ebooklib is not installed", hint="pip install ebooklib", code="D104") from None
        from ..reading.names import epub_file_name
        from ..transforms.links import EDITION
        from .content import render_sections, template_values
        from .cover import render_cover
        from .render.fonts import strip_font_faces
        from .render.outline import Entry, ebooklib_toc, section_entry, subheadings
        from .render.pagelist import PageStart, mark_document
        from .render.subset import chain_for, embed, font_face_rules, text_of
        from .render.writer import HtmlWriter

        meta = edition.metadata
        t = ctx.catalogue
        # Which chapter file holds each id, so links and notes that cross files resolve.
        home = {}
        for index, section in enumerate(edition.sections):
            for ident in section.ids | {section.id}:
                home[ident] = chapter_file(index)

        def href(target: str, current: str) -> str:
            if target.startswith(EDITION):
                return ""  # another edition is outside this package
            if target.startswith("#"):
                file = home.get(target[1:], current)
                return target if file == current else f"{Path(file).name}{target}"
            return target

        values = template_values(edition, ctx)
        templates = ctx.templates
        book = epub.EpubBook()
        book.set_identifier(meta.identifier)
        book.set_title(meta.title)
        book.set_language(edition.lang)
        book.set_direction(meta.direction)
        for number, author in enumerate(meta.authors):
            book.add_author(author, uid=f"creator{number}")
        for number, translator in enumerate(meta.translators):
            book.add_metadata("DC", "contributor", translator, {"id": f"translator{number}"})
            book.add_metadata(None, "meta", "trl", {"refines": f"#translator{number}", "property": "role",
                                                      "scheme": "marc:relators"})
        for key, value in (("description", meta.description), ("rights", meta.rights),
                           ("publisher", meta.publisher), ("date", meta.date)):
            if value:
                book.add_metadata("DC", key, value)
        for keyword in meta.keywords:
            book.add_metadata("DC", "subject", keyword)
        if not edition.is_original:
            book.add_metadata("DC", "source", meta.original_identifier)
        # Where the print pages begin, as the pdf backend laid the edition out (the build asks it first, to
        # key this output by them); none without a lender: then the book has no page list.
        starts = [PageStart.from_json(start) for start in ctx.layout or ()]

        items: list[Any] = []

        def page(file_name: str, item_id: str, content: str, properties: tuple[str, ...] = ()) -> Any:
            item = epub.EpubItem(uid=item_id, file_name=file_name, media_type="application/xhtml+xml",
                                 content=content.encode("utf-8"))
            item.properties = list(properties)
            book.add_item(item)
            return item

        stylesheet = ctx.styles.css(self.styles)
        chain = chain_for(stylesheet, ctx.styles.fonts())
        cover_png = render_cover(meta, chain, t("language_name"))
        book.set_cover("images/cover.png", cover_png, create_page=False)
        css = epub.EpubItem(uid="style", file_name="styles/book.css", media_type="text/css")
        book.add_item(css)
        for number, asset in enumerate(edition.assets):
            book.add_item(epub.EpubItem(uid=f"asset-{number}", file_name=f"images/{epub_file_name(asset.href)}",
                                        media_type=asset.media_type, content=asset.source.read_bytes()))

        items.append(page("text/cover.xhtml", "cover",
                          templates.get_template("epub/cover.xhtml").render(**values, page_title=t("cover"))))
        front = {kind: [s for s in starts if s.front == kind] for kind in FRONT}
        items.append(page("text/title.xhtml", "titlepage", mark_document(
            templates.get_template("epub/titlepage.xhtml").render(**values, page_title=meta.title),
            front["titlepage"], FRONT["titlepage"][1])))
        chapters = []
        # One pandoc run for the whole edition; links resolve from the file of the section being prepared.
        writer = HtmlWriter(link_href=lambda target: href(target, chapter_file(writer.section_index)), xhtml=True,
                            image_src=lambda h: f"../images/{epub_file_name(h)}", reporter=ctx.reporter,
                            details_summary=t("details"), cache_dir=ctx.written_parts(edition))
        for index, (section, rendered) in enumerate(zip(edition.sections, render_sections(edition, writer))):
            chapters.append((chapter_file(index), section, rendered))
            properties = ("mathml",) * rendered.has_math + ("svg",) * rendered.has_svg
            items.append(page(chapter_file(index), f"chapter-{index + 1:03d}", mark_document(
                templates.get_template("epub/chapter.xhtml").render(
                    **values, section=rendered, page_title=section.title or meta.title),
                [s for s in starts if not s.front and s.section == index], CHAPTER_SECTION), properties))
        items.append(page("text/colophon.xhtml", "colophon",
                          templates.get_template("epub/colophon.xhtml").render(**values, page_title=t("colophon"))))
        # The contents nest as the PDF's outline does: each section, the headings inside it under it (an
        # untitled opening's headings stand at the top).
        toc: list[Entry] = []
        for file, section, rendered in chapters:
            entry = section_entry(f"{file}#{section.id}", section.title, file, subheadings(rendered.body_html))
            toc += [entry] if section.title else entry.children
        if not toc:  # a text without headings: the contents (nav and NCX) must still list one entry
            toc = [Entry(chapters[0][0], meta.title or t("start_of_content"))]
        nav = page("nav.xhtml", "nav", mark_document(templates.get_template("epub/nav.xhtml").render(
            **values, toc=toc, first_chapter=chapters[0][0], page_title=t("contents"),
            pages=[(page_file(s), s.number) for s in starts]), front["toc"], FRONT["toc"][1]), ("nav",))
        book.toc = ebooklib_toc(toc, epub)
        # The fonts, cut to the characters these pages set (readers have no fallback fonts of their own to
        # count on), and @font-face rules for exactly those in place of the stylesheets' own.
        text, code = text_of(item.content for item in items + [nav])
        fonts = embed(chain, text, code, None, ctx.cache_dir)
        for font in fonts:
            book.add_item(epub.EpubItem(uid=f"font-{Path(font.name).stem}", file_name=f"styles/fonts/{font.name}",
                                        media_type=font.media_type, content=font.data))
        css.content = (font_face_rules(fonts, "fonts/") + strip_font_faces(stylesheet)).encode("utf-8")
        book.add_item(epub.EpubNcx())
        book.spine = [items[0], items[1], nav, *items[2:]]
        # Last, once every document is in: the claims depend on what the documents hold.
        undescribed = add_accessibility(book, edition, t, bool(starts),
                                        f"{meta.identifier} ({t('print_edition')}, {ctx.slug}.pdf)")
        if undescribed:
            ctx.reporter.warn("A103", f"{len(undescribed)} image(s) without alt text (first: '{undescribed[0]}'): the "
                              "EPUB does not claim text alternatives or WCAG 2.1 AA conformance",
                              first_undescribed(edition), "describe each image: ![what it shows](…); "
                              "`pubpipe check` lists them with their lines (K164)")
        buffer = io.BytesIO()
        epub.write_epub(buffer, book, {"epub2_guide": False, "epub3_landmark": False, "epub3_pages": False,
                                       "mtime": ctx.build_time})
        ctx.output.write_bytes(repack(buffer.getvalue(), ctx.build_time.timetuple()[:6], edition.lang))
        return BuildResult(ctx.output)


def _package_language(opf: bytes, lang: str) -> bytes:
    from lxml import etree

    root = etree.fromstring(opf)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    return bytes(etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True))


def page_file(start: PageStart) -> str:
    """The file (relative to the nav document) holding the marker of one print page."""
    return FRONT[start.front][0] if start.front else chapter_file(start.section)


def add_accessibility(book: Any, edition: Edition, t: Any, page_list: bool, page_source: str) -> list[str]:
    """EPUB Accessibility 1.1 metadata: how the book can be read, what it offers, what it conforms to.

    Claimed only where it holds for this book (call it once every document is in *book*): text
    alternatives and WCAG 2.1 AA conformance only when every image of every XHTML document has
    non-empty alt text (the cover's is the title); otherwise the summary says what is missing, and
    text alone is not a sufficient access mode. A hazard of "none" unless an image is animated
    (then "unknown": pubpipe cannot tell whether it flashes). Vocabulary: the EPUB Accessibility 1.1
    and schema.org accessibility properties (w3.org/TR/epub-a11y-11, schema.org/accessibilityFeature).
    *t*: the edition's catalogue (`accessibility_summary`, `accessibility_summary_no_alt`).
    Returns the images (their `src`) without alt text, in document order.
    """
    undescribed = images_without_alt(book)
    described = not undescribed
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    if page_list:
        features += ["pageBreakMarkers", "pageNavigation"]
    if described:
        features.append("alternativeText")
    for mode in ("textual", "visual"):
        book.add_metadata(None, "meta", mode, {"property": "schema:accessMode"})
    book.add_metadata(None, "meta", "textual" if described else "textual,visual",
                      {"property": "schema:accessModeSufficient"})
    for feature in features:
        book.add_metadata(None, "meta", feature, {"property": "schema:accessibilityFeature"})
    hazard = "unknown" if any(animated(asset.source) for asset in edition.assets) else "none"
    book.add_metadata(None, "meta", hazard, {"property": "schema:accessibilityHazard"})
    summary = t("accessibility_summary") if described else t("accessibility_summary_no_alt")
    book.add_metadata(None, "meta", summary, {"property": "schema:accessibilitySummary"})
    if described:
        book.add_metadata(None, "meta", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA",
                          {"property": "dcterms:conformsTo"})
        # The evaluator of the claim: the publisher, who ships what pubpipe checked.
        book.add_metadata(None, "meta", edition.metadata.publisher or "pubpipe", {"property": "a11y:certifiedBy"})
    if page_list:
        book.add_metadata(None, "meta", page_source, {"property": "pageBreakSource"})
    return undescribed


def images_without_alt(book: Any) -> list[str]:
    """The `src` of every `<img>` in the book's XHTML documents whose alt text is missing or blank."""
    from lxml import etree

    found = []
    for item in book.get_items():
        if item.media_type != "application/xhtml+xml" or not item.content:
            continue
        root = etree.fromstring(item.content)
        for image in root.iter("{http://www.w3.org/1999/xhtml}img"):
            if not (image.get("alt") or "").strip():
                found.append(str(image.get("src") or "").removeprefix("../images/"))
    return found


def animated(path: Path) -> bool:
    """Whether an image file has more than one frame (an animated GIF, PNG or WebP), read with Pillow."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return bool(getattr(image, "is_animated", False))
    except (OSError, UnidentifiedImageError):
        return False


def repack(data: bytes, date_time: tuple[int, ...], lang: str) -> bytes:
    """The same EPUB with fixed timestamps: same input, same bytes. `mimetype` stays first and stored.

    The package document also gets `xml:lang`, which ebooklib does not write and reading systems use
    for the metadata's language."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    year, month, day, hour, minute, second = date_time
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(max(year, 1980), month, day, hour, minute, second))
            fixed.external_attr = 0o644 << 16
            if info.filename == "mimetype":
                fixed.compress_type = zipfile.ZIP_STORED
            else:
                fixed.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename.endswith(".opf"):
                content = _package_language(content, lang)
            target.writestr(fixed, content)
    return out.getvalue()
