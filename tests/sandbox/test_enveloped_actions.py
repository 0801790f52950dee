"""Verbs on an item whose answers wrap the item (tests/real_shapes/enveloped_actions.yaml,
AWS's REST-JSON shape): `POST /crl/{crlId}/disable` answers that CRL, changed, not
a stand-in (it answered another CRL, and `GetCrl` then showed nothing had changed),
and a verb named after a flag of the item sets it."""

from __future__ import annotations

import json

from sandbox_fixtures import AUTH, shape_fixtures

project, client = shape_fixtures("enveloped_actions", package="enveloped_verbs")


def _import(client, name: str) -> dict:
    made = client.post(
        "/crls", json={"name": name, "crlData": "kestrel", "enabled": True}, headers=AUTH
    )
    assert made.status_code == 201, made.text
    return made.json()["crl"]


def test_a_verb_answers_its_item_with_the_flag_it_names(client) -> None:
    crl = _import(client, "Amber")
    url = f"/crl/{crl['crlId']}"
    disabled = client.post(f"{url}/disable", headers=AUTH)
    assert disabled.status_code == 200, disabled.text
    assert disabled.json()["crl"] == {**crl, "enabled": False}
    assert client.get(url, headers=AUTH).json()["crl"] == {**crl, "enabled": False}
    assert client.post(f"{url}/enable", headers=AUTH).json()["crl"]["enabled"] is True
    archived = client.post(f"{url}/archive", headers=AUTH).json()["crl"]
    assert archived == {**crl, "enabled": True, "isArchived": True}
    listed = client.get("/crls", headers=AUTH).json()["crls"]
    assert [c for c in listed if c["crlId"] == crl["crlId"]] == [archived]


def test_a_verb_on_an_item_no_one_made_is_a_404(client) -> None:
    assert client.post("/crl/nothing-here/disable", headers=AUTH).status_code == 404


def test_the_tables_say_what_each_verb_sets(project) -> None:
    tables = json.loads((project / project.name / "operations.json").read_text())
    sets = {
        name: (op.get("produces"), op.get("item_envelope"), op.get("sets"))
        for name, op in tables["operations"].items()
        if op["role"] == "action"
    }
    assert sets == {
        "DisableCrl": ("crl", "crl", {"enabled": False}),
        "EnableCrl": ("crl", "crl", {"enabled": True}),
        "ArchiveCrl": ("crl", "crl", {"isArchived": True}),
    }
