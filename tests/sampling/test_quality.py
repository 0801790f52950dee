"""The training-record quality figures, on small records built by hand."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


from envfactory_runtime.tasks import quality

SYSTEM = "You operate the Pet Store API through its tools."


def tool(
    name: str,
    body: dict[str, Any] | None = None,
    required: tuple[str, ...] = (),
    **params: Any,
) -> dict:
    """An OpenAI function schema, with an optional `body` object."""
    properties = {key: {"type": kind} for key, kind in params.items()}
    if body is not None:
        properties["body"] = {
            "type": "object",
            "properties": body,
            "required": list(required),
        }
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": f"The {name} operation.",
            "parameters": {"type": "object", "properties": properties},
        },
    }


def openai(
    steps: list, tools: list[dict] = (), final: str = "All done."
) -> dict[str, Any]:
    """Steps are user texts or (name, arguments, result) calls, in order."""
    messages: list[dict] = [{"role": "system", "content": SYSTEM}]
    for number, step in enumerate(steps):
        if isinstance(step, str):
            messages.append({"role": "user", "content": step})
            continue
        name, arguments, result = step
        call_id = f"call_{number}"
        function = {"name": name, "arguments": json.dumps(arguments)}
        messages.append(
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {"id": call_id, "type": "function", "function": function}
                ],
            }
        )
        content = json.dumps({"status": 200, "body": result})
        messages.append({"role": "tool", "tool_call_id": call_id, "content": content})
    messages.append({"role": "assistant", "content": final})
    return {"messages": messages, "tools": list(tools), "metadata": {"seed": 1}}


def sharegpt(
    steps: list, tools: list[dict] = (), final: str = "All done."
) -> dict[str, Any]:
    """The same steps in LLaMA-Factory's ShareGPT layout."""
    turns = []
    for step in steps:
        if isinstance(step, str):
            turns.append({"from": "human", "value": step})
            continue
        name, arguments, result = step
        call = {"name": name, "arguments": arguments}
        turns.append({"from": "function_call", "value": json.dumps(call)})
        observation = json.dumps({"status": 200, "body": result})
        turns.append({"from": "observation", "value": observation})
    turns.append({"from": "gpt", "value": final})
    functions = json.dumps([t["function"] for t in tools])
    return {"conversations": turns, "system": SYSTEM, "tools": functions}


def measure(record: dict, reads: set[str] | None = None):
    return quality.measure(quality.Conversation.of_record(record), reads)


PET = {"id": 5, "name": "Rex", "category": {"id": 2, "name": "dogs"}}


# --- grounded values ---------------------------------------------------------------


def test_values_from_the_user_and_an_earlier_result_are_grounded():
    record = openai(
        [
            "Please look up pet 5 and rename it to Fido.",
            ("getPetById", {"petId": 5}, PET),
            (
                "updatePet",
                {"body": {"id": 5, "name": "Fido", "category": {"id": 2}}},
                PET,
            ),
        ]
    )
    figures = measure(record)
    assert (figures.grounded, figures.values) == (4, 4)
    assert figures.ungrounded == []


def test_an_invented_value_is_ungrounded_with_its_path():
    record = openai(
        [
            "Add a dog to the store.",
            ("addPet", {"body": {"name": "Bella", "tags": [{"name": "dog"}]}}, PET),
        ]
    )
    figures = measure(record)
    assert (figures.grounded, figures.values) == (1, 2)
    assert figures.ungrounded == [
        {"call": "addPet", "path": "/body/name", "value": "Bella"}
    ]


def test_a_value_said_only_after_the_call_is_not_grounded():
    record = openai([("getPetById", {"petId": 7}, PET), "It was pet 7."])
    assert measure(record).grounded == 0


@pytest.mark.parametrize(
    "text, value, grounded",
    [
        ("My dog is 28 months old.", 8, False),
        ("My dog is 28 months old.", 28, True),
        ("My dog is 28 months old.", 28.0, True),
        ("It weighs 3.8 kg.", 8, False),
        ("It weighs 3.8 kg.", 3, False),
        ("It weighs 3.8 kg.", 3.8, True),
        ("My dog is 28 months old.", "8", False),
        ("Order 8, please.", "8", True),
    ],
)
def test_numbers_are_said_as_whole_tokens_only(text, value, grounded):
    record = openai([text, ("findPets", {"age": value}, [])])
    assert measure(record).grounded == int(grounded)


