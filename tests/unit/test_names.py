"""Names as authors write them: image file names as URLs and EPUB names, heading ids in any script."""

from __future__ import annotations

import pytest

from pubpipe.reading.names import epub_file_name, file_candidates, url_path
from pubpipe.transforms.ids import valid_id


def test_url_path_encodes_what_a_url_cannot_carry() -> None:
    assert url_path("en/images/my picture.png") == "en/images/my%20picture.png"
    assert url_path("en/images/café.png") == "en/images/caf%C3%A9.png"
    assert url_path("en/images/a%b#c?.png") == "en/images/a%25b%23c%3F.png"
    assert url_path("en/images/plain-name_1.png") == "en/images/plain-name_1.png"


def test_file_candidates_include_the_commonmark_spelling() -> None:
    assert file_candidates("images/my%20picture.png") == ["images/my%20picture.png", "images/my picture.png"]
    assert file_candidates("images/a.png") == ["images/a.png"]


@pytest.mark.parametrize("href", ["en/images/my picture.png", "en/images/café.png", "en/bilder/Übersicht 1.svg",
                                  "en/images/обзор.png"])
def test_epub_names_are_plain_and_distinct(href: str) -> None:
    name = epub_file_name(href)
    assert name.isascii() and " " not in name and name.endswith(href.rsplit(".", 1)[1])
    assert name != epub_file_name(href.replace(".", "x.", 1))  # two names that spell alike stay two
    assert epub_file_name("en/images/sample.png") == "en/images/sample.png"


@pytest.mark.parametrize("value, valid", [("überblick", True), ("обзор", True), ("1-intro", True),
                                          ("概要", True), ("a b", False), ("50%", False), ("a#b", False),
                                          ('say-"hi"', False), ("", False), ("fig:x", True),
                                          ("a\u200bb", False), ("ab\u202e", False), ("cafe\u0301", True)])
def test_ids_keep_the_authors_letters(value: str, valid: bool) -> None:
    assert valid_id(value) is valid
