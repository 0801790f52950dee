"""Resources of RPC-style APIs (schema_ingestion/rpc_resources.py) and the
described references AWS writes every property as (normalization.deref)."""

from __future__ import annotations

from pathlib import Path

from envfactory_compiler.ir import Role
from envfactory_compiler.schema_ingestion import SchemaLoader
from envfactory_compiler.schema_ingestion.normalization import deref

SPEC = Path(__file__).resolve().parents[1] / "real_shapes" / "rpc_operations.yaml"


def test_a_described_reference_is_that_reference() -> None:
    document = {"components": {"schemas": {"Arn": {"type": "string"}}}}
    described = {"allOf": [{"$ref": "#/components/schemas/Arn"}, {"description": "x"}]}
    assert deref(document, described, "/p") == (
        {"type": "string"},
        "/components/schemas/Arn",
    )
    constrained = {"allOf": [{"$ref": "#/components/schemas/Arn"}, {"maxLength": 3}]}
    assert deref(document, constrained, "/p") == (
        constrained,
        "/p",
    )  # no longer Arn alone


def test_operation_names_give_resources_roles_and_body_keys() -> None:
    spec = SchemaLoader().load(str(SPEC))
    resources = {r.name: r for r in spec.resources}
    assert set(resources) == {"certificates", "tables", "queues"}
    assert resources["certificates"].id_field == "CertificateArn"
    assert (
        resources["certificates"].schema_pointer
        == "/components/schemas/CertificateDetail"
    )
    assert resources["tables"].id_field == "TableName" and resources["tables"].strict
    roles = {e.name: (e.role, e.resource, e.body_keys) for e in spec.endpoints}
    assert roles["RequestCertificate"] == (Role.CREATE, "certificates", ())
    assert roles["DescribeCertificate"] == (
        Role.READ,
        "certificates",
        ("CertificateArn",),
    )
    assert roles["ListCertificates"] == (Role.LIST, "certificates", ())
    # answers a PEM, not the certificate; acts on one named in the body
    assert roles["GetCertificate"] == (Role.ACTION, "certificates", ("CertificateArn",))
    assert roles["AddTagsToCertificate"] == (
        Role.ACTION,
        "certificates",
        ("CertificateArn",),
    )
    assert roles["DeleteTable"] == (Role.DELETE, "tables", ("TableName",))
    # an item of no resource (`PutItem` has no create of items): a table it writes into
    assert roles["PutItem"] == (Role.ACTION, None, ())
