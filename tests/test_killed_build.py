"""A build killed mid-way (a timeout, a job scheduler) leaves no process
behind: its forked workers (validation, models) die with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "bad_specs"))
from make_large import write_large_spec  # noqa: E402


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text().split()
        found += [int(c) for c in text]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(
    not Path("/proc/self/task").exists() or (os.cpu_count() or 1) < 2,
    reason="needs Linux /proc and forked workers",
)
def test_a_killed_build_leaves_no_worker(tmp_path: Path) -> None:
    spec = write_large_spec(tmp_path / "large.yaml", megabytes=8)
    build = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "envfactory_compiler",
            "build",
            str(spec),
            "-o",
            str(tmp_path / "out"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline, workers = time.monotonic() + 120, []
    while len(workers) < 2 and time.monotonic() < deadline and build.poll() is None:
        workers = _children(build.pid)
        time.sleep(0.05)
    assert len(workers) == 2, f"the build forked {workers}, not its two workers"
    os.kill(build.pid, signal.SIGKILL)
    build.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers), workers
