"""The committed packages' dag.json against the hand labels: what `envc build` confirms.

Issue floors: confirmed edges reach precision >= 0.95 and recall >= 0.90 over
all labelled specs (micro-averaged); `bench/score_dependencies.py` prints the
same figures per spec next to Schemathesis's own analysis.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import GENERATED
from envfactory_compiler.environment_verifier import VerifiedDAG

TRUTH = Path(__file__).parent / "ground_truth"


def _labelled() -> list[tuple[set, set, set]]:
    rows = []
    for path in sorted(TRUTH.glob("*.json")):
        labels = json.loads(path.read_text(encoding="utf-8"))
        package = Path(labels["spec"]).stem.replace("-", "_") + "_env"
        dag = VerifiedDAG.from_json(
            (GENERATED / package / package / "dag.json").read_text(encoding="utf-8")
        )
        truth = {
            (e["producer"], e["consumer"], e["parameter"]) for e in labels["edges"]
        }
        confirmed = {
            (v.producer, v.consumer, b["name"])
            for v in dag.verdicts
            if v.confirmed
            for b in v.bindings
        }
        inferred = {
            (v.producer, v.consumer, b["name"])
            for v in dag.verdicts
            for b in v.all_bindings
        }
        rows.append((truth, confirmed, inferred))
    return rows


def test_confirmed_edges_meet_the_floors() -> None:
    rows = _labelled()
    hits = sum(len(t & c) for t, c, _ in rows)
    precision = hits / sum(len(c) for _, c, _ in rows)
    recall = hits / sum(len(t) for t, _, _ in rows)
    print(f"confirmed: precision {precision:.3f} recall {recall:.3f}")
    assert precision >= 0.95 and recall >= 0.90


def test_every_confirmed_edge_was_inferred_first() -> None:
    for _, confirmed, inferred in _labelled():
        assert confirmed <= inferred
