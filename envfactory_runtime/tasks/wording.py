"""Words for API things: nouns for resources, verbs for operations, values in prose.

Offline phrasing must read as English even for a spec without summaries,
so nothing here falls back to an operationId or a `METHOD /path`: a
resource's noun comes from its name ("deploy_keys" -> "deploy key"), an
action's verb phrase from its summary when it has a real one, else from
its operationId split into words or its path's last segment, and a value
is said with its field's name in words ("photo URL https://...",
"named 'Rex'"), never as JSON.
"""

from __future__ import annotations

import re
from typing import Any

from ..pointers import parts
from .prose import plain

_METHOD_PATH = re.compile(r"^\s*(get|put|post|patch|delete|head|options)\s+/", re.I)
_ACRONYMS = {
    "id": "ID",
    "url": "URL",
    "urls": "URLs",
    "uri": "URI",
    "api": "API",
    "ip": "IP",
    "dns": "DNS",
    "ssl": "SSL",
    "sso": "SSO",
    "ssh": "SSH",
    "iam": "IAM",
    "oauth": "OAuth",
    "arn": "ARN",
    "crl": "CRL",
    "crls": "CRLs",
    "sku": "SKU",
    "skus": "SKUs",
    "vpc": "VPC",
    "vpn": "VPN",
    "tls": "TLS",
    "iso": "ISO",
    "sms": "SMS",
    "mfa": "MFA",
    "issn": "ISSN",
    "isbn": "ISBN",
    "doi": "DOI",
}
_THIRD_PERSON = {
    "returns": "get",
    "gets": "get",
    "retrieves": "get",
    "fetches": "get",
    "lists": "list",
    "finds": "find",
    "shows": "show",
    "does": "do",
}
# what a summary says an operation hands back, which the user gets
_GIVING = frozenset(("provides", "gives", "yields", "delivers", "outputs", "supplies"))
# Verbs that open an operation's summary as an instruction ("Merge a pull request").
_VERB_STARTS = frozenset(
    """accept activate add allow apply approve archive assign attach authenticate
    authorize block book buy calculate call cancel change check checkout clear clone
    close commit compare complete confirm connect copy count create deactivate decline
    delete deploy describe detach disable dismiss download duplicate edit enable end
    estimate export fetch find finish follow generate get give grant import install
    invite issue join kick leave link list load lock log login logout mark merge move
    mute notify open order pause pay pin place post preview print process publish
    purchase push query read reboot redeploy refresh refund register reject reload
    remove rename reopen reorder replace reply report request reset resolve restart
    restore resume retrieve return revoke rotate run save schedule search send set
    share show sign snooze sort split star start stop submit subscribe suspend sync
    tag test transfer trigger unarchive unblock unfollow uninstall unlink unlock
    unmute unpin unpublish unsubscribe unstar update upgrade upload upsert validate
    verify view void watch
    acknowledge analyse analyze backup classify compute convert decode decrypt detect
    encode encrypt evaluate execute extend extract forecast geocode initiate invalidate
    lookup migrate modify parse predict provision purge recalculate recognize
    regenerate renew render rerun reserve retry scan summarize transform translate
    destroy resend deregister unassign unshare hide unhide ban unban flag unflag
    redeem withdraw deposit capture settle dispatch assess
    perform handle manage collect enroll unenroll undelete unregister
    """.split()
)
_IRREGULAR = {
    "people": "person",
    "children": "child",
    "data": "data",
    "news": "news",
    "status": "status",
    "series": "series",
    "analysis": "analysis",
    "aliases": "alias",
    "analyses": "analysis",
    "biases": "bias",
    "canvases": "canvas",
}
_PLURAL = {one: many for many, one in _IRREGULAR.items() if many != one}


