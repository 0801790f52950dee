#!/usr/bin/env python
"""Load test: many tasks hammer one served sandbox; each must see only its own world.

    python bench/load_test.py                          # 64 tasks x 500 calls, swagger-petstore-v3
    python bench/load_test.py --tasks 8 --calls 100 --store sqlite:/tmp/load.db

Builds the spec (or takes `--package`), serves it on 127.0.0.1 with `--fixtures 3`, creates
one project and `--tasks` tasks over the admin API, then runs every task's client at once:
a seeded mix of create/read/update/delete/list calls on pets and orders, each answer checked
against the client's own model of its task. Afterwards, from the server's traces:

- 5xx: answers with a server error (must be 0);
- leaks: objects a read returned that this task never wrote, or that carry another task's
  name marker (must be 0);
- replay: each trace re-run in process on a fresh sandbox gives the same answers and the same
  final state as `GET /_sandbox/tasks/<task>/state` (mismatches must be 0).

Bounded: `--budget` seconds for the run (default 300); exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import importlib
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from httpload import (
    ROOT,
    Connection,
    Reply,
    build_package,
    free_port,
    serve_package,
)  # noqa: E402

SPEC = ROOT / "specs" / "swagger-petstore-v3.yaml"
BASE = "/api/v3"
AUTH = {"Authorization": "Bearer envc-sandbox-token"}
FIXTURES = 3
STATUSES = ("available", "pending", "sold")
MIX = {  # operation -> weight (per cent)
    "create_pet": 22,
    "read_pet": 25,
    "update_pet": 13,
    "delete_pet": 8,
    "list_pets": 10,
    "create_order": 10,
    "read_order": 8,
    "delete_order": 4,
}
WRITES = {"addPet", "updatePet", "placeOrder"}
READS = {"getPetById", "findPetsByStatus", "getOrderById"}


class Worker:
    """One task's client: a seeded mix of calls, each answer checked against a model of the task."""

    def __init__(self, port: int, task_id: str, label: str, seed: int) -> None:
        self.connection = Connection(port)
        self.task_id = task_id
        self.label = label
        self.rng = random.Random(seed)
        self.pets: dict[int, dict] = {}
        self.orders: dict[int, dict] = {}
        self.statuses: collections.Counter[int] = collections.Counter()
        self.violations: list[str] = []
        self.acked: list[tuple[str, int, Any]] = (
            []
        )  # (load id, status, answer as traced)
        self.pending: int | None = None  # the id an unanswered call touches
        self.sent = 0
        self.writes = 0  # acknowledged (2xx) POST/PUT/DELETE calls

    async def start(self) -> None:
        """The model starts as the task's seeded population."""
        state = (await self.admin("GET", "state")).json()
        for resource, model in (("pet", self.pets), ("order", self.orders)):
            for item in state["objects"].get(resource, []):
                model[int(item["key"][-1])] = item["value"]

    async def admin(self, method: str, what: str) -> Reply:
        return await self.connection.request(
            method, f"/_sandbox/tasks/{quote(self.task_id)}/{what}"
        )

    async def call(
        self, method: str, path: str, body: Any = None, *, touches: int | None = None
    ) -> Reply:
        self.sent += 1
        load_id = f"{self.label}-{self.sent}"
        headers = {**AUTH, "X-Envc-Task": self.task_id, "X-Load-Id": load_id}
        self.pending = touches
        reply = await self.connection.request(
            method, BASE + path, body=body, headers=headers
        )
        self.pending = None
        self.statuses[reply.status] += 1
        self.writes += method != "GET" and reply.status < 300
        self.acked.append((load_id, reply.status, reply.json() if reply.body else ""))
        return reply

    def expect(self, holds: bool, what: str) -> None:
        if not holds:
            self.violations.append(f"{self.label} call {self.sent}: {what}")

    async def step(self) -> None:
        operation = self.rng.choices(list(MIX), weights=list(MIX.values()))[0]
        await getattr(self, operation)()

    def _pick(self, model: dict[int, dict], missing_rate: float = 0.0) -> int:
        if not model or self.rng.random() < missing_rate:
            return 10_000_000 + self.rng.randrange(1000)  # an id this task never made
        return self.rng.choice(sorted(model))

    async def create_pet(self) -> None:
        name = f"{self.label}-pet-{self.sent + 1}"
        body = {"name": name, "photoUrls": [], "status": self.rng.choice(STATUSES)}
        reply = await self.call("POST", "/pet", body)
        self.expect(reply.status == 200, f"create pet answered {reply.status}")
        if reply.status == 200:
            pet = reply.json()
            self.expect(pet["name"] == name, "create pet changed the name")
            self.pets[pet["id"]] = pet

    async def read_pet(self) -> None:
        await self._read("/pet", self.pets)

    async def update_pet(self) -> None:
        if not self.pets:
            return await self.create_pet()
        pet_id = self._pick(self.pets)
        name = f"{self.label}-pet-{self.sent + 1}-renamed"
        body = {**self.pets[pet_id], "name": name, "status": self.rng.choice(STATUSES)}
        reply = await self.call("PUT", "/pet", body, touches=pet_id)
        self.expect(
            reply.status == 200 and reply.json()["name"] == name, f"update pet {pet_id}"
        )
        if reply.status == 200:
            self.pets[pet_id] = reply.json()

    async def delete_pet(self) -> None:
        await (self._delete("/pet", self.pets) if self.pets else self.create_pet())

    async def list_pets(self) -> None:
        status = self.rng.choice(STATUSES)
        reply = await self.call("GET", f"/pet/findByStatus?status={status}")
        wanted = {i: p for i, p in self.pets.items() if p.get("status") == status}
        got = {p["id"]: p for p in reply.json()} if reply.status == 200 else None
        self.expect(got == wanted, f"list pets by {status}")

    async def create_order(self) -> None:
        if not self.pets:
            return await self.create_pet()
        body = {
            "petId": self._pick(self.pets),
            "quantity": self.rng.randint(1, 5),
            "status": "placed",
        }
        reply = await self.call("POST", "/store/order", body)
        self.expect(reply.status == 200, f"create order answered {reply.status}")
        if reply.status == 200:
            self.orders[reply.json()["id"]] = reply.json()

    async def read_order(self) -> None:
        await self._read("/store/order", self.orders)

    async def delete_order(self) -> None:
        await (
            self._delete("/store/order", self.orders)
            if self.orders
            else self.create_order()
        )

    async def _read(self, path: str, model: dict[int, dict]) -> None:
        item_id = self._pick(model, missing_rate=0.1)
        reply = await self.call("GET", f"{path}/{item_id}")
        if item_id in model:
            self.expect(
                reply.status == 200 and reply.json() == model[item_id],
                f"read {path}/{item_id}",
            )
        else:
            self.expect(
                reply.status == 404,
                f"read of missing {path}/{item_id} answered {reply.status}",
            )

    async def _delete(self, path: str, model: dict[int, dict]) -> None:
        item_id = self._pick(model)
        reply = await self.call("DELETE", f"{path}/{item_id}", touches=item_id)
        self.expect(
            reply.status == 200, f"delete {path}/{item_id} answered {reply.status}"
        )
        model.pop(item_id, None)


