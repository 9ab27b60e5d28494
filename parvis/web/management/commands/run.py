"""`parvis run`: the embedded default in one process group (web + worker)."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from parvis.engine.processes import Child, django_command, run_group
from parvis.web.demo import demo_load


class Command(BaseCommand):
    help = "Migrate, then run the web server and the background worker together."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--demo", action="store_true", help="Load the demo workspace first.")
        parser.add_argument("--web-workers", type=int, default=2)

    def handle(self, *args, host: str, port: int, demo: bool, web_workers: int, **options) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        login = None
        if demo:
            login = demo_load()
        url = f"http://{host}:{port}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Parvis is running on {url}"))
        if login is not None:
            self.stdout.write(f"  Log in as {login.email} with password {login.password}")
        self.stdout.write("  Press Ctrl-C to stop.\n")
        sys.stdout.flush()
        web = [
            sys.executable,
            "-m",
            "granian",
            "config.wsgi:application",
            "--interface",
            "wsgi",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(web_workers),
            "--blocking-threads",
            "4",
            "--no-ws",
            "--log-level",
            "warning",
            "--workers-kill-timeout",
            "5",
        ]
        code = run_group([Child("web server", web), Child("worker", django_command("worker"))])
        self.stdout.write("Parvis stopped." if code == 0 else f"Parvis stopped (exit code {code}).")
        sys.exit(code)
