"""`make demo`: exercise one compiled sandbox end to end, then sample it.

Serves generated/bookstore_env on 127.0.0.1 (a free port), walks through
create -> read -> nested create -> list -> delete -> 404 and a second task,
printing each exchange; then does what users come for: samples trajectories
and blueprints from the package (`envc sample`, `envc blueprints`), prints
two records as a reader sees them, and the quality figures of each file.
Nothing outlives the script; the JSONL files go to a temporary directory.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ROOT / "generated" / "bookstore_env"


def main() -> None:
    sys.path.insert(0, str(PROJECT))
    from bookstore_env import SandboxServer

    with SandboxServer() as server:
        client = httpx.Client(base_url=server.base_url + "/v1", timeout=10)
        print(
            f"serving {PROJECT.name} at {server.base_url} (Swagger UI: {server.base_url}/v1/ui/)"
        )

        def show(label: str, response: httpx.Response) -> httpx.Response:
            body = json.dumps(response.json()) if response.content else ""
            print(f"{label:<42} {response.status_code} {body[:110]}")
            return response

        author = show(
            "POST /authors", client.post("/authors", json={"name": "Ursula K. Le Guin"})
        ).json()
        show("GET /authors/{id}", client.get(f"/authors/{author['id']}"))
        book = {
            "title": "The Dispossessed",
            "isbn": "9780061054884",
            "genre": "fiction",
            "publishedYear": 1974,
        }
        created = show(
            "POST /authors/{id}/books",
            client.post(f"/authors/{author['id']}/books", json=book),
        ).json()
        show(
            "GET /books?genre=fiction",
            client.get("/books", params={"genre": "fiction"}),
        )
        show(
            "GET /authors/{id} in another task",
            client.get(f"/authors/{author['id']}", headers={"X-Envc-Task": "other"}),
        )
        show(
            "DELETE /authors/{id}/books/{id}",
            client.delete(f"/authors/{author['id']}/books/{created['id']}"),
        )
        show(
            "GET /authors/{id}/books/{id} after delete",
            client.get(f"/authors/{author['id']}/books/{created['id']}"),
        )
        show(
            "POST /authors with an invalid body",
            client.post("/authors", json={"name": ""}),
        )
    print("sandbox stopped")
    sample_and_read()


def envc(*args: str) -> str:
    """Run `envc` as a user would; its summary (stderr) is what it prints."""
    command = [sys.executable, "-m", "envfactory_compiler", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return done.stderr


def sample_and_read() -> None:
    with tempfile.TemporaryDirectory() as work:
        sample, blueprints = (
            Path(work) / "sample.jsonl",
            Path(work) / "blueprints.jsonl",
        )
        print(
            f"\n$ envc sample {PROJECT.relative_to(ROOT)} -n 200 --seed 0 --fixtures 1"
        )
        print(
            envc(
                "sample",
                str(PROJECT),
                "-n",
                "200",
                "--seed",
                "0",
                "--fixtures",
                "1",
                "-o",
                str(sample),
            )
        )
        print(f"$ envc blueprints {PROJECT.relative_to(ROOT)} -n 20 --seed 0")
        print(
            envc(
                "blueprints",
                str(PROJECT),
                "-n",
                "20",
                "--seed",
                "0",
                "-o",
                str(blueprints),
            )
        )
        rows = [json.loads(line) for line in sample.read_text().splitlines()]
        for row in rows[:2]:
            print(
                f"--- record {row['metadata']['index']} (depth {row['metadata']['depth']})"
            )
            for message in row["messages"][1:]:
                for call in message.get("tool_calls") or ():
                    print(
                        f"  assistant -> {call['function']['name']}({call['function']['arguments']})"
                    )
                if message["role"] == "tool":
                    print(f"  tool      <- {message['content'][:100]}")
                elif message.get("content"):
                    print(f"  {message['role']:<9} {message['content']}")
        task = json.loads(blueprints.read_text().splitlines()[0])
        print(f"--- blueprint {task['id']}\n  instruction: {task['instruction']}")
        print(f"  actions:     {[a['name'] for a in task['actions']]}")
        print(f"  outputs:     {[(o['pointer'], o['value']) for o in task['outputs']]}")


if __name__ == "__main__":
    main()
