#!/usr/bin/env python
"""Time `envc build` against datamodel-code-generator (+ black) on the same specs.

For every spec (default: specs/*.yaml, plus a synthetic spec of 200+ operations
written to a temp dir) this runs, alternately and --repeat times:

  envc       : python -m envfactory_compiler build SPEC -o TMP --name NAME
  dcg+black  : python -m datamodel_code_generator --input SPEC --input-file-type openapi
                 --output-model-type pydantic_v2.BaseModel
                 --openapi-scopes schemas paths parameters --disable-timestamp
                 --output TMP/NAME.py
               then python -m black TMP/NAME.py   (timed together)

and prints the median wall time of each side, the ratio envc / (dcg+black),
envc's stage breakdown (`envc build --timings`: read, validate, normalise,
render, models, infer, verify, write), and the median, p90 and largest ratio. A side
that fails is reported as "failed: <last stderr line>" and does not stop the
run. `--corpus DIR` adds a seeded sample of a folder of real specs (the same
sample `envc corpus --sample N --seed S` takes).

    python bench/build_bench.py                       # all specs/*.yaml + large spec
    python bench/build_bench.py specs/bookstore.yaml --repeat 5 --json out.json
    python bench/build_bench.py --no-large
    python bench/build_bench.py --write-large /tmp/large.yaml --large-ops 300
    python bench/build_bench.py --corpus /tmp/wide-corpus --sample 100 --seed 2026 --no-large --repeat 1
"""

from __future__ import annotations

import argparse
import compileall
import copy
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SPECS_DIR = ROOT / "specs"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# --------------------------------------------------------------------------- #
# Synthetic large spec
# --------------------------------------------------------------------------- #

_NOUNS = [
    "pet",
    "order",
    "customer",
    "invoice",
    "product",
    "shipment",
    "warehouse",
    "supplier",
    "employee",
    "ticket",
    "project",
    "task",
    "comment",
    "review",
    "coupon",
    "payment",
    "refund",
    "device",
    "sensor",
    "reading",
    "course",
    "lesson",
    "student",
    "booking",
    "vehicle",
    "driver",
    "route",
    "article",
    "author",
    "playlist",
]


