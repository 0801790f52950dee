"""Spec shapes of the wide corpus that our own specs lack (tests/real_shapes/,
its README says which): each builds, and what `sample` and `blueprints`
make of it is grounded, connected where it can be, and said in words."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import build, import_package
from envfactory_compiler.cli import main as envc
from envfactory_runtime.frontends.actions import TaskWorld, fresh_state
from sampling_helpers import records

SHAPES = Path(__file__).resolve().parents[1] / "real_shapes"
SHAPE_NAMES = (
    "arm_resource",
    "computed_answers",
    "unconnected_reads",
    "singleton_resource",
    "arm_upsert_context",
    "google_resource_names",
    "media_type_headers",
    "name_keyed_parent",
    "range_bounds",
    "custom_methods",
    "trailing_slashes",
    "enveloped_actions",
    "key_answers",
    "rpc_operations",
)


def run(*args: str) -> str:
    result = CliRunner().invoke(envc, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Each shape built once, sampled (40 records) and given 8 blueprints."""
    work = tmp_path_factory.mktemp("shapes")
    found = {}
    for name in SHAPE_NAMES:
        package = build(SHAPES / f"{name}.yaml", work / "out", name)
        sample, tasks = work / f"{name}.jsonl", work / f"{name}.tasks.jsonl"
        common = ("--seed", "0", "--fixtures", "1")
        run("sample", str(package), "-n", "40", *common, "-o", str(sample))
        run("blueprints", str(package), "-n", "8", *common, "-o", str(tasks))
        found[name] = (package, records(sample), records(tasks))
    return found


def figures(package: Path, path: Path) -> dict:
    return json.loads(run("quality", str(path), "--package", str(package), "--json"))


@pytest.mark.parametrize("name", SHAPE_NAMES)
def test_every_shape_gives_grounded_records_and_tasks(made, name, tmp_path) -> None:
    package, sampled, tasks = made[name]
    assert len(sampled) == 40 and len(tasks) == 8
    for kind, rows in (("sample", sampled), ("blueprints", tasks)):
        path = tmp_path / f"{kind}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
        report = figures(package, path)
        assert report["grounded_values"]["share"] == 1.0, (kind, report)
        assert report["artifacts"]["messages"] == 0, (kind, report)
        assert report["off_type_arguments"]["count"] == 0, (kind, report)
        assert report["missing_required_fields"]["count"] == 0, (kind, report)
        assert report["repeated_reads"]["repeated"] == 0, (kind, report)
    for record in sampled:  # no step is the one before it again
        names = [
            call["function"]["name"]
            for message in record["messages"]
            for call in message.get("tool_calls") or ()
        ]
        assert all(a != b for a, b in zip(names, names[1:])), names
    for task in tasks:  # said in words: no operationId, no "get regenerates"
        assert not re.search(
            r"Subscription_|\bget \w+s\b of|json's", task["instruction"]
        )
        changed = any(task["diff"].get(k) for k in ("created", "updated", "deleted"))
        assert task["outputs"] or changed, task[
            "instruction"
        ]  # something a do-nothing agent fails


def test_an_arn_a_task_named_is_the_one_it_goes_on_with(made) -> None:
    """Tagging's `resourceArn` names no resource of the spec: a task that lists
    a resource's tags removes tags from that resource, not another one."""
    _, sampled, _ = made["rpc_operations"]
    tagging = {"TagResource", "UntagResource", "ListTagsForResource"}
    several = 0
    for record in sampled:
        arns = {
            json.loads(call["function"]["arguments"])["body"]["resourceArn"]
            for message in record["messages"]
            for call in message.get("tool_calls") or ()
            if call["function"]["name"] in tagging
        }
        calls = sum(
            call["function"]["name"] in tagging
            for message in record["messages"]
            for call in message.get("tool_calls") or ()
        )
        several += calls > 1
        assert len(arns) <= 1, record["messages"][1]["content"]
    assert several


def test_an_arm_context_parameter_keeps_one_value_per_task(made) -> None:
    """`api-version` is on every call: one value a task, said once, and the
    parameter's own examples are among the values used."""
    _, sampled, tasks = made["arm_resource"]
    versions = set()
    for task in tasks:
        used = {a["arguments"]["api-version"] for a in task["actions"]}
        assert len(used) == 1, task["actions"]
        assert task["instruction"].count(used.pop()) == 1, task["instruction"]
    for record in sampled:
        for message in record["messages"]:
            for call in message.get("tool_calls") or ():
                versions.add(json.loads(call["function"]["arguments"])["api-version"])
    assert "2019-12-01" in versions
    # parents in the path are context the user gives: a write on a new
    # subscription under them is not turned down for "no read first"
    assert any(t["actions"][0]["name"] == "Subscription_CreateOrUpdate" for t in tasks)


