"""Compile the .po translations into .mo files without GNU gettext.

`make` runs `python -m parvis.core.translations` so a fresh machine needs no
system package to show Parvis in French.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


def compile_translations(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    compiled = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        compiled.append(mo_path)
    return compiled


if __name__ == "__main__":
    done = compile_translations()
    print(f"Compiled {len(done)} translation file(s).", file=sys.stderr)