def test_a_number_is_grounded_by_a_numeric_string_in_a_result():
    record = openai(
        [
            "Find my pets.",
            ("findPets", {}, [{"ownerRef": "42"}]),
            ("getOwner", {"ownerId": 42}, {}),
        ]
    )
    assert measure(record).ungrounded == []


def test_a_bool_is_grounded_by_its_humanised_key_or_an_earlier_result():
    record = openai(
        [
            "List the pets whose status is available, photo urls included.",
            ("findPets", {"isAvailable": True, "photo_urls": False}, [{"vip": True}]),
            ("findPets", {"vip": True, "sold": False}, []),
        ]
    )
    figures = measure(record)
    assert (figures.grounded, figures.values) == (3, 4)
    assert figures.ungrounded == [{"call": "findPets", "path": "/sold", "value": False}]


def test_the_status_code_of_an_envelope_is_no_source():
    record = openai(
        ["List pets.", ("listPets", {}, []), ("listPets", {"limit": 200}, [])]
    )
    assert measure(record).ungrounded[0]["value"] == 200


# --- artifacts ---------------------------------------------------------------------

TOOLS = [tool("getPetById", petId="integer"), tool("pets"), tool("find_pets")]


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Please call getPetById for pet 5.", "operation_id"),
        ("Please run find_pets for me.", "operation_id"),
        ("Send GET /pet/5 and tell me.", "method_path"),
        ("Send a post /pet request.", "method_path"),
        ('Create the pet {"name": "Rex"}.', "json_object"),
        ("Use {} as the filter.", "json_object"),
        ("Please pOST the new pet.", "case"),
        ("Then dELETE it.", "case"),
    ],
)
def test_each_artifact_kind_is_found(text, kind):
    figures = measure(openai([text], TOOLS))
    assert [a["kind"] for a in figures.artifacts] == [kind]
    assert figures.artifacts[0]["message"] == "user[0]"


def test_a_clean_message_has_no_artifacts():
    text = "Show me the pets named Rex (id 5), get their {owner} and post a note."
    assert measure(openai([text], TOOLS)).artifacts == []


def test_a_case_slip_in_the_closing_text_is_found():
    figures = measure(openai(["Add a pet."], TOOLS, final="Done: pOST succeeded."))
    assert figures.artifacts == [{"kind": "case", "message": "final", "match": "pOST"}]


# --- shapes ------------------------------------------------------------------------


def _shaped(name: str, pet: int, wording: str = "Rename pet {pet} to {name}.") -> dict:
    return openai(
        [
            wording.format(pet=pet, name=name),
            ("updatePet", {"body": {"id": pet, "name": name}}, {}),
            "Thanks, 3 more later.",
        ]
    )


def test_records_differing_only_by_values_share_a_shape():
    first, second = measure(_shaped("Fido", 5)), measure(_shaped("Bella", 12))
    assert (
        first.shape == second.shape == "rename pet <v> to <v>. thanks, <n> more later."
    )


def test_distinct_shapes_over_a_file():
    records = [
        _shaped("Fido", 5),
        _shaped("Bella", 12),
        _shaped("Rex", 7, "Call pet {pet} {name} from now on."),
    ]
    shapes = quality.QualityReport.of(records).as_dict()["user_message_shapes"]
    assert shapes == {"distinct": 2, "records": 3, "share": 0.6667}


def test_a_value_is_not_masked_inside_a_longer_word():
    record = openai(
        ["Name the cat Catherine.", ("addPet", {"body": {"name": "Cat"}}, {})]
    )
    assert measure(record).shape == "name the cat catherine."


# --- steps -------------------------------------------------------------------------


def test_a_step_using_a_returned_value_is_connected():
    record = openai(
        [
            "Find Rex and his orders.",
            ("findPets", {"name": "Rex"}, [PET]),
            ("getOrders", {"petId": 5}, []),
            ("getWeather", {"city": "Oslo"}, {"sky": "grey"}),
        ]
    )
    figures = measure(record)
    assert (figures.connected, figures.later_calls) == (1, 2)


