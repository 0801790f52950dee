"""The runtime's version and the package data formats it reads.

A generated package declares `DATA_FORMAT` (the layout of its
`operations.json`, `dag.json` and `tools.json`); `environment.bind` refuses a
format not listed here. Bump the format when that layout changes, not when
the runtime's code does: a runtime fix then needs no rebuild of any package.
"""

__version__ = "0.2.0"
DATA_FORMAT = 2  # 2: dag.json groups unconfirmed edges by reason
DATA_FORMATS = (1, 2)
# What a generated package's pyproject.toml pins (same major.minor).
REQUIREMENT = "envfactory-compiler>=0.2,<0.3"
# What the runtime imports at its base (a `--standalone` package declares these).
DEPENDENCIES = (
    "connexion[swagger-ui,uvicorn]>=3.1",
    "networkx>=3.2",
    "pydantic>=2.6",
    "rstr>=3.2",
    "tqdm>=4.66",
)
