"""Join the PDFs of a book's pieces (laid out apart) into one PDF, as one layout would have written it.

pypdf stacks the pages; then this module puts back what a PDF holds for the whole document: the
folio (page-number) drawing of each page, named destinations (links between chapters), the outline,
the tagged structure tree (its parent tree renumbered), page labels, metadata, and one font
program per face instead of one subset per piece (WeasyPrint subsets with HarfBuzz keeping the
glyph ids, so the subsets of one face merge glyph by glyph).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)


def join(pieces: Sequence[bytes], folio: bytes | None, foreign: Sequence[Sequence[str]]) -> bytes:
    """One PDF of *pieces* in order, the pages of *folio* (one per page, if given) drawn over them.

    *foreign*: for each piece, the anchors it held only as stand-ins for links to other pieces
    (pdf_chapters.lay_out_piece); the join's named destinations come from the pieces that hold them.
    Raises ValueError when the folio document has another number of pages than the pieces together.
    """
    readers = [PdfReader(io.BytesIO(data)) for data in pieces]
    writer = PdfWriter()
    first = readers[0]
    dests: dict[str, Any] = {}
    outline: list[tuple[int, Any, int]] = []
    struct_kids: list[IndirectObject] = []
    parent_nums: list[Any] = []
    next_key = 0
    document = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"),
                                 NameObject("/S"): NameObject("/Document"), NameObject("/K"): ArrayObject()})
    document_ref = writer._add_object(document)
    root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot"),
                             NameObject("/K"): ArrayObject([document_ref])})
    root_ref = writer._add_object(root)
    document[NameObject("/P")] = root_ref
    catalogs: list[Any] = [reader.trailer["/Root"] for reader in readers]
    tagged = all("/StructTreeRoot" in catalog for catalog in catalogs)
    for index, reader in enumerate(readers):
        offset = len(writer.pages)
        catalog: Any = reader.trailer["/Root"]
        tree: Any
        own_document: Any
        if tagged:
            # The piece's Document element and tree root become the joined ones when its kids are copied.
            tree = catalog["/StructTreeRoot"].get_object()
            own_document = tree["/K"][0] if isinstance(tree["/K"], ArrayObject) else tree["/K"]
            translated = writer._id_translated.setdefault(id(reader), {})
            translated[catalog.raw_get("/StructTreeRoot").idnum] = root_ref.idnum
            translated[own_document.idnum] = document_ref.idnum
        keys: dict[int, int] = {}
        for page in reader.pages:
            added = writer.add_page(page)
            if tagged and "/StructParents" in page:
                keys[int(page["/StructParents"])] = next_key  # type: ignore[call-overload]
                added[NameObject("/StructParents")] = NumberObject(next_key)
                next_key += 1
        if tagged:
            tree = catalog["/StructTreeRoot"].get_object()
            own_document = (tree["/K"][0] if isinstance(tree["/K"], ArrayObject) else tree["/K"]).get_object()
            for kid in own_document.get("/K", ArrayObject()):
                struct_kids.append(kid.clone(writer))
            nums = tree["/ParentTree"].get_object()["/Nums"]
            for number in range(0, len(nums), 2):
                old = int(nums[number])
                if old not in keys:
                    keys[old] = next_key
                    next_key += 1
                parent_nums += [NumberObject(keys[old]), nums[number + 1].clone(writer)]
            for page in writer.pages[offset:]:
                for annotation in page.get("/Annots", ArrayObject()):
                    annotation = annotation.get_object()
                    if "/StructParent" in annotation and int(annotation["/StructParent"]) in keys:
                        annotation[NameObject("/StructParent")] = NumberObject(keys[int(annotation["/StructParent"])])
        stand_ins = set(foreign[index]) if index < len(foreign) else set()
        names: Any = catalog.get("/Names", DictionaryObject()).get("/Dests")
        if names is not None:
            entries = names.get_object().get("/Names", ArrayObject())
            for position in range(0, len(entries), 2):
                name = str(entries[position])
                if name in stand_ins or name in dests:
                    continue
                target = entries[position + 1].get_object()
                page_number = reader.get_page_number(target[0].get_object()) if target else None
                if page_number is None:
                    continue
                dests[name] = ArrayObject([writer.pages[offset + page_number].indirect_reference,
                                           *[item for item in target[1:]]])
        _collect_outline(reader, reader.outline, offset, 0, outline)
    if tagged:
        for kid in struct_kids:
            element = kid.get_object()
            if isinstance(element, DictionaryObject):
                element[NameObject("/P")] = document_ref
        document[NameObject("/K")] = ArrayObject(struct_kids)
        parent_tree = DictionaryObject({NameObject("/Nums"): ArrayObject(_sorted_nums(parent_nums))})
        root[NameObject("/ParentTree")] = writer._add_object(parent_tree)
        root[NameObject("/ParentTreeNextKey")] = NumberObject(next_key)
        first_tree: Any = first.trailer["/Root"]["/StructTreeRoot"]  # type: ignore[index]
        for key in ("/RoleMap", "/ClassMap"):
            if key in first_tree:
                root[NameObject(key)] = first_tree[key].clone(writer)
        writer._root_object[NameObject("/StructTreeRoot")] = root_ref
    if folio is not None:
        _draw_folios(writer, PdfReader(io.BytesIO(folio)))
    _add_names(writer, dests)
    _add_outline(writer, outline)
    first_catalog: Any = first.trailer["/Root"]
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/PageLabels"):
        if key in first_catalog:
            writer._root_object[NameObject(key)] = first_catalog[key].clone(writer)
    if first.metadata is not None:
        writer.add_metadata({key: value for key, value in first.metadata.items() if isinstance(value, str)})
    merge_fonts(writer)
    if "/ID" in first.trailer:
        writer._ID = first.trailer["/ID"].clone(writer)  # type: ignore[assignment]
    drop_unreachable(writer)
    out = io.BytesIO()
    writer.write(out)
    return compact(out.getvalue())


def compact(data: bytes) -> bytes:
    """The PDF rewritten by qpdf (pikepdf) with its dictionaries in compressed object streams, as WeasyPrint
    writes them (pypdf writes every object on its own, uncompressed)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True,
                 deterministic_id=True)
        return out.getvalue()


