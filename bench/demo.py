"""`make demo`: exercise one compiled sandbox end to end, then stop.

Serves generated/bookstore_env on 127.0.0.1 (a free port), walks through
create -> read -> nested create -> list -> delete -> 404 and a second task,
printing each exchange. Nothing outlives the script.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ROOT / "generated" / "bookstore_env"


def main() -> None:
    sys.path.insert(0, str(PROJECT))
    from bookstore_env import SandboxServer

    with SandboxServer() as server:
        client = httpx.Client(base_url=server.base_url + "/v1", timeout=10)
        print(f"serving {PROJECT.name} at {server.base_url} (Swagger UI: {server.base_url}/v1/ui/)")

        def show(label: str, response: httpx.Response) -> httpx.Response:
            body = json.dumps(response.json()) if response.content else ""
            print(f"{label:<42} {response.status_code} {body[:110]}")
            return response

        author = show("POST /authors", client.post("/authors", json={"name": "Ursula K. Le Guin"})).json()
        show("GET /authors/{id}", client.get(f"/authors/{author['id']}"))
        book = {"title": "The Dispossessed", "isbn": "9780061054884", "genre": "fiction", "publishedYear": 1974}
        created = show("POST /authors/{id}/books", client.post(f"/authors/{author['id']}/books", json=book)).json()
        show("GET /books?genre=fiction", client.get("/books", params={"genre": "fiction"}))
        show("GET /authors/{id} in another task", client.get(f"/authors/{author['id']}", headers={"X-Envc-Task": "other"}))
        show("DELETE /authors/{id}/books/{id}", client.delete(f"/authors/{author['id']}/books/{created['id']}"))
        show("GET /authors/{id}/books/{id} after delete", client.get(f"/authors/{author['id']}/books/{created['id']}"))
        show("POST /authors with an invalid body", client.post("/authors", json={"name": ""}))
    print("sandbox stopped")


if __name__ == "__main__":
    main()
