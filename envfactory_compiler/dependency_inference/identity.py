"""What identifies an object: the vocabulary producers are described in.

An item is an object in a producer's answer; its id fields are the
properties that identify it (`id`, `slug`, `<noun>Id` of its own noun, its
resource's id field) and, where the policy says so, the reference fields that
name another object (`Order.petId`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..diagnostics import pointer_join
from .names import noun_suffixes, reference
from .policy import Policy
from .schemas import is_plain_value, resolve


@dataclass(frozen=True)
class IdField:
    """One identifying property of an item, at `pointer` in the producer's answer."""

    name: str
    pointer: str
    schema: Any
    kind: str  # id | uuid | sid | slug | key | name, or "" for a resource id field named otherwise
    noun: str  # "" when the name is bare (`id`)
    foreign: bool = (
        False  # a reference to another object (`Order.petId`), not the item's own id
    )


@dataclass(frozen=True)
class Item:
    """An object a producer answers with, and the identifiers it carries."""

    producer: str
    resource: str | None  # the producer's resource
    pointer: str  # where the object sits ("" top level, "/0", "/data/0")
    schema_pointer: str | None  # its named schema, if any
    nouns: tuple[str, ...]
    fields: tuple[IdField, ...]
    implied: bool = False
    embedded: bool = False  # inside another item (`pullrequest.source.repository`)

    @cached_property
    def kinds(self) -> frozenset[str]:
        """Every noun the item answers to, tails included (a `spec_activity` is an `activity`)."""
        return frozenset(self.nouns) | {
            tail for noun in self.nouns for tail in noun_suffixes(noun)
        }

    @cached_property
    def references(self) -> frozenset[str]:
        """Nouns of the objects its reference fields name."""
        return frozenset(f.noun for f in self.fields if f.foreign)


class Identifier:
    """Decides which properties of an object identify it (or, by policy, reference another)."""

    def __init__(self, document: Any, policy: Policy) -> None:
        self.document = document
        self.policy = policy

    def fields(
        self,
        props: dict[str, Any],
        pointer: str,
        nouns: tuple[str, ...],
        declared: set[str],
    ) -> tuple[IdField, ...]:
        found = []
        for name, schema in props.items():
            target, _ = resolve(self.document, schema)
            if target.get("writeOnly") or not is_plain_value(self.document, schema):
                continue
            ref = reference(name)
            kind, noun = (ref.kind, ref.noun) if ref else ("", "")
            own = (
                ref is not None
                and not ref.plural
                and (noun in nouns if noun else kind != "name")
            )
            if name in declared or own:
                found.append(
                    IdField(name, pointer + pointer_join(name), schema, kind, noun)
                )
            elif (
                self.policy.reference_fields
                and ref is not None
                and noun
                and not ref.plural
                and kind != "name"
            ):
                found.append(
                    IdField(
                        name,
                        pointer + pointer_join(name),
                        schema,
                        kind,
                        noun,
                        foreign=True,
                    )
                )
        return tuple(found)
