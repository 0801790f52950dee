"""envfactory-compiler: OpenAPI spec -> stateful sandbox package.

The pipeline, one subpackage per stage:
`schema_ingestion` (spec -> `NormalizedSpec`) then `emission`
(IR -> `generated/<name>_env/`); `pipeline.build` runs them in order.
"""

from .diagnostics import Diagnostic, SpecError
from .ir import Body, EndpointDef, NormalizedSpec, Parameter, Resource, Response, Role
from .schema_ingestion import SchemaLoader

from envfactory_runtime.version import __version__  # one distribution, one version

__all__ = [
    "Body",
    "Diagnostic",
    "EndpointDef",
    "NormalizedSpec",
    "Parameter",
    "Resource",
    "Response",
    "Role",
    "SchemaLoader",
    "SpecError",
    "__version__",
]