def words(name: str) -> list[str]:
    """`photoUrls`, `photo_urls`, `Photo-URLs` -> ["photo", "urls"]."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name)
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


# `created_at` is the creation time ("its created at" is no English)
_EVENTS = {
    **{"created": "creation", "updated": "update", "modified": "modification"},
    **{"deleted": "deletion", "published": "publication", "started": "start"},
    **{"ended": "end", "completed": "completion", "expired": "expiry"},
    **{"expires": "expiry", "used": "use", "cancelled": "cancellation"},
    **{"canceled": "cancellation", "submitted": "submission", "sent": "sending"},
    **{"approved": "approval", "archived": "archival", "closed": "closing"},
}
_WHEN = {"at": "time", "on": "date"}


def label(name: str) -> str:
    """A field or parameter name in words: `photoUrls` -> "photo URLs",
    `created_at` -> "creation time"."""
    said = words(name)
    if len(said) >= 2 and said[-1] in _WHEN and said[-2] in _EVENTS:
        said = [*said[:-2], _EVENTS[said[-2]], _WHEN[said[-1]]]
    elif said[-2:] == [
        "expires",
        "in",
    ]:  # OAuth's `expires_in`: "its expires in is 708"
        said = [*said[:-2], "time", "to", "expiry"]
    return " ".join(_ACRONYMS.get(w, w) for w in said) or name


def singular(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith(("series", "species")):  # "timeseries" is one
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")) or re.search(
        r"[nprst]uses$", word
    ):  # statuses, bonuses, viruses, campuses (not causes, houses, fuses)
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def plural(word: str) -> str:
    if word in _PLURAL:
        return _PLURAL[word]
    if word.endswith(("series", "species")):
        return word
    if word.endswith(("s", "x", "ch", "sh")):
        return word if word.endswith("s") and singular(word) != word else word + "es"
    if word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
        return word[:-1] + "ies"
    return word + "s"


def noun(resource: str | None, fallback: str = "item") -> str:
    """A resource's name as a singular noun phrase: "deploy_keys" -> "deploy key"."""
    said = words(resource or "")
    parts_ = [w for w in said if w not in ("api", "apis", "v1", "v2", "v3")]
    if not parts_ and said and said[-1] in ("api", "apis"):
        parts_ = ["api"]  # a resource of APIs (Tyk's `/tyk/apis`), not a path's prefix
    if not parts_:
        return fallback
    return " ".join(label(singular(w)) for w in parts_)


def nouns(resource: str | None, fallback: str = "item") -> str:
    """The plural noun phrase: "pets", "deploy keys"."""
    single = noun(resource, fallback)
    head, _, last = single.rpartition(" ")
    return (head + " " if head else "") + plural(last)


_CUSTOM_METHOD = re.compile(r"\}:([A-Za-z][A-Za-z0-9]*)$")
_READ_VERBS = ("get", "set", "test", "list", "search", "query", "fetch")


def method_noun(path: str) -> str:
    """What a Google custom method reads or sets (`{resource}:getIamPolicy` ->
    "IAM policy"), else ""."""
    custom = _CUSTOM_METHOD.search(path)
    spoken = words(custom.group(1)) if custom else []
    if len(spoken) > 1 and spoken[0] in _READ_VERBS:
        return noun("_".join(spoken[1:]))
    return ""


def path_noun(path: str) -> str:
    """The last literal segment of a path, as a noun ("/sites/{id}/builds" -> "build");
    for a Google custom method, the item it acts on (`/watches/{id}:renew` -> "watch").
    """
    path = _CUSTOM_METHOD.sub("}", re.split(r"[#?]", path)[0])  # `/#X-Amz-Target=...`
    literal = [s for s in path.split("/") if s and not s.startswith("{")]
    literal = [s for s in literal if not re.fullmatch(r"v\d+(\.\d+)*|api", s)]
    if len(literal) > 1 and literal[-1].lower() in READING:  # `/journals/get/{issn}`
        literal = literal[:-1]
    last = (
        re.sub(r"\.(json|xml|php|aspx?|html?|csv|txt)$", "", literal[-1])
        if literal
        else ""
    )
    if last.lower() in _WHICH and len(literal) > 1:  # `/name/first`: a first name
        return noun(f"{last}_{literal[-2]}")
    return noun(last)


# path segments that name a way of reading, not a thing (CORE's `/journals/get/{issn}`,
# `/articles/search/{query}`; its `POST /journals/get` is a batch read, not a collection)
READING = frozenset("get search find lookup query fetch retrieve read".split())

# a last path segment that says which of the segment before it is meant
_WHICH = frozenset(
    "first last random latest current recent new next previous default top".split()
)


