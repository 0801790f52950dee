"""The compiled operation tables, read from `operations.json` once at import.

The compiler writes the tables as data (see `catalog.py` for their shape),
so a spec of a thousand operations costs a JSON parse, not a Python module.
"""

from __future__ import annotations

import json
from importlib import resources

from .catalog import Credential, Operation, Resource

_TABLES = json.loads(
    resources.files(__package__).joinpath("operations.json").read_text(encoding="utf-8")
)

RESOURCES: dict[str, Resource] = {
    name: Resource.from_json(row) for name, row in _TABLES["resources"].items()
}
OPERATIONS: dict[str, Operation] = {
    name: Operation.from_json(row) for name, row in _TABLES["operations"].items()
}
CREDENTIALS: dict[str, Credential] = {
    name: Credential(**row) for name, row in _TABLES["credentials"].items()
}
