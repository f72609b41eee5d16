"""Join the PDFs of a book's pieces (laid out apart) into one PDF, as one layout would have written it.

pikepdf (qpdf) stacks the pages; then this module puts back what a PDF holds for the whole document:
the folio (page-number) drawing of each page, named destinations (links between chapters), the
outline, the tagged structure tree (its parent tree renumbered), page labels, metadata, and one font
program per face instead of one subset per piece (WeasyPrint subsets with HarfBuzz keeping the
glyph ids, so the subsets of one face merge glyph by glyph). qpdf writes only what the joined
document refers to, in compressed object streams, as WeasyPrint does.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from collections.abc import Sequence
from typing import Any


def join(pieces: Sequence[bytes], folio: bytes | None, foreign: Sequence[Sequence[str]],
         created: dt.datetime | None = None) -> bytes:
    """One PDF of *pieces* in order, the pages of *folio* (one per page, if given) drawn over them.

    The document information is the first piece's, with *created* (the build time, which the pieces
    leave out so that their layouts can be cached) as /CreationDate and /ModDate, written as WeasyPrint
    writes a `dcterms.created` of whole seconds in UTC (PDF 1.7, 7.9.4 "Dates").
    *foreign*: for each piece, the anchors it held only as stand-ins for links to other pieces
    (pdf_chapters.lay_out_piece); the joined named destinations come from the pieces that hold them.
    Raises ValueError when the folio document has another number of pages than the pieces together.
    """
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    sources = [pikepdf.open(io.BytesIO(data)) for data in pieces]
    joined = pikepdf.new()
    first = sources[0]
    tagged = all("/StructTreeRoot" in source.Root for source in sources)
    document = joined.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
    root = joined.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([document])))
    document.P = root
    parent_nums: list[tuple[int, Any]] = []
    next_key = 0
    dests: dict[str, Any] = {}
    outline: list[tuple[int, str, int, Any, bool]] = []
    for index, source in enumerate(sources):
        offset = len(joined.pages)
        numbers = {page.obj.objgen: n for n, page in enumerate(source.pages)}
        kids: list[Any] = []
        if tagged:
            tree = source.Root.StructTreeRoot
            own = tree.K[0] if isinstance(tree.K, Array) else tree.K
            kids = list(own.K) if isinstance(own.K, Array) else [own.K]
            # Cut the kids from the piece's own Document element first: copied, they would bring it along.
            for kid in kids:
                if isinstance(kid, Dictionary) and "/P" in kid:
                    del kid.P
        with warnings.catch_warnings():
            # pikepdf warns that named destinations do not come along: this join writes its own.
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            joined.pages.extend(source.pages)
        if tagged:
            for kid in kids:
                copied = joined.copy_foreign(kid) if kid.is_indirect else kid
                if isinstance(copied, Dictionary):
                    copied.P = document
                document.K.append(copied)
            keys: dict[int, int] = {}
            nums = source.Root.StructTreeRoot.ParentTree.Nums
            for position in range(0, len(nums), 2):
                keys[int(nums[position])] = next_key
                value = nums[position + 1]
                parent_nums.append((next_key, _copy(joined, value)))
                next_key += 1
            for page in joined.pages[offset:]:
                if "/StructParents" in page.obj:
                    page.obj.StructParents = keys[int(page.obj.StructParents)]
                for annotation in page.obj.get("/Annots", Array()):
                    if "/StructParent" in annotation and int(annotation.StructParent) in keys:
                        annotation.StructParent = keys[int(annotation.StructParent)]
        stand_ins = set(foreign[index]) if index < len(foreign) else set()
        names = source.Root.get("/Names", Dictionary()).get("/Dests", Dictionary()).get("/Names", Array())
        for position in range(0, len(names), 2):
            name = str(names[position])
            target = names[position + 1]
            if name in stand_ins or name in dests or len(target) == 0 or target[0].objgen not in numbers:
                continue
            dests[name] = Array([joined.pages[offset + numbers[target[0].objgen]].obj, *list(target)[1:]])
        if "/Outlines" in source.Root and "/First" in source.Root.Outlines:
            _collect_outline(source.Root.Outlines.First, 0, offset, numbers, outline)
    if tagged:
        root.ParentTree = joined.make_indirect(Dictionary(Nums=Array([item for key, value in sorted(
            parent_nums, key=lambda pair: pair[0]) for item in (key, value)])))
        root.ParentTreeNextKey = next_key
        for key in ("/RoleMap", "/ClassMap"):
            if key in first.Root.StructTreeRoot:
                root[key] = _copy(joined, first.Root.StructTreeRoot[key])
        joined.Root.StructTreeRoot = root
    if folio is not None:
        _draw_folios(joined, pikepdf.open(io.BytesIO(folio)))
    if dests:
        joined.Root.Names = Dictionary(Dests=joined.make_indirect(Dictionary(
            Names=Array([item for name in sorted(dests) for item in (pikepdf.String(name), dests[name])]))))
    _add_outline(joined, outline)
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/PageLabels", "/PageMode"):
        if key in first.Root:
            joined.Root[key] = _copy_direct(joined, first.Root[key])
    for key, value in first.docinfo.items():
        joined.docinfo[key] = value
    if created is not None:
        stamp = created.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00")
        joined.docinfo["/CreationDate"] = joined.docinfo["/ModDate"] = pikepdf.String(stamp)
    merge_fonts(joined)
    if "/ID" in first.trailer:
        joined.trailer.ID = _copy_direct(joined, first.trailer.ID)
    out = io.BytesIO()
    # The first half of /ID stays the edition's identifier (WeasyPrint's pdf_identifier); qpdf derives
    # the second from the content, so the same input gives the same bytes.
    joined.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True,
                deterministic_id=True)
    return out.getvalue()


def _copy_direct(pdf: Any, value: Any) -> Any:
    """A direct object of another PDF, copied (its indirect parts through copy_foreign)."""
    import pikepdf

    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy(pdf, item) for key, item in value.items()})
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([_copy(pdf, item) for item in value])
    return value


def _copy(pdf: Any, value: Any) -> Any:
    import pikepdf

    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return pdf.copy_foreign(value)
    return _copy_direct(pdf, value)


def _collect_outline(item: Any, level: int, offset: int, numbers: dict[Any, int],
                     found: list[tuple[int, str, int, Any, bool]]) -> None:
    """The outline's entries as (level, title, page index in the joined PDF, destination rest, open)."""
    while item is not None:
        dest = item.get("/Dest")
        if dest is not None and len(dest) and dest[0].objgen in numbers:
            found.append((level, str(item.Title), offset + numbers[dest[0].objgen], list(dest)[1:],
                          int(item.get("/Count", 0)) >= 0))
        if "/First" in item:
            _collect_outline(item.First, level + 1, offset, numbers, found)
        item = item.get("/Next")


