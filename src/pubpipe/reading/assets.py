"""An edition's images: each a real image inside source/ (or fetched from the web when allowed), else its alt text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SourceError, SourceRef
from ..model import Asset, Node, ast
from .project import Project

if TYPE_CHECKING:
    from ..report import Reporter


IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".svg": "image/svg+xml", ".webp": "image/webp"}


def collect_assets(blocks: list[Node], project: Project, reporter: Reporter | None = None,
                    allow_remote: bool = False, lang: str | None = None) -> tuple[Asset, ...]:
    """Resolve every image against its source file, check it is a real image inside the project;
    fetch web images when allowed (into build/.cache/remote/), else show their alt text.

    In a translation (*lang* other than the original's), an image the edition's folder does not
    have is taken from the original's at the same place (`source/de/images/map.png` →
    `source/en/images/map.png`): a translation shares the original's pictures unless it has its own.

    Each image that cannot be used is an error in *reporter* (every one of them, not just the first);
    without a reporter the first one is raised as a SourceError (and warnings are dropped).
    """
    from ..transforms.raw_html import runs_code
    from .names import file_candidates
    from .remote import FetchError, fetch_image, is_remote

    assets: dict[str, Asset] = {}
    source_root = project.source_dir.resolve()
    root = project.root.resolve()

    def problem(code: str, message: str, where: SourceRef, hint: str) -> None:
        if reporter is None:
            raise SourceError(message, where, hint, code=code)
        reporter.error(code, message, where, hint)

    def warn(code: str, message: str, where: SourceRef, hint: str) -> None:
        if reporter is not None:
            reporter.warn(code, message, where, hint)

    # One walk over a long book, not one per kind of node.
    nodes = [node for node in ast.children(blocks) if node["t"] in ("Image", "Link", "Figure")]
    images = [node for node in nodes if node["t"] == "Image"]
    in_links = {id(image) for link in nodes if link["t"] == "Link" and images
                for image in ast.find(link["c"][1], "Image")}
    shown_alt = False
    for image in images:
        target = image["c"][2][0]
        where: SourceRef = image.get("pos") or SourceRef(project.config_path)
        in_link = id(image) in in_links or image.pop("in_link", False)
        if runs_code(target):
            warn("H103", f"image '{target}' would run code; its alt text is shown instead", where,
                 "give the image a file in the project or a web address")
            _show_alt(image, "", True)
            shown_alt = True
            continue
        if is_remote(target):
            if not allow_remote:
                warn("H101", f"web image '{target}' not fetched; its alt text is shown, linked to it", where,
                     "pass --allow-remote or set 'allow_remote: true' in publication.yaml to fetch and "
                     "embed it, or copy the image into source/")
                _show_alt(image, target, in_link)
                shown_alt = True
                continue
            try:
                fetched = fetch_image(target, project.build_dir / ".cache" / "remote")
            except FetchError as exc:
                warn("H102", f"web image '{target}' could not be fetched ({exc}); its alt text is shown, "
                     "linked to it", where, "check the address, or copy the image into source/; "
                     "the next build tries again (--force if nothing else changed)")
                _show_alt(image, target, in_link)
                shown_alt = True
                continue
            href = f"remote/{fetched.path.name}"
            image["c"][2][0] = href
            assets.setdefault(href, Asset(fetched.path, href, fetched.media_type))
            continue
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith("//"):
            problem("P013", f"image '{target}' is not a file in the project", where,
                    "copy the image into source/ and use a relative path")
            continue
        # As written, else percent-decoded: `my%20picture.png` is how CommonMark spells `my picture.png`.
        candidate = where.path.parent / target
        looked = []
        for folder in _image_folders(where.path.parent, project, lang):
            found = next((folder / name for name in file_candidates(target) if (folder / name).is_file()), None)
            if found is not None:
                candidate = found
                break
            looked.append((folder / target).parent)
        resolved = candidate.resolve()
        if target.startswith("/") or (root not in resolved.parents):
            problem("P014", f"image path '{target}' leaves the project", where,
                    "keep images inside the project's source/ folder")
            continue
        if not resolved.is_file():
            places = " and ".join(f"{folder.relative_to(root)}/" for folder in looked)
            problem("P012", f"image '{target}' not found (looked in {places})", where,
                    "check the file name and path")
            continue
        if source_root not in resolved.parents:
            problem("P014", f"image '{target}' is outside source/", where, "move it under source/")
            continue
        media_type = IMAGE_TYPES.get(resolved.suffix.lower())
        if media_type is None or not _looks_like(resolved, media_type):
            problem("P015", f"'{target}' is not a PNG, JPEG, GIF, WebP or SVG image", where,
                    "export it in one of those formats")
            continue
        href = resolved.relative_to(source_root).as_posix()
        image["c"][2][0] = href
        assets.setdefault(href, Asset(resolved, href, media_type))
    # A figure of one image shown as its alt text would say that text twice (link and caption).
    for figure in [node for node in nodes if node["t"] == "Figure" and shown_alt]:
        body = figure["c"][2]
        if (len(body) == 1 and body[0]["t"] in ("Plain", "Para") and len(body[0]["c"]) == 1
                and body[0]["c"][0]["t"] in ("Link", "Span") and "image-alt" in body[0]["c"][0]["c"][0][1]):
            figure["t"], figure["c"] = "Para", body[0]["c"]
    return tuple(assets.values())


def _image_folders(folder: Path, project: Project, lang: str | None) -> list[Path]:
    """Where an image written in a file of *folder* is looked for: there, and for a translation also in
    the original edition's folder at the same place (both under source/)."""
    folders = [folder]
    if lang is not None and lang != project.original_lang:
        mine = project.source_dir / lang
        try:
            place = folder.relative_to(mine)
        except ValueError:
            return folders
        folders.append(project.source_dir / project.original_lang / place)
    return folders


def _show_alt(image: Node, url: str, in_link: bool) -> None:
    """Turn an Image node (in place) into its alt text: a link to *url*, or plain text inside a link
    (a badge: the link around it stays the link) or without a URL."""
    attr, alt, (_target, title) = image["c"]
    if not alt:
        name = url.rstrip("/").rsplit("/", 1)[-1].split("?")[0] or "image"
        alt = [{"t": "Str", "c": f"[{name}]"}]
    attr = [attr[0], [*attr[1], "image-alt"], []]
    if in_link or not url:
        image["t"], image["c"] = "Span", [attr, alt]
    else:
        image["t"], image["c"] = "Link", [attr, alt, [url, title]]


def _looks_like(path: Path, media_type: str) -> bool:
    from .remote import sniff

    with path.open("rb") as file:
        return sniff(file.read(65536), media_type)
