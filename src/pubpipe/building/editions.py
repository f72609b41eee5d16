"""The editions a build needs, each read and transformed once (the pandoc runs side by side)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..diagnostics import Diagnostic
from ..model import Edition, EditionLink
from ..reading.project import Project
from ..report import Reporter
from .keys import edition_title
from .plan import BuildOptions
from .process import collector_paused


def edition_links(project: Project, lang: str, titles: dict[str, str]) -> tuple[EditionLink, ...]:
    """The other editions of the work as seen from *lang* (for alternate links and the language switcher)."""
    from ..i18n import language_name

    return tuple(EditionLink(other, titles[other], language_name(other), project.edition(other).direction)
                 for other in project.languages if other != lang)


def parse_editions(project: Project, languages: Iterable[str], titles: dict[str, str],
                   options: BuildOptions, found: dict[str, list[Diagnostic]] | None = None,
                   keys: dict[str, str] | None = None) -> list[Edition]:
    """Parse the editions asked for (each once; the pandoc runs side by side), in the project's order.

    Every problem of every edition goes to the build's reporter, in edition order, so the messages
    come out the same on every run; an edition that cannot be read at all is left out of the result
    (its errors say why). The caller checks the reporter before anything is written. With
    options.prepared and the editions' *keys* (building/keys.py), an edition prepared by an earlier
    build of this process from the same state is taken as it is, with its findings.
    """
    from concurrent.futures import ThreadPoolExecutor

    from ..reading.prepare import prepare_edition

    def load(lang: str) -> tuple[Edition | None, Reporter]:
        reporter = Reporter(strict=options.reporter.strict)
        # Every edition's key: a translation reads its original's ids too.
        state = (tuple(sorted(keys.items())), options.allow_remote, options.debug) if keys else None
        if options.prepared is not None and state is not None:
            kept = options.prepared.get(lang, state)
            if kept is not None:
                reporter.extend(kept[1])
                return kept[0], reporter
        # --allow-remote, else what publication.yaml says.
        edition = prepare_edition(project, lang, reporter, options.allow_remote or None, options.debug)
        if edition is None:
            return None, reporter
        edition = replace(edition, others=edition_links(project, lang, titles))
        if options.prepared is not None and state is not None and not reporter.errors:
            options.prepared.put(lang, state, edition, tuple(reporter.diagnostics))
        return edition, reporter

    wanted = [lang for lang in project.languages if lang in set(languages)]
    editions = []
    # Threads are enough: the time goes into the pandoc subprocess, which runs outside the GIL.
    with collector_paused(), ThreadPoolExecutor(max_workers=min(2, len(wanted) or 1)) as threads:
        for lang, future in [(lang, threads.submit(load, lang)) for lang in wanted]:
            edition, reporter = future.result()
            options.reporter.extend(reporter.diagnostics)
            if found is not None:
                found[lang] = list(reporter.diagnostics)
            if edition is not None:
                editions.append(edition)
    return editions


def load_editions(project: Project, languages: Iterable[str], options: BuildOptions | None = None) -> dict[str, Edition]:
    """Parse every edition asked for (each once) and run the transforms."""
    options = options or BuildOptions()
    titles = {lang: edition_title(project, lang) for lang in project.languages}
    editions = parse_editions(project, languages, titles, options)
    options.reporter.check()
    return {edition.lang: edition for edition in editions}
