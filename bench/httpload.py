"""Shared by the sandbox benchmarks: a tiny keep-alive HTTP/1.1 client, and
starting/stopping server processes on loopback.

The client speaks just enough HTTP for these servers (Content-Length bodies,
keep-alive) so thousands of calls cost little client CPU on a small machine;
`hammer` is the load generator used when `wrk` is not installed.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


@dataclass
class Reply:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class Connection:
    """One keep-alive connection; requests on it go one after another."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        content = b"" if body is None else json.dumps(body).encode()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body is not None:
            lines.append("Content-Type: application/json")
        lines.append(f"Content-Length: {len(content)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + content)
        return await self._read()

    async def _read(self) -> Reply:
        assert self.reader is not None
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        length = 0
        for line in header_lines:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        body = await self.reader.readexactly(length) if length else b""
        return Reply(int(status_line.split()[1]), body)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def hammer(port: int, path: str, *, connections: int, seconds: float) -> dict:
    """GET `path` on `connections` connections for `seconds`: requests/s and statuses."""
    statuses: dict[int, int] = {}
    deadline = time.monotonic() + seconds

    async def loop() -> None:
        connection = Connection(port)
        while time.monotonic() < deadline:
            reply = await connection.request("GET", path)
            statuses[reply.status] = statuses.get(reply.status, 0) + 1
        await connection.close()

    started = time.monotonic()
    await asyncio.gather(*(loop() for _ in range(connections)))
    elapsed = time.monotonic() - started
    total = sum(statuses.values())
    return {"requests": total, "rps": total / elapsed, "statuses": statuses}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Process:
    """A server in its own process group, stopped (or killed) with everything it spawned."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        log: Path,
        env: dict | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.log = log
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                list(argv),
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, **(env or {})},
                cwd=cwd,
                start_new_session=True,
            )

    def wait_ready(self, url: str, *, timeout: float) -> None:
        """Until `url` answers at all (any status), or the process dies."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(url, timeout=1).close()
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server not ready after {timeout}s: {url}")
                time.sleep(0.1)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group, then reap the leader."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        self.kill(signal.SIGTERM)


def build_package(spec: Path, out: Path, name: str) -> Path:
    """`envc build` a spec into `out`; the project directory (put it on PYTHONPATH)."""
    envc = ROOT / ".venv" / "bin" / "envc"
    command = [str(envc), "build", str(spec), "-o", str(out), "--name", name]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    return out / f"{name}_env"


def serve_package(
    project: Path,
    port: int,
    *,
    log: Path,
    options: Sequence[str] = (),
    command: str = "serve",
    ready: str = "/_sandbox/projects",
) -> Process:
    """`python -m <package> serve` (or another server `command`) on loopback,
    ready to answer at `ready`."""
    python = ROOT / ".venv" / "bin" / "python"
    argv = [str(python), "-m", project.name, command, "--host", HOST]
    server = Process(
        argv + ["--port", str(port), *options],
        log=log,
        env={"PYTHONPATH": str(project)},
        cwd=project,
    )
    server.wait_ready(f"http://{HOST}:{port}{ready}", timeout=60)
    return server
