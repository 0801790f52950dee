"""What a verb on an item does to the item's flags.

`POST /crl/{crlId}/disable` answers the CRL; a sandbox that answered it
unchanged would tell an agent that disabling did nothing, and a task's
"disable it, then enable it" would leave no trace in the world. A verb
named after a flag (enable, archive, lock, publish...) sets the item's
boolean property of that name (`enabled`, `isArchived`, `is_locked`) and
clears its opposite (`disabled`); a verb with no such property, or any
other verb, changes nothing the request does not name.
"""

from __future__ import annotations

import re
from typing import Any

from ..schema_ingestion.normalization import deref
from ..schema_ingestion.resources import param_name, properties

# verb -> (flags it sets, flags it clears), as normalised property names
_VERBS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "enable": (("enabled",), ("disabled",)),
    "disable": (("disabled",), ("enabled",)),
    "activate": (("active", "activated"), ("inactive", "deactivated")),
    "deactivate": (("inactive", "deactivated"), ("active", "activated")),
    "archive": (("archived",), ()),
    "unarchive": ((), ("archived",)),
    "lock": (("locked",), ()),
    "unlock": ((), ("locked",)),
    "suspend": (("suspended",), ()),
    "unsuspend": ((), ("suspended",)),
    "resume": ((), ("suspended", "paused")),
    "pause": (("paused",), ()),
    "publish": (("published",), ("draft",)),
    "unpublish": ((), ("published",)),
    "pin": (("pinned",), ()),
    "unpin": ((), ("pinned",)),
    "star": (("starred",), ()),
    "unstar": ((), ("starred",)),
    "mute": (("muted",), ()),
    "unmute": ((), ("muted",)),
    "block": (("blocked",), ()),
    "unblock": ((), ("blocked",)),
    "hide": (("hidden",), ()),
    "unhide": ((), ("hidden",)),
    "approve": (("approved",), ("rejected",)),
    "verify": (("verified",), ()),
}


def flag_changes(document: Any, path: str, item_pointer: str) -> dict[str, bool]:
    """The boolean properties of the item at `item_pointer` that the verb ending
    `path` (`/crl/{crlId}/disable`, `/v1/{name}:archive`) sets, and to what."""
    verb = _verb(path)
    if verb not in _VERBS:
        return {}
    sets, clears = _VERBS[verb]
    item, _ = deref(document, {"$ref": "#" + item_pointer}, item_pointer)
    changes = {}
    for name, schema in properties(document, item).items():
        if not _boolean(document, schema):
            continue
        flag = _flag(name)
        if flag in sets or flag in clears:
            changes[name] = flag in sets
    return changes


def _boolean(document: Any, schema: Any, depth: int = 0) -> bool:
    """Whether a property is a boolean, through `$ref`s and `allOf` wrappers (AWS
    gives each property `allOf: [{$ref: Boolean}, {description}]`)."""
    schema = deref(document, schema, "")[0]
    if not isinstance(schema, dict) or depth > 8:
        return False
    return schema.get("type") == "boolean" or any(
        _boolean(document, part, depth + 1) for part in schema.get("allOf") or ()
    )


def _verb(path: str) -> str:
    last = re.split(r"[/:]", path.rstrip("/"))[-1]
    return "" if param_name(last) else last.lower().replace("-", "").replace("_", "")


def _flag(name: str) -> str:
    """`isArchived`, `is_archived` and `archived` are the same flag."""
    bare = re.sub(r"^is(?=[A-Z_])_?", "", name)
    return bare.replace("_", "").lower()
