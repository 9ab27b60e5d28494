"""How fast the short-link redirect answers under a production server, against a static file.

    .venv/bin/python bench/links.py [--seconds 10] [--connections 16] [--runs 3]
                                    [--web-workers 2] [--web-threads 4] [--codes 200]
                                    [--database-url URL] [--json]

granian (WSGI, --web-workers processes x --web-threads threads, as docs/deployment.md
runs it) serves Parvis on PostgreSQL (a throwaway cluster unless --database-url is
given). Debian's ``wrk`` loads it from another process over loopback with
--connections kept-alive connections for --seconds, each request a browser's GET of
``/l/<code>`` for one of --codes short links (so the code cache holds several links,
as in real use). The server starts once; each of --runs runs loads the baseline,
then the redirect, then the redirect again with 64 connections; medians are printed.

Why 16 connections: in production a reverse proxy holds a small pool of kept-alive
connections to the application server (deployment.md), and a closed-loop load
generator's latency at saturation is mostly its own queue (Little's law: with N
requests always in flight at R requests/s, each waits N / R on average). The
64-connection figures (``saturation_*``) are printed beside them for that reason.

Why one wrk thread: the load generator shares the machine's cores with the server it
measures; one thread keeps 16 connections busy far beyond what the server answers,
and a second one only takes CPU from the server (on 2 cores: p99 16-18 ms with one,
20-27 ms with two, at the same requests/s).

Baseline, measured in the same run on the same server: a small static file
(``/static/bench.txt``, served by WhiteNoise from memory behind the same
SecurityMiddleware and short-link check). ``ratio_to_baseline`` is the redirect's
requests/s divided by the baseline's: above 1 when a redirect (a dictionary look-up,
a click appended to a buffer, an empty 302) costs less than WhiteNoise serving a
file (its look-up, conditional and range headers, the file's body).

Errors: wrk's socket errors and timeouts, answers other than 302, and clicks not
recorded: once the server has written its click buffers (at most
PARVIS_CLICK_FLUSH_MS later; the bench waits for them), every request answered
must be one Click row. Requests still in flight when wrk stops may add rows, never
take them away.

Why the redirect is fast is explained in ``parvis/links/redirect.py`` (no session,
auth, CSRF or URL resolving; a per-process code cache; clicks written in batches,
see ``parvis/links/clicks.py`` for the crash window).

Targets (issue 7): >= 3,000 requests/s and p99 <= 20 ms. On a shared machine the
figures are indicative only.

``wrk`` missing: ``apt-get install wrk`` (done for you when run as root).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import (
    ROOT,
    free_port,
    granian_command,
    stop_process_groups,
    throwaway_postgres,
    wait_until,
)

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
SATURATION_CONNECTIONS = 64


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="load time of each run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--web-workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--web-threads", type=int, default=4, help="threads per web worker")
    parser.add_argument("--codes", type=int, default=200, help="short links requested")
    parser.add_argument("--database-url", help="an existing PostgreSQL (default: a throwaway one)")
    parser.add_argument("--json", action="store_true", help="one JSON object, nothing else")
    return parser.parse_args()


def _wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)
        found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is not installed: run `apt-get install wrk` as root, then try again.")
    return found


def _environment(database_url: str, static_root: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "600",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "PARVIS_DATA_DIR": str(ROOT / "var" / "bench"),
        "PARVIS_HTTPS": "false",
        "PARVIS_LOGIN_THROTTLING": "false",
        "STATIC_ROOT": str(static_root),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def _codes(count: int) -> list[str]:
    """A workspace, a post, and ``count`` short links of it; their codes."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from parvis.links.actions import shortlink_for_post
    from parvis.publishing.models import Post
    from tests import factories

    workspace = factories.make_workspace(f"Bench {secrets.token_hex(3)}")
    channel = factories.make_sandbox_channel(workspace, "sandbox_x")
    post = Post.objects.create(workspace=workspace, text="Bench")
    return [
        shortlink_for_post(
            workspace=workspace,
            post_id=post.pk,
            channel_id=channel.pk,
            campaign_id=None,
            original_url=f"https://example.org/page/{number}",
            destination=f"https://example.org/page/{number}?utm_source=x&utm_medium=social",
        ).code
        for number in range(count)
    ]


def _click_rows() -> int:
    from django.db import connection

    from parvis.links.models import Click

    connection.close()  # a fresh snapshot
    return Click.objects.count()


def _lua(paths: list[str], folder: Path) -> Path:
    script = folder / "paths.lua"
    quoted = ", ".join(f'"{p}"' for p in paths)
    script.write_text(
        f"local paths = {{{quoted}}}\n"
        f'wrk.headers["User-Agent"] = "{BROWSER}"\n'
        "request = function()\n"
        '  return wrk.format("GET", paths[math.random(#paths)])\n'
        "end\n"
    )
    return script


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * UNITS_MS[unit]


