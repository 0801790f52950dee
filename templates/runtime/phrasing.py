"""How a task is said: instructions from the spec's summaries, or by an LLM.

Offline, an instruction is built from templates: one sentence per action
(the first sentence of the operation's summary/description, as the
sampler's datasets say it) with the values the user supplies, then what to
report. The simulated user's opening message states the goal without the
values (they are revealed when the assistant asks). With an LLM configured
the template is rephrased, and the rephrasing is kept only if every value
the user supplies still appears in it.
"""

from __future__ import annotations

import json
from typing import Any

from .datasets import DatasetContext, _sentence
from .llm import LLM, LLMError
from .policies import scalars

MAX_VALUE_CHARS = 60  # longer values are not required to survive LLM rephrasing


class Phraser:
    """Instructions, goals and output descriptions for one package."""

    def __init__(self, context: DatasetContext, llm: LLM | None = None) -> None:
        self.context = context
        self.llm = llm

    def action(self, name: str) -> str:
        """What an operation achieves, as a clause ("add a new pet to the store")."""
        text = _sentence(self.context.descriptions.get(name, "")).rstrip(".")
        if text == "Call the next tool":
            text = f"Call {name}"
        return text[:1].lower() + text[1:]

    def wanted(self, outputs: list[dict], actions: list[dict]) -> str:
        """What the user wants reported ("the status and id returned by ...")."""
        if not outputs:
            return ""
        named = []
        for output in outputs:
            field = output["pointer"].strip("/").replace("/", " ") or "result"
            named.append(
                f"the {field} from '{self.action(actions[output['step']]['name'])}'"
            )
        return "Finally, tell me " + _join(named, " and ") + "."

    def goal(self, actions: list[dict], outputs: list[dict]) -> str:
        """The opening message: the steps without their values."""
        steps = _join([self.action(a["name"]) for a in actions])
        wanted = self.wanted(outputs, actions)
        return f"Hi! Using the {self.context.title} API, I need to {steps}. {wanted}".strip()

    def instruction(
        self, actions: list[dict], facts: list[dict], outputs: list[dict]
    ) -> str:
        """The whole task: every step with the values the user gives."""
        lines = []
        for number, (action, fact) in enumerate(zip(actions, facts), 1):
            values = fact["values"]
            detail = f" with {_values(values)}" if values else ""
            lines.append(f"{number}. {_capital(self.action(action['name']))}{detail}.")
        wanted = self.wanted(outputs, actions)
        text = f"Using the {self.context.title} API, do the following in order:\n"
        text += "\n".join(lines)
        text = text + ("\n" + wanted if wanted else "")
        return self._rephrase(text, facts) if self.llm else text

    def reveal(self, fact: dict, name: str) -> str:
        """The user's answer when asked about one step."""
        if not fact["values"]:
            return f"For '{self.action(name)}' there is nothing else to give you."
        return f"For '{self.action(name)}', use {_values(fact['values'])}."

    def _rephrase(self, text: str, facts: list[dict]) -> str:
        prompt = [
            {
                "role": "system",
                "content": "Rewrite the task as a user would ask for it. Keep every"
                " value exactly as written (JSON values verbatim). Answer with the"
                " rewritten task only.",
            },
            {"role": "user", "content": text},
        ]
        try:
            phrased = (self.llm.chat(prompt).get("content") or "").strip()
        except LLMError:
            return text
        needed = [
            v for f in facts for v in scalars(f["values"]) if len(v) <= MAX_VALUE_CHARS
        ]
        return phrased if phrased and all(v in phrased for v in needed) else text


def _values(values: dict[str, Any]) -> str:
    return ", ".join(
        f"{name} = {json.dumps(value, ensure_ascii=False, sort_keys=True)}"
        for name, value in sorted(values.items())
    )


def _join(parts: list[str], last: str = " and then ") -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + last + parts[-1]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
