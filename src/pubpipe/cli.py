"""The pubpipe command line: click commands only; the library does the work."""

from __future__ import annotations

import click

from . import __version__
from .commands import build, check, clean, formats, init, manifest, serve, verify
from .commands.common import CONTEXT
from .commands.translate import translate


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="pubpipe")
def main() -> None:
    """Publish one Markdown source as HTML, PDF and EPUB 3, in every language edition.

    \b
    Example:
      pubpipe init my-book && cd my-book   # a new publication that builds at once
      pubpipe serve --open                 # live preview, reloaded on every save
      pubpipe build                        # every edition in every format, into build/
      pubpipe build -f pdf -l ru           # the Russian PDF only
      pubpipe build --release && pubpipe verify
    """


# One line per command; each lives in pubpipe/commands/<name>.py.
main.add_command(build.build)
main.add_command(formats.formats)
main.add_command(init.init)
main.add_command(verify.verify)
main.add_command(manifest.manifest)
main.add_command(serve.serve)
main.add_command(translate)
main.add_command(check.check)
main.add_command(clean.clean)
