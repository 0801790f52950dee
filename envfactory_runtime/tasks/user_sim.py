"""`HumanDriver`: the simulated user of a natural rollout.

The user knows the whole task (the blueprint's instruction and the values
of every step) but opens with the goal only, and reveals a step's values
when the assistant asks for them, no sooner. Once the assistant's message
holds every expected output the user thanks it and ends the conversation
(`###STOP###`). With an LLM configured (`LLM_USER_MODEL`, else `LLM_MODEL`)
the user speaks through it, in the blueprint's persona, under the same
rules; offline, fixed rules decide what to reveal.
"""

from __future__ import annotations

import re

from typing import Any

from ..llm import LLM, LLMError
from .phrasing import moves_of
from .wording import spoken_values

STOP = "###STOP###"
MAX_NUDGES = 2  # times the user asks again for missing outputs before giving up


class HumanDriver:
    """One simulated user for one blueprint."""

    def __init__(self, blueprint: Any, phraser: Any, llm: LLM | None = None) -> None:
        self.blueprint = blueprint
        self.phraser = phraser
        self.llm = llm
        self.revealed: set[int] = set()
        self.done = False
        self._nudges = 0

    def opening(self) -> str:
        return self.blueprint.user["goal"]

    def reply(self, assistant_text: str, history: list[dict]) -> str:
        """The user's answer to the assistant's last message; sets `done`."""
        if outputs_in(self.blueprint.outputs, assistant_text):
            self.done = True
            return f"Thank you, that's everything. {STOP}"
        if self.llm is not None:
            return self._spoken(history)
        if "?" in assistant_text:
            return self._reveal(assistant_text)
        self._nudges += 1
        if self._nudges > MAX_NUDGES:
            self.done = True
            return f"Never mind. {STOP}"
        moves = moves_of(self.blueprint.user["facts"])
        wanted = self.phraser.wanted(self.blueprint.outputs, moves)
        ask = f" I still need {wanted}." if wanted else ""
        return f"Please go on with my request.{ask}"

    def _reveal(self, question: str) -> str:
        """The values of the steps the question is about (else the next step)."""
        facts = self.blueprint.user["facts"]
        asked = [
            n
            for n, fact in enumerate(facts)
            if n not in self.revealed and _mentions(question, fact, self.phraser)
        ]
        moves = moves_of(facts)
        pending = [  # the next step that needs something from the user
            n
            for n in range(len(facts))
            if n not in self.revealed and self.phraser.asks(moves[n])
        ]
        chosen = asked or pending[:1]
        if not chosen:
            return "I have told you everything I know; please go ahead."
        self.revealed.update(chosen)
        return " ".join(self.phraser.reveal(moves[n]) for n in chosen)

    def _spoken(self, history: list[dict]) -> str:
        system = (
            f"You are {self.blueprint.user['persona']}, talking to an assistant that"
            f" operates an API for you. Your task:\n{self.blueprint.instruction}\n"
            "Reveal a value only when the assistant asks for it, exactly as written"
            f" in the task. When the task is done and you were told the results,"
            f" say {STOP}."
        )
        flipped = [{"role": "system", "content": system}]
        for message in history:
            if message["role"] == "assistant" and message.get("content"):
                flipped.append({"role": "user", "content": message["content"]})
            elif message["role"] == "user":
                flipped.append({"role": "assistant", "content": message["content"]})
        try:
            text = (self.llm.chat(flipped).get("content") or "").strip()
        except LLMError:
            text = STOP
        self.done = STOP in text
        return text or STOP


def outputs_in(outputs: list[dict], text: str) -> bool:
    """Whether every expected output's value appears in `text`."""
    return bool(text) and all(said(o["value"], text) for o in outputs)


def said(value: Any, text: str) -> bool:
    """Whether `value` appears in `text` as a value of its own, not inside a
    longer one: the new item's ID 1 is not said by "2021" or "pet_12"."""
    return re.search(rf"(?<!\w){re.escape(str(value))}(?!\w)", text) is not None


def _mentions(question: str, fact: dict, phraser: Any) -> bool:
    lowered = question.lower()
    if (
        phraser.action(fact["step"]).lower() in lowered
        or fact["step"].lower() in lowered
    ):
        return True
    return any(field.lower() in lowered for field, _ in spoken_values(fact["values"]))
