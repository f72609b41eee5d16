"""`pubpipe init`: write a new publication that builds at once into every format."""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import yaml

from .backends.render.fonts import GENERIC as GENERIC_NAMES
from .errors import SourceRef, UsageError
from .reading.project import BCP47, CONFIG_NAME, SOURCE_DIR

# The stylesheet layers a project may add to (see Styles.layers): "<layer>-extra.css" in styles/.
EXTRA_LAYERS = {
    "base": "every format",
    "html": "the HTML page only",
    "print": "the PDF (and the EPUB's page list) only",
    "epub": "the EPUB only",
}

STYLE_NOTE = """\
/* {name}: rules added after pubpipe's own {layer}.css, for {what}.
 *
 * It starts empty: pubpipe's default look applies. Rules written here are added to it and win
 * over it (they come later in the cascade). To replace pubpipe's {layer}.css as a whole instead,
 * put a file named {layer}.css in this folder. See docs/STYLING.md.
 *
 * Example:
 *   body {{ font-size: 1.05em; }}
 *   blockquote {{ border-left: 3px solid #999; }}
 */
"""

# The faces a language's text is set in first (serif text, sans headings, optional monospace), so its
# punctuation, digits and spaces match its letters and Han characters take the language's forms.
# All are in the chain of base.css; Debian packages them (fonts-noto-core, fonts-noto-cjk).
ARABIC = ("Noto Naskh Arabic", "Noto Sans Arabic")
HEBREW = ("Noto Serif Hebrew", "Noto Sans Hebrew")
DEVANAGARI = ("Noto Serif Devanagari", "Noto Sans Devanagari")
LANGUAGE_FACES: dict[str, tuple[str, ...]] = {
    "ar": ARABIC, "fa": ARABIC, "ps": ARABIC, "sd": ARABIC, "ug": ARABIC, "ur": ("Noto Nastaliq Urdu", "Noto Sans Arabic"),
    "he": HEBREW, "yi": HEBREW,
    "hi": DEVANAGARI, "mr": DEVANAGARI, "ne": DEVANAGARI, "sa": DEVANAGARI,
    "bn": ("Noto Serif Bengali", "Noto Sans Bengali"), "ta": ("Noto Serif Tamil", "Noto Sans Tamil"),
    "th": ("Noto Serif Thai", "Noto Sans Thai"),
    "ja": ("Noto Serif CJK JP", "Noto Sans CJK JP", "Noto Sans Mono CJK JP"),
    "ko": ("Noto Serif CJK KR", "Noto Sans CJK KR", "Noto Sans Mono CJK KR"),
    "zh": ("Noto Serif CJK SC", "Noto Sans CJK SC", "Noto Sans Mono CJK SC"),
    "zh-TW": ("Noto Serif CJK TC", "Noto Sans CJK TC", "Noto Sans Mono CJK TC"),
    "zh-Hant": ("Noto Serif CJK TC", "Noto Sans CJK TC", "Noto Sans Mono CJK TC"),
}

LANGUAGE_NOTE = """
/* Set in faces made for {lang}: the stacks of pubpipe's base.css with {first} first. */
"""

UPRIGHT = """
/* The script has no italics (a slanted imitation is hard to read): quotations stay upright and
   emphasis is bold. */
blockquote, .subtitle, cite { font-style: normal; }
em, i { font-style: normal; font-weight: bold; }
"""

GITIGNORE = """\
# pubpipe writes its outputs here; they are made from source/ and never edited by hand.
build/
"""

CHAPTER = """\
---
title: {title_yaml}
description: A new publication, started with pubpipe init.
---

# Getting started

This is the first chapter of your publication. Edit `source/{lang}/01-chapter.md`, run
`pubpipe build`, and find the HTML, PDF and EPUB in `build/{lang}/`. Run `pubpipe serve` to see
every change in your browser as you save.

## What Markdown can do

Text can be *emphasised* or **strong**, and a footnote sits where it is called.[^first]

- a list item
- another, with `code`
- a third

> A quotation stands apart from the text around it, as a block.
>
> — Someone worth quoting

![A small picture: the pubpipe sample image](images/sample.png)

## Next steps

1. Set the title, authors and rights in `source/publication.yaml`.
2. Add chapters as more `.md` files; they are read in the order of their names.
3. Add a translation: create `source/<lang>/` and list the language under `editions:`.

[^first]: Footnotes become numbered notes in every format.
"""


@dataclass(frozen=True, slots=True)
class NewProject:
    """What `pubpipe init` asks for."""

    root: Path
    """The folder to create the publication in (created if missing)."""
    title: str = "My Publication"
    """The work's title."""
    lang: str = "en"
    """BCP 47 tag of the original language."""
    author: str = "Anonymous"
    """Author credit."""


