"""A package's sandbox as an OpenEnv environment: `python -m <package> openenv`.

openenv-core's server protocol (`reset`, `step`, `state`; over WebSocket one
session per client, each with its own task), so OpenEnv's own client
(`GenericEnvClient`) and the trainers built on it (TRL, torchforge) drive it.
Every session is an `episodes.Episodes` over one shared toolbox:

- `reset(seed=..., task=<blueprint record or plain task>)` starts the task
  (without one: one of the server's `tasks` picked by `seed`, or one generated
  with `seed`); the observation's `text` is the instruction and the tools.
- `step({"name": tool, "arguments": {...}})` runs one call; `finish` ends the
  episode with reward 1 or 0, and its parts in `reward_parts` (state, changes,
  outputs, the share of the blueprint's actions made, steps).
- `state` is the episode id, step count, task id and the world's state hash.

`pip install '<package>[openenv]'` brings openenv-core.
"""

from __future__ import annotations

import random
import uuid
from typing import Any

from openenv.core.env_server import (
    Action,
    Environment,
    Observation,
    State,
    create_fastapi_app,
)
from pydantic import Field

from ..sandbox.diffs import state_hash
from .episodes import MAX_STEPS, Episodes, as_ascii
from .toolcalls import Toolbox

MAX_SESSIONS = 1024


class ToolAction(Action):
    """One tool call (or `finish`): the tool's name and its JSON arguments."""

    name: str = Field(description="a tool of the package, or finish")
    arguments: dict[str, Any] = Field(default_factory=dict)


class TaskObservation(Observation):
    """The opening (instruction and tools) or a tool's answer, as ASCII JSON."""

    text: str = ""
    status: int = 200
    # on `finish`: state (final hash matched), changes, outputs (all reported), actions, steps
    reward_parts: dict[str, Any] = Field(default_factory=dict)


class SandboxEnvironment(Environment[ToolAction, TaskObservation, State]):
    """One session's tasks, one episode at a time (see the module docstring)."""

    SUPPORTS_CONCURRENT_SESSIONS = True  # each session its own task state

    def __init__(
        self,
        toolbox: Toolbox,
        tasks: list[Any] | None = None,
        *,
        max_steps: int = MAX_STEPS,
    ) -> None:
        super().__init__()
        self.episodes = Episodes(
            toolbox.package, tasks, max_steps=max_steps, toolbox=toolbox
        )
        self._state = State()

    def reset(
        self,
        seed: int | None = None,
        episode_id: str | None = None,
        task: Any = None,
        **kwargs: Any,
    ) -> TaskObservation:
        chosen = self.episodes.pick(task, seed, random.Random(seed).randrange)
        opening = self.episodes.start(chosen)
        self._state = State(
            episode_id=episode_id or uuid.uuid4().hex, step_count=0, task=chosen.id
        )
        return TaskObservation(
            text=as_ascii(opening), reward=0.0, metadata={"task": chosen.id}
        )

    def step(
        self, action: ToolAction, timeout_s: float | None = None, **kwargs: Any
    ) -> TaskObservation:
        turn = self.episodes.act({"name": action.name, "arguments": action.arguments})
        self._state.step_count += 1
        return TaskObservation(
            text=turn.observation,
            status=turn.status,
            reward=turn.reward,
            done=turn.terminated or turn.truncated,
            reward_parts=turn.parts,
        )

    @property
    def state(self) -> State:
        session = self.episodes.session
        if session is not None:
            self._state.state_hash = state_hash(session.state)
        return self._state


def openenv_app(
    package: str,
    tasks: list[Any] | None = None,
    *,
    max_sessions: int = MAX_SESSIONS,
    seed: int = 0,
) -> Any:
    """The FastAPI app serving `package` to OpenEnv clients."""
    from ..sandbox.app import load_sandbox

    toolbox = Toolbox(package, load_sandbox(package, seed=seed))
    app = create_fastapi_app(
        lambda: SandboxEnvironment(toolbox, tasks),
        ToolAction,
        TaskObservation,
        max_concurrent_envs=max_sessions,
    )
    return _quiet_disconnects(app)


def _quiet_disconnects(app: Any) -> Any:
    """A client that leaves is not a server error: openenv-core closes the
    socket again after the client has, and uvicorn would log a traceback."""
    from starlette.websockets import WebSocketDisconnect

    async def served(scope: dict, receive: Any, send: Any) -> None:
        try:
            await app(scope, receive, send)
        except WebSocketDisconnect:
            if scope["type"] != "websocket":
                raise

    return served


def serve(
    package: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    max_sessions: int = MAX_SESSIONS,
    tasks: list[Any] | None = None,
) -> None:
    """Serve in the foreground (the `openenv` command) until interrupted."""
    import uvicorn

    from ..sandbox.server import uvicorn_config

    app = openenv_app(package, tasks, max_sessions=max_sessions)
    uvicorn.Server(uvicorn_config(app, host=host, port=port)).run()
