"""The review committee: does a blueprint's instruction ask for what its actions do?

With an LLM configured, each reviewer (`LLM_MODEL`, plus any in
`LLM_COMMITTEE_MODELS`, comma-separated) scores correctness 0-5 as JSON
and the committee's score is their mean. Offline, a fixed rubric scores
the same question deterministically: every action named in the
instruction, every value the user supplies stated there, something to
report, no call repeated back to back.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from statistics import mean
from typing import Any

from ..llm import LLM, LLMError
from .phrasing import stated

PROMPT = (
    "You review tasks for training tool-using assistants. Given the user's"
    " instruction, the ground-truth tool calls and the outputs to report, score"
    " from 0 to 5 how correctly and completely the calls and outputs fulfil the"
    ' instruction. Answer with JSON only: {"correctness": <0-5>, "notes": "..."}'
)


def review(blueprint: Any, phraser: Any, llm: LLM | None) -> dict[str, Any]:
    """{"score", "reviewers", "notes"} for a blueprint."""
    reviewers = _reviewers(llm)
    if not reviewers:
        score, notes = rubric(blueprint)
        return {"score": score, "reviewers": ["offline-rubric"], "notes": notes}
    scores, notes = [], []
    for reviewer in reviewers:
        try:
            verdict = reviewer.json(_messages(blueprint))
            scores.append(float(verdict.get("correctness", 0)))
            notes.append(str(verdict.get("notes", "")))
        except (LLMError, TypeError, ValueError, AttributeError) as exc:
            scores.append(0.0)
            notes.append(f"{reviewer.model}: no verdict ({exc})")
    return {
        "score": round(mean(scores), 2),
        "reviewers": [r.model for r in reviewers],
        "notes": "; ".join(n for n in notes if n),
    }


def rubric(blueprint: Any) -> tuple[float, str]:
    """The offline score: 5 less one per flaw found."""
    flaws = []
    text = blueprint.instruction
    named = [
        a["name"]
        for a in blueprint.actions
        if re.search(rf"\b{re.escape(a['name'])}\b", text)
    ]
    if named:
        flaws.append(
            f"the instruction names operations: {', '.join(sorted(set(named)))}"
        )
    missing = [v for v in stated(blueprint.given) if v not in text]
    if missing:
        flaws.append(f"{len(missing)} supplied value(s) not stated")
    if not blueprint.outputs:
        flaws.append("nothing to report")
    names = [a["name"] for a in blueprint.actions]
    if any(
        a == b and x["arguments"] == y["arguments"]
        for a, b, x, y in zip(
            names, names[1:], blueprint.actions, blueprint.actions[1:]
        )
    ):
        flaws.append("a call repeated back to back")
    return float(max(0, 5 - len(flaws))), "; ".join(flaws) or "ok"


def _reviewers(llm: LLM | None) -> list[LLM]:
    if llm is None:
        return []
    extra = [m.strip() for m in os.environ.get("LLM_COMMITTEE_MODELS", "").split(",")]
    return [llm] + [replace(llm, model=m) for m in extra if m and m != llm.model]


def _messages(blueprint: Any) -> list[dict[str, str]]:
    calls = "\n".join(
        f"- {a['name']}({_short(a['arguments'])})" for a in blueprint.actions
    )
    outputs = ", ".join(f"{o['pointer']} = {o['value']!r}" for o in blueprint.outputs)
    return [
        {"role": "system", "content": PROMPT},
        {
            "role": "user",
            "content": f"Instruction:\n{blueprint.instruction}\n\nTool calls:\n{calls}"
            f"\n\nOutputs to report: {outputs or 'none'}",
        },
    ]


def _short(arguments: dict) -> str:
    text = ", ".join(f"{k}={v!r}" for k, v in sorted(arguments.items()))
    return text if len(text) < 400 else text[:400] + "..."
