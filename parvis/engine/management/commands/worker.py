"""`parvis worker`: background tasks (django.tasks) and the engine's loop."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from parvis.engine.processes import Child, django_command, run_group


class Command(BaseCommand):
    help = "Run the background worker: the task queue and the engine's periodic jobs."

    def handle(self, *args, **options) -> None:
        code = run_group(
            [
                Child("task worker", django_command("db_worker", "--interval", "1", "--no-reload")),
                Child("engine", django_command("engine")),
            ]
        )
        sys.exit(code)