def drop_unreachable(writer: PdfWriter) -> None:
    """Leave out of the file the objects nothing reachable from the catalog or the info refers to: the
    pieces' own font programs, Document elements and parent trees, replaced by the joined ones."""
    objects = writer._objects
    reached: set[int] = set()
    todo: list[Any] = [writer._root_object, writer._info]
    for start in (writer.root_object.indirect_reference, getattr(writer._info, "indirect_reference", None)):
        if isinstance(start, IndirectObject):
            reached.add(start.idnum)
    while todo:
        item = todo.pop()
        if isinstance(item, IndirectObject):
            if item.pdf is not writer or item.idnum in reached:
                continue
            reached.add(item.idnum)
            todo.append(objects[item.idnum - 1])
        elif isinstance(item, DictionaryObject):
            todo.extend(item.values())
        elif isinstance(item, ArrayObject):
            todo.extend(item)
    for index in range(len(objects)):
        if index + 1 not in reached:
            objects[index] = None


def _sorted_nums(nums: list[Any]) -> list[Any]:
    pairs = sorted(zip(nums[0::2], nums[1::2]), key=lambda pair: int(pair[0]))
    return [item for pair in pairs for item in pair]


def _collect_outline(reader: PdfReader, items: list[Any], offset: int, level: int,
                     found: list[tuple[int, Any, int]]) -> None:
    """The outline's entries as (level, entry, page index in the joined PDF), in order."""
    for item in items:
        if isinstance(item, list):
            _collect_outline(reader, item, offset, level + 1, found)
            continue
        page = reader.get_destination_page_number(item)
        found.append((level, item, offset + page if page is not None else -1))


def _add_outline(writer: PdfWriter, outline: list[tuple[int, Any, int]]) -> None:
    from pypdf.generic import Fit

    parents: list[Any] = []
    for level, item, page in outline:
        if page < 0:
            continue
        del parents[level:]
        left, top = item.get("/Left"), item.get("/Top")
        fit = Fit.xyz(float(left) if left is not None else None, float(top) if top is not None else None, 0)
        added = writer.add_outline_item(title=str(item.title), page_number=page,
                                        parent=parents[-1] if parents else None, fit=fit, is_open=False)
        parents.append(added)
    if outline:
        writer._root_object[NameObject("/PageMode")] = NameObject("/UseOutlines")


def _add_names(writer: PdfWriter, dests: dict[str, Any]) -> None:
    """The named destinations, sorted (a name tree must be)."""
    if not dests:
        return
    array = ArrayObject()
    for name in sorted(dests):
        array += [TextStringObject(name), dests[name]]
    names = DictionaryObject({NameObject("/Dests"): writer._add_object(
        DictionaryObject({NameObject("/Names"): array}))})
    writer._root_object[NameObject("/Names")] = names