def _family(noun: str, idx: int) -> tuple[dict, dict, list[tuple[str, str]]]:
    """One swagger-petstore-v3-style CRUD resource family.

    Returns (paths, schemas, op_keys) where op_keys lists (path, method) in a
    stable order so callers can trim to an exact operation count.
    """
    cap = noun.capitalize()
    N = f"{cap}{idx}"  # distinct schema names per copy, e.g. Pet3, Order3
    prefix = f"/v{idx}"
    coll = f"{prefix}/{noun}s"
    item = f"{coll}/{{{noun}Id}}"
    op = lambda verb: f"{verb}{N}"  # noqa: E731 - operationIds unique per copy
    ref = lambda name: {"$ref": f"#/components/schemas/{name}"}  # noqa: E731
    json_body = lambda schema: {"application/json": {"schema": schema}}  # noqa: E731
    err = {"description": "Error", "content": json_body(ref("Error"))}
    id_param = {
        "name": f"{noun}Id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "format": "int64", "minimum": 1},
    }
    paging = [
        {
            "name": "limit",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
        },
        {
            "name": "offset",
            "in": "query",
            "schema": {"type": "integer", "minimum": 0, "default": 0},
        },
    ]
    schemas = {
        f"{N}Status": {
            "type": "string",
            "description": f"{cap} status in the store",
            "enum": ["available", "pending", "sold"],
        },
        f"{N}Category": {
            "type": "object",
            "properties": {
                "id": {"type": "integer", "format": "int64", "example": 10},
                "name": {"type": "string", "example": "Dogs"},
            },
        },
        f"{N}Tag": {
            "type": "object",
            "properties": {
                "id": {"type": "integer", "format": "int64"},
                "name": {"type": "string"},
            },
        },
        N: {
            "type": "object",
            "required": ["name", "photoUrls"],
            "properties": {
                "id": {
                    "type": "integer",
                    "format": "int64",
                    "readOnly": True,
                    "example": 10,
                },
                "name": {"type": "string", "minLength": 1, "example": "doggie"},
                "category": ref(f"{N}Category"),
                "photoUrls": {"type": "array", "items": {"type": "string"}},
                "tags": {"type": "array", "items": ref(f"{N}Tag")},
                "status": ref(f"{N}Status"),
                "quantity": {"type": "integer", "format": "int32", "minimum": 0},
                "price": {"type": "number", "minimum": 0},
                "shipDate": {"type": "string", "format": "date-time"},
                "complete": {"type": "boolean", "default": False},
            },
        },
        f"{N}Patch": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "status": ref(f"{N}Status"),
                "quantity": {"type": "integer", "format": "int32", "minimum": 0},
                "price": {"type": "number", "minimum": 0},
            },
        },
        f"{N}Page": {
            "type": "object",
            "required": ["data", "total"],
            "properties": {
                "data": {"type": "array", "items": ref(N)},
                "total": {"type": "integer", "minimum": 0},
            },
        },
        f"{N}ApiResponse": {
            "type": "object",
            "properties": {
                "code": {"type": "integer", "format": "int32"},
                "type": {"type": "string"},
                "message": {"type": "string"},
            },
        },
    }
    paths = {
        coll: {
            "get": {
                "tags": [N],
                "operationId": op("list"),
                "summary": f"List {noun}s",
                "parameters": [
                    {"name": "status", "in": "query", "schema": ref(f"{N}Status")},
                    *copy.deepcopy(paging),
                ],
                "responses": {
                    "200": {"description": "OK", "content": json_body(ref(f"{N}Page"))},
                    "400": err,
                },
            },
            "post": {
                "tags": [N],
                "operationId": op("create"),
                "summary": f"Add a new {noun}",
                "requestBody": {"required": True, "content": json_body(ref(N))},
                "responses": {
                    "201": {"description": "Created", "content": json_body(ref(N))},
                    "400": err,
                    "422": err,
                },
            },
        },
        f"{coll}/findByTags": {
            "get": {
                "tags": [N],
                "operationId": op("findByTags"),
                "summary": f"Find {noun}s by tags",
                "parameters": [
                    {
                        "name": "tags",
                        "in": "query",
                        "required": True,
                        "explode": True,
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": json_body({"type": "array", "items": ref(N)}),
                    },
                    "400": err,
                },
            },
        },
        item: {
            "parameters": [id_param],
            "get": {
                "tags": [N],
                "operationId": op("get"),
                "summary": f"Find {noun} by ID",
                "responses": {
                    "200": {"description": "OK", "content": json_body(ref(N))},
                    "404": err,
                },
            },
            "put": {
                "tags": [N],
                "operationId": op("replace"),
                "summary": f"Replace an existing {noun}",
                "requestBody": {"required": True, "content": json_body(ref(N))},
                "responses": {
                    "200": {"description": "OK", "content": json_body(ref(N))},
                    "404": err,
                    "422": err,
                },
            },
            "patch": {
                "tags": [N],
                "operationId": op("update"),
                "summary": f"Partially update a {noun}",
                "requestBody": {
                    "required": True,
                    "content": json_body(ref(f"{N}Patch")),
                },
                "responses": {
                    "200": {"description": "OK", "content": json_body(ref(N))},
                    "404": err,
                    "422": err,
                },
            },
            "delete": {
                "tags": [N],
                "operationId": op("delete"),
                "summary": f"Delete a {noun}",
                "parameters": [
                    {"name": "api_key", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": {"204": {"description": "Deleted"}, "404": err},
            },
        },
        f"{item}/archive": {
            "parameters": [id_param],
            "post": {
                "tags": [N],
                "operationId": op("archive"),
                "summary": f"Archive a {noun} (RPC-style action)",
                "responses": {
                    "200": {"description": "OK", "content": json_body(ref(N))},
                    "404": err,
                    "409": err,
                },
            },
        },
        f"{item}/uploadImage": {
            "parameters": [id_param],
            "post": {
                "tags": [N],
                "operationId": op("uploadImage"),
                "summary": "Uploads an image",
                "parameters": [
                    {
                        "name": "additionalMetadata",
                        "in": "query",
                        "schema": {"type": "string"},
                    },
                ],
                "requestBody": {
                    "content": {
                        "application/octet-stream": {
                            "schema": {"type": "string", "format": "binary"}
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": json_body(ref(f"{N}ApiResponse")),
                    },
                    "404": err,
                },
            },
        },
    }
    op_keys = [(p, m) for p, item_ in paths.items() for m in item_ if m in HTTP_METHODS]
    return paths, schemas, op_keys


def make_large_spec(n_ops: int = 225) -> dict:
    """A valid OpenAPI 3.0.3 document with exactly ``n_ops`` operations.

    Built from copies of a swagger-petstore-v3-style CRUD family (9 operations:
    list/create/findByTags/get/replace/update/delete/archive/uploadImage), each
    under its own path prefix (/v<i>/<noun>s) with its own schema names
    (<Noun><i>, <Noun><i>Category, ...), sharing one Error schema.
    """
    if n_ops < 1:
        raise ValueError("n_ops must be >= 1")
    doc: dict = {
        "openapi": "3.0.3",
        "info": {
            "title": f"Synthetic large spec ({n_ops} operations)",
            "version": "1.0.0",
            "description": "Generated by bench/build_bench.py:make_large_spec.",
        },
        "servers": [{"url": "/api/v3"}],
        "tags": [],
        "paths": {},
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": {"type": "integer"},
                        "message": {"type": "string"},
                    },
                }
            }
        },
    }
    remaining = n_ops
    i = 0
    while remaining > 0:
        noun = _NOUNS[i % len(_NOUNS)]
        paths, schemas, op_keys = _family(noun, i + 1)
        for p, m in op_keys[remaining:]:  # trim the last family to hit n_ops
            del paths[p][m]
        for p in [p for p, it in paths.items() if not set(it) & set(HTTP_METHODS)]:
            del paths[p]
        remaining -= min(remaining, len(op_keys))
        doc["paths"].update(paths)
        doc["components"]["schemas"].update(schemas)
        doc["tags"].append({"name": f"{noun.capitalize()}{i + 1}"})
        i += 1
    return doc


