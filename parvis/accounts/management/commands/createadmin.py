"""`parvis createadmin`: the first owner, with an organisation and a workspace."""

from __future__ import annotations

import getpass
import os

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from parvis.accounts.actions import organisation_create, workspace_create
from parvis.accounts.models import User


class Command(BaseCommand):
    help = "Create an owner with a new organisation and workspace (prompts for what is missing)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email")
        parser.add_argument("--password", help="Better: PARVIS_ADMIN_PASSWORD in the environment.")
        parser.add_argument("--name", default="")
        parser.add_argument("--organisation")
        parser.add_argument("--workspace")
        parser.add_argument("--language", choices=["fr", "en"], default="fr")
        parser.add_argument("--no-input", action="store_true", dest="no_input")

    def _value(self, options: dict, key: str, prompt: str, *, secret: bool = False) -> str:
        value = options.get(key) or ""
        if value or options["no_input"]:
            return value
        return (getpass.getpass(prompt) if secret else input(prompt)).strip()

    def handle(self, *args, **options) -> None:
        options["password"] = options["password"] or os.environ.get("PARVIS_ADMIN_PASSWORD", "")
        email = self._value(options, "email", "Email: ").lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an email address.") from error
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"{email} already has an account: log in, or choose another email.")
        password = self._value(options, "password", "Password: ", secret=True)
        if not password:
            raise CommandError("A password is needed: --password or PARVIS_ADMIN_PASSWORD.")
        try:
            password_validation.validate_password(password, User(email=email))
        except ValidationError as error:
            raise CommandError("Weak password: " + " ".join(error.messages)) from error
        organisation_name = self._value(
            options, "organisation", "Organisation (company or agency): "
        )
        workspace_name = self._value(options, "workspace", "First workspace (brand or client): ")
        if not organisation_name or not workspace_name:
            raise CommandError("Name the organisation and the first workspace.")
        with transaction.atomic():
            user = User.objects.create_user(
                email, password, full_name=options["name"], language=options["language"]
            )
            organisation = organisation_create(name=organisation_name, acting_user=user)
            workspace = workspace_create(
                organisation=organisation,
                name=workspace_name,
                owner=user,
                language=options["language"],
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{email} owns {organisation.name} / {workspace.name} ({workspace.slug})."
            )
        )
