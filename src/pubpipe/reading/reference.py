"""docs/CONFIGURATION.md, written from the schema the code validates with, so the two cannot drift."""

from __future__ import annotations

from .metadata import FRONT_MATTER_KEYS
from .project import EDITION_KEYS, PAGE_KEYS, PDF_VARIANTS, PUBLICATION_KEYS, Key

# Front-matter keys that are other spellings of a key; the rest mean what the same key of an edition means.
FRONT_MATTER_ALIASES = {"author": "authors", "translator": "translators"}
PAGE_DOCS = {
    "size": "CSS page size of the PDF, e.g. `A4`, `A5`, `letter` or `148mm 210mm` (default: A4).",
    "pdf_variant": f"Write a conforming PDF: one of {', '.join(f'`{v}`' for v in PDF_VARIANTS)} "
                   "(the command line's `--pdf-variant` wins).",
}


def _type(key: Key) -> str:
    names = {str: "string", list: "list", dict: "mapping", int: "number", bool: "true/false"}
    return " or ".join(names[t] for t in key.types)


def _table(schema: dict[str, Key]) -> list[str]:
    rows = ["| key | type | required | meaning |", "| --- | --- | --- | --- |"]
    rows += [f"| `{name}` | {_type(key)} | {'yes' if key.required else 'no'} | {key.doc} |"
             for name, key in schema.items()]
    return rows


def front_matter_doc(name: str) -> str:
    """What a front-matter key means: the edition key of the same name, else the publication's."""
    target = FRONT_MATTER_ALIASES.get(name, name)
    key = EDITION_KEYS.get(target) or PUBLICATION_KEYS.get(target)
    if key is None:
        raise KeyError(f"front-matter key '{name}' has no documented meaning; add it to EDITION_KEYS")
    alias = f" Another spelling of `{target}`." if target != name else ""
    return key.doc + alias


def configuration_markdown() -> str:
    """The configuration reference: publication.yaml, its editions and page settings, the front matter."""
    lines = [
        "# Configuration reference",
        "",
        ("<!-- Generated from pubpipe.reading.project.PUBLICATION_KEYS/EDITION_KEYS/PAGE_KEYS and "
         "pubpipe.reading.metadata.FRONT_MATTER_KEYS by `python -m pubpipe.reading.reference > "
         "docs/CONFIGURATION.md`; a test checks it is current. -->"),
        "",
        "A publication is described by `source/publication.yaml`; each edition's text lives in",
        "`source/<lang>/*.md`, each file optionally starting with YAML front matter between `---` lines.",
        "Values are resolved in this order, later winning: the top level of `publication.yaml`, the",
        "edition's entry under `editions:`, then the front matter of the edition's first file. An unknown",
        "key in `publication.yaml` is an error (C103) with a suggestion; free-form values go under `extra:`",
        "and reach the templates. Unknown front-matter keys are kept as extra values for the templates.",
        "",
        "## publication.yaml",
        "",
        *_table(PUBLICATION_KEYS),
        "",
        "## Each entry of `editions:`",
        "",
        *_table(EDITION_KEYS),
        "",
        "## `page:`",
        "",
        "| key | meaning |",
        "| --- | --- |",
        *[f"| `{name}` | {PAGE_DOCS[name]} |" for name in sorted(PAGE_KEYS)],
        "",
        "## Front matter",
        "",
        "| key | meaning |",
        "| --- | --- |",
        *[f"| `{name}` | {front_matter_doc(name)} |" for name in sorted(FRONT_MATTER_KEYS)],
        "",
        "## Example",
        "",
        "```yaml",
        "slug: my-book",
        "identifier: urn:uuid:2f1c7c4e-0000-4000-8000-000000000000",
        "title: My Book",
        "authors: [Ada Example]",
        "language: en",
        "rights: CC BY 4.0",
        "version: \"1.0\"",
        "page:",
        "  size: A5",
        "editions:",
        "  - lang: en",
        "    files: [01-start.md, 02-end.md]",
        "  - lang: de",
        "    title: Mein Buch",
        "    translators: [Ben Beispiel]",
        "```",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(configuration_markdown(), end="")