def real_summary(summary: str) -> str:
    """The summary's first sentence less its asides ("Check a book out (creates a
    Loan)"), or "" when it only restates the method and path."""
    text = re.split(r"(?<=[.!?])\s|\n", plain(summary, asides=False))[0]
    text = text.strip().rstrip(".")
    text = re.sub(r"\s*\([^()]*\)", "", text).strip()
    text = _VERSION_TAG.sub("", text)  # "V1 Get Payout Statistics": no version said
    if not text or _METHOD_PATH.match(text) or "{" in text or len(text) > 90:
        return ""
    return re.sub(r"\bfor self$", "for myself", text, flags=re.IGNORECASE)


# an operation named in another's summary ("the status of an EnableControl or
# DisableControl operation"): said in words, as a user would
_OPERATION_NAME = re.compile(r"\b([A-Z][a-z]+)(?:[A-Z][a-z0-9]+)+\b")


def _spoken_operation(match: re.Match) -> str:
    named = match.group(0)
    typed = _TYPE_WORD.match(match.string, match.end())  # "TableRestoreStatus objects"
    spoken = typed or imperative(match.group(1).lower())
    return " ".join(words(named)) if spoken else named


# what says a CamelCase name is a schema's ("an array of TableRestoreStatus objects")
_TYPE_WORD = re.compile(r" (?:objects?|structures?|data types?|entities|entity)\b")


_VERSION_TAG = re.compile(r"^(?:api\s+)?v\d+(?:\.\d+)?\s*[-:]?\s+", re.IGNORECASE)


# "This lists all the available operations", "This API returns ...": the
# summary's subject, which an imperative leaves out
_SUBJECT = re.compile(
    r"^(?:this|it|the \w+ (?=operation|action|api|method))"  # "The GetX operation"
    r"(?: ?(?:api|operation|action|endpoint|method|call|request|resource))?\s+"
    r"(?!(?:is|was|has|does)\b)(?=[a-z]+s\b)"
    r"|^(?:(?:this|it)(?: (?:api|operation|endpoint|method|call|request))? )?will\s+",
    re.IGNORECASE,
)  # "This endpoint returns ...", "Will reload the targeted gateway": the verb first


def verb_phrase(summary: str, operation: str, path: str) -> str:
    """What an action does, as a lower-case imperative clause: from its summary
    ("Returns pet inventories by status" -> "get pet inventories by status"),
    else its operationId in words, else its method's verb and its path."""
    text = _OPERATION_NAME.sub(
        _spoken_operation, _SUBJECT.sub("", real_summary(summary))
    )
    if text:
        first, _, rest = text.partition(" ")
        verb = imperative(first.lower())
        if verb is not None:  # "approves a request and returns it": both said so
            rest = _CONJOINED.sub(_conjoined, rest)  # "adds or modifies ...": both
            return (verb + (" " + _untitled(rest) if rest else "")).strip()
        if text.istitle():  # a noun phrase: "Price Estimates"
            return "get the " + text.lower()
        spoken = words(operation)  # "getLatestPluginRuns", not a generated name
        if spoken and spoken[0] in _VERB_STARTS and "__" not in operation:
            return " ".join(_ACRONYMS.get(w, w) for w in spoken)
        return "get " + _lower_first(text)  # "Info for a pet"
    spoken = [w for w in words(operation) if w not in ("", "by")]
    noun_verb = _noun_verb(operation) or _custom_method(path)
    if noun_verb:
        return noun_verb
    if spoken and not re.fullmatch(r"(get|post|put|patch|delete)", spoken[0]):
        return " ".join(_ACRONYMS.get(w, w) for w in spoken)
    verb = _METHOD_VERBS.get(spoken[0] if spoken else "", "use")
    rest = " ".join(_ACRONYMS.get(w, w) for w in spoken[1:])
    return f"{verb} the {rest or path_noun(path)}"


# a second verb joined to the first ("... and returns the result", "adds or modifies")
_CONJOINED = re.compile(
    r"\b(?:and|or) (\w+s)\b(?= (?:the|a|an|its|their|all)\b)|^(?:or|and) (\w+s)\b"
)


def _conjoined(match: re.Match) -> str:
    word = match.group(1) or match.group(2)
    return match.group(0).replace(word, imperative(word.lower()) or word)


