"""Fetching web images: http(s) only, limits on size, time and redirects, types checked, cached for offline rebuilds."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pubpipe.reading.remote import FetchError, cached, fetch_image, is_remote, sniff
from tests.imageserver import SVG, image_server, png_bytes


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The local server is reached directly, whatever proxy the machine is set up with."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def test_png_and_svg_are_fetched_once_and_kept(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with image_server() as server:
        png = fetch_image(server.url("/badge.png"), cache)
        svg = fetch_image(server.url("/badge.svg"), cache)
        again = fetch_image(server.url("/badge.png"), cache)
        assert server.requests == ["/badge.png", "/badge.svg"]  # the second time, from the cache
    assert (png.media_type, png.path.suffix, png.path.parent) == ("image/png", ".png", cache)
    assert png.path.read_bytes() == png_bytes() and again == png
    assert svg.media_type == "image/svg+xml" and svg.path.read_bytes() == SVG
    # With the server gone, the cache still answers: a rebuild works offline.
    assert fetch_image(server.url("/badge.svg"), cache) == svg
    assert cached(server.url("/nothing.png"), cache) is None
    # Written atomically (files.write_atomic): the two images, no temporary file left, readable by all.
    assert sorted(path.suffix for path in cache.iterdir()) == [".png", ".svg"]
    assert png.path.stat().st_mode & 0o777 == 0o644


def test_a_redirect_to_http_is_followed(tmp_path: Path) -> None:
    with image_server() as server:
        fetched = fetch_image(server.url("/to-badge.png"), tmp_path)
    assert fetched.path.read_bytes() == png_bytes()


@pytest.mark.parametrize("path, words", [
    pytest.param("/to-file.png", "redirected to 'file:///etc/passwd', which is not an http(s) URL", id="redirect-file"),
    pytest.param("/loop.png", "redirect", id="redirect-loop"),
    pytest.param("/page.png", "sent 'text/html', not a PNG", id="wrong-type"),
    pytest.param("/liar.png", "said 'image/png', but the bytes are not such an image", id="bytes-not-png"),
    pytest.param("/huge.png", "more than the limit of 1,048,576", id="too-large"),
    pytest.param("/missing.png", "answered 404", id="not-found"),
])
def test_bad_answers_are_refused(tmp_path: Path, path: str, words: str) -> None:
    with image_server() as server, pytest.raises(FetchError, match=None) as caught:
        fetch_image(server.url(path), tmp_path, max_bytes=2**20)
    assert words in str(caught.value)
    assert not any(tmp_path.iterdir())  # nothing kept


def test_a_slow_server_meets_the_time_limit(tmp_path: Path) -> None:
    with image_server() as server:
        start = time.monotonic()
        with pytest.raises(FetchError, match="within 2 s"):
            fetch_image(server.url("/slow.png"), tmp_path, timeout=2)
    assert time.monotonic() - start < 6


def test_nothing_but_http_is_fetched(tmp_path: Path) -> None:
    for url in ("file:///etc/passwd", "ftp://example.org/a.png", "data:image/png;base64,AAAA"):
        with pytest.raises(FetchError, match="only http and https"):
            fetch_image(url, tmp_path)
    with pytest.raises(FetchError, match="could not connect"):
        fetch_image("http://127.0.0.1:9/none.png", tmp_path, timeout=5)  # the discard port: nobody listens


def test_is_remote_and_sniff() -> None:
    assert is_remote("https://a.org/x.png") and is_remote("HTTP://a.org/x") and is_remote("//a.org/x.png")
    assert not is_remote("images/x.png") and not is_remote("file:///x.png") and not is_remote("ftp://a/x.png")
    assert sniff(png_bytes(), "image/png") and not sniff(b"GIF89a", "image/png")
    assert sniff(b"\xef\xbb\xbf  <svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml")
    assert not sniff(b"<html><body>no picture</body></html>", "image/svg+xml")
    assert not sniff(b"hello <svg>", "image/svg+xml")
    assert sniff(b"RIFF\0\0\0\0WEBPVP8 ", "image/webp") and not sniff(b"RIFF\0\0\0\0WAVEfmt ", "image/webp")
