"""Concurrent agent sessions against one served package, over MCP streamable
HTTP and over the OpenEnv server (issue: trainers run 1,024 rollouts a step).

Every session opens at once (all `--sessions` of them are open together),
then makes its steps: creates its own pet (an id no other session uses),
reads it back, lists the pets, and closes. Checked: no errors, and no
cross-session leak: a session's list and (over MCP) its final `snapshot`
hold its own pet and the seeded world, never another session's. Printed:
step latency p50/p99, sessions/s and the wall time, per transport.

    python bench/agent_load.py [generated/petstore_env] [--sessions 1024]
        [--transport mcp|openenv|both]

Servers bind 127.0.0.1 and stop when the run ends; the run stops by itself
(`--budget` seconds at most per transport).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable

from httpload import ROOT, free_port, serve_package

BASE_ID = 900_000  # session i creates pet BASE_ID + i


@dataclass
class Report:
    transport: str
    sessions: int
    latencies: list[float] = field(default_factory=list)  # seconds per step
    errors: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    wall: float = 0.0

    def line(self) -> str:
        ms = sorted(x * 1000 for x in self.latencies) or [0.0]
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        return (
            f"{self.transport:8} {self.sessions} sessions, {len(ms)} steps: "
            f"p50 {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms, "
            f"{self.sessions / self.wall:.1f} sessions/s, {self.wall:.1f} s; "
            f"errors {len(self.errors)}, leaks {len(self.leaks)}"
        )


async def _timed(report: Report, step: Awaitable[Any]) -> Any:
    start = time.perf_counter()
    result = await step
    report.latencies.append(time.perf_counter() - start)
    return result


def _own(index: int, pets: list[dict], seeded: set) -> str | None:
    """Why a session's list is not its own world (None: it is)."""
    ids = {p["id"] for p in pets}
    foreign = sorted(ids - seeded - {BASE_ID + index})
    if foreign:
        return f"session {index} saw {foreign}, made by other sessions"
    if BASE_ID + index not in ids:
        return f"session {index} lost its own item {BASE_ID + index}"
    return None


async def mcp_session(url: str, index: int, report: Report, opened: Callable) -> None:
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    def body(result: Any) -> Any:
        if result.is_error:
            raise RuntimeError(result.content[0].text)
        answer = json.loads(result.content[0].text)  # a call's {"status", "body"}
        return answer["body"] if set(answer) == {"status", "body"} else answer

    async with streamable_http_client(url) as streams:
        async with ClientSession(streams[0], streams[1]) as client:
            await client.initialize()
            await opened()
            seeded = {p["id"] for p in body(await client.call_tool("listPets", {}))}
            pet = {"id": BASE_ID + index, "name": f"pet{index}"}
            call = client.call_tool
            body(await _timed(report, call("createPets", {"body": pet})))
            read = body(
                await _timed(report, call("showPetById", {"petId": str(pet["id"])}))
            )
            listed = body(await _timed(report, call("listPets", {})))
            snapshot = body(await call("snapshot", {}))
    if read["id"] != pet["id"]:
        report.leaks.append(f"session {index} read {read['id']}")
    stored = [i["value"] for items in snapshot["objects"].values() for i in items]
    leak = _own(index, listed, seeded) or _own(index, stored, seeded)
    if leak:
        report.leaks.append(leak)


async def openenv_session(
    url: str, index: int, report: Report, opened: Callable
) -> None:
    from openenv.core.generic_client import GenericEnvClient

    def body(result: Any) -> Any:
        answer = json.loads(result.observation["text"])
        if answer["status"] >= 300:
            raise RuntimeError(answer)
        return answer["body"]

    async with GenericEnvClient(base_url=url) as env:
        await env.reset(seed=0)
        await opened()
        seeded = {p["id"] for p in body(await env.step({"name": "listPets"}))}
        pet = {"id": BASE_ID + index, "name": f"pet{index}"}
        made = {"name": "createPets", "arguments": {"body": pet}}
        body(await _timed(report, env.step(made)))
        show = {"name": "showPetById", "arguments": {"petId": pet["id"]}}
        read = body(await _timed(report, env.step(show)))
        listed = body(await _timed(report, env.step({"name": "listPets"})))
    if read["id"] != pet["id"]:
        report.leaks.append(f"session {index} read {read['id']}")
    leak = _own(index, listed, seeded)
    if leak:
        report.leaks.append(leak)


async def run_sessions(
    transport: str, url: str, sessions: int, budget: float
) -> Report:
    """`sessions` sessions held open together, then stepped, then closed."""
    report = Report(transport, sessions)
    session = mcp_session if transport == "mcp" else openenv_session
    everyone = asyncio.Barrier(sessions)  # no step before every session is open

    async def one(index: int) -> None:
        try:
            await session(url, index, report, everyone.wait)
        except Exception as exc:  # noqa: BLE001 - counted, the run goes on
            while isinstance(exc, ExceptionGroup):  # the client's task groups
                exc = exc.exceptions[0]
            report.errors.append(f"session {index}: {type(exc).__name__}: {exc}")
            await everyone.abort()

    start = time.perf_counter()
    try:
        await asyncio.wait_for(
            asyncio.gather(*(one(i) for i in range(sessions))), budget
        )
    except TimeoutError:
        report.errors.append(f"not done within {budget:.0f} s")
    report.wall = time.perf_counter() - start
    return report


SERVERS = {  # transport: (command, options, ready path, client URL path)
    "mcp": ("mcp", ["--transport", "http"], "/mcp", "/mcp"),
    "openenv": ("openenv", ["--max-sessions", "4096"], "/health", ""),
}


def measure(
    project: Path, transport: str, sessions: int, *, log: Path, budget: float = 300
) -> Report:
    """Serve `project` over `transport` on loopback and load it."""
    command, options, ready, path = SERVERS[transport]
    port = free_port()
    server = serve_package(
        project,
        port,
        log=log,
        options=options,
        command=command,
        ready=ready,  # any answer will do: MCP refuses a plain GET
    )
    try:
        url = f"http://127.0.0.1:{port}{path}"
        return asyncio.run(run_sessions(transport, url, sessions, budget))
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "package", nargs="?", default=str(ROOT / "generated/petstore_env")
    )
    parser.add_argument("--sessions", type=int, default=1024)
    parser.add_argument(
        "--transport", choices=("mcp", "openenv", "both"), default="both"
    )
    parser.add_argument(
        "--budget", type=float, default=300, help="seconds per transport"
    )
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # a socket per session
    project = Path(args.package).resolve()
    transports = ("mcp", "openenv") if args.transport == "both" else (args.transport,)
    print(f"{project.name} on 127.0.0.1, {args.sessions} concurrent sessions")
    failed = False
    for transport in transports:
        report = measure(
            project,
            transport,
            args.sessions,
            log=Path(f"/tmp/agent_load_{transport}.log"),
            budget=args.budget,
        )
        print(report.line())
        for problem in (report.errors + report.leaks)[:5]:
            print(f"  {problem}")
        failed |= bool(report.errors or report.leaks)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
