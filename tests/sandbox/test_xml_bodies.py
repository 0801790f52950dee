"""XML request bodies (tests/real_shapes/xml_bodies.yaml): read as the values
their schemas describe, checked as JSON bodies are, and kept by the engine.
What Schemathesis makes of them is in test_schemathesis_known_issues.py."""

from __future__ import annotations

import pytest

from sandbox_fixtures import SHAPES, shape_fixtures

SPEC = SHAPES / "xml_bodies.yaml"
XML = {"Content-Type": "text/xml"}


project, client = shape_fixtures("xml_bodies", client_scope="module")


def test_an_xml_body_is_read_by_its_schema_and_kept(client) -> None:
    body = (
        '<CreateQueueInput delay="5"><QueueName>orders</QueueName><Fifo>true</Fifo>'
        "<Tags><Key>team</Key><Value>ops</Value></Tags><Tags><Key>tier</Key></Tags>"
        "<Consumers><member>billing</member><member>audit</member></Consumers>"
        "</CreateQueueInput>"
    )
    reply = client.post("/queues", content=body, headers=XML)
    assert reply.status_code == 201, reply.text
    queue = reply.json()
    assert {k: queue[k] for k in ("QueueName", "Delay", "Fifo", "Consumers")} == {
        "QueueName": "orders",
        "Delay": 5,
        "Fifo": True,
        "Consumers": ["billing", "audit"],
    }
    assert queue["Tags"] == [{"Key": "team", "Value": "ops"}, {"Key": "tier"}]
    assert queue in client.get("/queues").json()


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("<Q><QueueName>a</QueueName></Q>", "[] should be non-empty"),  # no Tags
        ("<Q><Tags><Key>k</Key></Tags></Q>", "'QueueName' is a required property"),
        (
            '<Q delay="soon"><QueueName>a</QueueName><Tags><Key>k</Key></Tags></Q>',
            "'soon' is not of type 'integer'",
        ),
        ("<Q><QueueName>a</Queue", "malformed XML body"),
        (  # elements inside a string's element: an object, not text
            "<Q><QueueName><x>6.4e16</x></QueueName><Tags><Key>k</Key></Tags></Q>",
            "{'x': '6.4e16'} is not of type 'string'",
        ),
        (
            "<Q><QueueName>a</QueueName><Tags><Key>k</Key></Tags>"
            "<Consumers><member><x>1</x></member></Consumers></Q>",
            "{'x': '1'} is not of type 'string'",
        ),
        ("<Q>true</Q>", "'true' is not of type 'object'"),  # an object as text
        (
            "<Q><QueueName>a</QueueName><Tags>k</Tags></Q>",
            "'k' is not of type 'object'",
        ),
        (  # a string given twice: an array of them, no string
            "<Q><QueueName>a</QueueName><QueueName>b</QueueName>"
            "<Tags><Key>k</Key></Tags></Q>",
            "['a', 'b'] is not of type 'string'",
        ),
    ],
)
def test_an_xml_body_its_schema_refuses_is_a_bad_request(client, body, why) -> None:
    reply = client.post("/queues", content=body, headers=XML)
    assert reply.status_code == 400 and why in reply.json()["detail"], reply.text
