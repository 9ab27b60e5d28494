"""The `parvis` command line: Parvis' own commands and every Django command.

parvis run          web server + worker (the embedded default)
parvis worker       background worker only (tasks and the engine)
parvis demo         load the demo workspace (idempotent)
parvis createadmin  create an owner with an organisation and a workspace
parvis check        Django's checks plus Parvis' own
parvis <django command> ...
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "parvis"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
