"""Body fields that name another resource's item, for the sandbox's integrity checks.

`Order.petId` on `placeOrder` names a pet: the sandbox refuses an order for a
pet that does not exist, as a real API would, and so a dependency edge
`addPet -> placeOrder` can be confirmed by execution (the produced id is
accepted, a foreign one refused). Only single-valued top-level fields whose
name reads as a reference to exactly one stored resource (not the
operation's own) count; anything ambiguous is left unchecked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..ir import EndpointDef, Resource, Role
from .catalog import Catalog
from .consumers import consumer_slots, secured_parameters

_WRITING_ROLES = (Role.CREATE, Role.UPDATE, Role.ACTION)


def body_references(
    document: Any, endpoints: Iterable[EndpointDef], resources: Iterable[Resource]
) -> dict[str, tuple[tuple[str, str], ...]]:
    """Operation name -> ((body field, referenced resource), ...), sorted; operations without any omitted."""
    endpoints = list(endpoints)
    catalog = Catalog.build(document, endpoints, resources)
    secured = secured_parameters(document)
    found: dict[str, tuple[tuple[str, str], ...]] = {}
    for endpoint in endpoints:
        if endpoint.role not in _WRITING_ROLES or endpoint.body is None:
            continue
        pairs = set()
        for slot in consumer_slots(document, endpoint, catalog, secured):
            if slot.location != "body" or slot.ref is None or slot.ref.plural:
                continue
            targets = {
                r.name
                for noun in slot.nouns
                for r in catalog.by_noun.get(noun, ())
                if r.item_path is not None and r.name != endpoint.resource
            }
            if len(targets) == 1:
                pairs.add((slot.name, targets.pop()))
        if pairs:
            found[endpoint.name] = tuple(sorted(pairs))
    return found
