"""The `mcp` and `export-hf` commands of the package's CLI, and `--hf DIR`.

`main.py` adds them (`add_commands`) and dispatches to `COMMANDS`; `--hf DIR`
joins the `blueprints` and `rollout` commands (their JSONL records saved
as a Hugging Face dataset too, see `hf_export.with_hf`).
"""

from __future__ import annotations

import argparse
import sys

HF_COMMANDS = ("blueprints", "rollout")


def add_commands(commands: argparse._SubParsersAction) -> None:
    from ..sampling.hf_export import add_hf_option

    mcp = commands.add_parser(
        "mcp", help="serve every operation as an MCP tool (stdio or streamable HTTP)"
    )
    mcp.add_argument("--transport", choices=("stdio", "http"), default="stdio")
    mcp.add_argument("--host", default="127.0.0.1", help="HTTP interface (127.0.0.1)")
    mcp.add_argument("--port", type=int, default=8000, help="HTTP port (8000)")
    mcp.add_argument("--seed", type=int, default=0, help="seed of every task (0)")
    mcp.add_argument(
        "--fixtures", type=int, default=0, help="seeded items per resource (0)"
    )
    export = commands.add_parser(
        "export-hf",
        help="save a JSONL of records (samples, blueprints, rollouts) as a Hugging Face dataset",
    )
    export.add_argument("input", help="JSONL file")
    export.add_argument("-o", "--output", required=True, metavar="DIR")
    for name in HF_COMMANDS:
        if name in commands.choices:
            add_hf_option(commands.choices[name])


def mcp(args: argparse.Namespace) -> None:
    try:
        from ..frontends.mcp_server import serve

        serve(
            args.package,
            transport=args.transport,
            host=args.host,
            port=args.port,
            seed=args.seed,
            fixtures=args.fixtures,
        )
    except ImportError as exc:
        sys.exit(f"{exc}: install the MCP extra (pip install 'mcp>=2,<3')")


def export_hf(args: argparse.Namespace) -> None:
    from ..sampling.hf_export import export_jsonl

    about = export_jsonl(args.input, args.output)
    print(f"{about['records']} records -> {args.output}", file=sys.stderr)


COMMANDS = {"mcp": mcp, "export-hf": export_hf}
