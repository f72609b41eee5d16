"""`pubpipe --help` and every command's help show an example."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from pubpipe.cli import main


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("path", commands(main), ids=lambda path: " ".join(path) or "pubpipe")
def test_help_gives_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    example = result.output.split("Example", 1)
    assert len(example) == 2, result.output
    assert "pubpipe " + " ".join(path) in example[1] or not path
