"""Font faces and fallback chains: which font draws each character, found as CSS and fontconfig find it.

A chain is a CSS `font-family` stack (base.css names the design fonts, then free fonts for every
script). Its families are looked up first among the project's fonts (styles/fonts/, named by their
own `name` tables) and then among the system's fonts through fontconfig (`fc-list`), as WeasyPrint
does. subset.py cuts the faces a text uses down to its characters for the EPUB and the HTML.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

GENERIC = frozenset({"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "emoji", "math",
                     "fangsong", "ui-serif", "ui-sans-serif", "ui-monospace", "ui-rounded"})
# The faces a text may be set in: every stack is resolved for each, so whatever a rule asks
# (emphasis, strong, a bold heading's italic) finds its glyphs shipped. (weight, italic)
VARIANTS = ((400, False), (400, True), (700, False), (700, True))
# fontconfig's weight scale (fontconfig.h, FC_WEIGHT_*) to CSS font-weight.
FC_WEIGHTS = ((0, 100), (40, 200), (50, 300), (55, 350), (75, 380), (80, 400), (100, 500), (180, 600),
              (200, 700), (205, 800), (210, 900))


@dataclass(frozen=True, slots=True)
class FontFace:
    """One face of a family: a font file (or one font of a collection) with its weight and style."""

    family: str
    """The family name CSS matches, e.g. "PT Serif" or "Noto Naskh Arabic"."""
    weight: int
    """CSS font-weight, 100-900."""
    italic: bool
    path: Path
    index: int = 0
    """The font's number inside a collection (.ttc), else 0."""
    design: bool = field(default=False, compare=False)
    """From the project's (or pubpipe's) styles/fonts/ rather than the system."""

    @property
    def codepoints(self) -> frozenset[int]:
        return cmap_of(self.path, self.index)


# fontTools imports a table's module when a table is first read, then takes it from its package as an
# attribute, which CPython sets only after the module counts as loaded: a second thread reading a font
# at that moment (the build reads two editions side by side) failed with "module
# 'fontTools.ttLib.tables' has no attribute 'O_S_2f_2'". Fonts are read one thread at a time.
_FONT_READING = threading.Lock()


@functools.lru_cache(maxsize=256)  # a process checks and subsets every job against the same fonts
def cmap_of(path: Path, index: int = 0) -> frozenset[int]:
    """The code points a font maps to glyphs (its best cmap, read with fontTools)."""
    from fontTools.ttLib import TTFont

    with _FONT_READING, TTFont(str(path), lazy=True, fontNumber=index) as font:
        return frozenset(font.getBestCmap() or {})


@functools.lru_cache(maxsize=64)
def design_face(path: Path) -> FontFace:
    """A font file's family, weight and style, from its own `name` and `OS/2` tables."""
    from fontTools.ttLib import TTFont

    with _FONT_READING, TTFont(str(path), lazy=True) as font:
        names = font["name"]
        family = names.getDebugName(16) or names.getDebugName(1) or path.stem
        os2 = font.get("OS/2", None)
        weight = os2.usWeightClass if os2 is not None else 400
        italic = bool(os2.fsSelection & 1) if os2 is not None else bool(font["head"].macStyle & 2)
    return FontFace(family, weight, italic, path, 0, design=True)


def fc_weight(value: float) -> int:
    """A fontconfig weight as the nearest CSS font-weight."""
    return min(FC_WEIGHTS, key=lambda pair: abs(pair[0] - value))[1]


@functools.lru_cache(maxsize=1)
def fontconfig_listing() -> str:
    """`fc-list`'s view of the system's fonts: one face a line (family, weight, slant, file, index).

    Empty when fontconfig's tools are not installed (Debian: fontconfig); then only the project's
    own fonts are known."""
    command = shutil.which("fc-list")
    if command is None:
        return ""
    result = subprocess.run([command, "--format", "%{family}\t%{weight}\t%{slant}\t%{file}\t%{index}\n"],
                            capture_output=True, text=True, check=False)
    return "\n".join(sorted(result.stdout.splitlines())) if result.returncode == 0 else ""


