"""Copy the front-end libraries installed by npm into a git-ignored static folder.

Run by `make` after `npm ci`: `python -m parvis.web.vendor`. Only the files the
pages use are copied; nothing is fetched from a CDN at run time.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
TARGET = Path(__file__).resolve().parent / "static" / "vendor"

# destination (under static/vendor/) -> source (under node_modules/)
FILES: dict[str, str] = {
    "htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "alpine/alpine-csp.min.js": "@alpinejs/csp/dist/cdn.min.js",
    "bootstrap/bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",
    "bootstrap/bootstrap.bundle.min.js": "bootstrap/dist/js/bootstrap.bundle.min.js",
    "bootstrap-icons/bootstrap-icons.min.css": "bootstrap-icons/font/bootstrap-icons.min.css",
    "bootstrap-icons/fonts": "bootstrap-icons/font/fonts",
    "chartjs/chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
    "chartjs/chart.umd.min.js.map": "chart.js/dist/chart.umd.min.js.map",
    "fullcalendar/index.global.min.js": "fullcalendar/index.global.min.js",
    "fullcalendar/locales-all.global.min.js": "@fullcalendar/core/locales-all.global.min.js",
}


def copy_vendor_files() -> list[str]:
    missing = [src for src in FILES.values() if not (NODE_MODULES / src).exists()]
    if missing:
        raise SystemExit(
            "Front-end libraries are missing from node_modules (run `npm ci`): "
            + ", ".join(missing)
        )
    for dest, src in FILES.items():
        source, target = NODE_MODULES / src, TARGET / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)
    return sorted(FILES)


if __name__ == "__main__":
    copied = copy_vendor_files()
    print(f"Copied {len(copied)} front-end files into {TARGET.relative_to(ROOT)}", file=sys.stderr)
