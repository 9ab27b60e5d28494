"""`parvis demo`: load (or complete) the demo workspace and print its login."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from parvis.web.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo workspace (a French bakery chain on Sandbox channels). Idempotent."

    def handle(self, *args, **options) -> None:
        login = demo_load()
        self.stdout.write(self.style.SUCCESS("Demo workspace ready."))
        self.stdout.write(f"  Log in as {login.email} with password {login.password}")
