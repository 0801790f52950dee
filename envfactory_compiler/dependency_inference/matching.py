"""Inferred evidence that a producer's item fills a consumer's slot.

Three kinds, strongest first (links, the fourth and strongest, are read
from the spec in `links.py`):

- `path-nesting`: the slot sits where the path puts items of a collection
  (`/pets/{petId}`, the `{userId}` of `/users/{userId}/orders`), and the
  producer is an operation of that collection answering its items.
- `schema-ref`: the slot's resource (by path, else by name) is represented
  by the very schema the producer answers with.
- `name-type`: the slot's name (`petId`) names an item the producer answers
  (a `pet`'s `id`, or a `petId` that is the object's own), with compatible
  types. A qualified name (`transfer_account_id`) may match on its tail
  (`account`), with less confidence.

Precision comes first. A path position holds its collection's key, so
whatever the evidence, the value must come from that key field (or, under
the documented policy, a reference to that kind of object). A name-only
match on a schema that the structural evidence for the same slot does not
point at is dropped. A reference field counts only for a kind of object some
operation answers, with ids of the same type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .catalog import Catalog, schema_nouns
from .consumers import Slot
from .identity import IdField, Item
from .names import reference, reference_tails
from .producers import ProducerIndex
from .schemas import compatibility, key_as_text, scalar_type

CONFIDENCE = {"link": 1.0, "path-nesting": 0.9, "schema-ref": 0.8, "name-type": 0.7}
_IMPLIED_PENALTY = 0.05  # the create's answer documents no schema: the id is where the resource keeps it
_LOOSE_PENALTY = 0.1  # types only loosely compatible (a string slot fed an integer)
_TAIL_CONFIDENCE = 0.5
_REFERENCE_CONFIDENCE = (
    0.6  # a reference field (`Order.petId`), with the documented policy
)


@dataclass(frozen=True)
class Candidate:
    """One piece of evidence: `producer`'s answer at `source` fills `slot`."""

    producer: str
    slot: Slot
    source: str
    evidence: str
    confidence: float
    schema_pointer: str | None = None
    reference: bool = False  # filled from another object's reference field
    embedded: bool = False  # the item sits inside another item