def _add_outline(pdf: Any, outline: list[tuple[int, str, int, Any, bool]]) -> None:
    """The outline as WeasyPrint writes it: each entry an /XYZ destination on its page, open or closed."""
    from pikepdf import Array, Dictionary, Name

    if not outline:
        return
    tree: list[dict[str, Any]] = []
    path: list[dict[str, Any]] = []
    for level, title, page, rest, is_open in outline:
        node = {"title": title, "page": page, "rest": rest, "open": is_open, "children": []}
        del path[level:]
        (path[-1]["children"] if path else tree).append(node)
        path.append(node)

    def emit(parent: Any, nodes: list[dict[str, Any]]) -> int:
        """Write *nodes* under *parent*; returns how many entries show under it when it is open."""
        previous = None
        visible = 0
        for node in nodes:
            entry = pdf.make_indirect(Dictionary(Title=node["title"], Parent=parent,
                                                 Dest=Array([pdf.pages[node["page"]].obj, *node["rest"]])))
            if previous is None:
                parent.First = entry
            else:
                previous.Next = entry
                entry.Prev = previous
            parent.Last = entry
            previous = entry
            below = emit(entry, node["children"])
            entry.Count = below if node["open"] else -below
            visible += 1 + (below if node["open"] else 0)
        return visible

    top = pdf.make_indirect(Dictionary(Type=Name.Outlines))
    top.Count = emit(top, tree)
    pdf.Root.Outlines = top