def leaks(entries: list[dict], label: str, initial: dict) -> list[str]:
    """Objects a task read that it never wrote (or that name another task), from its trace alone."""
    seen = {
        _canon(item["value"]) for items in initial["objects"].values() for item in items
    }
    found = []
    for entry in entries:
        answer, ok = entry.get("response"), 200 <= entry.get("status", 0) < 300
        if not ok or entry.get("rejected"):
            continue
        if entry.get("operation") in WRITES:
            seen.add(_canon(answer))
        elif entry.get("operation") in READS:
            for item in answer if isinstance(answer, list) else [answer]:
                name = item.get("name", "") if isinstance(item, dict) else ""
                foreign = "-pet-" in name and not name.startswith(f"{label}-")
                if foreign or _canon(item) not in seen:
                    found.append(
                        f"{label} #{entry['seq']} {entry['operation']}: {json.dumps(item)[:120]}"
                    )
    return found


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def load_package(project: Path) -> Any:
    sys.path.insert(0, str(project))
    return importlib.import_module(project.name)


def replay_check(package: Any, entries: list[dict], state: dict) -> list[str]:
    """The trace re-run in process: its answers and its final state must match the server's."""
    sandbox = package.load_sandbox(fixtures=FIXTURES, any_credential=True)
    from envfactory_runtime.sandbox.trace import replay

    replayed, mismatches = replay(sandbox.engine, sandbox.store, entries)
    if _canon(replayed.snapshot()) != _canon(state):
        mismatches.append("final state differs from the replayed trace")
    return mismatches