class Matcher:
    """Finds, for one slot at a time, every producer item that can fill it."""

    def __init__(self, document: Any, catalog: Catalog, index: ProducerIndex) -> None:
        self.document = document
        self.catalog = catalog
        self.index = index
        self._id_types: dict[tuple[str, str], set[str]] = {}
        self._fits: dict[tuple[int, int], str] = {}

    def candidates(self, slot: Slot) -> list[Candidate]:
        strong = self._path_nesting(slot) + self._schema_ref(slot)
        shown = {c.schema_pointer for c in strong} if strong else None
        weak = self._name_type(slot, shown)
        if shown is not None:
            owned = self._owned(shown)
            weak = [
                c
                for c in weak
                if c.reference
                or c.schema_pointer is None
                or c.schema_pointer in shown
                or c.producer in owned
            ]
        return _named_copies(strong + weak + self._variants(slot, strong + weak))

    def _owned(self, shown: set[str | None]) -> set[str]:
        """Operations of the resources those schemas represent: their answers
        are the same items in another schema (AWS's `ImportCertificate` answers
        `{CertificateArn}`, the item `DescribeCertificate` reads)."""
        return {
            item.producer
            for resource in self.catalog.resources.values()
            if resource.schema_pointer in shown
            for item in self.index.by_resource.get(resource.name, ())
        }

    def _variants(self, slot: Slot, found: list[Candidate]) -> list[Candidate]:
        """A path position keyed by its collection's id also takes the id of a variant of the
        collection's representation that some other operation answers: a schema whose name ends in
        the representation's (`/me` answers a `current-user-profile`, users are `user-profile`s).
        """
        resource = self.catalog.resources.get(slot.resource or "")
        if (
            slot.location != "path"
            or resource is None
            or not resource.schema_pointer
            or not resource.id_field
        ):
            return []
        seen = {(c.producer, c.source) for c in found}
        variants = []
        for noun in sorted(
            n for n in schema_nouns(resource.schema_pointer) if "_" in n
        ):  # `user_profile`, not `user`
            for item in self.index.by_tail.get(noun, ()):
                if (
                    item.schema_pointer in (None, resource.schema_pointer)
                    or item.resource == resource.name
                ):
                    continue
                for candidate in self._candidate(
                    slot, item, resource.id_field, "name-type", _TAIL_CONFIDENCE
                ):
                    if (candidate.producer, candidate.source) not in seen:
                        seen.add((candidate.producer, candidate.source))
                        variants.append(candidate)
        return variants

    def _path_nesting(self, slot: Slot) -> list[Candidate]:
        resource = self.catalog.resources.get(slot.resource or "")
        if resource is None:
            return []
        found = []
        nouns = set(self.catalog.nouns_of(resource.name))
        for item in self.index.by_resource.get(resource.name, ()):
            if item.schema_pointer not in (
                None,
                resource.schema_pointer,
            ) and not nouns & set(item.nouns):
                continue  # the collection's operation answers something else (a signature, a report)
            penalty = _IMPLIED_PENALTY if item.implied else 0.0
            found.extend(
                self._candidate(
                    slot,
                    item,
                    resource.id_field,
                    "path-nesting",
                    CONFIDENCE["path-nesting"] - penalty,
                )
            )
        return found

    def _schema_ref(self, slot: Slot) -> list[Candidate]:
        targets = (
            [self.catalog.resources[slot.resource]]
            if slot.resource in self.catalog.resources
            else []
        )
        # A path position names its collection's representation; elsewhere the name says what is
        # meant (`{addon}` says nothing, `{addonId}` would).
        if slot.ref is not None and not any(r.schema_pointer for r in targets):
            for noun in slot.nouns:
                targets.extend(self.catalog.by_noun.get(noun, ()))
        found = []
        seen: set[str] = set()
        for resource in targets:
            if not resource.schema_pointer or resource.name in seen:
                continue
            seen.add(resource.name)
            for item in self.index.by_schema.get(resource.schema_pointer, ()):
                found.extend(
                    self._candidate(
                        slot,
                        item,
                        resource.id_field,
                        "schema-ref",
                        CONFIDENCE["schema-ref"],
                    )
                )
        return found

    def _name_type(self, slot: Slot, shown: set[str | None] | None) -> list[Candidate]:
        """Name matches; where structure already showed the slot's schemas, only items of those
        schemas (or inline ones, or references) can add anything, so no others are tried.
        """
        if slot.ref is None:
            return []
        found = self._by_nouns(slot, slot.nouns, CONFIDENCE["name-type"], shown)
        if not found and slot.ref.noun:
            found = self._by_nouns(
                slot, tuple(reference_tails(slot.ref.noun)), _TAIL_CONFIDENCE, shown
            )
        return found

    def _by_nouns(
        self,
        slot: Slot,
        nouns: tuple[str, ...],
        confidence: float,
        shown: set[str | None] | None,
    ) -> list[Candidate]:
        found = []
        owned = self._owned(shown) if shown is not None else set()
        lookups = [(self.index.by_noun, confidence)]
        if (
            confidence > _TAIL_CONFIDENCE
        ):  # `spec_activity` items for an `activity` slot
            lookups.append((self.index.by_tail, _TAIL_CONFIDENCE))
        for table, level in lookups:
            for noun in nouns:
                for item in table.get(noun, ()):
                    if (
                        shown is None
                        or item.schema_pointer is None
                        or item.schema_pointer in shown
                        or noun in item.references
                        or item.producer in owned
                    ):
                        found.extend(
                            self._candidate(slot, item, None, "name-type", level, noun)
                        )
        return found

    def _candidate(
        self,
        slot: Slot,
        item: Item,
        id_field: str | None,
        evidence: str,
        confidence: float,
        noun: str | None = None,
    ) -> list[Candidate]:
        if item.producer == slot.consumer or (
            item.implied and evidence != "path-nesting"
        ):
            return []  # an implied item is only known to sit in its own collection
        keyed = self.catalog.resources.get(slot.resource or "")
        if (
            keyed is not None and keyed.id_field
        ):  # the path position holds its collection's key
            field = _keyed(
                item, keyed.id_field, self.catalog.nouns_of(keyed.name) + slot.nouns
            )
        else:
            field = _pick(item, slot, id_field, noun)
        if field is None or (field.foreign and not self._consistent(field)):
            return []
        fit = self._compatibility(slot.schema, field.schema)
        if (
            not fit
            and evidence == "path-nesting"
            and not field.foreign
            and keyed is not None
            and keyed.id_field
        ):
            # the collection's own key, documented as text by one of its operations: the sandbox
            # (or the real API) tells at verification whether the value is accepted
            fit = (
                "loose" if key_as_text(self.document, slot.schema, field.schema) else ""
            )
            confidence -= _LOOSE_PENALTY if fit else 0.0
        if not fit:
            return []
        if field.foreign:
            confidence = min(confidence, _REFERENCE_CONFIDENCE)
        if fit == "loose" and evidence == "name-type":
            confidence -= _LOOSE_PENALTY
        return [
            Candidate(
                item.producer,
                slot,
                field.pointer,
                evidence,
                round(confidence, 2),
                item.schema_pointer,
                field.foreign,
                item.embedded,
            )
        ]

    def _compatibility(self, consumer: Any, producer: Any) -> str:
        key = (
            id(consumer),
            id(producer),
        )  # schemas are read-only and outlive the matcher
        if key not in self._fits:
            self._fits[key] = compatibility(self.document, consumer, producer)
        return self._fits[key]

    def _consistent(self, field: IdField) -> bool:
        """A reference field counts only for a kind of object some operation answers, and only if
        it looks like those objects' ids (a numeric `workspace_id` does not name a workspace whose
        ids are strings; a `parentId` names nothing this API hands out)."""
        key = (field.noun, field.kind)
        if key not in self._id_types:
            self._id_types[key] = {
                scalar_type(self.document, f.schema)[0]
                for item in self.index.by_noun.get(field.noun, ())
                if _is_about(item, (field.noun,))
                for f in item.fields
                if not f.foreign and not f.noun and f.kind == field.kind
            }
        known = self._id_types[key]
        own = scalar_type(self.document, field.schema)[0]
        return bool(known) and (not own or "" in known or own in known)


