"""Fixtures of these tests: swagger-petstore-v3 as committed in generated/, in process."""

from __future__ import annotations

import contextlib
import sys
import warnings
from pathlib import Path
from typing import Iterator

import pytest

from conftest import GENERATED, ROOT, build, import_package  # tests/conftest.py

PROJECT = GENERATED / "swagger_petstore_v3_env"
SHAPES = ROOT / "tests" / "real_shapes"
AUTH = {"Authorization": "Bearer envc-sandbox-token"}
sys.path.insert(
    0, str(ROOT / "bench")
)  # the load and fault tests drive bench/'s clients


@pytest.fixture(scope="session")
def package():
    return import_package(PROJECT)


@contextlib.contextmanager
def in_process(package, **load) -> Iterator:
    """An in-process HTTP client of a fresh sandbox of `package` (a module or a
    built project's folder), which it carries as `.sandbox`."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from starlette.testclient import TestClient
    if isinstance(package, Path):
        package = import_package(package)
    sandbox = package.load_sandbox(**load)
    with TestClient(sandbox.asgi()) as test_client:
        test_client.sandbox = sandbox
        yield test_client


def shape_fixtures(
    name: str, *, client_scope: str = "function", package: str | None = None, **load
):
    """A test module's `project` (tests/real_shapes/NAME.yaml, built once, as
    `package` where another test module builds NAME too: one process imports
    a package name once) and `client` (an in-process client of a fresh sandbox
    of it) fixtures."""

    @pytest.fixture(scope="module")
    def project(tmp_path_factory) -> Path:
        out = tmp_path_factory.mktemp(name) / "out"
        return build(SHAPES / f"{name}.yaml", out, package or name)

    @pytest.fixture(scope=client_scope)
    def client(project):
        with in_process(project, **load) as test_client:
            yield test_client

    return project, client


@pytest.fixture
def client(package):
    """An in-process HTTP client of a fresh sandbox (two seeded items per resource)."""
    with in_process(package, fixtures=2) as test_client:
        yield test_client


def add_pet(client, task: str, name: str, **headers: str) -> dict:
    reply = client.post(
        "/api/v3/pet",
        json={"name": name, "photoUrls": []},
        headers={**AUTH, "X-Envc-Task": task, **headers},
    )
    assert reply.status_code == 200, reply.text
    return reply.json()