def test_a_step_sharing_an_id_with_an_earlier_step_is_connected():
    record = openai(
        [
            "Add Rex, then list the pets.",
            ("addPet", {"body": {"name": "Rex"}}, {"id": 9}),
            ("listPets", {}, [{"id": 9, "name": "Rex"}]),
        ]
    )
    assert measure(record).connected == 1


def test_repeated_identical_reads_are_counted():
    record = openai(
        [
            "Look at pet 5 twice.",
            ("getPetById", {"petId": 5}, PET),
            ("listPets", {}, [PET]),
            ("getPetById", {"petId": 5}, PET),
            ("getPetById", {"petId": 6}, PET),
        ]
    )
    figures = measure(record)
    assert (figures.repeated, figures.calls) == (1, 4)


def test_a_read_after_a_write_is_not_a_repeat():
    record = openai(
        [
            "Look at pet 5, rename it, look again.",
            ("getPetById", {"petId": 5}, PET),
            ("updatePet", {"body": {"id": 5}}, PET),
            ("getPetById", {"petId": 5}, PET),
        ]
    )
    assert measure(record).repeated == 0


def test_reads_can_be_named():
    steps = ["Check twice.", ("petStatus", {}, {}), ("petStatus", {}, {})]
    assert measure(openai(steps)).repeated == 0
    assert measure(openai(steps), reads={"petStatus"}).repeated == 1


@pytest.mark.parametrize(
    "name, read",
    [
        ("getPetById", True),
        ("list_pets", True),
        ("ShowOrder", True),
        ("lookupUser", True),
        ("get-inventory", True),
        ("getter", False),
        ("forgetPet", False),
        ("addPet", False),
    ],
)
def test_read_names(name, read):
    assert quality.is_read(name) is read


# --- bodies ------------------------------------------------------------------------

PET_BODY = {
    "id": {"type": "integer"},
    "name": {"type": "string"},
    "photoUrls": {"type": "array"},
    "status": {"type": "string"},
    "ownerRef": {"type": "string", "readOnly": True},
    "createdAt": {"type": "string"},
}
ADD_PET = tool("addPet", PET_BODY, ("name", "photoUrls"))


def test_optional_body_fields_are_counted():
    body = {"name": "Rex", "photoUrls": ["a"], "status": "sold", "tags": None}
    record = openai(
        ["Add Rex, sold, photo a.", ("addPet", {"body": body}, {})], [ADD_PET]
    )
    figures = measure(record)
    assert (figures.optional_fields, figures.body_fields) == (1, 3)


def test_server_owned_fields_are_found():
    body = {"id": 77, "name": "Rex", "ownerRef": "o1", "createdAt": "2024-01-01"}
    record = openai(["Add Rex.", ("addPet", {"body": body}, {})], [ADD_PET])
    owned = measure(record).server_owned
    assert sorted((f["field"], f["reason"]) for f in owned) == [
        ("createdAt", "timestamp"),
        ("id", "invented id"),
        ("ownerRef", "readOnly"),
    ]


def test_a_known_id_in_a_write_body_is_not_server_owned():
    record = openai(
        [
            "Rename pet 5 to Fido.",
            ("getPetById", {"petId": 5}, PET),
            ("addPet", {"body": {"id": 5, "name": "Fido"}}, PET),
        ],
        [ADD_PET],
    )
    assert measure(record).server_owned == []


def test_arguments_off_their_schema_are_found():
    """One tag key an earlier answer gave, sent for `tagKeys` (an array), or a
    required field left out: a model trained on it learns to send what a real
    server refuses."""
    untag = tool(
        "untagResource",
        {
            "resourceArn": {"type": "string"},
            "tagKeys": {"type": "array", "items": {"type": "string"}},
            "limits": {"type": "object", "properties": {"max": {"type": "integer"}}},
            "note": {"type": ["string", "null"]},
        },
        ("resourceArn", "tagKeys"),
        dryRun="boolean",
    )
    body = {
        "resourceArn": "arn:1",
        "tagKeys": "Environment",
        "limits": {"max": 2.0},
        "note": None,
    }
    record = openai(
        ["Untag arn:1.", ("untagResource", {"body": body, "dryRun": "no"}, {})],
        [untag],
    )
    assert measure(record).off_type == [
        {"call": "untagResource", "path": "/body/tagKeys", "expected": "array"},
        {"call": "untagResource", "path": "/dryRun", "expected": "boolean"},
    ]
    body = {**body, "tagKeys": ["Environment"], "limits": {"max": "2"}}
    record = openai(["Untag arn:1.", ("untagResource", {"body": body}, {})], [untag])
    assert measure(record).off_type == [
        {"call": "untagResource", "path": "/body/limits/max", "expected": "integer"}
    ]
    assert measure(record).missing_required == []
    record = openai(["Untag arn:1.", ("untagResource", {"body": {}}, {})], [untag])
    assert measure(record).missing_required == [
        {"call": "untagResource", "path": "/body/resourceArn"},
        {"call": "untagResource", "path": "/body/tagKeys"},
    ]


