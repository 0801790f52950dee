#!/usr/bin/env python
"""Requests/s of GET-by-id: the compiled sandbox against Stoplight Prism, same spec, same load.

    python bench/throughput_bench.py                      # specs/petstore.yaml, wrk, 2 rounds of 10 s
    python bench/throughput_bench.py --seconds 5 --rounds 1 --connections 32

Both servers run as one process each on 127.0.0.1: the sandbox as
`python -m petstore_env serve --fixtures 5` (built from the spec by `envc build` into a temp
dir, response validation on as always), Prism as `npx --yes @stoplight/prism-cli@5 mock -d`
(installed from the npm registry on first use; `-v error` so its request logging costs it
nothing). Each round measures one then the other with the same load generator: `wrk`
(`-t1 -c<connections> -d<seconds>`) when on PATH, else `httpload.hammer` in a separate
process. A warm-up run precedes each measurement. Prints every round, the medians and the
ratio sandbox/Prism; the whole run is bounded by `--budget` seconds and stops both servers.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from httpload import (
    HOST,
    ROOT,
    Process,
    build_package,
    free_port,
    serve_package,
)  # noqa: E402

PRISM = "@stoplight/prism-cli@5"


def measure(port: int, path: str, *, seconds: float, connections: int) -> dict:
    """One timed load run: requests/s and the count of non-2xx answers."""
    url = f"http://{HOST}:{port}{path}"
    if shutil.which("wrk"):
        command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", url]
        out = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 30
        ).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        total = int(re.search(r"(\d+) requests in", out).group(1))
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        errors = re.search(r"Socket errors: .*", out)
        return {
            "rps": rps,
            "requests": total,
            "non_2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(0) if errors else None,
            "tool": "wrk",
        }
    code = (
        f"import asyncio, json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r});"
        f"from httpload import hammer; print(json.dumps(asyncio.run(hammer({port}, {path!r},"
        f" connections={connections}, seconds={seconds}))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    result = json.loads(out)
    non_2xx = sum(
        n for s, n in result["statuses"].items() if not str(s).startswith("2")
    )
    return {
        "rps": result["rps"],
        "requests": result["requests"],
        "non_2xx": non_2xx,
        "socket_errors": None,
        "tool": "httpload",
    }


def start_prism(spec: Path, port: int, work: Path, *, timeout: float) -> Process:
    npx = shutil.which("npx")
    if npx is None:
        raise SystemExit(
            "npx not found: install Node.js (>= 18) to benchmark against Prism"
        )
    argv = [
        npx,
        "--yes",
        PRISM,
        "mock",
        "-d",
        "-v",
        "error",
        "-h",
        HOST,
        "-p",
        str(port),
        str(spec),
    ]
    prism = Process(argv, log=work / "prism.log")
    prism.wait_ready(f"http://{HOST}:{port}/", timeout=timeout)
    return prism


def run(args: argparse.Namespace) -> dict:
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="envc-throughput-"))
    project = build_package(args.spec, work / "out", "bench_petstore")
    base = json.loads((project / project.name / "openapi.json").read_text())["servers"][
        0
    ]["url"]
    prefix = "/" + base.split("//", 1)[-1].split("/", 1)[1] if "//" in base else base
    sandbox_path = prefix.rstrip("/") + args.path
    servers: list[Process] = []
    try:
        sandbox_port, prism_port = free_port(), free_port()
        servers.append(
            serve_package(
                project,
                sandbox_port,
                log=work / "sandbox.log",
                options=["--fixtures", "5"],
            )
        )
        servers.append(
            start_prism(args.spec, prism_port, work, timeout=args.budget / 2)
        )
        targets = {
            "sandbox": (sandbox_port, sandbox_path),
            "prism": (prism_port, args.path),
        }
        rounds: dict[str, list[dict]] = {name: [] for name in targets}
        for index in range(args.rounds):
            for name, (port, path) in targets.items():
                if (
                    time.monotonic() - started + 2 * (args.seconds + args.warmup)
                    > args.budget
                ):
                    raise SystemExit(f"--budget {args.budget}s reached")
                measure(port, path, seconds=args.warmup, connections=args.connections)
                result = measure(
                    port, path, seconds=args.seconds, connections=args.connections
                )
                rounds[name].append(result)
                print(
                    f"round {index + 1} {name:8} {result['rps']:9.1f} req/s  "
                    f"({result['requests']} requests, {result['non_2xx']} non-2xx, {result['tool']})",
                    flush=True,
                )
    finally:
        for server in servers:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)
    medians = {
        name: statistics.median(r["rps"] for r in results)
        for name, results in rounds.items()
    }
    ratio = medians["sandbox"] / medians["prism"]
    print(
        f"median   sandbox {medians['sandbox']:9.1f} req/s   prism {medians['prism']:9.1f} req/s"
        f"   ratio sandbox/prism {ratio:.2f}x"
    )
    return {"rounds": rounds, "medians": medians, "ratio": ratio}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--spec", type=Path, default=ROOT / "specs" / "petstore.yaml")
    parser.add_argument(
        "--path", default="/pets/1", help="GET path below the spec's base path"
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--budget", type=float, default=420, help="stop after this many seconds"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    result = run(args)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