def test_an_arm_write_says_what_it_sets_inside_the_properties_envelope(made) -> None:
    _, _, tasks = made["arm_resource"]
    writes = [
        a
        for t in tasks
        for a in t["actions"]
        if a["name"] in ("Subscription_CreateOrUpdate", "Subscription_Update")
    ]
    assert writes and all(a["arguments"]["body"].get("properties") for a in writes)
    assert any("setting its" in t["instruction"] for t in tasks)


def test_a_patch_merges_nested_objects(made) -> None:
    """JSON Merge Patch: an update of `properties/stateComment` keeps the
    display name the create set."""
    package, _, _ = made["arm_resource"]
    runtime = import_package(package)
    engine = runtime.load_sandbox(seed=0).engine
    world = TaskWorld(engine, fresh_state(engine, 0))
    where = {
        "subscriptionId": "subid",
        "resourceGroupName": "rg1",
        "serviceName": "apim1",
        "sid": "s1",
        "api-version": "2019-12-01",
    }
    create = {"properties": {"displayName": "Ops team", "scope": "/products/starter"}}
    patch = {"properties": {"stateComment": "moved to ops"}}
    for name, body in (
        ("Subscription_CreateOrUpdate", create),
        ("Subscription_Update", patch),
    ):
        result = world.run(name, {**where, "body": body})
        assert result.ok, result
    kept = result.output["properties"]
    assert kept["displayName"] == "Ops team" and kept["stateComment"] == "moved to ops"


def test_a_computed_answer_reports_its_nested_values(made) -> None:
    _, _, tasks = made["computed_answers"]
    pointers = {o["pointer"] for t in tasks for o in t["outputs"]}
    assert any(p.count("/") == 2 for p in pointers), pointers


def test_a_json_text_example_documents_an_object(made) -> None:
    package, _, _ = made["computed_answers"]
    document = json.loads((package / package.name / "openapi.json").read_text())
    media = document["paths"]["/translate/yoda.json"]["get"]["responses"]["200"][
        "content"
    ]
    schema = media["application/json"]["schema"]
    assert schema["type"] == "object" and "contents" in schema["properties"]


def test_reads_nothing_connects_make_one_call_tasks(made) -> None:
    """No answer feeds another call: a record is one call, not unrelated calls
    chained (and there are still as many records as asked)."""
    _, sampled, tasks = made["unconnected_reads"]
    assert {r["metadata"]["depth"] for r in sampled} == {1}
    assert {len(t["actions"]) for t in tasks} == {1}
    # a response-format parameter asks for the JSON the sandbox answers
    formats = {args["format"] for name, args in calls(sampled) if name == "teams"}
    assert formats == {"json"}


def test_a_parameter_its_schema_fixes_needs_no_producer(made) -> None:
    """ARM's singleton sub-resources (`{policyName}` is always `default`): the
    calls take the one value, so they sample at all (0 records before)."""
    _, sampled, tasks = made["singleton_resource"]
    names = {
        json.loads(call["function"]["arguments"])["policyName"]
        for record in sampled
        for message in record["messages"]
        for call in message.get("tool_calls") or ()
    }
    assert names == {"default"}
    assert all(
        "default" not in t["instruction"] for t in tasks
    )  # protocol, not the user's words


def calls(sampled: list[dict]) -> list[tuple[str, dict]]:
    """(tool, arguments) of every call the records make."""
    return [
        (call["function"]["name"], json.loads(call["function"]["arguments"]))
        for record in sampled
        for message in record["messages"]
        for call in message.get("tool_calls") or ()
    ]


def user_words(sampled: list[dict]) -> list[str]:
    return [m["content"] for r in sampled for m in r["messages"] if m["role"] == "user"]


@pytest.mark.parametrize(
    "name", ["arm_upsert_context", "google_resource_names", "name_keyed_parent"]
)
def test_context_and_named_items_do_not_block_an_operation(made, name) -> None:
    """Every operation is in some record: an upsert names the item it makes
    (nothing has to produce `{supportTicketName}`), a parent no call returns
    (`{subscriptionId}`, Google's `{parent}`) is given from the task's own
    items, a read-only resource is read under the subscription it is in, and
    a parent only calls needing it answer (GitHub's `{org}`) is given too
    (before: no record at all of the ARM shape, 1 of 6 Google operations, 0
    of 6 of the organizations')."""
    package, sampled, _ = made[name]
    tools = {t["function"]["name"] for t in sampled[0]["tools"]}
    assert {tool for tool, _ in calls(sampled)} == tools


