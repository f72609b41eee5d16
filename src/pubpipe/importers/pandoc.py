"""pandoc (stub)."""
from pathlib import Path
def find_defaults(source: Path):
    return None
