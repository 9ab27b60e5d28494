"""`parvis run` as a person runs it: a process group that serves, and stops on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def test_run_serves_the_demo_and_stops_cleanly_on_ctrl_c(tmp_path):
    port = _free_port()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "PARVIS_", "DATABASE_"))
    }
    env.update(
        PARVIS_DEBUG="true", PARVIS_DATA_DIR=str(tmp_path), PARVIS_DEMO_PASSWORD="pain-chaud"
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "parvis",
            "run",
            "--demo",
            "--port",
            str(port),
            "--web-workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        banner = []
        for line in process.stdout:
            banner.append(line)
            if "Press Ctrl-C" in line:
                break
        text = "".join(banner)
        assert f"http://127.0.0.1:{port}/" in text
        assert "demo@parvis.local" in text and "pain-chaud" in text
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the web server never answered"
                time.sleep(0.3)
        assert response.status_code == 200
        assert "Content-Security-Policy" in response.headers
        assert (tmp_path / "parvis.sqlite3").exists()
        children = _children(process.pid)
        assert len(children) == 2  # web server and worker
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        for child in children:
            assert (
                not Path(f"/proc/{child}").exists()
                or "zombie" in Path(f"/proc/{child}/status").read_text().lower()
            )
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
