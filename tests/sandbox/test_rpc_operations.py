"""RPC operations that name their item in the body (tests/real_shapes/rpc_operations.yaml,
AWS's JSON protocol), served: an item made by one call is found by the next
over HTTP, one no call made is a 404, and Schemathesis finds nothing."""

from __future__ import annotations

from envfactory_compiler.corpus.conformance import check
from sandbox_fixtures import shape_fixtures

AUTH = {"Authorization": "Bearer envc-sandbox-token"}

project, client = shape_fixtures("rpc_operations", package="rpc_operations_served")


def call(client, operation: str, body: dict, service: str = "CertificateManager"):
    target = f"{service}.{operation}"
    return client.post(
        f"/#X-Amz-Target={target}".split("#")[0],
        json=body,
        headers={**AUTH, "X-Amz-Target": target},
    )


def test_an_item_named_in_the_body_is_kept_between_calls(client) -> None:
    made = call(client, "RequestCertificate", {"DomainName": "shop.example.com"})
    assert made.status_code == 200, made.text
    arn = made.json()["CertificateArn"]
    read = call(client, "DescribeCertificate", {"CertificateArn": arn})
    assert (
        read.status_code == 200 and read.json()["Certificate"]["CertificateArn"] == arn
    )
    missing = call(client, "DescribeCertificate", {"CertificateArn": arn[:-4] + "0000"})
    assert missing.status_code == 404
    assert call(client, "DeleteCertificate", {"CertificateArn": arn}).status_code == 200
    assert (
        call(client, "DescribeCertificate", {"CertificateArn": arn}).status_code == 404
    )
    table = call(client, "CreateTable", {"TableName": "orders"}, "DynamoDB_20120810")
    assert table.json()["TableDescription"]["TableName"] == "orders"


def test_an_unstored_item_is_answered_as_it_was_asked_for(client) -> None:
    """Recovery points are no resource (no call makes them): what the request
    said of the item an answer wraps is so in the answer."""
    service = "RedshiftServerless"
    got = call(client, "GetRecoveryPoint", {"recoveryPointId": "rp-7"}, service)
    assert got.json()["recoveryPoint"]["recoveryPointId"] == "rp-7", got.text
    listed = call(client, "ListRecoveryPoints", {"namespaceName": "sales"}, service)
    points = listed.json()["recoveryPoints"]
    assert points and {p["namespaceName"] for p in points} == {"sales"}, points


def test_schemathesis_finds_nothing(project, tmp_path) -> None:
    outcome = check(project, tmp_path, max_examples=10, seed=0, timeout=300)
    assert outcome.ran, outcome.note
    assert outcome.findings == ()
