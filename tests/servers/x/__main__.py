"""Run the X API v2 test server: ``python -m tests.servers.x --port 0 --latency-ms 50``.

The first line of standard output is the port it listens on (useful with ``--port 0``),
printed once the socket accepts connections; the process runs until it is stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys

import uvicorn

from tests.servers.x.app import build_app
from tests.servers.x.state import Config


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.servers.x", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: any free port (printed)")
    parser.add_argument("--latency-ms", type=int, default=0, help="added to every API call")
    parser.add_argument("--fail-rate", type=float, default=0.0, help="share of 503 answers")
    parser.add_argument(
        "--lost-rate",
        type=float,
        default=0.0,
        help="share of POST /2/tweets applied, then left unanswered (connection dropped)",
    )
    parser.add_argument(
        "--rate-limit", type=int, default=1_000_000, help="POST /2/tweets per user per window"
    )
    parser.add_argument("--rate-window", type=int, default=900, help="seconds")
    parser.add_argument(
        "--app-limit", type=int, default=0, help="POST /2/tweets per app per 24 h (0: none)"
    )
    parser.add_argument(
        "--allow-duplicates",
        action="store_true",
        help="make a second post with the same text instead of X's 403 duplicate content",
    )
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--backlog", type=int, default=4096)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    config = Config(
        latency_ms=args.latency_ms,
        fail_rate=args.fail_rate,
        lost_rate=args.lost_rate,
        rate_limit=args.rate_limit,
        rate_window=args.rate_window,
        app_limit=args.app_limit,
        refuse_duplicates=not args.allow_duplicates,
        seed=args.seed,
    )
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    sock.listen(args.backlog)
    server = uvicorn.Server(
        uvicorn.Config(
            build_app(config),
            log_level="warning",
            access_log=False,
            backlog=args.backlog,
            timeout_keep_alive=30,
            lifespan="off",
        )
    )
    print(sock.getsockname()[1], flush=True)
    sys.stdout.flush()
    asyncio.run(server.serve(sockets=[sock]))


if __name__ == "__main__":
    main()