def slug_for(title: str) -> str:
    """A file-name stem from a title: lower-case ASCII letters, digits and hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug or "publication"


def sample_png() -> bytes:
    """A small picture for the sample chapter, drawn here so init needs no network and no file."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 120), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 229, 109), outline=(60, 60, 60), width=3)
    for index, colour in enumerate([(178, 34, 34), (218, 165, 32), (46, 139, 87), (65, 105, 225)]):
        draw.ellipse((30 + index * 48, 40, 70 + index * 48, 80), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def publication_yaml(spec: NewProject) -> str:
    """source/publication.yaml for a new project, with a comment on each key."""
    values = {
        "slug": slug_for(spec.title),
        "identifier": f"urn:uuid:{uuid.uuid4()}",
        "title": spec.title,
        "authors": [spec.author],
        "language": spec.lang,
        "rights": f"© {spec.author}, all rights reserved.",
        "formats": ["html", "pdf", "epub"],
        "page": {"size": "A4"},
        "editions": [{"lang": spec.lang}],
    }
    body = yaml.safe_dump(values, allow_unicode=True, sort_keys=False, default_flow_style=None)
    return ("# The work: its identity, its editions and defaults. Every key is described in\n"
            "# docs/CONFIGURATION.md of pubpipe. The identifier is fixed once: keep it when you edit.\n"
            + body)


def language_rules(lang: str) -> str:
    """Rules for styles/base-extra.css putting *lang*'s own faces first in base.css's font stacks
    (empty for a language the design fonts serve, e.g. English or Russian)."""
    from .backends.render.fonts import stack_rules

    faces = LANGUAGE_FACES.get(lang) or LANGUAGE_FACES.get(lang.split("-")[0])
    if not faces:
        return ""
    serif, sans, *mono = faces
    css = (Path(__file__).parent / "styles" / "base.css").read_text(encoding="utf-8")  # pubpipe's own
    rules = []
    for selector, stack in stack_rules(css):
        generic = stack.families[-1]
        first = {"serif": serif, "sans-serif": sans, "monospace": mono[0] if mono else None}.get(generic)
        if first is None:
            continue
        families = [first, *(family for family in stack.families if family != first)]
        listed = ",\n    ".join(family if family in GENERIC_NAMES else f'"{family}"' for family in families)
        rules.append(f"{selector} {{\n  font-family:\n    {listed};\n}}")
    return LANGUAGE_NOTE.format(lang=lang, first=", ".join(faces)) + "\n".join(rules) + "\n" + UPRIGHT


WORDS = """\
# Words the spelling check (pubpipe check, K151) should accept in this edition: one per line.
pubpipe
"""


PRINT_NOTE = """
/* The running heads in faces made for {lang} too: print.css names its own stack for the section title
   ({sans} first here), and sets the book's title in italics, which the script does not have. */
@page {{
  @top-left {{ font-style: normal; }}
  @top-right {{
    font-family:
      {listed};
  }}
}}
"""


def print_rules(lang: str) -> str:
    """Rules for styles/print-extra.css: the running heads of print.css in *lang*'s own faces, the book's title
    upright (empty where language_rules is)."""
    from .backends.render.fonts import stack_rules

    faces = LANGUAGE_FACES.get(lang) or LANGUAGE_FACES.get(lang.split("-")[0])
    if not faces:
        return ""
    css = (Path(__file__).parent / "styles" / "base.css").read_text(encoding="utf-8")
    sans = next(stack.families for _, stack in stack_rules(css) if stack.families[-1] == "sans-serif")
    families = [faces[1], *(family for family in sans if family != faces[1])]
    listed = ",\n      ".join(family if family in GENERIC_NAMES else f'"{family}"' for family in families)
    return PRINT_NOTE.format(lang=lang, sans=faces[1], listed=listed)


def project_files(spec: NewProject) -> dict[str, bytes]:
    """Every file of the new project by relative path."""
    title_yaml = yaml.safe_dump(spec.title, allow_unicode=True, width=1000).splitlines()[0]
    chapter = CHAPTER.format(title_yaml=title_yaml, lang=spec.lang)
    files: dict[str, bytes] = {
        f"{SOURCE_DIR}/{CONFIG_NAME}": publication_yaml(spec).encode("utf-8"),
        f"{SOURCE_DIR}/{spec.lang}/01-chapter.md": chapter.encode("utf-8"),
        f"{SOURCE_DIR}/{spec.lang}/images/sample.png": sample_png(),
        # The spelling check's word list (pubpipe check, K151), started with the one word the sample uses.
        f"{SOURCE_DIR}/{spec.lang}/words.txt": WORDS.encode("utf-8"),
        ".gitignore": GITIGNORE.encode("utf-8"),
    }
    for layer, what in EXTRA_LAYERS.items():
        name = f"{layer}-extra.css"
        text = STYLE_NOTE.format(name=name, layer=layer, what=what)
        if layer == "base":
            text += language_rules(spec.lang)
        elif layer == "print":
            text += print_rules(spec.lang)
        files[f"styles/{name}"] = text.encode("utf-8")
    return files


def create_project(spec: NewProject) -> list[Path]:
    """Write a new publication under spec.root; refuse if one (or any of its files) is there already."""
    if not BCP47.match(spec.lang):
        raise UsageError(f"'{spec.lang}' is not a BCP 47 language tag", hint="use a tag such as en, ru or pt-BR",
                         code="U107")
    files = project_files(spec)
    existing = [name for name in files if (spec.root / name).exists()]
    if (spec.root / SOURCE_DIR / CONFIG_NAME).exists() or existing:
        where = spec.root / (existing[0] if existing else f"{SOURCE_DIR}/{CONFIG_NAME}")
        raise UsageError("file exists; pubpipe init does not overwrite a project",
                         SourceRef(where), "choose an empty or new folder", code="U108")
    written = []
    for name, data in files.items():
        path = spec.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written
