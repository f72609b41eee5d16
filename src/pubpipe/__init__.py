"""pubpipe: one Markdown source, many editions, HTML, PDF and EPUB 3 with one look."""

from __future__ import annotations

__version__ = "0.1.0"