# --------------------------------------------------------------------------- #
# Timing
# --------------------------------------------------------------------------- #


def spec_version(spec_path: Path) -> str | None:
    """The spec's `openapi` / `swagger` value, e.g. "3.0.3" or "2.0"."""
    try:
        doc = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        return str(doc.get("openapi") or doc.get("swagger"))
    except Exception:  # noqa: BLE001 - best effort, only for the table
        return None


def count_operations(spec_path: Path) -> int | None:
    try:
        doc = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        return sum(
            1
            for item in (doc.get("paths") or {}).values()
            if isinstance(item, dict)
            for m in item
            if m in HTTP_METHODS
        )
    except Exception:  # noqa: BLE001 - best effort, only for the table
        return None


# Trailing lines that say nothing about the failure (pydantic's help URL, warnings).
_NOISE = re.compile(r"^(For further information visit|warn_deprecated\(|.*Warning: )")


def _last_line(*texts: str) -> str:
    """Last informative line of the first non-empty text."""
    for text in texts:
        lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
        useful = [ln for ln in lines if not _NOISE.match(ln)] or lines
        if useful:
            return useful[-1][:300]
    return "(no output)"


def _run(cmd: list[str], cwd: Path, timeout: float) -> tuple[bool, float, str]:
    """Run cmd; return (ok, seconds, error message). The last stage line it
    printed (`envc build --timings`) is kept in `_LAST_STAGES`."""
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return False, time.perf_counter() - t0, f"timeout after {timeout:.0f}s"
    except OSError as exc:
        return False, time.perf_counter() - t0, f"{type(exc).__name__}: {exc}"
    dt = time.perf_counter() - t0
    stages = [line for line in proc.stderr.splitlines() if line.startswith("stages: ")]
    _LAST_STAGES[:] = [_stages(stages[-1])] if stages else []
    if proc.returncode != 0:
        return (
            False,
            dt,
            f"rc={proc.returncode}: {_last_line(proc.stderr, proc.stdout)}",
        )
    return True, dt, ""


_LAST_STAGES: list[dict[str, float]] = []
_STAGE_LABELS = (
    ("read", "rd"),
    ("validate", "val"),
    ("normalise", "norm"),
    ("render", "rend"),
    ("models", "mod"),
    ("infer", "inf"),
    ("verify", "ver"),
    ("write", "wr"),
)


def _stages(line: str) -> dict[str, float]:
    """`stages: read 0.12s, validate 0.40s` as {stage: seconds}."""
    found = {}
    for part in line[len("stages: ") :].split(", "):
        name, _, seconds = part.rpartition(" ")
        found[name] = float(seconds.rstrip("s"))
    return found


def package_name(stem: str) -> str:
    name = re.sub(r"\W+", "_", stem).strip("_").lower() or "spec"
    return f"x{name}" if name[0].isdigit() else name


def time_envc(spec: Path, name: str, timeout: float) -> tuple[bool, float, str]:
    with tempfile.TemporaryDirectory(prefix="envc_bench_") as tmp:
        out = Path(tmp) / "out"
        return _run(
            [
                sys.executable,
                "-m",
                "envfactory_compiler",
                "build",
                str(spec),
                "-o",
                str(out),
                "--name",
                name,
                "--timings",
            ],
            cwd=ROOT,
            timeout=timeout,
        )


