"""Command line of the generated package: `python -m <package> serve|tools`."""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources

import uvicorn

from .app import load_sandbox
from .engine import SANDBOX_TOKEN


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog=f"python -m {__package__}", description=__doc__
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve", help="serve the stateful sandbox (Swagger UI at /ui/)"
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="interface to bind (default: 127.0.0.1)"
    )
    serve.add_argument(
        "--port", type=int, default=8000, help="port to listen on (default: 8000)"
    )
    serve.add_argument(
        "--seed", type=int, default=0, help="seed for generated values (default: 0)"
    )
    serve.add_argument(
        "--fixtures",
        type=int,
        default=0,
        metavar="N",
        help="seed every task with N items per resource (default: 0, empty)",
    )
    serve.add_argument(
        "--credential",
        action="append",
        default=[],
        metavar="SECRET",
        help=f"also accept this API key / bearer token / basic password (always accepted: {SANDBOX_TOKEN})",
    )
    serve.add_argument(
        "--any-credential", action="store_true", help="accept any non-empty credential"
    )
    commands.add_parser("tools", help="print the OpenAI function-calling tool schemas")
    args = parser.parse_args(argv)
    if args.command == "serve":
        sandbox = load_sandbox(
            seed=args.seed,
            fixtures=args.fixtures,
            credentials=tuple(args.credential),
            any_credential=args.any_credential,
        )
        print(
            f"serving {__package__} on http://{args.host}:{args.port} (Swagger UI: /ui/)",
            file=sys.stderr,
        )
        uvicorn.run(sandbox.asgi(), host=args.host, port=args.port, log_level="warning")
    elif args.command == "tools":
        text = (
            resources.files(__package__)
            .joinpath("tools.json")
            .read_text(encoding="utf-8")
        )
        print(json.dumps(json.loads(text)["tools"], indent=2))
