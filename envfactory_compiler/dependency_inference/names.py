"""What a parameter or field name says it refers to.

`petId`, `pet_id`, `pet-id`, `PetID` and `petIds` all name the `id` of a
`pet`; `AccountSid` the `sid` of an `account`; `username` the `name` of a
`user`. Matching works on these (noun, kind) pairs, so spelling conventions
never decide whether two operations are linked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Kinds of identifying value, and the plural spellings that mean "several".
KINDS = ("id", "uuid", "sid", "slug", "key", "name", "arn")  # AWS: `CertificateArn`
_PLURALS = {k + "s": k for k in KINDS}
# Words that mark credentials and tracing, never object references.
_NEVER_WORDS = frozenset(
    {
        "api",
        "auth",
        "authorization",
        "token",
        "secret",
        "password",
        "session",
        "signature",
        "private",
        "cursor",
        "continuation",
        "nonce",
        "idempotency",
        "correlation",
        "trace",
        "span",
    }
)
# Whole nouns that mark paging positions or request bookkeeping (`next_page_key`, `X-Request-Id`).
_NEVER_NOUNS = frozenset(
    {
        "next",
        "next_page",
        "prev",
        "previous",
        "start",
        "starting",
        "ending",
        "after",
        "before",
        "last",
        "request",
        "x_request",
        "client_request",
    }
)
# Envelope members whose name says nothing about what they hold.
ENVELOPES = frozenset(
    {
        "data",
        "item",
        "items",
        "result",
        "results",
        "resource",
        "resources",
        "object",
        "objects",
        "payload",
        "response",
        "record",
        "records",
        "entries",
        "entry",
        "content",
        "contents",
        "value",
        "values",
        "body",
        "_embedded",
        "embedded",
        "elements",
        "list",
        "hits",
        "nodes",
        "edges",
        "node",
        "included",
    }
)
# Schema-name decorations that do not change what an object is.
_DECORATIONS = frozenset(
    {
        "response",
        "dto",
        "model",
        "resource",
        "details",
        "detail",
        "info",
        "data",
        "object",
        "entity",
        "base",
        "summary",
        "full",
        "out",
        "output",
        "view",
        "schema",
        "representation",
    }
)
_IRREGULAR = {
    "people": "person",
    "children": "child",
    "men": "man",
    "women": "woman",
    "mice": "mouse",
    "data": "data",
    "status": "status",
    "news": "news",
    "series": "series",
    "analysis": "analysis",
}
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


@dataclass(frozen=True)
class Reference:
    """A name read as a reference: the `kind` of key of a `noun` ("" when bare)."""

    noun: str
    kind: str
    plural: bool = False


def tokens(name: str) -> list[str]:
    """Lower-case words of a camel, snake or kebab name, digits dropped."""
    words = _CAMEL.findall(name)
    return [w.lower() for w in words if not w.isdigit()]


def singular(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    if len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def noun(words: list[str]) -> str:
    """Canonical noun of a phrase: snake case, last word a singular stem.

    The stem drops a final "e" so that naive singulars agree with real ones
    (`caches` -> `cach` = `cache` -> `cach`, `statuses` -> `status`); nouns are
    only ever compared with each other.
    """
    words = [w for w in words if w]
    if not words:
        return ""
    last = singular(words[-1])
    if len(last) > 3 and last.endswith("e"):
        last = last[:-1]
    return "_".join(words[:-1] + [last])


@lru_cache(maxsize=4096)
def object_nouns(name: str) -> tuple[str, ...]:
    """Nouns a schema or collection name stands for (`PetResponse` -> pet_response, pet)."""
    words = tokens(name)
    found = [noun(words)]
    while len(words) > 1 and words[-1] in _DECORATIONS:
        words = words[:-1]
        found.append(noun(words))
    return tuple(dict.fromkeys(n for n in found if n))


@lru_cache(maxsize=4096)
def reference(name: str) -> Reference | None:
    """Parse a name as a reference, or None when it does not look like one."""
    words = tokens(name)
    if not words or any(w in _NEVER_WORDS for w in words):
        return None
    if words[-1] == "username":
        words = words[:-1] + ["user", "name"]
    elif words[-1] == "usernames":
        words = words[:-1] + ["user", "names"]
    last = words[-1]
    kind = last if last in KINDS else _PLURALS.get(last)
    if kind is None:
        return None
    subject = noun(words[:-1])
    if subject in _NEVER_NOUNS or (subject == "page" and kind != "id"):
        return None
    return Reference(subject, kind, plural=last != kind)


def noun_suffixes(phrase: str) -> list[str]:
    """Shorter readings of a qualified noun: `transfer_account` -> `account`."""
    words = phrase.split("_")
    return ["_".join(words[i:]) for i in range(1, len(words))]


def reference_tails(phrase: str) -> list[str]:
    """The shorter readings a qualified reference may mean (`transfer_account` -> `account`),
    never a bookkeeping noun: the `request` of `X-Bunq-Client-Request-Id` names no item.
    """
    return [tail for tail in noun_suffixes(phrase) if tail not in _NEVER_NOUNS]
