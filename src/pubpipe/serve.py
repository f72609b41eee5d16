"""`pubpipe serve`: a live preview on 127.0.0.1 that rebuilds the HTML on every change and reloads the page;
with `--pages`, the printed pages (the PDF) beside it, rebuilt after each save (a book's chapter by chapter)."""

from __future__ import annotations

import html
import json
import mimetypes
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .building.plan import PreparedEditions
from .errors import PubpipeError
from .reading.project import Project, load_project

PREFIX = "/_pubpipe/"
# Injected before </body> of every page served: reload on each new build, links to the other formats,
# and the last build error, if any. Kept tiny and dependency-free; the page's own CSS is untouched.
CLIENT = """
<div id="pubpipe-preview" style="position:fixed;bottom:0;left:0;right:0;z-index:9999;font:14px/1.4 sans-serif;
background:#222;color:#eee;padding:6px 12px">pubpipe preview · {formats}{error}</div>
<script>
(function () {{
  var generation = {generation};
  var events = new EventSource("/_pubpipe/events");
  events.addEventListener("build", function (event) {{
    if (Number(event.data) !== generation) {{ location.reload(); }}
  }});
}})();
</script>
"""

# The pages view: the HTML preview (with its own client) and the PDF in the browser's viewer, side by side.
PAGES = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>pubpipe preview: text and pages</title>
<style>body {{ margin: 0; display: flex; height: 100vh; }} iframe {{ border: 0; flex: 1; height: 100%; }}
#pdf {{ border-left: 1px solid #999; }}</style></head>
<body><iframe id="html" title="the text" src="{html}"></iframe><iframe id="pdf" title="the printed pages" src="{pdf}?v={pages}"></iframe>
<script>
(function () {{
  var pages = {pages};
  var events = new EventSource("/_pubpipe/events");
  events.addEventListener("pages", function (event) {{
    if (Number(event.data) !== pages) {{
      pages = Number(event.data);
      document.getElementById("pdf").src = "{pdf}?v=" + pages;
    }}
  }});
}})();
</script></body></html>
"""


@dataclass
class PreviewState:
    """What the preview shows: a build counter the pages follow, and the last build error."""

    generation: int = 0
    """Goes up after every rebuild, good or bad; pages reload when it changes."""
    error: str | None = None
    """The last build's error lines (`file:line: error …`), or None after a good build."""
    pages: int = 0
    """Goes up after every rebuild of the printed pages; the pages view reloads its PDF when it changes."""
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, error: str | None) -> None:
        with self.changed:
            self.error = error
            self.generation += 1
            self.changed.notify_all()

    def publish_pages(self, error: str | None) -> None:
        with self.changed:
            self.error = error or self.error
            self.pages += 1
            self.changed.notify_all()


BuildRequest = tuple[tuple[str, ...], tuple[str, ...], "Future[str | None]"]


