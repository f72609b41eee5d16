"""Codes of `pubpipe init --from` (I): reading an mdBook, MkDocs, pandoc or plain Markdown project."""

from __future__ import annotations

from .codes import Code

IMPORTING: tuple[Code, ...] = (
    Code("I100", "error", "`init --from` cannot use the source project or the destination (exit 2)",
         "error I100: 'notes' is not an mdBook, MkDocs or pandoc project; point --from at the folder holding "
         "book.toml or mkdocs.yml, or at a pandoc defaults file",
         "Point `--from` at the folder holding book.toml or mkdocs.yml, or at a pandoc defaults file; write the "
         "new publication outside the source project."),
    Code("I101", "warning", "`init --from`: a source file cannot be read; left out",
         "book/src/intro.md: warning I101: not valid UTF-8 (byte 312); left out; save the file as UTF-8 and import again",
         "Save the file as UTF-8 and import again."),
    Code("I102", "warning", "`init --from`: the source project's configuration cannot be read",
         "book/book.toml: warning I102: book.toml is not valid TOML (…); its settings are not used; fix the TOML "
         "and import again",
         "Fix the file's syntax and import again (the tool itself would refuse it too)."),
    Code("I103", "warning", "`init --from`: the source's language is not a BCP 47 tag",
         "book/book.toml:5: warning I103: language 'English' is not a BCP 47 tag; the edition is 'en'; pass --lang "
         "to choose another",
         "Pass `--lang` with a tag such as `en` or `pt-BR`."),
    Code("I104", "warning", "`init --from`: an mdBook without SUMMARY.md",
         "book/src/SUMMARY.md: warning I104: no src/SUMMARY.md; every Markdown file is imported, sorted by name; "
         "write a SUMMARY.md to set the order",
         "Write a SUMMARY.md, or reorder `files:` in publication.yaml."),
    Code("I105", "warning", "`init --from`: an mdBook preprocessor is not run",
         "book/book.toml:12: warning I105: mdBook preprocessor 'katex' is not run; what it adds to the text is "
         "missing; replace its syntax in the chapters by plain Markdown",
         "Replace the preprocessor's syntax in the imported chapters by Markdown pubpipe reads."),
    Code("I106", "warning", "`init --from`: the web site's theme or CSS is not carried over",
         "book/book.toml:7: warning I106: output.html.additional-css styles mdBook's web pages and is not carried "
         "over; put the rules you need into styles/base-extra.css (see docs/STYLING.md)",
         "Put the rules you need into `styles/base-extra.css`."),
    Code("I107", "warning", "`init --from`: a draft chapter (no file) is skipped",
         "book/src/SUMMARY.md:10: warning I107: draft chapter 'Later' has no file; skipped; write the chapter and "
         "link its file in SUMMARY.md",
         "Write the chapter, link it in SUMMARY.md and import again (or add it to `files:`)."),
    Code("I108", "warning", "`init --from`: SUMMARY.md holds something that is not a chapter",
         "book/src/SUMMARY.md:7: warning I108: 'Appendix' in SUMMARY.md is no link; it becomes a heading without "
         "text; link it to a chapter file",
         "Keep only links, lists of links, part titles and `---` in SUMMARY.md."),
    Code("I109", "warning", "`init --from`: a listed chapter file is missing or listed twice",
         "book/src/SUMMARY.md:9: warning I109: chapter file 'ch9.md' does not exist; skipped; create the file or "
         "remove it from SUMMARY.md",
         "Create the file, or remove it from SUMMARY.md, nav or input-files."),
    Code("I110", "warning", "`init --from`: a link to an anchor that does not exist",
         "book/src/intro.md:12: warning I110: link to '#setup', which is no heading or element of this page; kept "
         "as text; link to an existing heading's id",
         "Link to an existing heading's id (pandoc makes ids as GitHub does: lower case, spaces as hyphens)."),
    Code("I111", "warning", "`init --from`: a link to a path on the web site",
         "site/docs/index.md:4: warning I111: link to '/api/', a path on the web site; kept as text; write a full "
         "URL (https://…) to keep the link",
         "Write a full URL to keep the link."),
    Code("I112", "warning", "`init --from`: a link to a page that is not in the book",
         "book/src/intro.md:6: warning I112: link to 'future.md', a page that is not in the book; kept as text; "
         "link to a chapter, or write a full URL (https://…)",
         "Link to a chapter, add the page to SUMMARY.md or nav, or write a full URL."),
    Code("I113", "warning", "`init --from`: an image on the web",
         "site/docs/index.md:9: warning I113: image 'https://example.org/a.png' is on the web; kept as a remote "
         "reference; download it into the project and refer to it by a relative path",
         "Download the image into the book's folder and refer to it by a relative path."),
    Code("I114", "warning", "`init --from`: an image is missing or not a usable picture",
         "book/src/intro.md:3: warning I114: image 'img/map.png' is not found; its description is kept as text; "
         "copy the image into the book's folder and import again",
         "Copy the image (PNG, JPEG, GIF, WebP or SVG) into the book's folder and import again."),
    Code("I115", "warning", "`init --from`: a control character removed",
         "site/docs/api.md:323: warning I115: control character U+0002 removed; write the character another way, "
         "e.g. as its name",
         "Write the character another way; no XML output (EPUB, XHTML) can carry it."),
    Code("I116", "warning", "`init --from`: links that leave the book are kept as written",
         "book/src/intro.md:44: warning I116: 45 link(s) leave the book (the first: '../std/index.html') and are "
         "kept as written; …; set source_url in publication.yaml to the address the book was published at, and "
         "they become links again",
         "Set `source_url` in publication.yaml to the address the book was published at."),
    Code("I117", "warning", "`init --from`: text that looks like an HTML tag is written as text",
         "book/src/arc-drop.md:54: warning I117: '<T>' is not an HTML element; written as text; write it in "
         "backticks (`…`) or as \\<T>",
         "Nothing to do if the text now reads as meant; a browser hid it, and no EPUB may contain it."),
    Code("I118", "warning", "`init --from`: a <style> block moved, or a <script> block left out",
         "site/docs/contributing.md:918: warning I118: <style> block moved into styles/base-extra.css; check its "
         "rules there: they now apply to the whole book",
         "Check the moved rules in `styles/base-extra.css`; scripts have no place in the outputs."),
    Code("I120", "warning", "`init --from`: an mdBook directive pubpipe does not know",
         "book/src/intro.md:5:1: warning I120: mdBook directive '{{#template}}' is not known to pubpipe; removed; "
         "replace it by the text it stands for",
         "Write the text the directive stood for into the imported chapter."),
    Code("I121", "warning", "`init --from`: an included file is missing",
         "book/src/intro.md:5:1: warning I121: included file 'code/x.rs' not found; left out; check the path, "
         "relative to the file that includes it",
         "Check the path, relative to the file holding the `{{#include}}`."),
    Code("I122", "warning", "`init --from`: an include's line range or anchor is wrong",
         "book/src/intro.md:5:1: warning I122: anchor 'setup' not found in 'x.rs'; nothing included; mark the "
         "lines with ANCHOR: setup and ANCHOR_END: setup",
         "Mark the lines with `ANCHOR: name` / `ANCHOR_END: name` comments, or give a line range."),
    Code("I131", "warning", "`init --from`: MkDocs extension syntax degraded to text",
         "site/docs/index.md:7: warning I131: [TOC] marker removed; pubpipe makes the contents of the PDF and "
         "EPUB itself",
         "Check the place: content tabs, abbreviations, attribute lists on their own line and macros have no "
         "counterpart and become plain text (or nothing)."),
    Code("I132", "warning", "`init --from`: a nav entry that is not a page",
         "site/mkdocs.yml: nav: warning I132: nav entry 'GitHub' links to https://github.com/x, which is not a "
         "page; left out; add the link to a page's text if it should be in the book",
         "Add the link to a page's text if the book needs it."),
    Code("I133", "warning", "`init --from`: a snippet file is missing",
         "site/docs/index.md:12: warning I133: snippet 'includes/abbr.md' not found; left out; check the path, "
         "relative to the folder holding mkdocs.yml",
         "Check the snippet's path."),
    Code("I140", "warning", "`init --from`: a bibliography or CSL file outside the project is not carried over",
         "project/defaults.yaml:10: warning I140: bibliography file 'refs.bib' is not inside the project's folder; "
         "not carried over; copy it into the new publication and name it under bibliography:",
         "Copy the file into `source/` of the new publication and name it under `bibliography:` (or `csl:`)."),
    Code("I141", "warning", "`init --from`: raw LaTeX is left out",
         "project/ch1.md:11: warning I141: 1 raw LaTeX piece(s) (first: '\\\\newpage') are left out of every "
         "format; replace them by Markdown",
         "Replace raw LaTeX by Markdown (page breaks come from pubpipe's print style)."),
    Code("I142", "warning", "`init --from`: pandoc options that pubpipe does not use",
         "project/defaults.yaml:14: warning I142: pandoc options not carried over: toc, number-sections; pubpipe "
         "makes the contents, styles and page layout itself",
         "Nothing to do unless you relied on a filter or template: redo its effect in Markdown or styles/."),
    Code("I143", "warning", "`init --from`: a stylesheet copied or missing",
         "project/defaults.yaml:12: warning I143: stylesheet 'pandoc.css' copied into styles/html-extra.css; it "
         "was written for pandoc's HTML and may need adjusting",
         "Check the HTML output and trim rules that do not apply."),
    Code("I144", "error", "`init --from`: pandoc cannot read an input file",
         "project/ch1.md: error I144: pandoc could not read the file: …; check that pandoc itself builds the project",
         "Check that `pandoc -d defaults.yaml` itself works on the project."),
)
