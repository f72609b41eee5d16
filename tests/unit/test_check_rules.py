"""Each lint rule fires on a bad sample, stays silent on a good one, and `--fix` repairs what it claims to."""

from __future__ import annotations

from pathlib import Path

import pytest

from pubpipe.check import Selection, check_project, load_rules
from pubpipe.reading.project import load_project

NBSP = "\u00a0"

# (code, language, bad Markdown, good Markdown, the bad text after --fix or None when not fixable)
CASES = [
    ("K101", "en", "It fell.Then it rose.", "It fell. Then it rose, e.g.Wise, at 3.5 km in J.R.R.Tolkien's book.",
     "It fell. Then it rose."),
    ("K101", "en", 'They called it "fronts".This was new.', 'They called it "fronts". See https://a.example/x.Html.',
     'They called it "fronts". This was new.'),
    ("K102", "en", "It was banned inStalin's USSR.", "It was banned in Stalin's USSR on his iPhone.",
     "It was banned in Stalin's USSR."),
    ("K103", "en", "- One item.• Two item.", "- One item.\n- Two item.", "- One item.\n- Two item."),
    ("K111", "en", f"the majority within them{NBSP}the Mensheviks",
     f"the majority within them – the Mensheviks, 10{NBSP}km",
     None),
    ("K111", "en", f"It was Stalinism {NBSP}the programme.", "It was Stalinism – the programme.", None),
    ("K112", "en", f"Did it fail,{NBSP} Stalinism did!", f"Did it fail, Stalinism did! Mr.{NBSP}Smith.",
     "Did it fail, Stalinism did!"),
    ("K113", "en", "Two  spaces here.", "One space here.  \nA line break above.", "Two spaces here."),
    ("K114", "en", "A space , before a comma .", "No space, here... and ... an ellipsis.", "A space, before a comma."),
    ("K114", "fr", "Quoi , non.", "Quoi ? Ici : oui ; non.", None),
    ("K121", "fr", 'Il dit "oui".', "Il dit « oui ».", None),
    ("K122", "fr", "Oui -- non.", "Oui – non.", "Oui – non."),
    ("K123", "fr", "Oui...", "Oui…", "Oui…"),
    ("K131", "en", 'He said "yes and left.', 'He said "yes" and left. It’s “fine”.', None),
    ("K131", "ru", "Он сказал «да и ушёл.", "Он сказал «да» и ушёл, «про „это“ тоже».", None),
    ("K132", "en", "A note (see above.", "A note (see above). [1]\n\na) first item", None),
    ("K133", "en", "This is *important.", "This is *important* and snake_case and \\*literal.", None),
    ("K141", "en", "It was the the end.", "It had had its end, that that was.", "It was the end."),
    ("K141", "ru", "Это был был конец.", "Это был конец.", "Это был конец."),
    ("K142", "en", "until help could came from abroad", "until help could come from abroad", None),
    ("K151", "en", "It seems obvious at firsat sight.", "It seems obvious at first sight; it is organised.", None),
    ("K151", "ru", "Это очевидно с первава взгляда.", "Это очевидно с первого взгляда, как пишет Guardian.", None),
    ("K161", "en", "# One\n\n### Three", "# One\n\n## Two\n\n### Three", None),
    ("K162", "en", "# One\n\n##\n\nText.", "# One\n\n## Two\n\nText.", None),
    ("K163", "en", "See [](#one).\n\n# One", "See [the first part](#one).\n\n# One", None),
    ("K164", "en", "![](../images/dot.png)", "![A red dot](../images/dot.png)", None),
    ("K165", "en", "See [there](#nowhere) and [file](missing.md).", "See [there](#one).\n\n# One", None),
    ("K171", "en", ("It recognised the forms nationalised industry, the absence of a class, the planned economy, "
                   "the monopoly of trade still had to be defended."),
     ("It recognised the forms – nationalised industry, the absence of a class, the planned economy, the monopoly "
     "of trade – still had to be defended."), None),
    ("K172", "en", "What we need is an instrument for this task a Fifth International.",
     "What we need for this task – a Fifth International. This is a test; this as a rule.", None),
    ("K181", "ru", "Он назвал это “социализмом”.", "Он назвал это «социализмом» и «„новым“ строем».",
     "Он назвал это «социализмом»."),
    ("K182", "ru", "Сталинизм- это диктатура, а не социализм—строй.", ("Сталинизм — это по-прежнему диктатура; "
                                                                      "Сталинизм - это тоже; 1918–1921; социал- и христианско-демократы."), None),
    ("K183", "ru", "Сталинизм\n— это диктатура.", "Сталинизм —\nэто диктатура.\n\n— Да, — сказал он.", None),
]


