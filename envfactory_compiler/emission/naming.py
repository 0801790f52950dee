"""Names the compiler invents: package names and Python identifiers."""

from __future__ import annotations

import keyword
import re
import unicodedata


def slug(text: str) -> str:
    """A lowercase identifier from any text: 'Swagger Petstore' -> 'swagger_petstore'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", ascii_text)
    name = re.sub(r"[^a-zA-Z0-9]+", "_", words).strip("_").lower()
    if not name or name[0].isdigit():
        name = "api_" + name
    return name + "_" if keyword.iskeyword(name) else name


def package_name(title: str, override: str | None = None) -> str:
    """The generated import package: '<slug>_env'."""
    base = slug(override or title)
    return base if base.endswith("_env") else base + "_env"


def distribution_name(package: str) -> str:
    return package.replace("_", "-")