def _draw_folios(writer: PdfWriter, folio: PdfReader) -> None:
    """Draw page i of *folio* over page i of the joined PDF, as a form XObject (no content is re-parsed)."""
    if len(folio.pages) != len(writer.pages):
        raise ValueError(f"the folio document has {len(folio.pages)} pages, the book {len(writer.pages)}")
    for page, over in zip(writer.pages, folio.pages):
        form = DecodedStreamObject()
        contents: Any = over.get_contents()
        form.set_data(contents.get_data() if contents is not None else b"")
        form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                     NameObject("/BBox"): ArrayObject(over.mediabox),
                     NameObject("/Resources"): over["/Resources"].clone(writer) if "/Resources" in over
                     else DictionaryObject()})
        form_ref = writer._add_object(form.flate_encode())
        # A page's own copy of its resources (WeasyPrint shares one dictionary between a piece's pages),
        # shallow: the fonts and images stay shared.
        resources = page.get("/Resources")
        resources = DictionaryObject(dict(resources.get_object())) if resources is not None else DictionaryObject()
        xobjects = resources.get("/XObject")
        xobjects = DictionaryObject(dict(xobjects.get_object())) if xobjects is not None else DictionaryObject()
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        xobjects[NameObject("/PubpipeFolio")] = form_ref
        contents = page.raw_get("/Contents")
        parts = list(contents) if isinstance(contents, ArrayObject) else [contents]
        before, after = StreamObject(), StreamObject()
        before.set_data(b"q\n")
        after.set_data(b"\nQ\nq /PubpipeFolio Do Q\n")
        page[NameObject("/Contents")] = ArrayObject([writer._add_object(before), *parts,
                                                     writer._add_object(after)])


def merge_fonts(writer: PdfWriter) -> None:
    """Give all subsets of one TrueType face one font program: the union of their glyphs.

    WeasyPrint subsets with HarfBuzz's RETAIN_GIDS, so glyph n is the same glyph in every subset of a
    face and a page's text draws the same glyphs with the merged program. Faces whose programs are not
    TrueType (FontFile3: CFF) keep one program per piece.
    """
    from fontTools.ttLib import TTFont

    descriptors: dict[str, list[DictionaryObject]] = {}
    seen: set[int] = set()
    for page in writer.pages:
        fonts = page.get("/Resources", DictionaryObject()).get_object().get("/Font")
        if fonts is None:
            continue
        for reference in fonts.get_object().values():
            font = reference.get_object()
            for descendant in font.get("/DescendantFonts", ArrayObject()):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                if id(descriptor) in seen or "/FontFile2" not in descriptor:
                    continue
                seen.add(id(descriptor))
                face = str(descriptor.get("/FontName", "")).split("+", 1)[-1]
                descriptors.setdefault(face, []).append(descriptor)
    for group in descriptors.values():
        programs: dict[bytes, None] = {}
        for descriptor in group:
            program: Any = descriptor["/FontFile2"].get_object()
            programs.setdefault(program.get_data(), None)
        if len(group) < 2:
            continue
        merged = programs and _merge_programs(list(programs), TTFont)
        if not merged:
            continue
        stream = DecodedStreamObject()
        stream.set_data(merged)
        stream[NameObject("/Length1")] = NumberObject(len(merged))
        reference = writer._add_object(stream.flate_encode())
        for descriptor in group:
            descriptor[NameObject("/FontFile2")] = reference


def _merge_programs(programs: list[bytes], ttfont: Any) -> bytes | None:
    """The glyphs of every program in one (all are subsets of one font with the glyph ids kept)."""
    if len(programs) == 1:
        return programs[0]
    fonts = [ttfont(io.BytesIO(data), lazy=False, recalcBBoxes=False, recalcTimestamp=False) for data in programs]
    if any("glyf" not in font or "gvar" in font for font in fonts):
        return None
    base = max(fonts, key=lambda font: font["maxp"].numGlyphs)
    order = base.getGlyphOrder()
    glyf, hmtx = base["glyf"], base["hmtx"]
    for other in fonts:
        if other is base:
            continue
        other_order = other.getGlyphOrder()
        for gid, name in enumerate(other_order):
            if gid >= len(order):
                break
            glyph = other["glyf"].glyphs.get(name)
            mine = glyf.glyphs.get(order[gid])
            theirs_empty = glyph is None or not getattr(glyph, "data", b"") and getattr(glyph, "numberOfContours", 0) == 0
            mine_empty = mine is None or not getattr(mine, "data", b"") and getattr(mine, "numberOfContours", 0) == 0
            if mine_empty and not theirs_empty:
                glyf.glyphs[order[gid]] = glyph
            if hmtx.metrics.get(order[gid], (0, 0))[0] == 0 and other["hmtx"].metrics.get(name, (0, 0))[0]:
                hmtx.metrics[order[gid]] = other["hmtx"].metrics[name]
    for table in ("hdmx", "VDMX", "LTSH"):
        if table in base:
            del base[table]
    out = io.BytesIO()
    base.save(out)
    return out.getvalue()