@functools.lru_cache(maxsize=1)
def fonts_fingerprint() -> str:
    """A short hash of the system's fonts (each file's path, size and time): outputs that may fall back
    on them are rebuilt when a font is installed, removed or updated."""
    import hashlib
    import os

    digest = hashlib.sha256()
    for line in fontconfig_listing().splitlines():
        file = line.split("\t")[3] if line.count("\t") >= 4 else ""
        try:
            info = os.stat(file)
        except OSError:
            continue
        digest.update(f"{line}\t{info.st_size}\t{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def system_faces() -> dict[str, tuple[FontFace, ...]]:
    """The system's faces by lower-case family name (every name fontconfig gives a family)."""
    found: dict[str, list[FontFace]] = {}
    for line in fontconfig_listing().splitlines():
        parts = line.split("\t")
        if len(parts) != 5 or not parts[4].isdigit() or int(parts[4]) >= 0x10000:
            continue  # a named instance of a variable font: its default face is listed too
        families, weight, slant, file, index = parts
        try:
            face_weight = fc_weight(float(weight.split()[0].strip("[]")))
        except ValueError:
            face_weight = 400
        for family in families.split(","):
            face = FontFace(family.strip(), face_weight, slant.strip() not in ("0", ""), Path(file), int(index))
            found.setdefault(family.strip().lower(), []).append(face)
    return {name: tuple(faces) for name, faces in found.items()}


@dataclass(frozen=True, slots=True)
class Stack:
    """One `font-family` value: the families in order, and whether it ends in `monospace`."""

    families: tuple[str, ...]
    mono: bool = False


def _families(tokens: list, shorthand: bool) -> Stack | None:
    parts: list[list] = [[]]
    for token in tokens:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        elif token.type not in ("whitespace", "comment"):
            parts[-1].append(token)
    if shorthand:  # `font: italic bold 9pt/1.2 "PT Serif", serif`: the family starts after the size
        sizes = [i for i, token in enumerate(parts[0]) if token.type in ("dimension", "percentage", "number")
                 or (token.type == "literal" and token.value == "/")]
        parts[0] = parts[0][sizes[-1] + 1:] if sizes else []
    names = []
    for part in parts:
        if len(part) == 1 and part[0].type == "string":
            names.append(part[0].value)
        elif part and all(token.type == "ident" for token in part):
            names.append(" ".join(token.value for token in part))
    if not names or names[0].lower() in ("inherit", "initial", "unset", "revert"):
        return None
    return Stack(tuple(names), mono="monospace" in (name.lower() for name in names))


def css_stacks(css: str) -> list[Stack]:
    """Every font-family stack the stylesheet names (`font-family` and `font`), in order, once each.

    A stack a later rule with the very same selector replaces is left out (the cascade: same
    selector, same specificity, the later wins), so a project's base-extra.css that reorders a
    stack of base.css does not ship the faces of both."""
    import tinycss2

    found: dict[tuple[str, ...], Stack] = {}

    def declarations(content: list, where: tuple[str, ...]) -> None:
        for item in tinycss2.parse_declaration_list(content, skip_comments=True, skip_whitespace=True):
            if item.type == "declaration" and item.lower_name in ("font-family", "font"):
                stack = _families(item.value, item.lower_name == "font")
                if stack is not None:
                    found.pop(where, None)  # moved to the end: the later rule's place in the order
                    found[where] = stack
            elif item.type == "at-rule" and item.content is not None:
                declarations(item.content, (*where, f"@{item.lower_at_keyword}"))  # @page's margin boxes

    def rules(nodes: Iterable, where: tuple[str, ...]) -> None:
        for node in nodes:
            if node.type == "qualified-rule":
                declarations(node.content, (*where, " ".join(tinycss2.serialize(node.prelude).split())))
            elif node.type == "at-rule" and node.content is not None and node.lower_at_keyword != "font-face":
                inner = (*where, f"@{node.lower_at_keyword} {tinycss2.serialize(node.prelude).strip()}")
                if node.lower_at_keyword in ("media", "supports", "layer", "document"):
                    rules(tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True), inner)
                else:
                    declarations(node.content, inner)

    rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), ())
    return list(dict.fromkeys(found.values()))


# Every stylesheet a built-in format reads: a stack named in any of them can draw a character (the
# glyph check, transforms/glyphs.py; the edition key hashes their font skeleton).
STYLESHEETS = ("base.css", "html.css", "print.css", "epub.css")

CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
# A declaration that is not `font` or `font-family` (up to its `;`, or the `}` that ends its block).
OTHER_DECLARATION = re.compile(r"(?<=[{;])\s*(?!font(?:-family)?\s*:)[-\w]+\s*:[^;{}]*(?:;|(?=}))", re.IGNORECASE)


EMPTY_RULE = re.compile(r"[^{};]*\{\s*\}")


