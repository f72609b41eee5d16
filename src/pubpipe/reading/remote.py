"""Remote images: fetch an http(s) image once, within limits, into build/.cache/remote/ so rebuilds work offline."""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

from ..building.files import write_atomic

# Media types pubpipe embeds, with the suffix a cached copy gets (the same set as local images).
IMAGE_SUFFIXES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/svg+xml": ".svg",
                  "image/webp": ".webp"}
MAX_BYTES = 10 * 2**20
"""The largest image fetched, in bytes (a README badge is a few kB, a screenshot a few hundred)."""
TIMEOUT = 20.0
"""Seconds one fetch may take in all: connecting, redirects and reading."""
MAX_REDIRECTS = 5
REMOTE = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
MAGIC = {"image/png": (b"\x89PNG\r\n\x1a\n",), "image/jpeg": (b"\xff\xd8\xff",), "image/gif": (b"GIF87a", b"GIF89a"),
         "image/webp": (b"RIFF",)}


class FetchError(Exception):
    """A remote image could not be fetched; the message says why, for a warning."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """A remote image kept in the cache."""

    path: Path
    """The cached file: build/.cache/remote/<sha256 of the URL><suffix>."""
    media_type: str
    """Its media type, e.g. `image/png` (as the server said, and as its bytes show)."""


def is_remote(url: str) -> bool:
    """Whether *url* is an http(s) URL (or a scheme-relative `//host/…`, read as https)."""
    return bool(REMOTE.match(url.strip()))


def sniff(head: bytes, media_type: str) -> bool:
    """Whether the first bytes of a file look like *media_type* (magic numbers; for SVG, an <svg> element)."""
    if media_type == "image/svg+xml":
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        return b"<svg" in text and text.startswith((b"<", b"<?xml"))
    if media_type == "image/webp":
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    return head.startswith(MAGIC[media_type])


def cache_key(url: str) -> str:
    return hashlib.sha256(url.strip().encode("utf-8")).hexdigest()[:32]


def cached(url: str, cache_dir: Path) -> Fetched | None:
    """The cached copy of *url*, if an earlier build fetched it (marked used now: the cache's bound keeps
    the most recently used images, building/cache.py)."""
    import contextlib
    import os

    key = cache_key(url)
    for media_type, suffix in IMAGE_SUFFIXES.items():
        path = cache_dir / f"{key}{suffix}"
        if path.is_file():
            with contextlib.suppress(OSError):  # a read-only cache still serves the image
                os.utime(path)
            return Fetched(path, media_type)
    return None


def _opener(deadline: float) -> object:
    """An opener that speaks http and https only: no file:, ftp: or data: handlers, even after a redirect."""
    import urllib.request

    class Redirects(urllib.request.HTTPRedirectHandler):
        max_redirections = MAX_REDIRECTS

        def http_error_302(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]
            from urllib.parse import urljoin

            # Checked here, before the standard handler's own (looser) scheme test.
            newurl = urljoin(req.full_url, headers.get("location") or headers.get("uri") or "")
            if not re.match(r"^https?://", newurl, re.IGNORECASE):
                raise FetchError(f"the server redirected to '{newurl}', which is not an http(s) URL")
            if time.monotonic() > deadline:
                raise FetchError(f"no answer within {TIMEOUT:g} s")
            return super().http_error_302(req, fp, code, msg, headers)

        http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                    Redirects(), urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def fetch_image(url: str, cache_dir: Path, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT) -> Fetched:
    """The image at *url*: from the cache, else downloaded once and kept there.

    Only http(s), at most MAX_REDIRECTS redirects (each to http(s) again), at most *max_bytes*
    bytes within *timeout* seconds in all; the server's Content-Type must be one of
    IMAGE_SUFFIXES and the bytes must look like it. Raises FetchError saying what went wrong.
    """
    import http.client
    import urllib.error
    import urllib.request

    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    found = cached(url, cache_dir)
    if found is not None:
        return found
    if not re.match(r"^https?://", url, re.IGNORECASE):
        raise FetchError("only http and https URLs are fetched")
    deadline = time.monotonic() + timeout
    from ..installed import version

    request = urllib.request.Request(url, headers={"User-Agent": f"pubpipe/{version('pubpipe')}",
                                                   "Accept": ", ".join(IMAGE_SUFFIXES)})
    try:
        with _opener(deadline).open(request, timeout=timeout) as response:  # type: ignore[attr-defined]
            media_type = response.headers.get_content_type()
            if media_type not in IMAGE_SUFFIXES:
                raise FetchError(f"the server sent '{media_type}', not a PNG, JPEG, GIF, WebP or SVG image")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"the image is {int(length):,} bytes, more than the limit of {max_bytes:,}")
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchError(f"not received within {timeout:g} s")
                # read1: what has arrived, so a server that trickles bytes still meets the deadline.
                chunk = response.read1(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"the image is more than the limit of {max_bytes:,} bytes")
                chunks.append(chunk)
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        raise FetchError(f"the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        raise FetchError(f"could not connect: {getattr(reason, 'strerror', None) or reason}") from None
    except (TimeoutError, OSError, http.client.HTTPException, ValueError) as exc:
        raise FetchError(f"the download failed: {exc or type(exc).__name__}") from None
    data = b"".join(chunks)
    if not sniff(data[:65536], media_type):
        raise FetchError(f"the server said '{media_type}', but the bytes are not such an image")
    target = cache_dir / f"{cache_key(url)}{IMAGE_SUFFIXES[media_type]}"
    # Atomically: two builds fetching at once, or an interrupted one, never leave half an image (a
    # killed build's temporary file is removed by the next build's clean-up).
    write_atomic(target, data)
    return Fetched(target, media_type)