def _custom_method(path: str) -> str:
    """A Google custom method as a clause, verb first
    ("/v1/detailedLeadReports:search" -> "search the detailed lead reports",
    "/v1/{resource}:getIamPolicy" -> "get the IAM policy", "/watches/{id}:renew"
    -> "renew the watch"), or ""."""
    found = re.search(r"([^/]*):([A-Za-z][A-Za-z0-9]*)$", path)
    spoken = words(found.group(2)) if found else []
    verb = imperative(spoken[0]) if spoken else None
    if verb is None:
        return ""
    if len(spoken) > 1:
        return f"{verb} the " + " ".join(_ACRONYMS.get(w, w) for w in spoken[1:])
    owner = found.group(1)
    thing = path_noun(path) if owner.startswith("{") else label(owner)
    return f"{verb} the {thing}"


def _untitled(text: str) -> str:
    """A Title Case summary's words in lower case ("list Card Transactions" ->
    "list card transactions"); names spelt otherwise (GitHub, API) kept."""
    long_words = [w for w in text.split() if len(w) > 3]
    if not long_words or not all(w[:1].isupper() for w in long_words):
        return text
    return " ".join(
        w.lower() if re.fullmatch(r"[A-Z][a-z]+", w) else w for w in text.split()
    )


def _noun_verb(operation: str) -> str:
    """An ARM-style `Noun_VerbObject` operationId as a clause, verb first
    ("Subscription_ListSecrets" -> "list the subscription secrets"), or ""."""
    noun_, sep, rest = operation.partition("_")
    spoken = words(rest)
    if (
        not sep
        or not noun_[:1].isupper()  # ARM's PascalCase nouns
        or imperative(noun_.lower()) is not None
        or not spoken
        or imperative(spoken[0]) is None
    ):
        return ""
    verb = imperative(spoken[0])
    if verb == "create" and spoken[1:3] == ["or", "update"]:
        verb, spoken = "create or update", spoken[2:]
    owner = [singular(w) for w in words(noun_)]  # "Things_ListKeys": the thing's keys
    obj = " ".join(_ACRONYMS.get(w, w) for w in [*owner, *spoken[1:]])
    return f"{verb} the {obj}"


def imperative(word: str) -> str | None:
    """A summary's first word as an imperative verb ("returns" -> "get",
    "merges" -> "merge"), or None when it is no verb we know."""
    if word in _THIRD_PERSON:
        return _THIRD_PERSON[word]
    if word in _GIVING:  # "Provides the boundaries ...": what the caller gets
        return "get"
    for stem in (word, word[:-1], word[:-2], word[:-3] + "y"):
        if stem in _VERB_STARTS and (stem == word or word.endswith("s")):
            return stem
    if re.fullmatch(r"[a-z]{3,}(ate|ize|ise|ify)s", word):  # "regenerates"
        return word[:-1]
    if re.fullmatch(r"[a-z]{3,}ifies", word):  # "verifies"
        return word[:-3] + "y"
    return None


_METHOD_VERBS = {
    "get": "get",
    "post": "submit",
    "put": "set",
    "patch": "update",
    "delete": "remove",
}


def leaves(value: Any, prefix: tuple = ()) -> list[tuple[tuple, Any]]:
    """Scalar leaves of nested arguments, with the keys leading to them."""
    if isinstance(value, dict):
        return [leaf for k in value for leaf in leaves(value[k], (*prefix, k))]
    if isinstance(value, list):
        return [leaf for item in value for leaf in leaves(item, (*prefix, None))]
    return [(prefix, value)]


def field_of(keys: tuple) -> str:
    """The words for a leaf's field: its key, with its parent's for a generic
    key ("category name", "tag ID"), never the `body` wrapper."""
    named = [k for k in keys if isinstance(k, str) and k != "body"]
    if not named:
        return "content"
    if len(named) > 1 and named[-1].lower() in ("name", "id", "value", "type"):
        return f"{label(singular(named[-2]))} {label(named[-1])}"
    return label(named[-1])


