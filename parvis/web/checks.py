"""`parvis check`: Parvis' own checks, beside Django's."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register

from parvis.web.vendor import FILES, TARGET


@register()
def front_end_libraries(app_configs, **kwargs) -> list[Warning]:
    missing = [dest for dest in FILES if not (TARGET / dest).exists()]
    if not missing:
        return []
    return [
        Warning(
            f"Front-end libraries are missing: {', '.join(missing)}",
            hint="Run `npm ci` then `python -m parvis.web.vendor` (`make run` does both).",
            id="parvis.W001",
        )
    ]


@register(deploy=True)
def production_settings(app_configs, **kwargs) -> list[Warning]:
    errors: list[Warning] = []
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        errors.append(
            Warning(
                "The database is not PostgreSQL.",
                hint="SQLite is the embedded default for one machine; set DATABASE_URL to "
                "a PostgreSQL server in production (docs/deployment.md).",
                id="parvis.W002",
            )
        )
    if settings.PARVIS_BASE_URL.startswith("http://127.0.0.1"):
        errors.append(
            Warning(
                "PARVIS_BASE_URL is the local default; links in emails will not work for others.",
                hint="Set PARVIS_BASE_URL=https://parvis.example.org",
                id="parvis.W003",
            )
        )
    return errors
