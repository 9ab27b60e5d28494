"""`parvis inbox_triage`: triage the inbox's messages stored before triage existed.

New messages are triaged as they arrive; run this once after upgrading, or with
``--all`` after changing the lexicon, to triage stored messages again.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from parvis.accounts.models import Workspace
from parvis.inbox.triaging import messages_triage


class Command(BaseCommand):
    help = "Detect the language, sentiment and intent of stored inbox messages."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--workspace", help="Only this workspace (its slug).")
        parser.add_argument(
            "--all", action="store_true", help="Triage every message again, not only new ones."
        )

    def handle(self, *args, **options) -> None:
        workspace = None
        if options["workspace"]:
            workspace = Workspace.objects.filter(slug=options["workspace"]).first()
            if workspace is None:
                raise CommandError(
                    f"No workspace has the slug {options['workspace']!r}: check the address "
                    "of its pages (/w/<slug>/...)."
                )
        count = messages_triage(workspace=workspace, everything=options["all"])
        self.stdout.write(self.style.SUCCESS(f"Triaged {count} message(s)."))
