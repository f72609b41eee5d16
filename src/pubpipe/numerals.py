"""The digits an edition's language writes its numbers in, for page numbers and dates alike."""

from __future__ import annotations

# By CSS Counter Styles' predefined names, which WeasyPrint has (the PDF's page numbers: pdf.print_sheets).
# Arabic books use Arabic-Indic digits (٠١٢), Persian ones Extended Arabic-Indic (۰۱۲), Urdu the same
# characters in its own forms; the Maghreb writes Arabic with European digits. Everything else: European.
_STYLES = {"ar": "arabic-indic", "fa": "persian", "ur": "urdu"}
_EUROPEAN = ("ar-ma", "ar-dz", "ar-tn", "ar-ly", "ar-eh")
_ZERO = {"arabic-indic": 0x0660, "persian": 0x06F0, "urdu": 0x06F0}


def digit_style(lang: str) -> str:
    """The CSS counter style of *lang*'s digits (a BCP 47 tag, matched the way `:lang()` matches it):
    `arabic-indic`, `persian`, `urdu` or `decimal`."""
    tag = lang.lower().replace("_", "-")
    if any(tag == region or tag.startswith(region + "-") for region in _EUROPEAN):
        return "decimal"
    return _STYLES.get(tag.split("-")[0], "decimal")


def localise_digits(text: str, lang: str) -> str:
    """*text* with its European digits 0–9 written in *lang*'s digits (digit_style); other characters kept."""
    zero = _ZERO.get(digit_style(lang))
    if zero is None:
        return text
    return text.translate({ord("0") + n: zero + n for n in range(10)})
