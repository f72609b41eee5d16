"""Codes of reading and transforming: C configuration, S sources, P content, H images and raw HTML, X citations, G glyphs."""

from __future__ import annotations

from .codes import Code

READING: tuple[Code, ...] = (
    Code("C100", "error", "no project found",
         "error C100: no project found in /home/me or above; run pubpipe in a folder that holds "
         "source/publication.yaml, or pass -C DIR",
         "Run pubpipe inside the project or pass `-C path/to/project`."),
    Code("C101", "error", "publication.yaml is not valid YAML",
         "source/publication.yaml:4:7: error C101: invalid YAML: mapping values are not allowed here; "
         "fix the YAML syntax",
         "Fix the YAML at the line and column shown (quote values that contain `: `)."),
    Code("C102", "error", "publication.yaml is not UTF-8",
         "source/publication.yaml: error C102: not valid UTF-8 at byte 112; save the file as UTF-8",
         "Save the file as UTF-8."),
    Code("C103", "error", "unknown key in publication.yaml",
         "source/publication.yaml:3: error C103: unknown key 'titel'; did you mean 'title'?",
         "Rename the key as suggested or remove it; free-form values go under `extra:`."),
    Code("C104", "error", "a value has the wrong type",
         "source/publication.yaml:5: error C104: 'authors' must be a list or a string, not int; Author credit(s).",
         "Give the key a value of the type named."),
    Code("C105", "error", "a required key is missing",
         "source/publication.yaml: rights: error C105: required key 'rights' is missing; add it: "
         "Copyright or licence statement.",
         "Add the key (the title may also come from the edition's front matter)."),
    Code("C106", "error", "slug is not usable as a file name",
         "source/publication.yaml:1: error C106: slug 'My Book' is not usable as a file name; "
         "use lower-case letters, digits and hyphens",
         "Use lower-case letters, digits and hyphens."),
    Code("C107", "error", "not a BCP 47 language tag",
         "source/publication.yaml:12: error C107: 'english' is not a BCP 47 language tag; "
         "use a tag such as en, ru or pt-BR",
         "Use a BCP 47 tag such as `en`, `ru` or `pt-BR`."),
    Code("C108", "error", "an edition is declared twice",
         "source/publication.yaml:14: error C108: edition 'en' is declared twice; keep one entry per language",
         "Keep one entry per language."),
    Code("C109", "error", "an edition has no folder",
         "source/publication.yaml:14: error C109: edition 'de' has no folder source/de/; create source/de/ "
         "with its Markdown, or remove the edition",
         "Create `source/<lang>/` with the edition's Markdown, or remove the edition."),
    Code("C110", "error", "the original language has no edition",
         "source/publication.yaml:6: error C110: the original language 'en' has no edition; "
         "add '- lang: en' under editions",
         "Add an edition for the original language."),
    Code("C111", "error", "an edition's Markdown file is missing",
         "source/publication.yaml:13: error C111: file '02.md' does not exist; create en/02.md or remove "
         "it from 'files'",
         "Create the file or remove it from `files:`."),
    Code("C112", "error", "a listed file is outside the edition's folder",
         "source/publication.yaml:13: error C112: file '../../secret.md' is outside the edition's folder; "
         "list files inside the edition's folder",
         "List only files inside `source/<lang>/`."),
    Code("C113", "error", "an unknown PDF variant in publication.yaml",
         "source/publication.yaml:9: error C113: unknown PDF variant 'pdf/x'; choose from: pdf/ua-1, pdf/a-3b",
         "Write `pdf_variant: pdf/ua-1` or `pdf/a-3b` under `page:`, or leave it out for a tagged PDF."),
    Code("S101", "error", "a Markdown file is not UTF-8",
         "source/en/article.md:7: error S101: not valid UTF-8 (byte 230, line 7); save the file as UTF-8",
         "Save the file as UTF-8 (the byte offset and line point at the first bad byte)."),
    Code("S102", "error", "front matter is not valid YAML",
         "source/en/article.md:3: error S102: invalid YAML in front matter: mapping values are not allowed "
         "here; fix the YAML between the '---' lines",
         "Fix the YAML between the `---` lines; quote titles that contain `: `."),
    Code("S103", "error", "pandoc failed",
         "source/en/article.md: error S103: pandoc failed: …; check the Markdown syntax",
         "Read pandoc's message; if pandoc itself is broken, reinstall pypandoc-binary."),
    Code("S104", "error", "a document is empty",
         "source/en/article.md:1: error S104: the edition has no text; write the text below the front matter",
         "Write the text below the front matter."),
    Code("S105", "error", "pandoc ran out of memory or time, or gave unreadable output",
         "source/en/article.md: error S105: pandoc ran out of memory reading the text (limit 2048 MB); look for "
         "long runs of nested emphasis marks (***…***) or brackets, or split the text",
         "pandoc's heap is capped (2 GB, or 1000 × the text's size) and it is stopped after 600 s: look for "
         "long runs of `*`, `_` or brackets, split very large texts into several files; reinstall "
         "pypandoc-binary if pandoc's output is unreadable."),
    Code("S106", "error", "the text is nested too deeply",
         "source/en/article.md: error S106: the text is nested too deeply to process; "
         "flatten deeply nested lists or quotes",
         "Flatten lists or block quotes nested hundreds of levels deep."),
    Code("P012", "error", "an image is missing",
         "source/en/article.md:12:3: error P012: image 'images/map.png' not found (looked in source/en/images/); "
         "check the file name and path",
         "Check the file name and the path, relative to the Markdown file."),
    Code("P013", "error", "an image is not a project file",
         "source/en/article.md:12:3: error P013: image 'file:///home/ada/a.png' is not a file in the project; "
         "copy the image into source/ and use a relative path",
         "Copy the image into `source/` and refer to it with a relative path. (Web images, http and https, "
         "are H101 and H102.)"),
    Code("P014", "error", "an image path leaves the project",
         "source/en/article.md:12:3: error P014: image path '../../etc/passwd' leaves the project; "
         "keep images inside the project's source/ folder",
         "Keep images inside `source/`; symbolic links must point inside it too."),
    Code("P015", "error", "an image is not really an image",
         "source/en/article.md:12:3: error P015: 'images/map.png' is not a PNG, JPEG, GIF, WebP or SVG image; "
         "export it in one of those formats",
         "Export the picture as PNG, JPEG, GIF, WebP or SVG with the matching extension."),
    Code("P020", "error", "a link to an anchor that does not exist",
         "source/en/article.md:30:5: error P020: link to '#part-4', which does not exist; "
         "did you mean #part-3 (article.md:88)?",
         "Link to an existing heading id (the hint names the nearest ones and where their headings are; the "
         "HTML output shows every id) or add `{#id}` to the heading."),
    Code("P021", "warning", "a link to a file that is not part of the publication",
         "source/en/README.md:30:5: warning P021: link to 'OFL.txt', which is not part of the publication; kept as "
         "text with its address; link to a Markdown file of an edition, a heading's #id or a full URL, or set "
         "source_url in publication.yaml to link to the original",
         "Link to a Markdown file of an edition, a heading's `#id`, or a full URL; or set `source_url:` in "
         "publication.yaml to the web address the Markdown came from, and such links point there."),
    Code("P022", "warning", "two headings would get the same id",
         "source/en/article.md:40:1: warning P022: id 'notes' is used twice (first at line 12); this one "
         "becomes 'notes-2'; give the heading its own id with {#…}",
         "Give one of the headings its own id with `{#other-id}`; links to `#notes` go to the first."),
    Code("P023", "error", "a link to an edition that does not exist",
         "source/en/article.md:8:5: error P023: link to the 'de' edition, which is not an edition of this "
         "publication; link to one of: en, ru",
         "Link to a declared edition, or add the language under `editions:`."),
    Code("P024", "warning", "a link to an anchor that does not exist, sent to the one it plainly means",
         "source/zh/README.md:389:182: warning P024: link to '#c配置文件', which does not exist; it goes to "
         "#配置文件 (README.md:519), the one it plainly means; write #配置文件 in the link",
         "Write the id the link goes to. pubpipe takes it only when it is plain: the heading whose title is "
         "the link's text, or the one near id that holds the written one whole or is held in it; any other "
         "missing anchor is P020."),
    Code("R120", "warning", "a translation links to an anchor that only the original has",
         "source/ko/README.md:700:1: warning R120: link to '#using-a-different-pager', which is no id of this "
         "edition but one of the original (en); it goes to the original's; link to this edition's heading, "
         "e.g. #다른-페이저-사용하기",
         "A translator kept the original's `#id`: link to the translated heading's id instead (the HTML output "
         "shows it), or give the translated heading the original's id with `{#id}`."),
    Code("R121", "warning", "a link's web address was not valid and was written as browsers read it",
         "source/en/MANUAL.md:21468:40: warning R121: 'https:///ecloud.example.cn/eos/' is not a valid web "
         "address; written as 'https://ecloud.example.cn/eos/', as browsers read it; correct the address in the "
         "link",
         "Correct the address: one `//` after `https:`, and no `]`, spaces or quotes in it (or write them "
         "percent-encoded, `%5D`)."),
    Code("P030", "warning", "raw HTML refers to a resource outside the project",
         "source/en/article.md:50:1: warning P030: raw HTML refers to 'https://example.org/x.png'; left out "
         "of every output; copy the file into source/ and use Markdown, or pass --allow-remote (or set "
         "'allow_remote: true' in publication.yaml)",
         "Copy the resource into `source/` and use Markdown; `--allow-remote` keeps http(s) references "
         "(file:// and absolute paths are always left out)."),
    Code("P040", "warning", "a README.md beside other Markdown files is not published",
         "source/en/README.md: warning P040: README.md is not published: beside other Markdown files it is taken "
         "for notes about the text; to publish it, list it under 'files' of the 'en' edition in publication.yaml",
         "List the file under `files:` of the edition (in reading order) to publish it; a README.md that is the "
         "edition's only Markdown file is published without asking."),
    Code("G101", "warning", "characters no font of the font chain can draw",
         "source/en/book.md:12:40: warning G101: 1 character of the text has no glyph in any font of the font "
         "chain and will show as a box or in a font of the reader's: '\ue000' U+E000 unnamed character (first at "
         "source/en/book.md:12:40); install a font that draws them (Debian: the fonts-noto-* packages; `make "
         "build` installs the chain) and name its family in a font-family stack of styles/base-extra.css, or put "
         "the font in styles/fonts/; or write the characters differently",
         "Install a font that has the characters and name its family in a `font-family` stack (or put it in "
         "`styles/fonts/`); `make build` installs pubpipe's chain of Noto fonts. One warning lists every such "
         "character of an edition with the place it first occurs."),
    Code("H101", "warning", "a web image is not fetched without permission",
         "source/en/README.md:3:1: warning H101: web image 'https://ci.example.org/x.svg' not fetched; its alt "
         "text is shown, linked to it; pass --allow-remote or set 'allow_remote: true' in publication.yaml to "
         "fetch and embed it, or copy the image into source/",
         "Nothing is fetched from the web unless asked: every output shows the image's alt text, linked to the "
         "image (inside a link, such as a badge, the alt text is that link's text). `--allow-remote` or "
         "`allow_remote: true` fetches http(s) images once into `build/.cache/remote/` and embeds them; or "
         "copy the image into `source/`."),
    Code("H102", "warning", "a web image could not be fetched",
         "source/en/README.md:3:1: warning H102: web image 'https://ci.example.org/x.svg' could not be fetched "
         "(the server answered 404 Not Found); its alt text is shown, linked to it; check the address, or copy "
         "the image into source/; the next build tries again (--force if nothing else changed)",
         "Fetching is limited (10 MB, 20 s, 5 redirects, http and https only) and the server must send a PNG, "
         "JPEG, GIF, WebP or SVG image whose bytes match its type. Check the address, or copy the image into "
         "`source/`."),
    Code("H103", "warning", "raw HTML or a link would run code",
         "source/en/guest.md:7:1: warning H103: raw HTML would run code (a <script> element, the onclick "
         "attribute); removed from every output; if every author of the text is trusted, set "
         "'trust_raw_html: true' in publication.yaml; else remove it from the text",
         "`<script>` elements, `on…` event attributes and `javascript:` URLs (in raw HTML, Markdown links, "
         "images and attributes) are removed, so chapters contributed by others are safe to build. "
         "`trust_raw_html: true` in publication.yaml keeps them."),
    Code("H104", "warning", "control characters in the text were left out",
         "source/en/notes.md:3:7: warning H104: 2 control characters (U+0015) left out; no format can show them; "
         "remove them from the file (a text editor's 'show invisibles' finds them)",
         "Remove the characters (often pasted from a terminal or a PDF); XML, and so the EPUB, cannot hold them."),
    Code("X101", "error", "a bibliography or citation style file cannot be used",
         "source/publication.yaml: bibliography: error X101: bibliography file 'refs.bib' not found (looked in "
         "source); check the file name; paths are relative to the file that names them",
         "Name a BibTeX (.bib), CSL JSON (.json), CSL YAML or RIS file (and a .csl style) inside the project, "
         "relative to the file that names it: publication.yaml (source/) or the Markdown file."),
    Code("X102", "warning", "a citation key is not in the bibliography",
         "source/en/chapter.md:12:24: warning X102: citation '@knuth1948' is not in the bibliography; written "
         "as 'knuth1948?'; check the key against the bibliography file",
         "Correct the key, or add the entry to the bibliography."),
    Code("X103", "error", "citeproc cannot read the bibliography or the style",
         "source/refs.bib: error X103: citeproc could not read the bibliography or style: unexpected '}'; "
         "check the file's syntax (BibTeX, CSL JSON or CSL)",
         "Fix the syntax of the bibliography or the CSL file named in the message."),
    Code("X104", "error", "an unknown Markdown dialect in publication.yaml",
         "source/publication.yaml:9: markdown: error X104: unknown Markdown dialect 'rst'; choose from: "
         "commonmark_x, gfm, pandoc",
         "Write `markdown: commonmark_x`, `gfm` or `pandoc`, or leave the key out."),
    Code("X105", "error", "a cross-reference to a label that does not exist",
         "source/en/chapter.md:40:5: error X105: reference to '@fig-mapp', but no figure has the label "
         "'fig-mapp'; known figure labels: fig-map",
         "Correct the reference, or put the label on the figure (`![…](…){#fig-map}`), table "
         "(`: Caption {#tbl-x}`), equation (`$$…$$ {#eq-x}`) or heading (`## Title {#sec-x}`)."),
    Code("S201", "error", "the Dask executor is asked for but Dask distributed is not installed",
         "error S201: the Dask executor needs Dask distributed; pip install 'pubpipe[dask]'",
         "Install the extra (`pip install 'pubpipe[dask]'`), or leave out `--executor`."),
    Code("S202", "error", "unknown executor",
         "error S202: unknown executor 'ray://x'; use 'local' or 'dask://host:port'",
         "Use `--executor local` or `--executor dask://host:port` (the address of a Dask scheduler)."),
    Code("S203", "warning", "the book's PDF is laid out whole although chapters were asked for",
         "warning S203: the PDF is laid out whole, not chapter by chapter: @page :left depends on where a page "
         "falls in the whole book; see docs/PERFORMANCE.md, 'Books at speed'",
         "Remove what the message names (left/right page rules, a PDF variant), or set `page: layout: auto`."),
    Code("S204", "error", "unknown PDF layout in publication.yaml",
         "source/publication.yaml:9:11: error S204: unknown PDF layout 'fast'; choose from: auto, chapters, single",
         "Use `auto`, `chapters` or `single` under `page: layout`."),
)
