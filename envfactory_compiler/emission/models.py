"""`models.py` with datamodel-code-generator (pydantic v2).

It reads the bundled document, with component schema names made safe for
it (dotted names like `Pet.v1` would otherwise ask for a package of
modules) and a `type` beside a `$ref` dropped where the referenced schema
has that type already: with it, every such property got a copy of the
referenced class to carry its description (bunq: 806 copies of `Avatar`,
2,879 classes where 1,370 say everything). Formatting is the emitter's.
"""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

from ..frozen import thaw


class ModelsError(Exception):
    """datamodel-code-generator could not make models for this document."""


def generate_models(document: Any, header: str) -> str:
    # imported here: half a second of start-up, paid only in the process that makes models
    from datamodel_code_generator import (
        DataModelType,
        InputFileType,
        OpenAPIScope,
        PythonVersion,
        generate,
    )

    text = json.dumps(
        _safe_schema_names(_without_restated_types(thaw(document))), ensure_ascii=False
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter(
                "ignore"
            )  # its format notices are not the user's problem
            code = generate(
                text,
                input_file_type=InputFileType.OpenAPI,
                output_model_type=DataModelType.PydanticV2BaseModel,
                openapi_scopes=[
                    OpenAPIScope.Schemas,
                    OpenAPIScope.Paths,
                    OpenAPIScope.Parameters,
                ],
                target_python_version=PythonVersion.PY_311,
                disable_timestamp=True,
                formatters=[],
                custom_file_header=header,
                use_schema_description=True,
                use_standard_collections=True,
                use_union_operator=True,
                field_constraints=True,
                capitalise_enum_members=True,
            )
    except Exception as exc:  # noqa: BLE001 - the library raises many kinds
        raise ModelsError(f"{type(exc).__name__}: {exc}") from None
    if not isinstance(code, str):
        raise ModelsError("datamodel-code-generator produced several modules")
    return code


def _without_restated_types(document: dict) -> dict:
    """`document` with `{"$ref": X, "type": T}` made `{"$ref": X}` where X's type is T."""
    schemas = (document.get("components") or {}).get("schemas") or {}
    prefix = "#/components/schemas/"

    def restated(node: dict) -> bool:
        ref = node.get("$ref")
        if not (isinstance(ref, str) and ref.startswith(prefix)):
            return False
        target = schemas.get(ref[len(prefix) :])
        return isinstance(target, dict) and target.get("type") == node.get("type")

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if "type" in node and "$ref" in node and restated(node):
                node = {k: v for k, v in node.items() if k != "type"}
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(document)


def _safe_schema_names(document: dict) -> dict:
    schemas = (document.get("components") or {}).get("schemas") or {}
    renames = {}
    taken = set(schemas)
    for name in schemas:
        safe = re.sub(r"[^A-Za-z0-9_]", "_", name)
        if safe != name:
            while safe in taken:
                safe += "_"
            taken.add(safe)
            renames[name] = safe
    if not renames:
        return document
    document["components"]["schemas"] = {
        renames.get(k, k): v for k, v in schemas.items()
    }
    return _rewrite_refs(
        document,
        {
            f"#/components/schemas/{k}": f"#/components/schemas/{v}"
            for k, v in renames.items()
        },
    )


def _rewrite_refs(node: Any, mapping: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {
            k: (
                mapping.get(v, v)
                if k == "$ref" and isinstance(v, str)
                else _rewrite_refs(v, mapping)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(v, mapping) for v in node]
    return node
