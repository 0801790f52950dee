"""The asyncio API: many episodes on one event loop, none blocking it, each
isolated, with the Gymnasium environment's observations and rewards."""

from __future__ import annotations

import asyncio

from envfactory_runtime.frontends.async_sessions import AsyncToolSession
from envfactory_runtime.frontends.toolcalls import Toolbox

from agent_helpers import PETSTORE, blueprints, runtime


def test_concurrent_episodes_earn_what_the_gym_env_does() -> None:
    package = runtime(PETSTORE)
    tasks = blueprints(PETSTORE, 4)

    async def episode(env, task, answer: str, act: bool) -> float:
        await env.reset(options={"task": task})
        for action in task.actions if act else ():
            await env.step({"name": action["name"], "arguments": action["arguments"]})
        finish = {"name": env.episodes.finish, "arguments": {"answer": answer}}
        return (await env.step(finish))[1]

    async def run() -> list[float]:
        envs = [package.AsyncTaskEnv() for _ in range(16)]
        told = ["Done: " + ", ".join(str(o["value"]) for o in t.outputs) for t in tasks]
        return await asyncio.gather(
            *(
                episode(env, tasks[i % 4], told[i % 4], act=bool(i % 2))
                for i, env in enumerate(envs)
            )
        )

    rewards = asyncio.run(run())
    assert rewards == [0.0, 1.0] * 8  # doing the task earns 1, doing nothing 0


def test_calls_leave_the_event_loop_free_and_sessions_apart() -> None:
    runtime(PETSTORE)
    toolbox = Toolbox("petstore_env")

    async def run() -> tuple[int, list]:
        ticks, in_flight = 0, 0
        done = asyncio.Event()

        async def ticker() -> None:  # counts the loop's turns while a call runs
            nonlocal ticks
            while not done.is_set():
                ticks += in_flight > 0
                await asyncio.sleep(0)

        async def call(session, name: str, arguments: dict):
            nonlocal in_flight
            in_flight += 1  # a blocking call would finish before the ticker ran
            try:
                return await session.call(name, arguments)
            finally:
                in_flight -= 1

        async def agent(i: int) -> list:
            session = AsyncToolSession.fresh(toolbox)
            pet = {"id": 1000 + i, "name": f"pet{i}"}
            made = await call(session, "createPets", {"body": pet})
            assert made.status == 201
            listed = await call(session, "listPets", {})
            return sorted(p["id"] for p in listed.output)

        tick = asyncio.create_task(ticker())
        seen = await asyncio.gather(*(agent(i) for i in range(32)))
        done.set()
        await tick
        return ticks, seen

    ticks, seen = asyncio.run(run())
    assert seen == [[1000 + i] for i in range(32)]  # each saw only its own pet
    assert ticks > 0  # the loop turned while calls ran in threads
