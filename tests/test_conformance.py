"""Schemathesis (`--checks all`) against every committed package, served for real.

Each package's sandbox runs as `python -m <package> serve` on 127.0.0.1;
Schemathesis tests the bundled spec against it with a fixed seed and a
bounded number of examples. Credentials are passed for every security
scheme, as a user would configure them, so auth checks are meaningful.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import package_dirs
from envfactory_compiler.corpus.conformance import base_path, credentials

MAX_EXAMPLES = int(os.environ.get("ENVC_ST_EXAMPLES", "15"))


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(project: Path, port: int, log_path: Path) -> subprocess.Popen:
    """Start the sandbox; its log goes to a file (an unread pipe would fill and block it)."""
    env = {**os.environ, "PYTHONPATH": str(project)}
    log = log_path.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", project.name, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/_sandbox/tasks/probe/state", timeout=1)
            return proc
        except httpx.TransportError:
            if proc.poll() is not None:
                raise RuntimeError(log_path.read_text())
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("sandbox did not start")


@pytest.mark.parametrize("project", package_dirs(), ids=lambda p: p.name)
def test_schemathesis_finds_no_failures(project: Path, tmp_path: Path) -> None:
    spec = project / project.name / "openapi.json"
    document = json.loads(spec.read_text(encoding="utf-8"))
    port = _free_port()
    server = _serve(project, port, tmp_path / "server.log")
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "schemathesis.cli",
                "run",
                str(spec),
                "--url",
                f"http://127.0.0.1:{port}{base_path(document)}",
                "--checks",
                "all",
                "--max-examples",
                str(MAX_EXAMPLES),
                "--seed",
                "1",
                "--request-timeout",
                "10",
                *credentials(project),
            ],
            capture_output=True,
            text=True,
            timeout=900,
            cwd=tmp_path,
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert "failures" not in proc.stdout.splitlines()[-1], proc.stdout[-3000:]