async def create_tasks(port: int, count: int) -> list[str]:
    connection = Connection(port)
    project = (await connection.request("POST", "/_sandbox/projects")).json()[
        "project_id"
    ]
    tasks = [
        (
            await connection.request("POST", f"/_sandbox/projects/{project}/tasks")
        ).json()["task_id"]
        for _ in range(count)
    ]
    await connection.close()
    return tasks


async def drive(workers: list[Worker], calls: int, deadline: float) -> None:
    async def run(worker: Worker) -> None:
        await worker.start()
        while worker.sent < calls and time.monotonic() < deadline:
            await worker.step()

    await asyncio.gather(*(run(w) for w in workers))


async def collect(port: int, task_id: str) -> tuple[list[dict], dict]:
    connection = Connection(port)
    base = f"/_sandbox/tasks/{quote(task_id)}"
    entries = (await connection.request("GET", f"{base}/trace")).json()["entries"]
    state = (await connection.request("GET", f"{base}/state")).json()
    await connection.close()
    return entries, state


def verify(
    package: Any,
    workers: list[Worker],
    collected: list[tuple[list[dict], dict]],
    initial: dict,
) -> dict:
    report: dict[str, Any] = {"violations": [], "leaks": [], "replay_mismatches": []}
    for worker, (entries, state) in zip(workers, collected):
        report["violations"] += worker.violations
        report["leaks"] += leaks(entries, worker.label, initial)
        report["replay_mismatches"] += [
            f"{worker.label}: {m}" for m in replay_check(package, entries, state)
        ]
        traced = sum(
            1 for e in entries if "X-Load-Id".lower() in (e.get("headers") or {})
        )
        if traced != worker.sent:
            report["replay_mismatches"].append(
                f"{worker.label}: {worker.sent} calls, {traced} traced"
            )
    return report


async def run_load(
    port: int, package: Any, *, tasks: int, calls: int, budget: float
) -> dict:
    task_ids = await create_tasks(port, tasks)
    initial = await collect(port, task_ids[0])
    workers = [Worker(port, t, f"t{i}", seed=i) for i, t in enumerate(task_ids)]
    started = time.monotonic()
    await drive(workers, calls, started + budget)
    duration = time.monotonic() - started
    for worker in workers:
        await worker.connection.close()
    collected = [await collect(port, t) for t in task_ids]
    statuses = sum((w.statuses for w in workers), collections.Counter())
    report = verify(package, workers, collected, initial[1])
    requests = sum(statuses.values())
    report.update(
        {
            "tasks": tasks,
            "requests": requests,
            "duration_s": round(duration, 2),
            "requests_per_s": round(requests / duration, 1),
            "complete": requests == tasks * calls,
            "statuses": dict(sorted(statuses.items())),
            "5xx": sum(n for s, n in statuses.items() if s >= 500),
        }
    )
    return report


def failed(report: dict) -> bool:
    return bool(
        report["5xx"]
        or report["leaks"]
        or report["replay_mismatches"]
        or report["violations"]
        or not report["complete"]
    )


def summary(report: dict) -> str:
    return (
        f"{report['tasks']} tasks, {report['requests']} requests in {report['duration_s']} s "
        f"({report['requests_per_s']} req/s); statuses {report['statuses']}; 5xx {report['5xx']}; "
        f"leaks {len(report['leaks'])}; replay mismatches {len(report['replay_mismatches'])}; "
        f"client-side violations {len(report['violations'])}; complete {report['complete']}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=int, default=64)
    parser.add_argument("--calls", type=int, default=500, help="calls per task")
    parser.add_argument(
        "--budget", type=float, default=300, help="seconds the calls may take"
    )
    parser.add_argument("--store", help="the server's --store (default: memory)")
    parser.add_argument(
        "--package", type=Path, help="a built package project (default: build SPEC)"
    )
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="envc-load-"))
    project = args.package or build_package(SPEC, work / "out", "load_petstore")
    options = ["--fixtures", str(FIXTURES)] + (
        ["--store", args.store] if args.store else []
    )
    port = free_port()
    server = serve_package(
        project.resolve(), port, log=work / "server.log", options=options
    )
    try:
        report = asyncio.run(
            run_load(
                port,
                load_package(project.resolve()),
                tasks=args.tasks,
                calls=args.calls,
                budget=args.budget,
            )
        )
    finally:
        server.stop()
    print(summary(report))
    for kind in ("violations", "leaks", "replay_mismatches"):
        for line in report[kind][:10]:
            print(f"  {kind}: {line}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    sys.exit(1 if failed(report) else 0)


if __name__ == "__main__":
    main()
