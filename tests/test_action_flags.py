"""A verb named after a flag of the item sets that flag (`emission/action_flags.py`)."""

from __future__ import annotations

import pytest

from envfactory_compiler.emission.action_flags import flag_changes

DOCUMENT = {
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "properties": {
                    "enabled": {"type": "boolean"},
                    "is_locked": {"type": "boolean"},
                    "isArchived": {"type": "boolean"},
                    "active": {"$ref": "#/components/schemas/Flag"},
                    "published": {"type": "string"},  # not a flag
                    "isolated": {"type": "boolean"},  # not `is` + `olated`
                    "muted": {  # AWS's wrapping of every property
                        "allOf": [
                            {"$ref": "#/components/schemas/Flag"},
                            {"description": "d"},
                        ]
                    },
                },
            },
            "Flag": {"type": "boolean"},
        }
    }
}


@pytest.mark.parametrize(
    ("path", "changes"),
    [
        ("/items/{id}/disable", {"enabled": False}),
        ("/items/{id}/enable", {"enabled": True}),
        ("/v1/{name}:archive", {"isArchived": True}),
        ("/items/{id}/un-lock/", {"is_locked": False}),
        ("/items/{id}/deactivate", {"active": False}),
        ("/items/{id}/publish", {}),  # `published` is no boolean
        ("/items/{id}/mute", {"muted": True}),
        ("/items/{id}/refund", {}),  # a verb of no flag
        ("/items/{id}", {}),
    ],
)
def test_flag_changes(path: str, changes: dict) -> None:
    assert flag_changes(DOCUMENT, path, "/components/schemas/Item") == changes
