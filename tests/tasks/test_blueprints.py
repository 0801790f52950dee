"""Blueprints: 50 accepted per package with a fixed seed, deterministic, and
corrupted ones rejected with the reason."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from envfactory_runtime.frontends.actions import fresh_state
from envfactory_runtime.tasks import policies

from task_helpers import PETSTORE, PETSTORE_V2, records, run_envc, runtime, summary

PACKAGES = [PETSTORE, PETSTORE_V2]


@pytest.fixture(scope="module", params=PACKAGES, ids=lambda p: p.name)
def accepted(request, tmp_path_factory) -> tuple[Path, Path, str]:
    out = tmp_path_factory.mktemp("bp") / "blueprints.jsonl"
    stderr = run_envc(
        "blueprints", str(request.param), "-n", "50", "--seed", "7", "-o", str(out)
    )
    return request.param, out, stderr


def test_fifty_accepted_with_a_fixed_seed(accepted) -> None:
    project, out, stderr = accepted
    rows = records(out)
    assert len(rows) == 50, stderr
    assert "50 blueprints accepted" in stderr
    operations = set(
        json.loads((project / project.name / "operations.json").read_text())[
            "operations"
        ]
    )
    for row in rows:
        assert row["instruction"] and row["actions"] and row["final_hash"]
        assert {a["name"] for a in row["actions"]} <= operations
        assert set(row["diff"]) == {"created", "updated", "deleted"}
        assert set(row["changes"]) == {"created", "updated", "deleted"}
        # what the final state shows was made along the way
        assert set(row["diff"]["created"]) <= set(row["changes"]["created"])
        assert row["metadata"]["seed"] == 7 and row["metadata"]["spec_sha256"]
    assert len({json.dumps(r["actions"], sort_keys=True) for r in rows}) == 50


def test_same_seed_same_bytes(accepted, tmp_path: Path) -> None:
    project, out, _ = accepted
    again = tmp_path / "again.jsonl"
    run_envc("blueprints", str(project), "-n", "50", "--seed", "7", "-o", str(again))
    assert again.read_bytes() == out.read_bytes()


def test_replay_rollouts_pass_every_blueprint(accepted, tmp_path: Path) -> None:
    project, out, _ = accepted
    rolled = tmp_path / "replay.jsonl"
    stats = summary(
        run_envc(
            "rollout",
            str(project),
            "--in",
            str(out),
            "--agent",
            "replay",
            "-k",
            "2",
            "-o",
            str(rolled),
        )
    )
    assert stats["rollouts"] == 100 and stats["kept"] == 100
    assert stats["pass^1"] == stats["pass^2"] == 1.0
    assert stats["metrics"]["contains_answer"] == 1.0
    assert len(records(rolled)) == 100


def test_replay_over_http_against_a_served_sandbox(accepted, tmp_path: Path) -> None:
    project, out, _ = accepted
    first = tmp_path / "first.jsonl"
    first.write_text("".join(out.read_text().splitlines(keepends=True)[:5]))
    stats = summary(
        run_envc(
            "rollout",
            str(project),
            "--in",
            str(first),
            "--serve",
            "-o",
            str(tmp_path / "r.jsonl"),
        )
    )
    assert stats["kept"] == 5


# -- corrupted blueprints -----------------------------------------------------


@pytest.fixture(scope="module")
def petstore_tasks():
    package = runtime(PETSTORE)
    builder = package.make_builder()
    generator = package.make_generator(builder, seed=3)
    blueprints = generator.generate(20).accepted
    return package, builder, generator, blueprints


def _with_bound_id(package, builder, blueprints, *, write: bool = False):
    """An accepted blueprint whose later step (a write, if asked) uses an id from an earlier answer."""
    for blueprint in blueprints:
        for number, action in enumerate(blueprint.actions[1:], 1):
            if write and not action["write"]:
                continue
            ids = policies.id_arguments(
                builder.engine, builder.dag, action["name"], action["arguments"]
            )
            path_ids = {k: v for k, v in ids.items() if not k.startswith("/")}
            if path_ids:
                return blueprint, number, next(iter(path_ids))
    raise AssertionError("no blueprint with a path id")


def test_a_wrong_id_is_rejected_with_the_reason(petstore_tasks) -> None:
    package, builder, generator, blueprints = petstore_tasks
    blueprint, number, name = _with_bound_id(package, builder, blueprints)
    corrupted = copy.deepcopy(blueprint)
    corrupted.actions[number]["arguments"][name] = 987654
    reasons = generator.validator.validate(corrupted)
    assert any(
        r.startswith(f"replay: step {number + 1} ") and "answered 404" in r
        for r in reasons
    ), reasons
    assert any("policy grounded_ids" in r and "987654" in r for r in reasons), reasons


def test_a_wrong_order_is_rejected_with_the_reason(petstore_tasks) -> None:
    package, builder, generator, blueprints = petstore_tasks
    blueprint, number, _ = _with_bound_id(package, builder, blueprints, write=True)
    corrupted = copy.deepcopy(blueprint)
    actions = corrupted.actions
    actions[0], actions[number] = actions[number], actions[0]
    reasons = generator.validator.validate(corrupted)
    assert any(r.startswith("replay: step 1 ") for r in reasons), reasons
    # the id is the one the user chose for the new pet, so it is grounded, but
    # nothing had returned it yet when the moved step wrote with it
    assert any(
        r.startswith("policy read_before_write: step 1") for r in reasons
    ), reasons


def test_a_policy_violation_is_rejected_although_it_replays(petstore_tasks) -> None:
    """Two users in one task: every call succeeds, owner_consistency says no."""
    package, builder, generator, _ = petstore_tasks
    actions = [
        {
            "name": "createUser",
            "arguments": {"body": {"username": "alice", "email": "a@example.com"}},
        },
        {
            "name": "createUser",
            "arguments": {"body": {"username": "bob", "email": "b@example.com"}},
        },
    ]
    world, _ = builder.execute({"seed": 1, "fixtures": 0}, actions)
    proposal = builder.build("two-users", {"seed": 1, "fixtures": 0}, world, {})
    reasons = generator.validator.validate(proposal)
    assert reasons == [
        "policy owner_consistency: more than one user/owner in one task: 'alice' (step 1), 'bob' (step 2)"
    ]


def test_a_write_on_an_id_taken_on_trust_is_rejected(petstore_tasks) -> None:
    """A seeded pet deleted by an id the user gave: it replays, but no read validated it."""
    package, builder, generator, _ = petstore_tasks
    initial = {"seed": 1, "fixtures": 2}
    state = fresh_state(builder.engine, 1, 2)
    pet = next(iter(state.collection("pet")))[-1]
    world, results = builder.execute(
        initial, [{"name": "deletePet", "arguments": {"petId": int(pet)}}]
    )
    assert results[0].ok
    proposal = builder.build("trusting", initial, world, {})
    proposal.user["facts"][0]["values"] = {"petId": int(pet)}  # the user names the pet
    reasons = generator.validator.validate(proposal)
    assert reasons == [
        f"policy read_before_write: step 1 deletePet writes with petId={int(pet)} before any call returned it"
    ]


def test_a_stale_expected_output_is_rejected(petstore_tasks) -> None:
    _, _, generator, blueprints = petstore_tasks
    corrupted = copy.deepcopy(next(b for b in blueprints if b.outputs))
    corrupted.outputs[0]["value"] = "not-what-the-api-says"
    reasons = generator.validator.validate(corrupted)
    assert any(
        r.startswith("replay: output") and "expected 'not-what-the-api-says'" in r
        for r in reasons
    ), reasons


def test_user_policy_file_joins_the_suite(tmp_path: Path) -> None:
    rules = tmp_path / "my_policies.py"
    rules.write_text(
        "def check_no_deletes(trace):\n"
        "    for step in trace['steps']:\n"
        "        if step['role'] == 'delete':\n"
        "            return False, f\"{step['name']} deletes\"\n"
        "    return True, ''\n"
    )
    out = tmp_path / "bp.jsonl"
    stderr = run_envc(
        "blueprints",
        str(PETSTORE),
        "-n",
        "30",
        "--seed",
        "5",
        "--policies",
        str(rules),
        "-o",
        str(out),
    )
    assert "policy check_no_deletes" in stderr
    assert not any(
        a["name"].startswith("delete") for row in records(out) for a in row["actions"]
    )


def test_recombined_tasks_are_longer_and_replay(tmp_path: Path) -> None:
    out = tmp_path / "bp.jsonl"
    run_envc(
        "blueprints",
        str(PETSTORE),
        "-n",
        "20",
        "--seed",
        "2",
        "--recombine",
        "-o",
        str(out),
    )
    rows = records(out)
    composed = [r for r in rows if "recombined" in r["metadata"]["source"]]
    assert composed, "no recombined task"
    simple = {r["id"]: r for r in rows if r not in composed}
    for row in composed:
        first, second = row["metadata"]["source"]["recombined"]
        assert len(row["actions"]) == len(simple[first]["actions"]) + len(
            simple[second]["actions"]
        )
    stats = summary(
        run_envc(
            "rollout", str(PETSTORE), "--in", str(out), "-o", str(tmp_path / "r.jsonl")
        )
    )
    assert stats["kept"] == len(rows)
