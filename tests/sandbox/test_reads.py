"""Which operations change nothing (`Operation.changes_nothing`): what the
sampler does not call twice with nothing written between, and what the
quality report counts as a repeated read. AWS's JSON protocol POSTs every
call, so the HTTP method alone cannot tell."""

from __future__ import annotations

import pytest

from envfactory_runtime.sandbox.catalog import Operation


@pytest.mark.parametrize(
    ("name", "method", "role", "extra", "reads"),
    [
        ("getPetById", "get", "read", {}, True),
        ("GetNamespace", "post", "read", {}, True),  # AWS JSON: a POST
        ("ListUsageLimits", "post", "list", {}, True),
        ("GetRecoveryPoint", "post", "action", {}, True),  # no resource, keeps nothing
        ("describe_table_status", "post", "action", {}, True),
        ("DeleteResourcePolicy", "post", "action", {}, False),
        ("CreateNamespace", "post", "create", {}, False),
        ("GetCredentials", "post", "action", {"produces": "credentials"}, False),
        ("getDisabled", "post", "action", {"sets": {"enabled": False}}, False),
        ("Getaway", "post", "action", {}, False),  # a word, not the verb
    ],
)
def test_an_operation_changes_nothing_when_it_reads(
    name, method, role, extra, reads
) -> None:
    op = Operation(name=name, method=method, path="/", role=role, **extra)
    assert op.changes_nothing is reads
