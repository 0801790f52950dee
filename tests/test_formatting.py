"""Large generated sources are formatted a run of classes at a time (and in
two processes): the bytes must be the formatter's own for the whole file,
and `models.py`'s formatter must write what black would leave alone."""

from __future__ import annotations

from pathlib import Path

import black
import pytest

from envfactory_compiler.emission import formatting
from envfactory_compiler.emission.models import generate_models
from envfactory_compiler.schema_ingestion import SchemaLoader

ROOT = Path(__file__).resolve().parents[1]

_TRICKY = '''# header
from __future__ import annotations

from pydantic import BaseModel, RootModel


class A(BaseModel):
    """
    A docstring.
    """
    x: int | None = None



class B(RootModel[list[str]]):
    root: list[str]


# a comment that belongs to C


class C(BaseModel):
    y: str = 'single quotes'
A.model_rebuild()


class D(BaseModel):
    pass
class E(BaseModel):
    v: int


class G(BaseModel):
    u: dict[str, int] = {'a':1}
    z: list[int] = [1,2,3,]


class F(BaseModel):
    w: str | None = Field(None, description='a description long enough to need its own lines when black is done with it')
'''


def _whole(source: str) -> str:
    return black.format_str(source, mode=formatting.mode())


def _models(spec: str) -> str:
    loader = SchemaLoader()
    document = loader.normalize(loader.read(str(ROOT / "specs" / spec))).document
    return generate_models(document, "# header")


@pytest.mark.parametrize("run_bytes", [1, 40, 200])
def test_runs_join_to_what_black_makes_of_the_whole(run_bytes: int) -> None:
    assert len(formatting.class_runs(_TRICKY, 1)) > 2
    assert formatting.format_python(_TRICKY, run_bytes=run_bytes) == _whole(_TRICKY)


@pytest.mark.parametrize("spec", ["netlify.yaml", "bookstore.yaml"])
def test_runs_of_real_models(spec: str, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _models(spec)
    runs = formatting.class_runs(source, 300)
    assert len(runs) > 3
    monkeypatch.setattr(formatting, "PARALLEL_BYTES", 1)  # the forked half too
    assert formatting.format_python(source, run_bytes=300) == _whole(source)


@pytest.mark.parametrize("spec", ["netlify.yaml", "bookstore.yaml", "orbit-love.yaml"])
def test_models_formatter_in_runs_and_black_stable(
    spec: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On what datamodel-code-generator writes (not on any Python: it does not
    respace hand-written literals)."""
    source = _models(spec)
    whole = formatting.format_models(source, run_bytes=len(source) + 1)
    assert whole != source  # there was something to format
    monkeypatch.setattr(formatting, "PARALLEL_BYTES", 1)
    assert formatting.format_models(source, run_bytes=40) == whole
    assert _whole(whole) == whole  # black would change nothing
    # and it is black's layout: only the import block may be ordered differently
    body = whole[whole.index("\nclass ") :]
    assert body == _whole(source)[_whole(source).index("\nclass ") :]
