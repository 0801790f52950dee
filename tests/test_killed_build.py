"""A build killed mid-way (a timeout, a job scheduler) leaves no process
behind: its forked workers (validation, models) die with it; so do the
builds and sandbox servers of a killed corpus runner."""

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


def _gone(pids: list[int]) -> bool:
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(_alive(p) for p in pids)


LINUX = pytest.mark.skipif(
    not Path("/proc/self/task").exists(), reason="needs Linux /proc"
)

_RUNNER = """
import sys, time
from pathlib import Path
from envfactory_compiler.corpus import processes
server = processes.start(
    [sys.executable, "-c", "import time; time.sleep(120)"], log=Path(sys.argv[1])
)
print(server.pid, flush=True)
time.sleep(120)
"""


@LINUX
def test_a_killed_corpus_runner_leaves_no_server(tmp_path: Path) -> None:
    runner = subprocess.Popen(
        [sys.executable, "-c", _RUNNER, str(tmp_path / "server.log")],
        stdout=subprocess.PIPE,
        text=True,
    )
    server = int(runner.stdout.readline())
    assert _alive(server)
    os.kill(runner.pid, signal.SIGKILL)
    runner.wait(timeout=10)
    assert _gone([server]), f"the server {server} outlived its runner"


@LINUX
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs forked workers")
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
    assert _gone(workers), workers
