"""Remembered answers are the answers: same value as conforming afresh, never shared."""

from __future__ import annotations

import json
from random import Random

from envfactory_runtime.sandbox.conform_memo import ConformMemo
from envfactory_runtime.sandbox.fake import MISSING, SchemaData

from sandbox_fixtures import PROJECT

DOCUMENT = json.loads(
    (PROJECT / "swagger_petstore_v3_env" / "openapi.json").read_text("utf-8")
)
POINTER = "/components/schemas/Pet"
PET = DOCUMENT["components"]["schemas"]["Pet"]


def test_a_remembered_answer_is_the_fresh_one_and_a_copy() -> None:
    data = SchemaData(DOCUMENT)
    memo = ConformMemo(data)
    sent = {"name": "Rex"}  # `photoUrls` is required: the answer adds it
    first = memo.conform(sent, POINTER, PET, "7:addPet:3")
    again = memo.conform(sent, POINTER, PET, "7:addPet:3")
    assert first == again == data.conform(sent, PET, Random("7:addPet:3"))
    assert first["name"] == "Rex" and isinstance(first["photoUrls"], list)
    first["name"] = "changed"
    first["photoUrls"].append("changed")
    assert memo.conform(sent, POINTER, PET, "7:addPet:3") == again
    assert again["name"] == "Rex"


def test_seed_and_value_are_part_of_the_key() -> None:
    data = SchemaData(DOCUMENT)
    memo = ConformMemo(data)
    made = [memo.conform(MISSING, POINTER, PET, f"7:addPet:{n}") for n in range(5)]
    assert made == [
        data.conform(MISSING, PET, Random(f"7:addPet:{n}")) for n in range(5)
    ]
    assert len({json.dumps(m, sort_keys=True) for m in made}) == 5
    named = memo.conform({"name": "Tom", "photoUrls": []}, POINTER, PET, "7:addPet:0")
    assert named["name"] == "Tom" != made[0]["name"]


def test_the_oldest_answers_go_past_the_byte_limit() -> None:
    data = SchemaData(DOCUMENT)
    memo = ConformMemo(data, limit_bytes=4096)
    for n in range(200):
        memo.conform(MISSING, POINTER, PET, f"seed:{n}")
    kept = list(memo._answers)
    assert 0 < len(kept) < 200 and memo._bytes <= 4096
    assert kept[-1][0] == "seed:199" and ("seed:0", POINTER, b"") not in memo._answers
    assert memo.conform(MISSING, POINTER, PET, "seed:0") == data.conform(
        MISSING, PET, Random("seed:0")
    )
