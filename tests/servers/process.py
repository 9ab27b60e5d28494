"""Start a local API test server (``python -m tests.servers.<name> --port 0``) as a process.

The server prints its port on the first line of standard output once it accepts
connections; its errors go to a file that lives as long as the process (a pipe nobody
reads would block it once full).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def start_server(module: str, *arguments: str) -> tuple[subprocess.Popen[str], int]:
    """The running process and its port; raises RuntimeError if it did not start."""
    errors = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", module, "--port", "0", *arguments],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    line = process.stdout.readline() if process.stdout else ""
    if not line.strip().isdigit():
        process.kill()
        process.wait(timeout=10)
        errors.seek(0)
        raise RuntimeError(f"the test server {module} did not start: {line!r} {errors.read()}")
    return process, int(line)


def stop_server(process: subprocess.Popen[str]) -> None:
    process.kill()
    process.wait(timeout=10)
