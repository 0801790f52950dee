"""A bounded run of bench/agent_load.py: concurrent sessions over MCP streamable
HTTP and over the OpenEnv server, no errors and no leaks; and its checker's teeth."""

from __future__ import annotations

import sys

import pytest

from agent_helpers import PETSTORE, ROOT

sys.path.insert(0, str(ROOT / "bench"))
from agent_load import BASE_ID, _own, measure  # noqa: E402


@pytest.mark.parametrize("transport", ["mcp", "openenv"])
def test_concurrent_sessions_keep_to_their_own_tasks(transport, tmp_path) -> None:
    pytest.importorskip("mcp" if transport == "mcp" else "openenv")
    report = measure(PETSTORE, transport, 32, log=tmp_path / "server.log", budget=120)
    assert report.errors == [] and report.leaks == []
    assert len(report.latencies) == 32 * 3  # create, read back, list: each timed
    assert "errors 0, leaks 0" in report.line()


def test_the_leak_checker_sees_another_sessions_item() -> None:
    seeded = {1, 2}
    own = [{"id": 1}, {"id": 2}, {"id": BASE_ID + 5}]
    assert _own(5, own, seeded) is None
    foreign = own + [{"id": BASE_ID + 6}]
    assert (
        _own(5, foreign, seeded)
        == f"session 5 saw [{BASE_ID + 6}], made by other sessions"
    )
    assert _own(5, [{"id": 1}, {"id": 2}], seeded) == (
        f"session 5 lost its own item {BASE_ID + 5}"
    )
