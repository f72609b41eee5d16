"""`pubpipe serve`: a live preview that rebuilds on every change and reloads the browser."""

from __future__ import annotations

from pathlib import Path

import click

from .common import CONTEXT, fail


@click.command(context_settings=CONTEXT)
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the web browser.")
@click.option("-C", "--directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Run as if started in DIR.")
@click.option("--pages", is_flag=True,
              help="Also rebuild the PDF after each change and show its pages beside the HTML (/_pubpipe/pages/LANG).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def serve(port: int, open_browser: bool, directory: Path | None, pages: bool, debug: bool) -> None:
    """Preview the HTML edition(s) on 127.0.0.1, rebuilt and reloaded on every change.

    Changes under source/, styles/ and templates/ rebuild the HTML; the page reloads by itself and
    shows a build error with its file and line while the last good build stays readable. The PDF
    and EPUB are built when you click their links at the bottom of the page. With --pages the PDF is
    rebuilt after each change too (a book's chapters laid out again only where they changed) and
    /_pubpipe/pages/LANG shows the printed pages beside the text. Stop with Ctrl-C.

    \b
    Example:
      pubpipe serve --open
      pubpipe serve -C path/to/book --port 8080
      pubpipe serve --pages --open
    """
    from ..errors import PubpipeError, UsageError
    from ..reading.project import find_project, load_project
    from ..serve import Preview

    root: Path | None = None
    try:
        root = find_project(directory or Path.cwd())
        preview = Preview(root, log=lambda line: click.echo(line, err=True), pages=pages)
        try:
            server = preview.start(port)
        except OSError as exc:
            raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}",
                               hint="choose another port with --port, or --port 0 for any free one",
                               code="U110") from None
    except PubpipeError as error:
        fail(error, root, debug)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    if pages:
        url += f"_pubpipe/pages/{load_project(root).original_lang}"
    click.echo(f"serving {url}  (Ctrl-C to stop)")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    from ..building.process import Interrupted

    try:
        preview.run()
    except (KeyboardInterrupt, Interrupted):
        pass
    finally:
        preview.close(server)
    click.echo("stopped")