def time_dcg_black(spec: Path, name: str, timeout: float) -> tuple[bool, float, str]:
    with tempfile.TemporaryDirectory(prefix="dcg_bench_") as tmp:
        tmpd = Path(tmp)
        target = tmpd / f"{name}.py"
        ok, t1, err = _run(
            [
                sys.executable,
                "-m",
                "datamodel_code_generator",
                "--input",
                str(spec),
                "--input-file-type",
                "openapi",
                "--output-model-type",
                "pydantic_v2.BaseModel",
                "--openapi-scopes",
                "schemas",
                "paths",
                "parameters",
                "--disable-timestamp",
                "--output",
                str(target),
            ],
            cwd=tmpd,
            timeout=timeout,
        )
        if not ok:
            return False, t1, f"datamodel-codegen {err}"
        if not target.exists():
            return False, t1, "datamodel-codegen wrote no output file"
        ok, t2, err = _run(
            [sys.executable, "-m", "black", "-q", str(target)],
            cwd=tmpd,
            timeout=timeout,
        )
        if not ok:
            return False, t1 + t2, f"black {err}"
        return True, t1 + t2, ""


def bench_spec(
    spec: Path, label: str, repeat: int, timeout: float, skip_envc: bool, skip_dcg: bool
) -> dict:
    name = package_name(label)
    sides = {"envc": time_envc, "dcg_black": time_dcg_black}
    runs: dict[str, list[float]] = {k: [] for k in sides}
    errors: dict[str, str] = {}
    stage_runs: list[tuple[float, dict[str, float]]] = []
    if skip_envc:
        errors["envc"] = "skipped"
    if skip_dcg:
        errors["dcg_black"] = "skipped"
    for _ in range(repeat):
        for side, fn in sides.items():  # alternate the two sides within a round
            if side in errors:
                continue
            ok, dt, err = fn(spec, name, timeout)
            if ok:
                runs[side].append(dt)
                if side == "envc" and _LAST_STAGES:
                    stage_runs.append((dt, _LAST_STAGES[0]))
            else:
                errors[side] = err
                runs[side] = []
    result: dict = {
        "spec": label,
        "path": str(spec),
        "bytes": spec.stat().st_size,
        "operations": count_operations(spec),
        "version": spec_version(spec),
        "name": name,
    }
    for side in sides:
        if side in errors:
            result[side] = {
                "status": "failed" if errors[side] != "skipped" else "skipped",
                "error": errors[side],
                "median_s": None,
                "runs_s": [],
            }
        else:
            result[side] = {
                "status": "ok",
                "error": None,
                "median_s": statistics.median(runs[side]),
                "runs_s": runs[side],
            }
    # the stages of the envc run nearest the median
    median = result["envc"]["median_s"]
    result["stages"] = (
        min(stage_runs, key=lambda run: abs(run[0] - median))[1]
        if stage_runs and median is not None
        else {}
    )
    e, d = result["envc"]["median_s"], result["dcg_black"]["median_s"]
    result["ratio"] = (e / d) if (e is not None and d) else None
    return result


# --------------------------------------------------------------------------- #
# Output
# --------------------------------------------------------------------------- #


def _cell(side: dict) -> str:
    if side["status"] == "ok":
        return f"{side['median_s']:.2f}"
    return side["status"]


