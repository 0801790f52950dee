"""Natural rollouts through the real litellm client against a scripted
OpenAI-compatible server on 127.0.0.1; offline rollouts; record formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fake_llm import ScriptedLLM, tool_call
from envfactory_runtime.tasks import policies
from task_helpers import PETSTORE, records, run_envc, runtime, summary


@pytest.fixture(scope="module")
def tasks(tmp_path_factory) -> tuple[Path, list]:
    out = tmp_path_factory.mktemp("natural") / "blueprints.jsonl"
    run_envc("blueprints", str(PETSTORE), "-n", "6", "--seed", "4", "-o", str(out))
    package = runtime(PETSTORE)
    with open(out, encoding="utf-8") as source:
        return out, package.read_blueprints(source)


def scripted(blueprints: list, *, corrupt: bool = False):
    """A perfect assistant (asks once, makes the ground-truth calls, reports),
    a terse user and a grader; `corrupt` makes the assistant send a wrong name."""
    by_goal = {b.user["goal"]: b for b in blueprints}

    def script(request: dict) -> dict:
        messages = request["messages"]
        system = messages[0]["content"]
        if system.startswith("You are a strict grader"):
            return {"content": '{"score": 1}'}
        if system.startswith("Rewrite the task"):
            return {"content": "Please help me. " + messages[1]["content"]}
        if system.startswith("You review tasks"):
            return {"content": '{"correctness": 5, "notes": "fine"}'}
        if not request.get("tools"):  # the simulated user: tells its whole task
            task = system.split("Your task:\n", 1)[1].split("\nReveal a value", 1)[0]
            return {"content": f"Here is what I need:\n{task}"}
        said = [m["content"] for m in messages if m["role"] == "user"]
        blueprint = next(
            (b for b in blueprints if any(b.instruction in s for s in said)), None
        )
        blueprint = blueprint or by_goal[messages[1]["content"]]  # goals may repeat
        if not any(m["role"] == "assistant" for m in messages):
            return {
                "content": "Happy to help. Which values should I use for each step?"
            }
        done = sum(m["role"] == "tool" for m in messages)
        if done < len(blueprint.actions):
            action = blueprint.actions[done]
            arguments = json.loads(json.dumps(action["arguments"]))
            if corrupt and isinstance(arguments.get("body"), dict):
                arguments["body"]["name"] = "not-the-users-choice"
            return {"tool_calls": [tool_call(done, action["name"], arguments)]}
        found = "; ".join(f"{o['pointer']}: {o['value']}" for o in blueprint.outputs)
        return {"content": f"All done. Results: {found}."}

    return script


def natural(path: Path, out: Path, llm: ScriptedLLM, monkeypatch, *args: str) -> dict:
    """`envc rollout --agent natural` with litellm pointed at `llm`; the summary."""
    for key, value in llm.env().items():
        monkeypatch.setenv(key, value)
    return summary(
        run_envc(
            "rollout",
            str(PETSTORE),
            "--in",
            str(path),
            "--agent",
            "natural",
            "-o",
            str(out),
            *args,
        )
    )


def test_natural_rollouts_complete_end_to_end(
    tasks, tmp_path: Path, monkeypatch
) -> None:
    path, blueprints = tasks
    out = tmp_path / "natural.jsonl"
    with ScriptedLLM(scripted(blueprints)) as llm:
        stats = natural(path, out, llm, monkeypatch, "-k", "2", "--seed", "7")
        requests = llm.requests
    assert stats["rollouts"] == 12 and stats["kept"] == 12, stats
    # --seed reaches every request: trial t's carry 7 + t, and its record says so
    chats = [r for r in requests if r.get("tools")]
    assert {r["seed"] for r in chats} == {7, 8}
    assert all("seed" in r for r in requests)
    assert [r["metadata"]["llm_seed"] for r in records(out)] == [7, 8] * 6
    assert stats["pass^1"] == stats["pass^2"] == 1.0
    assert (
        stats["metrics"]["llm_judgement"] == 1.0
        and stats["metrics"]["contains_answer"] == 1.0
    )
    assistant = [r for r in requests if r.get("tools")]
    assert assistant and all(r["model"] == "scripted" for r in requests)
    rows = records(out)
    for row, blueprint in zip(rows[::2], blueprints):
        offered = {t["function"]["name"] for t in row["tools"]}
        assert (
            set(blueprint.tools) <= offered
        )  # the task's tools plus read-only resolvers
        assert all(
            name in blueprint.tools or name.startswith(("get", "find"))
            for name in offered
        )
        calls = [
            c
            for m in row["messages"]
            if m["role"] == "assistant"
            for c in m.get("tool_calls") or ()
        ]
        assert [c["function"]["name"] for c in calls] == [
            a["name"] for a in blueprint.actions
        ]
        assert (
            row["metadata"]["assistant"] == "openai/scripted"
            and row["metadata"]["kept"]
        )
        assert (
            row["messages"][-1]["role"] == "user"
            and "###STOP###" in row["messages"][-1]["content"]
        )
    scores = json.loads(_evaluate(out, monkeypatch, llm_env=None))
    assert scores["count"] == 12 and scores["means"]["contains_answer"] == 1.0
    assert scores["means"]["llm_judgement"] is None  # offline: no judge


def _evaluate(path: Path, monkeypatch, llm_env) -> str:
    from click.testing import CliRunner

    from envfactory_compiler.cli import main as envc

    for key in ("LLM_MODEL", "OPENAI_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(key, raising=False)
    for key, value in (llm_env or {}).items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(
        envc, ["evaluate", str(PETSTORE), "--in", str(path)], catch_exceptions=False
    )
    assert result.exit_code == 0
    return result.stdout


def test_evaluator_scores_with_the_llm_judge(
    tasks, tmp_path: Path, monkeypatch
) -> None:
    path, blueprints = tasks
    out = tmp_path / "natural.jsonl"
    with ScriptedLLM(scripted(blueprints)) as llm:
        natural(path, out, llm, monkeypatch)
        scores = json.loads(_evaluate(out, monkeypatch, llm.env()))
    means = scores["means"]
    assert (
        means["llm_judgement"] == 1.0
        and means["contains_answer"] == 1.0
        and means["numeric_match"] == 1.0
    )
    assert (
        0 < means["f1_score"] <= 1
        and 0 < means["similarity"] <= 1
        and means["exact_match"] == 0.0
    )


def test_a_wrong_assistant_is_not_kept(tasks, tmp_path: Path, monkeypatch) -> None:
    path, blueprints = tasks
    with ScriptedLLM(scripted(blueprints, corrupt=True)) as llm:
        stats = natural(path, tmp_path / "r.jsonl", llm, monkeypatch, "--keep-all")
    assert stats["kept"] < 6  # a task whose bodies are never stored can still match
    assert stats["reasons"] == {
        "final state differs from the blueprint's": 6 - stats["kept"]
    }


def test_llm_phrasing_and_committee(tmp_path: Path, monkeypatch) -> None:
    package = runtime(PETSTORE)
    with ScriptedLLM(scripted([])) as llm:
        for key, value in llm.env().items():
            monkeypatch.setenv(key, value)
        builder = package.make_builder(seed=3)
        generator = package.make_generator(
            builder, seed=1, committee=True, min_correctness=4
        )
        report = generator.generate(3)
    assert len(report.accepted) == 3
    # phrasing and review requests carry the builder's seed (`blueprints --seed`)
    assert llm.requests and {r.get("seed") for r in llm.requests} == {3}
    for blueprint in report.accepted:
        assert blueprint.instruction.startswith(
            "Please help me. "
        )  # the LLM's words kept
        assert blueprint.review == {
            "score": 5.0,
            "reviewers": ["openai/scripted"],
            "notes": "fine",
        }


def test_committee_below_min_correctness_rejects(monkeypatch) -> None:
    package = runtime(PETSTORE)

    def harsh(request: dict) -> dict:
        if request["messages"][0]["content"].startswith("You review tasks"):
            return {"content": '{"correctness": 2, "notes": "outputs unclear"}'}
        return {
            "content": "no"
        }  # a rephrasing that drops the values: the template stays

    with ScriptedLLM(harsh) as llm:
        for key, value in llm.env().items():
            monkeypatch.setenv(key, value)
        builder = package.make_builder()
        generator = package.make_generator(
            builder, seed=1, committee=True, max_attempts=2, best_of=2
        )
        report = generator.generate(1)
    # trivial proposals never reach the committee; every other one it turns down
    assert report.accepted == [] and report.rejected["committee"] >= 1
    assert report.rejected["committee"] + report.rejected["trivial"] == 4


def test_offline_natural_rollout_reveals_values_only_when_asked(
    tasks, tmp_path: Path, monkeypatch
) -> None:
    path, blueprints = tasks
    monkeypatch.delenv("LLM_MODEL", raising=False)
    out = tmp_path / "offline.jsonl"
    stats = summary(
        run_envc(
            "rollout",
            str(PETSTORE),
            "--in",
            str(path),
            "--agent",
            "natural",
            "-o",
            str(out),
        )
    )
    assert stats["kept"] == 6
    package = runtime(PETSTORE)
    for row, blueprint in zip(records(out), blueprints):
        values = [
            v
            for fact in blueprint.user["facts"]
            for v in policies.scalars(fact["values"])
            if len(v) > 3
        ]
        users = [m["content"] for m in row["messages"] if m["role"] == "user"]
        assert not any(
            v in users[0] for v in values
        )  # the opening states the goal only
        assert all(
            any(v in u for u in users[1:]) for v in values
        )  # revealed when asked
        assert row["metadata"]["assistant"] == "offline-oracle"
    again = tmp_path / "again.jsonl"
    run_envc(
        "rollout",
        str(PETSTORE),
        "--in",
        str(path),
        "--agent",
        "natural",
        "-o",
        str(again),
    )
    assert again.read_bytes() == out.read_bytes()


@pytest.mark.parametrize("fmt", ["openai", "sharegpt"])
def test_records_have_the_samplers_shape(tasks, tmp_path: Path, fmt: str) -> None:
    path, _ = tasks
    sampled, rolled = tmp_path / "sampled.jsonl", tmp_path / "rolled.jsonl"
    run_envc(
        "sample",
        str(PETSTORE),
        "-n",
        "3",
        "--seed",
        "0",
        "--format",
        fmt,
        "-o",
        str(sampled),
    )
    run_envc(
        "rollout",
        str(PETSTORE),
        "--in",
        str(path),
        "--agent",
        "natural",
        "--format",
        fmt,
        "-o",
        str(rolled),
    )
    a, b = records(sampled)[0], records(rolled)[0]
    assert set(a) == set(b) and set(a["metadata"]) <= set(b["metadata"])
    if fmt == "openai":
        shapes = lambda row: {
            (m["role"], tuple(sorted(m))) for m in row["messages"]
        }  # noqa: E731
        assert shapes(a) <= shapes(b)
        assert a["tools"][0].keys() == b["tools"][0].keys()
    else:
        kinds = {t["from"] for t in b["conversations"]}
        assert kinds == {"human", "function_call", "observation", "gpt"}
        call = json.loads(
            next(t["value"] for t in b["conversations"] if t["from"] == "function_call")
        )
        assert set(call) == {"name", "arguments"} and isinstance(b["tools"], str)


def test_an_output_is_said_as_a_value_of_its_own() -> None:
    from envfactory_runtime.tasks.user_sim import outputs_in, said

    assert said(1, "The new pet's ID is 1.") and said("000001", "user 000001")
    assert not said(1, "Done in 2021.") and not said(1, "pet_12")
    assert said("https://x.example/a.png", "see https://x.example/a.png, saved")
    assert not said(1.5, "1.50") and said(1.5, "a rate of 1.5%")
    assert not outputs_in([{"value": 7}, {"value": "Rex"}], "7 pets, all named Max")


def test_a_task_that_cancels_out_is_not_done_by_doing_nothing() -> None:
    """A pet made and deleted again leaves the start's state: the changes
    along the way tell the work from a guess of the new ID."""
    from envfactory_runtime.frontends.toolcalls import Toolbox
    from envfactory_runtime.tasks.rollouts import verdict

    package = runtime(PETSTORE)
    toolbox = Toolbox(PETSTORE.name)
    oracle = toolbox.session(seed=1)
    made = oracle.call("addPet", {"body": {"name": "Rex", "photoUrls": []}})
    pet = made.output["id"]
    assert oracle.call("deletePet", {"petId": pet}).ok
    changes = oracle.world.changes()
    assert changes["created"] == changes["deleted"] == [f"pet/{pet}"]
    builder = package.make_builder(seed=0)
    blueprint = builder.build("t", {"seed": 1, "fixtures": 0}, oracle.world, {})
    assert blueprint.changes == changes
    assert verdict(blueprint, oracle.world, f"Done: {pet}") == []
    idle = toolbox.session(seed=1)
    assert package.state_hash(idle.state) == blueprint.final_hash  # no difference
    assert verdict(blueprint, idle.world, f"Done: {pet}") == [
        "the calls changed other items than the blueprint's: "
        "{'created': [], 'updated': [], 'deleted': []} instead of "
        f"{changes}"
    ]
