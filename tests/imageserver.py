"""A web server on 127.0.0.1 for the remote-image tests: a few images and a few bad answers, no internet."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SVG = (b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="90" height="20">'
       b'<rect width="90" height="20" fill="#4c1"/><text x="8" y="14" font-size="11">passing</text></svg>\n')
LIFETIME = 120.0
"""Seconds after which the server stops by itself, whatever the test does."""


def png_bytes(colour: tuple[int, int, int] = (200, 30, 30), size: int = 16) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(out, "PNG")
    return out.getvalue()


@dataclass
class ImageServer:
    """The running server: its base URL and the paths it was asked for."""

    base: str
    requests: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def routes(server: ImageServer) -> dict[str, tuple[int, dict[str, str], bytes]]:
    png = png_bytes()
    return {
        "/badge.png": (200, {"Content-Type": "image/png"}, png),
        "/badge.svg": (200, {"Content-Type": "image/svg+xml; charset=utf-8"}, SVG),
        "/huge.png": (200, {"Content-Type": "image/png"}, png + b"\0" * (2 * 2**20)),
        "/page.png": (200, {"Content-Type": "text/html"}, b"<html><body>not an image</body></html>"),
        "/liar.png": (200, {"Content-Type": "image/png"}, b"<html><body>not an image</body></html>"),
        "/to-file.png": (302, {"Location": "file:///etc/passwd"}, b""),
        "/to-badge.png": (301, {"Location": server.url("/badge.png")}, b""),
        "/loop.png": (302, {"Location": server.url("/loop.png")}, b""),
    }


@contextmanager
def image_server() -> Iterator[ImageServer]:
    """Serve the routes above on 127.0.0.1 (a free port) while the block runs; `/slow.png` sends a byte a
    half second. The server stops when the block ends, and after LIFETIME seconds in any case."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    state = ImageServer(f"http://127.0.0.1:{httpd.server_address[1]}")
    table = routes(state)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(self.path)
            if self.path == "/slow.png":
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                try:
                    for byte in png_bytes():
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.5)
                except OSError:  # the client gave up, as it should
                    pass
                return
            status, headers, body = table.get(self.path, (404, {"Content-Type": "text/plain"}, b"not found"))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the tests read `requests` instead."""

    httpd.RequestHandlerClass = Handler
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    stop = threading.Timer(LIFETIME, httpd.shutdown)
    stop.daemon = True
    stop.start()
    try:
        yield state
    finally:
        stop.cancel()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
