"""Whether a blueprint is accepted: replay, policies, and optionally the committee.

`Validator.validate` answers the reasons a blueprint is rejected (none: it
is accepted). Its actions are replayed in a fresh task from the blueprint's
initial state; it must not be trivial (`trivial`), every action must answer 2xx, every expected output must be
the value the replay answers at its step and pointer, and the replay's
state diff and final hash must be the blueprint's. The replayed trace then
goes through the policy suite, and with `committee` the review must score
at least `min_correctness` (the score is kept on the blueprint).
"""

from __future__ import annotations

from typing import Any

from .committee import review
from ..sandbox.diffs import canonical, state_diff, state_hash
from ..llm import LLM
from .policies import PolicySuite, at, text, trace_of


class Validator:
    """Checks blueprints of one package (see the module docstring)."""

    def __init__(
        self,
        builder: Any,
        suite: PolicySuite,
        *,
        committee: bool = False,
        min_correctness: float = 3.0,
        llm: LLM | None = None,
    ) -> None:
        self.builder = builder
        self.suite = suite
        self.committee = committee
        self.min_correctness = min_correctness
        self.llm = llm

    def validate(self, blueprint: Any) -> list[str]:
        world, results = self.builder.execute(blueprint.initial, blueprint.actions)
        reasons = replay_mismatches(blueprint, world, results)
        reasons += trivial(blueprint, world) + idle_writes(self.builder.engine, results)
        trace = trace_of(
            self.builder.engine, self.builder.dag, results, blueprint.given
        )
        reasons += [f"policy {v}" for v in self.suite.violations(trace)]
        if self.committee and not reasons:
            blueprint.review = review(blueprint, self.builder.phraser, self.llm)
            if blueprint.review["score"] < self.min_correctness:
                reasons.append(
                    f"committee: scored {blueprint.review['score']} <"
                    f" {self.min_correctness} ({blueprint.review['notes']})"
                )
        return reasons


def trivial(blueprint: Any, world: Any) -> list[str]:
    """Why the task tests nothing (the reports on tau-bench and AWM): a
    do-nothing agent would pass it (the start is already the goal state and
    nothing needs reporting that the instruction does not say), or it
    changes nothing and asks only for values the user supplied. (A task
    whose writes cancel out, create then delete, still needs its answers.)"""
    unchanged = state_hash(world.initial) == blueprint.final_hash
    if not unchanged:
        return []
    said = set(blueprint.given)
    if all(str(o["value"]) in blueprint.instruction for o in blueprint.outputs):
        return ["trivial: a do-nothing agent would pass"]
    if all(text(o["value"]) in said for o in blueprint.outputs):
        return ["trivial: no change, and it reports only what the user said"]
    return []


def idle_writes(engine: Any, results: list) -> list[str]:
    """An update (or an action answering an item) that changes nothing: an
    agent that skipped it would pass the same."""
    idle = [
        r.name
        for r in results
        if r.ok
        and (
            engine.operations[r.name].role == "update"
            or engine.operations[r.name].produces
        )
        and not any(r.change.get(k) for k in ("created", "updated", "deleted"))
    ]
    return [f"trivial: {idle[0]} changes nothing"] if idle else []


def replay_mismatches(blueprint: Any, world: Any, results: list) -> list[str]:
    """How a replay differs from what the blueprint expects."""
    reasons = [
        f"replay: step {n} {r.name} answered {r.status}"
        for n, r in enumerate(results, 1)
        if not r.ok
    ]
    for output in blueprint.outputs:
        step = output["step"]
        found = (
            at(results[step].output, output["pointer"]) if step < len(results) else None
        )
        if found != output["value"]:
            reasons.append(
                f"replay: output {output['pointer']} of step {step + 1} is"
                f" {_text(found)}, expected {_text(output['value'])}"
            )
    diff = state_diff(world.initial.objects, world.state.objects)
    if canonical(diff) != canonical(blueprint.diff):
        reasons.append(
            f"replay: state diff differs ({_summary(diff)} instead of {_summary(blueprint.diff)})"
        )
    elif state_hash(world.state) != blueprint.final_hash:
        reasons.append("replay: final state hash differs")
    if blueprint.changes and world.changes() != blueprint.changes:
        reasons.append("replay: the items changed along the way differ")
    return reasons


def _summary(diff: dict) -> str:
    return (
        f"created {sorted(diff['created'])}, updated {sorted(diff['updated'])},"
        f" deleted {diff['deleted']}"
    )


def _text(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
