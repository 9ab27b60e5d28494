"""Run the Instagram test server: ``python -m tests.servers.instagram --port 0``.

The first line of standard output is the port it listens on, printed once the socket
accepts connections; the process runs until it is stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import socket

import uvicorn

from tests.servers.instagram.app import build_app
from tests.servers.instagram.state import Config


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.servers.instagram", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: any free port (printed)")
    parser.add_argument("--video-reads", type=int, default=3, help="IN_PROGRESS reads of a video")
    parser.add_argument("--quota", type=int, default=100, help="publications per 24 hours")
    parser.add_argument("--fetch-media", action="store_true", help="download media URLs")
    args = parser.parse_args(argv)
    config = Config(
        video_reads=args.video_reads, quota_total=args.quota, fetch_media=args.fetch_media
    )
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    sock.listen(512)
    server = uvicorn.Server(
        uvicorn.Config(build_app(config), log_level="warning", access_log=False, lifespan="off")
    )
    print(sock.getsockname()[1], flush=True)
    asyncio.run(server.serve(sockets=[sock]))


if __name__ == "__main__":
    main()
