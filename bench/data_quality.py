"""Data-quality figures of what `envc sample`, `blueprints` and natural rollouts
produce, per package: the packages in generated/ and, with `--wide DIR`,
packages built from a seeded random sample of a spec directory (such as the
one `../shared/tools/wide-corpus.sh` extracts).

    python bench/data_quality.py [--records 300] [--blueprints 30]
        [--wide /tmp/wide-corpus --count 30 --seed 0] [--json out.json]

Prints one row per package and output (grounded values, user messages with
artifacts, distinct shapes, connected steps, repeated reads, optional body
fields, server-owned fields, off-type arguments, missing required fields,
coverage) and the totals over all packages.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENVC = [sys.executable, "-m", "envfactory_compiler"]
COLUMNS = (
    "grounded",
    "artifacts",
    "shapes",
    "connected",
    "rereads",
    "optional",
    "server_owned",
    "off_type",
    "missing",
)


def envc(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*ENVC, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def figures(path: Path, package: Path) -> dict:
    done = envc("quality", path, "--package", package, "--json")
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout)


def row(kind: str, report: dict) -> dict:
    return {
        "kind": kind,
        "records": report["records"],
        "values": report["grounded_values"]["total"],
        "grounded": report["grounded_values"]["grounded"],
        "artifacts": report["artifacts"]["messages"],
        "shapes": report["user_message_shapes"]["distinct"],
        "later": report["connected_steps"]["total"],
        "connected": report["connected_steps"]["connected"],
        "calls": report["repeated_reads"]["calls"],
        "rereads": report["repeated_reads"]["repeated"],
        "fields": report["optional_body_fields"]["sent"],
        "optional": report["optional_body_fields"]["optional"],
        "server_owned": report["server_owned_fields"]["count"],
        "off_type": report["off_type_arguments"]["count"],
        "missing": report["missing_required_fields"]["count"],
    }


def measure(package: Path, work: Path, records: int, blueprints: int) -> list[dict]:
    """Sample, generate blueprints and roll them out naturally; each measured."""
    name = package.name
    sample, bps, rollouts = (work / f"{name}.{k}.jsonl" for k in ("s", "b", "r"))
    rows = []
    done = envc(
        "sample", package, "-n", records, "--seed", 0, "--fixtures", 1, "-o", sample
    )
    if done.returncode:
        return [{"kind": "sample", "error": _last(done.stderr)}]
    coverage = re.search(r"operation coverage: (\d+)/(\d+)", done.stderr)
    rows.append(
        {
            **row("sample", figures(sample, package)),
            "covered": int(coverage[1]),
            "operations": int(coverage[2]),
        }
    )
    done = envc(
        "blueprints", package, "-n", blueprints, "--seed", 0, "--fixtures", 1, "-o", bps
    )
    if not bps.exists() or not bps.read_text().strip():
        return rows + [{"kind": "blueprints", "error": _last(done.stderr)}]
    rows.append(row("blueprints", figures(bps, package)))
    done = envc("rollout", package, "--in", bps, "--agent", "natural", "-o", rollouts)
    if done.returncode:
        return rows + [{"kind": "rollout", "error": _last(done.stderr)}]
    rows.append(row("rollout", figures(rollouts, package)))
    return rows


def build_wide(
    spec_dir: Path, count: int, seed: int, out: Path
) -> tuple[list[Path], int]:
    """Build a seeded sample of specs until `count` packages exist; how many were tried."""
    specs = sorted(
        p for p in spec_dir.iterdir() if p.suffix in (".json", ".yaml", ".yml")
    )
    random.Random(seed).shuffle(specs)
    built, tried = [], 0
    for spec in specs:
        if len(built) >= count:
            break
        tried += 1
        name = re.sub(r"[^a-z0-9]+", "_", spec.stem.lower())[:40].strip("_")
        try:
            done = envc("build", spec, "-o", out, "--name", name, timeout=180)
        except subprocess.TimeoutExpired:
            continue
        package = out / f"{name}_env"
        if done.returncode == 0 and package.is_dir():
            built.append(package)
    return built, tried


def share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "n/a"


def render(name: str, r: dict) -> str:
    if "error" in r:
        return f"| {name} | {r['kind']} | error: {r['error'][:80]} |"
    cover = share(r["covered"], r["operations"]) if "covered" in r else ""
    return (
        f"| {name} | {r['kind']} | {r['records']} | {share(r['grounded'], r['values'])} "
        f"| {r['artifacts']} | {share(r['shapes'], r['records'])} "
        f"| {share(r['connected'], r['later'])} | {share(r['rereads'], r['calls'])} "
        f"| {share(r['optional'], r['fields'])} | {r['server_owned']} "
        f"| {r['off_type']} | {r['missing']} | {cover} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--blueprints", type=int, default=30)
    parser.add_argument("--wide", type=Path, help="a directory of specs to sample from")
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-generated", action="store_true")
    parser.add_argument("--json", type=Path, help="also write every row as JSON")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="envc-quality-"))
    packages = [] if args.skip_generated else sorted((ROOT / "generated").glob("*_env"))
    if args.wide:
        wide, tried = build_wide(args.wide, args.count, args.seed, work / "wide")
        print(
            f"wide corpus: {len(wide)} packages built of {tried} specs tried"
            f" (seed {args.seed})",
            flush=True,
        )
        packages += wide
    print(
        "| package | output | records | grounded | artifacts | shapes | connected "
        "| rereads | optional | server-owned | off-type | missing required "
        "| coverage |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|", flush=True)
    results = {}
    for package in packages:
        results[package.name] = measure(package, work, args.records, args.blueprints)
        for r in results[package.name]:
            print(render(package.name, r), flush=True)
    for kind in ("sample", "blueprints", "rollout"):
        rows = [
            r
            for rs in results.values()
            for r in rs
            if r["kind"] == kind and "error" not in r
        ]
        total = {
            k: sum(r[k] for r in rows)
            for k in (
                "records",
                "values",
                "grounded",
                "artifacts",
                "shapes",
                "later",
                "connected",
                "calls",
                "rereads",
                "fields",
                "optional",
                "server_owned",
                "off_type",
                "missing",
            )
        }
        if kind == "sample":
            total["covered"] = sum(r["covered"] for r in rows)
            total["operations"] = sum(r["operations"] for r in rows)
        print(render(f"ALL ({len(rows)} packages)", {"kind": kind, **total}))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")


def _last(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "failed"


if __name__ == "__main__":
    main()