def say(value: Any) -> str:
    """A scalar as it is written in prose: text in quotes unless it reads as a
    token (a URL, an email, a date, an id), numbers as they are."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "none"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if re.fullmatch(
        r"[\w.+-]+@[\w.-]+|[a-z][a-z0-9+.-]*://\S+|[\d:TZ.+-]+|\S*\d\S*", text
    ):
        return text
    return f"'{text}'"


def spoken_values(values: dict[str, Any], skip: tuple = ()) -> list[tuple[str, str]]:
    """(field in words, its value(s) in words) for each field the user states,
    leaving out the top-level keys in `skip`: ("name", "'Rex'"),
    ("photo URLs", "https://a and https://b"), ("complete", "no")."""
    grouped: dict[str, list[Any]] = {}
    for keys, value in leaves({k: v for k, v in values.items() if k not in skip}):
        if value is None or value == "":
            continue
        grouped.setdefault(field_of(keys), []).append(value)
    return [(field, join([say(v) for v in found])) for field, found in grouped.items()]


def with_phrase(pairs: list[tuple[str, str]]) -> str:
    """ "named 'Rex' with photo URL https://x and status 'sold'" """
    named = [value for field, value in pairs if field == "name"]
    rest = [f"{field} {value}" for field, value in pairs if field != "name"]
    text = f"named {named[0]}" if named else ""
    if rest:
        text += (" with " if text else "with ") + join(rest)
    return text


def set_phrase(pairs: list[tuple[str, str]]) -> str:
    """ "its status to 'sold' and its name to 'Rex'" """
    return join([f"its {field} to {value}" for field, value in pairs])


def fields_phrase(pairs: list[tuple[str, str]]) -> str:
    return join([field for field, _ in pairs])


def join(items: list[str], last: str = " and ") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + last + items[-1]


def pointer_field(pointer: str) -> str:
    """The words for an output's JSON pointer ("/0/id", "/value/0/id" -> "ID"):
    what holds a list is no part of its item's field's name."""
    found = parts(pointer)
    index = max((i for i, p in enumerate(found) if p.isdigit()), default=-1)
    named = [p for p in found[index + 1 :] if not p.isdigit()] or [
        p for p in found if not p.isdigit()
    ]
    while len(named) > 1 and named[0] in _ENVELOPES:  # JSON:API's `data`: the item
        named = named[1:]
    if len(named) > 1 and named[0] == "attributes":  # ... and its fields
        named = named[1:]
    return field_of(tuple(named)) if named else "result"


_ENVELOPES = frozenset("data result results item items response payload".split())
_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth".split()


def list_place(pointer: str) -> str | None:
    """Where in a listed answer an output's item stands, in words ("/0/id",
    "/value/2/id" -> "first", "third"), or None for an answer that is no list:
    an item picked from a list is named by its place, not as if the task had
    only one."""
    found = parts(pointer)
    index = next((i for i, p in enumerate(found) if p.isdigit()), None)
    if index is None or index > 1:
        return None
    place = int(found[index])
    return _ORDINALS[place] if place < len(_ORDINALS) else _numbered(place + 1)


def listed_noun(pointer: str) -> str | None:
    """What the items of an enveloped list are, from the envelope's name
    (`/countries/0/isoCountryCode` -> "country"), unless the name says nothing
    (`/value/0`, `/data/0`, `/results/0`)."""
    found = parts(pointer)
    if len(found) < 2 or not found[1].isdigit() or found[0] in _GENERIC_LISTS:
        return None
    # `CertificateSummaryList`, `job_details`: the items are certificates, jobs
    name = _LIST_WORDS.sub("", found[0]) or found[0]
    return noun(name, fallback="") or None


_LIST_WORDS = re.compile(
    r"(?<=[a-z0-9])(?:[_-]?(?:List|Array|Set|Collection|Summar(?:y|ies)|Details?"
    r"|Infos?|Items|Descriptions|Entries|list|array|summar(?:y|ies)|details?|infos?))+$"
)


_GENERIC_LISTS = _ENVELOPES | {
    "value",
    "values",
    "content",
    "list",
    "entries",
    "records",
    "all",
}


def _numbered(number: int) -> str:
    """11th, 21st, 22nd, 103rd."""
    teens = 10 <= number % 100 <= 20
    return f"{number}{'th' if teens else {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th')}"


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    return text if text[:2].isupper() else text[:1].lower() + text[1:]
