"""The data as a researcher reads it: `envc sample`, `blueprints` and natural
rollouts on packages in generated/, measured with the package's own
`quality` figures (grounded values, artifacts, shapes, connected steps,
repeated reads, server-owned fields) and read record by record."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sampling_helpers import GENERATED, records
from envfactory_compiler.cli import main as envc

PACKAGES = ("swagger_petstore_v3_env", "netlify_env", "link_example_env")


def run(*args: str) -> str:
    result = CliRunner().invoke(envc, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def quality(package: str, path: Path) -> dict:
    return json.loads(
        run("quality", str(path), "--package", str(GENERATED / package), "--json")
    )


@pytest.fixture(scope="module", params=PACKAGES)
def sampled(request, tmp_path_factory) -> tuple[str, Path, str]:
    out = tmp_path_factory.mktemp(request.param) / "sample.jsonl"
    summary = run(
        "sample",
        str(GENERATED / request.param),
        "-n",
        "120",
        "--seed",
        "3",
        "--fixtures",
        "1",
        "-o",
        str(out),
    )
    return request.param, out, summary


def test_sampled_records_meet_the_quality_floors(sampled) -> None:
    package, path, summary = sampled
    figures = quality(package, path)
    assert figures["grounded_values"]["share"] == 1.0, figures["grounded_values"]
    assert figures["artifacts"]["messages"] == 0, figures["artifacts"]
    assert figures["user_message_shapes"]["share"] >= 0.5
    assert figures["connected_steps"]["share"] >= 0.9
    assert figures["repeated_reads"]["share"] <= 0.005
    assert figures["server_owned_fields"]["count"] == 0
    assert figures["off_type_arguments"]["count"] == 0, figures["off_type_arguments"]
    assert figures["missing_required_fields"]["count"] == 0
    assert "quality: 100.0% grounded values" in summary  # the summary says it too


def test_a_record_offers_a_prompts_worth_of_tools(sampled, tmp_path) -> None:
    """netlify's 108 tools are more than a record offers (32 by default): its
    own, its resources' reads and lists, and others drawn; `--max-tools 0`
    offers every one."""
    package, path, _ = sampled
    every = json.loads((GENERATED / package / package / "tools.json").read_text())
    names = [t["function"]["name"] for t in every["tools"]]
    table = json.loads((GENERATED / package / package / "operations.json").read_text())
    ops = table["operations"]
    for row in records(path):
        offered = [t["function"]["name"] for t in row["tools"]]
        assert len(offered) == min(32, len(names)), package
        assert offered == [n for n in names if n in offered]  # the package's order
        used = {
            c["function"]["name"]
            for m in row["messages"]
            for c in m.get("tool_calls") or []
        }
        assert used <= set(offered)
        touched = {ops[n].get("resource") for n in used} - {None}
        reads = {
            name
            for name, op in ops.items()
            if op.get("resource") in touched and op["role"] in ("read", "list")
        }
        assert reads <= set(offered) or len(used | reads) > 32
    if len(names) <= 32:
        return
    out = tmp_path / "all.jsonl"
    run(
        "sample",
        str(GENERATED / package),
        "-n",
        "5",
        "--max-tools",
        "0",
        "-o",
        str(out),
    )
    assert all(len(row["tools"]) == len(names) for row in records(out))


def test_user_messages_state_goals_not_operations(sampled) -> None:
    package, path, _ = sampled
    for row in records(path):
        names = {t["function"]["name"] for t in row["tools"]}
        user = row["messages"][1]["content"]
        assert not re.search(r"\b(get|post|put|patch|delete)\s+/", user, re.I), user
        assert "{" not in user and "please do the following" not in user.lower()
        assert not any(
            re.search(rf"\b{re.escape(n)}\b", user) for n in names if not n.islower()
        ), user
        final = row["messages"][-1]["content"]
        assert final and not re.search(
            r"\(\d{3}\)", final
        ), final  # no "listPets (200)" roll call


def test_an_array_of_items_says_its_item_and_is_answered_with_it(sampled) -> None:
    """`createUsersWithListInput [{...}]`: the one item carries what the user
    says (never `[{}]`), and the user it answers is that one."""
    package, path, _ = sampled
    calls = [
        (json.loads(call["function"]["arguments"])["body"], json.loads(answer))
        for row in records(path)
        for call, answer in _answered_calls(row)
        if call["function"]["name"] == "createUsersWithListInput"
    ]
    assert calls or package != "swagger_petstore_v3_env"
    for body, answer in calls:
        assert body and all(body[0].values()), body
        assert body[0].items() <= answer["body"].items(), (body, answer)


def _answered_calls(row: dict):
    """Each tool call of a record with the tool message that answered it."""
    answers = {
        m["tool_call_id"]: m["content"] for m in row["messages"] if m["role"] == "tool"
    }
    for message in row["messages"]:
        for call in message.get("tool_calls") or ():
            yield call, answers[call["id"]]


def test_request_bodies_are_minimal_and_never_set_server_fields(sampled) -> None:
    package, path, _ = sampled
    for row in records(path):
        tools = {
            t["function"]["name"]: t["function"]["parameters"] for t in row["tools"]
        }
        answered = ""  # what earlier calls returned: the ids a body may carry
        for message in row["messages"]:
            answered += message["content"] if message["role"] == "tool" else ""
            for call in message.get("tool_calls") or ():
                body = json.loads(call["function"]["arguments"]).get("body")
                schema = tools[call["function"]["name"]]["properties"].get("body", {})
                if not isinstance(body, dict) or "properties" not in schema:
                    continue
                said = {
                    k
                    for k in set(body) - set(schema.get("required", ()))
                    if json.dumps(body[k]) not in answered
                }
                assert len(said) <= 2, (call, said)  # the fields the task is about
                assert not {"created_at", "updated_at", "createdAt", "updatedAt"} & set(
                    body
                )


def test_blueprints_and_natural_rollouts_are_grounded(tmp_path) -> None:
    package = str(GENERATED / "swagger_petstore_v3_env")
    blueprints, rollouts = tmp_path / "bp.jsonl", tmp_path / "ro.jsonl"
    run("blueprints", package, "-n", "12", "--seed", "1", "-o", str(blueprints))
    run(
        "rollout",
        package,
        "--in",
        str(blueprints),
        "--agent",
        "natural",
        "-o",
        str(rollouts),
    )
    for path in (blueprints, rollouts):
        figures = quality("swagger_petstore_v3_env", path)
        assert figures["grounded_values"]["share"] == 1.0, figures["grounded_values"]
        assert figures["artifacts"]["messages"] == 0
    for row in records(rollouts):
        users = [m["content"] for m in row["messages"] if m["role"] == "user"]
        assert all("{" not in text for text in users)  # values in words, never JSON
    for row in records(blueprints):
        assert (
            row["user"]["goal"]
            and row["instruction"] != row["user"]["goal"]
            or not any(f["values"] for f in row["user"]["facts"])
        )


def test_phrasing_reads_as_english_without_summaries(tmp_path) -> None:
    """netlify's operations have no summaries: the words come from roles and resources."""
    out = tmp_path / "n.jsonl"
    run(
        "sample",
        str(GENERATED / "netlify_env"),
        "-n",
        "40",
        "--seed",
        "0",
        "--fixtures",
        "1",
        "-o",
        str(out),
    )
    for row in records(out):
        user = row["messages"][1]["content"]
        assert not re.search(r"\b[a-z](OST|ET|UT|ATCH|ELETE)\b", user), user
        assert user[0].isupper() and user.rstrip()[-1] in ".?", user
