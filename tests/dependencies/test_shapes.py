"""Reduced real-world shapes (`shapes/`) whose candidates inference must not propose."""

from __future__ import annotations

from pathlib import Path

from envfactory_compiler.dependency_inference import DOCUMENTED, DependencyInferencer
from envfactory_compiler.schema_ingestion import SchemaLoader

SHAPES = Path(__file__).resolve().parent / "shapes"


def _bound(name: str) -> set[tuple[str, str, str]]:
    spec = SchemaLoader().load(str(SHAPES / name))
    graph = DependencyInferencer(spec.document, policy=DOCUMENTED).infer(spec.endpoints)
    return {
        (producer, consumer, b["name"])
        for producer, consumer, data in graph.edges(data=True)
        for b in data["bindings"]
    }


def test_a_request_id_header_is_no_reference_to_a_request() -> None:
    bound = _bound("request_id_headers.yaml")
    assert not {b for b in bound if b[2] == "X-Bunq-Client-Request-Id"}, bound
    assert ("listRequests", "getRequest", "requestInquiryId") in bound


def test_an_embedded_copy_is_no_producer_by_schema_alone() -> None:
    bound = _bound("embedded_copies.yaml")
    producers = {p for p, c, name in bound if name == "repo_slug"}
    assert producers == {"listRepositories", "getRepository"}, bound
    assert ("listPullRequests", "getPullRequest", "pull_request_id") in bound
