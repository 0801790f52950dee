"""Consistency checks for the hand-labelled dependency ground truth.

The labels in `ground_truth/<spec stem>.json` are what the dependency inferencer
is scored against (see ground_truth/README.md for the labelling policy). These
tests check that the labels are well formed and agree with the specs: every
name exists, every source pointer resolves in the producer's documented 2xx
response, every OpenAPI link of the spec is labelled, and the files are sorted,
duplicate-free and deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import pytest

from envfactory_compiler import SchemaLoader

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
GROUND_TRUTH = Path(__file__).resolve().parent / "ground_truth"
LABEL_FILES = sorted(GROUND_TRUTH.glob("*.json"))
LOCATIONS = {"path", "query", "header", "cookie", "body"}


@lru_cache(maxsize=None)
def load_spec(filename: str):
    return SchemaLoader().load(str(SPECS / filename))


def load_labels(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def endpoints(spec) -> dict:
    return {e.name: e for e in spec.endpoints}


def pointer_tokens(pointer: str) -> list[str]:
    assert pointer == "" or pointer.startswith("/"), f"not a JSON pointer: {pointer!r}"
    if pointer == "":
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def deref(document, schema, seen=()):
    while isinstance(schema, Mapping) and "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/"), f"non-local $ref {ref!r}"
        if ref in seen:
            return {}
        seen = (*seen, ref)
        node = document
        for token in pointer_tokens(ref[1:]):
            node = node[token]
        schema = node
    return schema


def schema_has(document, schema, tokens: list[str], depth: int = 0) -> bool:
    """Whether `tokens` (a JSON pointer) can address a value of `schema`."""
    if depth > 64:
        return False
    schema = deref(document, schema)
    if not isinstance(schema, Mapping):
        return False
    if not tokens:
        return True
    for key in ("allOf", "oneOf", "anyOf"):
        for branch in schema.get(key, ()):
            if schema_has(document, branch, tokens, depth + 1):
                return True
    head, rest = tokens[0], tokens[1:]
    if head.isdigit() and "items" in schema:
        return schema_has(document, schema["items"], rest, depth + 1)
    properties = schema.get("properties") or {}
    if head in properties:
        return schema_has(document, properties[head], rest, depth + 1)
    return False


def example_has(example, tokens: list[str]) -> bool:
    node = example
    for token in tokens:
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif (
            isinstance(node, Sequence)
            and not isinstance(node, str)
            and token.isdigit()
            and int(token) < len(node)
        ):
            node = node[int(token)]
        else:
            return False
    return node is not None and not isinstance(node, (Mapping, list, tuple))


def response_contains(spec, endpoint, pointer: str) -> bool:
    """Whether a documented 2xx response of `endpoint` holds a value at `pointer`."""
    document = spec.document
    operation = document["paths"][endpoint.path][endpoint.method]
    tokens = pointer_tokens(pointer)
    for status, response in operation.get("responses", {}).items():
        response = deref(document, response)
        # Only what the spec documents: responses the compiler added for the sandbox
        # (x-envc-added) are not evidence.
        if not str(status).startswith("2") or response.get("x-envc-added"):
            continue
        for media in (response.get("content") or {}).values():
            # A schema the compiler read off the example (x-envc-from-example) documents
            # nothing the example does not: the example is what the labels point into.
            derived = "schema" in media and deref(document, media["schema"]).get(
                "x-envc-from-example"
            )
            if "schema" in media and not derived:
                if schema_has(document, media["schema"], tokens):
                    return True
            elif "example" in media and example_has(media["example"], tokens):
                return True
    return False


def spec_links(spec):
    """(producer, consumer, parameter, link name) for every OpenAPI link whose
    both operations exist."""
    by_operation_id = {e.operation_id: e.name for e in spec.endpoints if e.operation_id}
    out = []
    for endpoint in spec.endpoints:
        for response in endpoint.responses:
            if not response.status.startswith("2") or not response.links:
                continue
            for link_name, link in response.links.items():
                link = deref(spec.document, link)
                target = by_operation_id.get(link.get("operationId"))
                if target is None:
                    continue
                for parameter in link.get("parameters") or {}:
                    parameter = parameter.split(".", 1)[-1]  # "path.id" -> "id"
                    out.append((endpoint.name, target, parameter, link_name))
    return out


def test_enough_specs_are_labelled():
    assert len(LABEL_FILES) >= 6, [p.name for p in LABEL_FILES]
    labelled = {load_labels(p)["spec"] for p in LABEL_FILES}
    with_links = sorted(s for s in labelled if spec_links(load_spec(s)))
    assert len(with_links) >= 2, with_links
    assert {"link-example.yaml", "bookstore.yaml"} <= set(with_links)


def test_readme_states_the_policy():
    text = (GROUND_TRUTH / "README.md").read_text(encoding="utf-8")
    assert text.lstrip().startswith("#")
    assert "Policy" in text


@pytest.mark.parametrize("path", LABEL_FILES, ids=[p.stem for p in LABEL_FILES])
class TestLabelFile:
    def test_file_is_named_after_its_spec_and_deterministic(self, path):
        labels = load_labels(path)
        assert Path(labels["spec"]).stem == path.stem
        assert (SPECS / labels["spec"]).is_file()
        assert set(labels) <= {"spec", "consumers", "edges", "notes"}
        assert isinstance(labels["notes"], list) and labels["notes"]
        expected = json.dumps(labels, indent=2, ensure_ascii=False) + "\n"
        assert path.read_text(encoding="utf-8") == expected

    def test_consumers_exist(self, path):
        labels = load_labels(path)
        spec = load_spec(labels["spec"])
        named = endpoints(spec)
        keys = [(c["consumer"], c["parameter"]) for c in labels["consumers"]]
        assert keys == sorted(keys), "consumers must be sorted"
        assert len(keys) == len(set(keys)), "duplicate consumer parameter"
        for c in labels["consumers"]:
            assert c["consumer"] in named, c
            check_parameter(spec, named[c["consumer"]], c)

    def test_edges_are_well_formed(self, path):
        labels = load_labels(path)
        spec = load_spec(labels["spec"])
        named = endpoints(spec)
        consumers = {
            (c["consumer"], c["parameter"], c["in"]) for c in labels["consumers"]
        }
        keys = []
        for edge in labels["edges"]:
            assert set(edge) <= {
                "producer",
                "consumer",
                "parameter",
                "in",
                "source",
                "field",
                "link",
            }, edge
            assert edge["producer"] in named, edge
            assert edge["consumer"] in named, edge
            assert edge["producer"] != edge["consumer"], f"self-loop: {edge}"
            assert (edge["consumer"], edge["parameter"], edge["in"]) in consumers, edge
            check_parameter(spec, named[edge["consumer"]], edge)
            keys.append((edge["consumer"], edge["parameter"], edge["producer"]))
        assert keys == sorted(
            keys
        ), "edges must be sorted by (consumer, parameter, producer)"
        assert len(keys) == len(set(keys)), "duplicate edge"

    def test_sources_resolve_in_the_producer_response(self, path):
        labels = load_labels(path)
        spec = load_spec(labels["spec"])
        named = endpoints(spec)
        for edge in labels["edges"]:
            assert response_contains(
                spec, named[edge["producer"]], edge["source"]
            ), edge

    def test_every_openapi_link_is_an_edge(self, path):
        labels = load_labels(path)
        spec = load_spec(labels["spec"])
        edges = {
            (e["producer"], e["consumer"], e["parameter"]): e for e in labels["edges"]
        }
        links = spec_links(spec)
        for producer, consumer, parameter, name in links:
            edge = edges.get((producer, consumer, parameter))
            assert (
                edge is not None
            ), f"link {name} missing: {producer} -> {consumer}.{parameter}"
            assert edge.get("link") == name, edge
        marked = {k for k, e in edges.items() if "link" in e}
        assert marked == {(p, c, q) for p, c, q, _ in links}


def check_parameter(spec, endpoint, entry):
    location = entry["in"]
    assert location in LOCATIONS, entry
    if location == "body":
        field = entry["field"]
        assert pointer_tokens(field)[-1] == entry["parameter"], entry
        assert endpoint.body is not None, f"{endpoint.name} has no request body"
        assert schema_has(
            spec.document, endpoint.body.schema, pointer_tokens(field)
        ), entry
    else:
        assert "field" not in entry, entry
        assert any(
            p.name == entry["parameter"] and p.location == location
            for p in endpoint.parameters
        ), f"{endpoint.name} has no {location} parameter {entry['parameter']!r}"
