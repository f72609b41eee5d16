"""Codes of making the outputs: B backends, W what rendering left out or repaired, A output formats and their claims."""

from __future__ import annotations

from .codes import Code

RENDERING: tuple[Code, ...] = (
    Code("B100", "error", "a tool failed inside a backend",
         "error B100: WeasyPrint failed while building the en pdf: ValueError: …; run with --debug for "
         "the traceback, and report it if the input looks right",
         "Run again with `--debug` to see where it failed; simplify the input around the reported place."),
    Code("B101", "error", "unknown PDF variant",
         "error B101: unknown PDF variant 'pdf/x'; choose from: pdf/ua-1, pdf/a-3b",
         "Use `pdf/ua-1` or `pdf/a-3b`."),
    Code("W101", "warning", "a raw HTML attribute that HTML5 forbids and CSS cannot say was left out",
         "source/en/notes.md:12:1: warning W101: raw HTML attribute 'cellpadding' on <table> is not HTML5 and "
         "has no CSS equivalent; left out; remove it or say it with CSS in a style attribute",
         "Remove the attribute, or say what it meant with CSS in a `style` attribute. (Attributes with a CSS "
         "equivalent — `align`, `valign`, `bgcolor`, `width`, `border`, `nowrap` — become CSS without a word.)"),
    Code("W102", "warning", "a <details> without a <summary> got one",
         "source/en/notes.md:20:1: warning W102: <details> has no <summary>; one saying 'Details' was added; "
         "begin the details with <summary>what they hold</summary>",
         "Begin the `<details>` with `<summary>what they hold</summary>`: HTML and EPUB require one."),
    Code("R110", "warning", "a <style> element in the text was left out",
         "source/en/notes.md:40:1: warning R110: a <style> element in the text is left out: HTML and EPUB allow it "
         "only in the page's head; put its rules in styles/html-extra.css (or epub-, print-extra.css)",
         "Move the rules into the project's stylesheets (`styles/*-extra.css`, docs/STYLING.md)."),
    Code("R111", "warning", "Markdown paragraphs inside raw <pre> were kept as preformatted text",
         "source/en/play.md:5:1: warning R111: a blank line inside raw <pre> ended the HTML block, and the lines "
         "after it were read as Markdown; they are kept as preformatted text; remove the blank lines inside the "
         "raw HTML, or write the code as a fenced code block",
         "CommonMark ends a raw HTML block that does not begin with `<pre>` at the first blank line; write the "
         "block without blank lines, begin it with `<pre>`, or use a fenced code block."),
    Code("W103", "warning", "a formula could not be typeset for print",
         "source/en/maths.md:8:1: warning W103: formula '\\foo{x}' cannot be typeset (…); printed as TeX; "
         "write it with LaTeX commands that MathJax knows",
         "Write the formula with common LaTeX math commands; the PDF shows its TeX until then (HTML and EPUB "
         "use pandoc's MathML)."),
    Code("W104", "warning", "raw HTML opened in a paragraph was not closed in it",
         "source/en/text.md:7:1: warning W104: raw HTML <b> is not closed in its paragraph; closed at its end; "
         "close it with </b> in the same paragraph",
         "Close the element in the paragraph that opens it; a browser would carry it on over the rest of the text."),
    Code("A101", "error", "two installed packages register the same output format (exit 2)",
         "error A101: format 'html' is registered twice: by pubpipe (pubpipe.backends.html:HtmlBackend) and by "
         "pubpipe-fancy (fancy:HtmlBackend); uninstall one of them (pip uninstall pubpipe-fancy), or rename the "
         "plugin's entry point",
         "A format name belongs to one backend: neither the built-in nor the plugin may silently win. "
         "Uninstall one, or give the plugin's entry point its own name (docs/PLUGINS.md)."),
    Code("A102", "error", "an output format's class is not a pubpipe backend (exit 2)",
         "error A102: format 'docx' (pubpipe_docx:DocxBackend) is not a pubpipe backend; its class must subclass "
         "pubpipe.backends.base.Backend (docs/PLUGINS.md)",
         "The class an entry point of `pubpipe.backends` names must subclass `pubpipe.backends.base.Backend`, "
         "which gives the optional capabilities their defaults. Update the plugin."),
    Code("A103", "warning", "an EPUB's images lack alt text, so it claims no WCAG conformance",
         "warning A103: 1 image(s) without alt text (first: 'map.png'): the EPUB does not claim text alternatives "
         "or WCAG 2.1 AA conformance; describe each image: ![what it shows](…); `pubpipe check` lists them with "
         "their lines (K164)",
         "The EPUB's accessibility metadata says only what holds: with an image that has no text alternative it "
         "leaves out `alternativeText`, `dcterms:conformsTo` and the certifier, and its summary says what is "
         "missing. Describe every image between the brackets."),
    Code("A301", "warning", "the PDF engine (WeasyPrint) skipped something it could not use",
         "styles/print-extra.css:3:5: warning A301: the PDF engine (WeasyPrint) reported: Ignored `colr: red` at "
         "3:5, unknown property; fix or remove what it names (a stylesheet's declaration, a URL, an image); "
         "WeasyPrint skips it and prints the rest",
         "WeasyPrint does not stop at a CSS declaration it does not know, an `@page` size it cannot read, or a "
         "URL pubpipe's fetcher refused (outside the project, or remote without `--allow-remote`): it leaves it "
         "out of the PDF. Fix the declaration at the place given (see docs/STYLING.md), or the URL."),
)
