"""Child processes with a deadline, their output in files, and their peak memory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..orphans import die_with_parent


@dataclass(frozen=True)
class Finished:
    """How a child process ended."""

    returncode: int
    seconds: float
    peak_mib: (
        float  # largest resident set of the process and the children it waited for
    )
    timed_out: bool
    output: str  # stdout and stderr, interleaved


def run(
    args: list[str],
    *,
    log: Path,
    timeout: float,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Finished:
    """Run `args` to completion (killed after `timeout` seconds); output goes to `log`."""
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as handle:
        proc = subprocess.Popen(
            args,
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=_env(env),
            cwd=cwd,
            start_new_session=True,
            preexec_fn=_orphan_killed(),
        )
        fired: list[bool] = []
        killer = threading.Timer(
            timeout, lambda: (fired.append(True), _kill_group(proc.pid))
        )
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Finished(
        proc.returncode,
        time.monotonic() - started,
        usage.ru_maxrss / 1024,
        bool(fired),
        log.read_text(encoding="utf-8", errors="replace"),
    )


def start(
    args: list[str], *, log: Path, env: dict[str, str] | None = None
) -> subprocess.Popen:
    """Start a long-running child (a server) in its own process group."""
    with log.open("w", encoding="utf-8") as handle:
        return subprocess.Popen(
            args,
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=_env(env),
            start_new_session=True,
            preexec_fn=_orphan_killed(),
        )


def stop(proc: subprocess.Popen) -> None:
    """Stop a child started with `start`, and anything it started."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _kill_group(proc.pid)
            proc.wait()


def python() -> str:
    return sys.executable


def _env(extra: dict[str, str] | None) -> dict[str, str]:
    """The caller's environment with `extra` over it; a PYTHONPATH in `extra`
    goes before the caller's, which is kept (a checkout run from PYTHONPATH
    serves its own runtime, not the installed one)."""
    env = {**os.environ, "PYTHONHASHSEED": "0", **(extra or {})}
    inherited = os.environ.get("PYTHONPATH")
    if extra and "PYTHONPATH" in extra and inherited:
        env["PYTHONPATH"] = os.pathsep.join((extra["PYTHONPATH"], inherited))
    return env


def _orphan_killed():
    """What a child runs before it starts: it dies with this process (a runner
    killed for memory left a sandbox server holding its port)."""
    return partial(die_with_parent, os.getpid())


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