def _draw_folios(pdf: Any, folio: Any) -> None:
    """Draw page i of *folio* over page i of the joined PDF, as a form XObject (no content is re-parsed)."""
    import pikepdf

    if len(folio.pages) != len(pdf.pages):
        raise ValueError(f"the folio document has {len(folio.pages)} pages, the book {len(pdf.pages)}")
    for number, (page, over) in enumerate(zip(pdf.pages, folio.pages), start=1):
        form = pdf.copy_foreign(over.as_form_xobject())
        # Page.add_overlay's steps, but the form's name fixed: add_overlay draws one at random, and the
        # same input must give the same bytes. One name per page: a piece's pages share their resources.
        name = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(f"/PubpipeFolio{number}"))
        placement = page.calc_form_xobject_placement(form, name, pikepdf.Rectangle(page.trimbox))
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(b"Q\n", prepend=False)
        page.contents_add(placement, prepend=False)
        page.contents_coalesce()


def merge_fonts(pdf: Any) -> None:
    """Give the subsets of one TrueType face as few font programs as can be: the union of their glyphs.

    A page's text draws glyph ids, so subsets share one program only where glyph n is the same glyph in
    each (_compatible). Faces whose programs are not TrueType (FontFile3: CFF) keep one program per piece.
    """
    import pikepdf

    groups: dict[str, list[Any]] = {}
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", pikepdf.Dictionary()).get("/Font", pikepdf.Dictionary())
        for font in fonts.values():
            for descendant in font.get("/DescendantFonts", pikepdf.Array()):
                descriptor = descendant.get("/FontDescriptor")
                if descriptor is None or "/FontFile2" not in descriptor or descriptor.objgen in seen:
                    continue
                seen.add(descriptor.objgen)
                groups.setdefault(str(descriptor.get("/FontName", "")).split("+", 1)[-1], []).append(descriptor)
    for group in groups.values():
        users: dict[bytes, list[Any]] = {}
        for descriptor in group:
            users.setdefault(bytes(descriptor.FontFile2.read_bytes()), []).append(descriptor)
        if len(group) < 2:
            continue
        for programs in _compatible(list(users)):
            merged = _merge_programs(programs)
            if merged is None:  # not TrueType outlines: one program per piece
                continue
            # One stream for every piece the set serves (pieces with the very same subset included).
            stream = pikepdf.Stream(pdf, merged)
            stream.Length1 = len(merged)
            for program in programs:
                for descriptor in users[program]:
                    descriptor.FontFile2 = stream


def _compatible(programs: list[bytes]) -> list[list[bytes]]:
    """*programs* in sets that may share one program: no two of a set draw different glyphs under one id.

    WeasyPrint's subsets do not always keep the font's glyph ids (in some, a composite glyph's part
    is renumbered; some are numbered afresh): merged regardless, a page drew a dotless i for an x. Each
    program joins the first set it agrees with, glyph by glyph (the same bytes, or one of them empty).
    """
    from fontTools.ttLib import TTFont

    sets: list[tuple[list[bytes], dict[int, bytes]]] = []
    for program in programs:
        font = TTFont(io.BytesIO(program), recalcBBoxes=False, recalcTimestamp=False)
        if "glyf" not in font or "gvar" in font:
            sets.append(([program], {}))
            continue
        table = font["glyf"]
        drawn = {gid: _data(table, name) for gid, name in enumerate(font.getGlyphOrder())
                 if not _empty(table.glyphs.get(name))}
        for members, slots in sets:
            if slots and all(slots.get(gid, data) == data for gid, data in drawn.items()):
                members.append(program)
                slots.update(drawn)
                break
        else:
            sets.append(([program], dict(drawn)))
    return [members for members, _ in sets]