def _named_copies(found: list[Candidate]) -> list[Candidate]:
    """Without schema identity alone for an object inside another item: such a copy
    (a pull request's `source.repository`, a group's `workspace`) names the slot's
    kind of object but rarely one the slot can take: 1 of 11,170 confirmed over 29
    specs, none hand-labelled. Any other evidence for the same value keeps it."""
    backed = {(c.producer, c.source) for c in found if c.evidence != "schema-ref"}
    return [
        c
        for c in found
        if not (c.embedded and c.evidence == "schema-ref")
        or (c.producer, c.source) in backed
    ]


def _keyed(item: Item, key: str, nouns: tuple[str, ...]) -> IdField | None:
    """The item's own `key` field if it is of the keyed kind, or its reference to one (`Order.petId`)."""
    if _is_about(item, nouns) or not item.nouns:
        own = next((f for f in item.fields if f.name == key and not f.foreign), None)
        if own is not None:
            return own
    ref = reference(key)
    kind = ref.kind if ref else ""
    return next(
        (f for f in item.fields if f.foreign and f.kind == kind and f.noun in nouns),
        None,
    )


def _pick(
    item: Item, slot: Slot, id_field: str | None, noun: str | None
) -> IdField | None:
    """The item's field that fills a slot no path position keys: the resource's id field unless
    the slot's name asks for another kind (`account_slug` wants the slug, not the numeric id),
    else a field of the slot's kind about its noun."""
    kind = slot.ref.kind if slot.ref else None
    declared = next((f for f in item.fields if id_field and f.name == id_field), None)
    if declared is not None and (
        kind is None or not slot.ref.noun or declared.kind in (kind, "")
    ):
        return declared
    wanted = (noun,) if noun else slot.nouns
    own_noun = _is_about(item, wanted)
    for field in item.fields:
        if field.kind == (kind or "id") and (
            field.noun in wanted if field.noun else own_noun
        ):
            return field
    return None


def _is_about(item: Item, nouns: tuple[str, ...]) -> bool:
    """Whether the item is one of `nouns` (a `spec_activity` is an `activity`)."""
    return any(n in item.kinds for n in nouns)
