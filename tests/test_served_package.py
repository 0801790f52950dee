"""The issue's walk-through, for real: pip-install a built package, run
`python -m <package> serve`, and talk HTTP to it."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest

from conftest import ROOT, build

TOKEN = "envc-sandbox-token"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """petstore-expanded built, pip-installed into a target dir, served on loopback."""
    work = tmp_path_factory.mktemp("served")
    project = build(
        ROOT / "specs" / "petstore-expanded.yaml", work / "out", name="petstore"
    )
    site = work / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(project),
        ],
        check=True,
        timeout=300,
    )
    assert (site / "petstore_env" / "openapi.json").is_file()
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(site)}
    log = (work / "server.log").open(
        "w"
    )  # a file: an unread pipe would fill and block the server
    proc = subprocess.Popen(
        [sys.executable, "-m", "petstore_env", "serve", "--port", str(port)],
        env=env,
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}/v2", timeout=10)
    deadline = time.monotonic() + 60
    while True:
        try:
            client.get("/pets")
            break
        except httpx.TransportError:
            assert proc.poll() is None, (work / "server.log").read_text()
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
    client.log_path = work / "server.log"  # what `serve` told the user
    yield client
    proc.terminate()
    proc.wait(timeout=10)


def test_post_then_get_returns_the_posted_fields(served: httpx.Client) -> None:
    created = served.post("/pets", json={"name": "Rex", "tag": "dog"})
    assert created.status_code == 200
    pet = created.json()
    assert pet["name"] == "Rex" and pet["tag"] == "dog" and isinstance(pet["id"], int)
    read = served.get(f"/pets/{pet['id']}")
    assert read.status_code == 200 and read.json() == pet


def test_delete_then_get_is_404(served: httpx.Client) -> None:
    pet = served.post("/pets", json={"name": "Gone"}).json()
    assert served.delete(f"/pets/{pet['id']}").status_code == 204
    missing = served.get(f"/pets/{pet['id']}")
    assert missing.status_code == 404
    assert missing.json()["code"] == 404


def test_a_second_task_does_not_see_the_first(served: httpx.Client) -> None:
    pet = served.post(
        "/pets", json={"name": "Mine"}, headers={"X-Envc-Task": "task-a"}
    ).json()
    assert (
        served.get(f"/pets/{pet['id']}", headers={"X-Envc-Task": "task-a"}).status_code
        == 200
    )
    assert (
        served.get(f"/pets/{pet['id']}", headers={"X-Envc-Task": "task-b"}).status_code
        == 404
    )
    assert served.get("/pets", headers={"X-Envc-Task": "task-b"}).json() == []


def test_invalid_request_is_rejected_without_changing_state(
    served: httpx.Client,
) -> None:
    headers = {"X-Envc-Task": "task-invalid"}
    before = served.get("/pets", headers=headers).json()
    rejected = served.post("/pets", json={"tag": 5}, headers=headers)
    assert rejected.status_code == 400 and "name" in rejected.json()["message"]
    assert served.get("/pets", headers=headers).json() == before


def test_swagger_ui_is_served(served: httpx.Client) -> None:
    assert served.get("/ui/").status_code == 200


def test_serve_says_where_the_api_and_its_ui_are(served: httpx.Client) -> None:
    """The spec's server URL has the base path `/v2`: the API and the UI are there."""
    said = served.log_path.read_text()
    assert "/v2 (Swagger UI: /v2/ui/)" in said, said
    assert served.get("/ui/").status_code == 200


def test_a_url_longer_than_64_kib_reaches_the_api(served: httpx.Client) -> None:
    """httptools reads a URL's parts with 16-bit offsets; Stripe's long
    `expand[]` queries and ids drew uvicorn's plain-text 400 before the app
    saw them."""
    import socket

    url = httpx.URL(str(served.base_url))
    for size in (1_000, 70_000, 200_000):
        target = f"{url.path.rstrip('/')}/pets?limit=2&note={'p' * size}"
        with socket.create_connection((url.host, url.port), timeout=10) as sock:
            sock.sendall(
                f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
            )
            reply = b""
            while chunk := sock.recv(65536):
                reply += chunk
        head, _, body = reply.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200"), (size, head, body[:200])
        assert body.startswith(b"["), body[:200]
    long_id = "%C2%B0" * 15_000  # a 90 KB path: the operation's own refusal
    with socket.create_connection((url.host, url.port), timeout=10) as sock:
        sock.sendall(
            f"GET {url.path.rstrip('/')}/pets/{long_id} HTTP/1.1\r\nHost: x\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    assert b"HTTP/1.1 4" in head and b"json" in head.lower(), (head, body[:200])
