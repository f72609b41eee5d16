"""The live preview's save-to-refresh time: `pubpipe serve --pages` started, one file saved, its pages rebuilt."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self

TIMEOUT = 300.0
"""Seconds the preview may take to start, or to rebuild the pages after a save, before the run fails."""
POLL = 0.05
"""Seconds between two reads of /_pubpipe/status."""
# "built html in 19.7 s": the line Preview.build logs after each good build.
BUILT = re.compile(r"^built (.+) in ([0-9.]+) s$", re.MULTILINE)


class PreviewServer:
    """`pubpipe serve --pages` on a free port in a process of its own; its output kept in *folder*.

    Raises SystemExit, with the server's log, when it exits, fails to start within TIMEOUT or will not stop.
    """

    def __init__(self, pubpipe: list[str], root: Path, env: dict[str, str], folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.output, self.errors = folder / "serve-out.txt", folder / "serve-log.txt"
        # Files, not pipes: nobody has to read them while the server writes, and reading them here does not
        # move the server's own write position.
        with self.output.open("wb") as out, self.errors.open("wb") as log:
            self.process = subprocess.Popen([*pubpipe, "serve", "--pages", "--port", "0", "-C", str(root)],
                                            env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=log)
        # No proxy from the environment for a server on 127.0.0.1.
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self.url = ""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log(self) -> str:
        """What the server wrote to standard error so far (its build lines, warnings and errors)."""
        return self.errors.read_text(encoding="utf-8", errors="replace")

    def fail(self, why: str) -> SystemExit:
        return SystemExit(f"preview benchmark: {why}\n--- pubpipe serve's log ---\n{self.log()}")

    def wait_until(self, done: Callable[[], Any], what: str, timeout: float = TIMEOUT) -> Any:
        """Poll *done* every POLL seconds until it returns something true, and return that."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise self.fail(f"pubpipe serve exited ({self.process.returncode}) while waiting for {what}")
            found = done()
            if found:
                return found
            if time.monotonic() > deadline:
                raise self.fail(f"no {what} within {timeout:.0f} s")
            time.sleep(POLL)

    def start(self) -> dict[str, Any]:
        """Wait for the first builds and the server's answer; its first status (no build error in it)."""
        served = self.wait_until(lambda: re.search(r"serving (http://127\.0\.0\.1:\d+/)", self.output.read_text()),
                                 "'serving …' line (the first HTML and PDF builds)")
        self.url = served[1]
        status = self.wait_until(self.status, "answer from /_pubpipe/status")
        if status["error"]:
            raise self.fail(f"the first build failed: {status['error']}")
        return status

    def status(self) -> dict[str, Any] | None:
        """/_pubpipe/status ({"generation", "pages", "error"}), or None while the server does not answer."""
        try:
            with self.opener.open(self.url + "_pubpipe/status", timeout=10) as answer:
                return json.load(answer)
        except OSError:  # refused or timed out: the builds hold the interpreter for long stretches
            return None

    def cpu(self) -> float | None:
        """User + system seconds of the server and of its workers that have exited (Linux /proc; else None).

        A build's workers are joined when it ends (building/workers.py), so their time is in cutime/cstime.
        """
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return sum(int(ticks) for ticks in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime stime cutime cstime

    def stop(self, wait: float = 60.0) -> None:
        """Ctrl-C (SIGINT), as a user stops it; killed and reported if it has not stopped after *wait* s."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(wait)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise self.fail(f"pubpipe serve did not stop within {wait:.0f} s of SIGINT (killed)") from None


def time_refresh(server: PreviewServer, save: Callable[[], None]) -> tuple[tuple[float, None, float | None],
                                                                          dict[str, float]]:
    """Call *save* (a change under source/) and wait until the preview's pages are rebuilt after it.

    Returns ((wall seconds from the save to `pages` going up in /_pubpipe/status, no peak memory, CPU seconds
    of the server and its workers over the same span, or None), the server's "built FORMAT in X s" figures
    for this refresh, e.g. {"html": 19.7, "pdf": 25.3}). Raises SystemExit when a build fails or takes longer
    than TIMEOUT. The CPU figure includes the server answering these polls, a few ms each.
    """
    before = server.wait_until(server.status, "answer from /_pubpipe/status")

    def refreshed() -> dict[str, Any] | None:
        status = server.status()
        return status if status and status["pages"] > before["pages"] else None

    logged = len(server.log())
    cpu = server.cpu()
    started = time.perf_counter()
    save()
    after = server.wait_until(refreshed, "refreshed pages after the save")
    elapsed = time.perf_counter() - started
    cpu_after = server.cpu()
    if after["error"]:
        raise server.fail(f"the rebuild after the save failed: {after['error']}")
    built = {formats: float(seconds) for formats, seconds in BUILT.findall(server.log()[logged:])}
    return (elapsed, None, None if cpu is None or cpu_after is None else cpu_after - cpu), built
