"""`models.py` from datamodel-code-generator reads like hand-written models:
one class per schema, whatever restates a referenced schema beside its `$ref`
(tests/real_shapes/restated_ref_types.yaml)."""

from __future__ import annotations

import re
from pathlib import Path

from envfactory_compiler.emission.models import generate_models
from envfactory_compiler.schema_ingestion import SchemaLoader

SPEC = Path(__file__).resolve().parent / "real_shapes" / "restated_ref_types.yaml"


def _models() -> str:
    loader = SchemaLoader()
    return generate_models(loader.normalize(loader.read(str(SPEC))).document, "# h")


def test_a_restated_type_beside_a_ref_makes_no_copy_of_the_class() -> None:
    code = _models()
    classes = re.findall(r"^class (\w+)", code, re.M)
    assert classes.count("Avatar") == 1 and not [
        c for c in classes if re.fullmatch(r"(Avatar|OwnerAvatar|Alias)\d*", c) and c != "Avatar"
    ], classes
    assert re.search(
        r"avatar: Avatar \| None = Field\(\s*None, description='The avatar of the account.'",
        code,
    )
    assert re.search(r"owner_avatar: Avatar \| None", code)
    assert re.search(r"alias: Pointer \| None", code)
    # the description of the referenced schema is still its class docstring
    assert re.search(r'class Avatar\(BaseModel\):\n    """\n    An image that stands', code)
