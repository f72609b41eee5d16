"""Names as authors write them (spaces, any script), spelled the way each output's URLs and files need."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote, unquote

# Characters a URL path keeps as they are (RFC 3986 pchar without '%', plus '/'); the rest is encoded.
PATH_SAFE = "/!$&'()*+,;=:@-._~"
# What an EPUB file name keeps: EPUBCheck warns about spaces (PKG-010), and some reading
# systems still mishandle non-ASCII names inside the ZIP, so the package's own names are plain.
EPUB_SAFE = re.compile(r"^[A-Za-z0-9._/-]+$")


def url_path(href: str) -> str:
    """*href* (a relative file path as written, e.g. `images/my picture.png`) percent-encoded for a URL.

    `images/my%20picture.png`, `images/caf%C3%A9.png` (UTF-8, RFC 3986); plain names stay as they are.
    """
    return quote(href, safe=PATH_SAFE)


def file_candidates(target: str) -> list[str]:
    """The file names a Markdown image target may mean: as written, and percent-decoded (the CommonMark
    spelling `my%20picture.png` of `my picture.png`), without a query or fragment."""
    path = target.split("#", 1)[0].split("?", 1)[0] if "?" in target or "#" in target else target
    names = [target, path, unquote(target), unquote(path)]
    return list(dict.fromkeys(name for name in names if name))


def epub_file_name(href: str) -> str:
    """The name of an asset inside the EPUB: *href* when it is plain ASCII without spaces, else a plain
    spelling of it with a short hash of the original (so two names that spell alike stay two files)."""
    if EPUB_SAFE.match(href) and ".." not in PurePosixPath(href).parts:
        return href
    path = PurePosixPath(href)
    ascii_stem = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_stem).strip("-.") or "image"
    suffix = re.sub(r"[^A-Za-z0-9.]+", "", path.suffix)
    folder = "/".join(re.sub(r"[^A-Za-z0-9._-]+", "-", part).strip("-.") or "d" for part in path.parts[:-1])
    digest = hashlib.sha256(href.encode("utf-8")).hexdigest()[:8]
    return f"{folder}/{stem}-{digest}{suffix}" if folder else f"{stem}-{digest}{suffix}"
