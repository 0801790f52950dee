"""The credential a sandbox accepts, as a client sends it for each scheme.

Built from the package's credentials table (`operations.json`'s
`credentials`, `emission.tables.credentials`), the table the sandbox checks
requests against, so the verifier and the conformance run authenticate the
way the sandbox expects whatever the schemes are: OAuth2 and OpenID Connect
as bearer tokens, HTTP Basic with the token as password, API keys where the
scheme sends them.
"""

from __future__ import annotations

import base64
from typing import Iterable

SANDBOX_TOKEN = "envc-sandbox-token"  # what a sandbox accepts unless told otherwise


def by_location(rows: Iterable[dict]) -> dict[str, dict[str, str]]:
    """{"header" | "query" | "cookie": {name: value}} for the table's rows.

    Square's `Authorization` is both an OAuth2 bearer and an API key: the
    bearer value, taken first, meets both."""
    found: dict[str, dict[str, str]] = {"header": {}, "query": {}, "cookie": {}}
    for row in sorted(rows, key=lambda row: not row.get("prefix")):
        prefix = row.get("prefix", "")
        secret = SANDBOX_TOKEN
        if prefix.strip().lower() == "basic":
            secret = base64.b64encode(f"envc:{SANDBOX_TOKEN}".encode()).decode()
        found[row["location"]].setdefault(row["name"], prefix + secret)
    return found
