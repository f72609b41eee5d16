"""The process-wide settings in pubpipe/process.py: each is put back, and the fork hook is registered once."""

from __future__ import annotations

import gc
import os
import signal
from pathlib import Path

import pytest

from pubpipe.building import process
from pubpipe.building.lock import build_lock


def test_collector_settings_are_put_back() -> None:
    before = (gc.isenabled(), gc.get_threshold())
    with process.collector_paused():
        assert not gc.isenabled()
        with process.collector_relaxed(every=1234):
            assert gc.isenabled() and gc.get_threshold()[0] == 1234
        assert not gc.isenabled()
    assert (gc.isenabled(), gc.get_threshold()) == before
    assert gc.get_freeze_count() == 0


def test_interruptible_raises_and_restores_the_handlers() -> None:
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    with pytest.raises(process.Interrupted) as stopped, process.interruptible():
        signal.raise_signal(signal.SIGTERM)
    assert stopped.value.signum == signal.SIGTERM and str(stopped.value) == "SIGTERM"
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


def test_signals_recorded_only_records() -> None:
    before = signal.getsignal(signal.SIGINT)
    with process.signals_recorded() as signalled:
        signal.raise_signal(signal.SIGINT)
        signal.raise_signal(signal.SIGTERM)
        assert signalled == [signal.SIGINT, signal.SIGTERM]
    assert signal.getsignal(signal.SIGINT) == before


def test_the_fork_hook_is_registered_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many builds in one process (`pubpipe serve`) add no hook after the first."""
    registered: list[object] = []
    real = os.register_at_fork

    def counting(**hooks: object) -> None:
        registered.append(hooks)
        real(**hooks)

    monkeypatch.setattr(os, "register_at_fork", counting)
    monkeypatch.setattr(process, "_fork_hook", [])
    for _ in range(5):
        with build_lock(tmp_path / "build"):
            pass
    assert len(registered) == 1


def test_a_forked_child_does_not_hold_the_lock(tmp_path: Path) -> None:
    with build_lock(tmp_path / "build"):
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # the child: is the lock's descriptor still open here?
            open_files = set(os.listdir("/proc/self/fd"))
            os.write(write, b"1" if any(os.readlink(f"/proc/self/fd/{n}").endswith("/.lock")
                                        for n in open_files if os.path.exists(f"/proc/self/fd/{n}")) else b"0")
            os._exit(0)
        os.close(write)
        answer = os.read(read, 1)
        os.waitpid(child, 0)
        os.close(read)
    assert answer == b"0"
    assert not process._closed_in_children


def test_nothing_else_changes_process_wide_state() -> None:
    """The process-wide calls live in process.py only (its docstring lists them)."""
    package = Path(process.__file__).parents[1]  # all of src/pubpipe
    calls = ("signal.signal(", "register_at_fork", "sys.unraisablehook", "gc.disable", "gc.freeze",
             "gc.set_threshold")
    found = [f"{path.relative_to(package)}: {call}" for path in sorted(package.rglob("*.py"))
             if path.name != "process.py" for call in calls if call in path.read_text(encoding="utf-8")]
    assert found == []