def _load(wrk: str, base_url: str, script: Path, args, connections: int) -> dict:
    """One wrk run; its figures parsed from ``--latency`` output."""
    output = subprocess.run(
        [
            wrk,
            f"--threads={args.wrk_threads}",
            f"--connections={connections}",
            f"--duration={args.seconds}s",
            "--timeout=5s",
            "--latency",
            f"--script={script}",
            base_url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.MULTILINE))
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_3xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": _ms(percentiles["50"]),
        "p99_ms": _ms(percentiles["99"]),
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
        "non_2xx_3xx": int(non_3xx.group(1)) if non_3xx else 0,
    }


def _server(port: int, args: argparse.Namespace, environment: dict[str, str]):
    return subprocess.Popen(
        granian_command(port, workers=args.web_workers, threads=args.web_threads),
        cwd=ROOT,
        env={**os.environ, **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _runs(wrk: str, base_url: str, codes: list[str], folder: Path, args) -> tuple[list, list, list]:
    static = _lua(["/static/bench.txt"], folder)
    links = _lua([f"/l/{c}" for c in codes], folder)
    baselines, redirects, saturated = [], [], []
    for _run in range(args.runs):
        baselines.append(_load(wrk, base_url, static, args, args.connections))
        redirects.append(_load(wrk, base_url, links, args, args.connections))
        saturated.append(_load(wrk, base_url, links, args, SATURATION_CONNECTIONS))
    return baselines, redirects, saturated


def _measure(args: argparse.Namespace, database_url: str) -> dict:
    wrk = _wrk()
    folder = Path(tempfile.mkdtemp(prefix="parvis-bench-links."))
    try:
        (folder / "static").mkdir()
        (folder / "static" / "bench.txt").write_text("ok\n")
        environment = _environment(database_url, folder / "static")
        os.environ.update(environment)
        codes = _codes(args.codes)
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        web = _server(port, args, environment)
        try:
            if not wait_until(lambda: _answers(f"{base_url}/static/bench.txt"), timeout=30):
                sys.exit("granian did not start: run it by hand to see why.")
            before = _click_rows()
            baselines, redirects, saturated = _runs(wrk, base_url, codes, folder, args)
            expected = before + sum(r["requests"] for r in redirects + saturated)
            wait_until(lambda: _click_rows() >= expected, timeout=15)
            recorded = _click_rows() - before
        finally:
            stop_process_groups([web], timeout=20)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    answered = redirects + saturated
    errors = sum(r["socket_errors"] + r["non_2xx_3xx"] for r in answered) + max(
        0, sum(r["requests"] for r in answered) - recorded
    )
    pairs = zip(redirects, baselines, strict=True)
    ratios = [r["requests_per_s"] / b["requests_per_s"] for r, b in pairs]
    return {
        "requests": sum(r["requests"] for r in redirects),
        "requests_per_s": _median(redirects, "requests_per_s", 1),
        "p50_ms": _median(redirects, "p50_ms", 2),
        "p99_ms": _median(redirects, "p99_ms", 2),
        "baseline_requests_per_s": _median(baselines, "requests_per_s", 1),
        "ratio_to_baseline": round(statistics.median(ratios), 3),
        "errors": errors,
        "connections": args.connections,
        "runs": args.runs,
        "requests_per_s_runs": [round(r["requests_per_s"], 1) for r in redirects],
        "p99_ms_runs": [round(r["p99_ms"], 2) for r in redirects],
        "baseline_p99_ms": _median(baselines, "p99_ms", 2),
        "saturation_connections": SATURATION_CONNECTIONS,
        "saturation_requests_per_s": _median(saturated, "requests_per_s", 1),
        "saturation_p99_ms": _median(saturated, "p99_ms", 2),
        "clicks_recorded": recorded,
    }


def _median(runs: list[dict], key: str, digits: int) -> float:
    return round(statistics.median(r[key] for r in runs), digits)


def main() -> None:
    args = _arguments()
    started = time.monotonic()
    if args.database_url:
        figures = _measure(args, args.database_url)
    else:
        with throwaway_postgres() as database_url:
            figures = _measure(args, database_url)
    if args.json:
        print(json.dumps(figures))
        return
    print(
        f"Short-link redirect (PostgreSQL, granian x {args.web_workers} x {args.web_threads} "
        f"threads, wrk {args.connections} connections x {args.seconds} s, medians of {args.runs})"
    )
    print(f"  requests         {figures['requests']} ({figures['clicks_recorded']} clicks stored)")
    print(
        f"  requests per s   {figures['requests_per_s']}  (static file: "
        f"{figures['baseline_requests_per_s']}, ratio {figures['ratio_to_baseline']}; "
        f"runs {figures['requests_per_s_runs']})"
    )
    print(
        f"  latency          p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms "
        f"(runs {figures['p99_ms_runs']})"
    )
    print(
        f"  64 connections   {figures['saturation_requests_per_s']} requests/s, "
        f"p99 {figures['saturation_p99_ms']} ms"
    )
    print(f"  errors           {figures['errors']}")
    print(f"  took             {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
