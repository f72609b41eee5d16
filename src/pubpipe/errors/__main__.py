"""`python -m pubpipe.errors > docs/ERRORS.md`: every diagnostic code as Markdown."""

from .codes import codes_markdown

print(codes_markdown(), end="")
