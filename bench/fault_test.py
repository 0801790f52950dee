#!/usr/bin/env python
"""Fault test: SIGKILL the sandbox mid-run with `--store sqlite:PATH`, restart, lose nothing.

    python bench/fault_test.py                     # 16 tasks, kill after 3 s
    python bench/fault_test.py --tasks 32 --kill-after 5

Serves swagger-petstore-v3 with `--store sqlite:<tmp>/state.db`, runs the load test's
clients (bench/load_test.py) on `--tasks` tasks until the server is killed with SIGKILL,
restarts it on the same file and checks, per task, that

- every call the client saw answered is in the restored trace, with the same status and answer;
- the restored state is exactly what replaying the restored trace gives;
- every pet and order the client's model holds reads back unchanged (except the one item the
  call in flight at the kill was touching, which may or may not have happened);
- the project still lists every task.

Exits 1 on any loss. Bounded by `--budget` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from httpload import Connection, build_package, free_port, serve_package  # noqa: E402
from load_test import (
    AUTH,
    BASE,
    FIXTURES,
    SPEC,
    Worker,
    collect,
    create_tasks,
    load_package,
    replay_check,
)  # noqa: E402


async def run_until_killed(
    workers: list[Worker], kill: float, server, budget: float
) -> None:
    async def run(worker: Worker) -> None:
        await worker.start()
        try:
            while True:
                await worker.step()
        except (OSError, asyncio.IncompleteReadError):
            return  # the server is gone

    running = asyncio.gather(*(run(w) for w in workers))
    await asyncio.sleep(kill)
    server.kill(signal.SIGKILL)
    await asyncio.wait_for(running, timeout=budget)


async def check_task(port: int, package, worker: Worker) -> list[str]:
    entries, state = await collect(port, worker.task_id)
    traced = {
        e["headers"]["x-load-id"]: e
        for e in entries
        if "x-load-id" in (e.get("headers") or {})
    }
    lost = [
        f"{worker.task_id}: {load_id} ({status}) not as acknowledged"
        for load_id, status, answer in worker.acked
        if (traced.get(load_id) or {}).get("status") != status
        or traced[load_id].get("response") != answer
    ]
    lost += [f"{worker.label}: {m}" for m in replay_check(package, entries, state)]
    connection = Connection(port)
    headers = {**AUTH, "X-Envc-Task": worker.task_id}
    for path, model in (("/pet", worker.pets), ("/store/order", worker.orders)):
        for item_id, item in model.items():
            if item_id == worker.pending:
                continue
            reply = await connection.request(
                "GET", f"{BASE}{path}/{item_id}", headers=headers
            )
            if reply.status != 200 or reply.json() != item:
                lost.append(
                    f"{worker.label}: {path}/{item_id} answered {reply.status} after restart"
                )
    await connection.close()
    return lost


async def fault_test(
    project: Path, work: Path, *, tasks: int, kill_after: float, budget: float
) -> dict:
    package = load_package(project)
    options = ["--fixtures", str(FIXTURES), "--store", f"sqlite:{work / 'state.db'}"]
    port = free_port()
    server = serve_package(project, port, log=work / "server.log", options=options)
    try:
        task_ids = await create_tasks(port, tasks)
        workers = [Worker(port, t, f"t{i}", seed=i) for i, t in enumerate(task_ids)]
        await run_until_killed(workers, kill_after, server, budget)
    finally:
        server.kill()
    acked = [a for w in workers for a in w.acked]
    started = time.monotonic()
    port = free_port()
    server = serve_package(project, port, log=work / "server.log", options=options)
    try:
        restart_s = time.monotonic() - started
        lost: list[str] = []
        for worker in workers:
            lost += await check_task(port, package, worker)
        project_id = task_ids[0].split(".task-")[0]
        listing = await Connection(port).request(
            "GET", f"/_sandbox/projects/{quote(project_id)}/tasks"
        )
        if listing.status != 200 or listing.json()["tasks"] != task_ids:
            lost.append(f"project {project_id} lists {listing.body[:200]!r}")
    finally:
        server.stop()
    writes = sum(w.writes for w in workers)
    return {
        "tasks": tasks,
        "acknowledged_calls": len(acked),
        "acknowledged_writes": writes,
        "killed_after_s": kill_after,
        "restart_s": round(restart_s, 2),
        "lost": lost,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=int, default=16)
    parser.add_argument(
        "--kill-after", type=float, default=3.0, help="seconds of load before SIGKILL"
    )
    parser.add_argument("--budget", type=float, default=60)
    parser.add_argument(
        "--package", type=Path, help="a built package project (default: build SPEC)"
    )
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="envc-fault-"))
    project = (
        args.package or build_package(SPEC, work / "out", "fault_petstore")
    ).resolve()
    report = asyncio.run(
        fault_test(
            project,
            work,
            tasks=args.tasks,
            kill_after=args.kill_after,
            budget=args.budget,
        )
    )
    print(
        json.dumps({k: v for k, v in report.items() if k != "lost"}),
        f"lost: {len(report['lost'])}",
    )
    for line in report["lost"][:20]:
        print("  lost:", line)
    sys.exit(1 if report["lost"] or not report["acknowledged_writes"] else 0)


if __name__ == "__main__":
    main()
