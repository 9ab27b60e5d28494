"""Run the Meta Graph API test server: ``python -m tests.servers.meta --port 0``.

The first line of standard output is the port it listens on, printed once the socket
accepts connections; the process runs until it is stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys

import uvicorn

from tests.servers.meta.app import build_app
from tests.servers.meta.pages import page_routes
from tests.servers.meta.state import State


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.servers.meta", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: any free port (printed)")
    parser.add_argument("--app-id", default="test-app-id")
    parser.add_argument("--app-secret", default="test-app-secret")
    args = parser.parse_args(argv)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    sock.listen(512)
    app = build_app(State(app_id=args.app_id, app_secret=args.app_secret), page_routes())
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    )
    print(sock.getsockname()[1], flush=True)
    sys.stdout.flush()
    asyncio.run(server.serve(sockets=[sock]))


if __name__ == "__main__":
    main()
