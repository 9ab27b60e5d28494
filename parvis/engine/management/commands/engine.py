"""`parvis engine`: the loop that runs the registered periodic jobs."""

from __future__ import annotations

import signal

from django.core.management.base import BaseCommand

from parvis.engine.periodic import registered, run_forever


class Command(BaseCommand):
    help = "Run Parvis' periodic jobs (publishing runner, network polling, sandbox audience)."

    def handle(self, *args, **options) -> None:
        stopping = False

        def stop(_signum, _frame) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        names = ", ".join(job.name for job in registered()) or "none"
        self.stdout.write(f"Engine running; periodic jobs: {names}")
        run_forever(lambda: stopping)
