"""`parvis rotate_keys`: re-encrypt every secret with the first encryption key.

Rotation: put the new key first in PARVIS_ENCRYPTION_KEYS (keep the old one
after it), run this command, then remove the old key.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import TextField, Value

from parvis.core.crypto import EncryptedTextField, rotate


class Command(BaseCommand):
    help = "Re-encrypt all secrets stored at rest with the first of PARVIS_ENCRYPTION_KEYS."

    def handle(self, *args, **options) -> None:
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if fields:
                total += _rotate_model(model, fields)
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {total} row(s)."))


@transaction.atomic
def _rotate_model(model, fields: list[EncryptedTextField]) -> int:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in [model._meta.pk, *fields])
    with connection.cursor() as cursor:
        # The stored ciphertexts, as they are (the ORM would decrypt them).
        cursor.execute(f"SELECT {columns} FROM {quote(model._meta.db_table)}")
        rows = cursor.fetchall()
    count = 0
    for pk, *tokens in rows:
        rotated = {
            field.attname: Value(rotate(token), output_field=TextField())
            for field, token in zip(fields, tokens, strict=True)
            if token
        }
        if rotated:
            model._base_manager.filter(pk=pk).update(**rotated)
            count += 1
    return count