def test_an_upsert_that_makes_its_item_is_asked_for_as_a_create(made) -> None:
    _, sampled, _ = made["arm_upsert_context"]
    words = user_words(sampled)
    assert any("new support ticket" in w for w in words)
    assert not any("setting its support ticket name" in w for w in words)


def test_a_path_s_bare_name_names_a_thing_not_a_person(made) -> None:
    """`/topLevelDomains/{name}` (Route 53's `/keysigningkey/{..}/{Name}`): a
    made-up name is a thing's ('Garnet'), not a person's ('Chloe Miller')."""
    import random

    from envfactory_runtime.sampling.requests import RequestBuilder

    package, _, _ = made["arm_upsert_context"]
    engine = import_package(package).load_sandbox(seed=0).engine
    builder = RequestBuilder(engine)
    names = {
        builder.build("TopLevelDomains_Get", {}, random.Random(seed)).params["path"][
            "name"
        ]
        for seed in range(12)
    }
    assert len(names) > 3
    assert not any(re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+", n) for n in names), names


def test_one_subscription_a_task_and_the_spec_s_api_version(made) -> None:
    """The parents a task names agree from call to call; `api-version`, with
    nothing in its schema to say which, is the version the spec documents."""
    _, sampled, _ = made["arm_upsert_context"]
    assert {args["api-version"] for _, args in calls(sampled)} == {"2020-04-01"}
    for record in sampled:
        subscriptions = {args["subscriptionId"] for _, args in calls([record])}
        assert len(subscriptions) == 1, record["messages"][1]["content"]


def test_a_list_envelope_answers_only_its_documented_fields(made) -> None:
    """ARM's `{value, nextLink}` gains no undocumented counts, and a task asks
    about an item of the list, never for the page link."""
    package, sampled, tasks = made["arm_upsert_context"]
    answers = [
        json.loads(m["content"])["body"]
        for r in sampled
        for m in r["messages"]
        if m["role"] == "tool"
    ]
    lists = [a for a in answers if isinstance(a, dict) and "value" in a]
    assert lists and all(set(a) <= {"value", "nextLink"} for a in lists)
    pointers = {o["pointer"] for t in tasks for o in t["outputs"]}
    assert not any(p.endswith("nextLink") for p in pointers), pointers


def test_google_resource_names_read_what_the_collection_made(made) -> None:
    """`/v1/{name}` reads, updates and deletes what `/v1/{parent}/connections`
    makes, confirmed by execution under OAuth2-only security (no edge was
    confirmed before: every verifying call was refused with 401), and the
    user speaks of connections, not of "v1" items."""
    package, sampled, _ = made["google_resource_names"]
    dag = json.loads((package / package.name / "dag.json").read_text())
    confirmed = {
        (e["producer"].rsplit(".", 1)[-1], e["consumer"].rsplit(".", 1)[-1])
        for e in dag["edges"]
        if e["confirmed"]
    }
    assert {("create", "get"), ("create", "delete"), ("list", "patch")} <= {
        (p.rsplit("_", 1)[-1], c.rsplit("_", 1)[-1]) for p, c in confirmed
    }, confirmed
    words = " ".join(user_words(sampled))
    assert "connection" in words and " item" not in words


def test_accept_and_content_type_parameters_are_not_asked_for(made) -> None:
    """OpenAPI says to ignore them: no tool takes them, no user says them
    ("list the brands with content type 'application/json' and accept 'delta'")."""
    package, sampled, tasks = made["media_type_headers"]
    tools = json.loads((package / package.name / "tools.json").read_text())["tools"]
    for tool in tools:
        arguments = tool["function"]["parameters"].get("properties", {})
        assert not {"Accept", "Content-Type"} & set(arguments), tool
    words = [t["instruction"] for t in tasks] + [
        m["content"] for r in sampled for m in r["messages"] if m["role"] == "user"
    ]
    assert words and not any(
        re.search(r"content type|accept '", text, re.I) for text in words
    )


def test_bounds_that_come_in_pairs_are_sent_in_order(made) -> None:
    """A search from `date_min` to `date_max` is never an empty range; a
    `from`/`to` pair of addresses is no range and keeps what was drawn."""
    _, sampled, tasks = made["range_bounds"]
    sent = calls(sampled) + [
        (a["name"], a["arguments"]) for t in tasks for a in t["actions"]
    ]
    pairs = {
        "listPostChanges": [("date_min", "date_max")],
        "searchProducts": [("minPrice", "maxPrice"), ("created[gte]", "created[lte]")],
        "createReport": [("start_date", "end_date")],
    }
    seen = {name: 0 for name in pairs}
    for name, arguments in sent:
        values = arguments.get("body", arguments)
        for low, high in pairs.get(name, ()):
            assert values[low] <= values[high], (name, arguments)
            seen[name] += 1
    assert all(seen.values()), seen
    reports = [a["body"] for name, a in sent if name == "createReport"]
    assert any(r["from"] > r["to"] for r in reports), "from/to were reordered"


def test_a_custom_method_acts_on_the_item_it_names(made) -> None:
    """`watches/{watchId}:renew` renews that watch: a 404 for a watch no one
    made, so the verifier confirms that the ID comes from the create."""
    package, sampled, tasks = made["custom_methods"]
    runtime = import_package(package)
    engine = runtime.load_sandbox(seed=0).engine
    world = TaskWorld(engine, fresh_state(engine, 0))
    form = world.run("forms_forms_create", {"body": {"info": {"title": "T"}}})
    form_id = form.output["formId"]
    watch = world.run(
        "forms_forms_watches_create",
        {"formId": form_id, "body": {"watch": {"eventType": "SCHEMA"}}},
    )
    renew = "forms_forms_watches_renew"
    missing = world.run(renew, {"formId": form_id, "watchId": "nope", "body": {}})
    assert missing.status == 404
    renewed = world.run(
        renew, {"formId": form_id, "watchId": watch.output["id"], "body": {}}
    )
    assert renewed.status == 200 and renewed.output["id"] == watch.output["id"]
    dag = json.loads((package / package.name / "dag.json").read_text())
    confirmed = {
        (e["producer"], e["consumer"]) for e in dag["edges"] if e.get("confirmed")
    }
    assert ("forms_forms_watches_create", renew) in confirmed
    renewals = [a for n, a in calls(sampled) if n == renew]
    assert renewals  # the sampler reaches it, on a watch it made


def test_paths_ending_in_a_slash_are_collections_and_items(made) -> None:
    """`/dcim/sites/` and `/dcim/sites/{id}/` are sites: the item a create
    makes is read and deleted, confirmed by execution."""
    package, sampled, _ = made["trailing_slashes"]
    table = json.loads((package / package.name / "operations.json").read_text())
    assert {"sites", "devices"} <= set(table["resources"]), table["resources"].keys()
    dag = json.loads((package / package.name / "dag.json").read_text())
    confirmed = {(e["producer"], e["consumer"]) for e in dag["edges"] if e["confirmed"]}
    assert {
        ("dcim_sites_create", "dcim_sites_read"),
        ("dcim_sites_create", "dcim_sites_delete"),
    } <= confirmed, confirmed
    assert any(n == "dcim_sites_read" for n, _ in calls(sampled))


def test_where_no_tree_reaches_two_calls_one_call_tasks_are_sampled(tmp_path) -> None:
    """`sample` and `blueprints`: not "no trajectory could be sampled"."""
    package = build(SHAPES / "empty_world_reads.yaml", tmp_path / "out", "cms")
    out = tmp_path / "s.jsonl"
    result = CliRunner().invoke(
        envc, ["sample", str(package), "-n", "3", "--seed", "0", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "sampling one-call trajectories" in result.output
    sampled = records(out)
    assert sampled and all(len(c) == 1 for c in [calls([r]) for r in sampled])
    refused = CliRunner().invoke(
        envc, ["sample", str(package), "-n", "3", "--min-depth", "2", "-o", str(out)]
    )
    assert refused.exit_code != 0  # asked for two calls: none, as before
    tasks = tmp_path / "tasks.jsonl"
    made = CliRunner().invoke(
        envc, ["blueprints", str(package), "-n", "1", "--seed", "0", "-o", str(tasks)]
    )
    assert made.exit_code == 0, made.output
    assert [len(t["actions"]) for t in records(tasks)] == [1]


def test_a_create_answering_its_key_feeds_the_reads(made) -> None:
    """GoToTraining: `201 "..."` is the new training's key, a text field read
    back through an integer path parameter: the create answers the key the
    read finds (it answered a made-up word, and ids like "000001" read back
    as 1), so the two connect."""
    package, sampled, _ = made["key_answers"]
    dag = json.loads((package / package.name / "dag.json").read_text())
    confirmed = {(e["producer"], e["consumer"]) for e in dag["edges"]}
    assert ("scheduleTraining", "getTraining") in confirmed
    assert ("scheduleTraining", "cancelTraining") in confirmed
    made_keys = [
        json.loads(m["content"])["body"]
        for r in sampled
        for i, m in enumerate(r["messages"])
        if m["role"] == "tool"
        and r["messages"][i - 1]["tool_calls"][0]["function"]["name"]
        == "scheduleTraining"
    ]
    assert made_keys and all(k.isdigit() and not k.startswith("0") for k in made_keys)
    reads = [  # the key said as the number the read's path parameter is
        json.loads(c["function"]["arguments"])["trainingKey"]
        for r in sampled
        for m in r["messages"]
        for c in m.get("tool_calls") or ()
        if c["function"]["name"] == "getTraining"
    ]
    assert reads and all(isinstance(k, int) for k in reads)


def test_rpc_operations_keep_items_named_in_the_body(made) -> None:
    """AWS's JSON protocol: one URL, the operation in `X-Amz-Target`, the key in
    the body. A certificate the server names and a table the client names are
    made, read, acted on and deleted by that key; a certificate no one made is
    not found; a receipt answers what its schema says, not the stored item."""
    package, sampled, _ = made["rpc_operations"]
    runtime = import_package(package)
    engine = runtime.load_sandbox(seed=0).engine
    world = TaskWorld(engine, fresh_state(engine, 0))

    def run_op(name: str, body: dict):
        return world.run(name, {"X-Amz-Target": f"x.{name}", "body": body})

    made_ = run_op("RequestCertificate", {"DomainName": "shop.example.com"})
    arn = made_.output["CertificateArn"]
    assert set(made_.output) == {"CertificateArn"}
    assert re.fullmatch(
        r"arn:aws:acm:us-east-1:123456789012:certificate/[0-9a-f-]{36}", arn
    )
    read = run_op("DescribeCertificate", {"CertificateArn": arn})
    assert read.status == 200 and read.output["Certificate"]["CertificateArn"] == arn
    assert read.output["Certificate"]["DomainName"] == "shop.example.com"
    assert "PrivateKey" not in read.output["Certificate"]
    foreign = arn[:-4] + "0000"
    assert run_op("DescribeCertificate", {"CertificateArn": foreign}).status == 404
    assert (
        run_op(
            "AddTagsToCertificate",
            {"CertificateArn": foreign, "Tags": [{"Key": "Team"}]},
        ).status
        == 404
    )
    assert run_op("DeleteCertificate", {"CertificateArn": arn}).status == 200
    assert run_op("DescribeCertificate", {"CertificateArn": arn}).status == 404
    table = run_op("CreateTable", {"TableName": "orders"})
    assert table.output["TableDescription"]["TableName"] == "orders"
    assert (
        run_op("DescribeTable", {"TableName": "orders"}).output["Table"]["TableName"]
        == "orders"
    )
    assert run_op("PutItem", {"TableName": "nope", "Item": {}}).status == 404

    dag = json.loads((package / package.name / "dag.json").read_text())
    confirmed = {(e["producer"], e["consumer"]) for e in dag["edges"]}
    for edge in (
        ("RequestCertificate", "DescribeCertificate"),
        ("RequestCertificate", "AddTagsToCertificate"),
        ("CreateTable", "DescribeTable"),
        ("CreateTable", "PutItem"),
    ):
        assert edge in confirmed, edge
    targets = [  # each call names its own operation, whatever the last one sent
        (name, args["X-Amz-Target"]) for name, args in calls(sampled)
    ]
    assert targets and all(t.rsplit(".", 1)[1] == name for name, t in targets)
    queues = 0
    for record in sampled:  # a queue no answer names is the one the task made
        alive: list[str] = []  # made by the task and not deleted since
        for message in record["messages"]:
            for c in message.get("tool_calls") or ():
                name = c["function"]["name"]
                body = json.loads(c["function"]["arguments"])["body"]
                if name == "CreateQueue":
                    alive.append(body["QueueName"])
                elif name in ("DeleteQueue", "GetQueueAttributes") and alive:
                    assert body["QueueName"] == alive[-1], record["messages"]
                    queues += 1
                    if name == "DeleteQueue":
                        alive.pop()
    assert queues
    tags = [
        t["Key"]
        for n, a in calls(sampled)
        if n == "AddTagsToCertificate"
        for t in a["body"]["Tags"]
    ]
    assert tags and not any(re.fullmatch(r"[0-9a-f]{32}", k) for k in tags)
