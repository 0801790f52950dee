"""XML request bodies read as the values their schemas describe.

OpenAPI's `xml` object says how a schema's value is written as XML: an
object is an element whose properties are child elements (or attributes,
`xml.attribute`), named by `xml.name` or the property's name; an array is
its items as repeated elements, inside one wrapper element when
`xml.wrapped`; a scalar is an element's text. Reading follows the same
rules backwards, so the sandbox can check an XML body against its schema as
it checks JSON (AWS's query protocol posts `text/xml`), and the engine
stores what was sent.

Names are matched without their namespace prefix. An array written as
repeated elements has no way to say it is empty: a required one with no
elements is the empty array (as a form's is). Text is typed by the
schema (`5` for an integer is 5); what is no value of its type stays text,
for the schema check to refuse; a scalar's element with elements inside is
read as the object it writes, an object's element with only text as that
text, and a scalar's or object's element given more than once as the array
of them, for the same check. Elements the schema does not name are kept
as text (or as objects, when they have children), so that
`additionalProperties: false` can refuse them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any, Callable

from .media_types import suffixed

Resolve = Callable[[dict], dict]


class MalformedXML(ValueError):
    """The body is not well-formed XML."""


def is_xml(content_type: str | None) -> bool:
    """`application/xml`, `text/xml`, `application/atom+xml` and the like: what
    the sandbox's validation reads as XML (`*/*xml`)."""
    return suffixed(content_type, "xml")


def read(text: str | bytes, schema: dict, resolve: Resolve = lambda s: s) -> Any:
    """The value an XML document's root element carries under `schema`."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise MalformedXML(f"malformed XML body: {exc}") from None
    return _element(root, resolve(schema), resolve)


def _element(node: ET.Element, schema: dict, resolve: Resolve) -> Any:
    kind = _type(schema, resolve)
    if kind == "object" and not len(node) and not node.attrib and _text(node):
        return node.text  # `<DeleteOptions>true</DeleteOptions>`: text, no object
    if kind in (None, "object") and (kind or len(node) or node.attrib):
        return _object(node, schema, resolve)
    if kind != "array" and len(node):  # elements where text belongs: no scalar
        return _object(node, {}, resolve)
    if kind == "array":  # a root or wrapper element: its children are the items
        items = resolve(_member(schema, "items", resolve))
        return [_element(child, items, resolve) for child in node]
    return _scalar(node.text or "", kind)


def _object(node: ET.Element, schema: dict, resolve: Resolve) -> dict:
    value: dict[str, Any] = {}
    claimed: set[str] = set()
    required = _required(schema, resolve)
    for name, field in _properties(schema, resolve).items():
        field = resolve(field)
        options = _xml(field, resolve)
        tag = options.get("name", name)
        if options.get("attribute"):
            found = _attribute(node, tag)
            if found is not None:
                value[name] = _scalar(found, _type(field, resolve))
            continue
        if _type(field, resolve) == "array":
            items = resolve(_member(field, "items", resolve))
            if options.get("wrapped"):
                wrapper = _children(node, tag)
                if wrapper:
                    claimed.add(tag)
                    value[name] = [
                        _element(child, items, resolve) for child in wrapper[-1]
                    ]
                continue
            item_tag = _xml(items, resolve).get("name", tag)
            found_items = _children(node, item_tag)
            claimed.add(item_tag)
            if found_items or name in required:  # no elements: the empty array
                value[name] = [_element(child, items, resolve) for child in found_items]
            continue
        found_children = _children(node, tag)
        if len(found_children) > 1:  # a scalar or object given again: an array,
            claimed.add(tag)  # for the schema check to refuse
            value[name] = [_element(child, field, resolve) for child in found_children]
        elif found_children:
            claimed.add(tag)
            value[name] = _element(found_children[0], field, resolve)
    for child in node:
        tag = _local(child.tag)
        if tag not in claimed and tag not in value:
            value[tag] = _element(child, {}, resolve)
    return value


def _text(node: ET.Element) -> bool:
    return bool((node.text or "").strip())


def _children(node: ET.Element, tag: str) -> list[ET.Element]:
    return [child for child in node if _local(child.tag) == tag]


def _attribute(node: ET.Element, name: str) -> str | None:
    for key, text in node.attrib.items():
        if _local(key) == name:
            return text
    return None


def _local(tag: str) -> str:
    """`{urn:x}Name` and `x:Name` as `Name`."""
    return tag.rpartition("}")[2].rpartition(":")[2]


def _scalar(text: str, kind: str | None) -> Any:
    if kind == "integer" and text.strip().lstrip("+-").isdigit():
        return int(text)
    if kind == "number":
        try:
            return float(text) if "." in text or "e" in text.lower() else int(text)
        except ValueError:
            return text
    if kind == "boolean" and text.strip() in ("true", "false"):
        return text.strip() == "true"
    if kind == "object" and not text.strip():
        return {}
    if kind == "array" and not text.strip():
        return []
    return text


def _type(schema: dict, resolve: Resolve) -> str | None:
    """A schema's `type`, through `allOf` members."""
    schema = resolve(schema)
    kind = schema.get("type")
    if isinstance(kind, str):
        return kind
    for part in schema.get("allOf") or ():
        found = _type(part, resolve) if isinstance(part, dict) else None
        if found:
            return found
    return None


def _properties(schema: dict, resolve: Resolve) -> dict:
    """A schema's properties, with those of its `allOf` members."""
    schema = resolve(schema)
    found: dict = {}
    for part in schema.get("allOf") or ():
        if isinstance(part, dict):
            found.update(_properties(part, resolve))
    found.update(schema.get("properties") or {})
    return found


def _required(schema: dict, resolve: Resolve) -> set[str]:
    """The properties a schema (or an `allOf` member) requires."""
    schema = resolve(schema)
    found = set(schema.get("required") or ())
    for part in schema.get("allOf") or ():
        if isinstance(part, dict):
            found |= _required(part, resolve)
    return found


def _member(schema: dict, key: str, resolve: Resolve) -> dict:
    """`schema[key]`, or the first `allOf` member's."""
    schema = resolve(schema)
    if isinstance(schema.get(key), dict):
        return schema[key]
    for part in schema.get("allOf") or ():
        if isinstance(part, dict):
            found = _member(part, key, resolve)
            if found:
                return found
    return {}


def _xml(schema: dict, resolve: Resolve) -> dict:
    """A schema's `xml` options (its own, else an `allOf` member's)."""
    found = _member(schema, "xml", resolve)
    return found if isinstance(found, dict) else {}
