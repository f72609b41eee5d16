"""pubpipe-docx: a pubpipe backend that writes each edition as a DOCX file through pandoc."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from importlib.metadata import version
from pathlib import Path

from jinja2 import Template

from pubpipe.backends.base import Backend, BuildContext, BuildResult
from pubpipe.backends.content import edition_link, render_sections
from pubpipe.backends.render.writer import HtmlWriter
from pubpipe.errors import BackendError
from pubpipe.model import Edition
from pubpipe.reading.pandoc import pandoc_path

# pandoc reads this page; its <title> and meta become the document's core properties.
PAGE = Template("""<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ meta.title }}</title>
{% for author in meta.authors %}<meta name="author" content="{{ author }}">{% endfor %}
</head><body>
{% for section in sections %}<section id="{{ section.id }}">
{% if section.title_html %}<h1>{{ section.title_html }}</h1>{% endif %}{{ section.body_html }}</section>
{% endfor %}{% if notes %}<section class="footnotes" role="doc-endnotes"><hr><ol>{% for note in notes %}
<li id="fn{{ note.number }}">{{ note.html }}</li>{% endfor %}</ol></section>{% endif %}
</body></html>
""", autoescape=False)


class DocxBackend(Backend):
    """Word documents: pubpipe's shared HTML rendering, converted by the pandoc pubpipe already uses."""

    name = "docx"
    suffix = ".docx"
    description = "Word document per edition, via pandoc"
    styles = ()

    def fingerprint(self) -> dict[str, str]:
        return {"pubpipe-docx": version("pubpipe-docx"), "pubpipe": version("pubpipe")}

    def build(self, edition: Edition, ctx: BuildContext) -> BuildResult:
        writer = HtmlWriter(link_href=lambda target: edition_link(ctx, self.suffix, target), heading_offset=0)
        sections = render_sections(edition, writer)
        notes = [note for section in sections for note in section.notes]
        with tempfile.TemporaryDirectory(prefix="pubpipe-docx-") as work:
            folder = Path(work)
            for asset in edition.assets:  # images where the page's relative links expect them
                target = folder / asset.href
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(asset.source, target)
            page = folder / "page.html"
            page.write_text(PAGE.render(lang=edition.lang, meta=edition.metadata, sections=sections,
                                        notes=notes), encoding="utf-8")
            # SOURCE_DATE_EPOCH makes pandoc's DOCX timestamps, and so its bytes, reproducible.
            env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(ctx.build_time.timestamp()))}
            done = subprocess.run([pandoc_path(), "-f", "html", "-t", "docx", "--resource-path", str(folder),
                                   "-o", str(ctx.output), str(page)], capture_output=True, text=True,
                                  env=env, cwd=folder, timeout=600, check=False)
        if done.returncode != 0:
            raise BackendError(f"pandoc could not write the DOCX: {done.stderr.strip()[:300]}",
                               hint="run with --debug and report it with the input", code="B100")
        return BuildResult(ctx.output)
