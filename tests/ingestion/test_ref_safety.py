"""A spec's `$ref`s reach only its own folder: compiling a spec someone else
wrote (a customer's upload, a pull request in CI) must not copy files from
elsewhere on the machine into the package or print them in a diagnostic.
And a percent-encoded pointer in a `$ref`'s fragment is a pointer (RFC 6901 s6)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import run_envc

SECRET = "TOPSECRET-4d1f"

SPEC = """openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: "{ref}"}}
"""


def _layout(tmp_path: Path, ref: str) -> Path:
    (tmp_path / "secret.json").write_text(
        f'{{"type": "object", "description": "{SECRET}"}}'
    )
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "s.yaml").write_text(SPEC.format(ref=ref))
    return specs / "s.yaml"


@pytest.mark.parametrize("ref", ["../secret.json", "{root}/secret.json", "link.json"])
def test_a_ref_out_of_the_spec_folder_is_refused_and_not_read(
    tmp_path: Path, ref: str
) -> None:
    spec = _layout(tmp_path, ref.format(root=tmp_path))
    (spec.parent / "link.json").symlink_to(
        tmp_path / "secret.json"
    )  # a link out is out too
    out = tmp_path / "out"
    result = run_envc("build", str(spec), "-o", str(out), "--name", "s")
    assert result.exit_code == 1
    assert "reaches outside" in result.output and "--ref-root" in result.output
    assert SECRET not in result.output and "Traceback" not in result.output
    assert not out.exists()  # nothing written


def test_ref_root_lets_a_spec_reach_a_wider_folder(tmp_path: Path) -> None:
    spec = _layout(tmp_path, "../secret.json")
    out = tmp_path / "out"
    result = run_envc(
        "build", str(spec), "-o", str(out), "--name", "s", "--ref-root", str(tmp_path)
    )
    assert result.exit_code == 0, result.output
    assert SECRET in (out / "s_env" / "s_env" / "openapi.json").read_text()


def test_a_ref_to_a_file_beside_the_spec_still_builds(tmp_path: Path) -> None:
    spec = _layout(tmp_path, "thing.json")
    (spec.parent / "thing.json").write_text(
        '{"type": "object", "properties": {"id": {"type": "integer"}}}'
    )
    result = run_envc("build", str(spec), "-o", str(tmp_path / "out"), "--name", "s")
    assert result.exit_code == 0, result.output


def test_a_percent_encoded_pointer_resolves(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text("""openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /companies/{companyId}:
    parameters:
      - {name: companyId, in: path, required: true, schema: {type: string}}
    get:
      operationId: getCompany
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /companies/{companyId}/copy:
    parameters:
      - $ref: "#/paths/~1companies~1%7BcompanyId%7D/parameters/0"
    get:
      operationId: copyCompany
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
""")
    result = run_envc("build", str(spec), "-o", str(tmp_path / "out"), "--name", "s")
    assert result.exit_code == 0, result.output
    assert os.path.isdir(tmp_path / "out" / "s_env")
