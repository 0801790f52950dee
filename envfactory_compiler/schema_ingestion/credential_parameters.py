"""Credentials in disguise: required header parameters that carry a secret.

Many specs declare their credential as a plain header parameter rather than
a security scheme (Tyk's `x-tyk-authorization`, a required `Authorization`,
Azure API Management's `Ocp-Apim-Subscription-Key`, `X-API-Key`, a `Secret`).
Left as parameters, every task would have the user dictate a secret to the
agent ("with x tyk authorization 'orbit'"). Each becomes an API-key security
scheme of the same header (`Envc<Name>Header`), added to the operation's
requirements: the sandbox answers 401 without it, the environment sends the
sandbox credential as it does for declared schemes, and no tool asks for it.
Headers that only sound alike (`Idempotency-Key`, `X-Auth-Project-Id`, a
page token) stay parameters.
"""

from __future__ import annotations

import re

from ..diagnostics import pointer_join
from .normalization import deref

_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_SECRET_WORDS = {"authorization", "auth", "secret", "apikey", "password"}
_KEY_KINDS = {  # `<kind>-key` is a credential
    *("api", "auth", "access", "secret", "subscription", "app", "application"),
    *("client", "license", "developer", "server", "account", "private"),
}
_NOT_SECRET_TOKENS = {  # `<kind>-token` is a value of the API's own
    *("next", "page", "continuation", "pagination", "sync", "cursor", "resume"),
    *("idempotency", "csrf", "xsrf", "request", "upload", "download", "share"),
    *("reset", "invite", "invitation", "verification", "confirmation", "device"),
}


def credential_parameters_to_security(document: dict) -> list[str]:
    """Required credential header parameters become security requirements;
    the operations changed, as pointers."""
    moved, schemes = [], {}
    paths = document.get("paths") or {}
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        inherited = _credentials(document, item.get("parameters") or [])
        for method, operation in item.items():
            if (
                not isinstance(operation, dict)
                or method == "parameters"
                or "responses" not in operation
            ):
                continue
            own = _credentials(document, operation.get("parameters") or [])
            found = {**inherited, **own}
            if not found:
                continue
            operation["parameters"] = [
                p for p in operation.get("parameters") or [] if p not in own.values()
            ]
            needed = {}
            for header in sorted(found, key=str.lower):
                name = scheme_name(header)
                schemes[name] = header
                needed[name] = []
            existing = operation.get("security", document.get("security")) or [{}]
            operation["security"] = [
                {**alternative, **needed} for alternative in existing
            ]
            moved.append(pointer_join("paths", path, method))
    for item in paths.values():
        if isinstance(item, dict) and item.get("parameters"):
            shared = _credentials(document, item["parameters"]).values()
            item["parameters"] = [p for p in item["parameters"] if p not in shared]
    if schemes:
        declared = document.setdefault("components", {}).setdefault(
            "securitySchemes", {}
        )
        for name, header in sorted(schemes.items()):
            declared[name] = {
                "type": "apiKey",
                "in": "header",
                "name": header,
                "description": f"The spec's required {header} header parameter (x-envc-added).",
                "x-envc-added": True,
            }
    return moved


def scheme_name(header: str) -> str:
    """`x-tyk-authorization` -> `EnvcXTykAuthorizationHeader`."""
    words = re.split(r"[^A-Za-z0-9]+", header)
    return "Envc" + "".join(w[:1].upper() + w[1:] for w in words if w) + "Header"


def is_credential(name: str) -> bool:
    """Whether a header's name says it carries a secret."""
    words = [w.lower() for w in _WORDS.findall(name)]
    if not words:
        return False
    last, before = words[-1], words[-2] if len(words) > 1 else ""
    if last in _SECRET_WORDS:
        return True
    if last == "token":
        return before not in _NOT_SECRET_TOKENS
    return last == "key" and before in _KEY_KINDS


def _credentials(document: dict, parameters: list) -> dict[str, object]:
    """The required credential header parameters among `parameters`, by
    header name (as written, references included)."""
    found = {}
    for parameter in parameters:
        resolved = (
            deref(document, parameter, "")[0] if isinstance(parameter, dict) else None
        )
        if (
            isinstance(resolved, dict)
            and resolved.get("in") == "header"
            and resolved.get("required")
            and is_credential(str(resolved.get("name", "")))
        ):
            found[str(resolved["name"])] = parameter
    return found
