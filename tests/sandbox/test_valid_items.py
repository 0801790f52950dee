"""List items are checked once each (`sandbox/valid_items.py`), and no error
is lost to the memo: an invalid item, or a valid one changed, is checked."""

from __future__ import annotations

from jsonschema import Draft4Validator, validators

from envfactory_runtime.sandbox import valid_items

ITEM = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "replicas": {"type": "integer", "minimum": 0},
        "ports": {"type": "array", "items": {"type": "object", "required": ["port"]}},
    },
}
LIST = {"type": "object", "properties": {"items": {"type": "array", "items": ITEM}}}


def _validator(seen: list) -> Draft4Validator:
    """A validator whose item checks are counted in `seen`."""
    check = Draft4Validator.VALIDATORS["required"]

    def required(validator, names, instance, schema):
        seen.append(instance.get("name") if isinstance(instance, dict) else None)
        yield from check(validator, names, instance, schema)

    kind = validators.extend(
        Draft4Validator,
        {"required": required, "items": valid_items.remembered(Draft4Validator)},
    )
    return kind(LIST)


def test_an_item_found_valid_is_not_checked_again() -> None:
    seen: list = []
    validator = _validator(seen)
    page = {"items": [{"name": "web", "replicas": 2, "ports": [{"port": 80}]}]}
    assert list(validator.iter_errors(page)) == []
    first = len(seen)
    assert first >= 2  # the item, and its port
    grown = {"items": [*page["items"], {"name": "api", "replicas": 1}]}
    assert list(validator.iter_errors(grown)) == []
    assert seen[first:] == ["api"]  # only the new item


def test_invalid_and_changed_items_are_still_found() -> None:
    validator = _validator([])
    good = {"name": "db", "replicas": 3}
    assert list(validator.iter_errors({"items": [good]})) == []
    changed = {"name": "db", "replicas": -1}
    errors = list(validator.iter_errors({"items": [good, changed]}))
    assert [list(e.absolute_path) for e in errors] == [["items", 1, "replicas"]]
    missing = {"replicas": 3}
    for _ in range(2):  # an invalid item is never remembered as valid
        errors = list(validator.iter_errors({"items": [missing]}))
        assert [e.validator for e in errors] == ["required"]
    nested = {"name": "db", "ports": [{}]}
    errors = list(validator.iter_errors({"items": [nested]}))
    assert [list(e.absolute_path) for e in errors] == [["items", 0, "ports", 0]]
