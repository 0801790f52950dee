"""Which values count as produced: a choice between what can be verified and what is documented.

`DOCUMENTED`, the default, follows the spec's documentation (the
hand-labelling policy of `tests/dependencies/ground_truth/README.md`):
reference fields (`Order.petId` produces pet ids), embedded objects
(`repository.owner`), and examples where a response has no schema, while a
create that documents no body produces nothing. The verifier then sorts out
what the sandbox really does: it keeps references (a body's `petId` must name
an existing pet, a nested item's parent id comes from its path), but answers
only schema-shaped bodies, so edges documented by examples alone stay
unconfirmed. `STRICT` counts only identifiers of answered items, plus the
implied id of a bodiless create: fewer edges, nearly all confirmable.
"""

from __future__ import annotations

from dataclasses import dataclass

EMBEDDED_DEPTH = (
    3  # with `embedded_objects`: objects inside objects inside an item, at most
)


@dataclass(frozen=True)
class Policy:
    reference_fields: bool = False  # `Order.petId` produces pet ids
    embedded_objects: bool = False  # `repository.owner.username` produces usernames
    examples: bool = False  # a 2xx response documented only by an example is walked
    implied_creates: bool = (
        True  # a create answering a bodiless 2xx yields its resource's id field
    )


STRICT = Policy()
DOCUMENTED = Policy(
    reference_fields=True, embedded_objects=True, examples=True, implied_creates=False
)
