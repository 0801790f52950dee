#!/usr/bin/env python
"""Score dependency inference and verification against hand-labelled truth.

For every spec with a label file in tests/dependencies/ground_truth/, an edge
is (producer, consumer, consumer parameter). Prints precision, recall and F1
of: our inferred edges, our confirmed edges (after execution), and
Schemathesis's own dependency analysis on the same bundled spec, side by
side, per spec and in total (micro-averaged). Also prints, for every spec in
specs/, the path parameters that look like ids and have no producer
("unresolved", as RESTler reports them) and how long verification took.

    python bench/score_dependencies.py [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from envfactory_compiler.dependency_inference import (
    DependencyInferencer,
    unresolved_id_parameters,
)  # noqa: E402
from envfactory_compiler.pipeline import compile_spec, verify_dependencies  # noqa: E402

TRUTH = ROOT / "tests" / "dependencies" / "ground_truth"
SPECS = ROOT / "specs"

Edge = tuple[str, str, str]


def score(found: set[Edge], truth: set[Edge]) -> dict[str, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "hits": hits,
        "found": len(found),
        "truth": len(truth),
    }


def schemathesis_edges(document: dict, names: dict[str, str]) -> set[Edge]:
    """Edges from Schemathesis's resource analysis: producer outputs R -> consumer input of R."""
    import schemathesis
    from schemathesis.specs.openapi.stateful.dependencies import analyze

    graph = analyze(schemathesis.openapi.from_dict(document))
    producers: dict[str, set[str]] = {}
    for label, node in graph.operations.items():
        for output in node.outputs:
            producers.setdefault(output.resource.name, set()).add(label)
    edges = set()
    for label, node in graph.operations.items():
        for slot in node.inputs:
            for producer in producers.get(slot.resource.name, ()):
                if producer != label and producer in names and label in names:
                    edges.add((names[producer], names[label], str(slot.parameter_name)))
    return edges


def evaluate(spec_path: Path, truth: set[Edge] | None) -> dict:
    started = time.perf_counter()
    result, rendered = compile_spec(str(spec_path), Path(tempfile.gettempdir()))
    compile_seconds = time.perf_counter() - started
    spec, dag = result.spec, result.dag
    started = time.perf_counter()
    verify_dependencies(
        spec, rendered
    )  # inference + verification alone, as the build runs them
    verify_seconds = time.perf_counter() - started
    inferred = {
        (v.producer, v.consumer, b["name"])
        for v in dag.verdicts
        for b in v.all_bindings
    }
    confirmed = {
        (v.producer, v.consumer, b["name"])
        for v in dag.verdicts
        if v.confirmed
        for b in v.bindings
    }
    graph = DependencyInferencer(spec.document).infer(spec.endpoints)
    unresolved = unresolved_id_parameters(graph, spec.endpoints)
    id_params = sum(1 for e in spec.endpoints for p in e.params_in("path"))
    row = {
        "spec": spec_path.name,
        "operations": len(spec.endpoints),
        "build_and_verify_seconds": round(compile_seconds, 3),
        "verify_seconds": round(verify_seconds, 3),
        "edges": len(dag.verdicts),
        "unresolved": [f"{op}.{param}" for op, param in unresolved],
        "path_params": id_params,
    }
    if truth is not None:
        names = {f"{e.method.upper()} {e.path}": e.name for e in spec.endpoints}
        row["inference"] = score(inferred, truth)
        row["verification"] = score(confirmed, truth)
        row["schemathesis"] = score(
            schemathesis_edges(rendered.module_json("openapi.json"), names), truth
        )
    return row


def _cell(s: dict) -> str:
    return f"{s['precision']:.2f}/{s['recall']:.2f}/{s['f1']:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args(argv)
    truths = {}
    for path in sorted(TRUTH.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        truths[data["spec"]] = {
            (e["producer"], e["consumer"], e["parameter"]) for e in data["edges"]
        }
    rows = [
        evaluate(spec, truths.get(spec.name)) for spec in sorted(SPECS.glob("*.yaml"))
    ]

    print(
        "precision/recall/F1 against tests/dependencies/ground_truth (edge = producer, consumer, parameter)"
    )
    print(
        f"{'spec':<26} {'truth':>5} {'envc inferred':>15} {'envc confirmed':>15} {'schemathesis':>15}"
    )
    totals = {
        k: {"hits": 0, "found": 0, "truth": 0}
        for k in ("inference", "verification", "schemathesis")
    }
    for row in rows:
        if "inference" not in row:
            continue
        print(
            f"{row['spec']:<26} {row['inference']['truth']:>5} {_cell(row['inference']):>15} "
            f"{_cell(row['verification']):>15} {_cell(row['schemathesis']):>15}"
        )
        for key in totals:
            for field in ("hits", "found", "truth"):
                totals[key][field] += row[key][field]
    total = {}
    for key, t in totals.items():
        precision = t["hits"] / t["found"] if t["found"] else 1.0
        recall = t["hits"] / t["truth"] if t["truth"] else 1.0
        f1 = (
            2 * precision * recall / (precision + recall) if precision + recall else 0.0
        )
        total[key] = {"precision": precision, "recall": recall, "f1": f1, **t}
    print(
        f"{'TOTAL':<26} {totals['inference']['truth']:>5} {_cell(total['inference']):>15} "
        f"{_cell(total['verification']):>15} {_cell(total['schemathesis']):>15}"
    )

    print(
        "\nunresolved id path parameters (no producer); build+verify time, and inference+verification alone"
    )
    all_unresolved = all_params = 0
    for row in rows:
        all_unresolved += len(row["unresolved"])
        all_params += row["path_params"]
        listed = ", ".join(row["unresolved"][:4]) + (
            " ..." if len(row["unresolved"]) > 4 else ""
        )
        print(
            f"{row['spec']:<26} ops={row['operations']:<4} unresolved={len(row['unresolved'])}/{row['path_params']:<4} "
            f"build+verify={row['build_and_verify_seconds']:.2f}s verify={row['verify_seconds']:.2f}s "
            f"({row['edges']} edges)  {listed}"
        )
    share = all_unresolved / all_params if all_params else 0.0
    print(
        f"{'TOTAL':<26} unresolved={all_unresolved}/{all_params} ({share:.1%} of path parameters)"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {"rows": rows, "total": total, "unresolved_share": share}, indent=2
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
