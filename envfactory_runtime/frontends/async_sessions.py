"""Tool sessions and task episodes for asyncio code: trainers that run hundreds
of rollouts on one event loop.

A call runs the engine (pure Python, CPU-bound) in a worker thread, so the
loop keeps serving every other rollout while one call executes; each
session's calls still run one at a time, in order. `AsyncToolSession` is
`toolcalls.ToolSession` awaited; `AsyncTaskEnv` is the Gymnasium
environment's `reset`/`step` (same observations, rewards and info) awaited,
with no gymnasium needed.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

from ..environment import required_package
from .actions import fresh_state
from .episodes import MAX_STEPS, Episodes, as_ascii
from .toolcalls import Result, Toolbox, ToolSession


class AsyncToolSession:
    """One agent's task; `await session.call(name, arguments)`."""

    def __init__(self, session: ToolSession) -> None:
        self.session = session
        self._turn = asyncio.Lock()  # one call at a time, in the order awaited

    @classmethod
    def fresh(
        cls, toolbox: Toolbox, *, seed: int = 0, fixtures: int = 0
    ) -> "AsyncToolSession":
        """A session on a fresh task of `toolbox`'s sandbox."""
        return cls(ToolSession(toolbox, fresh_state(toolbox.engine, seed, fixtures)))

    async def call(self, name: str, arguments: Any) -> Result:
        async with self._turn:
            return await asyncio.to_thread(self.session.call, name, arguments)

    @property
    def state(self) -> Any:
        return self.session.state


class AsyncTaskEnv:
    """A package's task episodes as coroutines (see the module docstring)."""

    package: str | None = None  # a package's own subclass sets it

    def __init__(
        self,
        tasks: list[Any] | None = None,
        *,
        max_steps: int = MAX_STEPS,
        toolbox: Toolbox | None = None,
    ) -> None:
        package = toolbox.package if toolbox else required_package(self)
        self.episodes = Episodes(package, tasks, max_steps=max_steps, toolbox=toolbox)
        self.tools = self.episodes.tools
        self._turn = asyncio.Lock()

    async def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[str, dict[str, Any]]:
        given = (options or {}).get("task")
        draw = random.Random(seed).randrange
        async with self._turn:
            task = await asyncio.to_thread(self.episodes.pick, given, seed, draw)
            opening = await asyncio.to_thread(self.episodes.start, task)
        return as_ascii(opening), {"task": task.id, **opening}

    async def step(self, action: Any) -> tuple[str, float, bool, bool, dict[str, Any]]:
        async with self._turn:
            turn = await asyncio.to_thread(self.episodes.act, action)
        info: dict[str, Any] = {"status": turn.status}
        if turn.parts:
            info["reward_parts"] = turn.parts
        return turn.observation, turn.reward, turn.terminated, turn.truncated, info