@pytest.mark.parametrize(
    "key", ["createdAt", "updated_at", "lastModified", "last_modified_on", "deleted"]
)
def test_timestamp_keys(key):
    record = openai(["Add Rex.", ("addPet", {"body": {key: "x"}}, {})], [ADD_PET])
    assert [f["reason"] for f in measure(record).server_owned] == ["timestamp"]


# --- formats and the report --------------------------------------------------------

STEPS = [
    "Find pet 5 and add an order for it.",
    ("getPetById", {"petId": 5}, PET),
    "Quantity 3 please.",
    ("placeOrder", {"body": {"petId": 5, "quantity": 3, "id": 11}}, {"id": 11}),
    ("getPetById", {"petId": 5}, PET),
]
ORDER = tool("placeOrder", {"petId": {}, "quantity": {}, "id": {}}, ("petId",))


def test_sharegpt_and_openai_records_measure_the_same():
    tools = [ORDER, tool("getPetById", petId="integer")]
    left = quality.Conversation.of_record(openai(STEPS, tools))
    right = quality.Conversation.of_record(sharegpt(STEPS, tools))
    assert [t for _, t in left.said] == [t for _, t in right.said]
    assert [(c.name, c.arguments, c.result) for c in left.calls] == [
        (c.name, c.arguments, c.result) for c in right.calls
    ]
    assert (left.user_messages, left.assistant_texts, left.tools) == (
        right.user_messages,
        right.assistant_texts,
        right.tools,
    )
    assert quality.measure(left) == quality.measure(right)


def test_a_hand_built_conversation_is_measured():
    conversation = quality.Conversation(
        said=[(0, "Close ticket T-9.")],
        calls=[quality.Call(1, "closeTicket", {"ticket": "T-9"}, {"ok": True})],
        user_messages=["Close ticket T-9."],
    )
    assert quality.measure(conversation).grounded == 1


def test_an_unknown_record_shape_is_refused():
    with pytest.raises(ValueError, match="unknown record shape"):
        quality.Conversation.of_record({"steps": []})


def test_a_report_over_a_file(tmp_path):
    path = tmp_path / "train.jsonl"
    records = [openai(STEPS, [ORDER]), sharegpt(STEPS, [ORDER])]
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + "\n")
    report = quality.report_file(path)
    data = report.as_dict()
    assert json.loads(json.dumps(data)) == data
    assert list(data) == sorted(data)
    assert data["records"] == 2
    assert data["grounded_values"] == {
        "grounded": 8,
        "share": 0.8,
        "total": 10,
        "ungrounded": [
            {"call": "placeOrder", "path": "/body/id", "record": 0, "value": 11},
            {"call": "placeOrder", "path": "/body/id", "record": 1, "value": 11},
        ],
    }
    assert data["repeated_reads"] == {"calls": 6, "repeated": 0, "share": 0.0}
    assert data["optional_body_fields"]["share"] == 0.6667
    assert data["server_owned_fields"]["count"] == 2
    assert report.line() == (
        "quality: 80.0% grounded values (8/10), 0 user messages with artifacts,"
        " 50.0% distinct user-message shapes, 100.0% connected steps,"
        " 0.0% repeated reads, 66.7% optional body fields, 2 server-owned fields,"
        " 0 off-type arguments, 0 missing required fields"
    )
    rendered = report.render()
    assert rendered.splitlines()[0] == report.line()
    assert "ungrounded: record 0 placeOrder /body/id = 11" in rendered


def test_an_empty_report_has_no_shares():
    report = quality.QualityReport.of([])
    assert report.as_dict()["grounded_values"]["share"] is None
    assert report.line().startswith("quality: n/a grounded values (0/0)")