def font_skeleton(css: str) -> str:
    """The stylesheet with every declaration but `font` and `font-family` taken out, and the rules left
    empty: the selectors and at-rules around font declarations, and those, in order — all css_stacks reads. A cache key hashes it (a regular
    expression: a few milliseconds, where parsing with tinycss2 took 0.1 s a stylesheet on a no-op build)."""
    skeleton = OTHER_DECLARATION.sub("", CSS_COMMENT.sub("", css))
    while True:  # then every rule left empty (and an @media left empty by that), and the whitespace
        shorter = EMPTY_RULE.sub("", skeleton)
        if shorter == skeleton:
            return " ".join(skeleton.split())
        skeleton = shorter


def stack_rules(css: str) -> list[tuple[str, Stack]]:
    """The style rules that set a font-family stack: (selector, stack), in order."""
    import tinycss2

    found = []
    for node in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if node.type != "qualified-rule":
            continue
        for item in tinycss2.parse_declaration_list(node.content, skip_comments=True, skip_whitespace=True):
            if item.type == "declaration" and item.lower_name == "font-family":
                stack = _families(item.value, False)
                if stack is not None:
                    found.append((" ".join(tinycss2.serialize(node.prelude).split()), stack))
    return found


def strip_font_faces(css: str) -> str:
    """The stylesheet without its @font-face rules (the EPUB and the HTML get generated ones instead)."""
    import tinycss2

    nodes = tinycss2.parse_stylesheet(css)
    return tinycss2.serialize(node for node in nodes
                              if not (node.type == "at-rule" and node.lower_at_keyword == "font-face"))


class FontChain:
    """The faces the stacks of a stylesheet can reach: the design fonts first, then the system's."""

    def __init__(self, design: Iterable[Path], stacks: list[Stack]) -> None:
        self.stacks = stacks
        self.faces: dict[str, list[FontFace]] = {}
        for path in design:
            face = design_face(path)
            self.faces.setdefault(face.family.lower(), []).append(face)
        system = system_faces()
        for stack in stacks:
            for family in stack.families:
                key = family.lower()
                if key not in self.faces and key in system:
                    self.faces[key] = list(system[key])

    def family(self, name: str) -> list[FontFace]:
        return self.faces.get(name.lower(), [])

    def best_face(self, name: str, weight: int, italic: bool) -> FontFace | None:
        """The face CSS font matching picks in family *name* (style first, then the nearest weight)."""
        faces = self.family(name)
        if not faces:
            return None
        return min(faces, key=lambda f: (f.italic != italic, abs(f.weight - weight),
                                         f.weight < weight if weight >= 500 else f.weight > weight, str(f.path)))

    def resolve(self, stack: Stack, weight: int, italic: bool, chars: Iterable[int]) -> dict[FontFace, set[int]]:
        """Which face draws each character: the first family of the stack whose face has it.

        A fallback family's cmap is read only when a character reaches it."""
        left = set(chars)
        drawn: dict[FontFace, set[int]] = {}
        for name in stack.families:
            if not left:
                break
            face = self.best_face(name, weight, italic)
            if face is None:
                continue
            mine = left & face.codepoints
            if mine:
                drawn.setdefault(face, set()).update(mine)
                left -= mine
        return drawn

    def covered(self, chars: Iterable[int]) -> set[int]:
        """The characters some face of some family of the chain has."""
        wanted = set(chars)
        left = set(wanted)
        for stack in self.stacks:
            for name in stack.families:
                for face in self.family(name):
                    if not left:
                        return wanted
                    left -= face.codepoints
        return wanted - left

    def names(self) -> list[str]:
        """The families that were found, in the order the stacks name them."""
        return list(dict.fromkeys(face.family for stack in self.stacks for name in stack.families
                                  for face in self.family(name)[:1]))

    def missing_families(self) -> list[str]:
        """Families the stacks name that neither the project nor the system has."""
        return list(dict.fromkeys(name for stack in self.stacks for name in stack.families
                                  if name.lower() not in GENERIC and not self.family(name)))


def plan(chain: FontChain, text: Iterable[int], code: Iterable[int]) -> dict[FontFace, set[int]]:
    """The faces an output must ship and the characters of each: *text* through every text stack,
    *code* through every monospace stack, in every variant (VARIANTS)."""
    text_chars, code_chars = set(text), set(code)
    shipped: dict[FontFace, set[int]] = {}
    for stack in chain.stacks:
        chars = code_chars if stack.mono else text_chars
        if not chars:
            continue
        for weight, italic in VARIANTS:
            for face, drawn in chain.resolve(stack, weight, italic, chars).items():
                shipped.setdefault(face, set()).update(drawn)
    return shipped