def format_table(results: list[dict]) -> str:
    header = [
        "spec",
        "ops",
        "KiB",
        "envc s",
        "dcg+black s",
        "envc/dcg",
        "envc stages (s)",
    ]
    rows = []
    notes = []
    for r in results:
        rows.append(
            [
                r["spec"],
                "?" if r["operations"] is None else str(r["operations"]),
                f"{r['bytes'] / 1024:.0f}",
                _cell(r["envc"]),
                _cell(r["dcg_black"]),
                "-" if r["ratio"] is None else f"{r['ratio']:.2f}x",
                " ".join(
                    f"{label} {r['stages'][stage]:.2f}"
                    for stage, label in _STAGE_LABELS
                    if stage in r.get("stages", {})
                ),
            ]
        )
        for side, label in (("envc", "envc"), ("dcg_black", "dcg+black")):
            if r[side]["status"] == "failed":
                hint = ""
                if side == "dcg_black" and (r.get("version") or "").startswith("2"):
                    hint = " (datamodel-codegen reads OpenAPI 3.x, not Swagger 2.0)"
                notes.append(f"  {r['spec']}: {label} failed: {r[side]['error']}{hint}")
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    align = ["<", ">", ">", ">", ">", ">", "<"]
    fmt = "  ".join(f"{{:{a}{w}}}" for a, w in zip(align, widths))
    lines = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*row) for row in rows]
    ratios = sorted(r["ratio"] for r in results if r["ratio"] is not None)
    if ratios:
        lines += [
            "",
            f"envc/dcg over {len(ratios)} specs both build: median "
            f"{statistics.median(ratios):.2f}x, p90 {ratios[int(0.9 * (len(ratios) - 1))]:.2f}x, "
            f"max {ratios[-1]:.2f}x, {sum(r > 2.0 for r in ratios)} above 2.0x",
        ]
    slowest = max(
        (r for r in results if r["envc"]["median_s"] is not None),
        key=lambda r: r["envc"]["median_s"],
        default=None,
    )
    if slowest is not None:
        lines.append(
            f"slowest envc build: {slowest['spec']} {slowest['envc']['median_s']:.1f}s"
        )
    if notes:
        lines += ["", "failures:", *notes]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "specs", nargs="*", type=Path, help="spec files (default: specs/*.yaml)"
    )
    ap.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs per side; the median is reported (default 3)",
    )
    ap.add_argument(
        "--json",
        type=Path,
        metavar="PATH",
        help="also write the results as JSON to PATH",
    )
    ap.add_argument(
        "--large-ops",
        type=int,
        default=225,
        help="operations in the synthetic large spec (default 225)",
    )
    ap.add_argument(
        "--no-large", action="store_true", help="skip the synthetic large spec"
    )
    ap.add_argument(
        "--write-large",
        type=Path,
        metavar="PATH",
        help="write the synthetic large spec to PATH and exit",
    )
    ap.add_argument(
        "--timeout",
        type=float,
        default=600,
        help="per-command timeout in seconds (default 600)",
    )
    ap.add_argument(
        "--corpus",
        type=Path,
        metavar="DIR",
        help="also a seeded sample of the specs in DIR (bench/wide-corpus.sh extracts one)",
    )
    ap.add_argument(
        "--sample",
        type=int,
        default=100,
        help="specs sampled from --corpus (default 100)",
    )
    ap.add_argument(
        "--seed",
        type=int,
        default=2026,
        help="seed of the --corpus sample (default 2026)",
    )
    ap.add_argument("--skip-envc", action="store_true", help="time dcg+black only")
    ap.add_argument("--skip-dcg", action="store_true", help="time envc only")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")

    if args.write_large:
        args.write_large.write_text(
            yaml.safe_dump(make_large_spec(args.large_ops), sort_keys=False),
            encoding="utf-8",
        )
        print(args.write_large)
        return 0

    specs = [p.resolve() for p in args.specs] or (
        [] if args.corpus else sorted(SPECS_DIR.glob("*.yaml"))
    )
    if args.corpus:
        sys.path.insert(0, str(ROOT))
        from envfactory_compiler.corpus import sample_specs, spec_files

        specs += sample_specs(spec_files(args.corpus), args.sample, seed=args.seed)
    missing = [str(p) for p in specs if not p.is_file()]
    if missing:
        ap.error(f"no such spec file(s): {', '.join(missing)}")

    # Byte-compile the compiler and runtime once, as installing a wheel does: where
    # PYTHONDONTWRITEBYTECODE is set, every envc run would otherwise compile its
    # own sources again, while the peer's installed packages are compiled already.
    compileall.compile_dir(ROOT / "envfactory_compiler", quiet=1)
    compileall.compile_dir(ROOT / "envfactory_runtime", quiet=1)
    results = []
    with tempfile.TemporaryDirectory(prefix="envc_bench_large_") as tmp:
        jobs = [(p, p.stem) for p in specs]
        if not args.no_large:
            large = Path(tmp) / f"large-synthetic-{args.large_ops}.yaml"
            large.write_text(
                yaml.safe_dump(make_large_spec(args.large_ops), sort_keys=False),
                encoding="utf-8",
            )
            jobs.append((large, large.stem))
        for spec, label in jobs:
            print(f"... {label}", file=sys.stderr, flush=True)
            results.append(
                bench_spec(
                    spec,
                    label,
                    args.repeat,
                    args.timeout,
                    args.skip_envc,
                    args.skip_dcg,
                )
            )

    print(
        f"median of {args.repeat} run(s); python {platform.python_version()}; "
        f"cwd for envc: {ROOT}"
    )
    print(format_table(results))
    if args.json:
        payload = {
            "repeat": args.repeat,
            "python": sys.executable,
            "python_version": platform.python_version(),
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
            "results": results,
        }
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