def write_project(root: Path, lang: str, text: str) -> Path:
    (root / "source" / lang).mkdir(parents=True)
    (root / "source" / "images").mkdir()
    (root / "source" / "images" / "dot.png").write_bytes(
        bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                      "1f15c4890000000d49444154789c63f8cfc0f01f0005000201e2b0a8ea0000000049454e44ae426082"))
    (root / "source" / "publication.yaml").write_text(
        "slug: t\nidentifier: urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427\ntitle: T\nauthors: A\n"
        f"rights: R\nlanguage: {lang}\nformats: [html]\neditions:\n  - lang: {lang}\n", encoding="utf-8")
    path = root / "source" / lang / "article.md"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def lint(tmp_path: Path, code: str, lang: str, text: str, fix: bool = False) -> tuple[list[str], Path]:
    path = write_project(tmp_path, lang, text)
    found = check_project(load_project(tmp_path), selection=Selection((code,)), fix=fix)
    return [f"{d.code} {d.where.line}:{d.where.column} {d.message}" for d in found if d.where], path


def case_id(case: tuple[str, ...]) -> str:
    return f"{case[0]}-{case[1]}-{CASES.index(case)}"  # type: ignore[arg-type]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule_fires_on_bad_sample(case: tuple[str, str, str, str, str | None], tmp_path: Path) -> None:
    code, lang, bad, _, _ = case
    found, _ = lint(tmp_path, code, lang, bad)
    assert found and all(f.startswith(code) for f in found), found


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule_is_silent_on_good_sample(case: tuple[str, str, str, str, str | None], tmp_path: Path) -> None:
    code, lang, _, good, _ = case
    found, _ = lint(tmp_path, code, lang, good)
    assert found == []


@pytest.mark.parametrize("case", [c for c in CASES if c[4] is not None], ids=case_id)
def test_fix_repairs_the_bad_sample(case: tuple[str, str, str, str, str], tmp_path: Path) -> None:
    code, lang, bad, _, fixed = case
    found, path = lint(tmp_path, code, lang, bad, fix=True)
    assert path.read_text(encoding="utf-8") == fixed + "\n"
    assert found == []


def test_every_rule_has_cases_and_fixable_rules_have_a_fix_case() -> None:
    codes = {case[0] for case in CASES}
    fixed = {case[0] for case in CASES if case[4] is not None}
    for rule in load_rules():
        assert rule.code in codes, f"{rule.code} has no test case"
        assert not rule.fixable or rule.code in fixed, f"{rule.code} is fixable but no case checks its fix"


def test_finding_points_at_the_offending_text(tmp_path: Path) -> None:
    found, _ = lint(tmp_path, "K101", "en", "# Title\n\nFirst line.\nIt fell.Then it rose.")
    assert found == ["K101 4:9 sentences run together: 'fell.Then'"]


def test_spelling_suggestion_is_the_same_in_every_process() -> None:
    """Equally frequent candidates ('babul', 'babur' for 'babux') must not be chosen by set order,
    which follows each process's string hashing (PYTHONHASHSEED)."""
    import os
    import subprocess
    import sys

    code = ("from pubpipe.check.spelling import _dictionary; print([_dictionary('en')[1](w) "
            "for w in ('babux', 'bemax', 'benix', 'teh')])")
    answers = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(6)}
    assert answers == {"['babul', 'bema', 'bendix', 'the']\n"}, answers
