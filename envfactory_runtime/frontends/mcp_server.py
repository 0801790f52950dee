"""The sandbox as an MCP server: `python -m <package> mcp [--transport stdio|http]`.

Built on the official `mcp` SDK's low-level `Server` (`pip install
'<package>[mcp]'`): one tool per operation (name, description and input
schema from `tools.json`: the parameters by name, the body under `body`)
plus `reset` and `snapshot` (prefixed `envc_` where an operation already
has the name). Every MCP session has a task of its own (over stdio the
process serves one client; over streamable HTTP tasks are keyed by the
`Mcp-Session-Id` header). Calls go through `toolcalls.ToolSession`, so a
bad argument or a failing call comes back as a tool error (`isError`,
with the status and problem as the text), never as a crashed server.
"""

from __future__ import annotations

import json
from typing import Any

from .toolcalls import Toolbox, ToolSession, answer

SESSION_HEADER = "mcp-session-id"
_RESET_SCHEMA = {
    "type": "object",
    "properties": {
        "seed": {"type": "integer", "description": "seed of the new world (0)"},
        "fixtures": {
            "type": "integer",
            "minimum": 0,
            "description": "seeded items per resource (the server's --fixtures)",
        },
    },
}


class McpSandbox:
    """The tools of one package and the task of every MCP session."""

    def __init__(self, toolbox: Toolbox, *, seed: int = 0, fixtures: int = 0) -> None:
        self.toolbox = toolbox
        self.seed = seed
        self.fixtures = fixtures
        self.reset_name = toolbox.reserved("reset")
        self.snapshot_name = toolbox.reserved("snapshot")
        self.sessions: dict[str, ToolSession] = {}

    def tools(self) -> list[Any]:
        from mcp import types

        tools = [
            types.Tool(
                name=t["function"]["name"],
                description=t["function"].get("description") or None,
                input_schema=t["function"]["parameters"],
            )
            for t in self.toolbox.tools
        ]
        tools.append(
            types.Tool(
                name=self.reset_name,
                description="Start this session's task again from a fresh world.",
                input_schema=_RESET_SCHEMA,
            )
        )
        tools.append(
            types.Tool(
                name=self.snapshot_name,
                description="The task's state: every item by resource, and the id counter.",
                input_schema={"type": "object", "properties": {}},
            )
        )
        return tools

    def session(self, key: str) -> ToolSession:
        if key not in self.sessions:
            self.sessions[key] = self.toolbox.session(
                seed=self.seed, fixtures=self.fixtures
            )
        return self.sessions[key]

    def call(self, key: str, name: str, arguments: dict[str, Any]) -> tuple[str, bool]:
        """A call's text answer and whether it is an error."""
        session = self.session(key)
        if name == self.reset_name:
            session.reset(
                seed=arguments.get("seed", self.seed),
                fixtures=arguments.get("fixtures", self.fixtures),
            )
            return json.dumps({"reset": True}), False
        if name == self.snapshot_name:
            return json.dumps(session.snapshot(), sort_keys=True), False
        result = session.call(name, arguments)
        return answer(result), not result.ok

    def server(self) -> Any:
        """The SDK's low-level `Server` wired to this sandbox."""
        from mcp import types
        from mcp.server.lowlevel import Server

        async def list_tools(ctx: Any, params: Any) -> Any:
            return types.ListToolsResult(tools=self.tools())

        async def call_tool(ctx: Any, params: Any) -> Any:
            try:
                text, failed = self.call(
                    _session_key(ctx), params.name, dict(params.arguments or {})
                )
            except Exception as exc:  # a tool error, never a crashed server
                text, failed = f"{type(exc).__name__}: {exc}", True
            return types.CallToolResult(
                content=[types.TextContent(type="text", text=text)], is_error=failed
            )

        return Server(
            self.toolbox.package,
            instructions=f"Tools of the {self.toolbox.package} sandbox; each session has its own task.",
            on_list_tools=list_tools,
            on_call_tool=call_tool,
        )


def _session_key(ctx: Any) -> str:
    request = getattr(ctx, "request", None)
    headers = getattr(request, "headers", None)
    return (headers.get(SESSION_HEADER) if headers is not None else None) or "stdio"


def serve(
    package: str,
    *,
    transport: str = "stdio",
    host: str = "127.0.0.1",
    port: int = 8000,
    seed: int = 0,
    fixtures: int = 0,
) -> None:
    """Serve the package's tools over stdio or streamable HTTP (path `/mcp`)."""
    import anyio

    sandbox = McpSandbox(Toolbox(package), seed=seed, fixtures=fixtures)
    server = sandbox.server()
    if transport == "http":
        import uvicorn

        app = server.streamable_http_app(host=host)
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    from mcp.server.stdio import stdio_server

    async def run() -> None:
        async with stdio_server() as (read, write):
            await server.run(read, write, server.create_initialization_options())

    anyio.run(run)
