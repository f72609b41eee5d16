"""Loading and validating publication.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from pubpipe.errors import ConfigError, ConfigErrors
from pubpipe.reading.project import find_project, load_project
from tests.conftest import REPO, copy_project


def write_config(root: Path, text: str) -> None:
    (root / "source" / "publication.yaml").write_text(text, encoding="utf-8")


def test_real_project_loads() -> None:
    project = load_project(REPO)
    assert project.slug == "socialism-didnt-fail"
    assert project.original_lang == "en"
    assert project.languages == ("en", "ru")
    assert project.identifier.startswith("urn:uuid:")
    assert project.formats == ("html", "pdf", "epub")
    assert project.edition("ru").files == (REPO / "source" / "ru" / "article.md",)


def test_find_project_walks_up(tmp_path: Path) -> None:
    root = copy_project("book", tmp_path)
    assert find_project(root / "source" / "en") == root.resolve()


def test_no_project(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        find_project(tmp_path)
    assert caught.value.code == "C100"


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    root = copy_project("book", tmp_path)
    config = (root / "source" / "publication.yaml").read_text().replace("rights:", "rigths:")
    write_config(root, config)
    with pytest.raises(ConfigErrors) as caught:
        load_project(root)
    lines = caught.value.render(root)
    assert "source/publication.yaml:7: error C103: unknown key 'rigths'; did you mean 'rights'?" in lines
    assert "required key 'rights' is missing" in lines  # every problem at once


def test_wrong_type_names_key_and_line(tmp_path: Path) -> None:
    root = copy_project("book", tmp_path)
    config = (root / "source" / "publication.yaml").read_text().replace("title: A Small Sample Book",
                                                                        "title: [not, a, string]")
    write_config(root, config)
    with pytest.raises(ConfigErrors) as caught:
        load_project(root)
    assert "source/publication.yaml:3: error C104: 'title' must be a string, not list" in caught.value.render(root)


def test_invalid_yaml_points_at_line(tmp_path: Path) -> None:
    root = copy_project("book", tmp_path)
    write_config(root, "slug: x\ntitle: [unclosed\nlanguage: en\n")
    with pytest.raises(ConfigError) as caught:
        load_project(root)
    assert caught.value.code == "C101"
    assert caught.value.where is not None and caught.value.where.line == 3


def test_edition_without_folder_and_bad_tag(tmp_path: Path) -> None:
    root = copy_project("book", tmp_path)
    config = (root / "source" / "publication.yaml").read_text() + "  - lang: fr\n  - lang: not_a_tag\n"
    write_config(root, config)
    with pytest.raises(ConfigErrors) as caught:
        load_project(root)
    codes = {error.code for error in caught.value.errors}
    assert codes == {"C109", "C107"}


def test_a_readme_alone_is_published_and_beside_others_is_reported(tmp_path: Path) -> None:
    from pubpipe.reading.prepare import prepare_edition
    from pubpipe.report import Reporter

    root = copy_project("seed", tmp_path)
    folder = root / "source" / "en"
    for page in folder.glob("*.md"):
        page.unlink()
    (folder / "README.md").write_text("# A project\n\nIts README, copied in.\n", encoding="utf-8")
    project = load_project(root)
    assert project.edition("en").files == (folder / "README.md",)
    edition = prepare_edition(project, "en", reporter := Reporter())
    assert edition is not None and edition.sections[0].title == "A project" and not reporter.diagnostics

    (folder / "chapter.md").write_text("# Chapter\n\nText.\n", encoding="utf-8")
    project = load_project(root)
    assert project.edition("en").files == (folder / "chapter.md",)
    prepare_edition(project, "en", reporter := Reporter())
    assert [d.code for d in reporter.warnings] == ["P040"]
    assert "list it under 'files'" in (reporter.warnings[0].hint or "")
