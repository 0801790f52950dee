"""AgentFlow's evaluation metrics, for rollout answers and QA pairs.

`score(metric, prediction, answers)` compares a predicted answer with the
gold answers (a QA pair has one; a rollout has one per expected output):

- `exact_match`: the normalised prediction equals a gold answer (or all of
  them joined);
- `f1_score`: token F1 against the gold answers joined;
- `contains_answer`: the share of gold answers found in the prediction;
- `numeric_match`: the share of numeric gold answers whose number appears
  in the prediction (relative tolerance 1e-6);
- `similarity`: difflib's ratio of the normalised texts;
- `llm_judgement`: an LLM grades the prediction 0-1 (None offline).

Normalisation lowercases and drops punctuation, articles and extra spaces
(SQuAD's). `Evaluator.evaluate` averages every metric over records.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from difflib import SequenceMatcher
from typing import Any, Callable

from ..llm import LLM, LLMError

METRICS = (
    "exact_match",
    "f1_score",
    "contains_answer",
    "numeric_match",
    "similarity",
    "llm_judgement",
)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def normalize(text: str) -> str:
    text = "".join(c for c in str(text).lower() if c not in string.punctuation)
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def exact_match(prediction: str, answers: list[str]) -> float:
    wanted = {normalize(a) for a in answers} | {normalize(" ".join(answers))}
    return float(normalize(prediction) in wanted)


def f1_score(prediction: str, answers: list[str]) -> float:
    predicted = normalize(prediction).split()
    gold = normalize(" ".join(answers)).split()
    common = sum((Counter(predicted) & Counter(gold)).values())
    if not predicted or not gold or not common:
        return float(predicted == gold)
    precision, recall = common / len(predicted), common / len(gold)
    return round(2 * precision * recall / (precision + recall), 4)


def contains_answer(prediction: str, answers: list[str]) -> float:
    if not answers:
        return 1.0
    text = normalize(prediction)
    return round(sum(normalize(a) in text for a in answers) / len(answers), 4)


def numeric_match(prediction: str, answers: list[str]) -> float:
    numbers = [float(n) for n in _NUMBER.findall(prediction)]
    gold = [float(a) for a in answers if _NUMBER.fullmatch(str(a).strip())]
    if not gold:
        return contains_answer(prediction, answers)
    found = sum(
        any(abs(n - g) <= 1e-6 * max(1.0, abs(g)) for n in numbers) for g in gold
    )
    return round(found / len(gold), 4)


def similarity(prediction: str, answers: list[str]) -> float:
    ratio = SequenceMatcher(None, normalize(prediction), normalize(" ".join(answers)))
    return round(ratio.ratio(), 4)


def llm_judgement(
    prediction: str, answers: list[str], *, llm: LLM | None = None, question: str = ""
) -> float | None:
    """An LLM's grade (0 or 1, or a fraction); None when no LLM is configured."""
    if llm is None:
        return None
    prompt = [
        {
            "role": "system",
            "content": "You are a strict grader. Decide whether the response states"
            ' the gold answer(s). Answer with JSON only: {"score": 0 or 1}.',
        },
        {
            "role": "user",
            "content": f"Question: {question or '(see gold)'}\nGold: {answers}\n"
            f"Response: {prediction}",
        },
    ]
    try:
        return float(llm.json(prompt).get("score", 0))
    except (LLMError, TypeError, ValueError, AttributeError):
        return 0.0


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "exact_match": exact_match,
    "f1_score": f1_score,
    "contains_answer": contains_answer,
    "numeric_match": numeric_match,
    "similarity": similarity,
}


def score(
    metric: str,
    prediction: str,
    answers: list[str],
    *,
    llm: LLM | None = None,
    question: str = "",
) -> float | None:
    if metric == "llm_judgement":
        return llm_judgement(prediction, answers, llm=llm, question=question)
    return FUNCTIONS[metric](prediction, answers)


class Evaluator:
    """Scores records `{"prediction", "answers", "question"?}` with metrics."""

    def __init__(self, metrics: tuple[str, ...] = METRICS, llm: LLM | None = None):
        unknown = set(metrics) - set(METRICS)
        if unknown:
            raise ValueError(f"unknown metric(s): {', '.join(sorted(unknown))}")
        self.metrics = metrics
        self.llm = llm

    def scores(self, record: dict[str, Any]) -> dict[str, float | None]:
        return {
            m: score(
                m,
                record["prediction"],
                record["answers"],
                llm=self.llm,
                question=record.get("question", ""),
            )
            for m in self.metrics
        }

    def evaluate(self, records: list[dict[str, Any]]) -> dict[str, Any]:
        """Per-record scores and each metric's mean (None where unavailable)."""
        rows = [self.scores(r) for r in records]
        means: dict[str, float | None] = {}
        for metric in self.metrics:
            values = [row[metric] for row in rows if row[metric] is not None]
            means[metric] = round(sum(values) / len(values), 4) if values else None
        return {"count": len(rows), "means": means, "scores": rows}


def from_rollout(record: dict[str, Any]) -> dict[str, Any]:
    """The evaluator's view of a rollout record (OpenAI or ShareGPT)."""
    meta = record["metadata"]
    return {"prediction": meta["answer"], "answers": meta["expected_outputs"]}