def _merge_programs(programs: list[bytes]) -> bytes | None:
    """The glyphs of every program in one (all are subsets of one font with the glyph ids kept)."""
    from fontTools.ttLib import TTFont

    if len(programs) == 1:
        return programs[0]
    fonts = [TTFont(io.BytesIO(data), recalcBBoxes=False, recalcTimestamp=False) for data in programs]
    if any("glyf" not in font or "gvar" in font for font in fonts):
        return None
    base = max(fonts, key=lambda font: font["maxp"].numGlyphs)
    order = base.getGlyphOrder()
    glyf, hmtx = base["glyf"], base["hmtx"]
    for other in fonts:
        if other is base:
            continue
        theirs = other["glyf"]
        for gid, name in enumerate(other.getGlyphOrder()[:len(order)]):
            mine = order[gid]
            if _empty(theirs.glyphs.get(name)):
                continue
            if _empty(glyf.glyphs.get(mine)):
                glyf.glyphs[mine] = theirs.glyphs[name]
            elif _data(glyf, mine) != _data(theirs, name):
                # Two subsets draw different glyphs under one id: they did not keep the font's ids (a
                # composite's part is renumbered in some), so each piece keeps its own program.
                return None
            if hmtx.metrics.get(mine, (0, 0))[0] == 0 and other["hmtx"].metrics.get(name, (0, 0))[0]:
                hmtx.metrics[mine] = other["hmtx"].metrics[name]
    for table in ("hdmx", "VDMX", "LTSH"):
        if table in base:
            del base[table]
    out = io.BytesIO()
    base.save(out)
    return out.getvalue()


def _data(table: Any, name: str) -> bytes:
    """A glyph's compiled bytes (its outline, or a composite's parts by glyph id), to compare two subsets'."""
    glyph = table.glyphs[name]
    return bytes(glyph.data) if hasattr(glyph, "data") else bytes(glyph.compile(table))


def _empty(glyph: Any) -> bool:
    """Whether a glyph (raw or expanded) draws nothing."""
    if glyph is None:
        return True
    if hasattr(glyph, "data"):
        return not glyph.data
    return getattr(glyph, "numberOfContours", 0) == 0


def join_apart(pieces: Sequence[bytes], folio: bytes | None, foreign: Sequence[Sequence[str]],
               created: dt.datetime | None = None) -> bytes:
    """join() in a Python process of its own, started afresh: the same bytes.

    qpdf holds every piece's objects while it copies their pages and structure trees (about 90 MiB
    for a 218-page book), which made the build's own process the largest of a book's build; a fresh
    process (about 0.2 s to start) gives that memory back when it ends. When no process can be
    started, the join runs here. Raises BackendError (B100) when the process fails.
    """
    import pickle
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from ...errors import BackendError

    with tempfile.TemporaryDirectory(prefix="pubpipe-join-") as temp:
        request, answer = Path(temp) / "pieces.pickle", Path(temp) / "joined.pdf"
        request.write_bytes(pickle.dumps((list(pieces), folio, [list(names) for names in foreign], created)))
        try:
            done = subprocess.run([sys.executable, "-m", __name__, str(request), str(answer)],
                                  capture_output=True, check=False, timeout=3600)
        except OSError:
            return join(pieces, folio, foreign, created)
        if done.returncode != 0:
            lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise BackendError(f"joining the book's pieces failed: {lines[-1] if lines else done.returncode}",
                               hint="report it with the book (pdf_parallel's pieces could not be joined)",
                               code="B100")
        return answer.read_bytes()


if __name__ == "__main__":  # join_apart's process: python -m pubpipe.backends.render.pdfjoin REQUEST ANSWER
    import pickle
    import sys
    from pathlib import Path

    from ...building.files import write_atomic

    arguments = pickle.loads(Path(sys.argv[1]).read_bytes())
    write_atomic(Path(sys.argv[2]), join(*arguments))
