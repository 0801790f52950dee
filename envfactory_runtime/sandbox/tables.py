"""The compiled operation tables of a package, read from its `operations.json`.

The compiler writes the tables as data (see `catalog.py` for their shape),
so a spec of a thousand operations costs a JSON parse, not a Python module.
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import Credential, Operation, Resource


@dataclass(frozen=True)
class Tables:
    """Operations, resources and credential schemes, by name."""

    operations: dict[str, Operation]
    resources: dict[str, Resource]
    credentials: dict[str, Credential]

    @classmethod
    def from_json(cls, tables: dict) -> "Tables":
        return cls(
            operations={
                name: Operation.from_json(row)
                for name, row in tables["operations"].items()
            },
            resources={
                name: Resource.from_json(row)
                for name, row in tables["resources"].items()
            },
            credentials={
                name: Credential(**row) for name, row in tables["credentials"].items()
            },
        )
