"""The quality figures of what this package generates (`quality.py`'s
measures), for sampled records, blueprints and rollouts alike.

A blueprint's record holds its instruction and actions but not the answers,
so it is replayed in its initial state to give each call the result the
assistant would see; sampled and rolled-out records carry their answers.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..frontends.actions import is_read
from .quality import Call, Conversation, QualityReport


def reads_of(engine: Any) -> set[str]:
    """The package's read-only operations (a repeated read wastes a turn)."""
    return {name for name in engine.operations if is_read(engine, name)}


def of_records(records: Iterable[dict], engine: Any) -> QualityReport:
    return QualityReport.of(list(records), reads=reads_of(engine))


def of_blueprints(blueprints: Iterable[Any], builder: Any) -> QualityReport:
    """Each blueprint's actions against its instruction, replayed for results."""
    functions = [tool["function"] for tool in builder.context.tools]
    conversations = []
    for blueprint in blueprints:
        _, results = builder.execute(blueprint.initial, blueprint.actions)
        calls = [
            Call(
                number + 1, r.name, r.arguments, {"status": r.status, "body": r.output}
            )
            for number, r in enumerate(results)
        ]
        conversations.append(
            Conversation(
                said=[(0, blueprint.instruction)],
                calls=calls,
                user_messages=[blueprint.instruction],
                assistant_texts=[],
                tools=functions,
            )
        )
    return QualityReport.of(conversations, reads=reads_of(builder.engine))
