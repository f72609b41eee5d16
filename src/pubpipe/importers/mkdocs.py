"""MkDocs (stub)."""
from pathlib import Path
def find_mkdocs_config(source: Path):
    return None
