"""JSONL records as a Hugging Face `datasets` dataset: saved to disk and as parquet.

`write_hf(records, out)` writes `out/` with `Dataset.save_to_disk` (load it
with `datasets.load_from_disk`) and `out/train.parquet`; both load as the
JSONL's records. A column is stored as Arrow data where Arrow and parquet
give back exactly the JSON it holds (strings, numbers, uniform objects);
otherwise, as with chat messages whose keys vary, tool schemas or request
bodies, its values (or the items of its lists) have the `Json` feature:
stored as JSON text, decoded on access. `out/envc_dataset.json` names the
columns and the records that lack some (a dataset row has every column;
`read_hf` drops them again). `pip install '<package>[hf]'` brings
`datasets` (and pyarrow).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

PARQUET = "train.parquet"
SIDECAR = "envc_dataset.json"


def write_hf(records: list[dict[str, Any]], out: str | Path) -> dict[str, Any]:
    """Save `records` under `out` (see the module docstring); what the sidecar says."""
    datasets = _datasets()
    columns = sorted({key for record in records for key in record})
    table = {c: [record.get(c) for record in records] for c in columns}
    features = {c: _feature(datasets, values) for c, values in table.items()}
    about = {
        "records": len(records),
        "columns": columns,
        "json_columns": [c for c in columns if "Json" in repr(features[c])],
        "absent": _absent(records, columns),
    }
    schema = datasets.Features(features)
    info = datasets.DatasetInfo(
        description="envc records; " + _text(about), features=schema
    )
    dataset = datasets.Dataset.from_dict(table, features=schema, info=info)
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    datasets.disable_progress_bars()
    dataset.save_to_disk(str(out))
    dataset.to_parquet(str(out / PARQUET))
    (out / SIDECAR).write_text(_text(about) + "\n", encoding="utf-8")
    return about


def read_hf(path: str | Path) -> list[dict[str, Any]]:
    """The records `write_hf` saved, from its directory or its parquet file."""
    datasets = _datasets()
    path = Path(path)
    if path.is_dir():
        rows = datasets.load_from_disk(str(path)).to_list()
    else:
        rows = datasets.Dataset.from_parquet(str(path)).to_list()
    sidecar = (path if path.is_dir() else path.parent) / SIDECAR
    absent = json.loads(sidecar.read_text(encoding="utf-8"))["absent"]
    return [
        {k: v for k, v in row.items() if k not in absent.get(str(index), ())}
        for index, row in enumerate(rows)
    ]


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as source:
        return [json.loads(line) for line in source if line.strip()]


def export_jsonl(source: str | Path, out: str | Path) -> dict[str, Any]:
    """A JSONL file of records (samples, blueprints, rollouts) as a dataset."""
    return write_hf(read_jsonl(source), out)


def add_hf_option(parser: Any) -> None:
    parser.add_argument(
        "--hf",
        metavar="DIR",
        help="also save the records as a Hugging Face dataset (save_to_disk + parquet)",
    )


def with_hf(command: Callable[[Any], None], args: Any) -> None:
    """Run a command that writes JSONL to `args.output`, then save that as `args.hf`."""
    if not getattr(args, "hf", None):
        command(args)
        return
    target = args.output
    with tempfile.TemporaryDirectory() as scratch:
        if target == "-":
            args.output = os.path.join(scratch, "records.jsonl")
        try:
            command(args)
        finally:
            if os.path.exists(args.output):
                about = export_jsonl(args.output, args.hf)
                print(f"{about['records']} records -> {args.hf}", file=sys.stderr)
                if target == "-":
                    with open(args.output, encoding="utf-8") as records:
                        shutil.copyfileobj(records, sys.stdout)


def _feature(datasets: Any, values: list) -> Any:
    """Arrow's own type where it keeps the values exactly, else `Json` (per item of lists)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        array = pa.array(values)
        buffer = io.BytesIO()
        pq.write_table(pa.table({"c": array}), buffer)
        back = pq.read_table(io.BytesIO(buffer.getvalue()))["c"].to_pylist()
        if _text(back) == _text(values) == _text(array.to_pylist()):
            schema = pa.schema([("c", array.type)])
            return datasets.Features.from_arrow_schema(schema)["c"]
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        pass
    if all(isinstance(value, list) for value in values):
        return datasets.List(datasets.Json())
    return datasets.Json()


def _absent(records: list[dict], columns: list[str]) -> dict[str, list[str]]:
    """Per record (by index), the columns it lacks: a dataset row has them all."""
    absent = {}
    for index, record in enumerate(records):
        missing = [c for c in columns if c not in record]
        if missing:
            absent[str(index)] = missing
    return absent


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _datasets() -> Any:
    try:
        import datasets
    except ImportError as exc:  # the optional extra
        raise SystemExit(
            f"{exc}: install the Hugging Face extra (pip install 'datasets>=5')"
        ) from exc
    return datasets
