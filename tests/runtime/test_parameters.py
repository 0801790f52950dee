"""Request parameter validation as the served sandbox applies it."""

from __future__ import annotations

from envfactory_runtime.sandbox import validation

IDS = {
    "name": "ids",
    "in": "query",
    "style": "form",
    "explode": False,
    "schema": {"type": "array", "items": {"type": "integer"}},
}


def test_an_empty_non_exploded_array_is_an_empty_array() -> None:
    assert (
        validation.Parameters.validate_parameter("query", [""], IDS) is None
    )  # `?ids=`
    assert validation.Parameters.validate_parameter("query", [1, 2], IDS) is None
    assert "integer" in validation.Parameters.validate_parameter("query", ["x"], IDS)
