"""QA synthesis (AgentFlow stage 3): multi-hop questions from selected trajectories.

A blueprint (itself a selected, verified trajectory) yields a question when
one of its steps used an id that an earlier step's answer produced (the
chain) and reports a value no earlier step showed and the user never gave:
the answer can only be found by walking the chain. The latest such step
ends the question, which states the steps up to it with the values the user
supplies (the instruction less its closing request) and asks for that
value; `hops` is the chain's length.
With an LLM configured the question is rephrased, kept only if every
supplied value survives (as instructions are).
"""

from __future__ import annotations

from typing import Any

from .outputs import choose_outputs
from .phrasing import moves_of
from .policies import id_arguments, scalars, text


def synthesize(blueprints: list[Any], builder: Any) -> list[dict[str, Any]]:
    """One QA pair per blueprint that has a multi-hop answer."""
    pairs = []
    for blueprint in blueprints:
        pair = qa_pair(blueprint, builder)
        if pair is not None:
            pairs.append(pair)
    return pairs


def qa_pair(blueprint: Any, builder: Any) -> dict[str, Any] | None:
    """The question about the latest step that ends a chain of two or more
    hops and reports a value nothing before it showed (the blueprint's steps
    up to that one make the question)."""
    _, results = builder.execute(blueprint.initial, blueprint.actions)
    if not all(r.ok for r in results):
        return None
    for end in range(len(results), 1, -1):
        pair = _question(blueprint, builder, results[:end])
        if pair is not None:
            return pair
    return None


def _question(blueprint: Any, builder: Any, results: list) -> dict[str, Any] | None:
    hops = chain(builder, results)
    if hops < 2:
        return None
    seen = set(blueprint.given)
    for result in results[:-1]:
        seen.update(scalars(result.output))
    answer = next(
        (
            o
            for o in choose_outputs([results[-1].output], limit=100)
            if str(o["value"]) not in seen
        ),
        None,
    )
    if answer is None:
        return None
    steps = len(results)
    moves = moves_of(blueprint.user["facts"][:steps])
    instruction = builder.phraser.instruction(moves, [], blueprint.id)
    wanted = builder.phraser.wanted([{**answer, "step": steps - 1}], moves)
    question = f"{instruction} After that, what is {wanted}?"
    return {
        "question": question,
        "answer": str(answer["value"]),
        "hops": hops,
        "operations": [a["name"] for a in blueprint.actions[:steps]],
        "blueprint": blueprint.id,
        "metadata": blueprint.metadata,
    }


def chain(builder: Any, results: list) -> int:
    """Steps in the longest chain ending at the last step, where each step
    uses an id (see `policies.id_arguments`) an earlier step's answer held."""
    lengths: list[int] = []
    for number, result in enumerate(results):
        ids = {
            text(v)
            for v in id_arguments(
                builder.engine, builder.dag, result.name, result.arguments
            ).values()
        }
        feeding = [
            lengths[j] for j in range(number) if ids & set(scalars(results[j].output))
        ]
        lengths.append(1 + max(feeding, default=0))
    return lengths[-1] if lengths else 0