class Preview:
    """The preview of one project: builds on demand, watches the sources, serves build/ with a live client.

    Builds run one at a time on the main thread (`run`), because a build turns Ctrl-C into a clean stop
    with signal handlers, which only the main thread may install; the watcher and the page queue requests.
    """

    def __init__(self, root: Path, log: Callable[[str], None] = print, pages: bool = False) -> None:
        self.root = root
        self.pages = pages
        """Whether the printed pages are rebuilt after each change too (the PDF, shown beside the HTML)."""
        self.state = PreviewState()
        self.prepared = PreparedEditions()
        """The editions the last build prepared: the PDF after a save reads the text the HTML build read."""
        self.log = log
        self.stop = threading.Event()
        self.requests: queue.Queue[BuildRequest] = queue.Queue()
        self.watching = threading.Event()

    def project(self) -> Project:
        # Read afresh each time: publication.yaml itself may have changed.
        return load_project(self.root)

    def build(self, formats: tuple[str, ...] = ("html",), languages: tuple[str, ...] = ()) -> str | None:
        """Build and return None, or the error lines; the previous good outputs stay in build/."""
        from .building.build import build
        from .building.plan import BuildOptions
        from .report import Reporter, error_diagnostics, sorted_diagnostics

        started = time.monotonic()
        reporter = Reporter()
        try:
            project = self.project()
            build(project, BuildOptions(formats=formats, languages=languages, reporter=reporter,
                                                prepared=self.prepared))
        except PubpipeError as error:
            reporter.extend(error_diagnostics(error))
            message = "\n".join(item.render(self.root) for item in sorted_diagnostics(reporter.diagnostics))
            self.log(message)
            return message
        # Warnings too: the author previews to see what the build did with the text.
        for item in sorted_diagnostics(reporter.diagnostics):
            self.log(item.render(self.root))
        self.log(f"built {', '.join(formats)} in {time.monotonic() - started:.1f} s")
        return None

    def request(self, formats: tuple[str, ...] = ("html",), languages: tuple[str, ...] = ()) -> str | None:
        """Ask the main thread for a build and wait for its outcome (from any other thread)."""
        done: Future[str | None] = Future()
        self.requests.put((formats, languages, done))
        return done.result()

    def run(self) -> None:
        """Serve build requests on this (the main) thread until stopped by Ctrl-C or SIGTERM.

        Between builds a signal only records itself, and the loop ends within half a second. A
        KeyboardInterrupt raised wherever the main thread happens to be can land in a finalizer
        (the collector tidying up after a build), where Python prints it and carries on: the
        preview then did not stop. During a build the build's own handlers raise Interrupted.
        """
        from .building.process import signals_recorded

        with signals_recorded() as signalled:
            while not signalled and not self.stop.is_set():
                try:
                    formats, languages, done = self.requests.get(timeout=0.5)
                except queue.Empty:
                    continue
                try:
                    done.set_result(self.build(formats, languages))
                except BaseException as exc:
                    done.set_exception(exc)
                    raise

    def watched(self) -> list[Path]:
        """source/, styles/ and the project's templates/ — whichever exist."""
        return [path for path in (self.root / "source", self.root / "styles", self.root / "templates")
                if path.is_dir()]

    def watch(self) -> None:
        """Rebuild the HTML after every change under the watched folders, until stopped."""
        from watchfiles import watch

        # The first (empty) yield after rust_timeout says the watch is in place, so `start` can
        # announce the server only when a change can no longer be missed.
        for changes in watch(*self.watched(), stop_event=self.stop, debounce=200, step=50, rust_timeout=300,
                             yield_on_timeout=True, raise_interrupt=False):
            self.watching.set()
            if changes:
                from .building.process import Interrupted

                try:
                    self.state.publish(self.request())
                    if self.pages:
                        # After the HTML: the text is back in view at once, the pages follow.
                        self.state.publish_pages(self.request(("pdf",)))
                except Interrupted:
                    return  # Ctrl-C stopped the build on the main thread, which ends the preview

    def start(self, port: int) -> ThreadingHTTPServer:
        """The port first (a taken port fails before any work), the first build, then server and watcher threads."""
        server = ThreadingHTTPServer(("127.0.0.1", port), handler_for(self))
        self.state.publish(self.build())
        if self.pages:
            self.state.publish_pages(self.build(("pdf",)))
        server.daemon_threads = True
        threading.Thread(target=self.watch, name="pubpipe-watch", daemon=True).start()
        self.watching.wait(timeout=30)
        threading.Thread(target=server.serve_forever, name="pubpipe-serve", daemon=True).start()
        return server

    def close(self, server: ThreadingHTTPServer, wait: float = 2.0) -> None:
        """Stop the watcher, the event streams and the server; each step waits at most *wait* seconds.

        Ctrl-C can land anywhere in the main thread, even between taking a lock and the `try` that
        would release it: stopping must not wait for ever on a lock or on the server's loop."""
        self.stop.set()
        if self.state.changed.acquire(timeout=wait):
            try:
                self.state.changed.notify_all()
            finally:
                self.state.changed.release()
        stopping = threading.Thread(target=server.shutdown, name="pubpipe-shutdown", daemon=True)
        stopping.start()
        stopping.join(timeout=wait)
        server.server_close()


