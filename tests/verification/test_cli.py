"""`envc build` writes dag.json; `envc graph` and `envc verify` read and re-run it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import GENERATED, SPECS, build, run_envc
from envfactory_compiler.environment_verifier import VerifiedDAG


@pytest.fixture(scope="module")
def petstore_package(tmp_path_factory) -> Path:
    return build(
        SPECS / "swagger-petstore-v3.yaml",
        tmp_path_factory.mktemp("dag"),
        name="dagpets",
    )


def test_build_writes_a_sorted_stamped_dag(petstore_package: Path) -> None:
    text = (petstore_package / petstore_package.name / "dag.json").read_text(
        encoding="utf-8"
    )
    data = json.loads(text)
    assert data["x-envc"]["sha256"]
    assert data["edges"] == sorted(
        data["edges"], key=lambda e: (e["producer"], e["consumer"])
    )
    dag = VerifiedDAG.from_json(text)
    assert ("addPet", "getPetById") in dag.confirmed_edges()
    # An order names its pet (`Order.petId`), so it leads to the pet; never to a user.
    assert ("placeOrder", "getPetById") in dag.confirmed_edges()
    assert not [
        edge
        for edge in dag.confirmed_edges()
        if edge[1] == "getUserByName" and "Order" in edge[0]
    ]


def test_every_committed_package_has_its_dag() -> None:
    for project in sorted(GENERATED.glob("*_env")):
        assert (project / project.name / "dag.json").is_file(), project


@pytest.mark.parametrize("fmt", ["mermaid", "dot", "json"])
def test_graph_formats_show_confirmed_and_unconfirmed_edges(fmt: str) -> None:
    package = GENERATED / "bookstore_env"  # some of its edges stay unconfirmed
    result = run_envc("graph", str(package), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "create_author" in result.output and "get_author" in result.output
    if fmt == "mermaid":
        assert "-->" in result.output and "-.->" in result.output
    if fmt == "dot":
        assert "style=solid" in result.output and "style=dashed" in result.output


def test_graph_of_a_spec_compiles_in_memory(tmp_path: Path) -> None:
    result = run_envc(
        "graph", str(SPECS / "petstore-expanded.yaml"), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["edges"]


def test_verify_reruns_every_edge(petstore_package: Path) -> None:
    result = run_envc("verify", str(petstore_package))
    assert result.exit_code == 0, result.output
    assert "confirmed   addPet -> getPetById" in result.output
    assert (
        result.output.strip()
        .splitlines()[-1]
        .endswith(
            f"depth {VerifiedDAG.from_json((petstore_package / petstore_package.name / 'dag.json').read_text()).depth()}"
        )
    )
