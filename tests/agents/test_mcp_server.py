"""`python -m <package> mcp`: a real MCP server, driven by the SDK's own client over stdio."""

from __future__ import annotations

import json
import os
import sys

import anyio
import pytest

pytest.importorskip("mcp")
from mcp import ClientSession  # noqa: E402
from mcp.client.stdio import StdioServerParameters, stdio_client  # noqa: E402

from envfactory_runtime.frontends import mcp_server, toolcalls  # noqa: E402

from agent_helpers import PETSTORE, runtime, tools_json  # noqa: E402


def _server() -> StdioServerParameters:
    env = {
        "PYTHONPATH": os.pathsep.join([str(PETSTORE), os.environ.get("PYTHONPATH", "")])
    }
    return StdioServerParameters(
        command=sys.executable, args=["-m", "petstore_env", "mcp"], env=env
    )


def _answer(result) -> dict:
    return json.loads(result.content[0].text)


async def _session_script() -> dict:
    seen: dict = {}
    async with stdio_client(_server()) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            seen["tools"] = (await session.list_tools()).tools
            seen["create"] = await session.call_tool(
                "createPets", {"body": {"id": 7, "name": "Rex", "tag": "dog"}}
            )
            seen["read"] = await session.call_tool("showPetById", {"petId": "7"})
            seen["bad"] = await session.call_tool(
                "createPets", {"body": {"id": "seven", "name": "Rex"}}
            )
            seen["missing"] = await session.call_tool("createPets", {})
            seen["unknown"] = await session.call_tool("adoptPet", {"petId": "7"})
            seen["list"] = await session.call_tool("listPets", {})
            seen["snapshot"] = await session.call_tool("snapshot", {})
            await session.call_tool("reset", {})
            seen["after_reset"] = await session.call_tool("showPetById", {"petId": "7"})
    return seen


@pytest.fixture(scope="module")
def seen() -> dict:
    return anyio.run(_session_script)


def test_one_tool_per_operation_with_its_schema_plus_reset_and_snapshot(seen) -> None:
    tools = {tool.name: tool for tool in seen["tools"]}
    expected = {t["function"]["name"]: t["function"] for t in tools_json(PETSTORE)}
    assert set(tools) == set(expected) | {"reset", "snapshot"}
    for name, function in expected.items():
        assert tools[name].input_schema == function["parameters"]
        assert tools[name].description == function["description"]


def test_a_created_resource_reads_back(seen) -> None:
    assert not seen["create"].is_error
    assert _answer(seen["create"])["status"] == 201
    assert not seen["read"].is_error
    assert _answer(seen["read"]) == {
        "status": 200,
        "body": {"id": 7, "name": "Rex", "tag": "dog"},
    }
    assert _answer(seen["list"])["body"] == [{"id": 7, "name": "Rex", "tag": "dog"}]


def test_bad_arguments_are_tool_errors_that_change_nothing(seen) -> None:
    for key, fragment in (
        ("bad", "body/id: 'seven' is not of type 'integer'"),
        ("missing", "'body' is a required property"),
        ("unknown", "unknown tool 'adoptPet'"),
    ):
        result = seen[key]
        assert result.is_error, key
        assert _answer(result)["status"] == 400
        assert fragment in _answer(result)["body"]["detail"]
    snapshot = json.loads(seen["snapshot"].content[0].text)
    assert [item["key"] for item in snapshot["objects"]["pets"]] == [
        ["7"]
    ]  # the server lived on, one pet


def test_reset_starts_a_fresh_world(seen) -> None:
    assert seen["after_reset"].is_error
    assert _answer(seen["after_reset"])["status"] == 404


def test_every_session_has_its_own_task() -> None:
    runtime(PETSTORE)
    sandbox = mcp_server.McpSandbox(toolcalls.Toolbox("petstore_env"))
    text, failed = sandbox.call("a", "createPets", {"body": {"id": 1, "name": "Ada"}})
    assert not failed
    assert sandbox.call("a", "showPetById", {"petId": "1"})[1] is False
    assert (
        sandbox.call("b", "showPetById", {"petId": "1"})[1] is True
    )  # 404 in b's world


def test_streamable_http_gives_every_session_its_own_task() -> None:
    import socket
    import subprocess
    import time

    from mcp.client.streamable_http import streamable_http_client

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    params = _server()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "petstore_env",
            "mcp",
            "--transport",
            "http",
            "--port",
            str(port),
        ],
        env={**os.environ, **params.env},
    )

    async def session(create: bool) -> dict:
        async with streamable_http_client(f"http://127.0.0.1:{port}/mcp") as streams:
            async with ClientSession(streams[0], streams[1]) as client:
                await client.initialize()
                if create:
                    await client.call_tool(
                        "createPets", {"body": {"id": 1, "name": "Ada"}}
                    )
                return _answer(await client.call_tool("showPetById", {"petId": "1"}))

    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        assert anyio.run(session, True)["status"] == 200
        assert anyio.run(session, False)["status"] == 404
    finally:
        server.terminate()
        server.wait(timeout=10)