def handler_for(preview: Preview) -> type[BaseHTTPRequestHandler]:
    """A request handler bound to one preview."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "pubpipe-preview"

        def log_message(self, format: str, *args: object) -> None:
            """Silent: the terminal shows builds, not every request."""

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            if path == "/":
                self.redirect(self.index())
            elif path == PREFIX + "events":
                self.events()
            elif path == PREFIX + "status":
                state = preview.state
                self.send(json.dumps({"generation": state.generation, "pages": state.pages,
                                      "error": state.error}).encode(),
                          "application/json")
            elif path.startswith(PREFIX + "pages/"):
                self.pages_view(path.removeprefix(PREFIX + "pages/"))
            elif path.startswith(PREFIX + "build/"):
                self.build_on_request(path.removeprefix(PREFIX + "build/"))
            else:
                self.file(path)

        def index(self) -> str:
            try:
                project = preview.project()
            except PubpipeError:
                return PREFIX + "status"
            return f"/{project.original_lang}/{project.slug}.html"

        def file(self, path: str) -> None:
            build_dir = (preview.root / "build").resolve()
            target = (build_dir / path.lstrip("/")).resolve()
            if build_dir not in target.parents or not target.is_file() or target.name.startswith("."):
                if path.endswith(".html"):  # not built yet: a page that shows the error and reloads itself
                    page = b"<!DOCTYPE html><html><head><title>pubpipe preview</title></head><body></body></html>"
                    self.send(self.with_client(page, target), "text/html; charset=utf-8", HTTPStatus.NOT_FOUND)
                else:
                    self.missing(path)
                return
            data = target.read_bytes()
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if target.suffix == ".html":
                data = self.with_client(data, target)
                kind = "text/html; charset=utf-8"
            self.send(data, kind)

        def with_client(self, page: bytes, target: Path) -> bytes:
            state = preview.state
            lang = target.parent.name
            links = " · ".join(f'<a style="color:#9cf" href="{PREFIX}build/{lang}/{fmt}">{fmt.upper()}</a>'
                               for fmt in ("pdf", "epub"))
            if preview.pages:
                links += f' · <a style="color:#9cf" target="_top" href="{PREFIX}pages/{lang}">pages beside the text</a>'

            error = ""
            if state.error:
                error = ('<pre id="pubpipe-error" style="color:#f99;background:none;border:0;padding:0;'
                         'white-space:pre-wrap;margin:4px 0 0">'
                         f"{html.escape(state.error)}\n(showing the last good build)</pre>")
            client = CLIENT.format(formats=links, error=error, generation=state.generation).encode()
            cut = page.rfind(b"</body>")
            return page[:cut] + client + page[cut:] if cut >= 0 else page + client

        def build_on_request(self, rest: str) -> None:
            lang, _, fmt = rest.partition("/")
            error = preview.request((fmt,), (lang,))
            if error:
                self.send(f"<!DOCTYPE html><title>build failed</title><pre>{html.escape(error)}</pre>".encode(),
                          "text/html; charset=utf-8", HTTPStatus.INTERNAL_SERVER_ERROR)
                return
            project = preview.project()
            from .backends.base import load_backend

            self.redirect(f"/{lang}/{project.slug}{load_backend(fmt).suffix}")

        def pages_view(self, lang: str) -> None:
            """The HTML and the printed pages side by side; the PDF frame reloads after each rebuild of the pages."""
            project = preview.project()
            if lang not in project.languages:
                self.missing(lang)
                return
            name = f"/{lang}/{project.slug}"
            page = PAGES.format(html=html.escape(name + ".html"), pdf=html.escape(name + ".pdf"),
                                pages=preview.state.pages, lang=html.escape(lang))
            self.send(page.encode(), "text/html; charset=utf-8")

        def events(self) -> None:
            """Server-sent events: the build counter now and after each build, with a keep-alive comment."""
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            state = preview.state
            seen = seen_pages = -1
            try:
                while not preview.stop.is_set():
                    with state.changed:
                        if state.generation == seen and state.pages == seen_pages:
                            state.changed.wait(timeout=15)
                        current, pages = state.generation, state.pages
                    if current != seen or pages != seen_pages:
                        if current != seen:
                            self.wfile.write(f"event: build\ndata: {current}\n\n".encode())
                        if pages != seen_pages:
                            self.wfile.write(f"event: pages\ndata: {pages}\n\n".encode())
                        seen, seen_pages = current, pages
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

        def redirect(self, location: str) -> None:
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def missing(self, path: str) -> None:
            self.send(f"not found: {html.escape(path)}".encode(), "text/plain; charset=utf-8", HTTPStatus.NOT_FOUND)

        def send(self, data: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")  # a preview is never stale
            self.end_headers()
            self.wfile.write(data)

    return Handler
